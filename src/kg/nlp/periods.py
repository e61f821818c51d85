"""The periods facts are of: a time expression's, the report's year, and the span of the yearly
values an undated total sums (date_cumulative_totals)."""

from __future__ import annotations

from ..facts import Fact, PeriodRef
from ..text.timex import TimeExpr


def period_of(t: TimeExpr) -> PeriodRef:
    return PeriodRef(t.label, t.zh, t.kind, t.start_year, t.end_year)


def report_period(year: int) -> PeriodRef:
    return PeriodRef(str(year), f"{year}年", "report", year, year)


def date_cumulative_totals(facts: list[Fact]) -> list[Fact]:
    """An undated total that equals the sum of two or more yearly values of the same indicator,
    place and unit is that span's total ("减少贫困人口8500人" after the yearly figures it sums)."""
    yearly: dict[tuple, dict[int, Fact]] = {}
    for f in facts:
        if f.period.kind in ("year", "year_end") and f.kind == "actual" and not f.breakdown:
            yearly.setdefault((f.indicator or f.phrase, f.place.name, f.base_unit), {}).setdefault(f.period.start_year, f)
    for f in facts:
        if f.period.kind != "report" or f.breakdown or f.kind != "actual":
            continue
        years = yearly.get((f.indicator or f.phrase, f.place.name, f.base_unit), {})
        if len(years) >= 2 and sum(y.base_value for y in years.values()) == f.base_value:
            a, b = min(years), max(years)
            f.period = PeriodRef(f"{a}/{b}", f"{a}年至{b}年", "span", a, b)
    return facts
