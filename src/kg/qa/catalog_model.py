"""What the catalogue holds (kg.qa.catalog): the store's places, periods, units, reports,
names and indicators present, the parser's vocabulary, and the fact index; built by
kg.qa.catalog_build, kept beside the store by kg.qa.index_file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..lexicon import Concept, Lexicon
from .parse import PlaceInfo, Vocabulary, place_level
from .periods import PeriodInfo
from .rows import RawFacts, Row


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
    index: object | None = None    # kg.qa.fact_index.FactIndex, or kg.qa.index_file.FileIndex
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
    known_words: set[str] = field(default_factory=set)                # names the parser may meet
    extra_terms: dict[str, list] = field(default_factory=dict)        # breakdown scheme labels → indicators
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

    @property
    def report_years(self) -> dict[str, int]:
        """Each report's year (0 when it has none), by document."""
        years = self.__dict__.get("_report_years")
        if years is None:
            years = self.__dict__["_report_years"] = {d: r.year or 0 for d, r in self.reports.items()}
        return years

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
