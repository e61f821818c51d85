"""Which-one questions answered from the reports' tables (kg.text.tables): a table lists things by
row, and a question may name a row and ask for one of its cells ("表2中桃源镇的产业示范建议项目
是什么"), ask for a whole column ("表1列出了哪些乡镇"), or name a cell and ask which row it is
in ("哪个乡镇的建议项目是油茶产业扶贫示范").

A table answers only when the question is about it: the question names it (表1) or shares at
least ``MIN_SHARED`` of its words (bigrams, IDF-free) with the table's caption and headers.
Pure: the texts come in, the answer goes out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.table_cells import Table, strip_notes
from ..text.tables import find_tables
from .row_text import bigrams
from .words import pattern

TABLE_NAMED = pattern("table-named")
LIST_Q = pattern("table-list")
WHICH_Q = pattern("table-which")
#: the share of the question's words a table's caption and headers must hold
MIN_SHARED = 0.5


@dataclass
class TableAnswer:
    doc: str
    names: list[str]        # one name, or a column's names for a list question
    start: int              # offsets of the cells answered, in the doc's text
    end: int
    score: float


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[\s0-9.,%，．\-]*", text))


def word_columns(table: Table) -> list[int]:
    """Columns whose body cells are mostly words (not numbers, not row numbers)."""
    out = []
    for j in range(table.width):
        cells = [r.cells[j].text for r in table.rows if j < len(r.cells) and r.cells[j].text]
        if cells and sum(not _numeric(c) for c in cells) >= 0.8 * len(cells):
            out.append(j)
    return out


def about(table: Table, question: str, terms: list[str]) -> float:
    """How much the question is about this table: 1 when it names it by number (表1) and the
    caption has that number, else the share of its words found in the caption and headers."""
    caption = table.caption.text if table.caption else ""
    named = TABLE_NAMED.search(question)
    if named and TABLE_NAMED.search(caption) and TABLE_NAMED.search(caption).group(1) == named.group(1):
        return 1.0
    said = caption + " " + " ".join(c.text for c in table.header)
    return sum(g in said for g in terms) / len(terms) if terms else 0.0


def answer_from_table(question: str, terms: list[str], doc: str, table: Table) -> TableAnswer | None:
    score = about(table, question, terms)
    if score < MIN_SHARED:
        return None
    cols = word_columns(table)
    if len(cols) < 2:
        return None
    headers = [strip_notes(table.header[j].text) if j < len(table.header) else "" for j in range(table.width)]
    # a whole column: 哪些乡镇 → the column headed 乡镇
    if LIST_Q.search(question):
        named = [j for j in cols if headers[j] and headers[j] in question]
        if len(named) == 1:
            j = named[0]
            cells = [r.cells[j] for r in table.rows if j < len(r.cells) and r.cells[j].text and not r.cells[j].carried]
            if cells:
                return TableAnswer(doc, [c.text for c in cells], cells[0].start, cells[-1].end, score)
        return None
    # the row the question names, and the cell of the column it asks for
    for row in table.rows:
        named = [j for j in cols if j < len(row.cells) and len(row.cells[j].text) >= 2 and row.cells[j].text in question]
        if len(named) != 1:
            continue
        others = [j for j in cols if j not in named and j < len(row.cells) and row.cells[j].text
                  and row.cells[j].text not in question]
        if not others:
            continue
        j = max(others, key=lambda k: (sum(g in question for g in bigrams(headers[k])), -k))
        cell = row.cells[j]
        return TableAnswer(doc, [cell.text], cell.start, cell.end, score)
    # which row holds a cell the question quotes: 哪个乡镇的建议项目是油茶产业扶贫示范
    which = WHICH_Q.search(question)
    if which:
        asked = [j for j in cols if which.group(1) and which.group(1) in headers[j]]
        for row in table.rows:
            for j in cols:
                cell = row.cells[j] if j < len(row.cells) else None
                if cell is None or j in asked or len(cell.text) < 4:
                    continue
                grams = bigrams(cell.text)
                inner = [g for g in grams if g in question]
                if grams and len(inner) >= 0.6 * len(grams) and asked:
                    k = asked[0]
                    if k < len(row.cells) and row.cells[k].text:
                        c = row.cells[k]
                        return TableAnswer(doc, [c.text], c.start, c.end, score)
    return None


def answer_from_tables(question: str, terms: list[str], texts: dict[str, str],
                       tables: dict[str, list[Table]] | None = None) -> TableAnswer | None:
    """The best table answer over the reports' texts (``tables``: a cache, doc → its tables)."""
    best: TableAnswer | None = None
    for doc, text in texts.items():
        if tables is not None:
            found = tables.get(doc)
            if found is None:
                found = tables[doc] = find_tables(text)
        else:
            found = find_tables(text)
        for table in found:
            a = answer_from_table(question, terms, doc, table)
            if a is not None and (best is None or a.score > best.score):
                best = a
    return best
