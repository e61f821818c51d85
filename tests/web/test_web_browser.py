"""Headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser download) against
the real server. Screenshots go to test-artifacts/web/."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from kg.web.examples import QUESTIONS


@pytest.fixture()
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    pg = ctx.new_page()
    outside = []
    host = urlparse(server).netloc

    def watch(req):
        if urlparse(req.url).netloc not in (host, "") and not req.url.startswith(("data:", "blob:", "about:")):
            outside.append(req.url)
    pg.on("request", watch)
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    ctx.close()
    assert not outside, f"the page made outside requests: {outside}"
    assert not errors, f"script errors: {errors}"


def answered_question(server):
    import json
    import urllib.request
    for q in QUESTIONS:
        with urllib.request.urlopen(server + "/api/ask?q=" + quote(q)) as r:
            j = json.loads(r.read())
        if j["answered"] and j["evidence"]:
            return q, j
    pytest.fail("no example question is answered")


def test_ask_and_follow_evidence(page, server, artifacts):
    """kg.qa: ask a question, see the answer and the highlighted evidence, follow it to the document."""
    q, j = answered_question(server)
    page.goto(server + "/")
    page.fill("#q", q)
    page.click("form.ask-form button")
    page.wait_for_selector("#answer")
    assert j["answer"] in page.inner_text("#answer")
    mark = page.locator("#evidence mark.hit").first
    ev = j["evidence"][0]
    assert mark.is_visible()
    page.screenshot(path=str(artifacts / "ask.png"), full_page=True)
    page.click("#evidence a.goto >> nth=0")
    page.wait_for_url(f"**/documents/{ev['doc']}#char={ev['start']},{ev['end']}")
    page.wait_for_selector("#doc-text .target")
    target = page.locator("#doc-text .target").first
    assert target.is_visible()
    surface = page.evaluate("""() => Array.from(document.querySelectorAll('#doc-text .target')).map(e => e.textContent).join('')""")
    text = json.loads(urllib.request.urlopen(f"{server}/documents/{ev['doc']}.json").read())["text"]
    assert text[ev["start"]:ev["end"]] in surface
    box = target.bounding_box()
    assert box and 0 <= box["y"] <= 900, "the evidence is scrolled into view"
    page.screenshot(path=str(artifacts / "document-evidence.png"))


def test_document_highlights_link_to_observations(page, server, ids, artifacts):
    page.goto(server + f"/documents/{ids['doc']}")
    facts = page.locator("#doc-text a.fact")
    assert facts.count() >= len({m for m in [ids["fact"]["observation"]]})
    first = facts.first
    href = first.get_attribute("href")
    assert href.startswith("/id/obs/")
    first.click()
    page.wait_for_selector("h1")
    assert "统计事实" in page.inner_text("main")
    assert page.locator("mark.hit").count() >= 1


def test_sparql_query_and_csv_download(page, server, artifacts):
    page.goto(server + "/query")
    page.select_option("#example", "facts-by-place")
    assert "refArea" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("#results-table")
    rows = page.locator("#results-table tbody tr").count()
    assert rows > 0
    assert "query=" in page.url                                 # the URL is the permalink
    permalink = page.get_attribute("#permalink", "href")
    page.screenshot(path=str(artifacts / "sparql.png"), full_page=False)
    with page.expect_download() as dl:
        page.click("a.download[data-format='csv']")
    path = dl.value.path()
    text = Path(path).read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    assert lines[0].split(",") == ["place", "indicator", "period", "value", "unit"]
    assert len(lines) - 1 == rows and "汝州" in text
    assert dl.value.suggested_filename == "kg-query.csv"
    page.goto(server + permalink)                               # the permalink reproduces the query
    page.wait_for_selector("#results-table")
    assert page.locator("#results-table tbody tr").count() == rows


def test_entity_page_and_graph_view(page, server, ids, artifacts):
    page.goto(server + ids["place"])
    assert page.inner_text("#entity-label") == ids["place_label"]
    page.screenshot(path=str(artifacts / "entity.png"), full_page=True)
    page.click("text=在关系图中查看")
    page.wait_for_selector("#graph-canvas[data-ready='1']", timeout=20000)
    n = int(page.get_attribute("#graph-canvas", "data-nodes"))
    assert n > 1
    drawn = page.evaluate("""() => { const c = document.getElementById('graph-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let k = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) k++; return k; }""")
    assert drawn > 1000, "the graph is drawn on the canvas"
    page.fill("#graph-search", ids["place_label"][:2])
    assert "找到" in page.inner_text("#graph-hits")
    page.screenshot(path=str(artifacts / "graph.png"), full_page=False)


def test_indicator_chart(page, server, ids, artifacts):
    page.goto(server + ids["indicator"])
    page.wait_for_selector("h1")
    page.screenshot(path=str(artifacts / "indicator.png"), full_page=True)
    assert page.locator("table.facts tbody tr").count() >= 1
