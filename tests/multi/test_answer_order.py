"""How an answer over several places and reports is laid out (docs/questions.md): places the most
specific first, then the most recent report's; two reports that disagree on one figure both
shown; a long answer cut into pages (``truncated``, ``total``, ``offset``). The reports are
made up for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest import ingest
from kg.qa import ask
from kg.store import LocalStore

REPORTS = {
    # two reports of one county, of two years, that give its 2016 exits differently
    "hexi-2017": ("河西县2017年脱贫攻坚工作总结", "2017",
                  "河西县2017年脱贫攻坚工作总结\n\n2016年，河西县退出贫困村9个。2017年，河西县退出贫困村7个。\n"),
    "hexi-2018": ("河西县2018年脱贫攻坚工作总结", "2018",
                  "河西县2018年脱贫攻坚工作总结\n\n2016年，河西县退出贫困村10个。2018年，河西县退出贫困村5个。\n"),
    # a village of another county, in a report of an earlier year
    "liushu-2016": ("柳树村2016年扶贫工作汇报", "2016",
                    "柳树村2016年扶贫工作汇报\n\n2016年，柳树村新建蔬菜大棚40个。\n"),
    "hedong-2016": ("河东县2016年扶贫工作汇报", "2016",
                    "河东县2016年扶贫工作汇报\n\n2016年，河东县新建蔬菜大棚300个。\n"),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> LocalStore:
    folder = tmp_path_factory.mktemp("order")
    for doc, (title, date, text) in REPORTS.items():
        (folder / f"{doc}.txt").write_text(text, encoding="utf-8")
        (folder / f"{doc}.meta.json").write_text(
            '{"title": "%s", "date": "%s"}' % (title, date), encoding="utf-8")
    s = LocalStore(folder / "store")
    ingest([folder], s, progress=False)
    return s


def test_two_reports_that_disagree_are_both_shown(store):
    r = ask("河西县2016年退出多少贫困村", store)
    assert r["answered"], r["answer"]
    shown = {v["value"] for v in r["values"]}
    assert len(shown) == 1 and shown <= {9, 10}
    assert "两份报告不同" in r["answer"] and "9个" in r["answer"] and "10个" in r["answer"]
    assert {e["doc"] for e in r["evidence"]} == {"hexi-2017", "hexi-2018"}


def test_the_most_specific_place_comes_first(store):
    r = ask("2016年新建多少个蔬菜大棚", store)
    assert r["answered"], r["answer"]
    assert [v["place"] for v in r["values"]] == ["柳树村", "河东县"]


def synthetic_store(folder: Path, n: int) -> LocalStore:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from synth import write_corpus
    write_corpus(folder / "corpus", n, seed=3)
    s = LocalStore(folder / "store")
    ingest([folder / "corpus"], s, progress=False)
    return s


def test_a_long_answer_is_cut_into_pages(tmp_path):
    from kg.qa.render import MAX_PLACES
    s = synthetic_store(tmp_path, MAX_PLACES + 3)
    first = ask("减少贫困人口多少人", s)
    assert first["answered"], first["answer"]
    assert first["truncated"] is True and first["offset"] == 0 and first["total"] > MAX_PLACES
    places = list(dict.fromkeys(v["place"] for v in first["values"]))
    assert len(places) == MAX_PLACES
    rest = ask("减少贫困人口多少人", s, offset=MAX_PLACES)
    more = list(dict.fromkeys(v["place"] for v in rest["values"]))
    assert rest["offset"] == MAX_PLACES and rest["truncated"] is False
    assert len(places) + len(more) == first["total"] and not set(places) & set(more)


@pytest.fixture(scope="module")
def many_places(tmp_path_factory):
    from kg.qa.render import MAX_PLACES
    s = synthetic_store(tmp_path_factory.mktemp("many"), MAX_PLACES + 15)
    yield s
    s.close()


@pytest.mark.parametrize("question, qtype", [
    ("2016年至2017年减少贫困人口有多少人", "sum"),
    ("2014年和2016年退出贫困村相差多少", "diff"),
    ("哪个县贫困发生率最高", "max"),
    ("哪一年减少贫困人口最多", "max"),
])
def test_sums_differences_and_rankings_over_many_places_are_cut_into_pages(many_places, question, qtype):
    from kg.qa.render import MAX_PLACES
    first = ask(question, many_places)
    assert first["answered"] and first["type"] == qtype, first["answer"]
    assert first["truncated"] is True and first["total"] > MAX_PLACES
    places = list(dict.fromkeys(v["place"] for v in first["values"]))
    assert 0 < len(places) <= MAX_PLACES
    rest = ask(question, many_places, offset=MAX_PLACES)
    assert rest["offset"] == MAX_PLACES and not set(places) & {v["place"] for v in rest["values"]}
