"""From a report's text to observations: indicator + quantity + time + place (+ breakdown).

The rules, all general:
- a sentence is split into clauses; a time opening a clause ("2017年底,…"), a named place and a
  plan/target cue carry over to the clauses after it in the same sentence;
- a quantity takes the indicator whose label (from the ontology lexicon) counts it right after
  it ("建成9个扶贫车间"), else the nearest label before it in the clause ("退出贫困村8个"),
  else a label further on ("为18000名贫困人口购买人身意外险"); one count before an enumeration
  of labels states one fact per label ("55个贫困村全部实现通村公路硬化、通客车、…"); only
  indicators measured in the quantity's base unit qualify;
- "N个X分别/各新建1个Y" counts N of Y; "每…一个" alone is a rule, not a fact;
- a breakdown label (因病致贫) gives the indicator it splits; a breakdown named earlier in the
  sentence, or in the paragraph's topic phrase ("在金融扶贫方面"), applies to later facts of
  the indicator it splits;
- a time, place or cue stated inside （…） holds inside it only;
- 我市/全县/本区 and facts with no named place are about the report's own place; a fact with
  no time is dated to the report's year, unless it is the sum of yearly values stated in the
  report, which dates it to their span.

This module holds those sentence rules (:class:`FactExtractor`); the phrases of what quantities
measure and the open facts are kg.nlp.open_facts, periods kg.nlp.periods, sentences and year
headings kg.nlp.sections, and the tables' facts kg.nlp.table_facts (a mixin of the extractor).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from ..facts import Fact, Mention, PeriodRef, PlaceRef, merge_restatements
from ..lexicon import Concept, Lexicon
from ..text.measure import RATIO_UNITS
from ..text.modality import past_deadline, target_cue
from ..text.places import find_deictic, find_places
from ..text.quantities import Quantity, find_quantities
from ..text.reltime import with_contextual_times
from ..text.segments import Segment, clauses, sentences
from ..text.tables import find_tables
from ..text.timex import find_times
from ..text.units import SCALES, UNITS, units_flagged
from .mask import mask_titles
from .open_facts import (CUMULATIVE, DIGIT, NO_SEPARATOR, clause_measures, contradicts, joined_concepts,
                         open_worthy)
from .periods import date_cumulative_totals, period_of, report_period
from .sections import group_by_sentence, join_broken_lines, section_years
from .table_facts import TableFacts

AFTER_GAP = 6          # characters allowed between a quantity and the noun it counts
ACHIEVED = re.compile(r"已|目前|现已|已经|完成了|实现了")
# a time opening its clause ("2017年底,共有…") is the topic of what follows in the sentence;
# a time inside a clause ("…和2016年人均年纯收入…") is local to it
TOPIC_LEAD = re.compile(r"\s*(?:在|于|从|自|到|截至|截止|至|其中|确保|力争|争取|计划|预计|要)?\s*[“\"]?")
ENUM_GAP = re.compile(r"[^，,；;。：:]{0,8}")
DISTRIBUTIVE = re.compile(r"(分别|各|均|都|至少|每)[^，,；;]{0,6}$")
PER_UNIT_RULE = re.compile(r"(每|各|均|分别)[^，,；;]{0,8}$")
TOPIC_RE = re.compile(r"\s*(?:在|从|就)?([\u4e00-\u9fff]{2,10}?)(?:方面|领域|工作上|上)\s*$")
OWN_NUMBER_GAP = 2          # "2014年的21.5%": the number right after 的
COUNTERS = units_flagged("count-before-de")   # measure words that count a noun
MODIFIES_LATER = re.compile(r"(?:、[^，,；;。、的]{1,12})*的")
LOCAL_DEICTIC = re.compile(r"(?:全|该|本|此)(?:村|镇|乡)|村里|村民|村集体|镇里|乡里")


class FactExtractor(TableFacts):
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.money_only = {"yuan"}

    # ------------------------------------------------------------------ labels
    def terms(self, text: str, start: int, end: int, bounds: set[int] | None):
        out = []
        for s, e, term in self.lexicon.find(text[start:end], overlapping=True):
            s, e = s + start, e + start
            if bounds is not None and len(term.text) < 3 and not (s in bounds and e in bounds):
                continue
            out.append((s, e, term.concept))
        return out

    @staticmethod
    def implicit_unit(masked: str, q: Quantity) -> Quantity:
        """"0.6万贫困人口" / "1.2万贫困户": a bare 万/亿 counting persons or households."""
        if q.unit not in SCALES or q.base_unit:
            return q
        m = re.match(r"(?:建档立卡)?(?:贫困|农村|搬迁|脱贫)?(人口|人|户|群众)", masked[q.end:q.end + 8])
        if not m:
            return q
        return replace(q, base_unit="户" if m.group(1) == "户" else "人")

    def _fits(self, q: Quantity, concept: Concept) -> bool:
        unit = UNITS.get(q.base_unit)
        if unit is not None and q.base_unit:
            return unit.slug in concept.units
        # a bare 万/亿 ("再投入900万") is money when the indicator is measured in money only
        return q.unit in SCALES and concept.units == self.money_only

    def concepts_for(self, masked: str, q: Quantity, terms, quantities, clause_end: int) -> list[Concept]:
        fits = [x for x in terms if self._fits(q, x[2])]
        if not fits:
            return []
        digit = DIGIT.search(masked, q.start, q.end)
        num_start = digit.start() if digit else q.start
        next_q = min((o.start for o in quantities if o.start >= q.end), default=10**9)
        near = [x for x in fits if q.end <= x[0] <= q.end + AFTER_GAP and x[0] < next_q
                and NO_SEPARATOR.fullmatch(masked[q.end:x[0]])]
        if near:
            return [min(near, key=lambda x: x[0])[2]]
        # "深度贫困村3-4个、一般贫困村至少2个的企业帮扶": the numbers count the noun after 的
        modifier = MODIFIES_LATER.match(masked, q.end, clause_end) if q.base_unit in COUNTERS else None
        if modifier:
            later = [x for x in fits if x[0] >= modifier.end()]
            return [min(later, key=lambda x: x[0])[2]] if later else []
        before = [x for x in fits if x[1] <= num_start]
        if before:
            end = max(x[1] for x in before)
            return [x[2] for x in before if x[1] == end][:1]
        same_unit_next = min((o.start for o in quantities if o.start >= q.end and o.base_unit == q.base_unit),
                             default=10**9)
        after = sorted((x for x in fits if x[0] >= q.end and x[0] < same_unit_next), key=lambda x: x[0])
        if not after:
            return []
        group = [after[0]]
        for x in after[1:]:
            gap = masked[group[-1][1]:x[0]]
            if x[0] >= group[-1][1] and ENUM_GAP.fullmatch(gap) and ("、" in gap or gap == ""):
                group.append(x)
            elif x[0] >= group[-1][1]:
                break
        return list(dict.fromkeys(x[2] for x in group))

    # ------------------------------------------------------------------ documents
    def extract(self, text: str, doc_place: PlaceRef, doc_year: int | None,
                token_bounds: set[int] | None = None) -> list[Fact]:
        """Facts of ``text``, finding its quantities, times and places on the way."""
        masked = mask_titles(text)
        return self.extract_found(text, masked, find_quantities(masked), find_times(masked), find_places(masked),
                                  find_deictic(masked), doc_place, doc_year, token_bounds)

    def extract_found(self, text, masked, quantities, times, places, deictic, doc_place: PlaceRef,
                      doc_year: int | None, token_bounds: set[int] | None = None) -> list[Fact]:
        """Facts from quantities, times and places already found in ``masked`` (see kg.nlp.mask).
        Times given by reference (去年, 当年底: kg.text.reltime) are resolved here."""
        times = with_contextual_times(masked, times, doc_year)
        facts: list[Fact] = []
        topic: list[Concept] = []
        paragraph_end = -1
        sents = join_broken_lines(masked, sentences(masked))
        s_quant = group_by_sentence(sents, quantities, lambda q: (q.start, q.end))
        s_times = group_by_sentence(sents, times, lambda t: (t.start, t.end))
        s_places = group_by_sentence(sents, places, lambda p: (p.start, p.end))
        s_deictic = group_by_sentence(sents, deictic, lambda d: d)
        tables = find_tables(text)
        spans = [(t.start, t.end) for t in tables]
        # a table's lines are no headings and no sentences: its cells are read by their headers
        sections = [x for x in section_years(masked, times) if not any(a <= x[0] < b for a, b in spans)]
        starts = [x[0] for x in sections]
        last_local: dict[str, PlaceRef] = {}    # the last village / town / township named, by level
        for k, sent in enumerate(sents):
            for p in s_places[k - 1] if k else ():
                if p.level in ("村", "镇", "乡") and p.name != doc_place.name:
                    last_local[p.level] = PlaceRef(p.name, p.level, p.parent)
            if sent.start > paragraph_end:
                nl = masked.find("\n", sent.end)
                paragraph_end = len(masked) if nl < 0 else nl
                topic = []
            s_clauses = clauses(sent)
            first = s_clauses[0] if sent.text else None
            if first is not None and len(s_clauses) > 1:
                m = TOPIC_RE.fullmatch(masked[first.start:first.end])
                if m:
                    topic = self.topic_breakdowns(m.group(1))
            if "\t" in sent.text:      # a flattened table row: its columns carry the meaning, not its words
                continue
            if any(sent.start < b and a < sent.end for a, b in spans):     # read as a table below
                continue
            if not s_quant[k]:         # no quantity, no fact (nothing a sentence sets up outlives it)
                continue
            i = bisect.bisect_right(starts, sent.start) - 1
            section = sections[i][1:] if i >= 0 and sections[i][1] is not None else None
            # 全村/村里/该镇 with no place named before it: the last village (town) named before
            m = LOCAL_DEICTIC.search(masked, sent.start, sent.end)
            local = None
            if m and not any(p.end <= m.start() for p in s_places[k]):
                level = "村" if "村" in m.group() else m.group()[-1] if m.group()[-1] in "镇乡" else "村"
                local = last_local.get(level)
            facts.extend(self._sentence(text, masked, sent, s_clauses, s_quant[k], s_times[k], s_places[k],
                                        s_deictic[k], local or doc_place, doc_year, token_bounds, topic, section,
                                        doc_place if local else None))
        if tables:
            facts = self._in_text_order(facts, self.table_facts(text, masked, tables, quantities, times, places, deictic,
                                                                doc_place, doc_year, sections, token_bounds))
        return date_cumulative_totals(merge_restatements(facts))

    def topic_breakdowns(self, phrase: str) -> list[Concept]:
        """Breakdown concepts a paragraph's topic phrase names (在光伏扶贫方面 → 光伏分红 …)."""
        return [c for c in self.lexicon.breakdowns.values()
                if any(phrase in label or (len(label) >= 2 and label in phrase) for label in c.labels)]

    def _sentence(self, text, masked, sent: Segment, s_clauses: list[Segment], s_quant, s_times, s_places,
                  s_deictic, doc_place, doc_year, bounds, topic: list[Concept],
                  section: tuple[int, bool] | None = None, report_place: PlaceRef | None = None) -> list[Fact]:
        """Facts of one sentence, from its clauses and the quantities, times, places and deictics in it.
        ``doc_place`` is the place of what the sentence says without naming one (the report's place,
        or the village its 全村 means); ``report_place`` the report's own (我市), when they differ."""
        own = report_place or doc_place
        out: list[Fact] = []
        period: PeriodRef | None = None
        place = doc_place
        target = bool(section and section[1])     # under a plan's heading, a target unless said achieved
        seen_breakdowns: list[Concept] = []
        openers = {t for c in s_clauses for t in s_times
                   if c.start <= t.start and t.end <= c.end and TOPIC_LEAD.fullmatch(masked[c.start:t.start])}
        embedded = [t for t in s_times if t not in openers]
        saved: list[tuple] = []     # outer context while inside （…）
        last_phrase = ""            # what the sentence's last quantity measured (a bare change is of it)
        last_phrases: list[str] = []    # what the quantities of the last clause with quantities measured
        depth = 0
        # the clauses after the last one holding a quantity cannot add a fact
        last = max((k for k, c in enumerate(s_clauses) if any(c.start <= q.start and q.end <= c.end for q in s_quant)),
                   default=-1)
        for k, clause in enumerate(s_clauses[:last + 1]):
            cs, ce = clause.start, clause.end
            before = masked[sent.start:cs]
            new_depth = before.count("（") + before.count("(") - before.count("）") - before.count(")")
            while new_depth > depth:
                saved.append((period, place, target))
                depth += 1
            while new_depth < depth and saved:
                period, place, target = saved.pop()
                depth -= 1
            depth = new_depth
            c_quant = [q for q in s_quant if cs <= q.start and q.end <= ce]
            c_times = [t for t in s_times if cs <= t.start and t.end <= ce]
            # a place listed as a member ("A村、B村等5个贫困村") is what is counted, not the area
            c_places = [p for p in s_places if cs <= p.start and p.end <= ce and masked[p.end:p.end + 1] not in ("、", "等")]
            c_deictic = [d for d in s_deictic if cs <= d[0] and d[1] <= ce]
            opening = [t for t in c_times if t in openers and ("年" in t.surface or t.kind == "plan_period")]
            cue = target_cue(masked[cs:ce])
            if cue and past_deadline(cue, doc_year):
                cue = None              # 提高到2006年的2100元, in a report of 2017: history, not a plan
            clause_target = target
            if cue:
                clause_target = True
            elif opening or ACHIEVED.search(masked[cs:ce]):
                clause_target = False
            target = clause_target
            terms = self.terms(masked, cs, ce, bounds)
            used: set[str] = set()
            c_quant = [self.implicit_unit(masked, q) for q in c_quant]
            joined = joined_concepts(masked, c_quant, terms, ce, self._fits)
            measures = clause_measures(masked, clause, c_quant, c_times, c_places, c_deictic, last_phrase,
                                       last_phrases)
            if CUMULATIVE.search(masked, sent.start, cs):    # "累计…，…25个贫困县摘帽": a running total too
                ratios = {q.start for q in c_quant if q.base_unit in RATIO_UNITS}    # a rate is no total
                measures = {k: replace(v, measure="cumulative") if v.measure == "level" and k not in ratios else v
                            for k, v in measures.items()}
            for q in c_quant:
                value_from = self._distributed_over(masked, q, c_quant)
                if value_from is False:
                    continue
                m = measures[q.start]
                concepts = [] if m.measure == "change" else \
                    [c for c in joined.get(q.start) or self.concepts_for(masked, q, terms, c_quant, ce)
                     if not contradicts(m.phrase, c)]
                # a quantity closing its clause with no label looks ahead ("投入900多万元,建成9个扶贫车间");
                # one followed by its own noun ("38个贫困村") does not
                if not concepts and q.end == ce and m.measure != "change" \
                        and not any(self._fits(q, c) for _, _, c in terms):
                    concepts = self._in_later_clause(masked, q, s_clauses[k + 1:], s_quant, bounds)
                if not concepts:
                    if not open_worthy(q, m):
                        continue
                    concepts = [None]        # an open fact: known by what it measures
                q_period = self._period(q, c_times, embedded, period, doc_year, masked, section)
                if q_period is None:
                    continue
                q_place = self._place(q, c_places, c_deictic, place, own)
                is_target = clause_target or (q_period.start_year > doc_year if doc_year else False)
                earlier = [c for s, e, c in terms if c.kind == "breakdown" and e <= q.start] + seen_breakdowns
                for concept in concepts:
                    if concept is None:
                        indicator, breakdown = "", None
                    else:
                        indicator, breakdown = ((concept.indicator, concept.iri) if concept.kind == "breakdown"
                                                else (concept.iri, None))
                    if breakdown is None and concept is not None:
                        breakdown = next((c.iri for c in [*reversed(earlier), *topic] if c.indicator == indicator), None)
                    if breakdown:
                        used.add(breakdown)
                    source = value_from or q
                    out.append(Fact(
                        indicator=indicator, breakdown=breakdown, place=q_place, period=q_period,
                        value=source.value, unit=source.unit, base_value=source.base_value,
                        base_unit=source.base_unit or ("元" if q.unit in SCALES else ""),
                        qualifier="lower_bound" if value_from and "至少" in masked[value_from.end:q.start]
                        else source.qualifier,
                        kind="target" if is_target else "actual", per=None if value_from else q.per,
                        value_max=source.value_max, base_value_max=source.base_value_max,
                        mentions=[Mention(source.start, q.end,
                                          text[source.start:q.end], sent.start, sent.end, text[sent.start:sent.end])],
                        phrase=m.phrase or (concept.label if concept is not None else ""),
                        measure=m.measure, subject=m.subject,
                    ))
                    last_phrase = out[-1].phrase or last_phrase
            if c_quant:
                last_phrases = [measures[q.start].phrase for q in c_quant]
            # a breakdown named for a fact of this clause does not spread to parallel clauses
            seen_breakdowns.extend(c for s, e, c in terms if c.kind == "breakdown" and c.iri not in used)
            if masked[ce:ce + 1] in ("；", ";"):     # a semicolon starts a parallel statement
                seen_breakdowns = []
            if opening:
                period = period_of(opening[-1])
            if c_places or c_deictic:
                last_p = c_places[-1].end if c_places else -1
                last_d = c_deictic[-1][1] if c_deictic else -1
                if last_p > last_d:
                    place = self._named(c_places[-1], own)
                else:
                    place = own
        return out

    def _in_later_clause(self, masked, q, later: list[Segment], quantities, bounds) -> list[Concept]:
        """A clause with a quantity but no label for it: "投入900多万元,建成9个扶贫车间"."""
        for c in later[:2]:
            if c.start > 0 and masked[c.start - 1] in "（(":
                return []
            c_quant = [o for o in quantities if c.start <= o.start and o.end <= c.end]
            if any(o.base_unit == q.base_unit for o in c_quant):
                return []
            fits = [x for x in self.terms(masked, c.start, c.end, bounds) if self._fits(q, x[2])]
            if fits:
                return [min(fits, key=lambda x: x[0])[2]]
        return []

    # ------------------------------------------------------------------ slots
    @staticmethod
    def _distributed_over(masked: str, q: Quantity, c_quant: list[Quantity]):
        """For "N个X分别新建1个Y": the quantity N; False for a bare one-per-unit rule; else None."""
        if q.value != 1 or q.qualifier != "exact":
            return None
        prev = [o for o in c_quant if o.end <= q.start and o.base_unit == q.base_unit]
        between = masked[prev[-1].end:q.start] if prev else ""
        if prev and DISTRIBUTIVE.search(between):
            return prev[-1]
        lead = masked[max(0, q.start - 12):q.start]
        if PER_UNIT_RULE.search(lead) or re.match(r"[一]", q.surface):
            return False
        return None

    @staticmethod
    def _period(q, c_times, embedded, period, doc_year, masked, section=None) -> PeriodRef | None:
        # "由2014年的21.5%下降到1.31%": a time joined by 的 to a number dates that number only
        t_before = [t for t in c_times if t.end <= q.start
                    and not (masked[t.end:t.end + 1] == "的" and q.start > t.end + 1 + OWN_NUMBER_GAP)]
        if t_before:
            return period_of(t_before[-1])
        if period is not None:
            return period
        # no time yet: a time stated later inside the sentence (not opening a clause) dates the event
        later = [t for t in embedded if t.start >= q.end]
        if later:
            return period_of(later[0])
        if section:
            y = section[0]
            return PeriodRef(str(y), f"{y}年", "year", y, y)
        return report_period(doc_year) if doc_year else None

    def _place(self, q, c_places, c_deictic, place, doc_place) -> PlaceRef:
        p_before = [p for p in c_places if p.end <= q.start]
        d_before = [d for d in c_deictic if d[1] <= q.start]
        if p_before and (not d_before or p_before[-1].end > d_before[-1][1]):
            return self._named(p_before[-1], doc_place)
        if d_before:
            return doc_place
        return place

    @staticmethod
    def _named(p, doc_place: PlaceRef) -> PlaceRef:
        return doc_place if p.name == doc_place.name else PlaceRef(p.name, p.level, p.parent)
