"""Benchmark of the web server (not a test): /api/ask and /sparql under concurrent clients, and
the data-quality page.

    .venv/bin/python bench/bench_web.py [--store DIR] [--clients 8] [--seconds 20] [--json OUT] [--quality-only]

Starts `kg serve` (waitress) on 127.0.0.1, then for each workload runs ``--clients`` client
processes (keep-alive HTTP/1.1 connections) for ``--seconds`` seconds and prints p50 / p95 latency
and throughput. The same work is then done in-process, without HTTP (kg.qa.ask on the store; the
SPARQL query run and serialised to SPARQL JSON), first by one caller and then by ``--clients``
threads, and the ratios are printed. Without --store, a store is built from corpus/ in a
temporary folder.

/quality (kg.check.run_checks: SHACL and the consistency checks, cached per store generation and
computed in the background when the server starts): the first request right after the server
answers, and a second one (from the cache); then run_checks in this process, the first call
(parsing the ontology and the shapes) and the next.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

QUERIES = [
    """PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
SELECT ?year ?value WHERE { ?ind skos:prefLabel "退出贫困村"@zh . ?obs fp:indicator ?ind ;
  sdmx-dimension:refPeriod/fp:endYear ?year ; fp:value ?value } ORDER BY ?year""",
    """PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
SELECT ?place (COUNT(?obs) AS ?n) WHERE { ?obs a fp:Observation ; sdmx-dimension:refArea/rdfs:label ?place }
GROUP BY ?place ORDER BY DESC(?n)""",
    """PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
SELECT ?label ?start ?end ?sentence WHERE { ?obs a fp:Observation ; rdfs:label ?label ; fp:mention ?m .
  ?m nif:beginIndex ?start ; nif:endIndex ?end ; fp:sentence/nif:anchorOf ?sentence } ORDER BY ?start LIMIT 50""",
]


def questions() -> list[str]:
    from kg.web.examples import QUESTIONS
    return list(QUESTIONS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# ---------------------------------------------------------------------- HTTP clients
def client(args) -> tuple[list[float], int]:
    port, paths, headers, seconds, start_at = args
    while time.time() < start_at:
        time.sleep(0.001)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    lat, errors, i = [], 0, 0
    end = time.time() + seconds
    while time.time() < end:
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        lat.append(time.perf_counter() - t0)
    conn.close()
    return lat, errors


def load(port: int, paths: list[str], headers: dict, clients: int, seconds: float) -> dict:
    start_at = time.time() + 0.5
    with mp.get_context("spawn").Pool(clients) as pool:
        results = pool.map(client, [(port, paths, headers, seconds, start_at)] * clients)
    lat = [x for r in results for x in r[0]]
    errors = sum(r[1] for r in results)
    return {"requests": len(lat), "errors": errors, "p50_ms": percentile(lat, .5) * 1000,
            "p95_ms": percentile(lat, .95) * 1000, "throughput": len(lat) / seconds}


# ---------------------------------------------------------------------- in-process
def in_process(work, items: list, threads: int, seconds: float) -> dict:
    lat: list[float] = []
    lock = threading.Lock()
    end = time.time() + seconds

    def run(offset: int):
        mine, i = [], offset
        while time.time() < end:
            t0 = time.perf_counter()
            work(items[i % len(items)])
            mine.append(time.perf_counter() - t0)
            i += 1
        with lock:
            lat.extend(mine)
    ts = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return {"requests": len(lat), "p50_ms": percentile(lat, .5) * 1000, "p95_ms": percentile(lat, .95) * 1000,
            "throughput": len(lat) / seconds}


def sparql_in_process(store, max_rows: int):
    from kg.web import results

    def work(q: str):
        res = store.query(q)          # the default graph is the store's union graph, as in the workers
        names = [v.value for v in res.variables]
        rows = []
        for sol in res:
            if len(rows) >= max_rows:
                break
            rows.append([sol[i] for i in range(len(names))])
        return results.solutions(names, rows, "json")
    return work


# ---------------------------------------------------------------------- main
def get(port: int, path: str, ok=(200,)) -> float:
    return fetch(port, path, ok)[0]


def fetch(port: int, path: str, ok=(200,)) -> tuple[float, int]:
    """(seconds, HTTP status) of one GET; a status not in ``ok`` raises."""
    t0 = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", path)
    r = c.getresponse()
    r.read()
    if r.status not in ok:
        raise RuntimeError(f"{path}: {r.status}")
    return time.perf_counter() - t0, r.status


def quality_http(port: int) -> dict:
    """/quality right after the server answers: how long the first response takes (the report, or
    202 while a large store is validated in the background), how long until the report, then from
    the cache."""
    t0 = time.perf_counter()
    first, first_status = fetch(port, "/quality", ok=(200, 202))
    status = first_status
    while status == 202:
        time.sleep(0.5)
        _, status = fetch(port, "/quality.json", ok=(200, 202))
    return {"http_first_s": first, "http_first_status": first_status, "http_report_s": time.perf_counter() - t0,
            "http_cached_s": get(port, "/quality")}


def quality_in_process(store_dir: str) -> dict:
    from kg.check import run_checks
    from kg.store import LocalStore

    store = LocalStore(store_dir, read_only=True)
    try:
        t0 = time.perf_counter()
        run_checks(store)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_checks(store)
        return {"run_checks_first_s": first, "run_checks_next_s": time.perf_counter() - t0}
    finally:
        store.close()


def print_quality(q: dict) -> None:
    print("\n/quality (kg.check.run_checks, cached per store generation):")
    print(f"  first request after start   {q['http_first_s'] * 1000:9.1f} ms (HTTP {q.get('http_first_status', 200)})")
    if "http_report_s" in q:
        print(f"  the report after start      {q['http_report_s'] * 1000:9.1f} ms")
    print(f"  next request (cached)       {q['http_cached_s'] * 1000:9.1f} ms")
    if "run_checks_first_s" in q:
        print(f"  run_checks in-process, 1st  {q['run_checks_first_s'] * 1000:9.1f} ms")
        print(f"  run_checks in-process, next {q['run_checks_next_s'] * 1000:9.1f} ms")


def quality_report(out: dict, store_dir: str, a, tmp) -> int:
    if not a.skip_checks:
        out["quality"].update(quality_in_process(store_dir))
    print_quality(out["quality"])
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(out, indent=1))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="store folder (default: build one from corpus/ in a temporary folder)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--json", help="also write the numbers to this file")
    ap.add_argument("--quality-only", action="store_true", help="measure /quality only")
    ap.add_argument("--skip-checks", action="store_true",
                    help="do not time run_checks in this process (minutes on a large store)")
    a, _ = ap.parse_known_args()        # bench/run.py passes its own flags to every benchmark

    from kg.store import LocalStore

    tmp = None
    store_dir = a.store
    if not store_dir:
        from kg.ingest import ingest
        tmp = tempfile.TemporaryDirectory()
        store_dir = str(Path(tmp.name) / "store")
        s = LocalStore(store_dir)
        ingest([REPO / "corpus"], s, progress=False)
        s.close()

    port = free_port()
    kg = Path(sys.executable).with_name("kg")
    cmd = [str(kg)] if kg.exists() else [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]
    env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    server = subprocess.Popen(cmd + ["--store", store_dir, "serve", "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    out: dict = {"clients": a.clients, "seconds": a.seconds, "cpus": os.cpu_count()}
    try:
        deadline = time.time() + 30
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/api/stats")
                if c.getresponse().status == 200:
                    break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        out["quality"] = quality_http(port)
        if a.quality_only:
            return quality_report(out, store_dir, a, tmp)
        qs = questions()
        ask_paths = ["/api/ask?q=" + quote(q) for q in qs]
        sparql_paths = ["/sparql?query=" + quote(q) for q in QUERIES]
        sparql_headers = {"Accept": "application/sparql-results+json"}
        # warm up: workers started, caches filled
        load(port, ask_paths + sparql_paths, sparql_headers, a.clients, 2)
        print(f"kg serve on 127.0.0.1:{port}; {a.clients} clients x {a.seconds:g} s each workload; {os.cpu_count()} CPUs")
        out["http_ask"] = load(port, ask_paths, {}, a.clients, a.seconds)
        out["http_sparql"] = load(port, sparql_paths, sparql_headers, a.clients, a.seconds)
    finally:
        server.terminate()
        server.wait(10)

    if not a.skip_checks:
        out["quality"].update(quality_in_process(store_dir))
    store = LocalStore(store_dir, read_only=True)
    from kg.qa import ask
    ask_work = lambda q: ask(q, store)                  # noqa: E731
    sparql_work = sparql_in_process(store, 10000)
    short = max(3.0, a.seconds / 4)
    out["inproc_ask_1"] = in_process(ask_work, qs, 1, short)
    out["inproc_ask_n"] = in_process(ask_work, qs, a.clients, short)
    out["inproc_sparql_1"] = in_process(sparql_work, QUERIES, 1, short)
    out["inproc_sparql_n"] = in_process(sparql_work, QUERIES, a.clients, short)
    store.close()
    if tmp:
        tmp.cleanup()

    def row(name, d):
        err = f"{d.get('errors', 0):>6}" if "errors" in d else "     -"
        print(f"{name:<34} {d['requests']:>8} {err} {d['p50_ms']:>9.2f} {d['p95_ms']:>9.2f} {d['throughput']:>10.1f}")

    print(f"\n{'workload':<34} {'requests':>8} {'errors':>6} {'p50 ms':>9} {'p95 ms':>9} {'req/s':>10}")
    row(f"HTTP /api/ask ({a.clients} clients)", out["http_ask"])
    row("in-process kg.qa.ask (1 caller)", out["inproc_ask_1"])
    row(f"in-process kg.qa.ask ({a.clients} threads)", out["inproc_ask_n"])
    row(f"HTTP /sparql ({a.clients} clients)", out["http_sparql"])
    row("in-process query+JSON (1 caller)", out["inproc_sparql_1"])
    row(f"in-process query+JSON ({a.clients} threads)", out["inproc_sparql_n"])
    ratios = {
        "ask_p50_latency_http_over_inproc": out["http_ask"]["p50_ms"] / out["inproc_ask_1"]["p50_ms"],
        "ask_throughput_http_over_inproc_threads": out["http_ask"]["throughput"] / out["inproc_ask_n"]["throughput"],
        "sparql_p50_latency_http_over_inproc": out["http_sparql"]["p50_ms"] / out["inproc_sparql_1"]["p50_ms"],
        "sparql_throughput_http_over_inproc_threads":
            out["http_sparql"]["throughput"] / out["inproc_sparql_n"]["throughput"],
    }
    out["ratios"] = ratios
    print("\nratios (HTTP / in-process):")
    for k, v in ratios.items():
        print(f"  {k:<45} {v:8.2f}")
    print_quality(out["quality"])
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
