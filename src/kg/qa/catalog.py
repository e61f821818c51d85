"""A parsed, cached view of what a store knows: places, indicators present, periods, categories,
and every fact (the fact index).

Building it reads the store once — a handful of queries, and the facts property by property
(:func:`read_facts`); asking a question then costs one parse and look-ups in memory: no query
scans the reports per question. The view is kept per store (by folder or URL, or per
in-memory store object) and refreshed when the store changes:

* on every question, the store's write generation (:func:`write_generation`: the writes made
  through this store object, its ``writes``, or its own ``generation``); a
  store that cannot tell (a SPARQL server) is checked by its fingerprint — the reports and their
  checksums — on every question instead;
* when that generation changed, and at most every ``COUNTED_FULL_CHECK_SECONDS`` (30 s)
  anyway, the fingerprint and the number of observations are compared (a re-ingest with a
  changed extractor keeps the checksums but changes the facts); for a SPARQL server, the number
  of observations at most every ``FULL_CHECK_SECONDS`` (2 s).

A refresh re-reads the facts of the reports added or replaced since (by checksum), keeps
those of the others (and their rows, when nothing they were made with changed), drops those of
removed reports, and reads places, periods and names again.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from ..lexicon import Concept, Lexicon, load_lexicon
from ..namespaces import BRK, FP, IND, NIF, PROV, SDMX_ATT, SDMX_DIM, SKOS, UNIT
from ..store import LocalStore
from ..text.places import SUFFIXES, find_places
from . import queries as Q
from .parse import PlaceInfo, Vocabulary, place_level
from .periods import PeriodInfo, period_code
from .fact_index import FactIndex
from .rows import RawFacts, Row, build_rows

_POS = attrgetter("pos")
FULL_CHECK_SECONDS = 2.0
#: the same for a store whose writes are counted (an embedded store: every write to it goes
#: through the one process that opened it for writing; a read-only handle sees no later writes)
COUNTED_FULL_CHECK_SECONDS = 30.0
#: below the county: a place of these levels named only in the reports of one place is part of it
SUB_COUNTY_LEVELS = {"乡", "镇", "街道", "村"}
#: read the facts report by report when at most this share of the reports changed, else in bulk
INCREMENTAL_SHARE = 0.25


@dataclass
class IndicatorStats:
    n: int = 0
    places: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)                             # place IRIs
    periods: dict[str, tuple[int, int, str]] = field(default_factory=dict)   # code → (start, end, zh)
    units: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    breakdowns: set[str] = field(default_factory=set)
    #: (place, period code, kind, base unit, breakdown) → count: to suggest answerable questions
    cells: dict[tuple, int] = field(default_factory=dict)


@dataclass
class Report:
    iri: str
    doc: str
    place: str | None
    year: int | None
    checksum: str = ""
    date: str = ""          # the report's date as given (2017-02-27, 2019), "" when unknown
    title: str = ""


@dataclass
class Catalog:
    fingerprint: tuple
    obs_count: int
    lexicon: Lexicon
    vocab: Vocabulary
    places: dict[str, PlaceInfo]
    place_iris: dict[str, str]               # label → IRI
    children: dict[str, list[str]]           # label → labels of places part of it (stated or implied)
    reports: dict[str, Report]               # doc → report
    indicators: dict[str, IndicatorStats]    # indicator IRI → stats
    categories: dict[str, str]               # label → IRI
    years: set[int]
    period_kinds: dict[str, set[str]] = field(default_factory=dict)   # period code → kinds
    place_labels: dict[str, str] = field(default_factory=dict)        # place IRI → label (as answers show it)
    period_info: dict[str, "PeriodInfo"] = field(default_factory=dict)  # period IRI → info
    unit_labels: dict[str, str] = field(default_factory=dict)         # unit IRI → name
    subject_labels: dict[str, str] = field(default_factory=dict)      # fp:subject IRI → its name
    texts: dict[str, str] = field(default_factory=dict)   # doc → text (filled on demand)
    suggestion_checks: dict[str, bool] = field(default_factory=dict)  # suggestion → parses back
    checked_at: float = 0.0
    index: FactIndex | None = None
    raw: dict[str, RawFacts] = field(default_factory=dict)            # doc → its facts as read
    parents: dict[str, str] = field(default_factory=dict)             # label → parent label (stated or implied)
    #: places below the county named in reports of several places (城关镇): label → those places
    shared_places: dict[str, list[str]] = field(default_factory=dict)
    build_seconds: float = 0.0
    memo: dict = field(default_factory=dict)      # derived views, made on first use (kg.qa.suggest)
    timings: dict[str, float] = field(default_factory=dict)           # seconds per build step
    doc_rows: dict[str, list[Row]] = field(default_factory=dict)      # doc → its rows (reused when unchanged)
    #: the text's name of a report's place given as several names: 平安县 → 某省平安县
    aliases: dict[str, str] = field(default_factory=dict)
    #: report IRI → its text, from the store (set by build_catalog)
    reader: Callable[[str], str] | None = field(default=None, repr=False, compare=False)

    def concept(self, iri: str) -> Concept | None:
        return self.lexicon.indicators.get(iri) or self.lexicon.breakdowns.get(iri)

    def text_of(self, doc: str) -> str:
        """A report's text, read from the store on first use (``reader`` is set by
        :func:`build_catalog`; "" without one)."""
        text = self.texts.get(doc)
        if text is None:
            rep = self.reports.get(doc)
            text = self.texts[doc] = self.reader(rep.iri) if rep and self.reader else ""
        return text

    @property
    def own(self) -> frozenset[str]:
        """The reports' own places."""
        own = self.__dict__.get("_own")
        if own is None:
            own = self.__dict__["_own"] = frozenset(r.place for r in self.reports.values() if r.place)
        return own

    def report_places(self, levels: set[str] | frozenset[str] | None = None) -> list[str]:
        """The reports' own places; with ``levels`` (我县 → {县}) those of these levels, or all
        of them when none is."""
        places = sorted(self.own)
        if levels:
            fit = [p for p in places if place_level(p, self.places.get(p)) in levels]
            return fit or places
        return places

    def descendants(self, label: str) -> list[str]:
        out, todo = [], list(self.children.get(label, []))
        while todo:
            x = todo.pop()
            if x not in out and x != label:
                out.append(x)
                todo.extend(self.children.get(x, []))
        return out

    def ancestors(self, label: str) -> list[str]:
        out, x = [], self.parents.get(label)
        while x and x not in out and x != label:
            out.append(x)
            x = self.parents.get(x)
        return out

    def areas_of(self, label: str) -> list[str]:
        """The IRIs of a place: its own, and those of the names it goes by (某省平安县: 平安县)."""
        iris = [self.place_iris[label]] if label in self.place_iris else []
        iris += [self.place_iris[a] for a, of in self.aliases.items() if of == label and a in self.place_iris]
        return iris

    def report_place_of(self, doc: str) -> str | None:
        r = self.reports.get(doc)
        return r.place if r else None


_CACHE: dict[object, Catalog] = {}
_OBJ_CACHE: "weakref.WeakKeyDictionary[object, Catalog]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_BUILD_LOCKS: dict[object, threading.Lock] = {}


def fingerprint(store: LocalStore) -> tuple:
    rows = store.select(Q.FINGERPRINT)
    r = rows[0] if rows else {"n": 0, "sums": ""}
    return (int(r["n"] or 0), str(r["sums"] or ""))


def observation_count(store: LocalStore) -> int:
    rows = store.select(Q.OBS_COUNT)
    return int(rows[0]["n"]) if rows else 0


def _cache_key(store: LocalStore):
    if getattr(store, "path", None):
        return ("path", store.path)
    if getattr(store, "url", None):
        return ("url", store.url)
    return None


def _cached(store: LocalStore, key) -> Catalog | None:
    with _LOCK:
        return _CACHE.get(key) if key else _OBJ_CACHE.get(store)


def write_generation(store):
    """A value that changes whenever ``store`` may have been written, or None when the store
    cannot tell (a SPARQL server, written by anyone).

    A store object with a ``generation`` attribute (any value: a count of writes, a digest of
    the store's files) is trusted. A :class:`LocalStore` counts the writes made through it
    (``writes``: every kg write goes through one: ingest, add, remove), and the object's
    identity is part of the value."""
    gen = getattr(store, "generation", None)
    if gen is not None and not callable(gen):
        return gen
    if not isinstance(store, LocalStore):
        return None
    return Writes(id(store), store.writes)


class Writes(NamedTuple):
    """The writes counted on one store object: a change in ``count`` is a write kg knows of."""
    store: int
    count: int


#: per store (by folder or URL, else per object): (the catalogue it was last checked against,
#: its write generation then)
_SEEN: dict[object, tuple[int, object]] = {}
_SEEN_OBJ: "weakref.WeakKeyDictionary[object, tuple[int, object]]" = weakref.WeakKeyDictionary()


def get_catalog(store: LocalStore) -> Catalog:
    """The store's catalogue, refreshed when the store changed since it was made.

    A store that counts its writes (:func:`write_generation`) is checked by that count on
    every question (and fully — fingerprint and number of observations — when it changed or
    at most every ``COUNTED_FULL_CHECK_SECONDS``); any other store by its fingerprint on every
    question and its number of observations at most every ``FULL_CHECK_SECONDS``."""
    key = _cache_key(store)
    cat = _cached(store, key)
    gen = write_generation(store)
    now = time.monotonic()
    seen = _seen(store, key) if gen is not None else None
    # written through this very object since (a write kg knows of, not just a new snapshot)
    written = (isinstance(gen, Writes) and seen is not None and isinstance(seen[1], Writes)
               and seen[1].store == gen.store and seen[1].count != gen.count)
    if cat is not None and gen is not None and now - cat.checked_at < COUNTED_FULL_CHECK_SECONDS:
        if seen == (id(cat), gen):
            return cat
    fp = fingerprint(store)
    if cat is not None and cat.fingerprint == fp:
        if written:
            cat.raw = {}                 # the same reports written again: read every fact again
        elif gen is None and now - cat.checked_at < FULL_CHECK_SECONDS:
            return cat
        elif observation_count(store) == cat.obs_count:
            cat.checked_at = now
            _remember(store, key, cat, gen)
            return cat
        else:
            cat.raw = {}                 # same reports, other facts: read everything again
    with _LOCK:
        lock = _BUILD_LOCKS.setdefault(key if key else id(store), threading.Lock())
    with lock:
        current = _cached(store, key)
        if current is not None and current is not cat and current.fingerprint == fp:
            _remember(store, key, current, gen)
            return current               # another thread refreshed it meanwhile
        cat = build_catalog(store, fp, previous=cat)
        _settle(cat)
        with _LOCK:
            if key:
                _CACHE[key] = cat
            else:
                _OBJ_CACHE[store] = cat
    _remember(store, key, cat, gen)
    return cat


#: a catalogue of this many facts or more is frozen out of the garbage collector's reach
FREEZE_MIN_FACTS = 20000


def _settle(cat: Catalog) -> None:
    """A large catalogue is a million long-lived objects: every full pass of the garbage
    collector would walk them all (≈0.3 s on 1,000 reports), stalling whichever question it
    falls on. They hold no reference cycles (they are freed by reference counting when the
    catalogue is replaced), so they are moved out of its reach with ``gc.freeze()``."""
    if cat.index is not None and cat.index.size >= FREEZE_MIN_FACTS:
        gc.collect()
        gc.freeze()


def _seen(store, key) -> tuple[int, object] | None:
    if key:
        return _SEEN.get(key)
    try:
        return _SEEN_OBJ.get(store)
    except TypeError:                    # not weakly referable
        return None


def _remember(store, key, cat: Catalog, gen) -> None:
    if gen is None:
        return
    if key:
        _SEEN[key] = (id(cat), gen)
        return
    try:
        _SEEN_OBJ[store] = (id(cat), gen)
    except TypeError:
        pass


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
        _OBJ_CACHE.clear()
        _SEEN.clear()
        _SEEN_OBJ.clear()


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


def build_catalog(store: LocalStore, fp: tuple | None = None, previous: Catalog | None = None) -> Catalog:
    t0 = last = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        timings[name] = round(now - last, 3)
        last = now

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
    cat.reader = partial(_report_text, store)
    # the facts
    cat.raw = _facts(store, reports, previous)
    lap("facts read")
    rows: list[Row] = []
    for doc, raw in cat.raw.items():
        doc_rows = _reusable_rows(previous, cat, doc, raw)
        if doc_rows is None:
            doc_rows = build_rows(raw, cat)
            for row in doc_rows:
                if row.place in aliases:
                    row.place = aliases[row.place]          # 平安县 → 某省平安县
                elif row.place in shared:
                    owner = cat.report_place_of(row.doc)
                    if owner:
                        row.place = owner + row.place       # 石门县城关镇
        cat.doc_rows[doc] = doc_rows
        rows.extend(doc_rows)
    same = {r["open"]: r["ind"] for r in store.select(Q.EXACT_MATCHES) if r["ind"] in lexicon.indicators}
    cat.index = FactIndex(rows, same)
    lap("fact index")
    cat.obs_count = observation_count(store)
    # what the store knows, per indicator (for suggestions and period look-ups)
    indicators: dict[str, IndicatorStats] = {}
    years: set[int] = set()
    for ind, of_ind in cat.index.by_ind.items():
        st = indicators[ind] = IndicatorStats()
        for r in of_ind:
            _count(st, r)
    for r in rows:
        years.update(range(r.start_year, r.end_year + 1))
    cat.indicators, cat.years = indicators, years
    lap("observation count, statistics")
    cat.vocab = Vocabulary(lexicon, places, known, categories, extra, set(indicators), aliases)
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
