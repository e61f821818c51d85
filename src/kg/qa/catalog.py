"""A parsed, cached view of what a store knows: places, indicators present, periods, categories.

Building it costs a handful of queries; asking a question then costs one parse and one
prepared query. The view is kept per store (by folder, or per in-memory store object) and
rebuilt when the store changes:

* on every question, a cheap fingerprint — the reports and their checksums — is compared;
* at most every ``FULL_CHECK_SECONDS``, the number of observations is compared too (a
  re-ingest with a changed extractor keeps the checksums but changes the facts).
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass, field

from ..lexicon import Concept, Lexicon, load_lexicon
from ..namespaces import BRK, FP, IND, SKOS, UNIT
from ..store import LocalStore
from . import queries as Q
from .parse import PlaceInfo, Vocabulary

FULL_CHECK_SECONDS = 2.0


@dataclass
class IndicatorStats:
    n: int = 0
    places: set[str] = field(default_factory=set)
    periods: dict[str, tuple[int, int, str]] = field(default_factory=dict)   # code → (start, end, zh)
    units: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    breakdowns: set[str] = field(default_factory=set)
    #: (place, period code, kind, base unit, breakdown) → count: to suggest answerable questions
    cells: dict[tuple, int] = field(default_factory=dict)


@dataclass
class PeriodInfo:
    code: str
    start_year: int
    end_year: int
    zh: str
    kinds: set[str]


@dataclass
class Report:
    iri: str
    doc: str
    place: str | None
    year: int | None


@dataclass
class Catalog:
    fingerprint: tuple
    obs_count: int
    lexicon: Lexicon
    vocab: Vocabulary
    places: dict[str, PlaceInfo]
    place_iris: dict[str, str]               # label → IRI
    children: dict[str, list[str]]           # label → labels of places part of it
    reports: dict[str, Report]               # doc → report
    indicators: dict[str, IndicatorStats]    # indicator IRI → stats
    categories: dict[str, str]               # label → IRI
    years: set[int]
    period_kinds: dict[str, set[str]] = field(default_factory=dict)   # period code → kinds
    place_labels: dict[str, str] = field(default_factory=dict)        # place IRI → label
    period_info: dict[str, "PeriodInfo"] = field(default_factory=dict)  # period IRI → info
    unit_labels: dict[str, str] = field(default_factory=dict)         # unit IRI → name
    texts: dict[str, str] = field(default_factory=dict)   # doc → text (filled on demand)
    suggestion_checks: dict[str, bool] = field(default_factory=dict)  # suggestion → parses back
    checked_at: float = 0.0

    def concept(self, iri: str) -> Concept | None:
        return self.lexicon.indicators.get(iri) or self.lexicon.breakdowns.get(iri)

    def report_places(self) -> list[str]:
        return sorted({r.place for r in self.reports.values() if r.place})

    def descendants(self, label: str) -> list[str]:
        out, todo = [], list(self.children.get(label, []))
        while todo:
            x = todo.pop()
            if x not in out and x != label:
                out.append(x)
                todo.extend(self.children.get(x, []))
        return out


_CACHE: dict[object, Catalog] = {}
_OBJ_CACHE: "weakref.WeakKeyDictionary[object, Catalog]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


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


def get_catalog(store: LocalStore) -> Catalog:
    """The store's catalogue, rebuilt when the store changed since it was made."""
    key = _cache_key(store)
    with _LOCK:
        cat = _CACHE.get(key) if key else _OBJ_CACHE.get(getattr(store, "db", store))
    fp = fingerprint(store)
    now = time.monotonic()
    if cat is not None and cat.fingerprint == fp:
        if now - cat.checked_at < FULL_CHECK_SECONDS:
            return cat
        if observation_count(store) == cat.obs_count:
            cat.checked_at = now
            return cat
    cat = build_catalog(store, fp)
    with _LOCK:
        if key:
            _CACHE[key] = cat
        else:
            _OBJ_CACHE[getattr(store, "db", store)] = cat
    return cat


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
        _OBJ_CACHE.clear()


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


def period_code(period_iri: str) -> str:
    code = period_iri.rsplit("/period/", 1)[-1]
    return code.replace("--", "/")


def build_catalog(store: LocalStore, fp: tuple | None = None) -> Catalog:
    fp = fp if fp is not None else fingerprint(store)
    lexicon = lexicon_for(store)
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
    reports: dict[str, Report] = {}
    for r in store.select(Q.REPORTS):
        reports[r["doc"]] = Report(r["report"], r["doc"], iri_label.get(r["place"]) if r["place"] else None,
                                   _year(r["date"]))
    report_places = {r.place for r in reports.values() if r.place}
    places: dict[str, PlaceInfo] = {}
    place_iris: dict[str, str] = {}
    parents: dict[str, str] = {}
    for r in place_rows:
        label = r["label"]
        parent = iri_label.get(r["parent"]) if r["parent"] else None
        if parent:
            parents[label] = parent
        old = places.get(label)
        places[label] = PlaceInfo(label, r["level"], parent or (old.parent if old else None), label in report_places)
        place_iris[label] = r["place"]
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    indicators: dict[str, IndicatorStats] = {}
    years: set[int] = set()
    for r in store.select(Q.STATS):
        info = period_info.get(r["period"])
        if info is None:
            continue
        st = indicators.setdefault(r["ind"], IndicatorStats())
        n = int(r["n"])
        st.n += n
        place = iri_label.get(r["area"], r["area"])
        st.places.add(place)
        st.periods[info.code] = (info.start_year, info.end_year, info.zh)
        unit = unit_labels.get(r["baseUnit"], "") if r["baseUnit"] else ""
        st.units.add(unit)
        kind = "target" if r["kind"] == FP + "Target" else "actual"
        st.kinds.add(kind)
        if r["breakdown"]:
            st.breakdowns.add(r["breakdown"])
        cell = (place, info.code, kind, unit, r["breakdown"])
        st.cells[cell] = st.cells.get(cell, 0) + n
        years.update(range(info.start_year, info.end_year + 1))
    categories = {r["label"]: r["cat"] for r in store.select(Q.CATEGORIES)}
    known = {r["label"] for r in store.select(Q.ENTITY_NAMES)} - set(places)
    extra: dict[str, list[Concept]] = {}
    for r in store.select(Q.SCHEME_LABELS):
        ind = lexicon.indicators.get(r["ind"])
        if ind is not None and r["label"] not in lexicon.terms:
            extra.setdefault(r["label"], []).append(ind)
    vocab = Vocabulary(lexicon, places, known, categories, extra, set(indicators))
    period_kinds = {info.code: set(info.kinds) for info in period_info.values()}
    return Catalog(fp, observation_count(store), lexicon, vocab, places, place_iris, children, reports, indicators,
                   categories, years, period_kinds=period_kinds, place_labels=iri_label, period_info=period_info,
                   unit_labels=unit_labels, checked_at=time.monotonic())
