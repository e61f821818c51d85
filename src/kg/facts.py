"""The normalised facts kg extracts: observations with their provenance.

Pure data: the extractor (kg.nlp) makes them, the RDF builder (kg.rdf) writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    sent_start: int
    sent_end: int
    sentence: str


@dataclass(frozen=True)
class PlaceRef:
    name: str
    level: str
    parent: str | None = None


@dataclass(frozen=True)
class PeriodRef:
    label: str          # 2017, 2017-YE, 2018-H1, 2018-05, 2014/2016 …
    zh: str             # 2017年底 …
    kind: str           # year | year_end | half_year | quarter | month | span | plan_period | since | report
    start_year: int
    end_year: int


@dataclass
class Fact:
    indicator: str              # indicator IRI
    breakdown: str | None
    place: PlaceRef
    period: PeriodRef
    value: Decimal
    unit: str
    base_value: Decimal
    base_unit: str
    qualifier: str
    kind: str                   # actual | target
    per: str | None = None
    value_max: Decimal | None = None
    base_value_max: Decimal | None = None
    mentions: list[Mention] = field(default_factory=list)
    #: what the quantity measures, as the clause says it (kg.text.measure); an open fact (one
    #: the lexicon has no indicator for) has indicator "" and is known by its phrase alone
    phrase: str = ""
    measure: str = "level"      # level | change | cumulative
    subject: str | None = None  # a non-place thing the clause is about (…合作社, …基地)

    @property
    def is_open(self) -> bool:
        return not self.indicator

    def key(self) -> tuple:
        """Two facts with the same key state the same thing (a restatement)."""
        what = self.indicator or f"open:{self.measure}:{self.phrase}"
        return (what, self.breakdown, self.place.name, self.period.start_year, self.period.end_year,
                self.kind, self.base_unit, self.base_value, self.per, self.base_value_max)


def merge_restatements(facts: list[Fact]) -> list[Fact]:
    """One fact per key, in order of first mention, carrying every mention."""
    merged: dict[tuple, Fact] = {}
    for f in facts:
        k = f.key()
        if k in merged:
            for m in f.mentions:
                if m not in merged[k].mentions:
                    merged[k].mentions.append(m)
        else:
            merged[k] = f
    return list(merged.values())
