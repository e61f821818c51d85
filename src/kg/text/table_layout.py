"""The rows of a found table (kg.text.tables) put under its columns: which rows are its header,
each column's header and the unit it states, and the cells a flattened table lost.

A flattened table loses its merged cells: a row of a tab or aligned table with fewer cells
than the table lies under the columns its cells fit best (numbers under numbers, words under
words), and the cells it lacks at its left, like an empty cell of a Markdown row, repeat the
row above's (a cell merged across rows, ``2017年 | 甲镇 | …`` then ``| 乙镇 | …``); an empty
header cell continues the one at its left (a cell merged across columns). A header row of
units alone (``户 | 人 | %``) gives its columns their units.

A block's rows are (line start, line end, kind, cells), as kg.text.tables reads them.
Pure: no I/O; offsets are into the text given.
"""

from __future__ import annotations

from dataclasses import replace

from .table_cells import (Cell, Row, cell_kind, has_number, is_subtotal, is_total, is_unit_cell, stated_unit,
                          units_only)

__all__ = ["split_header", "align_header", "compose_header", "align_body"]


def split_header(kind: str, rows: list) -> tuple[list, list]:
    """(header rows, body rows) of a block's rows [(start, end, kind, cells)]."""
    seps = [i for i, r in enumerate(rows) if r[2] == "separator"]
    if seps and seps[0] >= 1:
        header, body = rows[:seps[0]], [r for r in rows[seps[0] + 1:] if r[2] != "separator"]
    else:
        rows = [r for r in rows if r[2] != "separator"]
        width = max(len(r[3]) for r in rows)
        header = []
        if rows and not has_number(rows[0][3]):
            header = [rows[0]]
            for r in rows[1:3]:
                cells = r[3]
                if has_number(cells) or len(header) + 1 >= len(rows):
                    break
                if units_only(cells) or len(cells) < width or not cells[0].text:
                    header.append(r)
                else:
                    break
        body = rows[len(header):]
    # a row of units alone under the header (户 | 人 | %)
    while body and len(header) < 3 and units_only(body[0][3]) and not has_number(body[0][3]):
        header.append(body[0])
        body = body[1:]
    return header, body


def align_header(rows: list, width: int) -> list[list[Cell]]:
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


def compose_header(header_rows: list[list[Cell]], width: int) -> tuple[list[Cell], list[str]]:
    header, units = [], []
    for j in range(width):
        parts = [r[j] for r in header_rows if r[j].text]
        unit = ""
        words: list[Cell] = []
        for c in parts:
            if is_unit_cell(c.text):
                u = stated_unit(c.text)
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
            k = cell_kind(c, j)
            if k != "empty":
                prof[j][k] = prof[j].get(k, 0) + 1
    return prof


def _fit(cells: list[Cell], at: int, prof: list[dict[str, int]]) -> float:
    score = 0.0
    for i, c in enumerate(cells):
        p = prof[at + i]
        total = sum(p.values())
        if total:
            score += p.get(cell_kind(c, at + i), 0) / total
    return score


def _carry(above: Cell | None, line_start: int, column: int) -> Cell:
    if above is None or not above.text or is_total(above.text) or is_subtotal(above.text) \
            or cell_kind(above, column) != "text":
        return Cell("", line_start, line_start)
    return replace(above, carried=True)


def align_body(kind: str, rows: list, width: int, header: list[Cell]) -> list[Row]:
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
