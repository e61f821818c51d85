"""Tables in report text, found: their cells, headers and caption, with character offsets.

:func:`find_tables` recognises three layouts, one table per block of consecutive lines:

* Markdown pipe tables (what the HTML converter makes of an HTML ``<table>``): rows
  ``| a | b |``, a ``|---|---|`` separator after the header; without a separator the leading
  rows with no number are the header;
* tab-separated blocks (a table copied out of a page or a spreadsheet) of two or more lines
  with two or more cells;
* whitespace-aligned blocks: cells separated by two or more spaces (or an ideographic space),
  two or more rows with the same number of cells, holding numbers, none of them prose.

A block's rows are put under the table's columns, merged cells filled in, by
kg.text.table_layout; the tables' data model and the reading of their cells (numbers, units,
headers, :func:`~kg.text.table_cells.numeric_cells`) are kg.text.table_cells.

Pure: no I/O; offsets are into the text given.
"""

from __future__ import annotations

import re

from .table_cells import (NOTE, UNIT_STATED, Cell, Row, Table, has_number, is_numeric, is_unit_cell, numeric_cells,
                          stated_unit)
from .table_layout import align_body, align_header, compose_header, split_header

__all__ = ["find_tables"]

TAB = re.compile("\t")
SEPARATOR_CELL = re.compile(r"\s*:?-{1,}:?\s*")
ALIGNED_SPLIT = re.compile(r"(?: {2,}|[ \u3000]*\u3000[ \u3000]*)")
PROSE_END = re.compile(r"[。！？!?；;]$")
HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2}")
MAX_ALIGNED_CELL = 30
MAX_CAPTION = 60


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
    if not body or ALIGNED_SPLIT.search(body) is None:    # one cell (a line of prose): no row
        return None
    lead = start + len(line) - len(line.lstrip())
    cells = _split_cells(text, lead, body, ALIGNED_SPLIT)
    if len(cells) >= 2 and all(c.text and len(c.text) <= MAX_ALIGNED_CELL and not PROSE_END.search(c.text)
                               for c in cells):
        return "aligned", cells
    return None


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
    unit = next((u for c in lines if (u := stated_unit(c.text)) and UNIT_STATED.search(c.text)), None)
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
    header_rows, body = split_header(kind, rows)
    if not body:
        return None
    width = max(len(r[3]) for r in [*header_rows, *body])
    if width < 2:
        return None
    aligned_header = align_header(header_rows, width) if header_rows else []
    header, units = compose_header(aligned_header, width)
    body_rows = align_body(kind, body, width, header)
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
        if len(group) >= 2 and sum(has_number(r[3]) for r in group) >= 1 and \
                (best is None or len(group) > len(best)):
            best = group
        i = j
    if best is None:
        return None
    header_rows, body = split_header("aligned", best)
    if not body or not any(has_number(r[3]) for r in body):
        return None
    width = max(len(r[3]) for r in best)
    if any(len(r[3]) != width for r in body):
        return None
    aligned_header = align_header(header_rows, width) if header_rows else []
    header, units = compose_header(aligned_header, width)
    body_rows = align_body("aligned", body, width, header)
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
        if prev is not None and has_number(prev[3]) and not has_number(r[3]):
            numeric = {j for j, c in enumerate(prev[3]) if is_numeric(c, j, "")}
            if any(j in numeric and HAN_WORD.search(c.text) and not is_unit_cell(c.text)
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
