"""Tables in report text: their cells, headers and caption, with character offsets.

:func:`find_tables` recognises three layouts, one table per block of consecutive lines:

* Markdown pipe tables (what the HTML converter makes of an HTML ``<table>``): rows
  ``| a | b |``, a ``|---|---|`` separator after the header; without a separator the leading
  rows with no number are the header;
* tab-separated blocks (a table copied out of a page or a spreadsheet) of two or more lines
  with two or more cells;
* whitespace-aligned blocks: cells separated by two or more spaces (or an ideographic space),
  two or more rows with the same number of cells, holding numbers, none of them prose.

A flattened table loses its merged cells: a row of a tab or aligned table with fewer cells
than the table lies under the columns its cells fit best (numbers under numbers, words under
words), and the cells it lacks at its left, like an empty cell of a Markdown row, repeat the
row above's (a cell merged across rows, ``2017年 | 甲镇 | …`` then ``| 乙镇 | …``); an empty
header cell continues the one at its left (a cell merged across columns). A header row of
units alone (``户 | 人 | %``) gives its columns their units.

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

__all__ = ["Cell", "Row", "Table", "NumericCell", "find_tables", "numeric_cells", "header_phrase",
           "label_time", "is_total", "is_subtotal", "place_header_level", "strip_notes"]

TAB = re.compile("\t")
SEPARATOR_CELL = re.compile(r"\s*:?-{1,}:?\s*")
ALIGNED_SPLIT = re.compile(r"(?: {2,}|[ \u3000]*\u3000[ \u3000]*)")
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
PROSE_END = re.compile(r"[。！？!?；;]$")
HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2}")
MAX_ALIGNED_CELL = 30
MAX_CAPTION = 60


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


# ---------------------------------------------------------------------------- lines → cells

def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _cell(text: str, a: int, b: int) -> Cell:
    chunk = text[a:b]
    left = len(chunk) - len(chunk.lstrip())
    stripped = chunk.strip()
    return Cell(stripped, a + left, a + left + len(stripped))


def _markdown_cells(text: str, start: int, line: str) -> list[Cell] | None:
    stripped = line.strip()
    if not stripped.startswith("|") or stripped.count("|") < 2:
        return None
    lead = start + len(line) - len(line.lstrip())
    pipes = [lead + i for i, c in enumerate(line.lstrip()) if c == "|" and (i == 0 or line.lstrip()[i - 1] != "\\")]
    cells = [_cell(text, a + 1, b) for a, b in zip(pipes, pipes[1:])]
    tail = _cell(text, pipes[-1] + 1, start + len(line))
    if tail.text:
        cells.append(tail)
    return cells


def _split_cells(text: str, start: int, line: str, sep: re.Pattern) -> list[Cell]:
    cells, pos = [], 0
    for m in sep.finditer(line):
        cells.append(_cell(text, start + pos, start + m.start()))
        pos = m.end()
    cells.append(_cell(text, start + pos, start + len(line)))
    while cells and not cells[-1].text:
        cells.pop()
    return cells


def _classify(text: str, start: int, line: str) -> tuple[str, list[Cell]] | None:
    """(kind, cells) of a line that can be a table row, else None."""
    md = _markdown_cells(text, start, line)
    if md is not None:
        if md and all(SEPARATOR_CELL.fullmatch(c.text) for c in md):
            return "separator", md
        return "markdown", md
    if "\t" in line:
        cells = _split_cells(text, start, line, TAB)
        return ("tab", cells) if len(cells) >= 2 else None
    body = line.strip()
    if not body:
        return None
    lead = start + len(line) - len(line.lstrip())
    cells = _split_cells(text, lead, body, ALIGNED_SPLIT)
    if len(cells) >= 2 and all(c.text and len(c.text) <= MAX_ALIGNED_CELL and not PROSE_END.search(c.text)
                               for c in cells):
        return "aligned", cells
    return None


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


def _is_numeric(cell: Cell, column: int, header_text: str) -> bool:
    if _number(cell) is None:
        return False
    # a bare year in the first column or under 年度/年份 is a label, not a value
    if _is_year(cell.text) and (column == 0 or YEAR_HEADER.search(strip_notes(header_text))):
        return False
    return True


def _kind(cell: Cell | None, column: int = 1) -> str:
    if cell is None or not cell.text:
        return "empty"
    q = _number(cell)
    if q is None or (column == 0 and _is_year(cell.text)):
        return "text"
    return "num:" + (q.base_unit or q.unit)


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


def _stated_unit(text: str) -> tuple[str, str | None] | None:
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


# ---------------------------------------------------------------------------- blocks → tables

def _blocks(text: str):
    """Runs of consecutive lines of one layout: (kind, [(line start, line end, cells)])."""
    run: list = []
    kind = None
    for start, end, line in _lines(text):
        c = _classify(text, start, line)
        k = None if c is None else ("markdown" if c[0] == "separator" else c[0])
        if k != kind or k is None:
            if kind is not None and run:
                yield kind, run
            run, kind = [], k
        if c is not None:
            run.append((start, end, c[0], c[1]))
    if kind is not None and run:
        yield kind, run


def _has_number(cells: list[Cell]) -> bool:
    return any(_is_numeric(c, j, "") for j, c in enumerate(cells))


def _is_unit_cell(text: str) -> bool:
    """A header cell naming a unit alone: "户", "万元", "（人）", "(单位：亩)"."""
    return bool(_unit_name(text) or (NOTE.fullmatch(text.strip()) and _stated_unit(text)))


def _units_only(cells: list[Cell]) -> bool:
    full = [c for c in cells if c.text]
    return bool(full) and all(_is_unit_cell(c.text) for c in full)


def _split_header(kind: str, rows: list) -> tuple[list, list]:
    """(header rows, body rows) of a block's rows [(start, end, kind, cells)]."""
    seps = [i for i, r in enumerate(rows) if r[2] == "separator"]
    if seps and seps[0] >= 1:
        header, body = rows[:seps[0]], [r for r in rows[seps[0] + 1:] if r[2] != "separator"]
    else:
        rows = [r for r in rows if r[2] != "separator"]
        width = max(len(r[3]) for r in rows)
        header = []
        if rows and not _has_number(rows[0][3]):
            header = [rows[0]]
            for r in rows[1:3]:
                cells = r[3]
                if _has_number(cells) or len(header) + 1 >= len(rows):
                    break
                if _units_only(cells) or len(cells) < width or not cells[0].text:
                    header.append(r)
                else:
                    break
        body = rows[len(header):]
    # a row of units alone under the header (户 | 人 | %)
    while body and len(header) < 3 and _units_only(body[0][3]) and not _has_number(body[0][3]):
        header.append(body[0])
        body = body[1:]
    return header, body


def _align_header(rows: list, width: int) -> list[list[Cell]]:
    """Header rows spread over ``width`` columns: a short bottom row lies at the right (the
    corner is blank, or the cells above it are merged down); a short upper row gives one
    cell to each column left of the rows below it and spreads the rest over theirs."""
    out: list[list[Cell] | None] = [None] * len(rows)
    covered_from = width           # leftmost column the rows below this one cover
    for i in range(len(rows) - 1, -1, -1):
        start, end, _, cells = rows[i]
        cells = list(cells)
        empty = Cell("", start, start)
        if len(cells) >= width:
            aligned = cells[:width]
        elif i == len(rows) - 1 or covered_from >= width or len(cells) <= covered_from:
            aligned = [empty] * (width - len(cells)) + cells
        else:
            lead, rest = cells[:covered_from], cells[covered_from:]
            n = width - covered_from
            spans = [n - len(rest) + 1] + [1] * (len(rest) - 1) if len(rest) < n else [1] * n
            aligned = list(lead)
            for c, k in zip(rest, spans):
                aligned.extend([c] * k)
            aligned = aligned[:width]
        first = next((j for j, c in enumerate(aligned) if c.text), width)
        covered_from = min(covered_from, first)
        out[i] = aligned
    # a blank cell of an upper row continues the cell at its left (merged across columns)
    for i, aligned in enumerate(out[:-1]):
        for j in range(1, width):
            if not aligned[j].text and aligned[j - 1].text and any(o[j].text for o in out[i + 1:]):
                aligned[j] = replace(aligned[j - 1], carried=True)
    return out


def _compose(header_rows: list[list[Cell]], width: int) -> tuple[list[Cell], list[str]]:
    header, units = [], []
    for j in range(width):
        parts = [r[j] for r in header_rows if r[j].text]
        unit = ""
        words: list[Cell] = []
        for c in parts:
            if _is_unit_cell(c.text):
                u = _stated_unit(c.text)
                unit = u[0] if not u[1] else f"{u[0]}/{u[1]}"
            elif not words or words[-1].text != c.text:
                words.append(c)
        if words:
            text = "".join(c.text for c in words)
            header.append(Cell(text, words[0].start, words[-1].end))
        else:
            pos = parts[0].start if parts else (header_rows[-1][j].start if header_rows else 0)
            header.append(Cell("", pos, pos))
        units.append(unit)
    return header, units


def _profile(rows: list[list[Cell]], width: int) -> list[dict[str, int]]:
    prof: list[dict[str, int]] = [dict() for _ in range(width)]
    for r in rows:
        for j, c in enumerate(r):
            k = _kind(c, j)
            if k != "empty":
                prof[j][k] = prof[j].get(k, 0) + 1
    return prof


def _fit(cells: list[Cell], at: int, prof: list[dict[str, int]]) -> float:
    score = 0.0
    for i, c in enumerate(cells):
        p = prof[at + i]
        total = sum(p.values())
        if total:
            score += p.get(_kind(c, at + i), 0) / total
    return score


def _carry(above: Cell | None, line_start: int, column: int) -> Cell:
    if above is None or not above.text or is_total(above.text) or is_subtotal(above.text) \
            or _kind(above, column) != "text":
        return Cell("", line_start, line_start)
    return replace(above, carried=True)


def _align_body(kind: str, rows: list, width: int, header: list[Cell]) -> list[Row]:
    out: list[Row] = []
    done: list[list[Cell]] = []
    prof = _profile([r[3] for r in rows if len(r[3]) == width], width)
    for start, end, _, cells in rows:
        cells = list(cells)[:width]
        above = done[-1] if done else None
        if len(cells) < width:
            pad = width - len(cells)
            total_first = len(cells) >= 2 and (is_total(cells[0].text) or is_subtotal(cells[0].text))
            if kind == "markdown":
                cells = cells + [Cell("", end, end)] * pad
            elif total_first:       # 合计 spans the label columns; its numbers lie at the right
                cells = [cells[0]] + [replace(cells[0], carried=True)] * pad + cells[1:]
            else:
                right, left = _fit(cells, pad, prof), _fit(cells, 0, prof)
                if right >= left:
                    cells = [_carry(above[j] if above else None, start, j) for j in range(pad)] + cells
                else:
                    cells = cells + [Cell("", end, end)] * pad
        # an empty word cell repeats the one above (merged across rows)
        cells = [(_carry(above[j], start, j) if (not c.text and above) else c) for j, c in enumerate(cells)]
        done.append(cells)
        out.append(Row(tuple(cells), start, end))
    return out


def _caption(text: str, table_start: int) -> tuple[Cell | None, str]:
    """The short line right before a table (and a 单位 line between it and the table)."""
    lines = []
    end = table_start - 1
    while end > 0 and len(lines) < 2:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if not line.strip():
            break
        if _classify(text, start, line) is not None and _classify(text, start, line)[0] != "aligned":
            break
        stripped = line.strip()
        if len(stripped) > MAX_CAPTION or re.search(r"[。；;！？]", stripped):
            break
        lines.insert(0, _cell(text, start, end))
        # a 单位 line: the title may be the line before it
        if not (UNIT_STATED.fullmatch(stripped) or (NOTE.fullmatch(stripped) and UNIT_STATED.search(stripped))):
            break
        end = start - 1
    if not lines:
        return None, ""
    unit = next((u for c in lines if (u := _stated_unit(c.text)) and UNIT_STATED.search(c.text)), None)
    cap = Cell(" ".join(c.text for c in lines), lines[0].start, lines[-1].end)
    return cap, (unit[0] if unit and not unit[1] else f"{unit[0]}/{unit[1]}" if unit else "")


def _table(text: str, kind: str, rows: list) -> Table | None:
    if kind == "aligned":
        return _aligned_table(text, rows)
    real = [r for r in rows if r[2] != "separator"]
    if len(real) < 2:
        return None
    if kind == "markdown" and not any(r[2] == "separator" for r in rows):
        counts = {len(r[3]) for r in real}
        if len(counts) != 1 or min(counts) < 2:
            return None
    header_rows, body = _split_header(kind, rows)
    if not body:
        return None
    width = max(len(r[3]) for r in [*header_rows, *body])
    if width < 2:
        return None
    aligned_header = _align_header(header_rows, width) if header_rows else []
    header, units = _compose(aligned_header, width)
    body_rows = _align_body(kind, body, width, header)
    caption, unit = _caption(text, rows[0][0])
    return Table(rows[0][0], rows[-1][1], kind, caption,
                 tuple(Row(tuple(cells), r[0], r[1]) for cells, r in zip(aligned_header, header_rows)),
                 tuple(header), tuple(units), tuple(body_rows), unit)


def _aligned_table(text: str, rows: list) -> Table | None:
    """The longest stretch of rows with one number of cells (a header may lack the corner cell)
    holding numbers, not prose."""
    best = None
    i = 0
    while i < len(rows):
        width = len(rows[i][3])
        j = i + 1
        while j < len(rows) and len(rows[j][3]) == width:
            j += 1
        # a header row lacking its blank corner cell: one fewer than the rows under it
        if j < len(rows) and j == i + 1 and len(rows[j][3]) == width + 1:
            k = j + 1
            while k < len(rows) and len(rows[k][3]) == width + 1:
                k += 1
            j = k
        group = rows[i:j]
        if len(group) >= 2 and sum(_has_number(r[3]) for r in group) >= 1 and \
                (best is None or len(group) > len(best)):
            best = group
        i = j
    if best is None:
        return None
    header_rows, body = _split_header("aligned", best)
    if not body or not any(_has_number(r[3]) for r in body):
        return None
    width = max(len(r[3]) for r in best)
    if any(len(r[3]) != width for r in body):
        return None
    aligned_header = _align_header(header_rows, width) if header_rows else []
    header, units = _compose(aligned_header, width)
    body_rows = _align_body("aligned", body, width, header)
    caption, unit = _caption(text, best[0][0])
    table = Table(best[0][0], best[-1][1], "aligned", caption,
                  tuple(Row(tuple(cells), r[0], r[1]) for cells, r in zip(aligned_header, header_rows)),
                  tuple(header), tuple(units), tuple(body_rows), unit)
    # spaced-out words ("1.  加强组织领导") are no table: two values, not row numbers, at least
    return table if len(numeric_cells(table)) >= 2 else None


def _restarts(rows: list) -> list[list]:
    """A block split where a new table begins with no line between (two converted HTML tables):
    a second separator line, or a row of words under the columns of numbers of the row before."""
    out: list[list] = [[]]
    seen_separator = False
    for k, r in enumerate(rows):
        current = out[-1]
        if r[2] == "separator":
            if seen_separator and len(current) >= 2:
                out[-1], head = current[:-1], current[-1]
                out.append([head])
            seen_separator = True
            out[-1].append(r)
            continue
        prev = next((x for x in reversed(current) if x[2] != "separator"), None)
        if prev is not None and _has_number(prev[3]) and not _has_number(r[3]):
            numeric = {j for j, c in enumerate(prev[3]) if _is_numeric(c, j, "")}
            if any(j in numeric and HAN_WORD.search(c.text) and not _is_unit_cell(c.text)
                   for j, c in enumerate(r[3])):
                out.append([])
                seen_separator = False
        out[-1].append(r)
    return [x for x in out if x]


def find_tables(text: str) -> list[Table]:
    """The tables of ``text``, in order (see the module docstring)."""
    out = []
    for kind, block in _blocks(text):
        for rows in ([block] if kind == "aligned" else _restarts(block)):
            if len(rows) < 2:
                continue
            t = _table(text, kind, rows)
            if t is not None:
                out.append(t)
    return out


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
                 if j not in skip and c.text and not _is_numeric(c, j, table.header[j].text)]
        labels, label_columns = tuple(c for _, c in words), tuple(j for j, _ in words)
        row_header = labels[0] if labels else None
        for j, c in enumerate(row.cells):
            if j in skip or c.carried or not c.text:
                continue
            head = table.header[j] if j < len(table.header) else None
            if not _is_numeric(c, j, head.text if head else ""):
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
    u = _stated_unit(text) if text and (NOTE.search(text) or UNIT_STATED.search(text)) else None
    if not u:
        return ""
    return u[0] if not u[1] else f"{u[0]}/{u[1]}"

