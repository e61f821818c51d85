"""A bounded load test (about 20 s): 16 concurrent keep-alive clients against a real server
(`kg serve` on 127.0.0.1) mixing /api/ask, /sparql and pages. No 5xx, and every answer is
checked against the same work done in-process (kg.qa.ask, the query run on the store, the page
data)."""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import threading
import time
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox
import pytest

from kg.web.examples import QUESTIONS

from .conftest import DOC

CLIENTS = 16
SECONDS = float(os.environ.get("KG_LOAD_SECONDS", "18"))
PFX = """PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
"""
QUERIES = [
    PFX + """SELECT ?year ?value WHERE { ?ind skos:prefLabel "退出贫困村"@zh . ?obs fp:indicator ?ind ;
      sdmx-dimension:refPeriod/fp:endYear ?year ; fp:value ?value }""",
    PFX + "SELECT ?place (COUNT(?obs) AS ?n) WHERE { ?obs a fp:Observation ; sdmx-dimension:refArea/rdfs:label ?place } "
          "GROUP BY ?place",
    PFX + "SELECT ?doc ?title WHERE { ?r a fp:Report ; dct:identifier ?doc ; dct:title ?title }",
    PFX + "ASK { ?r a fp:Report ; dct:identifier \"%s\" }" % DOC,
]


def rows_of(body: bytes):
    res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(res, ox.QueryBoolean):
        return bool(res)
    return sorted(tuple(str(t) if t is not None else "" for t in row) for row in res)


@pytest.fixture(scope="module")
def expected(store_dir, app, ids):
    """What every request must give, computed without the server."""
    client = app.test_client()
    from kg.qa import ask
    from kg.store import LocalStore
    from kg.web import results

    st = LocalStore(store_dir, read_only=True)
    try:
        answers = {}
        for q in QUESTIONS:
            a = ask(q, st)
            answers[q] = (a["answered"], a["answer"], json.loads(json.dumps(a["values"], default=str)))
        sparql = {}
        for q in QUERIES:
            res = st.query(q)
            if isinstance(res, ox.QueryBoolean):
                sparql[q] = bool(res)
            else:
                variables = [v.value for v in res.variables]
                body = results.solutions(variables, [[row[v] for v in variables] for row in res], "json")
                sparql[q] = rows_of(body)
    finally:
        st.close()
    pages = {
        "/documents.json": client.get("/documents.json").get_json(),
        f"/documents/{DOC}.json": client.get(f"/documents/{DOC}.json").get_json(),
        ids["place"] + ".json": client.get(ids["place"] + ".json").get_json(),
    }
    html = {f"/documents/{quote(DOC)}": ids["fact"]["label"] or DOC, ids["indicator"]: ids["indicator_label"],
            "/": "用中文提问"}
    return {"answers": answers, "sparql": sparql, "pages": pages, "html": html}


def normalise(values):
    return json.loads(json.dumps(values, default=str))


def client_loop(base: str, expected: dict, seed: int, until: float, out: dict):
    rnd = random.Random(seed)
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    lat, statuses, wrong = [], {}, []
    kinds = ["ask", "ask", "sparql", "sparql", "page-json", "page-html"]
    while time.monotonic() < until:
        kind = rnd.choice(kinds)
        headers = {}
        if kind == "ask":
            q = rnd.choice(QUESTIONS)
            path = "/api/ask?" + urlencode({"q": q})
        elif kind == "sparql":
            q = rnd.choice(QUERIES)
            path = "/sparql?" + urlencode({"query": q})
            headers["Accept"] = "application/sparql-results+json"
        elif kind == "page-json":
            path = rnd.choice(list(expected["pages"]))
        else:
            path = rnd.choice(list(expected["html"]))
        t0 = time.perf_counter()
        try:
            conn.request("GET", quote(path, safe="/?=&%:#+"), headers=headers)
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            statuses["error"] = statuses.get("error", 0) + 1
            wrong.append((path, repr(e)))
            continue
        lat.append(time.perf_counter() - t0)
        statuses[resp.status] = statuses.get(resp.status, 0) + 1
        if resp.status != 200:
            wrong.append((path, resp.status, body[:200]))
            continue
        if kind == "ask":
            j = json.loads(body)
            got = (j["answered"], j["answer"], normalise(j["values"]))
            if got != expected["answers"][q]:
                wrong.append((path, got, expected["answers"][q]))
        elif kind == "sparql":
            if rows_of(body) != expected["sparql"][q]:
                wrong.append((path, "rows differ"))
        elif kind == "page-json":
            if json.loads(body) != expected["pages"][path]:
                wrong.append((path, "JSON differs"))
        elif expected["html"][path] not in body.decode("utf-8"):
            wrong.append((path, "marker missing"))
    conn.close()
    out[seed] = (lat, statuses, wrong)


def test_sixteen_clients_mixed_load(server, expected):
    out: dict = {}
    until = time.monotonic() + SECONDS
    threads = [threading.Thread(target=client_loop, args=(server, expected, i, until, out)) for i in range(CLIENTS)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 120)
    elapsed = time.monotonic() - t0
    assert len(out) == CLIENTS, "a client did not finish"
    lat = sorted(x for v in out.values() for x in v[0])
    statuses: dict = {}
    for v in out.values():
        for k, n in v[1].items():
            statuses[k] = statuses.get(k, 0) + n
    wrong = [w for v in out.values() for w in v[2]]
    q = statistics.quantiles(lat, n=100)
    print(f"\n{len(lat)} requests in {elapsed:.1f} s by {CLIENTS} clients: {len(lat) / elapsed:.0f} req/s, "
          f"p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms; statuses {statuses}")
    assert not [s for s in statuses if s == "error" or (isinstance(s, int) and s >= 500)], statuses
    assert not wrong, wrong[:5]
    assert statuses.get(200, 0) == len(lat) > CLIENTS * 10
