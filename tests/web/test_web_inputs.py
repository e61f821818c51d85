"""Every route's inputs (kg.web.inputs): bad paths and query strings are 400 or 404 with a
short message, in Chinese on pages and as JSON for ``.json`` and ``/api/``, never a 500.

A table of bad values is put into every argument of every route and into every route's query
string; hypothesis then generates paths and query strings; the issue's URLs and raw bytes go
through a real waitress server too."""

from __future__ import annotations

import http.client
import re
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TOKEN = "inputs-token-0123456789abcdef"
CJK = re.compile(r"[\u4e00-\u9fff]")
OK_STATUSES = {200, 301, 302, 303, 307, 308, 400, 403, 404, 405, 406, 413, 415, 429}

# refused by the central check on every route (400), and other odd values (never a 500)
REFUSED_SEGMENTS = ["%00", "%ff", "%07", "a%0Ab", "a%09b", "%C0%AF", "%ED%A0%80", "%1b%5b2J", "a%7fb", "%c2%85",
                    "%e4%b8", "%EF%BF%BD"]
ODD_SEGMENTS = ["a%20b", "%3Cx%3E", "%20", "..", "%2E%2E", "x" * 300, "%25", "%22", "%7B%7D", "%5C", "null",
                "%E2%80%AE", "%F0%9F%98%80", "%", "%zz", "a%3Fb", "a%23b", "%5Bx%5D"]
REFUSED_QUERIES = ["q=%07", "q=%ff", "q=%00", "q=%1b%5b2J", "q=x&limit=abc", "limit=abc", "limit=-1",
                   "limit=99999999999", "limit=1e9", "offset=x", "page=%00", "iri=%3Cx", "iri=http://a%20b",
                   "iri=%00", "iri=javascript:alert(1)%20x", "%ff=1", "a%07=1", "doc=%ff", "doc=%00", "type=%01",
                   "format=%00", "format=%ff", "bom=%ff", "query=%07", "query=%ff", "query=%00",
                   "default-graph-uri=%00", "download=%00", "q=%e4%b8", "q=%EF%BF%BD"]
ODD_QUERIES = ["doc=%20", "named-graph-uri=%3C", "q=%", "q=" + "%e4%b8%ad" * 300, "iri=urn:x", "type=%3Cb%3E"]


@pytest.fixture(scope="module")
def wapp(store_dir, tmp_path_factory):
    from kg.web.app import create_app
    app = create_app({"STORE": str(store_dir), "PREWARM": False, "WORKERS": 2, "WRITE_TOKEN": TOKEN,
                      "CORPUS": str(tmp_path_factory.mktemp("inputs-corpus")), "QUERY_TIMEOUT": 5})
    app.config["TESTING"] = True
    yield app
    app.extensions["kg"].pool.close()


def rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def valid(arg: str, ids: dict) -> str:
    return {"doc": ids["doc"], "slug": ids["indicator"].rsplit("/", 1)[-1], "filename": "kg.ttl",
            "rest": ids["place"].split("/id/", 1)[-1]}.get(arg, "x")


def fill(rule, values: dict) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)


def check(r, path: str) -> None:
    assert r.status_code in OK_STATUSES, (path, r.status_code, r.get_data(as_text=True)[:300])
    text = r.get_data(as_text=True)
    assert "Traceback" not in text and "/work/" not in text and "/tmp/" not in text, path
    if r.status_code in (400, 404) and r.mimetype == "text/html":
        assert CJK.search(text), (path, text[:200])                    # a message in the page's language
    json_twin = path.split("?")[0].endswith(".json") and not path.startswith(("/export/", "/static/"))
    if r.status_code in (400, 404) and (json_twin or path.startswith("/api/")):
        assert r.is_json and r.get_json()["status"] == r.status_code and r.get_json()["error"], path


def send(c, method: str, path: str):
    if method == "POST":
        return c.post(path, data={"csrf_token": "x"}, headers={"Origin": "http://localhost"})
    return c.get(path)


# ---------------------------------------------------------------------- the tables
def walk_paths(app, ids, methods: set[str]) -> int:
    c = app.test_client()
    walked = 0
    for rule in rules(app):
        for method in sorted(rule.methods & methods):
            for arg in rule.arguments:
                for bad in REFUSED_SEGMENTS + ODD_SEGMENTS:
                    values = {a: (bad if a == arg else quote(valid(a, ids), safe="/")) for a in rule.arguments}
                    path = fill(rule, values)
                    for p in (path, path + ".json") if method == "GET" else (path,):
                        r = send(c, method, p)
                        check(r, p)
                        if bad in REFUSED_SEGMENTS:
                            assert r.status_code == 400, (method, p, r.status_code)
                        walked += 1
    return walked


def walk_queries(app, ids, methods: set[str]) -> None:
    c = app.test_client()
    for rule in rules(app):
        path = fill(rule, {a: quote(valid(a, ids), safe="/") for a in rule.arguments})
        for method in sorted(rule.methods & methods):
            for bad in REFUSED_QUERIES + ODD_QUERIES:
                r = send(c, method, f"{path}?{bad}")
                check(r, f"{path}?{bad}")
                if bad in REFUSED_QUERIES:
                    assert r.status_code == 400, (method, f"{path}?{bad}", r.status_code)


def test_every_route_with_every_bad_path_value(app, wapp, ids):
    """GET routes on the session's app; POST routes on a write-enabled one (past the token check)."""
    assert walk_paths(app, ids, {"GET"}) > 200
    assert walk_paths(wapp, ids, {"POST"}) > 20


def test_every_route_with_every_bad_query_string(app, wapp, ids):
    walk_queries(app, ids, {"GET"})
    walk_queries(wapp, ids, {"POST"})


@pytest.mark.parametrize("path,status", [
    ("/documents/a%20b", 404), ("/documents/%00", 400), ("/id/a%20b", 404), ("/id/%3Cx%3E", 404),
    ("/indicator/%20", 404), ("/api/search?q=x&limit=abc", 400), ("/resource?iri=a%20b", 400),
    ("/documents/%07.json", 400), ("/?q=a%07b", 400), ("/api/ask?q=%00", 400), ("/export/kg.ttl?bom=%ff", 400),
])
def test_the_issues_urls(app, path, status):
    r = app.test_client().get(path)
    assert r.status_code == status, (path, r.status_code)
    check(r, path)


@pytest.mark.parametrize("origin", ["http://localhost:99999", "http://localhost:abc", "http://[::1", "http://:80",
                                    "http://localhost:-1", "http://a b", "null", "x" * 3000])
def test_odd_origins_are_refused_not_500(wapp, origin):
    c = wapp.test_client()
    for path in ("/login", "/logout", "/add"):
        r = c.post(path, data={"csrf_token": "x", "token": TOKEN}, headers={"Origin": origin})
        assert r.status_code == 403, (path, origin, r.status_code)


def test_an_entity_whose_name_holds_a_space_has_a_page(app):
    """/id/<path> names an IRI path: a space stands for %20, as in the IRIs kg mints."""
    from kg.rdf import iris
    from kg.web import data
    iri = iris.entity("organization", "Open Data 办公室")
    assert "%20" in iri
    path = data.iri_url(iri)
    r = app.test_client().get(path)
    assert r.status_code == 404 and "Open%20Data" in r.get_data(as_text=True)    # no such entity, no 500


# ---------------------------------------------------------------------- hypothesis
ESCAPES = st.sampled_from(["%00", "%ff", "%20", "%3C", "%3E", "%22", "%7F", "%C2%85", "%ED%A0%80", "%E4%B8%AD",
                           "%25", "%2F", "%0A", "%09", "%", "%G1", ".", "..", "/", ";", "?"])
SEGMENT = st.lists(st.one_of(ESCAPES, st.text(st.characters(codec="utf-8", exclude_characters="/?#%"),
                                                 max_size=6).map(lambda s: quote(s, safe=""))),
                   min_size=1, max_size=6).map("".join)
PARAM = st.tuples(st.one_of(st.sampled_from(["q", "limit", "offset", "iri", "doc", "type", "format", "query", "bom",
                                             "page", "download", "default-graph-uri"]), SEGMENT), SEGMENT)


@settings(max_examples=120, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(["/documents/", "/id/", "/id/place/", "/indicator/", "/export/", "/resource/",
                               "/documents/x/remove/", "/api/", "/", "/graph/", "/entities/", "/static/"]),
       segment=SEGMENT, suffix=st.sampled_from(["", ".json", "/", "/remove"]))
def test_generated_paths_are_never_500(app, prefix, segment, suffix):
    path = prefix + segment + suffix
    check(app.test_client().get(path), path)


@settings(max_examples=120, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/", "/api/ask", "/api/search", "/entities", "/resource", "/graph", "/documents",
                             "/indicators", "/export/kg.csv", "/query", "/sparql", "/ask.json", "/documents.json"]),
       params=st.lists(PARAM, min_size=1, max_size=4))
def test_generated_query_strings_are_never_500(app, path, params):
    full = path + "?" + "&".join(f"{k}={v}" for k, v in params)
    check(app.test_client().get(full), full)


# ---------------------------------------------------------------------- a real server
def raw_get(base: str, target: bytes) -> tuple[int, bytes]:
    """GET with the request line's bytes as given (no client-side quoting)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.putrequest("GET", "/", skip_accept_encoding=True)
    conn._buffer[0] = b"GET " + target + b" HTTP/1.1"          # the request line, byte for byte
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


@pytest.mark.parametrize("target,status", [
    (b"/documents/a%20b", 404), (b"/documents/%00", 400), (b"/documents/%ff", 400), (b"/id/a%20b", 404),
    (b"/id/%3Cx%3E", 404), (b"/indicator/%20", 404), (b"/api/search?q=x&limit=abc", 400),
    (b"/documents/\xff\xfe", 400), (b"/?q=\xe4\xb8", 400), (b"/?q=%e4%b8", 400), (b"/api/ask?q=a%07b", 400),
    (b"/documents/%e4%b8.json", 400), (b"/resource?iri=%3Cx%3E", 400),
])
def test_a_real_server_answers_bad_urls_without_500(server, target, status):
    got, body = raw_get(server, target)
    assert got == status, (target, got, body[:200])
    assert b"Traceback" not in body
