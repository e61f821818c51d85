"""Refusal suggestions: the cells of an indicator come in the order of one full sort by
kg.qa.suggest.rank_key, whichever kind, places, years and unit the question has, although
``in_rank_order`` builds them a tier at a time."""

from __future__ import annotations

import itertools
import random

import pytest

from kg.qa.catalog import get_catalog
from kg.qa.suggest import _cells, in_rank_order, rank_key


@pytest.fixture(scope="module")
def cat(seed_store):
    return get_catalog(seed_store)


def test_suggest_order_is_the_full_sort(cat):
    rnd = random.Random(3)
    places = sorted({c[0] for ind in cat.indicators for c in _cells(cat, ind, None)}) + ["某个没有的县"]
    checked = 0
    for ind in sorted(cat.indicators):
        brks = sorted({b for (_, _, _, _, b) in cat.indicators[ind].cells}, key=lambda b: b or "")
        for brk, kind in itertools.product(brks, ("actual", "target")):
            cells = _cells(cat, ind, brk)
            for _ in range(3):
                qp = rnd.sample(places, rnd.choice((0, 0, 1, 2)))
                years = sorted(rnd.sample(range(2010, 2032), rnd.choice((0, 1, 1, 2))))
                unit = rnd.choice((None, "%", "个", "户", "万元"))
                want = sorted(cells, key=rank_key(cat, ind, kind, qp, years, unit))
                got = list(in_rank_order(cat, ind, brk, kind, qp, years, unit))
                assert got == want, (ind, brk, kind, qp, years, unit)
                checked += 1
    assert checked > 100


def test_suggest_a_refused_year_gets_its_indicators_questions_first(seed_store):
    """A year the store has no value of: the suggestions are first the same indicator in the
    years it has (not only the store's most documented indicators)."""
    from kg.qa import ask
    r = ask("2030年退出多少贫困村", seed_store)
    d = r if isinstance(r, dict) else r.__dict__
    assert not d["answered"]
    assert d["suggestions"] and "退出贫困村" in d["suggestions"][0], d["suggestions"]
