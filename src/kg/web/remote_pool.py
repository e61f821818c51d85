"""User SPARQL queries forwarded to an external SPARQL server (``kg serve --store http://…``).

The same interface as :class:`kg.web.pool.QueryPool` (``run(job, timeout, queue_wait)`` →
:class:`~kg.web.worker.Outcome`), so the endpoint does not care where a query runs:

- the query is screened again here (:func:`kg.web.guard.screen`: no SERVICE anywhere; the
  server behind may well execute it, so this check alone keeps it from fetching) and checked
  (:func:`kg.web.guard.analyse`: no update, no FROM of a graph the store does not hold) in a
  worker process without a store or a network (:mod:`kg.web.worker`), under the time limit,
  off the request thread; then it is POSTed to the store's query URL and to nothing else: the
  host, port and path come from the store location, never from the request; redirects are not
  followed;
- the dataset always goes as protocol parameters (``default-graph-uri`` / ``named-graph-uri``),
  which override any FROM the server reads in the query: the client's; else the graphs of the
  query's own FROM / FROM NAMED (so that the server's reading of FROM never matters); else the
  store's union graph (kg.namespaces.UNION_GRAPH, the set union of all graphs that kg
  maintains) as the default graph and every other graph as a named graph. The query and its
  parameters are one form-encoded body. Relative IRIs are resolved against this endpoint's URL
  by a ``BASE`` line put before the query (only when it has some; the base is checked to be
  one IRI);
- the time limit is a deadline over the whole exchange: connecting, waiting for the first byte
  and reading are each given the time that is left (socket timeouts); past it the connection
  is closed and the client gets the usual 503. Oxigraph server stops a streaming query when its
  client goes away; for queries that compute everything before the first row (ORDER BY,
  aggregates), run the server with ``--timeout-s`` (see docs/security.md);
- the answer is parsed as it streams in (SPARQL JSON / XML results, N-Triples, Turtle), cut at
  the row cap, at most ``max_bytes`` of it read, and re-serialised by the same code as the
  local workers' results (:func:`kg.web.worker.collect`), in the format the client asked for;
- at most ``size`` queries are forwarded at once, shared fairly among clients
  (:mod:`kg.web.fairness`; others wait up to ``queue_wait``, then 503).
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from urllib.parse import urlencode, urlsplit

from dataclasses import replace

from ..remote import endpoints
from . import guard
from .fairness import CLIENT, FairGate, GateBusy
from .pool import PoolBusy, QueryPool, QueryTimeout
from .worker import Job, Outcome, collect

ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
          "application/n-triples;q=0.9, text/turtle;q=0.8")
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


def _valid_iri(iri: str) -> bool:
    import pyoxigraph as ox
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


class RemoteQueryPool:
    """Forwards jobs to the SPARQL server at ``url`` (a store location, see :mod:`kg.remote`)."""

    def __init__(self, url: str, size: int = 4, max_bytes: int = 64 * 1024 * 1024, graphs=None,
                 spare: int | None = None, client_queue: int | None = None):
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
        self.gate = FairGate(self.size, spare, client_queue)
        # stage 2 of the guard, in processes without a store or a network (kg.web.worker)
        self.checker = QueryPool("", size=self.size, spare=self.gate.spare, client_queue=self.gate.queue)
        self._lock = threading.Lock()
        self._closed = False
        self.stats = {"jobs": 0, "timeouts": 0, "errors": 0, "running": 0}

    # QueryPool's interface
    def warm(self, n: int = 1) -> None:
        self.checker.warm(n)

    def close(self) -> None:
        self._closed = True
        self.checker.close()

    def counts(self) -> dict:
        with self._lock:
            out = {"running": self.stats["running"], "size": self.size}
        return {**out, **{k: v for k, v in self.gate.counts().items() if k != "running"}}

    def _count(self, key: str, delta: int = 1) -> None:
        with self._lock:
            self.stats[key] += delta

    def run(self, job: Job, timeout: float, queue_wait: float | None = None, client: str | None = None) -> Outcome:
        if self._closed:
            raise PoolBusy("the query pool is shut down")
        guard.screen(job.query)         # no SERVICE reaches the server, whoever calls this
        client = CLIENT.get() if client is None else client
        try:
            self.gate.acquire(client, timeout if queue_wait is None else queue_wait)
        except GateBusy as e:
            raise PoolBusy(str(e)) from None
        self._count("jobs")
        self._count("running")
        try:
            left = timeout
            analysis = None
            if job.analyse:
                known = job.known_graphs
                if known is None and self.graphs is not None:
                    known = frozenset(self.graphs())
                checked = self.checker.run(replace(job, check_only=True, known_graphs=known), timeout,
                                           queue_wait=timeout, client=client)
                if not checked.ok:
                    return checked
                left = timeout - checked.seconds        # the check's time counts, a checker's start does not
                analysis = checked.extra["analysis"]
                fmt = job.graph_fmt if analysis.returns_graph else job.fmt
                if not fmt:
                    return Outcome(False, error="not-acceptable", form=analysis.form, extra={"analysis": analysis})
                job = replace(job, fmt=fmt, union=not analysis.has_dataset_clause)
            out = self._run(job, max(0.01, left), analysis)
            if analysis is not None:
                out.extra["analysis"] = analysis
            return out
        finally:
            self._count("running", -1)
            self.gate.release(client)

    # ------------------------------------------------------------------ one exchange
    def _form(self, job: Job, text: str, analysis: guard.Analysis | None) -> bytes:
        """The request body: the query and its dataset, form-encoded (a long list of graphs would
        not fit in a URL). The dataset is always given, so any FROM the server reads is overridden."""
        from ..namespaces import UNION_GRAPH
        params: list[tuple[str, str]] = [("query", text)]
        if job.default_graphs is not None or job.named_graphs is not None:
            params += [("default-graph-uri", g) for g in job.default_graphs or []]
            params += [("named-graph-uri", g) for g in job.named_graphs or []]
        elif analysis is not None and analysis.has_dataset_clause:
            params += [("default-graph-uri", g) for g in analysis.from_graphs]
            params += [("named-graph-uri", g) for g in analysis.from_named]
        elif job.union:
            # the store's set union (kg.store, kg.remote) is the default graph; GRAPH clauses see
            # the documents' and the ontology's graphs
            params.append(("default-graph-uri", UNION_GRAPH))
            if analysis is None or analysis.uses_graph:
                params += [("named-graph-uri", g) for g in (self.graphs() if self.graphs else [])]
        return urlencode(params).encode("ascii")

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return cls(self.host, self.port, timeout=max(0.01, timeout))

    def _run(self, job: Job, timeout: float, analysis: guard.Analysis | None = None) -> Outcome:
        import pyoxigraph as ox

        t0 = time.perf_counter()
        deadline = time.monotonic() + timeout
        text = job.query
        if job.base_iri and (analysis is None or analysis.relative_iris) and _valid_iri(job.base_iri):
            text = f"BASE <{job.base_iri}>\n{text}"
        conn = self._connection(timeout)
        try:
            try:
                path = self.path + ("?" + self.base_query if self.base_query else "")
                conn.request("POST", path, body=self._form(job, text, analysis),
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
