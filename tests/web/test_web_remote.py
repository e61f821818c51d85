"""The web app with an external SPARQL server as its store: a real `oxigraph serve` on 127.0.0.1
loaded with the seed corpus (kg.ingest.ingest through kg.remote.RemoteStore). Pages and
/api/ask go through RemoteStore; /sparql forwards the checked query to the server's query
endpoint. Everything is compared with the same app on the embedded store."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from kg.web.examples import QUESTIONS

from .conftest import DOC, KgServer

PFX = """PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
"""
SELECT = PFX + "SELECT ?doc ?title WHERE { ?r a fp:Report ; dct:identifier ?doc ; dct:title ?title }"
FACTS = PFX + """SELECT ?obs ?value WHERE { ?obs a fp:Observation ; fp:value ?value } ORDER BY ?obs"""
CONSTRUCT = PFX + "CONSTRUCT { ?r dct:title ?t ; dct:identifier ?d } WHERE { ?r a fp:Report ; dct:title ?t ; dct:identifier ?d }"
ASK = PFX + "ASK { ?r a fp:Report ; dct:identifier \"%s\" }" % DOC


@pytest.fixture(scope="module")
def rapp(oxigraph, tmp_path_factory):
    from kg.web.app import create_app
    app = create_app({"STORE": oxigraph, "QUERY_TIMEOUT": 1.5, "MAX_ROWS": 500, "WORKERS": 2,
                      "CORPUS": str(tmp_path_factory.mktemp("remote-corpus")), "WRITE_TOKEN": "remote-token-0123456789"})
    return app


@pytest.fixture()
def rc(rapp):
    return rapp.test_client()


def triples(body: bytes, media_type: str) -> set[str]:
    """The triples of an RDF document (the seed graph has no blank nodes: sets compare exactly)."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    return {f"{q.subject} {q.predicate} {q.object}" for q in ox.parse(body, format=fmt)}


def solutions(body: bytes, fmt=ox.QueryResultsFormat.JSON) -> list:
    return sorted(tuple(str(t) for t in row) for row in ox.parse_query_results(body, format=fmt))


# ---------------------------------------------------------------------- pages and answers
@pytest.mark.parametrize("path", ["/", "/documents", f"/documents/{DOC}", "/entities", "/indicators", "/graph",
                                  f"/graph?doc={DOC}", "/export", "/query", "/add", "/api/stats"])
def test_pages_work_on_the_external_store(rc, path):
    r = rc.get(path)
    assert r.status_code == 200, (path, r.data[:300])


def test_pages_equal_the_embedded_store(rc, client, ids):
    for path in ("/documents.json", f"/documents/{DOC}.json", ids["obs"] + ".json", ids["place"] + ".json",
                 ids["indicator"] + ".json", f"/graph.json?doc={DOC}"):
        a, b = rc.get(path), client.get(path)
        assert a.status_code == b.status_code == 200, path
        assert a.get_json() == b.get_json(), path


def test_document_page_on_the_external_store(rc, ids):
    r = rc.get(f"/documents/{DOC}")
    text = re.sub(r"<[^>]+>", "", r.text)
    assert ids["fact"]["mentions"][0]["surface"] in text
    assert r.text.count('class="fact') >= 50


def test_ask_equals_the_embedded_store(rc, client):
    answered = 0
    for q in QUESTIONS:
        a = rc.get("/api/ask", query_string={"q": q}).get_json()
        b = client.get("/api/ask", query_string={"q": q}).get_json()
        assert a["answer"] == b["answer"] and a["values"] == b["values"], q
        answered += a["answered"]
    assert answered >= len(QUESTIONS) // 2
    page = rc.get("/", query_string={"q": QUESTIONS[0]})
    assert page.status_code == 200 and 'id="answer"' in page.text


# ---------------------------------------------------------------------- /sparql forwarded
@pytest.mark.parametrize("fmt,parse", [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                                       ("tsv", ox.QueryResultsFormat.TSV)])
def test_select_equals_the_embedded_store(rc, client, fmt, parse):
    for q in (SELECT, FACTS):
        a = rc.get("/sparql", query_string={"query": q, "format": fmt})
        b = client.get("/sparql", query_string={"query": q, "format": fmt})
        assert a.status_code == b.status_code == 200
        assert a.headers["Content-Type"] == b.headers["Content-Type"]
        assert solutions(a.data, parse) == solutions(b.data, parse)


def test_select_csv_and_post_forms(rc, client):
    a = rc.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query", headers={"Accept": "text/csv"})
    b = client.post("/sparql", data={"query": SELECT}, headers={"Accept": "text/csv"})
    assert a.status_code == b.status_code == 200
    assert list(csv.reader(io.StringIO(a.text))) == list(csv.reader(io.StringIO(b.text)))


def test_construct_and_ask(rc, client):
    for accept in ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"):
        a = rc.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
        b = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
        assert a.status_code == 200 and a.mimetype == b.mimetype
        assert triples(a.data, accept) == triples(b.data, accept) and len(triples(a.data, accept)) == 2
    r = rc.get("/sparql", query_string={"query": ASK})
    assert r.status_code == 200 and r.get_json()["boolean"] is True
    r = rc.get("/sparql", query_string={"query": ASK.replace(DOC, "nope")})
    assert r.get_json()["boolean"] is False
    r = rc.get("/sparql", query_string={"query": f"DESCRIBE <https://w3id.org/fupin/id/report/{DOC}>"})
    assert r.status_code == 200 and "dct:title" in r.text or "title" in r.text


def test_datasets_and_relative_iris(rc, client):
    onto = "https://w3id.org/fupin/graph/ontology"
    doc_graph = f"https://w3id.org/fupin/graph/{DOC}"
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for params in ({"query": q, "default-graph-uri": onto}, {"query": q, "default-graph-uri": [onto, doc_graph]},
                   {"query": f"SELECT (COUNT(*) AS ?n) FROM <{onto}> WHERE {{ ?s ?p ?o }}"},
                   {"query": f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{doc_graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"},
                   {"query": q, "named-graph-uri": doc_graph},
                   {"query": 'SELECT ?x WHERE { BIND(<relative/path> AS ?x) }'}):
        a = rc.get("/sparql", query_string=params)
        b = client.get("/sparql", query_string=params)
        assert a.status_code == b.status_code == 200, (params, a.data[:300])
        assert solutions(a.data) == solutions(b.data), params
    r = rc.get("/sparql", query_string={"query": q, "default-graph-uri": "http://example.org/g"})
    assert r.status_code == 400


def test_row_cap_and_time_limit(rc):
    r = rc.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and r.headers["X-Result-Truncated"] == "true"
    doc = r.get_json()
    assert len(doc["results"]["bindings"]) == 500 and doc["truncated"] is True
    r = rc.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert r.status_code == 200 and r.headers["X-Result-Row-Limit"] == "500"
    assert len([ln for ln in r.text.splitlines() if ln and not ln.startswith("#")]) == 500
    r = rc.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    assert r.status_code == 503 and r.headers["X-Query-Timeout"] == "1.5"
    assert rc.get("/sparql", query_string={"query": ASK}).status_code == 200


def test_refusals_and_errors_are_the_same(rc):
    assert rc.get("/sparql", query_string={"query": "CLEAR ALL"}).status_code == 403
    assert rc.get("/sparql", query_string={"update": "DROP ALL"}).status_code == 403
    assert rc.get("/sparql", query_string={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}).status_code == 403
    r = rc.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400 and "syntax error" in r.text and "127.0.0.1" not in r.text
    assert rc.get("/sparql", query_string={"query": ASK}).get_json()["boolean"] is True, "nothing was dropped"


def test_service_description_lists_the_graphs(rc):
    r = rc.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and f"graph/{DOC}" in r.text


def test_exports_equal_the_embedded_store(rc, client):
    for name, media_type in (("kg.nt", "application/n-triples"), ("kg.ttl", "text/turtle")):
        a, b = rc.get(f"/export/{name}"), client.get(f"/export/{name}")
        assert a.status_code == b.status_code == 200
        assert triples(a.data, media_type) == triples(b.data, media_type) and len(triples(a.data, media_type)) > 6000
    assert rc.get("/export/kg.csv").data == client.get("/export/kg.csv").data


def test_unreachable_server_is_a_clear_503(tmp_path):
    from kg.web.app import create_app
    from .conftest import free_port
    app = create_app({"STORE": f"http://127.0.0.1:{free_port()}", "REMOTE_TIMEOUT": 2})
    c = app.test_client()
    r = c.get("/documents")
    assert r.status_code == 503 and "127.0.0.1" not in r.text
    r = c.get("/sparql", query_string={"query": "ASK {}"})
    assert r.status_code in (502, 503) and "127.0.0.1" not in r.text


# ---------------------------------------------------------------------- writing to the external store
def test_add_and_remove_on_the_external_store(rc, rapp, oxigraph):
    from kg.remote import RemoteStore

    def dump():
        return sorted(RemoteStore(oxigraph).dump("nq").decode("utf-8").splitlines())
    before = dump()
    r = rc.get("/add")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)
    origin = {"Origin": "http://localhost"}
    assert rc.post("/login", data={"csrf_token": csrf, "token": rapp.config["WRITE_TOKEN"]},
                   headers=origin).status_code == 303
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', rc.get("/add").text).group(1)
    text = "青川县扶贫报告\n2016年，青川县退出贫困村12个，减少贫困人口3500人。\n"
    r = rc.post("/add", data={"csrf_token": csrf, "text": text, "doc": "qingchuan", "place": "青川县"}, headers=origin)
    assert r.status_code == 303
    assert rc.get("/documents/qingchuan").status_code == 200
    assert any(d["doc"] == "qingchuan" for d in rc.get("/documents.json").get_json()["documents"])
    q = PFX + 'ASK { ?r dct:identifier "qingchuan" }'
    assert rc.get("/sparql", query_string={"query": q}).get_json()["boolean"] is True
    bad = rc.post("/add", data={"csrf_token": csrf, "text": text, "doc": "again"}, headers=origin)
    assert bad.status_code == 400 and "already in the store" in bad.text
    assert rc.post("/documents/qingchuan/remove", data={"csrf_token": csrf}, headers=origin).status_code == 303
    assert rc.get("/documents/qingchuan").status_code == 404
    assert rc.get("/sparql", query_string={"query": q}).get_json()["boolean"] is False
    assert dump() == before


# ---------------------------------------------------------------------- a real `kg serve --store http://…`
@pytest.fixture(scope="module")
def rserver(oxigraph, tmp_path_factory):
    srv = KgServer(oxigraph, tmp_path_factory.mktemp("remote-serve") / "serve.log",
                   ("--query-timeout", "2", "--max-rows", "1000"))
    yield srv.url
    srv.stop()


def fetch(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def test_real_kg_serve_against_oxigraph(rserver, server):
    # home, ask, a document page
    assert fetch(rserver + "/")[0] == 200
    a = json.loads(fetch(rserver + "/api/ask?q=" + quote(QUESTIONS[0]))[2])
    b = json.loads(fetch(server + "/api/ask?q=" + quote(QUESTIONS[0]))[2])
    assert a["answered"] and a["answer"] == b["answer"] and a["values"] == b["values"]
    status, ctype, body = fetch(rserver + f"/documents/{quote(DOC)}")
    assert status == 200 and "text/html" in ctype and body.count(b'class="fact') >= 50
    # SPARQL: SELECT, CONSTRUCT, ASK
    status, ctype, body = fetch(rserver + "/sparql?query=" + quote(SELECT), "application/sparql-results+json")
    assert status == 200 and solutions(body) == solutions(fetch(server + "/sparql?query=" + quote(SELECT))[2])
    status, ctype, body = fetch(rserver + "/sparql?query=" + quote(CONSTRUCT), "text/turtle")
    assert status == 200 and ctype.startswith("text/turtle")
    assert triples(body, "text/turtle") == triples(fetch(server + "/sparql?query=" + quote(CONSTRUCT), "text/turtle")[2],
                                                   "text/turtle")
    status, _, body = fetch(rserver + "/sparql?query=" + quote(ASK))
    assert status == 200 and json.loads(body)["boolean"] is True
    # export
    status, ctype, body = fetch(rserver + "/export/kg.csv")
    assert status == 200 and ctype.startswith("text/csv")
    assert body == fetch(server + "/export/kg.csv")[2]
    # SPARQLWrapper works against it as against any endpoint
    from SPARQLWrapper import JSON, SPARQLWrapper
    sw = SPARQLWrapper(rserver + "/sparql")
    sw.setReturnFormat(JSON)
    sw.setQuery(SELECT)
    rows = sw.query().convert()["results"]["bindings"]
    assert {r["doc"]["value"] for r in rows} == {DOC}
    # and the time limit holds on the real server
    status, _, body = fetch(rserver + "/sparql?query=" + quote(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"))
    assert status == 503 and "time limit" in body.decode()
