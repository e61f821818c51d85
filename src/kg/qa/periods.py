"""Periods as the catalogue knows them: :class:`PeriodInfo` (code, years, Chinese label, kinds)
and :func:`period_code`, the code of a period IRI (2014, 2014--2017 → 2014/2017).

Used by kg.qa.rows (a fact's period) and kg.qa.catalog (the periods of the store); they live
here so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PeriodInfo:
    code: str
    start_year: int
    end_year: int
    zh: str
    kinds: set[str]


def period_code(period_iri: str) -> str:
    code = period_iri.rsplit("/period/", 1)[-1]
    return code.replace("--", "/")
