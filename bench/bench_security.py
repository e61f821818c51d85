"""Benchmark of the security checks (not a test): what the SPARQL guard costs, and what other
clients see while one client's slow queries run.

    .venv/bin/python bench/bench_security.py [--quick] [--store DIR] [--seconds 8] [--json OUT]

1. **The guard's cost by query size**, up to the cap (MAX_QUERY_BYTES, 128 KiB), for three
   shapes of query (the issue's FILTER IN of 8,000 escaped strings, scaled; a run of name
   characters, the old lexer's quadratic case; a mix of comments, strings, IRIs and escapes):
   ``guard.screen`` (the request thread: size cap, control characters, SERVICE) and
   ``guard.analyse`` (the worker: lexing, update or query, nesting, FROM), median of repeats,
   with the growth from one size to the next against the growth of the size (linear: the same
   ratio). The lexer kg had before is timed too, up to 16 KiB (it is quadratic on names).
2. **Fairness**: `kg serve` on 127.0.0.1; client 127.0.0.2 sends two slow SPARQL queries (each
   runs to the time limit); meanwhile client 127.0.0.3 sends quick SPARQL queries and
   questions in a loop. Printed: their p50 / p95 and refusals, against the same loop with no
   slow queries running (the ratio of the p95s).

Without --store, a store is built from corpus/ in a temporary folder.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

CAP = 128 * 1024
SIZES = [2 * 1024, 8 * 1024, 32 * 1024, 128 * 1024]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


# ---------------------------------------------------------------------- 1. the guard
def shape(name: str, size: int) -> str:
    """A query of about ``size`` UTF-8 bytes (under the cap)."""
    if name == "filter-in-escaped":
        head, tail, item = 'SELECT * WHERE { BIND("x" AS ?o) FILTER(?o IN (', ")) }", '"a\\"b", '
    elif name == "name-run":
        head, tail, item = "ASK { ?s ?p ?o } #\n", "", "a-中."
    else:
        head, tail = "SELECT * WHERE { ?s ?p ?o ", "}"
        item = ('# a comment with "quotes" <and> \'\'\'\n FILTER(?o != "str\\"ing#" && ?o != <http://e.example/#x>'
                ' && ?o != "\\u0041\\n") ')
    n = max(1, (size - len(head.encode()) - len(tail.encode())) // len(item.encode()))
    return head + item * n + tail


def timed(fn, text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


_OLD_PN = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
           "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD")
_OLD_PNC = _OLD_PN + "_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
OLD_TOKEN = re.compile(                # the lexer kg had before (its prefixed-name pattern backtracks)
    r"""(?P<ws>\s+)|(?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<pname>(?:[""" + _OLD_PN + r"""](?:[""" + _OLD_PNC + r""".]*[""" + _OLD_PNC + r"""])?)?:[""" + _OLD_PNC
    + r"""]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*) | (?P<other>.)""", re.VERBOSE | re.DOTALL)


def old_guard(text: str) -> None:
    for _ in OLD_TOKEN.finditer(text):
        pass


def bench_guard(quick: bool) -> dict:
    from kg.web import guard

    repeat = 3 if quick else 7
    out = {}
    print("guard cost by query size (median of %d; growth = time ratio to the previous size, size ratio 4)" % repeat)
    print(f"{'shape':<20} {'bytes':>7} {'screen ms':>10} {'growth':>7} {'analyse ms':>11} {'growth':>7} "
          f"{'old lexer ms':>13} {'growth':>7}")
    for name in ("filter-in-escaped", "name-run", "mixed"):
        prev = None
        rows = []
        for size in SIZES:
            text = shape(name, size)
            nbytes = len(text.encode())
            assert nbytes <= CAP
            s = timed(lambda t: guard.screen(t, CAP), text, repeat)
            a = timed(lambda t: guard.analyse(t, None, max_nesting=None), text, repeat) if name != "name-run" else \
                timed(lambda t: guard.tokenize(t), text, repeat)
            o = timed(old_guard, text, 1) if size <= 16 * 1024 or (not quick and size <= 32 * 1024) else None
            row = {"bytes": nbytes, "screen_ms": s * 1e3, "analyse_ms": a * 1e3,
                   "old_ms": None if o is None else o * 1e3}
            g = (lambda k: (row[k] / prev[k]) if prev and prev.get(k) and row.get(k) else None)
            print(f"{name:<20} {nbytes:>7} {row['screen_ms']:>10.2f} {_fmt(g('screen_ms')):>7} "
                  f"{row['analyse_ms']:>11.2f} {_fmt(g('analyse_ms')):>7} "
                  f"{'' if o is None else f'{o * 1e3:.1f}':>13} {_fmt(g('old_ms')):>7}")
            rows.append(row)
            prev = row
        out[name] = rows
    return out


def _fmt(x) -> str:
    return "" if x is None else f"{x:.1f}x"


# ---------------------------------------------------------------------- 2. fairness
def request(port: int, source: str, path: str) -> tuple[int, float, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(source, 0))
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json, application/json"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, time.perf_counter() - t0, body


QUICK_PATHS = ["/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}),
               "/api/ask?" + urlencode({"q": "2015年退出多少贫困村"}),
               "/sparql?" + urlencode({"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"})]


def quick_loop(port: int, until, out: list) -> None:
    i = 0
    while not until():
        status, dt, _ = request(port, "127.0.0.3", QUICK_PATHS[i % len(QUICK_PATHS)])
        out.append((status, dt))
        i += 1


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round((len(xs) - 1) * p)))] if xs else float("nan")


def bench_fairness(store: str, seconds: float) -> dict:
    from socket import socket
    with socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kg = Path(sys.executable).with_name("kg")
    server = subprocess.Popen([str(kg), "--store", store, "serve", "--port", str(port), "--query-timeout",
                               str(seconds)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                if request(port, "127.0.0.1", "/api/stats")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("kg serve did not start")
            time.sleep(0.2)
        request(port, "127.0.0.1", QUICK_PATHS[1])                  # the question catalogue is built
        baseline: list = []
        t_end = time.time() + seconds
        quick_loop(port, lambda: time.time() > t_end, baseline)
        slow_results: list = []

        def slow():
            slow_results.append(request(port, "127.0.0.2", "/sparql?" + urlencode({"query": SLOW}))[:2])
        threads = [threading.Thread(target=slow) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        during: list = []
        quick_loop(port, lambda: len(slow_results) > 0, during)
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(20)
    res = {}
    print(f"\nfairness: client 127.0.0.3's quick queries and questions, alone and while 127.0.0.2's two slow "
          f"queries run to their {seconds:g} s limit")
    print(f"{'':<22} {'requests':>8} {'refused':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for label, rows in (("alone", baseline), ("during slow queries", during)):
        lat = [dt * 1e3 for st, dt in rows if st == 200]
        res[label] = {"requests": len(rows), "refused": sum(1 for st, _ in rows if st != 200),
                      "p50_ms": pct(lat, 0.5), "p95_ms": pct(lat, 0.95)}
        r = res[label]
        print(f"{label:<22} {r['requests']:>8} {r['refused']:>8} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}")
    ratio = res["during slow queries"]["p95_ms"] / res["alone"]["p95_ms"]
    print(f"p95 during / alone: {ratio:.2f}x; the slow queries: {[s for s, _ in slow_results]} "
          f"after {[round(d, 1) for _, d in slow_results]} s")
    res["p95_ratio"] = ratio
    return res


def build_store() -> str:
    from kg.ingest import ingest
    from kg.store import LocalStore
    path = Path(tempfile.mkdtemp(prefix="kg-bench-sec-")) / "store"
    st = LocalStore(path)
    try:
        ingest([REPO / "corpus"], st, progress=False)
    finally:
        st.close()
    return str(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--store")
    ap.add_argument("--seconds", type=float, default=None, help="the slow queries' time limit (default 8, quick 4)")
    ap.add_argument("--json")
    args, _ = ap.parse_known_args(argv)
    out = {"guard": bench_guard(args.quick)}
    out["fairness"] = bench_fairness(args.store or build_store(), args.seconds or (4.0 if args.quick else 8.0))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
