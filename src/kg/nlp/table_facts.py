"""The facts of a report's tables (found by kg.text.tables, their cells read by kg.text.table_cells),
and their place among the sentences' facts.

:class:`TableFacts` is a mixin of :class:`kg.nlp.facts.FactExtractor`: a cell of words with a
quantity in it is read as a sentence, by the extractor's ``_sentence``, and a place named in a
header is the report's own or a ``PlaceRef`` of its own by the extractor's ``_named``.
"""

from __future__ import annotations

import bisect
import re

from ..facts import Fact, Mention, PeriodRef, PlaceRef
from ..text.modality import target_cue
from ..text.places import find_deictic, find_places
from ..text.segments import Segment, clauses
from ..text.table_cells import (PLACE_HEADER, Table, header_phrase, is_subtotal, is_total, label_time, numeric_cells,
                                place_header_level, strip_notes)
from ..text.timex import find_times
from .open_facts import CUMULATIVE
from .periods import period_of, report_period


class TableFacts:
    TABLE_CHANGE = re.compile(r"增长|增幅|增速|增减|同比|比上年|较上年")
    TABLE_CHANGE_WORDS = re.compile(r"(?:比上年同期|比上年|较上年|同比)?(?:增长|增幅|增速|增减|增加|下降)?(?:率|幅度)?$")
    PROSE_CELL_HAN = 6      # a word cell with a quantity and this many characters is a sentence
    TABLE_LABEL = 16        # a row header is a short label, not prose
    PROSE_MARK = re.compile(r"[，,。；;！？]")

    def table_facts(self, text: str, masked: str, tables: list[Table], quantities, times, places, deictic,
                    doc_place: PlaceRef, doc_year: int | None, sections: list[tuple[int, int, bool]],
                    token_bounds: set[int] | None = None) -> list[Fact]:
        """The facts of the tables (kg.text.tables). A numeric cell is an open fact: what it
        measures is its column's header, after its row's header when that names neither a place
        nor a time (合计/全县 rows are the whole table's, 小计 a subtotal); its place the most
        specific one its row's cells name (a cell under a 乡镇/村 header is a place), else its
        column header's, else the caption's, else the report's; its time one its row's cells, its
        column header or the caption name, else its section's or the report's year; a value of a
        column headed 增长/增幅/同比 … is a change; its provenance is the cell's number. A cell of
        words with a quantity in it ("建成基地300亩") is read as a sentence about its row's place."""
        starts = [x[0] for x in sections]
        found: dict[str, list] = {}

        def places_of(s: str) -> list:
            if s not in found:
                found[s] = find_places(s) if s else []
            return found[s]

        def without_places(s: str) -> str:
            spans = [(p.start, p.end) for p in places_of(s)] + find_deictic(s)
            for a, b in sorted(spans, reverse=True):
                s = s[:a] + s[b:]
            return s.strip(" \u3000：:，,、/")

        def row_context(table: Table, labels, label_columns):
            """(place, time, phrase, subtotal, whole table) the word cells of a row state."""
            place: PlaceRef | None = None
            phrase, said, time, subtotal, whole = "", "", None, False, False
            for j, c in zip(label_columns, labels):
                if is_total(c.text):
                    # 合计 of rows under a header that names a kind of place (深度贫困村) is a figure
                    # of those places together, not of the report's place (under 乡镇 or 村 it is)
                    whole = True
                    kind = category_header(table)
                    if kind and not phrase:
                        phrase, said = kind, kind
                    continue
                if is_subtotal(c.text):
                    subtotal = True
                    continue
                time = time or label_time(c.text)
                level = place_header_level(table.header[j].text)
                name = strip_notes(c.text)
                ps = places_of(c.text)
                if ps:
                    p = ps[-1]
                    place = doc_place if p.name == doc_place.name else \
                        PlaceRef(p.name, p.level, p.parent or (place.name if place else None))
                    rest = header_phrase(without_places(c.text))
                    if level is None and len(rest) >= 2 and not phrase:
                        phrase, said = rest, c.text
                elif find_deictic(c.text) and not without_places(name):
                    place = doc_place
                elif level is not None and re.fullmatch(r"[\u4e00-\u9fff]{2,12}", name):
                    place = doc_place if name == doc_place.name else \
                        PlaceRef(name, level, place.name if place else None)
                elif not phrase and len(c.text) <= self.TABLE_LABEL and not self.PROSE_MARK.search(c.text):
                    phrase, said = header_phrase(c.text), c.text      # prose is no row header
            return place, time, phrase, said, subtotal, whole

        def inside(items, cell, span):
            return [x for x in items if cell.start <= span(x)[0] and span(x)[1] <= cell.end]

        def category_header(table: Table) -> str:
            """The header of the table's most specific place column when it names a kind of
            place, not a level alone: 深度贫困村, 出列村 (not 乡镇, 村, 村名)."""
            kinds = [strip_notes(h.text) for h in table.header if place_header_level(h.text) is not None]
            if not kinds:
                return ""
            h = kinds[-1]
            m = PLACE_HEADER.search(h)
            return h if len(h[:m.start()]) >= 2 else ""

        out: list[Fact] = []
        for table in tables:
            i = bisect.bisect_right(starts, table.start) - 1
            section = sections[i][1:] if i >= 0 and sections[i][1] is not None else None
            caption = table.caption.text if table.caption else ""
            caption_time = next(iter(find_times(caption)), None)
            caption_place = next(iter(places_of(caption)), None)
            contexts: dict[int, tuple] = {}
            for nc in numeric_cells(table):
                if nc.row.start not in contexts:
                    contexts[nc.row.start] = row_context(table, nc.labels, nc.label_columns)
                row_place, row_time, row_phrase, row_said, subtotal, whole = contexts[nc.row.start]
                col = nc.column_header.text if nc.column_header else ""
                said = f"{col} {row_said}"
                change = bool(self.TABLE_CHANGE.search(said))
                col_phrase = header_phrase(without_places(col))
                if change:      # a change is of what its column or row measures ("人均纯收入增长" → 人均纯收入)
                    col_phrase = self.TABLE_CHANGE_WORDS.sub("", col_phrase).strip(" ：:，,、/")
                if row_phrase and col_phrase:
                    phrase = row_phrase if col_phrase in row_phrase else \
                        col_phrase if row_phrase in col_phrase else row_phrase + col_phrase
                else:
                    phrase = row_phrase or col_phrase
                if subtotal and phrase:
                    phrase += "小计"
                if not phrase:
                    continue
                if row_place is not None and not whole:
                    place = row_place
                elif (ps := places_of(col)) and not whole:
                    place = self._named(ps[-1], doc_place)
                elif caption_place is not None:
                    place = self._named(caption_place, doc_place)
                else:
                    place = doc_place
                t = row_time or label_time(col) or caption_time
                if t is not None:
                    period = period_of(t)
                elif section:
                    period = PeriodRef(str(section[0]), f"{section[0]}年", "year", section[0], section[0])
                elif doc_year:
                    period = report_period(doc_year)
                else:
                    continue
                measure = "change" if change else \
                    "cumulative" if CUMULATIVE.search(said) or CUMULATIVE.search(caption) else "level"
                target = bool(section and section[1]) or bool(target_cue(said)) or \
                    bool(doc_year and period.start_year > doc_year)
                q, row = nc.quantity, nc.row
                out.append(Fact(
                    indicator="", breakdown=None, place=place, period=period,
                    value=q.value, unit=q.unit, base_value=q.base_value, base_unit=q.base_unit,
                    qualifier=q.qualifier, kind="target" if target else "actual", per=q.per,
                    value_max=q.value_max, base_value_max=q.base_value_max,
                    mentions=[Mention(q.start, q.end, text[q.start:q.end], row.start, row.end,
                                      text[row.start:row.end])],
                    phrase=phrase, measure=measure,
                ))
            # cells of words with a quantity: sentences about their row's place
            for row in table.rows:
                for c in row.cells:
                    if c.carried or len(re.findall(r"[\u4e00-\u9fff]", strip_notes(c.text))) < self.PROSE_CELL_HAN:
                        continue
                    c_quant = inside(quantities, c, lambda q: (q.start, q.end))
                    if not c_quant or any(q.start == c.start and q.end == c.end for q in c_quant):
                        continue
                    labels = [x for x in row.cells if x.text and x is not c]
                    cols = [k for k, x in enumerate(row.cells) if x.text and x is not c]
                    row_place = row_context(table, labels, cols)[0]
                    seg = Segment(c.start, c.end, masked[c.start:c.end])
                    i = bisect.bisect_right(starts, c.start) - 1
                    out.extend(self._sentence(
                        text, masked, seg, clauses(seg), c_quant, inside(times, c, lambda t: (t.start, t.end)),
                        inside(places, c, lambda p: (p.start, p.end)), inside(deictic, c, lambda d: d),
                        row_place or doc_place, doc_year, token_bounds, [], sections[i][1:] if i >= 0 and sections[i][1] is not None else None))
        out.sort(key=lambda f: f.mentions[0].start)
        return out

    @staticmethod
    def _in_text_order(facts: list[Fact], table_facts: list[Fact]) -> list[Fact]:
        """The sentences' facts with the tables' put in among them where they stand in the text."""
        out: list[Fact] = []
        k = 0
        for f in facts:
            while k < len(table_facts) and table_facts[k].mentions[0].start < f.mentions[0].start:
                out.append(table_facts[k])
                k += 1
            out.append(f)
        out.extend(table_facts[k:])
        return out
