"""Every page in Chromium at 1280 px and on a 390 px phone: no request to any host but the server,
no script error, and on the phone nothing wider than the screen — the page itself
(``document.documentElement.scrollWidth``) and every element's box, except inside a box that
scrolls (a table in its own box); clipping with ``overflow: hidden`` does not count as fitting.
Screenshots of every page at both widths go to test-artifacts/web/ (not committed)."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import quote

import pytest

from .conftest import MD_DOC, open_page

SEED = "ruzhou-2018-poverty-alleviation"
BY_PLACE = ("PREFIX fp: <https://w3id.org/fupin/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>\n"
            "SELECT ?place ?indicator ?value WHERE {\n  ?obs a fp:Observation ; sdmx-dimension:refArea/rdfs:label ?place ;\n"
            "       fp:indicator/rdfs:label ?indicator ; fp:value ?value .\n} LIMIT 100")

# name → path; the main pages of the site, with several reports in the store
PAGES = {
    "home": "/",
    "ask-single": "/?q=" + quote("汝州市2015年退出多少贫困村"),
    "ask-breakdown": "/?q=" + quote("致贫原因有哪些"),
    "ask-comparison": "/?q=" + quote("发放小额信贷多少"),
    "ask-series": "/?q=" + quote("每年退出多少个贫困村"),
    "ask-refused": "/?q=" + quote("今天天气怎么样"),
    "query": "/query",
    "query-results": "/query?query=" + quote(BY_PLACE),
    "query-error": "/query?query=" + quote("SELECT ?s WHERE {\n  ?s a fp:Observation\n}"),
    "documents": "/documents",
    "document": f"/documents/{SEED}",
    "document-text": f"/documents/{SEED}?view=text",
    "document-markdown": f"/documents/{MD_DOC}",
    "document-tables": "/documents/changshun-poverty-overview",
    "entities": "/entities",
    "place": "/id/place/" + quote("长顺县"),
    "village": "/id/place/" + quote("枫林村"),
    "indicators": "/indicators",
    "indicator": "/indicator/poverty-reduction",
    "facts": "/facts",
    "facts-faceted": "/facts?place=" + quote("汝州市"),
    "graph": "/graph",
    "graph-document": "/graph?doc=changshun-poverty-overview",
    "quality": "/quality",
    "export": "/export",
    "add": "/add",
    "resource": "/resource?iri=" + quote("https://w3id.org/fupin/ontology#Observation"),
}

OVERFLOW = """() => {
  const W = document.documentElement.clientWidth;
  const scrolls = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.getBoundingClientRect().right <= W + 0.5) return true; }
    return false; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const wide = [], clipped = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > W + 0.5 || r.left < -0.5) && !scrolls(el)) wide.push(name(el) + ' ' + Math.round(r.left) + '–' + Math.round(r.right));
    const s = getComputedStyle(el);
    if ((s.overflowX === 'hidden' || s.overflowX === 'clip') && el.scrollWidth > el.clientWidth + 1)
      clipped.push(name(el));
  }
  const root = getComputedStyle(document.documentElement).overflowX, body = getComputedStyle(document.body).overflowX;
  return {W, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 10), clipped: clipped.slice(0, 10),
          root, body};
}"""


@pytest.fixture(scope="module")
def observation(multi_server) -> str:
    d = json.loads(urllib.request.urlopen(f"{multi_server}/documents/{SEED}.json").read())
    return d["facts"][0]["url"]


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if "/query" in url:
        page.wait_for_selector("#editor[data-ready='1']")
    if "/graph" in url:
        page.wait_for_selector("#graph-canvas[data-ready='1']", timeout=20000)


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_fits_and_stays_on_the_server(browser, multi_server, observation, artifacts, width):
    pages = dict(PAGES, observation=observation)
    ctx, page = open_page(browser, multi_server, width=width, height=860)
    try:
        for name, path in pages.items():
            visit(page, multi_server + path)
            page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
            assert not page.outside, (name, page.outside)
            assert not page.errors, (name, page.errors)
            if width == 390:
                m = page.evaluate(OVERFLOW)
                assert m["W"] == 390, name
                assert m["scrollWidth"] <= 390, (name, m)
                assert not m["wide"], (name, m["wide"])
                assert not m["clipped"], (name, m["clipped"])
                assert m["root"] != "hidden" and m["body"] != "hidden", name
    finally:
        ctx.close()


def test_tables_scroll_in_their_own_box_on_a_phone(browser, multi_server):
    """The fact table of a place is wider than a phone: its box scrolls, the page does not."""
    ctx, page = open_page(browser, multi_server, width=390, height=860)
    try:
        visit(page, multi_server + PAGES["place"])
        box = page.locator("#facts .table-wrap")
        sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth, getComputedStyle(b).overflowX]")
        assert sizes[0] > sizes[1] and sizes[2] == "auto"
        box.evaluate("b => { b.scrollLeft = 10000; }")
        assert box.evaluate("b => b.scrollLeft") > 0
        assert page.evaluate("document.documentElement.scrollWidth") == 390
        # the phone's charts: the narrow drawing, the wide one hidden
        assert page.locator(".chart-narrow svg").first.is_visible()
        assert not page.locator(".chart-wide svg").first.is_visible()
    finally:
        ctx.close()
