"""Script injection, tried in a real browser (headless Chromium through Playwright) against a real
write-enabled server: a report whose text, title and source hold <script> and <img onerror>,
added through the web form, and questions, searches and SPARQL queries holding them. No script
runs (a window flag stays unset, no dialog opens, no request for the injected image, no
Content-Security-Policy violation in the console) and the text is shown as written."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest

from .conftest import KgServer

TOKEN = "xss-test-token-0123456789"
SCRIPT = "<script>window.__xss=1;alert('xss')</script>"
IMG = '<img src="/xss-probe.png" onerror="window.__xss=2;alert(2)">'
SVG = "<svg onload=\"window.__xss=3\"></svg>"
PAYLOAD = SCRIPT + IMG + SVG
REPORT = ("青川县2016年脱贫攻坚工作报告\n"
          f"2016年，青川县退出贫困村12个。{SCRIPT}\n"
          f"减少贫困人口3500人。{IMG}{SVG}\n"
          "\"引号\" 'single' & 符号 </textarea></article>\n")


@pytest.fixture(scope="module")
def wserver(copy_store, tmp_path_factory):
    store, corpus = copy_store("xss")
    srv = KgServer(str(store), tmp_path_factory.mktemp("xss-serve") / "serve.log", ("--query-timeout", "5"),
                   env={"KG_WRITE_TOKEN": TOKEN, "KG_CORPUS": str(corpus)})
    yield srv.url
    srv.stop()


@pytest.fixture()
def xpage(browser, wserver):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    pg.dialogs, pg.requests, pg.errors = [], [], []

    def on_dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()
    pg.on("dialog", on_dialog)
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type in ("error", "warning") else None)
    yield pg
    ctx.close()


def assert_nothing_ran(pg, host: str):
    assert pg.evaluate("() => typeof window.__xss") == "undefined"
    assert not pg.dialogs, pg.dialogs
    assert not [u for u in pg.requests if urlparse(u).path.endswith("xss-probe.png")], "the injected <img> loaded"
    assert not [u for u in pg.requests if urlparse(u).netloc not in (host, "")
                and not u.startswith(("data:", "blob:", "about:"))]
    # a blocked inline script or handler would be a Content-Security-Policy error here; the
    # browser's note about a 404 or 400 page itself is expected on the error pages
    errors = [e for e in pg.errors if not e.startswith("Failed to load resource: the server responded with a status of 4")]
    assert not errors, errors


def test_report_with_scripts_added_through_the_form(xpage, wserver, artifacts):
    pg, host = xpage, urlparse(wserver).netloc
    pg.goto(wserver + "/add")
    pg.fill("#token", TOKEN)
    pg.click("#login-form button")
    pg.wait_for_selector("#add-form")
    pg.fill("#text", REPORT)
    pg.fill("#title", "标题" + PAYLOAD)
    pg.fill("#place", "青川县")
    pg.fill("#source", "https://example.org/" + IMG)
    pg.fill("#doc", "xss-report")
    pg.click("#add-submit")
    pg.wait_for_selector("#add-ok")
    assert "xss-report" in pg.inner_text("#add-ok")
    assert_nothing_ran(pg, host)

    # the document page: text, title and source shown exactly as written
    pg.click("#added-link")
    pg.wait_for_selector("#doc-text")
    assert pg.evaluate("() => document.getElementById('doc-text').textContent") == REPORT
    assert pg.inner_text("h1") == "标题" + PAYLOAD
    assert IMG in pg.inner_text(".doc-head")
    assert pg.locator("#doc-text script, #doc-text img, #doc-text svg, h1 script, h1 img").count() == 0
    assert pg.locator("#doc-text a.fact").count() >= 2          # the facts are still highlighted
    pg.screenshot(path=str(artifacts / "xss-document.png"), full_page=True)
    assert_nothing_ran(pg, host)

    # the list, an observation of it, its graph view, the manage page
    for path in ("/documents", "/add", "/graph?doc=xss-report", "/entities?q=" + quote(PAYLOAD)):
        pg.goto(wserver + path)
        pg.wait_for_load_state("load")
        assert_nothing_ran(pg, host)
    pg.goto(wserver + "/documents")
    assert "标题" + PAYLOAD in pg.inner_text("#documents")

    # remove it through the confirmation page
    pg.goto(wserver + "/documents/xss-report")
    pg.click("#remove-doc")
    pg.click("#remove-confirm")
    pg.wait_for_selector("#add-ok")
    assert pg.goto(wserver + "/documents/xss-report").status == 404
    assert_nothing_ran(pg, host)


@pytest.mark.parametrize("question", [PAYLOAD, "2015年退出多少贫困村" + SCRIPT, '"><script>window.__xss=9</script>',
                                      "javascript:window.__xss=1//" + IMG])
def test_question_with_scripts(xpage, wserver, question):
    pg, host = xpage, urlparse(wserver).netloc
    pg.goto(wserver + "/")
    pg.fill("#q", question[:200])
    pg.click("form.ask-form button")
    pg.wait_for_selector("#answer, #ask-error")
    assert pg.input_value("#q") == question[:200]
    assert pg.locator("main script, main img, main svg").count() == 0
    assert_nothing_ran(pg, host)
    pg.goto(wserver + "/?q=" + quote(question))
    pg.wait_for_load_state("load")
    assert_nothing_ran(pg, host)


def test_sparql_editor_with_scripts(xpage, wserver):
    pg, host = xpage, urlparse(wserver).netloc
    literal = "</textarea>" + PAYLOAD
    query = 'SELECT ?x WHERE { BIND("%s" AS ?x) }' % literal.replace('"', '\\"')
    pg.goto(wserver + "/query?query=" + quote(query))
    pg.wait_for_selector("#results-table")
    assert pg.input_value("#query") == query
    assert pg.inner_text("#results-table tbody td .lit") == literal
    assert_nothing_ran(pg, host)
    pg.goto(wserver + "/query?query=" + quote("SELECT * WHERE { " + PAYLOAD))     # a syntax error page
    pg.wait_for_selector("#query-error")
    assert_nothing_ran(pg, host)
