"""Per-client fairness of the SPARQL workers (kg.web.fairness; a client is a remote address).

While one client's two slow queries run to their time limit, another client's quick queries
and questions are all served, none refused, and each answer arrives before the slow ones end:
an order the test observes, with no time thresholds."""

from __future__ import annotations

import http.client
import json
import threading
import time
from urllib.parse import urlencode, urlsplit

import pytest

from kg.web.fairness import FairGate, GateBusy

from .conftest import KgServer

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "ASK { ?s ?p ?o }"


# ---------------------------------------------------------------------- the gate
def _in_thread(gate: FairGate, client: str, order: list, wait: float = 30.0) -> threading.Thread:
    def go():
        try:
            gate.acquire(client, wait)
            order.append(client)
        except GateBusy:
            order.append(client + " busy")
    t = threading.Thread(target=go, daemon=True)
    t.start()
    return t


def _waiting(gate: FairGate, n: int) -> None:
    while gate.counts()["waiting"] < n:
        time.sleep(0.005)


def test_a_client_with_nothing_running_goes_first():
    gate = FairGate(size=1, spare=1)
    order: list[str] = []
    gate.acquire("a", 1)                       # a's slow query holds the one regular slot
    a2 = _in_thread(gate, "a", order)          # a's second waits in a's queue
    _waiting(gate, 1)
    gate.acquire("b", 1)                       # b has nothing running: the spare slot, at once
    c = _in_thread(gate, "c", order)           # c too, but the spare is taken: it waits
    _waiting(gate, 2)
    gate.release("b")                          # the spare goes to c (nothing running), not to a
    c.join(5)
    assert order == ["c"]
    gate.release("a")                          # a's own slot frees: its second query runs
    a2.join(5)
    assert order == ["c", "a"]


def test_a_client_queue_is_bounded_and_waits_end():
    gate = FairGate(size=1, spare=0, queue=1)
    order: list[str] = []
    gate.acquire("a", 1)
    t = _in_thread(gate, "a", order, wait=0.2)
    _waiting(gate, 1)
    with pytest.raises(GateBusy, match="waiting"):
        gate.acquire("a", 5)                   # a third one: refused at once
    t.join(5)
    assert order == ["a busy"]                 # the queued one gave up after its wait
    assert gate.counts() == {"running": 1, "clients": 1, "waiting": 0}


def test_one_client_takes_at_most_the_regular_slots():
    gate = FairGate(size=2, spare=2)
    order: list[str] = []
    gate.acquire("a", 1)
    gate.acquire("a", 1)
    t = _in_thread(gate, "a", order, wait=0.2)  # spare slots are free, but not for a
    t.join(5)
    assert order == ["a busy"]


# ---------------------------------------------------------------------- a real server
@pytest.fixture(scope="module")
def fair_server(store_dir, tmp_path_factory):
    srv = KgServer(str(store_dir), tmp_path_factory.mktemp("fair") / "serve.log", ("--query-timeout", "8"))
    yield srv
    srv.stop()


def request(base: str, source: str, path: str) -> tuple[int, bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60, source_address=(source, 0))
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json, application/json"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


def running(base: str) -> int:
    """SPARQL queries running now (the gate's count; else the busy workers)."""
    w = json.loads(request(base, "127.0.0.1", "/api/stats")[1])["workers"]
    return w["running"] if "running" in w else w["alive"] - w["idle"]


def test_other_clients_are_served_while_one_clients_slow_queries_run(fair_server):
    base = fair_server.url
    assert request(base, "127.0.0.1", "/api/ask?" + urlencode({"q": "2015年退出多少贫困村"}))[0] == 200   # warm
    events: list[tuple] = []
    lock = threading.Lock()

    def slow(i):
        status, body = request(base, "127.0.0.2", "/sparql?" + urlencode({"query": SLOW}))
        with lock:
            events.append(("slow", i, status, body.decode("utf-8", "replace")))

    slow_threads = [threading.Thread(target=slow, args=(i,)) for i in range(2)]
    for t in slow_threads:
        t.start()
    while running(base) < 2:                  # both slow queries hold workers now
        time.sleep(0.02)
    quick_paths = ["/sparql?" + urlencode({"query": QUICK}), "/api/ask?" + urlencode({"q": "2015年退出多少贫困村"}),
                   "/sparql?" + urlencode({"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"}),
                   "/api/ask?" + urlencode({"q": "2016年脱贫多少户"}), "/sparql?" + urlencode({"query": QUICK})]
    for path in quick_paths:
        status, body = request(base, "127.0.0.3", path)
        with lock:
            events.append(("quick", path, status, body[:200]))
    for t in slow_threads:
        t.join(60)
    kinds = [e[0] for e in events]
    assert kinds == ["quick"] * len(quick_paths) + ["slow", "slow"], events
    assert all(e[2] == 200 for e in events if e[0] == "quick"), events
    # the slow ones ran to their limit (one after the other when only two workers are regular)
    assert all(e[2] == 503 and "time limit" in e[3] for e in events if e[0] == "slow"), events
