"""Adding, replacing and removing reports (kg.library, the code of kg add / kg remove) changes
the answers of a store already asked: the catalogue and its fact index follow the store."""

from __future__ import annotations

from kg.library import add, remove
from kg.qa import ask
from kg.qa.catalog import get_catalog

from .corpus import DATA, DOCS, REPORTS, build


def indexed_rows(store, doc: str) -> list[int]:
    """The row numbers of a report's facts in the question index file (kg.qa.index_file): a
    report whose facts are read again gets new ones."""
    import sqlite3

    from kg.qa.index_file import index_path
    con = sqlite3.connect(index_path(store))
    try:
        return [i for (i,) in con.execute("SELECT id FROM rows WHERE doc = ? ORDER BY id", (doc,))]
    finally:
        con.close()


def places_and_values(result: dict) -> dict[str, list]:
    out: dict[str, list] = {}
    for v in result["values"]:
        out.setdefault(v["place"], []).append(v["value"])
    return out


def mentions(result: dict, word: str) -> bool:
    return word in result["answer"] or any(word in s for s in result["suggestions"]) or \
        any(word in str(v.get("place")) for v in result["values"])


def test_add_replace_remove(tmp_path):
    seed, anping17, shimen = REPORTS[0], REPORTS[4], REPORTS[6]
    store, corpus, _ = build(tmp_path, [seed, anping17, shimen])
    try:
        q = "2015年退出多少贫困村"
        assert places_and_values(ask(q, store)) == {"汝州市": [6], "安平市": [7], "石门县": [3]}
        cat = get_catalog(store)
        assert get_catalog(store) is cat                       # unchanged store: the same catalogue
        seed_facts = indexed_rows(store, DOCS["ruzhou"])
        assert seed_facts

        # add: the new report answers at once; the others' facts are not read again
        added = add([DATA / "taoyuan-2019.md"], store, corpus)
        assert added[0].place == "桃源县" and not added[0].replaced
        assert places_and_values(ask(q, store)) == {"汝州市": [6], "安平市": [7], "石门县": [3], "桃源县": [5]}
        cat2 = get_catalog(store)
        assert cat2 is not cat and indexed_rows(store, DOCS["ruzhou"]) == seed_facts
        assert ask("桃源2016年出列多少个贫困村", store)["values"][0]["value"] == 12

        # replace (same document id, one number changed): the new number, never the old one
        text = (DATA / "anping-2017.txt").read_bytes().decode("gb18030")
        assert "2015年退出贫困村7个" in text
        changed = tmp_path / "anping-2017.txt"
        changed.write_bytes(text.replace("2015年退出贫困村7个", "2015年退出贫困村8个").encode("gb18030"))
        added = add([changed], store, corpus)
        assert added[0].doc == DOCS["anping17"] and added[0].replaced
        r = ask("安平市2015年退出多少贫困村", store)
        assert [v["value"] for v in r["values"]] == [8]
        assert all("8个" in e["sentence"] and "7个" not in e["sentence"] for e in r["evidence"])
        assert places_and_values(ask(q, store))["安平市"] == [8]
        assert indexed_rows(store, DOCS["ruzhou"]) == seed_facts

        # remove: its answers, places, periods and suggestions go with it
        remove(DOCS["shimen"], store, corpus)
        r = ask(q, store)
        assert places_and_values(r) == {"汝州市": [6], "安平市": [8], "桃源县": [5]}
        assert DOCS["shimen"] not in {e["doc"] for e in r["evidence"]}
        cat3 = get_catalog(store)
        assert "石门县" not in cat3.places and "石门" not in cat3.vocab.place_surfaces
        assert DOCS["shimen"] not in cat3.reports and not indexed_rows(store, DOCS["shimen"])
        r = ask("石门县2016年退出多少贫困村", store)
        assert not r["answered"] and r["answer"] == "图中没有关于“石门县”的数据。"
        assert not any("石门" in s for s in r["suggestions"])
        # 石门 alone is a common word (stone gate) once no place is called so: never 石门县's facts
        r = ask("石门2016年退出多少贫困村", store)
        assert not mentions(r, "石门") and DOCS["shimen"] not in {e["doc"] for e in r["evidence"]}
        for question in ("2030年退出多少贫困村", "2016年退出多少贫困村", "今天天气怎么样", "2016年发放小额信贷多少"):
            r = ask(question, store)
            assert not mentions(r, "石门"), (question, r["answer"], r["suggestions"])
        r = ask("2016年退出多少贫困村", store)
        assert places_and_values(r) == {"汝州市": [4], "安平市": [9], "桃源县": [12]}
    finally:
        store.close()


def test_writing_the_same_reports_again_rereads_their_facts(tmp_path):
    from kg.ingest import ingest

    store, corpus, _ = build(tmp_path, [REPORTS[4]])
    try:
        assert [v["value"] for v in ask("安平市2015年退出多少贫困村", store)["values"]] == [7]
        cat = get_catalog(store)
        before = indexed_rows(store, DOCS["anping17"])
        ingest([corpus], store, progress=False)            # the same text: the same checksums
        cat2 = get_catalog(store)
        assert cat2 is not cat and not set(indexed_rows(store, DOCS["anping17"])) & set(before)
        assert [v["value"] for v in ask("安平市2015年退出多少贫困村", store)["values"]] == [7]
    finally:
        store.close()


def test_store_objects_count_their_writes(tmp_path):
    from kg.qa.catalog import write_generation
    from kg.store import LocalStore

    store = LocalStore(tmp_path / "s")
    try:
        g0 = write_generation(store)
        store.remove_graphs(["https://w3id.org/fupin/graph/nothing"])
        assert write_generation(store) > g0
    finally:
        store.close()


def test_removing_the_last_report_of_a_place_removes_the_place(tmp_path):
    store, corpus, _ = build(tmp_path, [REPORTS[4], REPORTS[5]])        # 安平市, 2017 and 2019
    try:
        assert [v["value"] for v in ask("安平市有多少扶贫合作社", store)["values"]] == [185]
        remove(DOCS["anping19"], store, corpus)
        r = ask("安平市有多少扶贫合作社", store)
        assert [v["value"] for v in r["values"]] == [120] and "2019" not in r["answer"]
        remove(DOCS["anping17"], store, corpus)
        r = ask("安平市有多少扶贫合作社", store)
        assert not r["answered"] and r["suggestions"] == []
        assert get_catalog(store).index.size == 0
    finally:
        store.close()


def test_a_place_given_as_two_names(tmp_path):
    """kg add --place 贵州省长顺县: the report's place is the 长顺县 its text names."""
    store, corpus, added = build(tmp_path, [(DATA / "changshun-poverty-overview.txt", {"place": "贵州省长顺县"})])
    try:
        assert added[0].place == "贵州省长顺县"
        for q, value in (("长顺县贫困发生率是多少", 16.68), ("长顺贫困发生率是多少", 16.68),
                         ("贵州省长顺县贫困发生率是多少", 16.68), ("长顺县2017年危房改造多少户", 2144)):
            r = ask(q, store)
            assert r["answered"], (q, r["answer"])
            assert [(v["place"], v["value"]) for v in r["values"]] == [("贵州省长顺县", value)], (q, r["answer"])
        # the province it lies in: 长顺县's figure is not 贵州省's, and the question for 长顺县 is suggested
        r = ask("贵州2017年危房改造多少户", store)
        assert not r["answered"] and "贵州省长顺县" in r["answer"] and "可问“贵州省长顺县2017年危房改造多少户”" in r["answer"]
        assert "长顺" not in get_catalog(store).vocab.ambiguous        # one place
    finally:
        store.close()
