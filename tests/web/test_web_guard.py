"""The guard's two stages (kg.web.guard): the screen on the request thread (size cap first,
control characters, the word SERVICE, with linear scans and no parsing), and the analysis in
the query worker, under the query's time limit (tests/web/test_web_ssrf.py has the outbound
side)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.web import guard, sparql_tokens
from kg.web.worker import Job, execute


# ---------------------------------------------------------------------- stage 1: screen
@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * where { service <http://x/> {} }",
    'SELECT ("SERVICE" AS ?x) {}',                         # in a literal: refused too (documented)
    "SELECT * { ?s ?p ?o } # a comment about service",
    "SELECT * { <http://x/Service> ?p ?o }",
    r"SELECT * { \u0053ERVICE <x:> {} }",
    r"SELECT * { \U00000053ERVICE <x:> {} }",
    r"SELECT * { \u005Cu0053ERVICE <x:> {} }",              # an escape that makes an escape
    "SELECT * { ſERVICE <x:> {} }", "SELECT * { SERVıCE <x:> {} }", "SELECT * { SERVİCE <x:> {} }",
    "SELECT * { ＳＥＲＶＩＣＥ <x:> {} }",
])
def test_screen_refuses_service_in_every_form(text):
    with pytest.raises(guard.Refused) as e:
        guard.screen(text, 1 << 20)
    assert e.value.kind == "service" and 'CONCAT("serv", "ice")' in str(e.value)


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p ?o FILTER(CONCAT("serv", "ice") != ?o) }',
    "SELECT * { ?s ?p ?o } # serv ice",
    r'SELECT ("a\\b" AS ?x) {}',                           # an escaped backslash, then b
    "SELECT *\tWHERE {\r\n ?s ?p ?o }",
])
def test_screen_lets_other_queries_through(text):
    guard.screen(text, 1 << 20)


@pytest.mark.parametrize("text,what", [
    ("SELECT * { ?s ?p ?o }\x00", "NUL"), ('SELECT ("a\x07b" AS ?x) {}', "U+0007"),
    ('SELECT ("a\x1bb" AS ?x) {}', "U+001B"), ('SELECT ("\x85" AS ?x) {}', "U+0085"),
    (r'SELECT ("a\u0007b" AS ?x) {}', "U+0007"), (r'SELECT ("\U0000001b" AS ?x) {}', "U+001B"),
    (r'SELECT ("a\bb" AS ?x) {}', "\\b"), (r'SELECT ("a\\\fb" AS ?x) {}', "\\f"),
    (r'SELECT ("\uD800" AS ?x) {}', "U+D800"), (r'SELECT ("\uFFFE" AS ?x) {}', "U+FFFE"),
])
def test_screen_refuses_control_characters(text, what):
    with pytest.raises(guard.BadRequest, match="control character") as e:
        guard.screen(text, 1 << 20)
    assert what in str(e.value)


def test_screen_checks_the_size_before_reading_anything(monkeypatch):
    """An over-cap query is refused without being decoded, scanned or tokenized."""
    def never(*a, **k):
        raise AssertionError("the over-cap query was read")
    for name in ("decodings", "control_character", "has_service_word", "tokenize"):
        monkeypatch.setattr(guard, name, never)
    monkeypatch.setattr(sparql_tokens, "tokenize", never)
    big = "SELECT * WHERE { SERVICE <x:> { ?s ?p ?o \x00 } } #" + "中" * 50_000
    with pytest.raises(guard.TooLarge, match="MAX_QUERY_BYTES"):
        guard.screen(big, 128 * 1024)
    with pytest.raises(guard.TooLarge):                    # 40 000 characters, 120 000 bytes
        guard.screen("中" * 40_000, 100_000)


def test_over_cap_query_gets_413_and_reaches_no_worker(store_dir, monkeypatch):
    from kg.web.app import create_app
    app = create_app({"STORE": str(store_dir), "PREWARM": False, "WORKERS": 1, "MAX_QUERY_BYTES": 4096})
    try:
        for name in ("decodings", "has_service_word"):
            monkeypatch.setattr(guard, name, lambda *a, **k: (_ for _ in ()).throw(AssertionError("read")))
        c = app.test_client()
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
        for r in (c.get("/sparql", query_string={"query": big}),
                  c.post("/sparql", data=big.encode(), content_type="application/sparql-query"),
                  c.post("/sparql", data={"query": big})):
            assert r.status_code == 413 and "MAX_QUERY_BYTES" in r.text
        assert app.extensions["kg"].pool.stats["jobs"] == 0
    finally:
        app.extensions["kg"].pool.close()


# ---------------------------------------------------------------------- stage 2: off the request thread
def test_queries_are_parsed_in_the_worker_not_on_the_request_thread(store_dir, monkeypatch):
    """With the lexer broken in the server's own process, queries still run, and updates, deep
    nesting and unknown FROM graphs are still refused: the worker did the parsing."""
    from kg.web.app import create_app

    def broken(*a, **k):
        raise AssertionError("tokenized on the request thread")
    monkeypatch.setattr(sparql_tokens, "tokenize", broken)
    monkeypatch.setattr(guard, "tokenize", broken)
    app = create_app({"STORE": str(store_dir), "PREWARM": False, "WORKERS": 1})
    try:
        c = app.test_client()
        r = c.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        assert r.status_code == 200 and int(r.get_json()["results"]["bindings"][0]["n"]["value"]) > 0
        r = c.get("/sparql", query_string={"query": "PREFIX a: <x:> INSERT DATA { a:a a:b a:c }"})
        assert r.status_code == 403 and "read-only" in r.text and "INSERT DATA" in r.text
        r = c.get("/sparql", query_string={"query": "SELECT * WHERE " + "{ " * 80 + "?s ?p ?o" + " }" * 80})
        assert r.status_code == 400 and "nests" in r.text
        r = c.get("/sparql", query_string={"query": "SELECT * FROM <http://elsewhere.example/g> WHERE { ?s ?p ?o }"})
        assert r.status_code == 400 and "no such graph" in r.text
        r = c.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
                  headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 406
    finally:
        app.extensions["kg"].pool.close()


def test_the_64kb_query_of_the_issue_is_answered(client):
    """FILTER(?o IN (…)) of thousands of short strings with escapes, and 64 KB of name
    characters (quadratic for the old lexer): answered, through the worker."""
    items = ", ".join('"a\\"b"' for _ in range(8000))
    r = client.get("/sparql", query_string={"query": f'SELECT * WHERE {{ BIND("x" AS ?o) FILTER(?o IN ({items})) }}'})
    assert r.status_code == 200 and r.get_json()["results"]["bindings"] == []
    body = ("ASK { ?s ?p ?o } #\n" + "a-中." * 16000).encode()      # 96 KB
    r = client.post("/sparql", data=body, content_type="application/sparql-query")
    assert r.status_code == 400 and "syntax" in r.text      # found by the engine


def test_lexer_tokens():
    toks = sparql_tokens.tokenize('PREFIX ex: <http://e/> SELECT ?x WHERE { ?x a ex:a.b. ?x ex:p "s#", 1.5 } # c\n')
    assert [(t.kind, t.text) for t in toks if t.kind != "punct"] == [
        ("word", "PREFIX"), ("pname", "ex:"), ("iri", "<http://e/>"), ("word", "SELECT"), ("var", "?x"),
        ("word", "WHERE"), ("var", "?x"), ("word", "a"), ("pname", "ex:a.b"), ("var", "?x"), ("pname", "ex:p"),
        ("string", '"s#"'), ("number", "1.5")]
    # an unterminated long string runs to the end, a short one to the end of its line
    assert [t.kind for t in sparql_tokens.tokenize("'''a\nb")] == ["string"]
    assert [t.text for t in sparql_tokens.tokenize("'a\nb")] == ["'a", "b"]


# ---------------------------------------------------------------------- control characters in results
def test_xml_results_with_control_characters_are_refused_not_malformed():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("a\x07b")))
    for fmt in ("xml",):
        out = execute(store, Job(query="SELECT ?o WHERE { ?s ?p ?o }", fmt=fmt, max_rows=10))
        assert not out.ok and out.error == "bad-result" and "control characters" in out.message
    out = execute(store, Job(query="CONSTRUCT WHERE { ?s ?p ?o }", fmt="rdfxml", max_rows=10))
    assert not out.ok and out.error == "bad-result"
    for fmt in ("json", "csv", "tsv"):
        out = execute(store, Job(query="SELECT ?o WHERE { ?s ?p ?o }", fmt=fmt, max_rows=10))
        assert out.ok
    out = execute(store, Job(query="SELECT ?o WHERE { ?s ?p ?o }", fmt="json", max_rows=10))
    assert "\\u0007" in out.body.decode()


@pytest.mark.parametrize("query", ['SELECT ("a\x07b" AS ?x) {}', r'SELECT ("a\u0007b" AS ?x) {}',
                                   r'SELECT ("a\bb" AS ?x) {}', 'SELECT ("\x1b[31m" AS ?x) {}'])
def test_control_characters_in_query_text_are_400_everywhere(client, query):
    for r in (client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+xml"}),
              client.post("/sparql", data=query.encode(), content_type="application/sparql-query"),
              client.post("/sparql", data={"query": query}),
              client.get("/query", query_string={"query": query})):
        assert r.status_code == 400 and "control character" in r.text, (query, r.status_code, r.text[:200])


@pytest.mark.parametrize("q", ["2015年\x07退出多少贫困村", "\x1b[2J", "a\x00b", "a\x7fb"])
def test_control_characters_in_questions_are_400(client, q):
    for path in ("/", "/api/ask", "/ask.json"):
        r = client.get(path, query_string={"q": q})
        assert r.status_code == 400, (path, r.status_code)
        text = r.get_data(as_text=True)
        assert "控制字符" in text
        if path != "/":
            assert r.is_json and r.get_json()["status"] == 400


def test_no_iri_of_the_ontology_holds_the_refused_word():
    """The guard refuses SERVICE anywhere in a query, IRIs included: the IRIs kg writes into its
    own queries and editor links (the ontology's) must not hold it."""
    import re

    from kg.paths import ontology_dir
    for path in ontology_dir().glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        iris = re.findall(r"<[^>\s]*>|\b[a-z]+:[A-Za-z0-9_-]+", text)
        assert not [i for i in iris if "service" in i.lower()], path.name
