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
