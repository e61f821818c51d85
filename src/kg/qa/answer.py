"""Answering: parsed slots → the facts of one prepared query (read from the catalogue's fact
index) → the facts that answer, or a refusal.

Decisions (see docs/questions.md):

* **actual vs target** — a question with 计划/目标/要/确保 … is answered from target facts,
  any other from actual facts; when only the other kind exists the question is refused and
  the other question is suggested.
* **no period in the question** — one value: it is the answer. Several: the fact whose
  sentence around the number shares clearly more with the question wins; otherwise the
  latest period's value is given, and the other periods are named in the answer. With
  共/累计/一共 and a yearly series but no cumulative statement, the yearly values are summed.
* **a year** — facts of that year (a year-end or month of it only when the year itself has
  none); an undated statement (dated to the report's year) only when the indicator has no
  dated yearly values there. Never another year: no value → refusal.
* **a span (2014年到2017年)** — the sum of the yearly values when every year has one; the
  report's own total for exactly that span when the yearly values are incomplete; a total
  stated elsewhere that equals the sum is quoted as corroboration. Missing years → refusal
  (with several places: those places are named, the others summed).
* **several places or documents** — one answer per place (grouped), each with its evidence;
  a short name of several places (桃源: 桃源县, 桃源镇) → a clarifying refusal; one name in
  reports of several places (太平镇) → told apart by the report's place (石门县太平镇).
* **units** — a unit asked (多少户/几人/多少钱/占比) keeps only facts in that unit (or one
  of its kind: 个 ~ 家 ~ 所); with none asked, every unit is given (1200户、4300人).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from operator import attrgetter
from decimal import Decimal

from ..store import LocalStore
from ..text.segments import sentences
from . import queries as Q
from .catalog import Catalog, get_catalog
from .parse import WEAK_UNITS, Parsed, Reading, TimeSlot, parse_question, place_level, short_name, unit_class
from . import open_answer
from . import entity_answer
from .entity_answer import SentenceIndex, answer_entity
from .open_answer import FLOW_Q, answer_rows, asks_quantity, best_rows
from .retrieve import CHANGE_Q, CUMULATIVE_Q
from .rows import Mention, Row, build_rows, gather_long  # noqa: F401 - Mention, Row: part of this module's API

URBAN_RURAL_Q = re.compile(r"城乡[^，,。？?]*(分别|各是|各为|各有|各多少)")
COUNTRY_Q = re.compile(r"全国|我国|中国(?!科学院|人民|共产党)")
HIGHER_Q = re.compile(r"哪里高|哪个高|哪个更高|哪里更高|谁高|谁更高|哪个多|哪个更多|哪里多|哪个大|哪个更大|更高|更多|更大")
LOWER_Q = re.compile(r"哪里低|哪个低|哪个更低|哪里更低|更低|更少|更小|哪个少")
#: the parser's problems under which a question may still be answered from open observations
OPEN_PROBLEMS = {"no_indicator", "weak_indicator", "unexplained_words", "unknown_place"}

DATED_KINDS = ("year", "year_end", "month", "date", "half_year", "quarter")
KIND_RANK = {"year": 0, "year_end": 1, "month": 2, "date": 2, "half_year": 2, "quarter": 2, "report": 3}


# ------------------------------------------------------------------ rows


def rows_from(result: list[dict], cat: Catalog) -> list[Row]:
    """Observations from the long rows of Q.OBSERVATIONS (one per mention and property)."""
    return build_rows(gather_long(result), cat)


_POS = attrgetter("pos")


def plain_first(rows: list[Row]) -> list[Row]:
    """Totals before their parts: the facts without a breakdown when there are any."""
    plain = [r for r in rows if r.breakdown is None]
    return plain or rows


# ------------------------------------------------------------------ formatting


def fmt_number(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(int(d))
    s = format(d.normalize(), "f")
    return s


def json_number(d: Decimal | None):
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def value_text(row: Row) -> str:
    surface = row.first.surface
    if row.qualifier != "exact" and surface and not row.per and len(surface) <= 16:
        return surface
    return f"{fmt_number(row.value)}{row.unit}"


class Refusal(Exception):
    def __init__(self, message: str, suggestions_for: Reading | None = None):
        super().__init__(message)
        self.message = message
        self.reading = suggestions_for


# ------------------------------------------------------------------ the answerer


class Answerer:
    def __init__(self, store: LocalStore, cat: Catalog, p: Parsed):
        self.store, self.cat, self.p = store, cat, p
        self.sparql: list[str] = []
        self.bindings: list[dict] = []
        self.narrowed = False
        self.notes: list[str] = []
        self._ctx: dict[int, float] = {}         # context scores by id(row) (rows outlive the answer)
        self._grams: set[str] | None = None
        self._labels: dict[tuple, str] = {}

    # ---------------------------------------------------------------- entry
    def run(self) -> dict:
        p = self.p
        if self.separate_places() and not p.problems and (
                p.qtype in ("value", "max", "min") or (p.qtype == "series" and len(p.times) <= 1)):
            return self.per_place()
        if URBAN_RURAL_Q.search(p.text) and not p.problems:
            return self.urban_and_rural()
        if COUNTRY_Q.search(p.text) and not p.places and "全国" not in self.cat.places:
            return self.refusal("图中没有全国的数据（报告的数字是各自地方的，不代替全国）。", p.reading)
        try:
            if "relative_time" in p.problems:
                raise Refusal(f"问题中的“{p.relative_time}”没有参照时间：请写明具体年份（如2017年）。")
            if "unknown_place" in p.problems:
                names = "、".join(dict.fromkeys(p.unknown_places))
                raise Refusal(f"图中没有关于“{names}”的数据。", p.reading)
            if "ambiguous_place" in p.problems:
                return self.ambiguous_place()
            if "query_syntax" in p.problems:
                raise Refusal("这看起来是查询语句而不是问题；请用中文提问（SPARQL 请用 kg query）。")
            if "internal" in " ".join(p.problems):
                raise Refusal("无法理解这个问题。")
            if p.qtype == "list" and p.category and (not p.reading or p.category[1] >= 0.55):
                return self.list_members()
            if "no_indicator" in p.problems or p.reading is None:
                raise Refusal("没有在问题中识别出图中已有的指标。")
            if "weak_indicator" in p.problems or "unexplained_words" in p.problems:
                words = "、".join(w for w in p.unknown_words[:3])
                extra = f"（不认识“{words}”）" if words else ""
                raise Refusal(f"无法确定问的是哪个指标{extra}，不作猜测。", p.reading)
            return self.answer_indicator()
        except Refusal as r:
            if OPEN_PROBLEMS.issuperset(p.problems) and p.qtype in ("value", "list"):
                found = self.answer_open() if asks_quantity(p) else self.answer_which()
                if found is not None:
                    return found
            return self.refusal(r.message, r.reading)

    def separate_places(self) -> list[str]:
        """Two or more places named side by side (新疆和弄岗村, A、B各…), none within another:
        each is asked on its own; [] otherwise."""
        places, cat = self.p.places, self.cat
        if len(places) < 2:
            return []
        text = self.p.text
        for a in places:
            for b in places:
                if a != b and (b in cat.ancestors(a) or a in cat.descendants(b)):
                    return []
                # written together (石门县太平镇): one place named with the one it lies in
                if a != b and any(x + y in text for x in (a, short_name(a)) for y in (b, short_name(b))):
                    return []
        return list(places)

    def urban_and_rural(self) -> dict:
        """城乡…分别/各是多少: the towns' (城镇) and the countryside's (农村) figures, side by side."""
        results = [ask_parsed(q, self.store, self.cat) for q in
                   (self.p.question.replace("城乡", part, 1) for part in ("城镇", "农村"))]
        got = [r for r in results if r["answered"]]
        if not got:
            return results[-1]
        return self.finish(True, "；".join(r["answer"].rstrip("。") for r in got) + "。",
                           [v for r in got for v in r["values"][:1]], [e for r in got for e in r["evidence"]])

    def per_place(self) -> dict:
        """One answer per place named, side by side; 哪里高/哪个更高 names the place of the
        largest (最低/更少: the smallest) first."""
        import copy
        results = []
        for place in self.separate_places():
            q = copy.copy(self.p)
            q.places, q.qtype = [place], "value"
            results.append(Answerer(self.store, self.cat, q).run())
        got = [r for r in results if r["answered"] and r["values"]]
        if not got:
            return results[0]
        values = [v for r in got for v in r["values"][:1]]
        evidence = [e for r in got for e in r["evidence"]]
        answer = "；".join(r["answer"].rstrip("。") for r in got) + "。"
        if HIGHER_Q.search(self.p.text) or LOWER_Q.search(self.p.text):
            numbers = [v for v in values if v.get("base_value") is not None]
            if len(numbers) >= 2 and len({v.get("base_unit") for v in numbers}) == 1:
                pick = (min if LOWER_Q.search(self.p.text) else max)(numbers, key=lambda v: v["base_value"])
                values = [pick] + [v for v in values if v is not pick]
                answer = f"{pick['place']}{'更低' if LOWER_Q.search(self.p.text) else '更高'}。"    # the rest: values
        if len(got) < len(results):
            missing = [pl for pl, r in zip(self.separate_places(), results) if not (r["answered"] and r["values"])]
            answer += f"（图中没有{'、'.join(missing)}的数据）"
        return self.finish(True, answer, values, evidence)

    def answer_which(self) -> dict | None:
        """A which-one question (哪个乡/哪家企业/谁/叫什么/哪些) answered by a name from the best
        matching sentence of the reports (kg.qa.entity_answer); None when none fits."""
        cat = self.cat
        texts = {doc: self.text_of(doc) for doc in cat.reports}
        index = cat.memo.get("sentences")
        if index is None:
            index = cat.memo["sentences"] = SentenceIndex(texts)
        docs = None
        if self.p.places:
            names = {x for pl in self.p.places for x in (pl, short_name(pl)) if len(x) >= 2}
            docs = {d for d, t in texts.items() if any(n in t for n in names)}
        own = [x for pl in cat.report_places() for x in (pl, short_name(pl)) if len(x) >= 2]
        found = answer_entity(self.p.text, own, index, docs)
        if found is None:
            return None
        name, sent, score = found
        place = cat.report_place_of(sent.doc) or ""
        values = [{"label": name, "value": None, "place": place, "doc": sent.doc, "score": round(score, 3)}]
        out = self.finish(True, f"{name}。", values, [self.evidence_item(sent.doc, sent.start, sent.end, sent.text)])
        out["reading"] = {"method": "sentence", "score": round(score, 3), "threshold": entity_answer.THRESHOLD}
        return out

    def answer_open(self) -> dict | None:
        """The best-ranked observation of the whole graph (kg.qa.open_answer), when it clears
        the threshold; None otherwise."""
        ranked, terms = best_rows(self.cat, self.p)
        chosen = answer_rows(ranked)
        if not chosen or chosen[0][0] < open_answer.THRESHOLD:
            return None
        values, parts = [], []
        for s, r in chosen:
            v = self.open_value(r)
            v["score"] = round(s, 3)
            values.append(v)
            target = "计划" if r.kind == "target" else ""
            parts.append(f"{r.period_zh if r.dated else ''}{r.place}{target}{r.phrase}{value_text(r)}")
        out = self.result("；".join(parts) + "。", values, [r for _, r in chosen])
        out["reading"] = {"method": "open", "terms": terms, "phrase": chosen[0][1].phrase,
                          "score": round(chosen[0][0], 3), "threshold": open_answer.THRESHOLD}
        return out

    def open_value(self, r: Row) -> dict:
        concept = self.cat.concept(r.indicator)
        return {
            "value": json_number(r.value), "unit": r.unit, "base_value": json_number(r.base_value),
            "base_unit": r.base_unit, "qualifier": r.qualifier, "place": r.place,
            "period": r.period_zh if r.dated else f"{r.period_zh}（报告未注明）",
            "year": r.start_year if r.single_year else None,
            "indicator": concept.label if concept else r.phrase,
            "indicator_id": concept.slug if concept else r.indicator.rsplit("/indicator/", 1)[-1],
            "breakdown": None, "label": r.phrase, "phrase": r.phrase, "measure": r.measure, "kind": r.kind,
            "per": r.per, "value_max": json_number(r.value_max), "doc": r.doc,
        }

    # ---------------------------------------------------------------- readings → rows
    def answer_indicator(self) -> dict:
        p = self.p
        best = p.readings[0]
        near = [r for r in p.readings[:5] if r.score >= best.score - 1.0]
        first_failure: Refusal | None = None
        for reading in near:
            try:
                rows = self.rows_for(reading)
                return self.dispatch(reading, rows)
            except Refusal as r:
                if first_failure is None:
                    first_failure = r
        raise first_failure or Refusal("图中没有相应的数据。", best)

    def query(self, reading: Reading, area: str | None, period: str | None = None) -> list[Row]:
        """The rows Q.OBSERVATIONS gives for these bindings, read from the catalogue's fact index
        (the query and its bindings are recorded: they reproduce the rows)."""
        bindings = {"ind": reading.indicator.iri}
        if area:
            bindings["area"] = area
        if period:
            bindings["period"] = period
        self.sparql.append(Q.OBSERVATIONS)
        self.bindings.append(bindings)
        if self.cat.index is None:
            return self.of_measure(rows_from(self.store.select(Q.OBSERVATIONS, bindings), self.cat))
        return self.of_measure(self.cat.index.rows(reading.indicator.iri, area, period))

    def of_measure(self, rows: list[Row]) -> list[Row]:
        """The rows of the sort of figure asked: a change (增长了多少) or a level; and, for one
        year's flow (当年/一年里), not a running total (截至…累计)."""
        wants_change = bool(CHANGE_Q.search(self.p.text))
        rows = [r for r in rows if (r.measure == "change") == wants_change]
        if FLOW_Q.search(self.p.text) or (self.p.times and not CUMULATIVE_Q.search(self.p.text)):
            # one year's figure (2019年退出多少贫困村) is not a running total to date (截至2019年底累计…)
            rows = [r for r in rows if r.measure != "cumulative"]
        return rows

    def own_places(self) -> set[str]:
        """我市/全县 in the question: the reports' own places of that level (all when none is)."""
        return set(self.cat.report_places(self.p.deictic_levels - {""}))

    def scoped(self, place: str, rows: list[Row]) -> list[Row]:
        """石门县城关镇: a place named in reports of several places (城关镇) is taken in the
        reports of the place named with it, when one is."""
        cat = self.cat
        owners = cat.shared_places.get(place)
        if not owners:
            return rows
        named = [q for q in self.p.places[:-1] if q in owners or any(q in cat.ancestors(o) for o in owners)]
        if not named:
            return rows
        keep = set()
        for o in owners:
            if o in named or any(q in cat.ancestors(o) for q in named):
                keep.add(o)
        return [r for r in rows if cat.report_place_of(r.doc) in keep]

    def ambiguous_place(self) -> dict:
        """桃源 for 桃源县 and 桃源镇: a clarifying refusal, suggesting the question with each
        full name that the graph can answer."""
        p, cat = self.p, self.cat
        parts, suggestions = [], []
        for surface, labels in p.ambiguous_places:
            parts.append(f"“{surface}”可以指{'、'.join(labels)}")
            if len(suggestions) >= 4:
                continue
            for label in labels:
                q = p.text.replace(surface, label, 1) if surface in p.text else p.question.replace(surface, label, 1)
                back = parse_question(q, cat.vocab)
                if back.ambiguous_places or back.problems:
                    continue
                if Answerer(self.store, cat, back).run()["answered"]:
                    suggestions.append(q)
        message = "；".join(parts) + "，请写明是哪一个（用全称）。"
        return self.finish(False, message, [], [], suggestions[:4])

    def rows_for(self, reading: Reading) -> list[Row]:
        p, cat = self.p, self.cat
        label = self.label(reading)
        stats = cat.indicators.get(reading.indicator.iri)
        if stats is None:
            raise Refusal(f"图中没有“{label}”的数据。", reading)
        # places
        if p.places:
            place = p.places[-1]          # the most specific place named (石门镇柳树村 → 柳树村)
            rows = []
            for area in cat.areas_of(place):            # 贵州省长顺县 is written 长顺县 in its text
                rows += self.query(reading, area)
            rows = self.scoped(place, rows)
            if not rows:
                # a figure of a place within (a county of the province, a village of the county)
                # is not the figure of the place asked: say which places within have one
                within = [sub for sub in cat.descendants(place)
                          if any(area in stats.areas for area in cat.areas_of(sub))]
                if within:
                    written = next((x for x in (place, short_name(place)) if x in p.question), place)
                    raise Refusal(f"图中没有{place}本身的“{label}”数据，只有其中{'、'.join(within[:5])}的"
                                  f"（不以下级地方的数代替）；可问“{p.question.replace(written, within[0], 1)}”。",
                                  reading)
                raise Refusal(f"图中没有{place}“{label}”的数据。", reading)
        else:
            periods = self.narrow_periods(reading)
            if periods is not None:
                rows = [r for iri in periods for r in self.query(reading, None, iri)]
                if not rows:
                    raise self.no_time_refusal(reading, [], next(t for t in p.times if t.single_year))
            else:
                rows = self.query(reading, None)
            if p.deictic and cat.report_places():
                own = self.own_places()
                mine = [r for r in rows if r.place in own]
                rows = mine or rows
        if not rows:
            raise Refusal(f"图中没有“{label}”的数据。", reading)
        # breakdown
        if reading.breakdown is not None:
            split = [r for r in rows if r.breakdown == reading.breakdown.iri]
            if not split:
                # a part named right before an unsplit value (种植林果2万亩，带动贫困户2800户)
                names = reading.breakdown.labels
                split = [r for r in rows if r.breakdown is None and any(
                    any(n in w for n in names) for w in self.windows(r, 40))]
            if not split:
                raise Refusal(f"图中没有“{label}”的数据。", reading)
            rows = split
        # rates
        if not p.per:
            rows = [r for r in rows if not r.per] or ([] if any(r.per for r in rows) else rows)
            if not rows:
                raise Refusal(f"图中“{label}”只有按户/人等计的平均值，请问“每户…多少”。", reading)
        # actual / target
        want = "target" if p.target else "actual"
        kept = [r for r in rows if r.kind == want]
        if not kept:
            other = sorted({r.period_zh for r in rows})
            if want == "actual":
                raise Refusal(f"图中“{label}”只有计划/目标数（{'、'.join(other)}），没有实际完成数；"
                              f"可问“{other[0] if other else ''}计划{label}多少”。", reading)
            raise Refusal(f"图中“{label}”没有计划/目标数，只有实际数。", reading)
        rows = kept
        # unit
        if p.unit and p.unit_strength == "strong":
            exact = [r for r in rows if r.base_unit == p.unit]
            if not exact:
                cls = unit_class(p.unit)
                exact = [r for r in rows if cls and unit_class(r.base_unit) == cls]
            if not exact and p.unit in WEAK_UNITS:
                exact = [r for r in rows if unit_class(r.base_unit) in ("count",)]
            if not exact:
                units = "、".join(sorted({r.unit or r.base_unit for r in rows}))
                raise Refusal(f"图中“{label}”没有以“{p.unit_written or p.unit}”计的数（有：{units}）。", reading)
            rows = exact
        return rows

    def narrow_periods(self, reading: Reading) -> list[str] | None:
        """For a single-value question about one year and no place: the few period IRIs of that
        year holding this indicator, so that the query reads one period of every report
        instead of all of them (None: read all)."""
        p = self.p
        years = [t for t in p.times if t.single_year]
        if p.qtype != "value" or len(p.times) != 1 or not years or p.sum_cue:
            return None
        t = years[0]
        stats = self.cat.indicators.get(reading.indicator.iri)
        if stats is None:
            return None
        codes = {code for code, (s, e, _) in stats.periods.items() if s == e == t.start_year}
        iris = [iri for iri, info in self.cat.period_info.items() if info.code in codes]
        if len(iris) > 4:
            return None
        self.narrowed = True
        return iris

    # ---------------------------------------------------------------- dispatch by type
    def dispatch(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        spans = [t for t in p.times if not t.single_year]
        if p.qtype in ("max", "min"):
            return self.superlative(reading, rows)
        if p.qtype == "diff":
            return self.difference(reading, rows)
        if p.qtype == "series":
            return self.series(reading, rows)
        if p.qtype == "sum" or spans:
            return self.total(reading, plain_first(rows))
        if p.qtype == "list" and reading.breakdown is None and any(r.breakdown for r in rows):
            return self.breakdowns(reading, rows)
        return self.single(reading, rows)

    # ---------------------------------------------------------------- time matching
    def in_time(self, rows: list[Row], t: TimeSlot, reading: Reading) -> list[Row]:
        exact = [r for r in rows if r.period == t.label]
        if t.kind == "year":
            tiers = [
                [r for r in rows if r.single_year and r.start_year == t.start_year and r.period_kind == "year"],
                [r for r in rows if r.single_year and r.start_year == t.start_year and r.period_kind == "year_end"],
                [r for r in rows if r.single_year and r.start_year == t.start_year and r.period_kind in DATED_KINDS],
            ]
        elif t.kind == "year_end":
            tiers = [exact, [r for r in rows if r.single_year and r.start_year == t.start_year and r.period_kind == "year"]]
        elif t.kind == "month":
            tiers = [exact, [r for r in rows if r.period.startswith(t.label + "-")]]
        elif t.kind in ("half_year", "quarter", "date"):
            tiers = [exact]
        else:
            tiers = [exact, [r for r in rows if r.start_year == t.start_year and r.end_year == t.end_year
                             and r.period_kind == t.kind]]
        for tier in tiers:
            if tier:
                return tier
        if t.kind == "year":
            undated = [r for r in rows if r.period_kind == "report" and r.start_year == t.start_year]
            dated_years = {r.start_year for r in rows if r.single_year and r.dated}
            if self.narrowed and undated:
                # only this year was read: ask the catalogue whether other years are dated
                stats = self.cat.indicators.get(reading.indicator.iri)
                dated_years |= {s for code, (s, e, _) in (stats.periods if stats else {}).items()
                                if s == e and s != t.start_year and self.cat.period_kinds.get(code, {"year"}) - {"report"}}
            if undated and not dated_years:
                self.notes.append(f"报告未写明年份，按报告年份{t.start_year}年计")
                return undated
        return []

    def no_time_refusal(self, reading: Reading, rows: list[Row], t: TimeSlot) -> Refusal:
        label = self.label(reading)
        have = sorted({r.period_zh for r in rows if r.dated}, key=lambda z: z)
        stats = self.cat.indicators.get(reading.indicator.iri)
        if self.narrowed and stats:
            want = "target" if self.p.target else "actual"
            have = sorted({stats.periods[c][2] for (pl, c, k, u, b) in stats.cells
                           if k == want and c in stats.periods and self.cat.period_kinds.get(c, {"year"}) - {"report"}})
        extra = f"（有：{'、'.join(have)}）" if have else ""
        return Refusal(f"图中没有{t.zh}“{label}”的数据{extra}，不用其他年份的数代替。", reading)

    # ---------------------------------------------------------------- choosing among facts
    @staticmethod
    def windows(row: Row, before: int = 14, after: int = 6) -> list[str]:
        out = []
        for m in row.mentions:
            if m.sentence and m.sent_start is not None:
                a = m.start - m.sent_start
                out.append(m.sentence[max(0, a - before): a + (m.end - m.start) + after])
        return out

    def context_score(self, row: Row) -> float:
        score = self._ctx.get(id(row))
        if score is not None:
            return score
        c = self.p.content
        if len(c) < 2:
            return 0.0
        grams = self._grams
        if grams is None:
            grams = self._grams = {c[i:i + 2] for i in range(len(c) - 1)}
        best = 0.0
        for window in row.context_windows:
            n = 0
            for g in grams:
                if g in window:
                    n += 1
            if n > best:
                best = n
        score = self._ctx[id(row)] = best - (0.5 if row.qualifier == "range" else 0.0)
        return score

    def pick(self, rows: list[Row], dated_question: bool) -> tuple[list[Row], list[Row]]:
        """The facts that answer (possibly several restating one value), and the ones set aside."""
        if len(rows) == 1:
            return list(rows), []
        distinct: list[list[Row]] = []
        by_value: dict[tuple, list[Row]] = {}
        for r in rows:
            group = by_value.get(r.value_key)
            if group is None:
                group = by_value[r.value_key] = []
                distinct.append(group)
            group.append(r)
        if len(distinct) == 1:
            return distinct[0], []
        scores = [max(self.context_score(r) for r in g) for g in distinct]
        order = sorted(range(len(distinct)), key=lambda i: -scores[i])
        if scores[order[0]] - scores[order[1]] >= 1.5:
            win = distinct[order[0]]
            return win, [r for g in distinct if g is not win for r in g]
        if not dated_question:
            def recency(g):
                r = max(g, key=lambda r: (r.end_year, -KIND_RANK.get(r.period_kind, 2)))
                return (r.end_year, r.dated, -KIND_RANK.get(r.period_kind, 2))
            rec = [recency(g) for g in distinct]
            ranked = sorted(range(len(distinct)), key=lambda i: rec[i], reverse=True)
            if rec[ranked[0]] != rec[ranked[1]]:
                return distinct[ranked[0]], [r for i in ranked[1:] for r in distinct[i]]
            top = [i for i in ranked if rec[i] == rec[ranked[0]]]
            top.sort(key=lambda i: -scores[i])
            chosen = set(top)
            return [r for i in top for r in distinct[i]], [r for i in ranked if i not in chosen for r in distinct[i]]
        return [r for g in distinct for r in g], []

    # ---------------------------------------------------------------- answer types
    def single(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        years = [t for t in p.times if t.single_year]
        if years:
            t = years[0]
            chosen = self.in_time(rows, t, reading)
            if not chosen:
                raise self.no_time_refusal(reading, rows, t)
            rows = chosen
        if reading.breakdown is None and all(r.breakdown for r in rows):
            return self.breakdowns(reading, rows)
        rows = plain_first(rows)
        if years:
            pass
        elif p.sum_cue:
            # 共/累计/一共 without a period: a cumulative statement (a span, "since", undated) if
            # the report makes one, else the sum of the yearly values
            cumulative = [r for r in rows if not r.single_year or not r.dated]
            if cumulative:
                rows = cumulative
            else:
                summed = self.sum_series(reading, rows)
                if summed is not None:
                    return summed
        out_rows: list[Row] = []
        sentences_: list[str] = []
        for place, group in self.by_place(rows).items():
            for unit_rows in self.by_unit(group).values():
                win, rest = self.pick(unit_rows, bool(years))
                out_rows.extend(win)
                if rest and not years:
                    others = sorted({r.period_zh for r in rest if r.period_zh not in {w.period_zh for w in win}})
                    if others:
                        self.notes.append(f"{place}另有{'、'.join(others)}的数值")
        for place, group in self.by_place(out_rows).items():
            sentences_.append(self.describe(reading, group))
        answer = "；".join(sentences_) + "。"
        if self.notes:
            answer += "（" + "；".join(dict.fromkeys(self.notes)) + "）"
        ordered = self.ordered(out_rows)
        return self.result(answer, [self.value(reading, r) for r in ordered], ordered)

    def sum_series(self, reading: Reading, rows: list[Row]) -> dict | None:
        """共/累计 without a period: a yearly series without a stated cumulative value is summed."""
        if any(not r.single_year or not r.dated for r in rows):
            return None
        years = {r.start_year for r in rows}
        if len(years) < 2:
            return None
        return self.total(reading, rows, years=(min(years), max(years)))

    def breakdowns(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        years = [t for t in p.times if t.single_year]
        if years:
            rows = self.in_time(rows, years[0], reading)
            if not rows:
                raise self.no_time_refusal(reading, rows, years[0])
        else:
            latest = max(r.end_year for r in rows)
            rows = [r for r in rows if r.end_year == latest]
        values, parts = [], []
        for r in self.ordered(rows):
            bl = self.cat.concept(r.breakdown).label if r.breakdown and self.cat.concept(r.breakdown) else ""
            v = self.value(reading, r)
            v["label"] = bl
            values.append(v)
            parts.append(f"{bl}{value_text(r)}")
        head = f"{rows[0].period_zh}{rows[0].place}{reading.indicator.label}：" if rows else ""
        return self.result(head + "，".join(parts) + "。", values, rows)

    def total(self, reading: Reading, rows: list[Row], years: tuple[int, int] | None = None) -> dict:
        p = self.p
        label = self.label(reading)
        if years is None:
            spans = [t for t in p.times if not t.single_year]
            singles = [t for t in p.times if t.single_year]
            if spans:
                t = spans[0]
                y1, y2 = t.start_year, t.end_year if t.kind != "since" else max(r.end_year for r in rows)
                wanted = list(range(y1, y2 + 1))
                span_label = f"{y1}年至{y2}年" if t.kind != "since" else f"{y1}年以来"
            elif singles:
                wanted = sorted({t.start_year for t in singles})
                span_label = "、".join(f"{y}年" for y in wanted)
                t = None
            else:
                raise Refusal("请说明要合计的年份。", reading)
        else:
            wanted = list(range(years[0], years[1] + 1))
            span_label = f"{years[0]}年至{years[1]}年"
            t = None
        values, used, sentences_ = [], [], []
        places = self.by_place(rows)
        lacking: list[Refusal] = []
        skipped: list[str] = []
        for place, group in places.items():
            for unit, urows in self.by_unit(group).items():
                per_year: dict[int, Row] = {}
                for y in wanted:
                    cands = [r for r in urows if r.single_year and r.dated and r.start_year == y]
                    cands.sort(key=lambda r: KIND_RANK.get(r.period_kind, 2))
                    if cands:
                        win, _ = self.pick([c for c in cands if KIND_RANK.get(c.period_kind, 2) == KIND_RANK.get(cands[0].period_kind, 2)], True)
                        per_year[y] = win[0]
                stated = [r for r in urows if not r.single_year and (r.start_year, r.end_year) == (wanted[0], wanted[-1])]
                missing = [y for y in wanted if y not in per_year]
                if missing and not stated:
                    if years is not None:
                        continue
                    have = "、".join(f"{y}年" for y in sorted(per_year)) or "无"
                    refusal = Refusal(f"图中{place}缺少{'、'.join(f'{y}年' for y in missing)}的“{label}”数据"
                                      f"（有：{have}），无法合计{span_label}。", reading)
                    if len(places) == 1:
                        raise refusal
                    lacking.append(refusal)        # several places: the others are still summed
                    if place not in skipped:
                        skipped.append(place)
                    continue
                if missing:
                    r = stated[0]
                    values.append(self.value(reading, r))
                    used.append(r)
                    sentences_.append(f"{span_label}{place}{label}{value_text(r)}（报告所述合计）")
                    continue
                parts = [per_year[y] for y in wanted]
                total_base = sum((r.base_value for r in parts), Decimal(0))
                same_unit = len({r.unit for r in parts}) == 1
                total_val = sum((r.value for r in parts), Decimal(0)) if same_unit else total_base
                shown_unit = parts[0].unit if same_unit else parts[0].base_unit
                approx = any(r.qualifier != "exact" for r in parts)
                v = {
                    "value": json_number(total_val), "unit": shown_unit, "base_value": json_number(total_base),
                    "base_unit": parts[0].base_unit, "qualifier": "approximate" if approx else "exact",
                    "place": place, "period": span_label, "indicator": reading.indicator.label,
                    "indicator_id": reading.indicator.slug, "label": "合计", "kind": parts[0].kind,
                    "parts": [self.value(reading, r) for r in parts],
                }
                values.append(v)
                used.extend(parts)
                detail = "+".join(f"{fmt_number(r.value)}" for r in parts)
                text = f"{span_label}{place}{'计划' if parts[0].kind == 'target' else ''}{label}合计{'约' if approx else ''}{fmt_number(total_val)}{shown_unit}（{detail}）"
                corroborating = [r for r in urows if r not in parts and r.base_value == total_base and not r.single_year or
                                 (r not in parts and r.base_value == total_base and r.period_kind == "report")]
                if corroborating:
                    text += f"，与报告所述{value_text(corroborating[0])}一致"
                    used.append(corroborating[0])
                if stated and stated[0].base_value != total_base:
                    text += f"；报告另述合计为{value_text(stated[0])}"
                    used.append(stated[0])
                sentences_.append(text)
        if not values:
            if lacking:
                raise lacking[0]
            raise Refusal(f"图中没有可合计的“{label}”数据。", reading)
        answer = "；".join(sentences_) + "。"
        if skipped:
            shown = "、".join(skipped[:3]) + (f"等{len(skipped)}个地方" if len(skipped) > 3 else "")
            answer += f"（{shown}缺少其中某些年份的数据，未合计）"
        return self.result(answer, values, used)

    def series(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        rows = plain_first(rows)
        label = self.label(reading)
        spans = [t for t in p.times if not t.single_year]
        singles = {t.start_year for t in p.times if t.single_year}
        dated = [r for r in rows if r.single_year and r.dated]
        if spans:
            t = spans[0]
            dated = [r for r in dated if t.start_year <= r.start_year <= (t.end_year if t.kind != "since" else 9999)]
        if singles:
            dated = [r for r in dated if r.start_year in singles]
        if not dated:
            raise Refusal(f"图中没有按年份给出的“{label}”数据。", reading)
        values, used, texts = [], [], []
        for place, group in self.by_place(dated).items():
            for unit, urows in self.by_unit(group).items():
                parts = []
                for y in sorted({r.start_year for r in urows}):
                    cands = sorted([r for r in urows if r.start_year == y], key=lambda r: KIND_RANK.get(r.period_kind, 2))
                    best_rank = KIND_RANK.get(cands[0].period_kind, 2)
                    win, _ = self.pick([c for c in cands if KIND_RANK.get(c.period_kind, 2) == best_rank], True)
                    r = win[0]
                    values.append(self.value(reading, r))
                    used.append(r)
                    parts.append(f"{r.period_zh}{value_text(r)}")
                texts.append(f"{place}{label}：" + "，".join(parts))
        if singles:
            missing = sorted(singles - {r.start_year for r in used})
            if missing:
                texts.append("（图中没有" + "、".join(f"{y}年" for y in missing) + "的数据）")
        return self.result("；".join(texts) + "。", values, used)

    def superlative(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        label = self.label(reading)
        biggest = p.qtype == "max"
        word = "最多" if biggest else "最少"
        spans = [t for t in p.times if not t.single_year]
        singles = [t for t in p.times if t.single_year]
        if p.rank_over == "breakdown" or (reading.breakdown is None and rows and all(r.breakdown for r in rows)):
            split = [r for r in rows if r.breakdown]
            if not split:
                raise Refusal(f"图中“{label}”没有分项数据，无法比较。", reading)
            if singles:
                split = self.in_time(split, singles[0], reading)
            else:
                latest = max(r.end_year for r in split)
                split = [r for r in split if r.end_year == latest]
            if not split:
                raise self.no_time_refusal(reading, rows, singles[0])
            unit, urows = next(iter(self.by_unit(split).items()))
            ranked = sorted(urows, key=lambda r: r.base_value, reverse=biggest)
            top = ranked[0]
            name = self.breakdown_label(top)
            answer = f"{top.period_zh}{top.place}{label}{word}的是{name}（{value_text(top)}）。"
            return self.result(answer, [self.value(reading, r) for r in ranked], ranked)
        if p.rank_over == "place":
            rows = plain_first(rows)
            if p.rank_levels:                 # 哪个县: the counties only
                rows = [r for r in rows if place_level(r.place, self.cat.places.get(r.place)) in p.rank_levels]
                if not rows:
                    levels = "、".join(sorted(p.rank_levels))
                    raise Refusal(f"图中没有按{levels}给出的“{label}”数据，无法比较。", reading)
            if singles:
                rows = [r for r in rows if r in self.in_time(rows, singles[0], reading)]
            units = self.by_unit(rows)
            unit, urows = next(iter(units.items()))
            best_per_place = {}
            for place, group in self.by_place(urows).items():
                win, _ = self.pick(group, bool(singles))
                best_per_place[place] = win[0]
            ranked = sorted(best_per_place.values(), key=lambda r: r.base_value, reverse=biggest)
            if not ranked:
                raise Refusal(f"图中没有可比较的“{label}”数据。", reading)
            top = ranked[0]
            answer = f"{label}{word}的是{top.place}（{top.period_zh}{value_text(top)}）"
            if len(ranked) == 1:
                answer += "；图中只有这一个地方的数据"
            return self.result(answer + "。", [self.value(reading, r) for r in ranked], ranked)
        dated = [r for r in plain_first(rows) if r.single_year and r.dated]
        if spans:
            t = spans[0]
            dated = [r for r in dated if t.start_year <= r.start_year <= (t.end_year if t.kind != "since" else 9999)]
        if not dated:
            raise Refusal(f"图中没有按年份给出的“{label}”数据，无法比较年份。", reading)
        values, used, texts = [], [], []
        for place, group in self.by_place(dated).items():
            units = self.by_unit(group)
            unit, urows = next(iter(units.items()))
            per_year = {}
            for y in sorted({r.start_year for r in urows}):
                cands = sorted([r for r in urows if r.start_year == y], key=lambda r: KIND_RANK.get(r.period_kind, 2))
                per_year[y] = cands[0]
            ranked = sorted(per_year.values(), key=lambda r: (r.base_value, -r.start_year if biggest else r.start_year), reverse=biggest)
            top = ranked[0]
            ties = [r for r in ranked if r.base_value == top.base_value]
            years_txt = "、".join(f"{r.start_year}年" for r in ties)
            text = f"{place}{label}{word}的是{years_txt}（{value_text(top)}）"
            for other_unit, orows in list(units.items())[1:]:
                oy = {}
                for r in orows:
                    oy.setdefault(r.start_year, r)
                if oy:
                    oranked = sorted(oy.values(), key=lambda r: r.base_value, reverse=biggest)
                    if oranked[0].start_year == top.start_year:
                        text += f"，按{other_unit}计也是{oranked[0].start_year}年（{value_text(oranked[0])}）"
                    else:
                        text += f"；按{other_unit}计则是{oranked[0].start_year}年（{value_text(oranked[0])}）"
            if len(ranked) == 1:
                text += "；图中只有这一年的数据"
            texts.append(text)
            values.extend(self.value(reading, r) for r in ranked)
            used.extend(ranked)
        return self.result("；".join(texts) + "。", values, used)

    def difference(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        rows = plain_first(rows)
        label = self.label(reading)
        ys = []
        for t in p.times:
            if t.single_year and t.label not in [x.label for x in ys]:
                ys.append(t)
        a, b = ys[0], ys[1]
        values, used, texts = [], [], []
        for place, group in self.by_place(rows).items():
            for unit, urows in self.by_unit(group).items():
                ra, rb = self.in_time(urows, a, reading), self.in_time(urows, b, reading)
                if not ra or not rb:
                    continue
                ra, rb = self.pick(ra, True)[0][0], self.pick(rb, True)[0][0]
                diff_base = ra.base_value - rb.base_value
                same_unit = ra.unit == rb.unit
                diff_val = (ra.value - rb.value) if same_unit else diff_base
                shown = ra.unit if same_unit else ra.base_unit
                if p.direction == "less":
                    diff_base, diff_val = -diff_base, -diff_val
                elif p.direction == "abs":
                    diff_base, diff_val = abs(diff_base), abs(diff_val)
                real = ra.base_value - rb.base_value
                word = "多" if real > 0 else "少" if real < 0 else "持平"
                amount = fmt_number(abs(ra.value - rb.value) if same_unit else abs(real))
                text = (f"{place}{a.zh}{label}{value_text(ra)}，{b.zh}{value_text(rb)}，"
                        + (f"{a.zh}比{b.zh}{word}{amount}{shown}" if real != 0 else "两年持平"))
                values.append({
                    "value": json_number(diff_val), "unit": shown, "base_value": json_number(diff_base),
                    "base_unit": ra.base_unit, "qualifier": "exact", "place": place,
                    "period": f"{a.zh}比{b.zh}", "indicator": reading.indicator.label,
                    "indicator_id": reading.indicator.slug, "label": "差值", "kind": ra.kind,
                    "parts": [self.value(reading, ra), self.value(reading, rb)],
                })
                used.extend([ra, rb])
                texts.append(text)
        if not values:
            have = sorted({r.period_zh for r in rows if r.dated})
            raise Refusal(f"图中没有{a.zh}和{b.zh}两年都有的“{label}”数据（有：{'、'.join(have)}），无法比较。", reading)
        return self.result("；".join(texts) + "。", values, used)

    # ---------------------------------------------------------------- lists of category members
    def list_members(self) -> dict:
        p, cat = self.p, self.cat
        label = p.category[0]
        iri = cat.categories[label]
        self.sparql.append(Q.CATEGORY_MEMBERS)
        self.bindings.append({"cat": iri})
        members = self.store.select(Q.CATEGORY_MEMBERS, {"cat": iri})
        mentions = self.store.select(Q.CATEGORY_MENTIONS, {"cat": iri})
        docs = {m["doc"] for m in mentions if m["doc"]} | {m["doc"] for m in members if m["doc"]}
        if p.places or p.deictic:
            wanted = set(p.places) if p.places else self.own_places()
            ok = set()
            for d in docs:
                rp = cat.reports.get(d).place if d in cat.reports else None
                if rp and (rp in wanted or any(w in cat.descendants(rp) for w in wanted)):
                    ok.add(d)
            if not ok:
                raise Refusal(f"图中没有{'、'.join(wanted)}的“{label}”。")
            docs = ok
        # one list per report place (the members each report names)
        report_place = {d: (cat.reports[d].place or "") if d in cat.reports else "" for d in docs}
        places_named = sorted(set(report_place.values()))
        names: "OrderedDict[str, list[str]]" = OrderedDict()
        for m in members:
            if m["doc"] is None or m["doc"] in docs:
                if m["doc"] is not None:
                    where = report_place[m["doc"]]
                else:
                    where = places_named[0] if len(places_named) == 1 else ""
                group = names.setdefault(where, [])
                if m["memberLabel"] not in group:
                    group.append(m["memberLabel"])
        if not names:
            raise Refusal(f"图中没有“{label}”的成员。")
        evidence = []
        for m in sorted(mentions, key=lambda m: (m["doc"], m["start"])):
            if m["doc"] in docs:
                evidence.append(self.evidence_item(m["doc"], int(m["start"]), int(m["end"])))
        if not evidence:
            for m in members:
                if m["doc"] in docs and m["start"] is not None:
                    evidence.append(self.evidence_item(m["doc"], int(m["start"]), int(m["end"])))
        if len(names) == 1:
            # one list: under every place of the reports naming it
            place = "、".join(p_ for p_ in places_named if p_)
            names = OrderedDict([(place, next(iter(names.values())))])
        order = sorted(names, key=lambda x: (x not in cat.own, x))
        values = [{"value": None, "unit": None, "base_value": None, "base_unit": None, "qualifier": None,
                   "place": where, "period": None, "indicator": label, "label": n}
                  for where in order for n in names[where]]
        answer = "；".join(f"{where}{label}有：{'、'.join(names[where])}" for where in order) + "。"
        return self.finish(True, answer, values, evidence)

    # ---------------------------------------------------------------- helpers
    def label(self, reading: Reading) -> str:
        if not reading.breakdown:
            return reading.indicator.label
        b, i = reading.breakdown.label, reading.indicator.label
        if i in b or "%" in reading.indicator.units or "percent" in reading.indicator.units:
            return b
        return b + i

    def label_of(self, reading: Reading) -> str:
        key = reading.key
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = self.label(reading)
        return label

    def breakdown_label(self, row: Row) -> str:
        c = self.cat.concept(row.breakdown) if row.breakdown else None
        return c.label if c else (row.breakdown or "")

    def by_place(self, rows: list[Row]) -> "dict[str, list[Row]]":
        """Rows by place: the reports' own places first, by name (as in ordered()), then the
        other places in document order; each place's rows in document order."""
        own = self.cat.own
        groups: dict[str, list[Row]] = {}
        for r in rows:
            g = groups.get(r.place)
            if g is None:
                groups[r.place] = [r]
            else:
                g.append(r)
        for g in groups.values():
            if len(g) > 1:
                g.sort(key=_POS)              # document order (doc, first mention)
        if len(groups) == 1:
            return groups
        order = sorted(groups.items(), key=lambda kv: (kv[0] not in own, kv[0] if kv[0] in own else "",
                                                       kv[1][0].doc, kv[1][0].first.start))
        return dict(order)

    def unit_order(self, units: list[str]) -> list[str]:
        p = self.p
        pref = ["人", "户", "个", "家", "元", "%"]

        def key(u):
            if p.unit and u == p.unit:
                return (0, 0)
            if p.unit and unit_class(u) == unit_class(p.unit):
                return (1, 0)
            return (2, pref.index(u) if u in pref else len(pref))
        return sorted(units, key=key)

    def by_unit(self, rows: list[Row]) -> "dict[str, list[Row]]":
        groups: dict[str, list[Row]] = {}
        for r in rows:
            groups.setdefault(r.base_unit, []).append(r)
        if len(groups) == 1:
            return groups
        out: "OrderedDict[str, list[Row]]" = OrderedDict()
        for u in self.unit_order(list(groups)):
            out[u] = groups[u]
        return out

    def ordered(self, rows: list[Row]) -> list[Row]:
        order = {u: i for i, u in enumerate(self.unit_order(list({r.base_unit for r in rows})))}
        own = self.cat.own
        return sorted(rows, key=lambda r: (r.place not in own, r.place, order.get(r.base_unit, 9), r.start_year, r.first.start))

    def describe(self, reading: Reading, rows: list[Row]) -> str:
        if len(rows) == 1:
            r = rows[0]
            return (f"{r.period_zh if r.dated else ''}{r.place}{'计划' if r.kind == 'target' else ''}"
                    f"{self.label_of(reading)}{value_text(r)}")
        rows = self.ordered(rows)
        by_period: "OrderedDict[str, list[Row]]" = OrderedDict()
        for r in rows:
            by_period.setdefault(r.period_zh if r.dated else "", []).append(r)
        parts = []
        for period, group in by_period.items():
            seen, vals = set(), []
            for r in group:
                key = (r.base_value, r.base_unit)
                if key in seen:
                    continue
                seen.add(key)
                vals.append(value_text(r))
            target = "计划" if group[0].kind == "target" else ""
            parts.append(f"{period}{group[0].place}{target}{self.label_of(reading)}{'、'.join(vals)}")
        return "；".join(parts)

    def value(self, reading: Reading, r: Row) -> dict:
        bl = None
        if r.breakdown:
            c = self.cat.concept(r.breakdown)
            bl = c.label if c else r.breakdown
        return {
            "value": json_number(r.value), "unit": r.unit, "base_value": json_number(r.base_value),
            "base_unit": r.base_unit, "qualifier": r.qualifier, "place": r.place,
            "period": r.period_zh if r.dated else f"{r.period_zh}（报告未注明）",
            "year": r.start_year if r.single_year else None,
            "indicator": reading.indicator.label, "indicator_id": reading.indicator.slug,
            "breakdown": bl, "label": bl or reading.indicator.label, "kind": r.kind,
            "per": r.per, "value_max": json_number(r.value_max), "doc": r.doc,
        }

    def text_of(self, doc: str) -> str:
        if doc not in self.cat.texts:
            rep = self.cat.reports.get(doc)
            rows = self.store.select(Q.REPORT_TEXT, {"report": rep.iri}) if rep else []
            self.cat.texts[doc] = rows[0]["text"] if rows else ""
        return self.cat.texts[doc]

    def evidence_item(self, doc: str, start: int, end: int, sentence: str | None = None) -> dict:
        if not sentence:
            text = self.text_of(doc)
            sentence = ""
            if text:
                for s in sentences(text):
                    if s.start <= start < s.end:
                        sentence = s.text
                        break
        return {"doc": doc, "sentence": sentence, "start": start, "end": end}

    def result(self, answer: str, values: list[dict], rows: list[Row]) -> dict:
        evidence, seen = [], set()
        for r in rows:
            for m in r.mentions:
                key = (r.doc, m.start, m.end)
                if key in seen:
                    continue
                seen.add(key)
                evidence.append(self.evidence_item(r.doc, m.start, m.end, m.sentence))
        return self.finish(True, answer, values, evidence)

    def finish(self, answered: bool, answer: str, values: list[dict], evidence: list[dict],
               suggestions: list[str] | None = None) -> dict:
        return {
            "question": self.p.question, "answered": answered, "answer": answer, "values": values,
            "evidence": evidence, "sparql": self.sparql[-1] if self.sparql else None,
            "bindings": self.bindings[-1] if self.bindings else None,
            "suggestions": suggestions or [], "type": self.p.qtype, "slots": self.p.slots(),
        }

    def refusal(self, message: str, reading: Reading | None) -> dict:
        from .suggest import suggestions
        return self.finish(False, message, [], [], suggestions(self.cat, self.p, reading))


# ------------------------------------------------------------------ entry point


def ask_parsed(question: str, store: LocalStore, cat: Catalog) -> dict:
    """The answer to ``question`` from an already built catalogue (for questions asked in parts)."""
    return Answerer(store, cat, parse_question(question, cat.vocab)).run()


def ask(question: str, store: LocalStore, trace: list | None = None) -> dict:
    """Answer one Chinese question from the graph in ``store``: a dict (see docs/questions.md).

    ``trace``, a list, receives the (query, bindings) of every prepared query whose rows the
    answer was made of (read from the fact index: running them gives the same rows)."""
    q = question if isinstance(question, str) else str(question)
    try:
        cat = get_catalog(store)
    except Exception as e:  # noqa: BLE001
        return {"question": q, "answered": False, "answer": f"无法读取图：{type(e).__name__}。", "values": [],
                "evidence": [], "sparql": None, "bindings": None, "suggestions": [], "type": None, "slots": {}}
    p = parse_question(q, cat.vocab)
    answerer = Answerer(store, cat, p)
    try:
        return answerer.run()
    except Exception as e:  # noqa: BLE001 - never an exception for a question
        a = Answerer(store, cat, p)
        out = a.finish(False, f"无法回答这个问题（{type(e).__name__}）。", [], [], [])
        return out
    finally:
        if trace is not None:
            trace.extend(zip(answerer.sparql, answerer.bindings))
