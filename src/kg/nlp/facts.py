"""From a report's text to observations: indicator + quantity + time + place (+ breakdown).

The rules, all general:
- a sentence is split into clauses; a time, a named place and a plan/target cue stated in a
  clause carry over to the clauses after it in the same sentence;
- a quantity takes the indicator whose label (from the ontology lexicon) stands right after
  it ("建成9个扶贫车间") or, failing that, nearest before it in the clause ("退出贫困村8个"),
  among indicators measured in the quantity's base unit;
- a breakdown label (因病致贫) gives the indicator it splits, with the breakdown;
- 我市/全县/本区 and facts with no named place are about the report's own place; a fact
  with no time is dated to the report's year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..facts import Fact, Mention, PeriodRef, PlaceRef, merge_restatements
from ..lexicon import Lexicon, Term
from ..text.modality import target_cue
from ..text.places import find_deictic, find_places
from ..text.quantities import Quantity, find_quantities
from ..text.segments import Segment, clauses, sentences
from ..text.timex import TimeExpr, find_times
from ..text.units import UNITS
from .mask import mask_titles

AFTER_GAP = 6          # characters allowed between a quantity and the noun it counts
ACHIEVED = re.compile(r"已|目前|现已|已经|完成了|实现了")


@dataclass(frozen=True)
class Context:
    place: PlaceRef
    year: int | None


def _unit_slug(q: Quantity) -> str | None:
    unit = UNITS.get(q.base_unit)
    return unit.slug if unit else None


def period_of(t: TimeExpr) -> PeriodRef:
    return PeriodRef(t.label, t.zh, t.kind, t.start_year, t.end_year)


def report_period(year: int) -> PeriodRef:
    return PeriodRef(str(year), f"{year}年", "report", year, year)


class FactExtractor:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def terms(self, text: str, start: int, end: int, bounds: set[int] | None) -> list[tuple[int, int, Term]]:
        out = []
        for s, e, term in self.lexicon.find(text[start:end]):
            s, e = s + start, e + start
            if bounds is not None and len(term.text) < 3 and not (s in bounds and e in bounds):
                continue
            out.append((s, e, term))
        return out

    def indicator_for(self, q: Quantity, terms, quantities) -> Term | None:
        slug = _unit_slug(q)
        if slug is None:
            return None
        fits = [(s, e, t) for s, e, t in terms if slug in t.concept.units]
        if not fits:
            return None
        next_q = min((o.start for o in quantities if o.start >= q.end), default=10**9)
        after = [x for x in fits if q.end <= x[0] <= q.end + AFTER_GAP and x[0] < next_q]
        if after:
            return min(after, key=lambda x: x[0])[2]
        before = [x for x in fits if x[1] <= q.start]
        if before:
            return max(before, key=lambda x: x[1])[2]
        return None

    def extract(self, text: str, doc_place: PlaceRef, doc_year: int | None,
                token_bounds: set[int] | None = None) -> list[Fact]:
        """Facts of ``text``, finding its quantities, times and places on the way."""
        masked = mask_titles(text)
        return self.extract_found(text, masked, find_quantities(masked), find_times(masked), find_places(masked),
                                  find_deictic(masked), doc_place, doc_year, token_bounds)

    def extract_found(self, text, masked, quantities, times, places, deictic, doc_place: PlaceRef,
                      doc_year: int | None, token_bounds: set[int] | None = None) -> list[Fact]:
        """Facts from quantities, times and places already found in ``masked`` (see kg.nlp.mask)."""
        facts: list[Fact] = []
        for sent in sentences(masked):
            facts.extend(self._sentence(text, masked, sent, quantities, times, places, deictic,
                                        doc_place, doc_year, token_bounds))
        return merge_restatements(facts)

    def _sentence(self, text, masked, sent: Segment, quantities, times, places, deictic,
                  doc_place, doc_year, bounds) -> list[Fact]:
        out: list[Fact] = []
        period: PeriodRef | None = None
        place = doc_place
        target = False
        for clause in clauses(sent):
            cs, ce = clause.start, clause.end
            c_quant = [q for q in quantities if cs <= q.start and q.end <= ce]
            c_times = [t for t in times if cs <= t.start and t.end <= ce]
            c_places = [p for p in places if cs <= p.start and p.end <= ce]
            c_deictic = [d for d in deictic if cs <= d[0] and d[1] <= ce]
            cue = target_cue(masked[cs:ce])
            if cue:
                target = True
            elif c_times or ACHIEVED.search(masked[cs:ce]):
                target = False
            terms = self.terms(masked, cs, ce, bounds) if c_quant else []
            for q in c_quant:
                term = self.indicator_for(q, terms, c_quant)
                if term is None:
                    continue
                t_before = [t for t in c_times if t.end <= q.start]
                q_period = period_of(t_before[-1]) if t_before else period
                if q_period is None:
                    t_after = [t for t in c_times if t.start >= q.end]
                    q_period = period_of(t_after[0]) if t_after else (report_period(doc_year) if doc_year else None)
                if q_period is None:
                    continue
                p_before = [p for p in c_places if p.end <= q.start]
                d_before = [d for d in c_deictic if d[1] <= q.start]
                q_place = place
                if p_before and (not d_before or p_before[-1].end > d_before[-1][1]):
                    p = p_before[-1]
                    q_place = doc_place if p.name == doc_place.name else PlaceRef(p.name, p.level, p.parent)
                elif d_before:
                    q_place = doc_place
                concept = term.concept
                indicator, breakdown = (concept.indicator, concept.iri) if concept.kind == "breakdown" else (concept.iri, None)
                is_target = target or (q_period.start_year > doc_year if doc_year else False)
                sentence_text = text[sent.start:sent.end]
                out.append(Fact(
                    indicator=indicator, breakdown=breakdown, place=q_place, period=q_period,
                    value=q.value, unit=q.unit, base_value=q.base_value, base_unit=q.base_unit,
                    qualifier=q.qualifier, kind="target" if is_target else "actual", per=q.per,
                    value_max=q.value_max, base_value_max=q.base_value_max,
                    mentions=[Mention(q.start, q.end, text[q.start:q.end], sent.start, sent.end, sentence_text)],
                ))
            if c_times:
                period = period_of(c_times[-1])
            if c_places or c_deictic:
                last_p = c_places[-1].end if c_places else -1
                last_d = c_deictic[-1][1] if c_deictic else -1
                if last_p > last_d:
                    p = c_places[-1]
                    place = doc_place if p.name == doc_place.name else PlaceRef(p.name, p.level, p.parent)
                else:
                    place = doc_place
        return out
