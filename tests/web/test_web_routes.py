"""Every route through Flask's test client: status and content type, as tables."""

from __future__ import annotations

import json

import pytest

HTML = "text/html"
JSON = "application/json"

# (path, status, content type); {placeholders} are filled from the `ids` fixture
PAGES = [
    ("/", 200, HTML),
    ("/ask", 200, HTML),
    ("/query", 200, HTML),
    ("/query?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%203", 200, HTML),
    ("/query?query=ASK%20%7B%7D", 200, HTML),
    ("/query?query=CONSTRUCT%20WHERE%20%7B%3Fs%20a%20%3Ft%7D%20LIMIT%203", 200, HTML),
    ("/query?query=SELECT%20*%20WHERE%20%7B", 400, HTML),
    ("/query?query=CLEAR%20ALL", 403, HTML),
    ("/documents", 200, HTML),
    ("/documents/{doc}", 200, HTML),
    ("/documents/no-such-document", 404, HTML),
    ("{obs}", 200, HTML),
    ("{place}", 200, HTML),
    ("{entity}", 200, HTML),
    ("/id/place/不存在的地方", 404, HTML),
    ("/id/report/{doc}", 302, HTML),
    ("/resource?iri=https%3A%2F%2Fw3id.org%2Ffupin%2Fontology%23Observation", 200, HTML),
    ("/resource?iri=urn%3Anothing", 404, HTML),
    ("/resource", 400, HTML),
    ("/entities", 200, HTML),
    ("/entities?type=Place", 200, HTML),
    ("/entities?q=汝州", 200, HTML),
    ("/indicators", 200, HTML),
    ("{indicator}", 200, HTML),
    ("/indicator/no-such-indicator", 404, HTML),
    ("/graph", 200, HTML),
    ("/graph?doc={doc}", 200, HTML),
    ("/graph?doc=nope", 404, HTML),
    ("/quality", 200, HTML),
    ("/export", 200, HTML),
    ("/no/such/page", 404, HTML),
    ("/static/kg.css", 200, "text/css"),
    ("/static/kg.js", 200, "text/javascript"),
    ("/static/graph.js", 200, "text/javascript"),
    ("/static/favicon.svg", 200, "image/svg+xml"),
]

JSON_TWINS = [
    ("/documents.json", 200, JSON),
    ("/documents/{doc}.json", 200, JSON),
    ("{obs}.json", 200, JSON),
    ("{place}.json", 200, JSON),
    ("{entity}.json", 200, JSON),
    ("/entities.json", 200, JSON),
    ("/entities.json?type=Place", 200, JSON),
    ("/indicators.json", 200, JSON),
    ("{indicator}.json", 200, JSON),
    ("/graph.json", 200, JSON),
    ("/graph.json?doc={doc}", 200, JSON),
    ("/quality.json", 200, JSON),
    ("/export.json", 200, JSON),
    ("/resource.json?iri=https%3A%2F%2Fw3id.org%2Ffupin%2Fontology%23Observation", 200, JSON),
    ("/documents/no-such-document.json", 404, JSON),
    ("/indicator/no-such-indicator.json", 404, JSON),
    ("/nothing-here.json", 404, JSON),
    ("/api", 200, JSON),
    ("/api/stats", 200, JSON),
    ("/api/search?q=汝州", 200, JSON),
    ("/api/search", 400, JSON),
    ("/api/ask", 400, JSON),
]

EXPORTS = [
    ("/export/kg.ttl", 200, "text/turtle"),
    ("/export/kg.nt", 200, "application/n-triples"),
    ("/export/kg.jsonld", 200, "application/ld+json"),
    ("/export/kg.trig", 200, "application/trig"),
    ("/export/kg.csv", 200, "text/csv"),
    ("/export/kg.csv?bom=1", 200, "text/csv"),
    ("/export/kg.graphml", 200, "application/graphml+xml"),
    ("/export/kg.xls", 404, HTML),
]

SPARQL = [
    ("/sparql", 200, "text/turtle"),
    ("/sparql/", 200, "text/turtle"),
    ("/sparql?query=ASK%20%7B%7D", 200, "application/sparql-results+json"),
    ("/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201&format=csv", 200, "text/csv"),
    ("/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201&format=tsv", 200, "text/tab-separated-values"),
    ("/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201&format=xml", 200, "application/sparql-results+xml"),
    ("/sparql?query=CONSTRUCT%20WHERE%20%7B%3Fs%20a%20%3Ft%7D%20LIMIT%201", 200, "text/turtle"),
    ("/sparql?query=DESCRIBE%20%3Curn%3Ax%3E", 200, "text/turtle"),
    ("/sparql?query=ASK%20%7B", 400, "text/plain"),
    ("/sparql?update=CLEAR%20ALL", 403, "text/plain"),
    ("/sparql?query=CLEAR%20ALL", 403, "text/plain"),
]


def fill(path: str, ids: dict) -> str:
    return path.format(**{k: v for k, v in ids.items() if isinstance(v, str)})


@pytest.mark.parametrize("path,status,ctype", PAGES + JSON_TWINS + EXPORTS + SPARQL)
def test_route(client, ids, path, status, ctype):
    r = client.get(fill(path, ids))
    assert r.status_code == status, (path, r.data[:500])
    assert r.mimetype == ctype, (path, r.content_type)
    if ctype == HTML and status == 200:
        assert "charset=utf-8" in r.content_type
        body = r.get_data(as_text=True)
        assert body.startswith("<!doctype html>")
        assert '<html lang="zh-CN">' in body
        assert "cdn" not in body.lower() and "http://" not in body.split("<main>")[0].replace("http://www.w3.org", "")


@pytest.mark.parametrize("path", ["/documents", "/entities", "/indicators", "/graph", "/quality", "/export",
                                  "/documents/{doc}", "{place}", "{indicator}", "{obs}"])
def test_accept_json_same_as_suffix(client, ids, path):
    p = fill(path, ids)
    by_accept = client.get(p, headers={"Accept": "application/json"})
    base, _, qs = p.partition("?")
    by_suffix = client.get(base + ".json" + ("?" + qs if qs else ""))
    assert by_accept.status_code == by_suffix.status_code == 200
    assert by_accept.mimetype == JSON
    assert by_accept.get_json() == by_suffix.get_json()
    assert by_suffix.headers["Access-Control-Allow-Origin"] == "*"


def test_json_is_utf8_not_escaped(client, ids):
    r = client.get(f"/documents/{ids['doc']}.json")
    raw = r.data.decode("utf-8")
    assert "\\u" not in raw[:2000]
    d = json.loads(raw)
    assert d["doc"] == ids["doc"]
    assert "汝州" in d["text"]
    assert d["facts"] and all({"observation", "value", "mentions"} <= set(f) for f in d["facts"])


def test_document_page_highlights_every_fact(client, ids):
    d = client.get(f"/documents/{ids['doc']}.json").get_json()
    html = client.get(f"/documents/{ids['doc']}").get_data(as_text=True)
    for f in d["facts"]:
        assert f'href="{f["url"]}"' in html, f["label"]
    m = d["facts"][0]["mentions"][0]
    assert f'id="char={m["start"]},{m["end"]}"' in html
    import html as htmllib
    import re
    # rendered (the seed is Markdown): every piece of text is the text's own characters at its offsets
    pieces = re.findall(r'data-s="(\d+)" data-e="(\d+)"[^>]*>([^<]*)<', html)
    assert len(pieces) > 100
    for s, e, piece in pieces:
        assert htmllib.unescape(piece) == d["text"][int(s):int(e)]
    # as plain text (?view=text): every character of the document is on the page
    plain = client.get(f"/documents/{ids['doc']}?view=text").get_data(as_text=True)
    article = plain.split('id="doc-text"', 1)[1].split("</article>", 1)[0]
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", article.split(">", 1)[1]))
    assert text == d["text"]


def test_observation_page_links_back_to_source(client, ids):
    html = client.get(ids["obs"]).get_data(as_text=True)
    f = ids["fact"]
    m = f["mentions"][0]
    assert f"/documents/{ids['doc']}#char={m['start']},{m['end']}" in html
    assert '<mark class="hit">' + m["surface"] + "</mark>" in html


def test_entity_page_lists_facts_and_relations(client, ids):
    d = client.get(ids["place"] + ".json").get_json()
    assert d["label"] == ids["place_label"]
    assert d["is_place"]
    assert isinstance(d["relations"], list) and isinstance(d["mentions"], list)
    e = client.get(ids["entity"] + ".json").get_json()
    assert e["label"] == ids["entity_label"]
    assert e["mentions"], "an entity page lists where the entity is mentioned"


def test_indicator_page_has_chart(client, ids):
    d = client.get(ids["indicator"] + ".json").get_json()
    assert d["label"] == ids["indicator_label"] and d["facts"]
    html = client.get(ids["indicator"]).get_data(as_text=True)
    if d["charts"]:
        assert "<svg" in html and 'class="chart' in html


def test_graph_json_from_networkx(client, ids):
    g = client.get("/graph.json").get_json()
    assert g["nodes"] and g["edges"]
    ids_ = {n["id"] for n in g["nodes"]}
    assert all(e["source"] in ids_ and e["target"] in ids_ for e in g["edges"])
    assert all({"x", "y", "label", "type", "url"} <= set(n) for n in g["nodes"])
    scoped = client.get(f"/graph.json?doc={ids['doc']}").get_json()
    assert scoped["doc"] == ids["doc"] and scoped["nodes"]


def test_quality_is_cached(client):
    import time
    t0 = time.perf_counter()
    first = client.get("/quality.json").get_json()
    t1 = time.perf_counter()
    second = client.get("/quality.json").get_json()
    t2 = time.perf_counter()
    assert first == second
    assert {"conforms", "violations", "checks", "shacl_text"} <= set(first)
    assert t2 - t1 < max(0.5, (t1 - t0) / 2)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_export_rdf_parses(client, fmt):
    import rdflib
    r = client.get(f"/export/kg.{fmt}")
    assert r.headers["Content-Disposition"] == f'attachment; filename="kg.{fmt}"'
    g = rdflib.Dataset() if fmt in ("trig", "jsonld") else rdflib.Graph()
    g.parse(data=r.data, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}[fmt])
    assert len(g) > 100
    assert any("汝州" in str(o) for o in (g.objects() if fmt not in ("trig", "jsonld") else
                                          (q[2] for q in g.quads())))


def test_export_csv_bom(client):
    plain = client.get("/export/kg.csv").data
    bom = client.get("/export/kg.csv?bom=1").data
    assert not plain.startswith(b"\xef\xbb\xbf") and bom.startswith(b"\xef\xbb\xbf")
    assert plain.decode("utf-8").splitlines()[0].startswith("doc,")


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
