"""Building the catalogue (kg.qa.catalog) from a store: its head — places, periods, units,
reports, names, the lexicon and the parser's vocabulary — from a handful of queries
(:func:`build_head`), and its facts, read property by property or graph by graph
(:func:`read_facts`) and made rows (:func:`build_catalog`). kg.qa.index_file keeps both in a
file beside the store.
"""

from __future__ import annotations

import time
from functools import partial

from ..lexicon import Concept, Lexicon, load_lexicon
from ..namespaces import BRK, FP, IND, NIF, PROV, SDMX_ATT, SDMX_DIM, SKOS, UNIT
from ..store import LocalStore
from ..text.places import SUFFIXES, find_places
from . import queries as Q
from .catalog_model import Catalog, IndicatorStats, Report
from .fact_index import FactIndex
from .parse import PlaceInfo, Vocabulary
from .periods import PeriodInfo, period_code
from .rows import RawFacts, Row, build_rows

#: below the county: a place of these levels named only in the reports of one place is part of it
SUB_COUNTY_LEVELS = {"乡", "镇", "街道", "村"}
#: read the facts report by report when at most this share of the reports changed, else in bulk
INCREMENTAL_SHARE = 0.25


def fingerprint(store: LocalStore) -> tuple:
    rows = store.select(Q.FINGERPRINT)
    r = rows[0] if rows else {"n": 0, "sums": ""}
    return (int(r["n"] or 0), str(r["sums"] or ""))


def observation_count(store: LocalStore) -> int:
    rows = store.select(Q.OBS_COUNT)
    return int(rows[0]["n"]) if rows else 0


def _year(date) -> int | None:
    s = str(date or "")
    return int(s[:4]) if len(s) >= 4 and s[:4].isdigit() else None


def lexicon_for(store: LocalStore) -> Lexicon:
    """The ontology files' lexicon, completed with concepts only the store's ontology graph has."""
    try:
        base = load_lexicon()
    except Exception:  # noqa: BLE001 - files missing or being edited: the store's copy will do
        base = Lexicon()
    rows = store.select(Q.CONCEPT_LABELS)
    if not rows:
        return base
    by: dict[str, dict] = {}
    for r in rows:
        d = by.setdefault(r["c"], {"type": r["type"], "pref": [], "other": [], "parent": None, "units": set()})
        (d["pref"] if r["prop"] == SKOS + "prefLabel" else d["other"]).append(str(r["label"]))
        if r["parent"]:
            d["parent"] = r["parent"]
        if r["unit"]:
            d["units"].add(str(r["unit"])[len(UNIT):])
    missing = {iri: d for iri, d in by.items() if iri not in base.indicators and iri not in base.breakdowns and d["pref"]}
    if not missing:
        return base
    lex = Lexicon(dict(base.indicators), dict(base.breakdowns), {k: list(v) for k, v in base.terms.items()}, base.max_len)
    from ..lexicon import Term
    for kind in ("indicator", "breakdown"):
        for iri, d in sorted(missing.items()):
            is_ind = d["type"] == FP + "Indicator"
            if (kind == "indicator") != is_ind:
                continue
            pref = sorted(d["pref"])[0]
            labels = tuple(dict.fromkeys([pref, *sorted(d["other"])]))
            if is_ind:
                c = Concept(iri, iri[len(IND):] if iri.startswith(IND) else iri, pref, labels, "indicator", frozenset(d["units"]))
                lex.indicators[iri] = c
            else:
                parent = lex.indicators.get(d["parent"] or "")
                if parent is None:
                    continue
                c = Concept(iri, iri[len(BRK):] if iri.startswith(BRK) else iri, pref, labels, "breakdown", parent.units, parent.iri)
                lex.breakdowns[iri] = c
            for text in labels:
                lex.terms.setdefault(text, []).append(Term(text, c))
    lex.max_len = max((len(t) for t in lex.terms), default=0)
    return lex


def _lexical_rows(store: LocalStore, sparql: str, bindings: dict):
    """The rows of a SELECT as tuples of lexical values (IRIs and literals as strings; numbers
    are converted by build_rows): a million of them convert several times faster than with
    ``store.select``."""
    result = store.query(sparql, bindings)
    for solution in result:
        yield tuple(t.value if t is not None else None for t in solution)


#: what the fact index reads: the properties of observations, of their mentions and sentences
FACT_PROPERTIES = {
    FP + "indicator": "ind", SDMX_DIM + "refArea": "area", SDMX_DIM + "refPeriod": "period",
    PROV + "wasDerivedFrom": "report", FP + "value": "value", FP + "baseValue": "baseValue",
    FP + "qualifier": "qualifier", FP + "kind": "kind", FP + "breakdown": "breakdown", FP + "valueMax": "valueMax",
    SDMX_ATT + "unitMeasure": "unit", FP + "baseUnit": "baseUnit", FP + "per": "per",
    FP + "mention": "mention", NIF + "beginIndex": "begin", NIF + "endIndex": "end", NIF + "anchorOf": "anchor",
    FP + "sentence": "sentence", FP + "measuredPhrase": "phrase", FP + "measure": "measure",
    FP + "subject": "subject",
}
_OPTIONAL = ("baseValue", "qualifier", "kind", "breakdown", "valueMax", "unit", "baseUnit", "per", "phrase", "measure",
             "subject")
_REPEATED = {"ind", "area", "period", "report", "qualifier", "kind", "breakdown", "unit", "baseUnit", "per", "anchor",
             "phrase", "measure", "subject"}


def read_facts(store: LocalStore, reports: dict[str, Report], docs: list[str] | None = None) -> dict[str, RawFacts]:
    """The observations (with their mentions and sentences) of every report, or of ``docs``,
    per document: what Q.OBSERVATIONS would give, read property by property (all reports) or
    graph by graph (a few)."""
    props: dict[str, dict[str, object]] = {name: {} for name in FACT_PROPERTIES.values()}
    mentions: dict[str, list[str]] = {}
    shared: dict[str, str] = {}          # one string per IRI or word repeated across facts

    def take(p: str, s: str, o) -> None:
        name = FACT_PROPERTIES.get(p)
        if name == "mention":
            mentions.setdefault(s, []).append(o)
        elif name:
            if name in _REPEATED:
                o = shared.setdefault(o, o)
            props[name][s] = o

    if docs is None:
        for p in FACT_PROPERTIES:
            for _, subject, obj in _lexical_rows(store, Q.INDEX_PROPERTY, {"p": p}):
                take(p, subject, obj)
    else:
        for doc in docs:
            for _, subject, p, obj in _lexical_rows(store, Q.INDEX_GRAPH, {"g": graph_iri(doc)}):
                take(p, subject, obj)
    doc_of_report = {r.iri: d for d, r in reports.items()}
    ind, area, period, value = props["ind"], props["area"], props["period"], props["value"]
    begin, end, anchor, sentence_of = props["begin"], props["end"], props["anchor"], props["sentence"]
    out: dict[str, RawFacts] = {}
    for obs, report in props["report"].items():
        doc = doc_of_report.get(report)
        if doc is None or obs not in ind or obs not in area or obs not in period or obs not in value:
            continue
        d = {"doc": doc, "area": area[obs], "ind": ind[obs], "period": period[obs], "value": value[obs]}
        for name in _OPTIONAL:
            v = props[name].get(obs)
            if v is not None:
                d[name] = v
        raw = out.get(doc)
        if raw is None:
            raw = out[doc] = RawFacts()
        raw.props[obs] = d
        for m in mentions.get(obs, ()):
            s = sentence_of.get(m)
            if s is None or m not in begin or m not in end or m not in anchor or s not in anchor or s not in begin:
                continue
            raw.add_mention(obs, begin[m], end[m], anchor[m], anchor[s], begin[s])
    return out


def _facts(store: LocalStore, reports: dict[str, Report], previous: Catalog | None) -> dict[str, RawFacts]:
    """Every report's facts: those of unchanged reports kept from ``previous``, the others read."""
    old = previous.raw if previous is not None else {}
    old_sums = {d: r.checksum for d, r in previous.reports.items()} if previous is not None else {}
    stale = [d for d, r in reports.items() if d not in old or old_sums.get(d) != r.checksum or not r.checksum]
    read = read_facts(store, reports, None if len(stale) > max(1, INCREMENTAL_SHARE * len(reports)) else stale)
    return {d: old[d] if d in old and d not in stale else read.get(d) or RawFacts() for d in reports}


def build_head(store: LocalStore, fp: tuple | None = None, lap=lambda name: None) -> Catalog:
    """The catalogue without its facts: places (and which lie within which), periods, units,
    subjects, reports, categories and names, and the lexicon (its statistics, fact index and
    vocabulary are made by :func:`finish`)."""
    fp = fp if fp is not None else fingerprint(store)
    lexicon = lexicon_for(store)
    lap("lexicon")
    # shared nodes: places, periods, units
    iri_label: dict[str, str] = {}
    place_rows = store.select(Q.PLACES)
    for r in place_rows:
        iri_label.setdefault(r["place"], r["label"])
    period_info: dict[str, PeriodInfo] = {}
    for r in store.select(Q.PERIODS):
        info = period_info.get(r["period"])
        if info is None:
            code = period_code(r["period"])
            info = period_info[r["period"]] = PeriodInfo(code, int(r["startYear"]), int(r["endYear"]),
                                                         r["label"] or code, set())
        if r["kind"]:
            info.kinds.add(str(r["kind"]))
    unit_labels = {r["unit"]: r["label"] for r in store.select(Q.UNITS)}
    subject_labels = {r["s"]: r["label"] for r in store.select(Q.SUBJECT_LABELS)}
    reports: dict[str, Report] = {}
    for r in store.select(Q.REPORTS):
        reports[r["doc"]] = Report(r["report"], r["doc"], iri_label.get(r["place"], r["place"]) if r["place"] else None,
                                   _year(r["date"]), str(r["sum"] or ""), str(r["date"] or ""),
                                   str(r["title"] or ""))
    report_places = {r.place for r in reports.values() if r.place}
    doc_of_graph = {graph_iri(d): d for d in reports}
    places: dict[str, PlaceInfo] = {}
    place_iris: dict[str, str] = {}
    parents: dict[str, str] = {}
    docs_of: dict[str, set[str]] = {}
    pairs: set[tuple[str, str]] = set()
    for r in place_rows:
        label = r["label"]
        parent = iri_label.get(r["parent"]) if r["parent"] else None
        if parent and parent != label:
            parents.setdefault(label, parent)
            pairs.add((label, parent))
        old = places.get(label)
        level = r["level"] or (old.level if old else "") or _suffix_level(label)
        places[label] = PlaceInfo(label, level, parent or (old.parent if old else None), label in report_places)
        place_iris[label] = r["place"]
        doc = doc_of_graph.get(r["g"])
        if doc:
            docs_of.setdefault(label, set()).add(doc)
    # a place below the county named only in reports of one place is part of that place; one
    # named in reports of several places (城关镇) is several places, told apart by the report's
    shared: dict[str, list[str]] = {}
    for label, info in places.items():
        if info.level not in SUB_COUNTY_LEVELS or label in report_places:
            continue
        owners = sorted({reports[d].place for d in docs_of.get(label, ()) if reports[d].place} - {label})
        if len(owners) == 1 and label not in parents:
            parents[label] = owners[0]
            pairs.add((label, owners[0]))
        elif len(owners) > 1:
            shared[label] = owners
    # a report's place given as several names (某省平安县, in its metadata) is the place its
    # text calls by the last one (平安县): one place, shown by the report's name for it
    aliases: dict[str, str] = {}
    for label in sorted(report_places):
        parts = find_places(label)
        if len(parts) >= 2 and parts[-1].end == len(label):
            tail = parts[-1].name
            if tail != label and tail in places and tail not in report_places:
                aliases[tail] = label
                shared.pop(tail, None)
            # and it lies within the places named before (贵州省), places of the graph now
            outer = parts[-2].name
            if outer not in places:
                places[outer] = PlaceInfo(outer, parts[-2].level, None, False)
            if label not in parents:
                parents[label] = outer
            pairs.add((label, outer))
    children: dict[str, list[str]] = {}
    for child, parent in sorted(pairs):
        children.setdefault(parent, []).append(child)
    categories = {r["label"]: r["cat"] for r in store.select(Q.CATEGORIES)}
    known = {r["label"] for r in store.select(Q.ENTITY_NAMES)} - set(places)
    extra: dict[str, list[Concept]] = {}
    for r in store.select(Q.SCHEME_LABELS):
        ind = lexicon.indicators.get(r["ind"])
        if ind is not None and r["label"] not in lexicon.terms:
            extra.setdefault(r["label"], []).append(ind)
    period_kinds = {info.code: set(info.kinds) for info in period_info.values()}
    lap("places, periods, reports, names")
    cat = Catalog(fp, 0, lexicon, None, places, place_iris, children, reports, {}, categories, set(),
                  period_kinds=period_kinds, place_labels=iri_label, period_info=period_info,
                  unit_labels=unit_labels, parents=parents, shared_places=shared, aliases=aliases,
                  subject_labels=subject_labels)
    cat.known_words = known
    cat.extra_terms = extra
    cat.reader = partial(_report_text, store)
    return cat


def placed(rows: list[Row], cat: Catalog) -> list[Row]:
    """Rows with the places the catalogue names them by: a place given as several names by its
    report's (平安县 → 某省平安县), a town named in reports of several places by its report's
    place (石门县城关镇)."""
    for row in rows:
        if row.place in cat.aliases:
            row.place = cat.aliases[row.place]
        elif row.place in cat.shared_places:
            owner = cat.report_place_of(row.doc)
            if owner:
                row.place = owner + row.place
    return rows


def exact_matches(store: LocalStore, cat: Catalog) -> dict[str, str]:
    """Open indicator IRI → the lexicon indicator its phrase names exactly (skos:exactMatch)."""
    return {r["open"]: r["ind"] for r in store.select(Q.EXACT_MATCHES) if r["ind"] in cat.lexicon.indicators}


def indicator_stats(by_ind) -> dict[str, IndicatorStats]:
    """What the store knows per indicator (for suggestions and period look-ups), from its rows."""
    indicators: dict[str, IndicatorStats] = {}
    for ind, of_ind in by_ind:
        st = indicators[ind] = IndicatorStats()
        for r in of_ind:
            _count(st, r)
    return indicators


def finish(cat: Catalog, indicators: dict[str, IndicatorStats], years: set[int]) -> Catalog:
    """The catalogue's statistics and the parser's vocabulary (its places, names and the
    indicators present)."""
    cat.indicators, cat.years = indicators, years
    cat.vocab = Vocabulary(cat.lexicon, cat.places, cat.known_words, cat.categories, cat.extra_terms,
                           set(indicators), cat.aliases)
    return cat


def build_catalog(store: LocalStore, fp: tuple | None = None, previous: Catalog | None = None) -> Catalog:
    """The whole catalogue in memory: its head, every report's facts as rows (those of unchanged
    reports kept from ``previous``) and the fact index over them."""
    t0 = last = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        timings[name] = round(now - last, 3)
        last = now

    cat = build_head(store, fp, lap)
    cat.raw = _facts(store, cat.reports, previous)
    lap("facts read")
    rows: list[Row] = []
    for doc, raw in cat.raw.items():
        doc_rows = _reusable_rows(previous, cat, doc, raw)
        if doc_rows is None:
            doc_rows = placed(build_rows(raw, cat), cat)
        cat.doc_rows[doc] = doc_rows
        rows.extend(doc_rows)
    cat.index = FactIndex(rows, exact_matches(store, cat))
    lap("fact index")
    cat.obs_count = observation_count(store)
    years: set[int] = set()
    for r in rows:
        years.update(range(r.start_year, r.end_year + 1))
    indicators = indicator_stats(cat.index.by_ind.items())
    lap("observation count, statistics")
    finish(cat, indicators, years)
    lap("vocabulary")
    cat.timings = timings
    cat.checked_at = time.monotonic()
    cat.build_seconds = time.perf_counter() - t0
    return cat


def _report_text(store: LocalStore, report: str) -> str:
    rows = store.select(Q.REPORT_TEXT, {"report": report})
    return str(rows[0]["text"]) if rows else ""


def _count(st: IndicatorStats, r: Row) -> None:
    st.n += 1
    st.places.add(r.place)
    st.areas.add(r.area)
    st.periods[r.period] = (r.start_year, r.end_year, r.period_zh)
    st.units.add(r.base_unit)
    st.kinds.add(r.kind)
    if r.breakdown:
        st.breakdowns.add(r.breakdown)
    cell = (r.place, r.period, r.kind, r.base_unit, r.breakdown)
    st.cells[cell] = st.cells.get(cell, 0) + 1


def _reusable_rows(previous: Catalog | None, cat: Catalog, doc: str, raw: RawFacts) -> list[Row] | None:
    """The rows of an unchanged report from the previous catalogue, when everything they were
    made with (its place, the labels and kinds of their periods, places and units, whether
    their places are shared) is the same in the new one; else None."""
    if previous is None or previous.raw.get(doc) is not raw or doc not in previous.doc_rows:
        return None
    if previous.report_place_of(doc) != cat.report_place_of(doc):
        return None
    for r in previous.doc_rows[doc]:
        if previous.period_info.get(r.period_iri) != cat.period_info.get(r.period_iri):
            return None
        label = cat.place_labels.get(r.area)
        if previous.place_labels.get(r.area) != label or \
                previous.shared_places.get(label) != cat.shared_places.get(label) or \
                previous.aliases.get(label) != cat.aliases.get(label):
            return None
        d = raw.props.get(r.obs, {})
        for key in ("unit", "baseUnit"):
            if d.get(key) and previous.unit_labels.get(d[key]) != cat.unit_labels.get(d[key]):
                return None
        if d.get("subject") and previous.subject_labels.get(d["subject"]) != cat.subject_labels.get(d["subject"]):
            return None
    return previous.doc_rows[doc]


def graph_iri(doc: str) -> str:
    from ..rdf import iris
    return iris.doc_graph(doc)


def _suffix_level(label: str) -> str:
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if label.endswith(suffix):
            return SUFFIXES[suffix]
    return ""

