"""A real server (`kg serve`, waitress, 127.0.0.1) queried by real clients: SPARQLWrapper, rdflib's
SPARQLStore, and plain HTTP."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

PFX = """PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
"""
TITLES = PFX + "SELECT ?doc ?title WHERE { ?r a fp:Report ; dct:identifier ?doc ; dct:title ?title }"
PLACES = PFX + "SELECT ?p ?label WHERE { ?p a fp:City ; rdfs:label ?label } ORDER BY ?p"
CONSTRUCT = PFX + "CONSTRUCT { ?r dct:title ?t ; dct:identifier ?d } WHERE { ?r a fp:Report ; dct:title ?t ; dct:identifier ?d }"
ZH = "脱贫攻坚摘穷帽 奋力赶超奔小康"


def wrapper(server, fmt, method=GET) -> SPARQLWrapper:
    sw = SPARQLWrapper(server + "/sparql")
    sw.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)
    else:
        sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", [GET, POST, POSTDIRECTLY])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(server, doc_id, fmt, method):
    sw = wrapper(server, fmt, method)
    sw.setQuery(TITLES)
    res = sw.query()
    assert res.response.status == 200
    out = res.convert()
    if fmt == JSON:
        rows = [(b["doc"]["value"], b["title"]["value"], b["title"].get("xml:lang")) for b in out["results"]["bindings"]]
        assert (doc_id, rows[0][1], "zh") in rows and ZH in rows[0][1]
    elif fmt == XML:
        vals = [n.firstChild.data for n in out.getElementsByTagName("literal")]
        assert doc_id in vals and any(ZH in v for v in vals)
    elif fmt == CSV:
        table = list(csv.reader(io.StringIO(out.decode("utf-8"))))
        assert table[0] == ["doc", "title"] and table[1][0] == doc_id and ZH in table[1][1]
    else:
        lines = out.decode("utf-8").splitlines()
        assert lines[0] == "?doc\t?title" and f'"{doc_id}"' in lines[1] and ZH in lines[1] and "@zh" in lines[1]


def test_sparqlwrapper_ask(server):
    for fmt in (JSON, XML):
        sw = wrapper(server, fmt)
        sw.setQuery(PFX + "ASK { ?r a fp:Report }")
        out = sw.query().convert()
        assert (out["boolean"] if fmt == JSON else out.getElementsByTagName("boolean")[0].firstChild.data == "true") is True


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD, XML, JSON])
def test_sparqlwrapper_construct(server, doc_id, fmt):
    sw = wrapper(server, fmt)
    sw.setQuery(CONSTRUCT)
    res = sw.query()
    out = res.convert()
    if isinstance(out, (bytes, str)):
        g = rdflib.Graph().parse(data=out, format={TURTLE: "turtle", N3: "n3"}[fmt])
    else:
        g = out
    assert isinstance(g, rdflib.Graph)
    titles = [str(o) for o in g.objects(None, rdflib.DCTERMS.title)]
    assert any(ZH in t for t in titles)
    assert rdflib.Literal(doc_id) in set(g.objects(None, rdflib.DCTERMS.identifier))


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                                        ("text/n3", "n3")])
def test_construct_every_rdf_format_over_http(server, accept, fmt):
    req = urllib.request.Request(server + "/sparql?query=" + quote(CONSTRUCT), headers={"Accept": accept})
    with urllib.request.urlopen(req) as r:
        assert r.headers.get_content_type() == accept
        g = rdflib.Graph().parse(data=r.read(), format=fmt)
    assert any(ZH in str(o) for o in g.objects(None, rdflib.DCTERMS.title))


def test_sparqlwrapper_errors(server):
    sw = wrapper(server, JSON)
    sw.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        sw.query()
    sw = wrapper(server, JSON, POST)
    sw.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(urllib.error.HTTPError) as e:      # SPARQLWrapper passes 403 through as it is
        sw.query()
    assert e.value.code == 403 and "read-only" in e.value.read().decode("utf-8")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore(server, doc_id, method):
    store = SPARQLStore(server + "/sparql", method=method, returnFormat="xml")
    ds = rdflib.Dataset(store=store, default_union=True)
    rows = list(ds.query(TITLES))
    assert rows and rows[0].doc == rdflib.Literal(doc_id)
    assert rows[0].title.language == "zh" and ZH in str(rows[0].title)
    assert bool(ds.query(PFX + "ASK { ?r a fp:Report }").askAnswer) is True
    g = ds.query(CONSTRUCT).graph
    assert any(ZH in str(o) for o in g.objects(None, rdflib.DCTERMS.title))
    places = list(ds.query(PLACES))
    assert all(isinstance(r.p, rdflib.URIRef) for r in places)


def test_rdflib_sparqlstore_named_graph(server, doc_id):
    from kg.rdf import iris
    store = SPARQLStore(server + "/sparql", returnFormat="json")
    g = rdflib.Graph(store=store, identifier=rdflib.URIRef(iris.doc_graph(doc_id)))    # sent as default-graph-uri
    rows = list(g.query(TITLES))
    assert rows and str(rows[0].doc) == doc_id
    onto = rdflib.Graph(store=store, identifier=rdflib.URIRef("https://w3id.org/fupin/graph/ontology"))
    assert list(onto.query(TITLES)) == []


def test_chinese_round_trip_every_format(server):
    text = "汝州市「百企帮百村」精准扶贫，2017年底贫困发生率1.31%！\"引号\" \\ 反斜杠\t制表"
    lit = json.dumps(text, ensure_ascii=False)
    q = f"SELECT ?x ?y WHERE {{ BIND({lit}@zh AS ?x) BIND(STRLEN(?x) AS ?y) }}"
    for fmt in (JSON, XML, TSV, CSV):
        sw = wrapper(server, fmt, POST)
        sw.setQuery(q)
        out = sw.query().convert()
        if fmt == JSON:
            assert out["results"]["bindings"][0]["x"]["value"] == text
            assert int(out["results"]["bindings"][0]["y"]["value"]) == len(text)
        elif fmt == XML:
            assert out.getElementsByTagName("literal")[0].firstChild.data == text
        elif fmt == CSV:
            assert list(csv.reader(io.StringIO(out.decode("utf-8"))))[1][0] == text
        else:
            import pyoxigraph as ox
            sol = next(iter(ox.parse_query_results(out, format=ox.QueryResultsFormat.TSV)))
            assert sol["x"].value == text
    store = SPARQLStore(server + "/sparql")
    row = next(iter(rdflib.Dataset(store=store, default_union=True).query(q)))
    assert str(row.x) == text and row.x.language == "zh"


def test_server_keeps_answering_while_a_query_runs_out_of_time(server):
    """kg serve --query-timeout 3: the slow query is stopped; other clients are served meanwhile."""
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = {}

    def run_slow():
        t0 = time.perf_counter()
        try:
            urllib.request.urlopen(server + "/sparql?query=" + quote(slow), timeout=30)
        except urllib.error.HTTPError as e:
            result["status"], result["body"] = e.code, e.read().decode("utf-8")
        result["seconds"] = time.perf_counter() - t0

    th = threading.Thread(target=run_slow)
    th.start()
    time.sleep(0.3)
    latencies = []
    while th.is_alive():
        t0 = time.perf_counter()
        with urllib.request.urlopen(server + "/sparql?query=" + quote(PFX + "ASK { ?r a fp:Report }")) as r:
            assert json.loads(r.read())["boolean"] is True
        latencies.append(time.perf_counter() - t0)
        time.sleep(0.05)
    th.join()
    assert result["status"] == 503 and "time limit" in result["body"]
    assert 2.9 <= result["seconds"] < 8
    assert len(latencies) >= 5 and max(latencies) < 1.5
    with urllib.request.urlopen(server + "/api/stats") as r:
        assert json.loads(r.read())["workers"]["killed"] >= 1


def test_row_cap_on_the_real_server(server):
    """kg serve --max-rows 5000: a bigger result is cut and says so."""
    req = urllib.request.Request(server + "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o }"),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req) as r:
        body = json.loads(r.read())
        assert r.headers["X-Result-Truncated"] == "true" and r.headers["X-Result-Row-Limit"] == "5000"
    assert len(body["results"]["bindings"]) == 5000 and body["truncated"] is True
