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
    texts: dict[str, str] = field(default_factory=dict)   # doc → text (filled on demand)
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
    return (int(r["n"] or 0), str(r["sums"] or ""), len(store.graphs()))


def observation_count(store: LocalStore) -> int:
    rows = store.select(Q.OBS_COUNT)
    return int(rows[0]["n"]) if rows else 0


def _cache_key(store: LocalStore):
    return ("path", store.path) if getattr(store, "path", None) else None


def get_catalog(store: LocalStore) -> Catalog:
    """The store's catalogue, rebuilt when the store changed since it was made."""
    key = _cache_key(store)
    with _LOCK:
        cat = _CACHE.get(key) if key else _OBJ_CACHE.get(store.db)
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
            _OBJ_CACHE[store.db] = cat
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
    reports: dict[str, Report] = {}
    for r in store.select(Q.REPORTS):
        reports[r["doc"]] = Report(r["report"], r["doc"], r["placeLabel"], _year(r["date"]))
    report_places = {r.place for r in reports.values() if r.place}
    places: dict[str, PlaceInfo] = {}
    place_iris: dict[str, str] = {}
    parents: dict[str, str] = {}
    iri_label: dict[str, str] = {}
    rows = store.select(Q.PLACES)
    for r in rows:
        iri_label[r["place"]] = r["label"]
    for r in rows:
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
        st = indicators.setdefault(r["ind"], IndicatorStats())
        n = int(r["n"])
        st.n += n
        place = iri_label.get(r["area"], r["area"])
        st.places.add(place)
        code = period_code(r["period"])
        st.periods[code] = (int(r["startYear"]), int(r["endYear"]), r["periodZh"] or code)
        unit = r["baseUnit"] or ""
        st.units.add(unit)
        kind = "target" if r["kind"] == FP + "Target" else "actual"
        st.kinds.add(kind)
        if r["breakdown"]:
            st.breakdowns.add(r["breakdown"])
        cell = (place, code, kind, unit, r["breakdown"])
        st.cells[cell] = st.cells.get(cell, 0) + n
        years.update(range(int(r["startYear"]), int(r["endYear"]) + 1))
    categories = {r["label"]: r["cat"] for r in store.select(Q.CATEGORIES)}
    known = {r["label"] for r in store.select(Q.ENTITY_NAMES)} - set(places)
    vocab = Vocabulary(lexicon, places, known, categories)
    return Catalog(fp, observation_count(store), lexicon, vocab, places, place_iris, children, reports, indicators, categories,
                   years, checked_at=time.monotonic())
