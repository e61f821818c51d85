"""Answering a question the lexicon cannot read, from every observation (kg.qa.retrieve).

The slots the parser read (places, time, unit, target or actual) choose the candidates; their
ranking by meaning chooses the answer, which must clear ``THRESHOLD`` (calibrated on the
project's question tables, see tests/qa/test_open_threshold.py), else the question is refused
with what comes closest. The answer carries its score and the phrase it chose.
"""

from __future__ import annotations

import re

from .catalog_model import Catalog
from ..text.places import DEICTIC_RE
from ..text.timex import find_times
from .parse import Parsed, short_name, tokenizer, unit_class
from .retrieve import (CHANGE_Q, CUMULATIVE_Q, Query, TermIndex, content_terms, focus_of, is_change, score,
                       score_bounds, unit_defaults)
from .rows import Row
from ..text.measure import counted_labels
from ..text.units import UNITS, units_flagged
from .words import pattern, unit_hints

QUANTITY_Q = pattern("quantity-question")
#: what a question without a unit asks by its question word: 多长 a length, 多重 a weight …
UNIT_HINTS = unit_hints()
#: a row that does not name the indicator the lexicon read in the question scores this share
OTHER_INDICATOR = 0.6
NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
#: 规模为多少, 总数是多少: the size asked, not a word of what is measured
SIZE_WORD = pattern("size")
FLOW_Q = pattern("flow")

#: above this many observations, only those holding a rarer word of the question are ranked
POOL_LIMIT = 400
#: the share of its score a figure of a place around the one asked keeps (around_place)
AROUND_PLACE = 0.9
#: the score an answer must reach (0…1); below it the question is refused
THRESHOLD = 0.46
#: other places are listed when their best observation scores this share of the best one
OTHER_PLACES_SHARE = 0.85
MAX_PLACES = 5
#: how far below a threshold an upper bound may fall by rounding alone (``reaches``, ``best_rows``)
BOUND_SLACK = 1e-9
#: ``best_rows`` scores the candidates whose bound is this close to its floor too: the ranking
#: orders scores rounded to 6 places
HEAD_SLACK = 1e-5
#: units a question's 几个/多少个 may mean (个 counts villages, 家 enterprises, 所 schools …)
COUNTERS = units_flagged("counter")


def term_index(cat: Catalog) -> TermIndex:
    index = cat.memo.get("open-terms")
    if index is None:
        index = cat.memo["open-terms"] = TermIndex(cat.index, cat.text_of)
    return index


def unit_fits(asked: str | None, strength: str | None, r: Row, hinted: frozenset[str] | None = None) -> bool:
    if not asked:
        return r.base_unit != "" and (hinted is None or r.base_unit in hinted)
    if r.base_unit == asked:
        return True
    if asked == "个" and (r.base_unit in COUNTERS or r.base_unit in ("人", "户")):
        return True                 # 多少个护林向导: 30人
    if asked in ("人", "名") and r.base_unit in ("人", "名"):
        return True
    if strength != "strong":
        return unit_class(asked) is not None and unit_class(asked) == unit_class(r.base_unit)
    return False


def time_fits(p: Parsed, r: Row, report_year: int | None) -> bool:
    if not p.times:
        return True
    t = p.times[0]
    if t.kind == "span":
        return r.start_year == t.start_year and r.end_year == t.end_year
    if r.period_kind == "report":           # undated: said in that year's report
        return report_year == t.end_year and r.start_year == t.end_year
    if r.start_year == r.end_year:
        return r.end_year == t.end_year
    return r.end_year == t.end_year and r.period_kind in ("since", "span")


def place_fits(cat: Catalog, places: set[str], r: Row) -> bool:
    return not places or r.place in places or around_place(cat, places, r)


def around_place(cat: Catalog, places: set[str], r: Row) -> bool:
    """A figure the text gives without a place of its own (so of the report's place) in a
    paragraph about a place within it: 团队在石门村和柳沟村建立示范基地。…整治坡耕地150亩 is of
    those villages. The place asked must lie in the row's place and be named in its sentence or
    paragraph; such rows score ``AROUND_PLACE`` of their score."""
    if r.place not in {cat.report_place_of(r.doc)}:
        return False
    inside = [p for p in places if r.place in cat.ancestors(p)]
    if not inside:
        return False
    said = (r.first.sentence if r.first else "") + term_index(cat).context(r)
    return all(any(n in said for n in (p, short_name(p))) for p in inside)


def asked_places(cat: Catalog, p: Parsed) -> set[str]:
    """The places named, as the graph names them: a figure of a place within (a village, a
    county) is not the figure of the place asked (a county, a province)."""
    return set(p.places) | {cat.aliases[x] for x in p.places if x in cat.aliases}


def asks_quantity(p: Parsed) -> bool:
    """A question an observation's number can answer: it asks how many or how much (多少, 几,
    比例 …), not which one or who (哪家企业, 叫什么, 谁)."""
    return bool(p.unit) or bool(QUANTITY_Q.search(p.text))


def pool(cat: Catalog, p: Parsed, places: set[str], query: Query | None) -> list[Row]:
    """The observations a question's candidates are among, found by look-ups rather than a scan
    of the graph: those of the places asked (and of the places around them: ``around_place``),
    else of the year asked; when many, only those whose sentence holds one of the question's
    rarer words (kg.qa.retrieve.TermIndex.with_terms)."""
    index = cat.index
    if places:
        around = {a for x in places for a in cat.ancestors(x)}
        rows = index.of_places([*places, *around])
    elif p.times:
        year = p.times[0].end_year
        if index.year_size(year) > POOL_LIMIT and query is not None and query.terms:
            found = term_index(cat).with_terms(query.terms, year=year)     # not every row of the year
            if found is not None:
                return found
        rows = index.of_year(year)
    elif index.size <= POOL_LIMIT:
        rows = index.all_rows()
    else:
        found = term_index(cat).with_terms(query.terms) if query is not None and query.terms else None
        return found if found is not None else []
    if len(rows) > POOL_LIMIT and query is not None and query.terms:
        found = term_index(cat).with_terms(query.terms)
        if found is not None:
            keep = {r.obs for r in found}
            rows = [r for r in rows if r.obs in keep]
    return rows


def candidates(cat: Catalog, p: Parsed, query: Query | None = None) -> list[Row]:
    places = asked_places(cat, p)
    rows = []
    change = bool(CHANGE_Q.search(p.text))
    unit = None if change and p.unit_strength != "strong" else p.unit      # 收入增长了多少: a percent
    hinted = None if change else next((units for rx, units in UNIT_HINTS if rx.search(p.text)), None)
    wanted = "target" if p.target else "actual"
    strength, years = p.unit_strength, cat.report_years
    for r in pool(cat, p, places, query):
        if r.kind != wanted or places and not place_fits(cat, places, r) \
                or not unit_fits(unit, strength, r, hinted) or is_change(r) != change:
            continue
        if p.times and not time_fits(p, r, years.get(r.doc) or None):
            continue
        rows.append(r)
    return rows


def unknown_places_named(p: Parsed, r: Row) -> bool:
    """A place the graph does not know (北山片区, 城镇) must stand in the observation's sentence
    or phrase (punctuation aside: 镇（乡） names 镇乡)."""
    raw = (r.first.sentence if r.first else "") + r.phrase
    rest = []
    for u in (*p.unknown_places, *p.place_words):
        if u in raw and not NOT_HAN.search(u):
            continue                    # written as it is
        if not all(c in raw for c in u):
            return False                # a character of it is nowhere: not even with punctuation taken out
        rest.append(u)
    if not rest:
        return True
    said = NOT_HAN.sub("", raw)
    return all(u in said for u in rest)


def question_content(cat: Catalog, p: Parsed) -> str:
    """The question as written less its times, the places it names and 我市/全县: what is
    asked about (the parser's own content is rewritten for the lexicon's labels: 可比 → 可)."""
    t = p.text
    for span in find_times(t):
        t = t[:span.start] + " " * (span.end - span.start) + t[span.end:]
    names = {x for pl in p.places for x in (pl, short_name(pl), *[a for a, b in cat.aliases.items() if b == pl])}
    for name in sorted((n for n in names if len(n) >= 2), key=len, reverse=True):
        t = t.replace(name, " ")
    return SIZE_WORD.sub(" ", DEICTIC_RE.sub(" ", t))


def question_query(cat: Catalog, p: Parsed) -> Query:
    """What a question is ranked by (kg.qa.retrieve.Query): the bigrams of its content words
    (kg.qa.retrieve.content_terms), less the names of places the graph only has in its text
    (they filter, kg.qa.open_answer), those of its focus, and the unit it asks."""
    content = question_content(cat, p)
    cut = lambda s: tokenizer().cut(s)   # noqa: E731
    terms = content_terms(content, cut)
    for u in p.unknown_places:
        terms = [g for g in terms if g not in u]
    if not terms and p.unit in unit_defaults():
        terms = content_terms(unit_defaults()[p.unit], cut)     # 柳沟村有多少人: its population
    focus = set(content_terms(focus_of(content), cut)) & set(terms)
    return Query.of(terms, p.text, p.unit if p.unit_strength == "strong" else None, focus)


def ranked_rows(cat: Catalog, p: Parsed, query: Query) -> list[Row]:
    """The candidates a question's observations are ranked among (``best_rows``, ``reaches``)."""
    rows = candidates(cat, p, query)
    if p.unknown_places or p.place_words:
        rows = [r for r in rows if unknown_places_named(p, r)]
    if FLOW_Q.search(p.text) or (p.times and not CUMULATIVE_Q.search(p.text)):
        rows = [r for r in rows if r.measure != "cumulative"]    # one period's flow, not a running total
    return rows


def discount(cat: Catalog, p: Parsed):
    """``(score, row) → score`` as the ranking lowers it: a figure of the place around, said in a
    paragraph about the place asked; and, when the lexicon read the question and found no fact,
    an observation that does not name that indicator (退出贫困村 is not 省定贫困村)."""
    places = asked_places(cat, p)
    labels = p.reading.indicator.labels if not p.problems and p.reading is not None and reading_fits_unit(p) \
        else None
    named: dict[str, bool] = {}

    def lower(s: float, r: Row) -> float:
        if places and r.place not in places:
            s = s * AROUND_PLACE
        if labels is not None:
            ok = named.get(r.phrase)
            if ok is None:
                ok = named[r.phrase] = names_indicator(r.phrase, labels)
            if not ok:
                s = s * OTHER_INDICATOR
        return s
    return lower


def best_rows(cat: Catalog, p: Parsed) -> tuple[list[tuple[float, Row]], list[str]]:
    """The head of the ranking of a question's candidates (best first), and the bigrams it was
    ranked by: the candidates ``answer_rows`` may choose, scored only while their bound (``score_bounds``)
    reaches ``OTHER_PLACES_SHARE`` of the best score found so far (the others cannot be chosen);
    none when no candidate's bound reaches ``THRESHOLD`` (the question is refused then).
    tests/qa/test_score_bound.py holds ``answer_rows`` of it to that of the full ranking."""
    query = question_query(cat, p)
    if not asks_quantity(p):
        return [], query.terms
    lower = discount(cat, p)
    index = term_index(cat)
    rows = ranked_rows(cat, p, query)
    bounded = sorted(((lower(b, r), r) for b, r in zip(score_bounds(index, query, rows), rows)), key=lambda x: -x[0])
    if not bounded or bounded[0][0] < THRESHOLD - BOUND_SLACK:
        return [], query.terms
    head: list[tuple[float, Row]] = []
    best = 0.0
    for bound, r in bounded:
        if bound < best * OTHER_PLACES_SHARE - HEAD_SLACK:
            break
        s = lower(score(index, query, r), r)
        head.append((s, r))
        best = max(best, s)
    return _in_order(p, head), query.terms


def _in_order(p: Parsed, ranked: list[tuple[float, Row]]) -> list[tuple[float, Row]]:
    """Best first; when no time is asked, of equally good observations (the same figure in several
    years, scores equal to 6 places) the latest."""
    if p.times:
        ranked.sort(key=lambda x: (-x[0], x[1].pos))
    else:
        ranked.sort(key=lambda x: (-round(x[0], 6), -x[1].end_year, x[1].pos))
    return ranked


def reaches(cat: Catalog, p: Parsed, threshold: float) -> bool:
    """Whether a candidate of the question scores ``threshold`` or more, reading less: a
    candidate is scored only when its bound (``score_bounds``) reaches the threshold, and the search stops
    at the first that does."""
    if not asks_quantity(p):
        return False
    query = question_query(cat, p)
    lower = discount(cat, p)
    index = term_index(cat)
    # a row the ranking lowers below the threshold whatever its score (another place's figure,
    # another indicator's) is not read at all
    rows = [r for r in ranked_rows(cat, p, query) if lower(1.0, r) >= threshold - BOUND_SLACK]
    for b, r in zip(score_bounds(index, query, rows), rows):
        if lower(b, r) >= threshold - BOUND_SLACK and lower(score(index, query, r), r) >= threshold:
            return True
    return False


def names_indicator(phrase: str, labels) -> bool:
    """Whether a measured phrase names an indicator of these labels: contains one, or is one
    written without "the number of" (贫困村 for 贫困村总数)."""
    return any(label in phrase for label in labels) or any(x in labels for x in counted_labels(phrase))


def reading_fits_unit(p: Parsed) -> bool:
    """Whether the lexicon's reading can be what is asked: a question asking money (人均收入多少)
    is not about the 建档立卡贫困户 it names as a context (counted in 户/人)."""
    slugs = p.reading.indicator.units if p.reading is not None else None
    if not slugs or not p.unit:
        return True
    units = {u.base for u in UNITS.values() if u.slug in slugs}
    asked = unit_class(p.unit)
    return any(u == p.unit or (asked and unit_class(u) == asked) for u in units)


def answer_rows(ranked: list[tuple[float, Row]]) -> list[tuple[float, Row]]:
    """The best observation, then the best of each other place that scores nearly as well."""
    if not ranked:
        return []
    best_score = ranked[0][0]
    out, seen = [ranked[0]], {ranked[0][1].place}
    for s, r in ranked[1:]:
        if len(seen) >= MAX_PLACES or s < best_score * OTHER_PLACES_SHARE:
            break
        if r.place not in seen:
            seen.add(r.place)
            out.append((s, r))
    return out
