"""The question index beside a store (kg.qa.index_file): the same after kg add / kg remove as
after a fresh kg ingest of the same reports; made on first use for a store without one; the
same answers as the catalogue built in memory."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kg.ingest import ingest
from kg.library import add, remove
from kg.qa import ask
from kg.qa.answer import Answerer
from kg.qa.catalog import clear_cache, get_catalog
from kg.qa.catalog_build import build_catalog
from kg.qa.index_file import index_path, update
from kg.qa.index_rows import decode_record
from kg.qa.parse import parse_question
from kg.store import LocalStore

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "tests" / "dev" / "docs"
MULTI = REPO / "tests" / "multi" / "data"


def record(data: bytes, texts: dict[int, str]) -> tuple:
    """A row's record with its mentions' sentences by text rather than by number."""
    props, mentions = decode_record(data)
    return props, [(*m[:3], texts[m[3]] if isinstance(m[3], int) else m[3], m[4]) for m in mentions]


def contents(path: Path) -> dict:
    """What an index file says, independent of row numbers and of the order things were written in."""
    con = sqlite3.connect(path)
    try:
        texts = dict(con.execute("SELECT id, text FROM rsents"))
        rows = sorted((*x[:-1], repr(record(x[-1], texts))) for x in con.execute(
            "SELECT obs, r.doc, ord, ind, lex, area, period, start_year, end_year, kind, base_unit, base_value, "
            "breakdown, s.start, s.text, data FROM rows r JOIN rsents s ON s.id = r.sid"))
        return {
            "rows": rows,
            "rsents": sorted(con.execute("SELECT doc, start, text FROM rsents")),
            "grams": sorted(con.execute("SELECT g.gram, s.doc, s.start FROM grams g JOIN rsents s ON g.sid = s.id")),
            "df": sorted(con.execute("SELECT gram, n FROM df")),
            "docs": sorted(con.execute("SELECT doc, checksum, text, tables, df, sdf FROM docs")),
            "sentences": sorted(con.execute("SELECT doc, start, end, text FROM sentences")),
            "sdf": sorted(con.execute("SELECT gram, n FROM sdf")),
            "sgrams": sorted(con.execute("SELECT g.gram, s.doc, s.start FROM sgrams g JOIN sentences s "
                                         "ON g.sentence = s.id")),
        }
    finally:
        con.close()


def statistics(store) -> dict:
    cat = get_catalog(store)
    return {ind: (st.n, sorted(st.places), sorted(st.cells.items(), key=repr)) for ind, st in cat.indicators.items()}


def test_the_index_after_adds_and_removes_is_the_index_of_a_fresh_ingest(tmp_path):
    corpus = tmp_path / "corpus"
    reports = [MULTI / "anping-2017.txt", MULTI / "taoyuan-2019.md", DEV / "16_nonggang.txt"]
    built = LocalStore(tmp_path / "built")
    try:
        ingest([REPO / "corpus"], built, progress=False)
        for path in [*reports, MULTI / "shimen-2016.txt"]:
            add([path], built, corpus)
            update(built)
        remove("shimen-2016", built, corpus)
        update(built)
        by_writes = contents(index_path(built))
        stats_by_writes = statistics(built)
    finally:
        built.close()
    # the same reports ingested at once, from the corpus kg add kept
    fresh_corpus = tmp_path / "fresh"
    fresh_corpus.mkdir()
    for f in corpus.iterdir():
        shutil.copy(f, fresh_corpus / f.name)
    for f in (REPO / "corpus").iterdir():
        shutil.copy(f, fresh_corpus / f.name)
    fresh = LocalStore(tmp_path / "fresh-store")
    try:
        ingest([fresh_corpus], fresh, progress=False)
        update(fresh)
        assert contents(index_path(fresh)) == by_writes
        clear_cache()
        assert statistics(fresh) == stats_by_writes
    finally:
        fresh.close()


def test_a_store_without_an_index_is_indexed_on_first_use(tmp_path):
    store = LocalStore(tmp_path / "store")
    try:
        ingest([REPO / "corpus"], store, progress=False)       # the library call writes no index
        assert not index_path(store).exists()
        clear_cache()
        r = ask("2015年退出多少贫困村", store)
        assert r["answered"] and r["values"][0]["value"] == 6
        assert index_path(store).exists()
        con = sqlite3.connect(index_path(store))
        assert con.execute("SELECT count(*) FROM rows").fetchone()[0] > 50
        con.close()
    finally:
        store.close()


def test_an_index_of_another_state_of_the_store_is_not_used(tmp_path):
    corpus = tmp_path / "corpus"
    store = LocalStore(tmp_path / "store")
    try:
        ingest([REPO / "corpus"], store, progress=False)
        update(store)
        # a write the index did not see (a process that could not write it): found by the fingerprint
        add([MULTI / "anping-2017.txt"], store, corpus)
        clear_cache()
        r = ask("安平市2015年退出多少贫困村", store)
        assert r["answered"] and r["values"][0]["value"] == 7
    finally:
        store.close()


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("index-dev")
    store = LocalStore(folder / "store")
    ingest([REPO / "corpus"], store, progress=False)
    for path in sorted(DEV.glob("*.txt")):
        add([path], store, folder / "corpus", meta={})
    update(store)
    yield store
    store.close()


@pytest.mark.parametrize("warm", [False, True])
def test_answers_from_the_file_are_those_of_the_catalogue_in_memory(dev_store, warm):
    """Every question of the project's tables, asked of the catalogue read from the index file
    (its rows read as questions need them, or all read ahead and looked up in memory, as kg serve
    does) and of the one built from the store in memory: the same answers, byte for byte."""
    clear_cache()
    from_file = get_catalog(dev_store)
    assert type(from_file.index).__name__ == "FileIndex"
    if warm:
        assert from_file.index.warm() == from_file.index.size
        assert from_file.index._memory is not None
    in_memory = build_catalog(dev_store)
    questions = [json.loads(line)["q"] for name in ("tests/dev/qa.jsonl", "tests/qa/dev_questions.jsonl",
                                                    "tests/qa/paraphrases.jsonl")
                 for line in (REPO / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    differ = []
    for q in questions:
        a, b = (json.dumps(Answerer(dev_store, cat, parse_question(q, cat.vocab)).run(), ensure_ascii=False,
                           sort_keys=True, default=str) for cat in (from_file, in_memory))
        if a != b:
            differ.append(q)
    assert not differ, differ[:5]


@pytest.mark.parametrize("limit", [None, 1, 5, 40])
@pytest.mark.parametrize("year", [None, 2016, 2019])
def test_the_file_and_memory_give_the_same_rows_for_bigrams(dev_store, limit, year):
    """kg.qa.retrieve's look-up of the rows holding a question's bigrams, capped to the sentences
    that hold most of them (by weight) and to a year, gives the same rows from either index."""
    clear_cache()
    from_file, in_memory = get_catalog(dev_store).index, build_catalog(dev_store).index
    for grams in (["贫困"], ["搬迁", "安置", "易地"], ["收入", "人均", "农民"], ["合作", "作社"], ["没有的词"]):
        weights = {g: float(len(g) + k) for k, g in enumerate(grams)}
        a, b = (x.with_grams(grams, weights if limit else None, limit, year) for x in (from_file, in_memory))
        assert [r.obs for r in a] == [r.obs for r in b], grams
        assert year is None or all(r.end_year == year for r in a)
        if limit == 1 and grams == ["贫困"]:     # the cap cuts: fewer rows than all of them
            assert 0 < len(a) < len(from_file.with_grams(grams, year=year))
    assert from_file.year_size(2016) == in_memory.year_size(2016) > 0


def test_warming_reads_every_row_once_and_changes_no_answer(dev_store):
    from kg.qa.index_file import FileIndex

    clear_cache()
    cat = get_catalog(dev_store)
    index = cat.index
    assert isinstance(index, FileIndex)
    q = "2015年退出多少贫困村"
    before = json.dumps(Answerer(dev_store, cat, parse_question(q, cat.vocab)).run(), ensure_ascii=False, default=str)
    assert index.warm() == index.size == len(index._rows)
    after = json.dumps(Answerer(dev_store, cat, parse_question(q, cat.vocab)).run(), ensure_ascii=False, default=str)
    assert after == before
    small = FileIndex(index.path, cat)
    small.CACHE_ROWS = index.size - 1            # rows that do not fit are not read ahead
    assert small.warm() == 0 and not small._rows


@pytest.mark.parametrize("postings, weights, sizes, limit, expected", [
    ({"a": [1, 2], "b": [2, 3]}, {"a": 1.0, "b": 2.0}, {1: 1, 2: 1, 3: 1}, 10, [2, 3, 1]),
    ({"a": [1, 2], "b": [2, 3]}, {"a": 1.0, "b": 2.0}, {1: 1, 2: 1, 3: 1}, 2, [2, 3]),
    ({"a": [1, 2], "b": [2, 3]}, {"a": 1.0, "b": 2.0}, {1: 1, 2: 5, 3: 1}, 2, [2]),
    ({"a": [3, 1]}, {}, {1: 1, 3: 1}, 5, [1, 3]),                    # ties: by key
    ({}, {}, {}, 5, []),
])
def test_top_sentences(postings, weights, sizes, limit, expected):
    from kg.qa.fact_index import top_sentences
    assert top_sentences(postings, weights, sizes.__getitem__, limit) == expected


def test_top_sentences_is_the_full_sort_cut_at_the_limit():
    """top_sentences sorts a weight at a time and only the first keys of a weight: the same keys
    as sorting every key by (weight, order) and taking them until the rows reach the limit."""
    import random

    from kg.qa.fact_index import top_sentences
    rnd = random.Random(5)
    for _ in range(400):
        keys = rnd.sample(range(500), rnd.randint(0, 60))
        postings = {g: rnd.sample(keys, rnd.randint(0, len(keys))) for g in "abcd"}
        weights = {g: rnd.choice((0.5, 1.0, 2.0, 0.1 + 0.2)) for g in "abc"}
        sizes = {k: rnd.choice((0, 1, 1, 2, 5)) for k in keys}
        limit = rnd.randint(0, 40)
        order = (lambda k: -k) if rnd.random() < 0.5 else None
        score = {}
        for g, ks in postings.items():
            for k in ks:
                score[k] = score.get(k, 0.0) + weights.get(g, 1.0)
        want, n = [], 0
        for k in sorted(score, key=lambda k: (-score[k], (order or (lambda x: x))(k))):
            if n >= limit:
                break
            want.append(k)
            n += sizes[k]
        assert top_sentences(postings, weights, sizes.__getitem__, limit, order) == want


def test_a_file_of_another_version_is_made_again(tmp_path):
    store = LocalStore(tmp_path / "store")
    try:
        ingest([REPO / "corpus"], store, progress=False)
        path = update(store)
        before = contents(path)
        con = sqlite3.connect(path)
        con.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
        con.execute("CREATE TABLE old_postings(gram TEXT, sent TEXT)")
        con.execute("DELETE FROM rows")
        con.commit()
        con.close()
        update(store)
        con = sqlite3.connect(path)
        tables = {n for (n,) in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        con.close()
        assert "old_postings" not in tables
        assert contents(path) == before
    finally:
        store.close()
