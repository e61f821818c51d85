"""User SPARQL queries forwarded to an external SPARQL server (``kg serve --store http://…``).

The same interface as :class:`kg.web.pool.QueryPool` (``run(job, timeout, queue_wait)`` →
:class:`~kg.web.worker.Outcome`), so the endpoint does not care where a query runs:

- the query (already checked by :mod:`kg.web.guard`: no update, no SERVICE, no FROM of a graph
  the store does not hold) is POSTed as ``application/sparql-query`` to the store's query URL
  and to nothing else: the host, port and path come from the store location, never from the
  request; redirects are not followed;
- the dataset goes as protocol parameters (``default-graph-uri`` / ``named-graph-uri``): the
  client's, or, when the query names none, the store's union graph (kg.namespaces.UNION_GRAPH,
  the set union of all graphs that kg maintains) as the default graph and every other graph as
  a named graph; the query and its parameters are one form-encoded body. Relative IRIs are
  resolved against this endpoint's URL by a ``BASE`` line put before the query (only when it
  has some);
- the time limit is a deadline over the whole exchange: connecting, waiting for the first byte
  and reading are each given the time that is left (socket timeouts); past it the connection
  is closed and the client gets the usual 503. Oxigraph server stops a streaming query when its
  client goes away; for queries that compute everything before the first row (ORDER BY,
  aggregates), run the server with ``--timeout-s`` (see docs/security.md);
- the answer is parsed as it streams in (SPARQL JSON / XML results, N-Triples, Turtle), cut at
  the row cap, at most ``max_bytes`` of it read, and re-serialised by the same code as the
  local workers' results (:func:`kg.web.worker.collect`), in the format the client asked for;
- at most ``size`` queries are forwarded at once (others wait up to ``queue_wait``, then 503).
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from urllib.parse import urlencode, urlsplit

from ..remote import endpoints
from . import guard
from .pool import PoolBusy, QueryTimeout
from .worker import Job, Outcome, collect

ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
          "application/n-triples;q=0.9, text/turtle;q=0.8")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_CANCELLED = re.compile(rb"cancel|time ?out|timed out", re.I)


class _Deadline(Exception):
    pass


class _TooLarge(Exception):
    pass


class _Reader:
    """The response body for the parser: stops at the deadline and at ``max_bytes``; keeps the
    last bytes read (a server that gives up mid-stream writes its reason there)."""

    def __init__(self, resp: http.client.HTTPResponse, sock: socket.socket | None, deadline: float, max_bytes: int):
        self.resp, self.sock, self.deadline, self.max_bytes = resp, sock, deadline, max_bytes
        self.count = 0
        self.tail = b""

    def read(self, n: int = -1) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Deadline()
        if self.sock is not None:
            self.sock.settimeout(max(0.01, left))
        try:
            chunk = self.resp.read(n if n and n > 0 else 65536)
        except (TimeoutError, socket.timeout):
            raise _Deadline() from None
        except http.client.IncompleteRead as e:
            chunk = e.partial            # the server gave up mid-stream; the parser will say so
        self.count += len(chunk)
        if self.max_bytes and self.count > self.max_bytes:
            raise _TooLarge()
        self.tail = (self.tail + chunk)[-512:]
        return chunk


def has_relative_iri(query: str) -> bool:
    return any(t.kind == "iri" and not _SCHEME.match(t.text[1:-1]) for t in guard.tokenize(query))


def uses_graph(query: str) -> bool:
    return any(t.kind == "word" and t.upper == "GRAPH" for t in guard.tokenize(query))


class RemoteQueryPool:
    """Forwards jobs to the SPARQL server at ``url`` (a store location, see :mod:`kg.remote`)."""

    def __init__(self, url: str, size: int = 4, max_bytes: int = 64 * 1024 * 1024, graphs=None):
        self.url = url
        self.graphs = graphs            # () -> the store's graphs, for queries with GRAPH clauses
        self.query_url, _, self.oxigraph = endpoints(url)
        parts = urlsplit(self.query_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url}")
        self.scheme, self.host = parts.scheme, parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.path = parts.path or "/"
        self.base_query = parts.query
        self.size = max(1, size)
        self.max_bytes = max_bytes
        self._slots = threading.BoundedSemaphore(self.size)
        self._lock = threading.Lock()
        self._closed = False
        self.stats = {"jobs": 0, "timeouts": 0, "errors": 0, "running": 0}

    # QueryPool's interface
    def warm(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        self._closed = True

    def counts(self) -> dict:
        with self._lock:
            return {"running": self.stats["running"], "size": self.size}

    def _count(self, key: str, delta: int = 1) -> None:
        with self._lock:
            self.stats[key] += delta

    def run(self, job: Job, timeout: float, queue_wait: float | None = None) -> Outcome:
        if self._closed:
            raise PoolBusy("the query pool is shut down")
        if not self._slots.acquire(timeout=max(0.0, timeout if queue_wait is None else queue_wait)):
            raise PoolBusy(f"all {self.size} query slots are busy")
        self._count("jobs")
        self._count("running")
        try:
            return self._run(job, timeout)
        finally:
            self._count("running", -1)
            self._slots.release()

    # ------------------------------------------------------------------ one exchange
    def _form(self, job: Job, text: str) -> bytes:
        """The request body: the query and its dataset, form-encoded (a long list of graphs would
        not fit in a URL)."""
        from ..namespaces import UNION_GRAPH
        params: list[tuple[str, str]] = [("query", text)]
        if job.default_graphs is not None or job.named_graphs is not None:
            params += [("default-graph-uri", g) for g in job.default_graphs or []]
            params += [("named-graph-uri", g) for g in job.named_graphs or []]
        elif job.union:
            # the store's set union (kg.store, kg.remote) is the default graph; GRAPH clauses see
            # the documents' and the ontology's graphs
            params.append(("default-graph-uri", UNION_GRAPH))
            if uses_graph(text):
                params += [("named-graph-uri", g) for g in (self.graphs() if self.graphs else [])]
        return urlencode(params).encode("ascii")

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return cls(self.host, self.port, timeout=max(0.01, timeout))

    def _run(self, job: Job, timeout: float) -> Outcome:
        import pyoxigraph as ox

        t0 = time.perf_counter()
        deadline = time.monotonic() + timeout
        text = job.query
        if job.base_iri and has_relative_iri(text):
            text = f"BASE <{job.base_iri}>\n{text}"
        conn = self._connection(timeout)
        try:
            try:
                path = self.path + ("?" + self.base_query if self.base_query else "")
                conn.request("POST", path, body=self._form(job, text),
                             headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT,
                                      "User-Agent": "kg-web"})
                if conn.sock is not None:
                    conn.sock.settimeout(max(0.01, deadline - time.monotonic()))
                resp = conn.getresponse()
            except (TimeoutError, socket.timeout):
                self._count("timeouts")
                raise QueryTimeout(timeout) from None
            except (OSError, http.client.HTTPException) as e:
                self._count("errors")
                return Outcome(False, error="unreachable", message=f"{e.__class__.__name__}",
                               seconds=time.perf_counter() - t0)
            ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
            reader = _Reader(resp, conn.sock, deadline, self.max_bytes)
            if resp.status != 200:
                try:
                    body = reader.read(8192)
                except (_Deadline, _TooLarge, OSError, http.client.HTTPException):
                    body = b""
                if _CANCELLED.search(body) and resp.status >= 500:
                    self._count("timeouts")
                    raise QueryTimeout(timeout)
                if resp.status == 400:
                    return Outcome(False, error="syntax", message=body.decode("utf-8", "replace").strip()[:2000],
                                   seconds=time.perf_counter() - t0)
                self._count("errors")
                return Outcome(False, error="remote", message=f"HTTP {resp.status}", seconds=time.perf_counter() - t0)
            try:
                if ctype in ("application/sparql-results+json", "application/json"):
                    res = ox.parse_query_results(reader, format=ox.QueryResultsFormat.JSON)
                elif ctype in ("application/sparql-results+xml", "application/xml", "text/xml"):
                    res = ox.parse_query_results(reader, format=ox.QueryResultsFormat.XML)
                elif ctype in ("application/n-triples", "text/turtle", "text/plain"):
                    fmt = ox.RdfFormat.TURTLE if ctype == "text/turtle" else ox.RdfFormat.N_TRIPLES
                    res = ox.parse(reader, format=fmt)
                else:
                    self._count("errors")
                    return Outcome(False, error="remote", message=f"unexpected media type {ctype or '(none)'}",
                                   seconds=time.perf_counter() - t0)
                return collect(res, job, t0)
            except _Deadline:
                self._count("timeouts")
                raise QueryTimeout(timeout) from None
            except _TooLarge:
                return Outcome(False, error="too-large", seconds=time.perf_counter() - t0,
                               message=f"the result is more than {self.max_bytes} bytes")
            except (SyntaxError, ValueError, OSError, http.client.HTTPException) as e:
                if _CANCELLED.search(reader.tail):        # the server stopped it (its own --timeout-s)
                    self._count("timeouts")
                    raise QueryTimeout(timeout) from None
                self._count("errors")
                return Outcome(False, error="remote", message=f"a broken result ({e.__class__.__name__})",
                               seconds=time.perf_counter() - t0)
        finally:
            conn.close()
