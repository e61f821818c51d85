"""Sharing the SPARQL workers fairly among clients (a client is a remote address).

:class:`FairGate` hands out *slots* (a running query each) to waiting requests:

- each client's requests wait in the client's own queue, first come first served (each at most
  its wait); with ``queue`` set, a client may have at most that many waiting (more: refused at
  once, 503); a client has at most ``size`` running;
- when a slot is free, the next request is taken from the client with the fewest queries
  running (ties: the one whose request has waited longest), so one client's slow queries never
  keep another client waiting behind them;
- ``size`` slots serve everyone; ``spare`` more go only to a client that has nothing running.
  So while one client's slow queries hold every regular slot until their time limit, another
  client's query still starts at once.

Requests are told apart by :data:`CLIENT`, set per request by the web app (``before_request``),
so the pools need no Flask. Behind a reverse proxy every request comes from the proxy's address:
then all are one client, and the gate is a plain first-come queue, as before it existed.
"""

from __future__ import annotations

import contextvars
import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass

CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("kg_client", default="")


class GateBusy(Exception):
    """No slot within the wait, or the client's queue is full."""


@dataclass
class _Ticket:
    client: str
    seq: int
    granted: bool = False


class FairGate:
    def __init__(self, size: int, spare: int | None = None, queue: int | None = None):
        self.size = max(1, size)
        self.spare = self.size if spare is None else max(0, spare)
        self.queue = queue                  # None: no bound but each request's wait
        self._cond = threading.Condition()
        self._running: dict[str, int] = {}
        self._waiting: dict[str, deque[_Ticket]] = {}
        self._seq = itertools.count()
        self.total = 0
        self.stats = {"granted": 0, "refused": 0, "spare_used": 0}

    # ------------------------------------------------------------------ bookkeeping
    def _eligible(self, client: str) -> bool:
        running = self._running.get(client, 0)
        if running >= self.size:
            return False
        if self.total < self.size:
            return True
        return running == 0 and self.total < self.size + self.spare

    def _dispatch(self) -> None:
        """Grant free slots to waiting tickets, fewest-running client first."""
        while True:
            waiting = [(self._running.get(c, 0), q[0].seq, c) for c, q in self._waiting.items() if q]
            if not waiting:
                return
            _, _, client = min(waiting)
            if not self._eligible(client):
                return          # the client with the fewest running cannot start: nobody can
            ticket = self._waiting[client].popleft()
            if not self._waiting[client]:
                del self._waiting[client]
            self._take(client)
            ticket.granted = True
            self._cond.notify_all()

    def _take(self, client: str) -> None:
        if self.total >= self.size:
            self.stats["spare_used"] += 1
        self.total += 1
        self._running[client] = self._running.get(client, 0) + 1
        self.stats["granted"] += 1

    # ------------------------------------------------------------------ interface
    def acquire(self, client: str, wait: float) -> None:
        """Wait up to ``wait`` seconds for a slot for ``client``; :class:`GateBusy` if none."""
        deadline = time.monotonic() + max(0.0, wait)
        with self._cond:
            queue = self._waiting.get(client)
            if queue is not None and self.queue is not None and len(queue) >= self.queue:
                self.stats["refused"] += 1
                raise GateBusy(f"this client already has {len(queue)} queries waiting")
            ticket = _Ticket(client, next(self._seq))
            self._waiting.setdefault(client, deque()).append(ticket)
            self._dispatch()
            while not ticket.granted:
                left = deadline - time.monotonic()
                if left <= 0:
                    q = self._waiting.get(client)
                    if q is not None and ticket in q:
                        q.remove(ticket)
                        if not q:
                            del self._waiting[client]
                    self.stats["refused"] += 1
                    self._dispatch()
                    raise GateBusy(f"no free query slot within {wait:g} s")
                self._cond.wait(left)

    def release(self, client: str) -> None:
        with self._cond:
            self.total -= 1
            n = self._running.get(client, 0) - 1
            if n > 0:
                self._running[client] = n
            else:
                self._running.pop(client, None)
            self._dispatch()
            self._cond.notify_all()

    def counts(self) -> dict:
        with self._cond:
            return {"running": self.total, "clients": len(self._running),
                    "waiting": sum(len(q) for q in self._waiting.values())}
