"""Defence in depth: a SPARQL query worker has no network where the platform allows it
(kg.web.sandbox), so even a SERVICE query that got past the guard connects nowhere."""

from __future__ import annotations

import ctypes
import os
import time

from kg.web.pool import QueryPool
from kg.web.worker import Job

from .netwatch import Bait


def platform_allows_it() -> bool:
    """Whether a process here may leave the network: asked in a forked child with its own
    unshare(2) call, independently of kg.web.sandbox."""
    pid = os.fork()
    if pid == 0:                                    # pragma: no cover - the child
        libc = ctypes.CDLL(None, use_errno=True)
        ok = libc.unshare(0x40000000) == 0 or libc.unshare(0x10000000 | 0x40000000) == 0
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def test_a_service_query_past_the_guard_connects_nowhere(store_dir):
    pool = QueryPool(str(store_dir), size=1)
    try:
        with Bait() as bait:
            # straight to a worker: the request thread's screen is not on this path
            job = Job(query=f"SELECT * WHERE {{ SERVICE <{bait.url}/sparql> {{ ?s ?p ?o }} }}", fmt="json",
                      max_rows=10)
            out = pool.run(job, timeout=20, client="test")
            time.sleep(0.3)
            if platform_allows_it():
                assert pool.network == "none"
                assert bait.accepted == 0, "the worker reached the bait"
                assert not out.ok and "unreachable" in out.message.lower(), out
            else:                                   # documented: the guard alone holds here
                assert pool.network.startswith("host (")
        ok = pool.run(Job(query="ASK { ?s ?p ?o }", fmt="json", max_rows=10), timeout=20, client="test")
        assert ok.ok and b"true" in ok.body           # the store is read as before
    finally:
        pool.close()


def test_stats_say_whether_workers_have_a_network(client):
    client.get("/sparql", query_string={"query": "ASK {}"})
    workers = client.get("/api/stats").get_json()["workers"]
    assert workers["network"] == ("none" if platform_allows_it() else workers["network"])
    assert workers["network"] == "none" or workers["network"].startswith("host (")


SERVER = """
import sys
from kg.web.pool import QueryPool
from kg.web.worker import Job
pool = QueryPool(sys.argv[1], size=1)
pool.warm(1)
print(pool._idle[0].proc.pid, flush=True)
pool.run(Job(query=sys.argv[2], fmt="json", max_rows=10), timeout=3600, client="x")
"""
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_a_worker_does_not_outlive_its_server(store_dir):
    """The server enforces the time limit; killed, it must not leave a worker running a query."""
    import signal
    import subprocess
    import sys

    server = subprocess.Popen([sys.executable, "-c", SERVER, str(store_dir), ENDLESS], stdout=subprocess.PIPE,
                              text=True)
    worker = int(server.stdout.readline())
    try:
        deadline = time.monotonic() + 30
        while _cpu(worker) < 0.3 and time.monotonic() < deadline:     # it is running the query
            time.sleep(0.1)
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        while _alive(worker) and time.monotonic() < deadline + 30:
            time.sleep(0.1)
        assert not _alive(worker), "the worker went on after its server was killed"
    finally:
        if _alive(worker):
            os.kill(worker, signal.SIGKILL)
        server.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _cpu(pid: int) -> float:
    """Seconds of CPU the process has used."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().split(")")[-1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0
