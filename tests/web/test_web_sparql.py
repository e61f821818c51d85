"""The SPARQL endpoint through the test client: formats, dataset, refusals, row cap, time limit."""

from __future__ import annotations

import csv
import io
import json
import time
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from kg.web import guard

PFX = "PREFIX fp: <https://w3id.org/fupin/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
LABELS = PFX + "SELECT ?s ?label WHERE { ?s rdfs:label ?label . FILTER(CONTAINS(STR(?label), \"汝州\")) } ORDER BY ?s"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def get(client, query, accept=None, **params):
    qs = "query=" + quote(query) + "".join(f"&{k}={quote(str(v))}" for k, v in params.items())
    return client.get("/sparql?" + qs, headers={"Accept": accept} if accept else {})


def in_process(store_dir, query):
    from kg.store import LocalStore
    s = LocalStore(store_dir, read_only=True)
    try:
        res = s.query(query)
        names = [v.value for v in res.variables]
        return names, [[row[n] for n in names] for row in res]
    finally:
        s.close()


# ---------------------------------------------------------------------- formats
@pytest.mark.parametrize("accept,fmt,ctype", [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    ("text/csv", ox.QueryResultsFormat.CSV, "text/csv"),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
])
def test_select_formats_match_in_process(client, store_dir, accept, fmt, ctype):
    r = get(client, LABELS, accept)
    assert r.status_code == 200 and r.mimetype == ctype
    names, rows = in_process(store_dir, LABELS)
    assert rows, "the corpus mentions 汝州"
    if fmt == ox.QueryResultsFormat.CSV:        # CSV keeps only lexical forms (pyoxigraph won't parse it)
        table = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
        assert table[0] == names
        assert table[1:] == [[t.value for t in row] for row in rows]
        assert r.data.count(b"\r\n") == len(rows) + 1
    else:
        parsed = ox.parse_query_results(r.data, format=fmt)
        assert [v.value for v in parsed.variables] == names
        assert [[sol[n] for n in names] for sol in parsed] == rows
    assert int(r.headers["X-Result-Rows"]) == len(rows)
    assert "X-Result-Truncated" not in r.headers


@pytest.mark.parametrize("accept,fmt,ctype", [
    ("text/turtle", ox.RdfFormat.TURTLE, "text/turtle"),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    ("application/ld+json", ox.RdfFormat.JSON_LD, "application/ld+json"),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    ("text/n3", ox.RdfFormat.N3, "text/n3"),
])
def test_construct_formats(client, accept, fmt, ctype):
    q = PFX + "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a fp:Report ; rdfs:label|<http://purl.org/dc/terms/title> ?l }"
    r = get(client, q, accept)
    assert r.status_code == 200 and r.mimetype == ctype
    triples = list(ox.parse(r.data, format=fmt))
    assert triples and any("汝州" in t.object.value for t in triples)


@pytest.mark.parametrize("fmt,ctype", [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
                                       ("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_ask_formats(client, fmt, ctype):
    r = get(client, PFX + "ASK { ?r a fp:Report }", format=fmt)
    assert r.status_code == 200 and r.mimetype == ctype
    assert b"true" in r.data


def test_format_parameter_as_sparqlwrapper_sends_it(client):
    r = client.get("/sparql?query=" + quote(LABELS) + "&format=tsv&format=text/tab-separated-values&output=tsv")
    assert r.mimetype == "text/tab-separated-values"
    r = client.get("/sparql?query=" + quote("CONSTRUCT WHERE { ?s a ?t } LIMIT 2") + "&format=json")
    assert r.mimetype == "application/ld+json"
    r = client.get("/sparql?query=" + quote("CONSTRUCT WHERE { ?s a ?t } LIMIT 2") + "&format=xml")
    assert r.mimetype == "application/rdf+xml"


def test_default_format_and_406(client):
    assert get(client, "ASK {}").mimetype == "application/sparql-results+json"
    assert get(client, "ASK {}", "*/*").mimetype == "application/sparql-results+json"
    assert get(client, "CONSTRUCT WHERE { ?s a ?t } LIMIT 1", "*/*").mimetype == "text/turtle"
    r = get(client, "ASK {}", "image/png")
    assert r.status_code == 406 and "application/sparql-results+json" in r.get_data(as_text=True)


def test_browser_gets_the_editor(client):
    r = get(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert r.status_code == 303 and r.headers["Location"].startswith("/query?query=")
    r = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 303 and r.headers["Location"] == "/query"


def test_post_forms(client):
    q = PFX + "ASK { ?r a fp:Report }"
    r = client.post("/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.get_json()["boolean"] is True
    r = client.post("/sparql", data=q.encode("utf-8"), content_type="application/sparql-query")
    assert r.status_code == 200 and r.get_json()["boolean"] is True
    r = client.post("/sparql", data=q.encode("utf-8"), content_type="application/sparql-query; charset=UTF-8")
    assert r.status_code == 200


def test_chinese_literals_round_trip(client):
    q = 'SELECT ?x WHERE { BIND("脱贫攻坚摘穷帽，奋力赶超奔小康！「」%&<>\\"\\t"@zh AS ?x) }'
    expected = "脱贫攻坚摘穷帽，奋力赶超奔小康！「」%&<>\"\t"
    for fmt in ("json", "xml", "tsv"):
        r = get(client, q, format=fmt)
        sol = next(iter(ox.parse_query_results(r.data, format={"json": ox.QueryResultsFormat.JSON,
                                                                "xml": ox.QueryResultsFormat.XML,
                                                                "tsv": ox.QueryResultsFormat.TSV}[fmt])))
        assert sol["x"] == ox.Literal(expected, language="zh"), fmt
    r = get(client, q, format="csv")
    assert list(csv.reader(io.StringIO(r.get_data(as_text=True)))) == [["x"], [expected]]


# ---------------------------------------------------------------------- dataset
def test_union_default_graph_and_dataset_parameters(client, doc_id):
    from kg.rdf import iris
    g = iris.doc_graph(doc_id)
    onto = "https://w3id.org/fupin/graph/ontology"
    # the lexicon's indicators live in the ontology graph; a document's graph has open ones only
    q = PFX + "ASK { ?r a fp:Report . ?i a fp:Indicator FILTER NOT EXISTS { ?i a fp:OpenIndicator } }"
    assert get(client, q).get_json()["boolean"] is True                       # union of all graphs
    assert get(client, q, **{"default-graph-uri": g}).get_json()["boolean"] is False      # doc graph only
    r = client.get("/sparql?query=" + quote(q) + "&default-graph-uri=" + quote(g) + "&default-graph-uri=" + quote(onto))
    assert r.get_json()["boolean"] is True
    q2 = PFX + "SELECT ?g WHERE { GRAPH ?g { ?r a fp:Report } }"
    r = get(client, q2, **{"named-graph-uri": g})
    assert [b["g"]["value"] for b in r.get_json()["results"]["bindings"]] == [g]
    r = get(client, q2, **{"default-graph-uri": onto})                         # named graphs: none given
    assert r.get_json()["results"]["bindings"] == []
    lexical = "?i a fp:Indicator FILTER NOT EXISTS { ?i a fp:OpenIndicator }"
    r = get(client, PFX + f"ASK FROM <{g}> {{ {lexical} }}")
    assert r.get_json()["boolean"] is False                                   # FROM replaces the union
    r = get(client, PFX + f"ASK FROM <{onto}> {{ {lexical} }}")
    assert r.get_json()["boolean"] is True


@pytest.mark.parametrize("query,params", [
    ("SELECT * FROM <http://example.org/remote.rdf> WHERE { ?s ?p ?o }", {}),
    ("SELECT * FROM NAMED <http://example.org/remote.rdf> WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
    ("PREFIX ex: <http://example.org/> SELECT * FROM ex:remote WHERE { ?s ?p ?o }", {}),
    ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": "http://example.org/remote.rdf"}),
    ("SELECT * WHERE { ?s ?p ?o }", {"named-graph-uri": "http://example.org/remote.rdf"}),
])
def test_unknown_graphs_refused(client, query, params):
    r = get(client, query, **params)
    assert r.status_code == 400
    assert "no such graph" in r.get_data(as_text=True)


# ---------------------------------------------------------------------- read-only
UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/>\n# a comment with SELECT in it\nINSERT { ?s ex:p 1 } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "LOAD SILENT <http://example.org/data.ttl> INTO GRAPH <urn:g>",
    "CLEAR ALL", "CLEAR DEFAULT", "DROP GRAPH <urn:g>", "DROP ALL", "CREATE GRAPH <urn:g>",
    "ADD <urn:a> TO <urn:b>", "MOVE DEFAULT TO <urn:b>", "COPY <urn:a> TO DEFAULT",
    "insert data { <urn:a> <urn:b> 'x' }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_refused_everywhere(client, update, store_dir):
    before = len(in_process(store_dir, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")[1])
    responses = [
        client.get("/sparql?query=" + quote(update)),
        client.get("/sparql?update=" + quote(update)),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data=update.encode(), content_type="application/sparql-update"),
        client.post("/sparql", data=update.encode(), content_type="application/sparql-query"),
    ]
    for r in responses:
        assert r.status_code == 403, (update, r.status_code, r.data)
        assert "read-only" in r.get_data(as_text=True)
    assert len(in_process(store_dir, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")[1]) == before


@pytest.mark.parametrize("query", [
    'SELECT ("INSERT DATA { <a:a> <a:b> <a:c> }" AS ?x) WHERE {}',
    "SELECT ('''DELETE WHERE { ?s ?p ?o }\nDROP ALL''' AS ?x) WHERE {}",
    "# INSERT DATA\nSELECT (<http://example.org/INSERT/DROP> AS ?x) WHERE {}",
    "SELECT ?insert WHERE { VALUES ?insert { \"LOAD <x>\" } }",
    "PREFIX delete: <http://example.org/> SELECT ?x WHERE { VALUES ?x { delete:clear } }",
])
def test_update_words_in_literals_are_fine(client, query):
    r = get(client, query)
    assert r.status_code == 200, r.data
    assert len(r.get_json()["results"]["bindings"]) == 1


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p ?o . SERVICE ex:sparql { ?s ?q ?r } }",
    r"SELECT * WHERE { \u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
])
def test_service_refused(client, query):
    r = get(client, query)
    assert r.status_code == 403 and "SERVICE" in r.get_data(as_text=True)


def test_syntax_error_is_400_with_message(client):
    r = get(client, "SELECT ?x WHERE { ?x ?y }")
    assert r.status_code == 400
    assert "syntax" in r.get_data(as_text=True)
    assert r.content_type == "text/plain; charset=utf-8"


@pytest.mark.parametrize("text,kind", [
    ("SELECT * {}", "query"), ("  ask {}", "query"), ("PREFIX a: <x:> CONSTRUCT {} WHERE {}", "query"),
    ("BASE <http://e/> DESCRIBE <x>", "query"), ("INSERT DATA {}", "update"), ("prefix a: <x:> drop all", "update"),
    ("# SELECT\nCLEAR ALL", "update"), ("hello", "unknown"),
])
def test_guard_classify(text, kind):
    assert guard.classify(text) == kind


def test_guard_tokenizer_keeps_strings_iris_comments():
    toks = guard.tokenize('SELECT ("a#b" AS ?x) # SERVICE\n WHERE { <http://e/SERVICE> ?p \'SERVICE\' }')
    kinds = [(t.kind, t.text) for t in toks]
    assert ("string", '"a#b"') in kinds and ("iri", "<http://e/SERVICE>") in kinds
    assert not any(t.kind == "word" and t.upper == "SERVICE" for t in toks)


# ---------------------------------------------------------------------- row cap
def test_row_cap_is_explicit(store_dir):
    from kg.web.app import create_app
    app = create_app({"STORE": str(store_dir), "MAX_ROWS": 7, "PREWARM": False, "WORKERS": 1})
    c = app.test_client()
    try:
        r = get(c, "SELECT * WHERE { ?s ?p ?o }")
        assert r.headers["X-Result-Truncated"] == "true" and r.headers["X-Result-Row-Limit"] == "7"
        j = r.get_json()
        assert len(j["results"]["bindings"]) == 7 and j["truncated"] is True and j["limit"] == 7
        r = get(c, "SELECT * WHERE { ?s ?p ?o }", format="xml")
        assert b"truncated" in r.data and len(list(ox.parse_query_results(r.data, format=ox.QueryResultsFormat.XML))) == 7
        r = get(c, "SELECT * WHERE { ?s ?p ?o }", format="csv")
        assert len(list(csv.reader(io.StringIO(r.get_data(as_text=True))))) == 8 and r.headers["X-Result-Truncated"]
        r = get(c, "CONSTRUCT WHERE { ?s ?p ?o }")
        assert r.headers["X-Result-Truncated"] == "true" and r.data.startswith(b"# ")
        assert len(list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))) == 7
        r = get(c, "SELECT * WHERE { ?s ?p ?o } LIMIT 7")
        assert "X-Result-Truncated" not in r.headers and "truncated" not in r.get_json()
        page = c.get("/query?query=" + quote("SELECT * WHERE { ?s ?p ?o }")).get_data(as_text=True)
        assert 'id="truncated"' in page
    finally:
        app.extensions["kg"].pool.close()


# ---------------------------------------------------------------------- time limit
def test_timeout_kills_the_worker_and_others_go_on(store_dir):
    import os
    import threading

    from kg.web.app import create_app
    app = create_app({"STORE": str(store_dir), "QUERY_TIMEOUT": 1.0, "PREWARM": False, "WORKERS": 2})
    c = app.test_client()
    pool = app.extensions["kg"].pool
    try:
        get(c, "ASK {}")                                  # a worker is up
        pids_before = {w.proc.pid for w in pool._idle}
        fast = []

        def others():
            for _ in range(5):
                t = time.perf_counter()
                r = app.test_client().get("/sparql?query=" + quote("ASK { ?s ?p ?o }"))
                fast.append((r.status_code, time.perf_counter() - t))
        th = threading.Thread(target=others)
        t0 = time.perf_counter()
        th.start()
        r = get(c, SLOW)
        elapsed = time.perf_counter() - t0
        th.join()
        assert r.status_code == 503
        assert "time limit" in r.get_data(as_text=True) and r.headers["X-Query-Timeout"] == "1"
        assert 0.9 <= elapsed < 5
        assert pool.stats["killed"] == 1
        assert all(code == 200 for code, _ in fast) and max(t for _, t in fast) < 2.0
        for pid in pids_before - {w.proc.pid for w in pool._idle}:
            with pytest.raises(OSError):
                os.kill(pid, 0)                            # the killed worker is gone
        assert get(c, "ASK {}").status_code == 200         # and was replaced
        page = c.get("/query?query=" + quote(SLOW))
        assert page.status_code == 503 and "时间上限" in page.get_data(as_text=True)
    finally:
        pool.close()


# ---------------------------------------------------------------------- protocol details
def test_cors(client):
    r = client.options("/sparql", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204 and r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    r = get(client, "ASK {}")
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Result-Truncated" in r.headers["Access-Control-Expose-Headers"]


def test_service_description(client, doc_id):
    from kg.rdf import iris
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))
    SD = "http://www.w3.org/ns/sparql-service-description#"
    assert any(t.predicate.value == SD + "supportedLanguage" and t.object.value == SD + "SPARQL11Query" for t in triples)
    names = {t.object.value for t in triples if t.predicate.value == SD + "name"}
    assert iris.doc_graph(doc_id) in names
    r = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert r.mimetype == "application/ld+json" and json.loads(r.data)


@pytest.mark.parametrize("kw,status", [
    ({"data": "query=ASK%20%7B%7D"}, 415),                                                # no content type
    ({"data": "ASK {}", "content_type": "text/plain"}, 415),
    ({"data": "ASK {}".encode("utf-16"), "content_type": "application/sparql-query; charset=UTF-16"}, 415),
    ({"data": b"ASK { \xff }", "content_type": "application/sparql-query"}, 400),
    ({"data": {"query": ["ASK {}", "ASK {}"]}}, 400),
    ({"data": {"default-graph-uri": "urn:x"}}, 400),                                     # no query
])
def test_bad_posts(client, kw, status):
    assert client.post("/sparql", **kw).status_code == status


def test_methods(client):
    assert client.put("/sparql?query=ASK%20%7B%7D").status_code == 405
    assert client.delete("/sparql").status_code == 405


def test_download_links(client):
    r = client.get("/sparql?query=" + quote(LABELS) + "&format=csv&download=1")
    assert r.headers["Content-Disposition"] == 'attachment; filename="kg-query.csv"'


def test_editor_page(client):
    html = client.get("/query?query=" + quote(LABELS)).get_data(as_text=True)
    assert 'id="results-table"' in html and "汝州" in html
    assert "/sparql?query=" in html and "format=csv" in html and "format=json" in html
    assert 'id="permalink" href="/query?query=' in html
    examples = client.get("/query").get_data(as_text=True)
    for title in ("按年份统计事实", "按地点列出事实", "某个指标逐年的数值", "实体", "出处"):
        assert title in examples


def test_example_queries_all_run(client):
    from kg.web.examples import QUERIES
    for key, title, q in QUERIES:
        r = client.get("/sparql?query=" + quote(q))
        assert r.status_code == 200, (key, r.data)
        if "SELECT" in q.split("WHERE")[0]:
            assert r.get_json()["results"]["bindings"], f"example {key!r} returns no rows"
