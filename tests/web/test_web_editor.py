"""The SPARQL editor and its results, in Chromium against a real server holding several reports:
highlighting, completion (prefixes, the graph's classes and indicators, variables), the endpoint's
parse error marked where it says, and a results table that sorts, filters, pages, charts and
downloads — each checked against the same query run through the endpoint."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import open_page

FP = "https://w3id.org/fupin/ontology#"
PREFIXES = ("PREFIX fp: <https://w3id.org/fupin/ontology#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>\n")
BY_PLACE = PREFIXES + """SELECT ?place (COUNT(?obs) AS ?facts) WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refArea/rdfs:label ?place .
} GROUP BY ?place ORDER BY ?place"""
BY_YEAR = PREFIXES + """SELECT ?year (COUNT(?obs) AS ?facts) WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refPeriod ?p . ?p fp:startYear ?year ; fp:endYear ?year .
} GROUP BY ?year ORDER BY ?year"""


def sparql(base: str, query: str) -> list[dict]:
    req = urllib.request.Request(base + "/sparql?query=" + quote(query),
                                 headers={"Accept": "application/sparql-results+json"})
    doc = json.loads(urllib.request.urlopen(req).read())
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


@pytest.fixture()
def pg(browser, multi_server):
    ctx, page = open_page(browser, multi_server)
    yield page
    ctx.close()
    assert not page.outside, f"requests to other hosts: {page.outside}"
    assert not page.errors, f"script errors: {page.errors}"


def editor_text(page) -> str:
    return page.evaluate("() => window.kgEditor.state.doc.toString()")


def set_editor(page, text: str) -> None:
    page.evaluate("t => window.kgEditor.dispatch({changes: {from: 0, to: window.kgEditor.state.doc.length, insert: t},"
                  " selection: {anchor: t.length}})", text)
    page.locator(".cm-content").focus()


def completions(page) -> list[str]:
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    page.wait_for_timeout(150)        # CodeMirror takes no Enter in the first 75 ms of a completion list
    return page.locator(".cm-tooltip-autocomplete li .cm-completionLabel").all_inner_texts()


def test_editor_highlights_sparql(pg, multi_server, artifacts):
    pg.goto(multi_server + "/query")
    pg.wait_for_selector("#editor[data-ready='1']")
    assert pg.locator("#query").is_hidden()                      # the editor took the box's place
    keywords = pg.locator(".cm-content .tok-keyword").all_inner_texts()
    assert {"SELECT", "WHERE"} <= {k.upper() for k in keywords}
    variables = pg.locator(".cm-content .tok-variableName").all_inner_texts()
    assert "?place" in variables
    assert pg.locator(".cm-content .tok-comment").count() >= 1
    # the examples fill the editor and the query box the form sends
    pg.select_option("#example", "facts-by-year")
    assert "GROUP BY ?year" in editor_text(pg) and "GROUP BY ?year" in pg.input_value("#query")
    pg.screenshot(path=str(artifacts / "editor-1280.png"))


def test_editor_completes_classes_and_adds_the_prefix(pg, multi_server):
    pg.goto(multi_server + "/query")
    pg.wait_for_selector("#editor[data-ready='1']")
    set_editor(pg, "SELECT ?obs WHERE {\n  ?obs a fp:Obs")
    pg.keyboard.press("Control+Space")
    labels = completions(pg)
    assert "fp:Observation" in labels
    assert labels.index("fp:Observation") < 3, labels            # after "a": classes first
    pg.keyboard.press("Enter")
    text = editor_text(pg)
    assert text.startswith(f"PREFIX fp: <{FP}>\n")               # the missing declaration, added
    assert "?obs a fp:Observation" in text
    # the graph's own terms: every class used in the graph is offered, with its Chinese label
    vocab = json.loads(urllib.request.urlopen(multi_server + "/query/vocabulary.json").read())
    used = {r["c"] for r in sparql(multi_server, "SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    fp_classes = {c["name"] for c in vocab["classes"] if c["iri"] in used and c["name"].startswith("fp:")}
    assert "fp:Observation" in fp_classes and "fp:County" in fp_classes
    set_editor(pg, text + " ;\n    fp:indicator fpi:")
    pg.keyboard.press("Control+Space")
    labels = completions(pg)
    assert "fpi:poverty-reduction" in labels
    detail = pg.locator(".cm-tooltip-autocomplete li", has_text="fpi:poverty-reduction").locator(".cm-completionDetail")
    assert detail.inner_text() == "减少贫困人口"
    pg.keyboard.press("Escape")
    # variables of the query
    set_editor(pg, editor_text(pg) + " .\n  ?o")
    pg.keyboard.press("Control+Space")
    assert "?obs" in completions(pg)


def test_editor_completes_prefix_declarations(pg, multi_server):
    pg.goto(multi_server + "/query")
    pg.wait_for_selector("#editor[data-ready='1']")
    set_editor(pg, "PREFIX sk")
    pg.keyboard.press("Control+Space")
    labels = completions(pg)
    assert "skos: <http://www.w3.org/2004/02/skos/core#>" in labels
    pg.keyboard.press("Enter")
    assert editor_text(pg) == "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
    # Ctrl+Enter runs the editor's query
    set_editor(pg, BY_PLACE)
    pg.keyboard.press("Control+Enter")
    pg.wait_for_selector("#results-table[data-ready='1']")
    assert pg.locator("#results-table tbody tr").count() == len(sparql(multi_server, BY_PLACE))


@pytest.mark.parametrize("query,line,marked", [
    ("SELECT ?s WHERE {\n  ?s a fp:Observation\n}", 2, "fp:Observation"),        # an undeclared prefix
    ("SELECT ?s WHERE {\n  ?s ?p ?o\n}\nLIMT 10", 4, None),                          # a misspelt keyword
])
def test_editor_marks_the_endpoints_parse_error(pg, multi_server, query, line, marked):
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(multi_server + "/sparql?query=" + quote(query))
    message = e.value.read().decode()
    where = message.split("error at ", 1)[1].split(":")[:2]
    assert int(where[0]) == line
    pg.goto(multi_server + "/query?query=" + quote(query))
    pg.wait_for_selector("#editor[data-ready='1']")
    mark = pg.locator(".cm-lintRange-error")
    assert mark.count() == 1
    start = int(pg.get_attribute("#editor", "data-error-from"))
    end = int(pg.get_attribute("#editor", "data-error-to"))
    line_start = sum(len(s) + 1 for s in query.split("\n")[: line - 1])
    col = int(where[1])
    assert line_start <= start < end and start <= line_start + col - 1 <= end   # the span holds the position
    assert mark.inner_text() == query[start:end]
    if marked:
        assert query[start:end] == marked
    assert pg.locator(".cm-lint-marker-error").count() == 1         # and the gutter says so


def rows_of(page, col: int) -> list[str]:
    return page.evaluate("""c => Array.from(document.querySelectorAll('#results-table tbody tr'))
        .filter(tr => !tr.hidden).map(tr => tr.cells[c].querySelector('.lit, a') ?
            tr.cells[c].querySelector('.lit, a').textContent : tr.cells[c].textContent)""", col)


def test_results_sort_filter_and_page(pg, multi_server):
    query = PREFIXES + """SELECT ?place ?value WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refArea/rdfs:label ?place ; fp:value ?value .
} LIMIT 300"""
    expected = sparql(multi_server, query)
    pg.goto(multi_server + "/query?query=" + quote(query))
    pg.wait_for_selector("#results-table[data-ready='1']")
    assert pg.locator("#results-table tbody tr:not([hidden])").count() == 50        # paged by 50
    pg.select_option("#results-page-size", "0")
    assert len(rows_of(pg, 1)) == len(expected)
    # sort by ?value: numerically, both ways
    pg.click("#results-table thead th:nth-child(3)")
    values = [float(v) for v in rows_of(pg, 2)]
    assert values == sorted(float(r["value"]) for r in expected)
    pg.click("#results-table thead th:nth-child(3)")
    assert [float(v) for v in rows_of(pg, 2)] == sorted((float(r["value"]) for r in expected), reverse=True)
    assert pg.get_attribute("#results-table thead th:nth-child(3)", "aria-sort") == "descending"
    # filter: the rows holding the words typed
    pg.fill("#results-filter", "长顺")
    pg.wait_for_function("() => document.getElementById('results-status').textContent.includes('筛选')")
    places = rows_of(pg, 1)
    assert places and set(places) == {"长顺县"}
    assert len(places) == sum(1 for r in expected if "长顺" in r["place"] or "长顺" in r["value"])
    # pages of 25: the second page holds rows 26–50 of the filtered, sorted rows
    pg.fill("#results-filter", "")
    pg.wait_for_function("() => !document.getElementById('results-status').textContent.includes('筛选')")
    pg.select_option("#results-page-size", "25")
    first = [float(v) for v in rows_of(pg, 2)]
    pg.click("#results-next")
    second = [float(v) for v in rows_of(pg, 2)]
    ordered = sorted((float(r["value"]) for r in expected), reverse=True)
    assert first == ordered[:25] and second == ordered[25:50]
    assert "第 2 /" in pg.inner_text("#results-page")


def test_results_chart_bars_match_the_rows(pg, multi_server, artifacts):
    expected = sparql(multi_server, BY_PLACE)
    pg.goto(multi_server + "/query?query=" + quote(BY_PLACE))
    pg.wait_for_selector("#results-table[data-ready='1']")
    pg.click("#chart-toggle")
    pg.wait_for_selector("#results-chart svg")
    assert pg.get_attribute("#results-chart", "data-kind") == "bar"
    bars = pg.evaluate("""() => Array.from(document.querySelectorAll('#results-chart rect.bar')).map(r =>
        ({label: r.getAttribute('data-label'), value: +r.getAttribute('data-value'), width: +r.getAttribute('width')}))""")
    assert [b["label"] for b in bars] == [r["place"] for r in expected]
    assert [b["value"] for b in bars] == [float(r["facts"]) for r in expected]
    top = max(bars, key=lambda b: b["value"])
    for b in bars:                                   # lengths in proportion to the values
        assert b["width"] == pytest.approx(top["width"] * b["value"] / top["value"], abs=0.6)
    pg.locator("#results-chart").screenshot(path=str(artifacts / "results-chart.png"))
    # sorting the table re-orders the bars
    pg.click("#results-table thead th:nth-child(3)")
    pg.click("#results-table thead th:nth-child(3)")
    values = pg.evaluate("() => Array.from(document.querySelectorAll('#results-chart rect.bar')).map(r => +r.getAttribute('data-value'))")
    assert values == sorted((float(r["facts"]) for r in expected), reverse=True)


def test_results_chart_line_by_year(pg, multi_server):
    expected = sparql(multi_server, BY_YEAR)
    pg.goto(multi_server + "/query?query=" + quote(BY_YEAR))
    pg.wait_for_selector("#results-table[data-ready='1']")
    pg.click("#chart-toggle")
    assert pg.get_attribute("#results-chart", "data-kind") == "line"      # a year column: a line
    points = pg.evaluate("""() => Array.from(document.querySelectorAll('#results-chart circle.point')).map(c =>
        [c.getAttribute('data-x'), +c.getAttribute('data-value'), +c.getAttribute('cy')])""")
    assert [(p[0], p[1]) for p in points] == [(r["year"], float(r["facts"])) for r in expected]
    for (_, va, ya), (_, vb, yb) in zip(points, points[1:]):     # higher values higher up
        assert (va > vb) == (ya < yb) or va == vb


def test_results_download_the_rows_shown(pg, multi_server):
    expected = sparql(multi_server, BY_PLACE)
    pg.goto(multi_server + "/query?query=" + quote(BY_PLACE))
    pg.wait_for_selector("#results-table[data-ready='1']")
    pg.fill("#results-filter", "县")
    pg.wait_for_function("() => document.getElementById('results-status').textContent.includes('筛选')")
    with pg.expect_download() as dl:
        pg.click("#view-download-csv")
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
    assert rows == [{"place": r["place"], "facts": r["facts"]} for r in expected if "县" in r["place"]]
    with pg.expect_download() as dl:
        pg.click("#view-download-json")
    data = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert [d["place"] for d in data] == [r["place"] for r in rows]
    # the whole result, from the endpoint
    with pg.expect_download() as dl:
        pg.click("a.download[data-format='tsv']")
    lines = Path(dl.value.path()).read_text(encoding="utf-8").strip().split("\n")
    assert lines[0] == "?place\t?facts" and len(lines) == len(expected) + 1
