"""The data pages and answers in Chromium against a real server holding several reports: every
data page's .csv twin (downloaded from its link, read with Python's csv), facets narrowing the
fact tables (counts checked against SPARQL counts), answers with several values (every part,
one row per place, a line), the Markdown reader, place pages (targets dashed, breadcrumbs), and
one number format."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest

from kg.web.numbers import fmt_num

from .conftest import MD_DOC, open_page
from .test_web_editor import sparql

SEED = "ruzhou-2018-poverty-alleviation"
P = ("PREFIX fp: <https://w3id.org/fupin/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
     "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
     "PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>\n")
# an observation as the fact tables list it (an indicator, a value, a place, a period, a source)
FACT = """?obs a fp:Observation ; fp:indicator ?ind ; fp:value ?v ; sdmx-dimension:refArea ?place ;
       sdmx-dimension:refPeriod ?per ; prov:wasDerivedFrom ?report ; fp:mention ?m ."""


@pytest.fixture()
def pg(browser, multi_server):
    ctx, page = open_page(browser, multi_server)
    yield page
    ctx.close()
    assert not page.outside, f"requests to other hosts: {page.outside}"
    assert not page.errors, f"script errors: {page.errors}"


def get_json(base: str, path: str):
    """The .json twin of a page (Chinese in the path or the query string allowed)."""
    p, _, q = path.partition("?")
    url = base + quote(p, safe="/%") + ".json" + ("?" + quote(q, safe="=&%") if q else "")
    return json.loads(urllib.request.urlopen(url).read())


def named(var: str, label: str) -> str:
    """A SPARQL pattern: ?var's rdfs:label is ``label`` (in any language)."""
    return f'?{var} rdfs:label ?{var}Label . FILTER(STR(?{var}Label) = "{label}")'


def count(base: str, where: str) -> int:
    return int(sparql(base, P + f"SELECT (COUNT(DISTINCT ?obs) AS ?n) WHERE {{ {FACT} {where} }}")[0]["n"])


# ---------------------------------------------------------------------- .csv twins
def csv_pages(base: str) -> dict[str, callable]:
    """Data page → the rows of its .json twin that its .csv must hold."""
    obs = get_json(base, f"/documents/{SEED}")["facts"][0]["url"]
    prog = next(e for g in get_json(base, "/entities?type=Programme")["groups"] for e in g["entities"])["url"]
    return {
        "/documents": lambda j: j["documents"],
        f"/documents/{SEED}": lambda j: j["facts"],
        "/indicators": lambda j: j["indicators"],
        "/indicator/exited-poor-villages": lambda j: j["facet"]["rows"],
        "/entities": lambda j: [e for g in j["groups"] for e in g["entities"]],
        "/id/place/长顺县": lambda j: j["facet"]["rows"],
        prog: lambda j: j["facts"] or j["sentence_facts"] or j["mentions"],
        obs: lambda j: [j],
        "/facts?place=汝州市": lambda j: [None] * j["count"],
        "/quality": lambda j: j["checks"],
        "/graph": lambda j: j["nodes"],
        "/?q=" + "致贫原因有哪些": lambda j: j["values"],
        "/resource?iri=" + quote("https://w3id.org/fupin/ontology#Observation"): lambda j: j["out"] + j["in"],
    }


def test_every_data_page_has_a_csv_twin(pg, multi_server):
    for path, rows_of in csv_pages(multi_server).items():
        expected = rows_of(get_json(multi_server, path))
        pg.goto(multi_server + path)
        link = pg.locator("a.csv-link")
        assert link.count() == 1, path
        assert pg.locator("a.json-link").count() >= 1, path
        with pg.expect_download() as dl:
            link.click()
        raw = Path(dl.value.path()).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), path
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
        assert len(rows) == len(expected), path
        for row, want in zip(rows, expected):
            for key in ("observation", "doc", "iri", "id", "name", "value"):
                if want is not None and key in row and isinstance(want.get(key), (str, int, float)):
                    assert row[key] == str(want[key]) or Decimal(row[key]) == Decimal(str(want[key])), (path, key)
        with pg.expect_download() as dl:
            pg.click("a.csv-bom-link")
        bom = Path(dl.value.path()).read_bytes()
        assert bom.startswith(b"\xef\xbb\xbf") and bom[3:] == raw, path


def test_csv_keeps_chinese_and_the_numbers(multi_server):
    text = urllib.request.urlopen(multi_server + "/id/place/" + quote("汝州市") + ".csv").read().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    facts = get_json(multi_server, "/id/place/" + quote("汝州市"))["facts"]
    assert [r["observation"] for r in rows] == [f["observation"] for f in facts]
    assert all(r["place"] == "汝州市" for r in rows)
    assert {Decimal(r["value"]) for r in rows} == {Decimal(str(f["value"])) for f in facts}


# ---------------------------------------------------------------------- facets
def facet_counts(page, param: str) -> dict[str, int]:
    return {a.get_attribute("data-value"): int(a.get_attribute("data-count"))
            for a in page.locator(f".facet[data-param='{param}'] li a").all()}


def test_facets_narrow_the_facts_table(pg, multi_server, artifacts):
    pg.goto(multi_server + "/facts")
    total = count(multi_server, "")
    assert f"{total} 条" in pg.inner_text("#facts-count")
    places = facet_counts(pg, "place")
    assert places["汝州市"] == count(multi_server, named("place", "汝州市"))
    pg.click(".facet[data-param='place'] a[data-value='汝州市']")
    pg.wait_for_selector("#facet-chosen")
    n = count(multi_server, named("place", "汝州市"))
    assert pg.inner_text("#facts-count").startswith(f"{n} 条")
    assert set(pg.locator("#facts-table tbody td.place").all_inner_texts()) == {"汝州市"}
    # the period facet now counts 汝州市's facts only, each as SPARQL counts them
    periods = facet_counts(pg, "period")
    by_period = sparql(multi_server, P + f"""SELECT ?label (COUNT(DISTINCT ?obs) AS ?n) WHERE {{ {FACT}
        {named("place", "汝州市")} ?per rdfs:label ?l BIND(STR(?l) AS ?label) }} GROUP BY ?label""")
    assert periods == {r["label"]: int(r["n"]) for r in by_period}
    period, n = next((p, c) for p, c in periods.items() if c > 1)
    pg.click(f".facet[data-param='period'] a[data-value='{period}']")
    pg.wait_for_selector("#facet-chosen a[data-param='period']")
    assert pg.locator("#facts-table tbody tr").count() == n
    assert set(pg.locator("#facts-table tbody td.period").all_inner_texts()) == {period}
    pg.screenshot(path=str(artifacts / "facts-faceted-1280.png"), full_page=True)
    # kind: the targets among them
    kinds = facet_counts(pg, "kind")
    targets = count(multi_server, named("place", "汝州市") + named("per", period) + " ?obs fp:kind fp:Target .")
    assert kinds.get("target", 0) == targets
    # removing a choice widens the table again
    pg.click("#facet-chosen a[data-param='period']")
    pg.wait_for_function("n => document.getElementById('facts-count').textContent.startsWith(n + ' 条')",
                         arg=count(multi_server, named("place", "汝州市")))


def test_facets_on_an_indicator_page(pg, multi_server):
    pg.goto(multi_server + "/indicator/exited-poor-villages")
    places = facet_counts(pg, "place")
    by_place = sparql(multi_server, P + f"""SELECT ?label (COUNT(DISTINCT ?obs) AS ?n) WHERE {{ {FACT}
        ?obs fp:indicator <https://w3id.org/fupin/indicator/exited-poor-villages> .
        ?place rdfs:label ?l BIND(STR(?l) AS ?label) }} GROUP BY ?label""")
    assert places == {r["label"]: int(r["n"]) for r in by_place}
    assert pg.locator(".facet[data-param='indicator']").count() == 0        # the page's own indicator
    place = max(places, key=places.get)
    pg.click(f".facet[data-param='place'] a[data-value='{place}']")
    pg.wait_for_selector("#facet-chosen")
    assert pg.locator("#facts-table tbody tr").count() == places[place]


# ---------------------------------------------------------------------- answers
def bars(page, scope: str) -> list[dict]:
    return page.evaluate("""s => Array.from(document.querySelectorAll(s + ' .chart-wide rect.bar')).map(r =>
        ({label: r.getAttribute('data-label'), value: +r.getAttribute('data-value'), width: +r.getAttribute('width')}))""",
                         scope)


def ask(base: str, q: str) -> dict:
    return json.loads(urllib.request.urlopen(base + "/api/ask?q=" + quote(q)).read())


def assert_proportional(drawn: list[dict], lengths: list[float]):
    top = max(range(len(lengths)), key=lambda i: lengths[i])
    for d, v in zip(drawn, lengths):
        assert d["width"] == pytest.approx(drawn[top]["width"] * v / lengths[top], abs=0.6)


def test_breakdown_answer_shows_every_part_with_a_bar(pg, multi_server, artifacts):
    q = "致贫原因有哪些"
    j = ask(multi_server, q)
    parts = [v for v in j["values"] if v["breakdown"]]
    assert len(parts) == len(j["values"]) >= 5
    pg.goto(multi_server + "/?q=" + quote(q))
    assert pg.get_attribute("#answer-values", "data-view") == "breakdown"
    drawn = bars(pg, "#answer-chart")
    assert [b["label"] for b in drawn] == [v["breakdown"] for v in parts]
    assert [b["value"] for b in drawn] == [float(v["base_value"]) for v in parts]
    assert_proportional(drawn, [float(v["base_value"]) for v in parts])
    assert pg.locator("#answer-table tbody tr").count() == len(parts)
    assert pg.locator("#answer-table td.part").all_inner_texts() == [v["breakdown"] for v in parts]
    pg.screenshot(path=str(artifacts / "ask-breakdown-1280.png"), full_page=True)


@pytest.mark.parametrize("q", ["2015年退出多少贫困村", "发放小额信贷多少"])
def test_comparison_answer_has_one_row_and_bar_per_place(pg, multi_server, q, artifacts):
    j = ask(multi_server, q)
    places = [v["place"] for v in j["values"]]
    assert len(set(places)) == len(places) >= 3
    pg.goto(multi_server + "/?q=" + quote(q))
    assert pg.get_attribute("#answer-values", "data-view") == "comparison"
    assert pg.locator("#answer-table td.place").all_inner_texts() == places
    drawn = bars(pg, "#answer-chart")
    assert [b["label"] for b in drawn] == places
    assert_proportional(drawn, [float(v["base_value"]) for v in j["values"]])   # 亿元 and 万元 alike, in 元
    texts = pg.locator("#answer-chart .chart-wide text.bar-value").all_text_contents()
    for v, text in zip(j["values"], texts):          # the value as written beside each bar
        assert text.startswith(fmt_num(v["value"]) + v["unit"])
    pg.screenshot(path=str(artifacts / f"ask-comparison-{len(q)}-1280.png"), full_page=True)


def test_series_answer_is_a_line(pg, multi_server):
    q = "每年退出多少个贫困村"
    j = ask(multi_server, q)
    pg.goto(multi_server + "/?q=" + quote(q))
    assert pg.get_attribute("#answer-values", "data-view") == "series"
    points = pg.evaluate("""() => Array.from(document.querySelectorAll('#answer-chart .chart-wide circle.point')).map(c =>
        [c.getAttribute('data-series'), +c.getAttribute('data-x'), +c.getAttribute('data-value')])""")
    assert sorted(points) == sorted([v["place"], v["year"], float(v["base_value"])] for v in j["values"])
    assert pg.locator("#answer-chart .chart-wide polyline.series").count() == len({v["place"] for v in j["values"]
                                                                                   if sum(w["place"] == v["place"] for w in j["values"]) > 1})


def test_one_number_format(pg, multi_server):
    cases = [7928, 27747, 2997.4, 45.97, 0.5, 100, 1000, -12345.678, 210000000, 5.2, 0, 1.31]
    assert [fmt_num(v) for v in cases] == ["7,928", "27,747", "2,997.4", "45.97", "0.5", "100", "1,000",
                                           "-12,345.678", "210,000,000", "5.2", "0", "1.31"]
    assert fmt_num(Decimal("5.20")) == "5.2" and fmt_num(Decimal("27747")) == "27,747"
    pg.goto(multi_server + "/")
    assert pg.evaluate("c => c.map(v => window.kg.fmtNum(v))", cases) == [fmt_num(v) for v in cases]
    # on the page: the value as written, and its base value beside it
    pg.goto(multi_server + "/?q=" + quote("发放小额信贷多少"))
    cells = pg.locator("#answer-table tbody tr").first.locator("td").all_inner_texts()
    j = ask(multi_server, "发放小额信贷多少")["values"][0]
    assert fmt_num(j["value"]) + j["unit"] in cells and fmt_num(j["base_value"]) + j["base_unit"] in cells


# ---------------------------------------------------------------------- the reader and place pages
def test_reader_renders_a_markdown_table(pg, multi_server, artifacts):
    d = get_json(multi_server, f"/documents/{MD_DOC}")
    pg.goto(multi_server + f"/documents/{MD_DOC}")
    assert pg.inner_text("h1") == d["title"]
    assert MD_DOC not in pg.inner_text(".doc-head h1") + pg.inner_text(".doc-head .meta")   # the id: in the URL
    table = pg.locator("#doc-text table.md")
    assert table.count() == 1
    assert table.locator("th").all_inner_texts() == ["年份", "退出贫困村", "减少贫困人口"]
    assert table.locator("tbody tr").count() == 3
    assert pg.locator("#doc-text h2").count() == 1 and pg.locator("#doc-text h3").count() == 2
    assert pg.locator("#doc-text ul li").count() == 2 and pg.locator("#doc-text ol li").count() == 2
    assert "|" not in pg.inner_text("#doc-text") and "**" not in pg.inner_text("#doc-text")
    # a fact in a table cell: the highlight is on its characters
    fact = next(f for f in d["facts"] if f["period"] == "2017年" and f["unit"] == "个")
    m = fact["mentions"][0]
    pg.goto(multi_server + f"/documents/{MD_DOC}#char={m['start']},{m['end']}")
    pg.wait_for_selector("#doc-text .target")
    marked = pg.evaluate("() => Array.from(document.querySelectorAll('#doc-text .target')).map(e => e.textContent).join('')")
    assert marked == d["text"][m["start"]:m["end"]] == m["surface"]
    assert pg.locator("#doc-text td .target").count() >= 1
    assert pg.locator("#doc-text strong a.fact").count() == 1        # **450户**: bold, and a fact
    pg.screenshot(path=str(artifacts / "reader-markdown-1280.png"), full_page=True)


def crumbs(page) -> list[str]:
    return page.locator("#breadcrumbs li").all_inner_texts()


def test_place_page_charts_targets_dashed_and_its_breadcrumbs(pg, multi_server, artifacts):
    path = "/id/place/" + quote("长顺县")
    j = get_json(multi_server, path)
    pg.goto(multi_server + path)
    assert crumbs(pg) == ["中国", "贵州省", "黔南布依族苗族自治州", "长顺县"]
    title = "减少贫困人口（人）"
    chart = pg.locator(".chart-wide svg", has=pg.locator(f"text.chart-title:text-is('{title}')"))
    assert chart.count() == 1
    target = chart.locator("polyline.series.target")
    assert target.count() == 1 and target.get_attribute("stroke-dasharray")
    want = {}
    for f in j["facts"]:
        if f["indicator_label"] == "减少贫困人口" and f["base_unit"] == "人" and not f["breakdown"] \
                and f["start_year"] == f["end_year"]:
            want.setdefault((f["kind"], f["start_year"]), float(f["value"] if f["unit"] == "人" else f["base_value"]))
    drawn = {("target" if c.get_attribute("data-series") == "目标/计划" else "actual", int(c.get_attribute("data-x"))):
             float(c.get_attribute("data-value")) for c in chart.locator("circle.point").all()}
    assert drawn == want and any(k == "target" for k, _ in drawn) and any(k == "actual" for k, _ in drawn)
    pg.screenshot(path=str(artifacts / "place-1280.png"), full_page=True)
    pg.goto(multi_server + "/id/place/" + quote("枫林村"))
    assert crumbs(pg) == ["中国", "湖南省", "常德市", "桃源县", "茶庵铺镇", "枫林村"]
    linked = pg.locator("#breadcrumbs a").all_inner_texts()
    assert linked == ["湖南省", "桃源县", "茶庵铺镇"]                   # the places the graph has pages for
