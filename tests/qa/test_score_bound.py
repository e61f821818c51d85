"""The open path's shortcuts: ``score_bounds`` is never below ``score`` for a candidate;
``reaches`` (is any candidate at a threshold, scoring only those whose bound reaches it) says what
the full ranking (``rank_all``, here: every candidate scored) says; and ``best_rows``, the head of that ranking, gives the same
answer rows. On the seed report and the dev reports, for the questions of the test tables and
questions made from the graph's own phrases."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from kg.qa.catalog import get_catalog
from kg.qa.open_answer import (THRESHOLD, _in_order, answer_rows, asks_quantity, best_rows, discount, question_query,
                               ranked_rows, reaches, term_index)
from kg.qa.parse import parse_question
from kg.qa.retrieve import score, score_bounds

from .conftest import load_jsonl

REPO = Path(__file__).resolve().parents[2]
THRESHOLDS = (0.3, 0.46, 0.6, 0.7, 0.8, 0.9, 0.97)


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    from kg.ingest import ingest
    from kg.store import LocalStore

    folder = tmp_path_factory.mktemp("bound-corpus")
    for f in [*(REPO / "corpus").glob("*.txt"), *(REPO / "tests" / "dev" / "docs").glob("*.txt")]:
        shutil.copy(f, folder / f.name)
    store = LocalStore(tmp_path_factory.mktemp("bound-store"))
    ingest([folder], store, progress=False)
    yield get_catalog(store)
    store.close()


def rank_all(cat, p):
    """Every candidate scored, best first (what best_rows gave before it scored only the head)."""
    query = question_query(cat, p)
    if not asks_quantity(p):
        return [], query.terms
    lower, index = discount(cat, p), term_index(cat)
    return _in_order(p, [(lower(score(index, query, r), r), r) for r in ranked_rows(cat, p, query)]), query.terms


def questions(cat) -> list[str]:
    qs = [x["q"] for name in ("seed_public.jsonl", "paraphrases.jsonl", "dev_questions.jsonl") for x in load_jsonl(name)]
    rnd = random.Random(7)
    rows = [r for r in cat.index.all_rows() if r.phrase]
    for r in rnd.sample(rows, min(150, len(rows))):
        unit = r.base_unit if r.base_unit and r.base_unit != "%" else "个"
        qs += [f"{r.end_year}年{r.phrase}有多少{unit}", f"{r.phrase}是多少", f"{r.place}{r.phrase[:4]}多少"]
    return qs


def test_the_bound_is_at_or_above_the_score(cat):
    index = term_index(cat)
    checked = 0
    for q in questions(cat):
        p = parse_question(q, cat.vocab)
        query = question_query(cat, p)
        rows = ranked_rows(cat, p, query)
        for bound, r in zip(score_bounds(index, query, rows), rows):
            assert bound >= score(index, query, r) - 1e-9, (q, r.obs, r.phrase)
            checked += 1
    assert checked > 5000, checked


def test_reaches_says_what_the_full_ranking_says(cat):
    decided = {True: 0, False: 0}
    for q in questions(cat):
        p = parse_question(q, cat.vocab)
        ranked, _ = rank_all(cat, p)
        best = max((s for s, _ in ranked), default=None)
        for t in (*THRESHOLDS, *((best, best + 1e-6) if best is not None else ())):
            want = best is not None and best >= t
            assert reaches(cat, p, t) is want, (q, t, best)
            decided[want] += 1
        assert asks_quantity(p) or not ranked
    assert decided[True] > 100 and decided[False] > 100, decided


def test_the_head_of_the_ranking_gives_the_same_answer(cat):
    answered = scored_fewer = 0
    for q in questions(cat):
        p = parse_question(q, cat.vocab)
        full, terms = rank_all(cat, p)
        head, head_terms = best_rows(cat, p)
        assert head_terms == terms
        want = answer_rows(full)
        if not want or want[0][0] < THRESHOLD:
            assert not answer_rows(head) or answer_rows(head)[0][0] < THRESHOLD, q
            continue
        got = answer_rows(head)
        assert [(s, r.obs) for s, r in got] == [(s, r.obs) for s, r in want], q
        answered += 1
        scored_fewer += len(head) < len(full)
    assert answered > 100 and scored_fewer > 20, (answered, scored_fewer)


@pytest.mark.parametrize(("unknown", "words", "sentence", "phrase", "named"), [
    (["北山片区"], [], "北山片区新建道路5公里", "", True),
    (["北山片区"], [], "北山新建道路5公里", "", False),
    ([], ["镇乡"], "全县镇（乡）卫生院12所", "", True),            # punctuation aside
    ([], ["城镇"], "全县新增就业500人", "城镇新增就业", True),      # in the phrase
    (["北京市"], ["城镇"], "北京市城镇居民人均收入", "", True),
    (["北京市"], ["城镇"], "北京市农村居民人均收入", "", False),
    (["A1区"], [], "A1区新建道路", "", False),                    # a non-Han character is never in what is said
    ([], [], "任何句子", "", True),
])
def test_unknown_places_must_be_named(unknown, words, sentence, phrase, named):
    from kg.qa.open_answer import unknown_places_named
    from kg.qa.read import Parsed
    from kg.qa.rows import Mention, Row

    p = Parsed(question="")
    p.unknown_places, p.place_words = list(unknown), list(words)
    r = Row.__new__(Row)
    r.first, r.phrase = Mention(0, 1, sentence[:1], sentence, 0), phrase
    assert unknown_places_named(p, r) is named
