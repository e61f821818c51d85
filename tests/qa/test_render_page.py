"""One page of a long answer: ``by_place(rows, page=True)`` orders only the places of the page,
and gives what ``page(by_place(rows))`` gives (the same places in the same order, the same
``paged``) for any offset, on the rows of every indicator of the seed store and samples of them."""

from __future__ import annotations

import random

from kg.qa.answer import Answerer
from kg.qa.catalog import get_catalog
from kg.qa.parse import parse_question


def test_a_page_is_the_full_order_cut(seed_store):
    cat = get_catalog(seed_store)
    p = parse_question("退出多少贫困村", cat.vocab)
    rows = cat.index.all_rows()
    rnd = random.Random(11)
    samples = [rows, *(rnd.sample(rows, rnd.randint(0, min(60, len(rows)))) for _ in range(60))]
    by_ind: dict[str, list] = {}
    for r in rows:
        by_ind.setdefault(r.indicator, []).append(r)
    samples += list(by_ind.values())
    pages = 0
    for sample in samples:
        for offset in (0, 1, 5, 7, 1000):
            full, part = Answerer(seed_store, cat, p, offset), Answerer(seed_store, cat, p, offset)
            want = full.page(full.by_place(sample))
            got = part.by_place(sample, page=True)
            assert list(got) == list(want) and got == want and part.paged == full.paged, (offset, len(sample))
            pages += full.paged is not None
    assert pages > 50, pages
