"""Soak test of the web server (not a test of the suite; `make soak`):

    .venv/bin/python bench/soak.py [--minutes 5] [--clients 8] [--upload-every 3] [--json OUT]

Builds a store from corpus/ in a temporary folder (with a copy of the corpus), starts `kg serve`
on 127.0.0.1 with a write token, and for ``--minutes`` runs ``--clients`` keep-alive clients
mixing /api/ask, /sparql and pages, plus one writer that logs in with the token and, every
``--upload-every`` seconds, adds a report through the web form (CSRF token, Origin, multipart
upload), checks that it is served, and removes it again. Everything stays on loopback and is
bounded: the run stops at its deadline, uploads are at most one per interval, each is removed.

Every ``--interval`` seconds it prints the requests per second, p50 / p95 / p99 latency and the
resident memory (RSS) of the server process and of its SPARQL workers; at the end, the totals
and whether the server's RSS grew by less than 10 % between the end of the warm-up (the first
``--warmup`` fraction of the run, at least 30 s) and the end. Every answer is checked against
the same work done in-process before the start (question answers, SPARQL rows), so a wrong
answer under load is counted, not just an error status. Exit status 1 when a request got a 5xx
or a wrong answer, or the memory grew by 10 % or more.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

TOKEN = "soak-" + uuid.uuid4().hex
PFX = """PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
"""
# queries whose answers do not change while the writer adds and removes its reports
QUERIES = [
    PFX + """SELECT ?year ?value WHERE { ?ind skos:prefLabel "退出贫困村"@zh . ?obs fp:indicator ?ind ;
      sdmx-dimension:refArea/rdfs:label "汝州市" ; sdmx-dimension:refPeriod/fp:endYear ?year ; fp:value ?value }""",
    PFX + """SELECT ?label ?value WHERE { ?obs a fp:Observation ; rdfs:label ?label ; fp:value ?value ;
      sdmx-dimension:refArea/rdfs:label "汝州市" } ORDER BY ?label LIMIT 40""",
    PFX + "ASK { ?r a fp:Report ; dct:identifier \"ruzhou-2018-poverty-alleviation\" }",
]
DOC = "ruzhou-2018-poverty-alleviation"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            out = [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def rows_of(body: bytes):
    import pyoxigraph as ox
    res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(res, ox.QueryBoolean):
        return bool(res)
    return sorted(tuple(str(t) if t is not None else "" for t in row) for row in res)


def normal(values):
    return json.loads(json.dumps(values, default=str))


# ---------------------------------------------------------------------- shared counters
class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.lat: list[float] = []            # this interval
        self.all_lat: list[float] = []
        self.statuses: dict = {}
        self.wrong: list = []
        self.uploads = 0
        self.upload_failures: list = []
        self.upload_lat: list[float] = []       # a whole add + check + remove cycle

    def record(self, dt: float, status, wrong=None):
        with self.lock:
            self.lat.append(dt)
            self.all_lat.append(dt)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if wrong is not None and len(self.wrong) < 50:
                self.wrong.append(wrong)

    def take(self) -> list[float]:
        with self.lock:
            lat, self.lat = self.lat, []
        return lat


# ---------------------------------------------------------------------- readers
def reader(port: int, expected: dict, seed: int, until: float, stats: Stats):
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        kind = rnd.choice(["ask", "ask", "sparql", "sparql", "page", "page"])
        headers = {}
        if kind == "ask":
            q = rnd.choice(list(expected["answers"]))
            path = "/api/ask?" + urlencode({"q": q})
        elif kind == "sparql":
            q = rnd.choice(QUERIES)
            path = "/sparql?" + urlencode({"query": q})
            headers["Accept"] = "application/sparql-results+json"
        else:
            path = rnd.choice(["/", "/documents", f"/documents/{DOC}", "/indicators", "/entities",
                               f"/documents/{DOC}.json", "/api/stats"])
        t0 = time.perf_counter()
        try:
            conn.request("GET", quote(path, safe="/?=&%:+"), headers=headers)
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            stats.record(time.perf_counter() - t0, "error", (path, repr(e)))
            continue
        dt = time.perf_counter() - t0
        wrong = None
        if resp.status != 200:
            wrong = (path, resp.status, body[:200])
        elif kind == "ask":
            j = json.loads(body)
            if (j["answered"], j["answer"], normal(j["values"])) != expected["answers"][q]:
                wrong = (path, j["answer"])
        elif kind == "sparql" and rows_of(body) != expected["sparql"][q]:
            wrong = (path, "rows differ")
        elif kind == "page" and path == f"/documents/{DOC}.json" and \
                json.loads(body)["facts"] != expected["doc_facts"]:
            wrong = (path, "facts differ")
        stats.record(dt, resp.status, wrong)
    conn.close()


# ---------------------------------------------------------------------- the writer
class Browser:
    """Just enough of a browser for the form: a cookie, an Origin, the CSRF token."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie = ""
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: bytes | None = None, ctype: str | None = None):
        headers = {"Origin": self.origin}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if ctype:
            headers["Content-Type"] = ctype
        self.conn.request(method, quote(path, safe="/?=&%:+"), body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie" and v.startswith("kg_session="):
                self.cookie = v.split(";", 1)[0]
        return resp.status, data

    def csrf(self) -> str:
        status, body = self.request("GET", "/add")
        return re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()

    def login(self, token: str) -> None:
        status, _ = self.request("POST", "/login", urlencode({"csrf_token": self.csrf(), "token": token}).encode(),
                                 "application/x-www-form-urlencoded")
        if status != 303:
            raise RuntimeError(f"login failed: {status}")

    def upload(self, csrf: str, name: str, text: str, fields: dict) -> int:
        boundary = "----kgsoak" + uuid.uuid4().hex
        parts = []
        for k, v in {"csrf_token": csrf, **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     "Content-Type: text/plain\r\n\r\n".encode() + text.encode("utf-8") + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        status, _ = self.request("POST", "/add", b"".join(parts), f"multipart/form-data; boundary={boundary}")
        return status


def writer(port: int, every: float, until: float, stats: Stats, max_uploads: int):
    b = Browser(port)
    b.login(TOKEN)
    n = 0
    while time.monotonic() + every < until and n < max_uploads:
        time.sleep(every)
        n += 1
        doc = f"soak-{n:05d}"
        text = (f"青川县扶贫工作报告（第{n}号）\n2019年，青川县减少贫困人口{3000 + n}人，"
                f"退出贫困村{n % 50 + 1}个，投入扶贫资金{n + 100}万元。\n")
        t0 = time.perf_counter()
        try:
            csrf = b.csrf()
            status = b.upload(csrf, f"{doc}.txt", text, {"place": "青川县", "date": "2019", "doc": doc})
            ok = status == 303
            if ok:
                s2, body = b.request("GET", f"/documents/{doc}.json")
                ok = s2 == 200 and json.loads(body)["text"] == text
            s3, _ = b.request("POST", f"/documents/{doc}/remove",
                              urlencode({"csrf_token": csrf}).encode(), "application/x-www-form-urlencoded")
            s4, _ = b.request("GET", f"/documents/{doc}.json")
            ok = ok and s3 == 303 and s4 == 404
        except (OSError, http.client.HTTPException, AttributeError) as e:
            b = Browser(port)
            b.login(TOKEN)
            ok, status = False, repr(e)
        with stats.lock:
            stats.uploads += 1
            stats.upload_lat.append(time.perf_counter() - t0)
            stats.statuses["upload" if ok else "upload-failed"] = stats.statuses.get("upload" if ok else "upload-failed", 0) + 1
            if not ok:
                stats.upload_failures.append((doc, status))


# ---------------------------------------------------------------------- main
def expected_answers(store_dir: str) -> dict:
    from kg.qa import ask
    from kg.store import LocalStore
    from kg.web import data, results
    from kg.web.examples import QUESTIONS

    st = LocalStore(store_dir, read_only=True)
    try:
        answers = {}
        for q in QUESTIONS:
            if "汝州" not in q and not re.search(r"\d{4}年", q):
                continue             # a question without place or year may count the writer's reports too
            a = ask(q, st)
            answers[q] = (a["answered"], a["answer"], normal(a["values"]))
        sparql = {}
        import pyoxigraph as ox
        for q in QUERIES:
            res = st.query(q)
            if isinstance(res, ox.QueryBoolean):
                sparql[q] = bool(res)
            else:
                variables = [v.value for v in res.variables]
                sparql[q] = rows_of(results.solutions(variables, [[r[v] for v in variables] for r in res], "json"))
        doc_facts = normal(data.document(st, DOC)["facts"])
    finally:
        st.close()
    return {"answers": answers, "sparql": sparql, "doc_facts": doc_facts}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--upload-every", type=float, default=3.0, help="seconds between uploads")
    ap.add_argument("--interval", type=float, default=10.0, help="seconds between reports")
    ap.add_argument("--warmup", type=float, default=0.2, help="fraction of the run that is warm-up (at least 30 s)")
    ap.add_argument("--json", help="write the measurements here")
    a, _ = ap.parse_known_args(argv)
    seconds = max(30.0, a.minutes * 60)
    warmup = min(seconds / 2, max(30.0, seconds * a.warmup))

    from kg.ingest import ingest
    from kg.store import LocalStore

    tmp = Path(tempfile.mkdtemp(prefix="kg-soak-"))
    server = None
    try:
        store_dir = str(tmp / "store")
        s = LocalStore(store_dir)
        ingest([REPO / "corpus"], s, progress=False)
        s.close()
        shutil.copytree(REPO / "corpus", tmp / "corpus")
        expected = expected_answers(store_dir)

        port = free_port()
        kg = Path(sys.executable).with_name("kg")
        cmd = [str(kg)] if kg.exists() else [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]
        env = dict(os.environ, KG_WRITE_TOKEN=TOKEN, KG_CORPUS=str(tmp / "corpus"), PYTHONUNBUFFERED="1")
        log = open(tmp / "serve.log", "wb")
        server = subprocess.Popen(cmd + ["--store", store_dir, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(tmp))
        deadline = time.monotonic() + 60
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/api/stats")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print((tmp / "serve.log").read_text(errors="replace"))
                return 1
            time.sleep(0.1)

        print(f"soak: {seconds / 60:.1f} min, {a.clients} clients + 1 writer (an upload every {a.upload_every:g} s), "
              f"warm-up {warmup:.0f} s, kg serve pid {server.pid} on 127.0.0.1:{port}")
        print(f"{'t s':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'server MB':>10} {'workers MB':>11} "
              f"{'uploads':>8} {'errors':>7}")
        stats = Stats()
        start = time.monotonic()
        until = start + seconds
        threads = [threading.Thread(target=reader, args=(port, expected, i, until, stats), daemon=True)
                   for i in range(a.clients)]
        threads.append(threading.Thread(target=writer, args=(port, a.upload_every, until, stats,
                                                               int(seconds / a.upload_every) + 1), daemon=True))
        for t in threads:
            t.start()
        samples = []
        last = start
        while time.monotonic() < until:
            time.sleep(min(a.interval, max(0.0, until - time.monotonic())))
            now = time.monotonic()
            lat = stats.take()
            srv = rss_kb(server.pid)
            workers = sum(rss_kb(p) for p in children(server.pid))
            bad = sum(n for k, n in stats.statuses.items() if k in ("error", "upload-failed")
                      or (isinstance(k, int) and k >= 500))
            sample = {"t": round(now - start, 1), "rps": len(lat) / (now - last), "p50": pct(lat, .5) * 1000,
                      "p95": pct(lat, .95) * 1000, "p99": pct(lat, .99) * 1000, "server_kb": srv,
                      "workers_kb": workers, "uploads": stats.uploads, "errors": bad}
            samples.append(sample)
            print(f"{sample['t']:6.0f} {sample['rps']:7.0f} {sample['p50']:7.1f} {sample['p95']:7.1f} "
                  f"{sample['p99']:7.1f} {srv / 1024:10.1f} {workers / 1024:11.1f} {stats.uploads:8d} {bad:7d}",
                  flush=True)
            last = now
        for t in threads:
            t.join(120)

        lat = stats.all_lat
        total = time.monotonic() - start
        after = [s for s in samples if s["t"] >= warmup]
        base = statistics.median(s["server_kb"] for s in after[:3]) if after else float("nan")
        end = statistics.median(s["server_kb"] for s in after[-3:]) if after else float("nan")
        base_all = statistics.median(s["server_kb"] + s["workers_kb"] for s in after[:3]) if after else float("nan")
        end_all = statistics.median(s["server_kb"] + s["workers_kb"] for s in after[-3:]) if after else float("nan")
        growth = (end - base) / base if base else float("nan")
        growth_all = (end_all - base_all) / base_all if base_all else float("nan")
        fivexx = {k: n for k, n in stats.statuses.items() if isinstance(k, int) and k >= 500}
        other = {k: n for k, n in stats.statuses.items() if k not in (200, "upload") and k not in fivexx}
        summary = {
            "minutes": seconds / 60, "clients": a.clients, "requests": len(lat), "requests_per_s": len(lat) / total,
            "p50_ms": pct(lat, .5) * 1000, "p95_ms": pct(lat, .95) * 1000, "p99_ms": pct(lat, .99) * 1000,
            "statuses": {str(k): n for k, n in stats.statuses.items()}, "uploads": stats.uploads,
            "upload_cycle_p50_s": pct(stats.upload_lat, .5),
            "upload_failures": stats.upload_failures[:10], "wrong_answers": len(stats.wrong),
            "rss_server_after_warmup_mb": base / 1024, "rss_server_end_mb": end / 1024, "rss_server_growth": growth,
            "rss_with_workers_after_warmup_mb": base_all / 1024, "rss_with_workers_end_mb": end_all / 1024,
            "rss_with_workers_growth": growth_all, "samples": samples,
        }
        print(f"\n{len(lat)} requests in {total:.0f} s: {len(lat) / total:.0f} req/s, p50 {summary['p50_ms']:.1f} ms, "
              f"p95 {summary['p95_ms']:.1f} ms, p99 {summary['p99_ms']:.1f} ms")
        print(f"statuses: {stats.statuses}; uploads {stats.uploads} (failed {len(stats.upload_failures)}; "
              f"add + check + remove p50 {pct(stats.upload_lat, .5):.2f} s, max {max(stats.upload_lat, default=0):.2f} s); "
              f"wrong answers {len(stats.wrong)}")
        for w in stats.wrong[:5]:
            print("  wrong:", w)
        ok_mem = growth < 0.10
        print(f"server RSS after warm-up {base / 1024:.1f} MB, at the end {end / 1024:.1f} MB: "
              f"{growth * 100:+.1f} % — {'less than 10 %: OK' if ok_mem else 'GREW 10 % OR MORE'}")
        print(f"with the SPARQL workers: {base_all / 1024:.1f} MB → {end_all / 1024:.1f} MB ({growth_all * 100:+.1f} %)")
        if a.json:
            Path(a.json).parent.mkdir(parents=True, exist_ok=True)
            Path(a.json).write_text(json.dumps(summary, indent=2, default=str))
        failed = bool(fivexx or stats.wrong or stats.upload_failures or "error" in stats.statuses or not ok_mem)
        if other:
            print(f"other statuses: {other}")
        if failed:
            log_lines = (tmp / "serve.log").read_text(errors="replace").splitlines()
            print("the server's log, last lines:\n  " + "\n  ".join(log_lines[-20:]))
        return 1 if failed else 0
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
