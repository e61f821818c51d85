"""Answering: parsed slots → the facts of one prepared query (read from the catalogue's fact
index) → the facts that answer, or a refusal.

This module is the entry: :func:`ask`, and :class:`Answerer`, whose ``run`` is the refusal flow
(what the parser could not read; the open-world answers when the lexicon has no indicator),
``rows_for`` the facts of a reading (place, breakdown, rate, actual or target, unit) and
``dispatch`` the choice of the question type. The rest is in:

* kg.qa.types — one module per question type (single value, totals, series, superlative,
  difference, breakdowns, lists, several places and 城乡, open-world);
* kg.qa.choose — choosing among facts: the time asked, the value that answers;
* kg.qa.render — numbers, value dicts, sentences, evidence, the answer dict;
* kg.qa.refusal — the :class:`Refusal` they raise.

Decisions (see docs/questions.md), and where each is made:

* **actual vs target** — a question with 计划/目标/要/确保 … is answered from target facts,
  any other from actual facts; when only the other kind exists the question is refused and
  the other question is suggested (``rows_for``, here).
* **no period in the question** — one value: it is the answer. Several: the fact whose
  sentence around the number shares clearly more with the question wins; otherwise the
  latest period's value is given, and the other periods are named in the answer. With
  共/累计/一共 and a yearly series but no cumulative statement, the yearly values are summed
  (kg.qa.types.single; ``pick`` in kg.qa.choose).
* **a year** — facts of that year (a year-end or month of it only when the year itself has
  none); an undated statement (dated to the report's year) only when the indicator has no
  dated yearly values there. Never another year: no value → refusal (``in_time`` in
  kg.qa.choose).
* **a span (2014年到2017年)** — the sum of the yearly values when every year has one; the
  report's own total for exactly that span when the yearly values are incomplete; a total
  stated elsewhere that equals the sum is quoted as corroboration. Missing years → refusal
  (with several places: those places are named, the others summed) (kg.qa.types.totals).
* **several places or documents** — one answer per place (grouped), each with its evidence
  (kg.qa.types.places); a short name of several places (桃源: 桃源县, 桃源镇) → a clarifying
  refusal (``ambiguous_place``, here); one name in reports of several places (太平镇) → told
  apart by the report's place (石门县太平镇: ``scoped``, here).
* **units** — a unit asked (多少户/几人/多少钱/占比) keeps only facts in that unit (or one
  of its kind: 个 ~ 家 ~ 所); with none asked, every unit is given (1200户、4300人)
  (``rows_for``, here; the order of units: kg.qa.render).

``best_rows`` and ``answer_entity`` (the open-world rankers) are looked up in this module when
a question is asked: bench/bench_ask.py times them by patching ``kg.qa.answer.best_rows`` and
``kg.qa.answer.answer_entity``.
"""

from __future__ import annotations

from ..store import LocalStore
from . import queries as Q
from .catalog import Catalog, get_catalog
from .choose import plain_first
from .entity_answer import answer_entity
from .open_answer import FLOW_Q, asks_quantity, best_rows, reaches, unknown_places_named
from .parse import WEAK_UNITS, Parsed, Reading, parse_question, short_name, unit_class
from .refusal import Refusal
from .render import fmt_number, json_number, value_text  # noqa: F401 - fmt_number …: part of this module's API
from .retrieve import CHANGE_Q, CUMULATIVE_Q
from .rows import Mention, Row, build_rows, gather_long  # noqa: F401 - Mention, Row: part of this module's API
from .types.compound import Compounds
from .types.difference import Difference
from .types.lists import Lists
from .types.open_world import OpenWorld
from .types.places import URBAN_RURAL_Q, SeveralPlaces
from .types.series import Series
from .types.single import SingleValue
from .types.superlative import Superlative
from .words import pattern

#: 哪一年…达到8000元: the time of a value the question gives
WHEN_Q = pattern("when")
COUNTRY_Q = pattern("country")
#: a lexicon answer whose facts match the question's words less than this (kg.qa.retrieve's
#: score, 0…1) gives way to an open answer that clears the open threshold
LEXICON_FLOOR = 0.2
#: the facts of a lexicon answer whose match is weighed (the first: those the answer shows first)
LEXICON_SAMPLE = 10
#: …or that an open answer beats by this much
OPEN_MARGIN = 0.5
#: the parser's problems under which a question may still be answered from open observations
OPEN_PROBLEMS = {"no_indicator", "weak_indicator", "unexplained_words", "unknown_place"}


def rows_from(result: list[dict], cat: Catalog) -> list[Row]:
    """Observations from the long rows of Q.OBSERVATIONS (one per mention and property)."""
    return build_rows(gather_long(result), cat)


# ------------------------------------------------------------------ the answerer


class Answerer(SingleValue, Series, Superlative, Difference, Lists, SeveralPlaces, OpenWorld, Compounds):
    """One question's answer: ``Answerer(store, cat, parsed).run()`` → the answer dict.

    The question types' methods come from the classes of kg.qa.types (and their bases
    kg.qa.choose.Choose and kg.qa.render.Render); this class holds the state they share and
    the steps common to all: the refusal flow, the facts of a reading, the dispatch."""

    def __init__(self, store: LocalStore, cat: Catalog, p: Parsed, offset: int = 0):
        self.store, self.cat, self.p = store, cat, p
        self.offset = max(0, int(offset or 0))      # the first place of a long answer's page
        self.paged: tuple[int, int] | None = None
        self.disagreeing: list[Row] = []            # facts of other reports that disagree
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
        if not p.problems or OPEN_PROBLEMS.issuperset(p.problems):
            several = self.answer_compound()
            if several is not None:
                return several
            if WHEN_Q.search(p.text):
                when = self.answer_when()       # 哪一年达到8000元: the time of a value given
                if when is not None:
                    return when
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
            out = self.answer_indicator()
            return self.open_instead() or self.with_reading(out)
        except Refusal as r:
            if OPEN_PROBLEMS.issuperset(p.problems) and p.qtype in ("value", "list"):
                # the rankers by this module's names, looked up now (bench/bench_ask.py patches them)
                if asks_quantity(p):
                    found = self.answer_open(best_rows)
                else:
                    found = self.answer_which(answer_entity)
                if found is not None:
                    return found
            return self.refusal(r.message, r.reading)

    def with_reading(self, out: dict) -> dict:
        """The reading a lexicon answer chose: its indicator (and breakdown), and how well its
        first facts match the question's words (kg.qa.retrieve's score)."""
        used = getattr(self, "used_rows", None)
        if out.get("answered") and "reading" not in out and self.p.reading is not None:
            r = self.p.reading
            out["reading"] = {"method": "lexicon", "indicator": r.indicator.slug,
                              "breakdown": r.breakdown.slug if r.breakdown else None,
                              "score": round(max((self.meaning(x) for x in used[:LEXICON_SAMPLE]), default=0.0), 3)
                              if used else None}
        return out

    def open_instead(self) -> dict | None:
        """A value the lexicon's reading found whose sentence hardly says what the question asks
        (its meaning score under ``LEXICON_FLOOR``), when an observation of the whole graph
        clears the open threshold: that one answers (2018年全部脱贫的建档立卡贫困户有多少户 is not
        answered with another place's 贫困人口超过10户以上)."""
        p = self.p
        used = getattr(self, "used_rows", None)
        if p.qtype != "value" or p.sum_cue or not used or not asks_quantity(p):
            return None
        lexicon = max(self.meaning(r) for r in used[:LEXICON_SAMPLE])
        found = self.answer_open(best_rows) if lexicon < LEXICON_FLOOR or (
            lexicon + OPEN_MARGIN <= 1.0 and self.open_clearly_better(lexicon)) else None
        if found is None or any(v.get("doc") == r.doc and v.get("value") == json_number(r.value)
                                for v in found["values"][:1] for r in used):
            return None
        return found

    def open_clearly_better(self, lexicon: float) -> bool:
        """Whether the best observation of the whole graph matches the question's words by at
        least ``OPEN_MARGIN`` more than the lexicon's answer."""
        return reaches(self.cat, self.p, lexicon + OPEN_MARGIN)

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
            for area in cat.areas_of(place):            # 某省平安县 is written 平安县 in its text
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
        if p.place_words:
            # 北山片区…, 城镇…: a region or part the facts' sentences must name
            rows = [r for r in rows if unknown_places_named(p, r)]
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

    def refusal(self, message: str, reading: Reading | None) -> dict:
        from .suggest import suggestions
        return self.finish(False, message, [], [], suggestions(self.cat, self.p, reading))


# ------------------------------------------------------------------ entry point


def ask_parsed(question: str, store: LocalStore, cat: Catalog) -> dict:
    """The answer to ``question`` from an already built catalogue (for questions asked in parts)."""
    return Answerer(store, cat, parse_question(question, cat.vocab)).run()


def ask(question: str, store: LocalStore, trace: list | None = None, offset: int = 0) -> dict:
    """Answer one Chinese question from the graph in ``store``: a dict (see docs/questions.md).

    ``trace``, a list, receives the (query, bindings) of every prepared query whose rows the
    answer was made of (read from the fact index: running them gives the same rows). An answer
    listing more than ``kg.qa.render.MAX_PLACES`` places lists that many from ``offset``."""
    q = question if isinstance(question, str) else str(question)
    try:
        cat = get_catalog(store)
    except Exception as e:  # noqa: BLE001
        return {"question": q, "answered": False, "answer": f"无法读取图：{type(e).__name__}。", "values": [],
                "evidence": [], "sparql": None, "bindings": None, "suggestions": [], "type": None, "slots": {}}
    p = parse_question(q, cat.vocab)
    answerer = Answerer(store, cat, p, offset)
    try:
        return answerer.run()
    except Exception as e:  # noqa: BLE001 - never an exception for a question
        a = Answerer(store, cat, p)
        out = a.finish(False, f"无法回答这个问题（{type(e).__name__}）。", [], [], [])
        return out
    finally:
        if trace is not None:
            trace.extend(zip(answerer.sparql, answerer.bindings))
