"""The cells of a table in report text (kg.text.tables finds them): the tables' data model
(:class:`Cell`, :class:`Row`, :class:`Table`, :class:`NumericCell`) and what a cell holds — its
one number, a header's bracketed notes, units and labels (totals, places, times).

:func:`numeric_cells` gives every cell holding one number, with its row header (the row's
first word cell), its column header and its unit: the one written in the cell, else one in
brackets in the column's or the row's header ("人数（人）", "金额(万元)"), else the table's
("单位：户" in the caption), else one the header's last word implies (…人数 → 人, …户数 → 户,
…率 → %, …村 → 个). Row numbers (a column headed 序号, or a first column counting 1, 2, 3 …) are not
numbers of the table.

Pure: no I/O; offsets are into the text given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .quantities import Quantity, _scaled, find_quantities
from .timex import TimeExpr, find_times
from .units import SCALES, UNITS

__all__ = ["Cell", "Row", "Table", "NumericCell", "numeric_cells", "header_phrase", "label_time", "is_total",
           "is_subtotal", "place_header_level", "strip_notes", "stated_unit", "is_unit_cell", "units_only",
           "is_numeric", "has_number", "cell_kind"]

SIGN = "-－−"
ROW_NUMBER_HEADER = re.compile(r"(?:序号|编号|序|行次|No\.?|#)", re.I)
TOTAL = re.compile(r"(?:合计|总计|共计|总数|总体|全[省市县区旗乡镇村]|全[省市县区旗乡镇村](?:合计|总计))")
SUBTOTAL = re.compile(r"小计")
#: a bracketed note: "（户）", "(万元)", "（单位：人）", "（5个）"
NOTE = re.compile(r"[（(［\[]([^（）()［］\[\]]{0,12})[）)］\]]")
UNIT_STATED = re.compile(r"单位\s*[:：]\s*([^\s，,；;。）)\]］]{1,6})")
#: a header whose cells name places: 乡镇, 村, 贫困村, 县（市、区）, 村名 …
PLACE_HEADER = re.compile(r"(乡镇|街道|社区|自治县|县|市|区|旗|州|盟|乡|镇|村|屯)(?:名称|名)?$")
PLACE_HEADER_LEVEL = {"乡镇": "", "街道": "街道", "社区": "村", "自治县": "县", "县": "县", "市": "市",
                      "区": "区", "旗": "县", "州": "市", "盟": "市", "乡": "乡", "镇": "镇", "村": "村",
                      "屯": "村"}
#: the unit a header's last word implies when it states none
IMPLIED_UNIT = ((re.compile(r"(?:人数|人口|人口数|人口总数|劳动力数)$"), "人"),
                (re.compile(r"户数$"), "户"),
                (re.compile(r"(?:率|比例|比重|占比)$"), "%"))
YEAR_HEADER = re.compile(r"(?:年度|年份|年)$")
BARE_YEAR = re.compile(r"((?:19|20)\d\d)(?![\d.])(?:\s*年(?![底末中初]))?")


@dataclass(frozen=True)
class Cell:
    text: str           # the cell's text, stripped
    start: int          # its offsets into the text (an empty cell: start == end)
    end: int
    carried: bool = False   # repeated from the row above (a merged cell, flattened)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]     # one per column
    start: int                  # the row's line
    end: int


@dataclass(frozen=True)
class Table:
    start: int
    end: int
    kind: str                       # markdown | tab | aligned
    caption: Cell | None            # the short line right before the table ("表1 …")
    header_rows: tuple[Row, ...]    # aligned to the columns, merged cells filled in
    header: tuple[Cell, ...]        # per column: its header cells top-down, units left out
    column_units: tuple[str, ...]   # per column: a unit its header states ("" if none)
    rows: tuple[Row, ...]           # the body rows, aligned to the columns
    unit: str = ""                  # a unit stated for the whole table ("单位：万元")

    @property
    def width(self) -> int:
        return len(self.header) if self.header else max((len(r.cells) for r in self.rows), default=0)


@dataclass(frozen=True)
class NumericCell:
    cell: Cell
    row: Row
    column: int
    row_header: Cell | None         # the row's first word cell (row numbers left out)
    column_header: Cell | None
    labels: tuple[Cell, ...]        # every word cell of the row, left to right (row numbers left out)
    label_columns: tuple[int, ...]  # the column of each label
    unit: str                       # as written: the cell's, else its headers', else the table's
    quantity: Quantity              # offsets into the text; value and base value in ``unit``


# ---------------------------------------------------------------------------- numbers

@lru_cache(maxsize=8192)
def _parse(t: str) -> Quantity | None:
    """The one number of a cell's text, offsets into that text."""
    if not t:
        return None
    sign = t[0] in SIGN and len(t) > 1
    body = t[1:].lstrip() if sign else t
    found = find_quantities(body)
    if len(found) != 1:
        return None
    q = found[0]
    if (body[:q.start] + body[q.end:]).strip(" *＊"):
        return None
    lead = len(t) - len(body)
    q = replace(q, start=q.start + lead, end=q.end + lead)
    if sign:
        q = replace(q, start=0, surface=t[:q.end], value=-q.value, base_value=-q.base_value)
    return q


def _number(cell: Cell) -> Quantity | None:
    """The one number a cell holds ("1,200", "45.6%", "约300", "-3.5", "120户"), offsets into
    the text; None for words, several numbers or a number among words."""
    q = _parse(cell.text)
    return None if q is None else replace(q, start=q.start + cell.start, end=q.end + cell.start)


def _is_year(text: str) -> bool:
    m = BARE_YEAR.fullmatch(text.strip())
    return bool(m)


def is_numeric(cell: Cell, column: int, header_text: str) -> bool:
    if _number(cell) is None:
        return False
    # a bare year in the first column or under 年度/年份 is a label, not a value
    if _is_year(cell.text) and (column == 0 or YEAR_HEADER.search(strip_notes(header_text))):
        return False
    return True


def cell_kind(cell: Cell | None, column: int = 1) -> str:
    if cell is None or not cell.text:
        return "empty"
    q = _number(cell)
    if q is None or (column == 0 and _is_year(cell.text)):
        return "text"
    return "num:" + (q.base_unit or q.unit)


def has_number(cells: list[Cell]) -> bool:
    return any(is_numeric(c, j, "") for j, c in enumerate(cells))


# ---------------------------------------------------------------------------- notes and labels

def strip_notes(text: str) -> str:
    """A header without its bracketed notes ("脱贫户数（户）" → "脱贫户数")."""
    return NOTE.sub("", UNIT_STATED.sub("", text)).strip(" ：:\u3000")


def _unit_name(s: str) -> tuple[str, str | None] | None:
    """"万元" → ("万元", None); "元/人" → ("元", "人"); words → None."""
    s = s.strip().replace("％", "%")
    s = re.sub(r"^单位\s*[:：]\s*", "", s)
    main, _, per = s.partition("/")
    if main in UNITS and (not per or re.fullmatch(r"[\u4e00-\u9fff]{1,3}", per)):
        return main, per or None
    return None


def stated_unit(text: str) -> tuple[str, str | None] | None:
    """A unit a header or caption states: in brackets, after 单位：, or as the whole header."""
    for m in UNIT_STATED.finditer(text):
        u = _unit_name(m.group(1))
        if u:
            return u
    for m in NOTE.finditer(text):
        u = _unit_name(m.group(1))
        if u:
            return u
    return _unit_name(text) if text.strip() else None


def is_unit_cell(text: str) -> bool:
    """A header cell naming a unit alone: "户", "万元", "（人）", "(单位：亩)"."""
    return bool(_unit_name(text) or (NOTE.fullmatch(text.strip()) and stated_unit(text)))


def units_only(cells: list[Cell]) -> bool:
    full = [c for c in cells if c.text]
    return bool(full) and all(is_unit_cell(c.text) for c in full)


def is_total(text: str) -> bool:
    """A row label for the whole table (合计, 总计, 全县 …)."""
    return bool(TOTAL.fullmatch(strip_notes(text)))


def is_subtotal(text: str) -> bool:
    return bool(SUBTOTAL.fullmatch(strip_notes(text)))


def place_header_level(header: str) -> str | None:
    """The level of the places a column headed ``header`` lists ("乡镇" → "", "贫困村" → "村"),
    None when its header names no place."""
    m = PLACE_HEADER.search(strip_notes(header))
    return PLACE_HEADER_LEVEL[m.group(1)] if m else None


def label_time(text: str) -> TimeExpr | None:
    """The time a label names: "2018年底", "2014—2018年", or a bare year "2017" ("2017（5个）")."""
    times = find_times(text)
    if times:
        return times[0]
    m = BARE_YEAR.match(text.strip())
    if m:
        y = int(m.group(1))
        offset = len(text) - len(text.lstrip())
        return TimeExpr(offset, offset + m.end(), m.group(), "year", y, y, str(y), f"{y}年")
    return None


def header_phrase(text: str) -> str:
    """What a header names, without its notes, times and leading/trailing punctuation."""
    s = strip_notes(text)
    for t in sorted(find_times(s), key=lambda t: -t.start):
        s = s[:t.start] + s[t.end:]
    if _is_year(s):
        s = ""
    return s.strip(" \u3000：:，,、/")


# ---------------------------------------------------------------------------- numeric cells

def _row_number_columns(table: Table) -> set[int]:
    """Columns of row numbers: headed 序号/编号, or a first column counting 1, 2, 3 …"""
    out = {j for j, h in enumerate(table.header) if ROW_NUMBER_HEADER.fullmatch(strip_notes(h.text))}
    if table.rows and 0 not in out:
        values = [_number(r.cells[0]) for r in table.rows if r.cells[0].text and not r.cells[0].carried]
        if len(values) >= 2 and all(q is not None and not q.unit and q.value == q.value.to_integral_value()
                                    for q in values):
            ints = [int(q.value) for q in values]
            if ints[0] in (0, 1) and all(b == a + 1 for a, b in zip(ints, ints[1:])):
                out.add(0)
    return out


def _with_unit(q: Quantity, unit: str) -> Quantity:
    """A bare number of a column measured in ``unit`` ("万元", "元/人")."""
    main, _, per = unit.partition("/")
    if q.unit in SCALES and not q.base_unit and (q.unit + main) in UNITS:
        main = q.unit + main
        value = q.value
    elif q.unit:
        return q
    else:
        value = q.value
    u = UNITS.get(main)
    if u is None:
        return q
    return replace(q, unit=u.name, base_value=_scaled(value, u.factor), base_unit=u.base,
                   value_max=q.value_max,
                   base_value_max=None if q.value_max is None else _scaled(q.value_max, u.factor),
                   per=q.per or (per or None))


def _implied(text: str) -> str:
    s = strip_notes(text)
    for pattern, unit in IMPLIED_UNIT:
        if pattern.search(s):
            return unit
    # a number under a header naming places (贫困村, 乡镇) counts them
    return "个" if PLACE_HEADER.search(s) else ""


def numeric_cells(table: Table) -> list[NumericCell]:
    """Every cell of ``table`` holding one number, with its headers and unit (see the module
    docstring), row by row."""
    skip = _row_number_columns(table)
    out: list[NumericCell] = []
    for row in table.rows:
        words = [(j, c) for j, c in enumerate(row.cells)
                 if j not in skip and c.text and not is_numeric(c, j, table.header[j].text)]
        labels, label_columns = tuple(c for _, c in words), tuple(j for j, _ in words)
        row_header = labels[0] if labels else None
        for j, c in enumerate(row.cells):
            if j in skip or c.carried or not c.text:
                continue
            head = table.header[j] if j < len(table.header) else None
            if not is_numeric(c, j, head.text if head else ""):
                continue
            q = _number(c)
            if not (q.base_unit or q.unit):
                unit = ""
                for source in (table.column_units[j] if j < len(table.column_units) else "",
                               _stated(head.text if head else ""),
                               _stated(row_header.text if row_header else ""),
                               table.unit,
                               _implied(head.text if head else "")):
                    if source:
                        unit = source
                        break
                if unit:
                    q = _with_unit(q, unit)
            elif q.unit in SCALES and not q.base_unit:
                unit = table.column_units[j] or _stated(head.text if head else "") or table.unit
                if unit:
                    q = _with_unit(q, unit)
            out.append(NumericCell(c, row, j, row_header, head, labels, label_columns, q.unit, q))
    return out


def _stated(text: str) -> str:
    u = stated_unit(text) if text and (NOTE.search(text) or UNIT_STATED.search(text)) else None
    if not u:
        return ""
    return u[0] if not u[1] else f"{u[0]}/{u[1]}"
