"""/quality and kg.check: totals are checked against parts of one unit class only; SHACL catches a
value of the wrong class (no RDFS range hides it); the report is computed once per store
generation; its .csv twin. (Its speed is measured by bench/bench_web.py, not here.)"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pyoxigraph as ox
import pytest

from kg import check
from kg.library import add
from kg.store import LocalStore

# a made-up county: a stock of households and of persons, flows of both, remainders of both
REPORT = ("测试县2017年脱贫攻坚工作报告\n"
          "全县共有建档立卡贫困人口1000户3000人。2015年减少贫困人口100户300人，2016年减少贫困人口200户600人。"
          "截至2016年底，全县未脱贫贫困人口700户2100人。\n")


@pytest.fixture(scope="module")
def units_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("units")
    (folder / "corpus").mkdir()
    path = folder / "ceshi-2017.txt"
    path.write_text(REPORT, encoding="utf-8")
    store = LocalStore(folder / "store")
    add([path], store, folder / "corpus", meta={"place": "测试县", "date": "2017"})
    store.close()
    return folder / "store"


def test_stock_and_flow_compare_one_unit_class(units_store):
    store = LocalStore(units_store, read_only=True)
    try:
        checks = [c for c in check.consistency(store) if c.name == "stock-flow"]
    finally:
        store.close()
    # households with households (1000 − 300 = 700), persons with persons (3000 − 900 = 2100);
    # never 1000户 against 900人
    assert sorted(c.detail.split(": ", 1)[1] for c in checks) == [
        "测试县建档立卡贫困人口 1000户 − 截至2016年减少贫困人口 300户 = 700户, 原文未脱贫贫困人口 700户",
        "测试县建档立卡贫困人口 3000人 − 截至2016年减少贫困人口 900人 = 2100人, 原文未脱贫贫困人口 2100人"]
    assert {c.status for c in checks} == {"agree"}


def test_quality_page_on_that_store(units_store):
    from kg.web.app import create_app

    app = create_app({"STORE": str(units_store), "PREWARM": False, "WORKERS": 1})
    try:
        c = app.test_client()
        first = c.get("/quality.json").get_json()
        assert first["summary"] == {"agree": 2} and first["conforms"]
        assert all(ch["doc"] == "ceshi-2017" and ch["doc_title"] == "测试县2017年脱贫攻坚工作报告" for ch in first["checks"])
        hub = app.extensions["kg"].hub
        cached = hub.cache_peek("quality")
        assert cached is not None and cached["computed_at"] == first["computed_at"]
        assert c.get("/quality.json").get_json() == first                 # once per store generation
        assert hub.cache_peek("quality") is cached
        html = c.get("/quality").get_data(as_text=True)
        assert "存量与流量" in html and 'href="/documents/ceshi-2017"' in html and "不一致" not in html.split("一致性检查 <small>")[1]
        assert html.count('<tr class="agree">') == 2 and 'id="checks-pager"' not in html
        rows = list(csv.DictReader(io.StringIO(c.get("/quality.csv").get_data(as_text=True))))
        assert [r["status"] for r in rows] == ["agree", "agree"] and {r["doc"] for r in rows} == {"ceshi-2017"}
    finally:
        app.extensions["kg"].pool.close()


def test_the_checks_are_listed_a_page_at_a_time_and_by_status(units_store, monkeypatch):
    """The HTML view pages the checks (disagreements first) and keeps one status on request; the
    .json and .csv twins hold every check whatever the page."""
    from kg.web.app import create_app
    from kg.web.blueprints import quality

    monkeypatch.setattr(quality, "PAGE_SIZE", 1)
    app = create_app({"STORE": str(units_store), "PREWARM": False, "WORKERS": 1})
    try:
        c = app.test_client()
        every = c.get("/quality.json").get_json()["checks"]
        seen = []
        for page in (1, 2):
            html = c.get(f"/quality?page={page}").get_data(as_text=True)
            assert html.count('<tr class="agree">') == 1 and 'id="checks-pager"' in html and f"第 {page} / 2 页" in html
            seen.append(next(ch["text"] for ch in every if ch["text"] in html))
        assert sorted(seen) == sorted(ch["text"] for ch in every)
        assert "第 2 / 2 页" in c.get("/quality?page=99").get_data(as_text=True)     # past the end: the last page
        none = c.get("/quality?status=disagree").get_data(as_text=True)
        assert "<tr class=" not in none and "没有这一类的检查" in none
        agree = c.get("/quality?status=agree&page=2").get_data(as_text=True)
        assert agree.count('<tr class="agree">') == 1 and 'id="status-agree"' in agree
        assert c.get("/quality.json?page=2").get_json()["checks"] == every
        assert len(list(csv.DictReader(io.StringIO(c.get("/quality.csv?page=2").get_data(as_text=True))))) == len(every)
    finally:
        app.extensions["kg"].pool.close()


def test_a_large_store_is_validated_in_the_background(units_store, monkeypatch):
    """A store larger than INLINE_REPORTS with no report kept beside it: /quality answers at once
    (202, Retry-After, a page that reloads) while a thread validates it, then gives the report."""
    import time

    from kg.web.app import create_app
    from kg.web.blueprints import quality

    monkeypatch.setattr(quality, "INLINE_REPORTS", 0)
    store = LocalStore(units_store, read_only=True)
    quality.saved_path(store).unlink(missing_ok=True)
    store.close()
    app = create_app({"STORE": str(units_store), "PREWARM": False, "WORKERS": 1})
    try:
        c = app.test_client()
        first = c.get("/quality")
        assert first.status_code == 202 and first.headers["Retry-After"] == str(quality.RETRY_AFTER)
        html = first.get_data(as_text=True)
        assert 'id="quality-computing"' in html and 'http-equiv="refresh"' in html and "1 份报告" in html
        deadline = time.monotonic() + 120
        while (r := c.get("/quality.json")).status_code == 202:
            assert r.get_json()["computing"] and time.monotonic() < deadline
            time.sleep(0.2)
        assert r.status_code == 200 and r.get_json()["summary"] == {"agree": 2}
        assert 'id="quality-computing"' not in c.get("/quality").get_data(as_text=True)
    finally:
        app.extensions["kg"].pool.close()


def test_the_report_is_kept_beside_the_store_for_the_next_server(units_store):
    """A restarted server reads the report of the same store version from <store>.kg-quality.json
    instead of validating again; a report of another version of the store is not used."""
    import json

    from kg.web.app import create_app
    from kg.web.blueprints.quality import saved_path

    def quality() -> dict:
        app = create_app({"STORE": str(units_store), "PREWARM": False, "WORKERS": 1})
        try:
            return app.test_client().get("/quality.json").get_json()
        finally:
            app.extensions["kg"].pool.close()

    store = LocalStore(units_store, read_only=True)
    path = saved_path(store)
    store.close()
    path.unlink(missing_ok=True)
    first = quality()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["report"]["checks"] == first["checks"]
    saved["report"]["computed_at"] = "kept"                  # a mark only the file has
    path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    assert quality()["computed_at"] == "kept"
    saved["store"][1] += 1                                    # the report of another version of the store
    path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    again = quality()
    assert again["computed_at"] != "kept" and again["checks"] == first["checks"]
    assert json.loads(path.read_text(encoding="utf-8"))["store"][1] == saved["store"][1] - 1


def test_shacl_catches_a_value_of_the_wrong_class(seed_store):
    """An observation whose place is no fp:Place (nor of a subclass) is refused; the seed conforms."""
    quads = list(seed_store.quads())
    obs = next(q.subject for q in quads if q.object == ox.NamedNode("https://w3id.org/fupin/ontology#Observation"))
    area = ox.NamedNode("http://purl.org/linked-data/sdmx/2009/dimension#refArea")
    nowhere = ox.NamedNode("https://w3id.org/fupin/id/thing/nowhere")
    broken = [ox.Quad(q.subject, q.predicate, nowhere, q.graph_name) if q.subject == obs and q.predicate == area else q
              for q in quads]
    graphs = defaultdict(list)
    for q in broken:
        graphs[q.graph_name.value].append(q)
    store = LocalStore(None)
    store.replace_graphs(graphs)
    conforms, text, n = check.shacl(store)
    assert not conforms and n == 1 and "nowhere" in text
    conforms, _, _ = check.shacl(seed_store)
    assert conforms
