"""Security of the web app through Flask's test client: error pages and JSON errors without stack
traces or paths, security headers on every response, HTML escaped wherever text from a question,
a query or a document is shown, request size limits, and questions whose quotes, braces and
SPARQL keywords cannot change the query that is run."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from .conftest import DOC

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">"\'&'
LEAKS = ("Traceback", 'File "', "/tmp/", "/work/", "site-packages", ".py", "werkzeug", "RuntimeError")


def assert_no_leak(text: str):
    for leak in LEAKS:
        assert leak not in text, (leak, text[:500])


@pytest.fixture()
def fresh(store_dir):
    """An app of its own (no cache shared with other tests), raising no exception to the client."""
    from kg.web.app import create_app
    app = create_app({"STORE": str(store_dir), "PREWARM": False, "WORKERS": 1})
    yield app
    app.extensions["kg"].pool.close()


# ---------------------------------------------------------------------- error pages
@pytest.mark.parametrize("method,path,status", [
    ("GET", "/resource", 400),
    ("GET", "/query?query=CLEAR%20ALL", 403),
    ("GET", "/add", 200),
    ("POST", "/add", 403),
    ("GET", "/no/such/page", 404),
    ("GET", "/documents/%3Cscript%3Ealert(1)%3C%2Fscript%3E", 404),
    ("POST", "/documents", 405),
    ("DELETE", "/", 405),
    ("PUT", "/api/stats", 405),
])
def test_error_pages_html_and_json(client, method, path, status):
    r = client.open(path, method=method, headers={"Origin": "http://localhost"})
    assert r.status_code == status
    assert r.mimetype == "text/html"
    assert_no_leak(r.text)
    assert "<script>alert" not in r.text
    if status == 405:
        assert r.headers.get("Allow")
    r = client.open(path, method=method, headers={"Accept": "application/json", "Origin": "http://localhost"})
    assert r.status_code == status
    if status != 200 and not path.startswith("/query"):     # the editor is a page only
        assert r.mimetype == "application/json"
        j = r.get_json()
        assert j["status"] == status and j["error"]
        assert_no_leak(json.dumps(j, ensure_ascii=False))


def test_413_pages(client):
    big = "x" * (200 * 1024)
    r = client.get("/?q=" + big)
    assert r.status_code == 413 and r.mimetype == "text/html" and "MAX_QUERY_BYTES" in r.text
    r = client.get("/api/ask?q=" + big, headers={"Accept": "application/json"})
    assert r.status_code == 413 and r.get_json()["status"] == 413
    r = client.post("/login", data={"token": big})
    assert r.status_code == 413
    r = client.get("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } #" + "y" * (1024 * 1024)))
    assert r.status_code == 413 and r.mimetype == "text/plain"
    r = client.post("/sparql", data=("SELECT * WHERE { ?s ?p ?o } #" + "y" * (1024 * 1024)).encode(),
                    content_type="application/sparql-query")
    assert r.status_code == 413 and "MAX_QUERY_BYTES" in r.text


def test_500_shows_no_details(fresh, monkeypatch):
    from kg.web import data

    def boom(store):
        raise RuntimeError("secret detail at /work/main/src/kg/secret.py line 7")
    monkeypatch.setattr(data, "documents", boom)
    c = fresh.test_client()
    r = c.get("/documents")
    assert r.status_code == 500 and r.mimetype == "text/html"
    assert "secret" not in r.text
    assert_no_leak(r.text)
    r = c.get("/documents.json")
    assert r.status_code == 500 and r.get_json()["status"] == 500 and "secret" not in r.text


def test_store_errors_are_503_without_paths(fresh, monkeypatch):
    from kg.store import StoreError
    from kg.web import data

    def down(store):
        raise StoreError("cannot open the store at /srv/private/store: IO error")
    monkeypatch.setattr(data, "documents", down)
    r = fresh.test_client().get("/documents")
    assert r.status_code == 503 and "/srv/private" not in r.text
    assert_no_leak(r.text)


def test_worker_store_errors_hide_paths(fresh, monkeypatch):
    from kg.web.worker import Outcome
    pool = fresh.extensions["kg"].pool
    monkeypatch.setattr(pool, "run", lambda job, timeout, queue_wait=None: Outcome(
        False, error="store", message="cannot open the store: IO error: /srv/private/store/000123.sst"))
    r = fresh.test_client().get("/sparql?query=ASK%7B%7D")
    assert r.status_code == 503 and "/srv/private" not in r.text and "sst" not in r.text


# ---------------------------------------------------------------------- headers everywhere
HEADER_PATHS = [
    ("GET", "/", 200), ("GET", "/documents.json", 200), ("GET", "/static/kg.css", 200),
    ("GET", "/sparql?query=ASK%7B%7D", 200), ("GET", "/sparql?query=ASK%7B", 400), ("GET", "/sparql", 200),
    ("OPTIONS", "/sparql", 204), ("GET", "/export/kg.csv", 200), ("GET", "/nope", 404), ("POST", "/documents", 405),
    ("GET", "/id/report/" + DOC, 302), ("GET", "/api/ask?q=" + quote("2015年退出多少贫困村"), 200), ("GET", "/add", 200),
]


@pytest.mark.parametrize("method,path,status", HEADER_PATHS)
def test_security_headers_on_every_response(client, method, path, status):
    r = client.open(path, method=method)
    assert r.status_code == status
    h = r.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["X-Frame-Options"] == "DENY"
    csp = h["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "'unsafe-inline'" not in csp


def test_no_inline_script_or_style_in_pages(client, ids):
    """What the CSP enforces in the browser, checked in the markup too."""
    import re
    for path in ("/", "/?q=" + quote("2015年退出多少贫困村"), "/query?query=" + quote("SELECT * WHERE {?s ?p ?o} LIMIT 5"),
                 f"/documents/{DOC}", ids["place"], ids["indicator"], "/graph", "/quality", "/add"):
        text = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\son[a-z]+\s*=", text, re.I), path
        assert not re.search(r"<style|\sstyle\s*=", text, re.I), path
        assert "javascript:" not in text, path


# ---------------------------------------------------------------------- escaping
def test_question_is_escaped(client):
    r = client.get("/", query_string={"q": XSS})
    assert r.status_code == 200
    assert "<script>window" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in r.text
    j = client.get("/api/ask", query_string={"q": XSS}).get_json()
    assert j["question"] == XSS                  # JSON carries it as data (application/json, nosniff)


@pytest.mark.parametrize("path", [
    "/query?query=" + quote("SELECT * WHERE { ?s ?p \"</textarea><script>window.__xss=1</script>\" }"),
    "/query?query=" + quote("SELECT (\"<img src=x onerror=alert(1)>\" AS ?x) WHERE {}"),
    "/entities?q=" + quote(XSS),
    "/resource?iri=" + quote("javascript:alert(1)//<script>x</script>"),
    "/graph?doc=" + quote(XSS),
    "/documents/" + quote(XSS, safe=""),
    "/id/place/" + quote(XSS, safe=""),
])
def test_reflected_text_is_escaped(client, path):
    r = client.get(path)
    assert "<script>window" not in r.text and "<img src=x" not in r.text and "<script>x" not in r.text
    assert 'href="javascript:' not in r.text


def test_select_results_are_escaped_in_the_editor(client):
    q = 'SELECT ?x WHERE { BIND("<script>window.__xss=1</script>" AS ?x) }'
    r = client.get("/query", query_string={"query": q})
    assert r.status_code == 200
    assert r.text.count("<script>window") == 0
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in r.text


# ---------------------------------------------------------------------- questions cannot inject SPARQL
HOSTILE_QUESTIONS = [
    '2015年退出多少贫困村" } ; DROP ALL ; SELECT * { "',
    "2015年退出多少贫困村'} INSERT DATA { <urn:a> <urn:b> <urn:c> } #",
    "2015年退出多少贫困村 } UNION { ?s ?p ?o } FILTER(true) {",
    "汝州市> ; DELETE WHERE { ?s ?p ?o } ; <x",
    "SELECT * WHERE { ?s ?p ?o } 2015年退出多少贫困村",
    "因病致贫占比多少\\u0022 } CLEAR ALL #",
    'SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } 汝州市贫困发生率是多少',
    "2017年底未脱贫贫困人口有多少\n} LOAD <http://127.0.0.1:9/x> {",
]


class Recorder:
    """A store that records every query run through it."""

    def __init__(self, store):
        self.store = store
        self.path = store.path
        self.read_only = True
        self.seen: list[tuple[str, dict]] = []

    def query(self, sparql, bindings=None, union=True):
        self.seen.append((sparql, dict(bindings or {})))
        return self.store.query(sparql, bindings, union)

    def select(self, sparql, bindings=None):
        self.seen.append((sparql, dict(bindings or {})))
        return self.store.select(sparql, bindings)

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_question_text_never_enters_the_query(store_dir):
    import kg.qa.queries as Q
    from kg.qa import ask
    from kg.store import LocalStore

    templates = {v for v in vars(Q).values() if isinstance(v, str) and "SELECT" in v}
    st = LocalStore(store_dir, read_only=True)
    try:
        size = len(st)
        for q in HOSTILE_QUESTIONS:
            rec = Recorder(st)
            result = ask(q, rec)
            assert rec.seen, q
            for sparql, bindings in rec.seen:
                assert sparql in templates, (q, sparql[:200])
                for v in bindings.values():
                    assert not any(c in str(v) for c in '"{}<>\'\n') or str(v).startswith("https://"), (q, v)
                    assert "DROP" not in str(v) and "INSERT" not in str(v) and "SERVICE" not in str(v)
            assert result["sparql"] is None or result["sparql"] in templates
        assert len(st) == size
    finally:
        st.close()


def test_hostile_questions_through_the_api(client):
    before = client.get("/api/stats").get_json()
    for q in HOSTILE_QUESTIONS:
        r = client.get("/api/ask", query_string={"q": q})
        assert r.status_code == 200, q
        j = r.get_json()
        assert j["question"] == q
        page = client.get("/", query_string={"q": q})
        assert page.status_code == 200 and "<script" not in page.text.split("<main>")[1].split("</main>")[0]
    after = client.get("/api/stats").get_json()
    assert (before["triples"], before["documents"]) == (after["triples"], after["documents"])


# ---------------------------------------------------------------------- query shape limits
def test_deep_nesting_is_refused(client):
    q = "SELECT * WHERE " + "{ " * 100 + "?s ?p ?o" + " }" * 100
    r = client.get("/sparql", query_string={"query": q})
    assert r.status_code == 400 and "nests" in r.text
    q = "SELECT * WHERE " + "{ " * 60 + "?s ?p ?o" + " }" * 60 + " LIMIT 1"
    assert client.get("/sparql", query_string={"query": q}).status_code == 200


def test_nul_in_a_query_is_400(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }\x00"})
    assert r.status_code == 400


def test_a_query_past_the_memory_cap_is_stopped(store_dir):
    """Each SPARQL worker's heap is capped (WORKER_MEMORY_MB): a query building a gigabyte
    string is stopped with a 503 that says so, and the next query runs in a new worker."""
    from kg.web.app import create_app
    from .test_web_hostile import PATHOLOGICAL
    app = create_app({"STORE": str(store_dir), "PREWARM": False, "WORKERS": 1, "WORKER_MEMORY_MB": 300,
                      "QUERY_TIMEOUT": 20})
    try:
        c = app.test_client()
        r = c.get("/sparql", query_string={"query": dict(PATHOLOGICAL)["memory-bomb"]})
        assert r.status_code == 503 and "300 MB" in r.text, r.text
        assert c.get("/sparql", query_string={"query": "ASK {}"}).get_json()["boolean"] is True
        assert app.extensions["kg"].pool.stats["died"] == 1
    finally:
        app.extensions["kg"].pool.close()
