"""The web app opens the store read-only, so a writer (kg ingest) is never locked out, and it
notices new data: pages, caches and the SPARQL workers move to the new snapshot."""

from __future__ import annotations

import time
from urllib.parse import quote

import pyoxigraph as ox

from .conftest import CORPUS


def test_writer_not_locked_out_and_new_data_seen(tmp_path):
    from kg.ingest import ingest
    from kg.namespaces import DCT, FP, RDF
    from kg.rdf import iris
    from kg.store import LocalStore
    from kg.web.app import create_app

    path = tmp_path / "store"
    s = LocalStore(path)
    ingest([CORPUS], s, progress=False)
    s.close()
    app = create_app({"STORE": str(path), "CHECK_INTERVAL": 0, "PREWARM": False, "WORKERS": 1})
    c = app.test_client()
    try:
        assert len(c.get("/documents.json").get_json()["documents"]) == 1
        q = "/sparql?query=" + quote(f"SELECT ?d WHERE {{ ?r a <{FP}Report> ; <{DCT}identifier> ?d }} ORDER BY ?d")
        assert len(c.get(q).get_json()["results"]["bindings"]) == 1

        writer = LocalStore(path)                   # read-write, while the app has it open
        g = ox.NamedNode(iris.doc_graph("extra-doc"))
        r = ox.NamedNode(iris.report("extra-doc"))
        writer.replace_graphs({g.value: [
            ox.Quad(r, ox.NamedNode(RDF + "type"), ox.NamedNode(FP + "Report"), g),
            ox.Quad(r, ox.NamedNode(DCT + "identifier"), ox.Literal("extra-doc"), g),
            ox.Quad(r, ox.NamedNode(DCT + "title"), ox.Literal("新增的报告", language="zh"), g),
        ]})
        writer.flush()
        docs = c.get("/documents.json").get_json()["documents"]
        assert {d["doc"] for d in docs} == {"extra-doc", "ruzhou-2018-poverty-alleviation"}
        assert "新增的报告" in c.get("/documents").get_data(as_text=True)
        assert [b["d"]["value"] for b in c.get(q).get_json()["results"]["bindings"]] == \
            ["extra-doc", "ruzhou-2018-poverty-alleviation"]
        assert iris.doc_graph("extra-doc") in c.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
        writer.remove_graphs([g.value])
        writer.close()
        assert len(c.get("/documents.json").get_json()["documents"]) == 1
    finally:
        app.extensions["kg"].pool.close()


def test_missing_store_folder_starts_empty(tmp_path):
    from kg.web.app import create_app
    app = create_app({"STORE": str(tmp_path / "new-store"), "PREWARM": False, "WORKERS": 1})
    c = app.test_client()
    try:
        assert c.get("/documents.json").get_json()["documents"] == []
        assert "kg ingest" in c.get("/documents").get_data(as_text=True)
        assert c.get("/sparql?query=ASK%20%7B%3Fs%20%3Fp%20%3Fo%7D").get_json()["boolean"] is False
    finally:
        app.extensions["kg"].pool.close()


def test_cache_is_per_generation_and_bounded(store_dir):
    from kg.web.storehub import StoreHub

    hub = StoreHub(store_dir, check_interval=0, cache_size=3)
    calls = []
    for i in range(5):
        assert hub.cached(f"k{i}", lambda st, i=i: calls.append(i) or i * 10) == i * 10
    assert hub.cached("k4", lambda st: calls.append("again")) == 40          # still cached
    assert hub.cached("k0", lambda st: calls.append("k0 again") or 0) == 0     # evicted, recomputed
    assert calls == [0, 1, 2, 3, 4, "k0 again"]
    assert len(hub._cache) == 3
    assert hub.refresh(force=True) and hub.cache_peek("k4") is None            # a new generation drops all


def test_charts_render():
    from kg.web import charts
    svg = charts.line_chart({"汝州市": [(2014, 8), (2015, 6), (2016, 4)], "某县": [(2015, 3)]}, unit="个", title="退出贫困村")
    assert svg.startswith("<svg") and svg.count("<circle") == 4 and "2016年" in svg and "退出贫困村" in svg
    bar = charts.bar_chart([("因病致贫", 45.97), ("因残致贫", 16.02)], unit="%")
    assert bar.count("<rect") == 2 and "45.97%" in bar
    assert charts.line_chart({}) == ""
    # one number format (kg.web.numbers): no abbreviation to 万 that would lose digits
    assert charts._nice_ticks(0, 7)[-1] >= 7 and charts._tick(25055.0) == "25,055" and charts._tick(4584600) == "4,584,600"
    assert "2,997.4万元" in charts.bar_chart([("投资", 2997.4, "2,997.4万元")])


def test_first_ingest_swapped_in_while_the_app_reads_the_empty_store(tmp_path):
    """`kg serve` on an empty store, then a first `kg ingest` (bulk-built beside the store and
    swapped in, kg.bulk): the app sees no documents, then all of them, never an error."""
    from kg.ingest import ingest
    from kg.store import LocalStore
    from kg.web.app import create_app

    path = tmp_path / "store"
    app = create_app({"STORE": str(path), "CHECK_INTERVAL": 0, "PREWARM": False, "WORKERS": 1})
    c = app.test_client()
    try:
        assert c.get("/documents.json").get_json()["documents"] == []
        s = LocalStore(path)
        ingest([CORPUS], s, progress=False)
        s.close()
        docs = c.get("/documents.json").get_json()["documents"]
        assert len(docs) == 1
        q = "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        r = c.get(q)
        assert r.status_code == 200 and int(r.get_json()["results"]["bindings"][0]["n"]["value"]) > 1000
        r = c.get("/ask.json?q=" + quote("2015年退出多少贫困村"))
        assert r.status_code == 200 and r.get_json()["answered"]
    finally:
        app.extensions["kg"].pool.close()


def test_prewarm_builds_the_question_catalogue_at_start_up(tmp_path):
    from kg.ingest import ingest
    from kg.qa import catalog
    from kg.store import LocalStore
    from kg.web.app import create_app
    from kg.web.storehub import Reader

    path = tmp_path / "store"
    s = LocalStore(path)
    ingest([CORPUS], s, progress=False)
    s.close()
    app = create_app({"STORE": str(path), "PREWARM": True, "WORKERS": 1})
    try:
        reader = Reader(app.extensions["kg"].hub)
        key = catalog._cache_key(reader)
        deadline = time.monotonic() + 120
        while catalog._cached(reader, key) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert catalog._cached(reader, key) is not None, "no catalogue was built at start-up"
        cat = catalog._cached(reader, key)
        r = app.test_client().get("/ask.json?q=" + quote("2015年退出多少贫困村"))
        assert r.status_code == 200 and r.get_json()["answered"]
        assert catalog._cached(reader, key) is cat          # the question used the prebuilt one
    finally:
        app.extensions["kg"].pool.close()
