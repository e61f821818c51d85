"""A SPARQL query worker: ``python -m kg.web.worker STORE_DIR``.

It first gives up the network where the platform allows (:mod:`kg.web.sandbox`), opens the
store read-only, then reads jobs from standard input and writes outcomes to standard output,
each a frame (4-byte big-endian length, then a pickle), one job at a time, until standard input
closes (the server went away) or it is killed (the query ran past its time limit). See
:mod:`kg.web.pool` for the server side.

A job with ``analyse`` set is checked here first (:func:`kg.web.guard.analyse`: update or
query, nesting, FROM graphs), so that parsing runs off the server's request threads and under
the query's time limit. A worker started without a store (``STORE_DIR`` empty) only checks
(``check_only`` jobs, for queries forwarded to an external server).
"""

from __future__ import annotations

import os
import pickle
import re
import struct
import sys
import time
from dataclasses import dataclass, field, replace

from . import guard, results


@dataclass
class Job:
    query: str
    fmt: str                                  # a results.SOLUTION_FORMATS or GRAPH_FORMATS key
    max_rows: int
    base_iri: str | None = None
    default_graphs: list[str] | None = None   # protocol dataset (default-graph-uri)
    named_graphs: list[str] | None = None     # protocol dataset (named-graph-uri)
    union: bool = True                        # default graph = union of all graphs
    generation: str = ""
    max_bytes: int = 0                        # largest serialised result (0: no limit)
    graph_fmt: str = ""                       # the format for CONSTRUCT / DESCRIBE ("": none acceptable)
    analyse: bool = False                     # run guard.analyse first; it decides ``union`` and the format
    max_nesting: int = 64
    known_graphs: frozenset | None = None     # graphs FROM may name (None: the store's own)
    check_only: bool = False                  # analyse and answer the Analysis, without running the query


@dataclass
class Outcome:
    ok: bool
    form: str = ""                  # SELECT | CONSTRUCT | ASK (DESCRIBE answers as CONSTRUCT)
    content_type: str = ""
    body: bytes = b""
    rows: int = 0
    truncated: bool = False
    error: str = ""                 # syntax | query | store | refused | bad-request | not-acceptable | bad-result
    message: str = ""
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)


def execute(store, job: Job) -> Outcome:
    """Run ``job`` on a pyoxigraph Store, cap it at ``job.max_rows`` and serialise it."""
    import pyoxigraph as ox

    t0 = time.perf_counter()
    kwargs = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or []]
    try:
        if job.union and "default_graph" not in kwargs:
            # the store's default graph is its set union (kg.store); a store written before
            # 2026-11-30 and not opened for writing since keeps it in a named graph
            from ..store import LEGACY_UNION
            if store.contains_named_graph(LEGACY_UNION):
                kwargs["default_graph"] = LEGACY_UNION
                kwargs["named_graphs"] = [g for g in store.named_graphs() if g != LEGACY_UNION]
        res = store.query(job.query, base_iri=job.base_iri, **kwargs)
        return collect(res, job, t0)
    except SyntaxError as e:
        return Outcome(False, error="syntax", message=str(e), seconds=time.perf_counter() - t0)
    except (OSError, ValueError, TypeError, RuntimeError) as e:
        return Outcome(False, error="query", message=str(e), seconds=time.perf_counter() - t0)


def collect(res, job: Job, t0: float, max_bytes: int | None = None) -> Outcome:
    """A query result (pyoxigraph QueryBoolean, QuerySolutions, or an iterable of triples or
    quads) cut at ``job.max_rows`` and serialised in ``job.fmt``. Used by the workers and by
    the remote runner (:mod:`kg.web.remote_pool`), so both cap and format alike."""
    import pyoxigraph as ox

    if isinstance(res, (ox.QueryBoolean, bool)):
        fmt = job.fmt if job.fmt in results.SOLUTION_FORMATS else "json"
        return Outcome(True, "ASK", results.SOLUTION_FORMATS[fmt], results.boolean(bool(res), fmt), 1,
                       seconds=time.perf_counter() - t0)
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        n = len(variables)
        rows = []
        truncated = False
        for sol in res:
            if len(rows) >= job.max_rows:
                truncated = True
                break
            rows.append([sol[i] for i in range(n)])
        fmt = job.fmt if job.fmt in results.SOLUTION_FORMATS else "json"
        body = results.solutions(variables, rows, fmt, job.max_rows if truncated else None)
        out = Outcome(True, "SELECT", results.SOLUTION_FORMATS[fmt], body, len(rows), truncated,
                      seconds=time.perf_counter() - t0)
    else:
        triples = []
        truncated = False
        for t in res:
            if len(triples) >= job.max_rows:
                truncated = True
                break
            if isinstance(t, ox.Quad):
                t = ox.Triple(t.subject, t.predicate, t.object)
            triples.append(t)
        fmt = job.fmt if job.fmt in results.GRAPH_FORMATS else "ttl"
        body = results.triples(triples, fmt, job.max_rows if truncated else None)
        out = Outcome(True, "CONSTRUCT", results.GRAPH_FORMATS[fmt][0], body, len(triples), truncated,
                      seconds=time.perf_counter() - t0)
    if fmt in ("xml", "rdfxml") and _XML_ILLEGAL.search(out.body):
        return Outcome(False, error="bad-result", seconds=time.perf_counter() - t0,
                       message="the result holds control characters that XML 1.0 cannot carry; ask for JSON, CSV or "
                               "Turtle instead")
    limit = max_bytes if max_bytes is not None else job.max_bytes
    if limit and len(out.body) > limit:
        return Outcome(False, error="too-large", seconds=time.perf_counter() - t0,
                       message=f"the result is {len(out.body)} bytes, more than the limit of {limit}")
    return out


# C0 controls but TAB, LF, CR, and U+FFFE / U+FFFF, as UTF-8 bytes: not in any XML 1.0 document
_XML_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def check(job: Job, known: set[str] | None) -> tuple[guard.Analysis | None, Outcome | None]:
    """Stage 2 of the guard on ``job``: (the Analysis, None), or (None, the Outcome refusing it)."""
    t0 = time.perf_counter()
    try:
        a = guard.analyse(job.query, set(job.known_graphs) if job.known_graphs is not None else known,
                          base=job.base_iri, max_nesting=job.max_nesting)
    except guard.Refused as e:
        return None, Outcome(False, error="refused", message=str(e), extra={"kind": e.kind},
                             seconds=time.perf_counter() - t0)
    except guard.BadRequest as e:
        return None, Outcome(False, error="bad-request", message=str(e), seconds=time.perf_counter() - t0)
    return a, None


def run_job(store, job: Job, known: set[str] | None = None) -> Outcome:
    """``job`` checked (when it asks) and run on ``store``."""
    a = None
    t0 = time.perf_counter()
    if job.analyse or job.check_only:
        a, refusal = check(job, known)
        if refusal is not None:
            return refusal
        if job.check_only:
            return Outcome(True, form=a.form, extra={"analysis": a}, seconds=time.perf_counter() - t0)
        fmt = job.graph_fmt if a.returns_graph else job.fmt
        if not fmt:
            return Outcome(False, error="not-acceptable", form=a.form, extra={"analysis": a})
        job = replace(job, fmt=fmt, union=not a.has_dataset_clause)
    if store is None:
        return Outcome(False, error="store", message="this worker has no store")
    out = execute(store, job)
    if a is not None:
        out.extra["analysis"] = a
    return out


# ---------------------------------------------------------------------- framing
HEADER = struct.Struct(">I")


def write_frame(fd: int, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def read_exact(fd: int, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int):
    (n,) = HEADER.unpack(read_exact(fd, HEADER.size))
    return pickle.loads(read_exact(fd, n))


def _open(ox, path: str):
    """Store.read_only, retried: a writer's compaction can race the open (see kg.web.storehub)."""
    for attempt in range(8):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError):
            if attempt == 7:
                raise
            time.sleep(0.05 * (attempt + 1))


def limit_memory(mb: int) -> None:
    """Cap this process's heap (RLIMIT_DATA: brk and private anonymous mappings, where every
    allocation goes; the store's memory-mapped files do not count). A query that needs more
    fails to allocate: pyoxigraph aborts the process, and the server reports the query as
    stopped by the memory limit."""
    import resource
    limit = mb * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def exit_with_parent(interval: float = 0.5) -> None:
    """Exit when the server goes away, even in the middle of a query: the time limit is the
    server's to enforce, so a worker it left behind would run a query for ever. (Queries run
    without the GIL, so this thread gets its turn; PR_SET_PDEATHSIG would fire when the
    short-lived thread that started the worker ends.)"""
    import threading

    parent = os.getppid()

    def watch():
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)
    threading.Thread(target=watch, daemon=True, name="kg-parent-watch").start()


def _known_graphs(store) -> set[str]:
    from ..store import LEGACY_UNION
    return {g.value for g in store.named_graphs() if g != LEGACY_UNION}


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - runs in the child
    from .sandbox import drop_network

    network = drop_network()            # before anything else: no query ever runs with a network
    exit_with_parent()
    import pyoxigraph as ox

    args = argv or sys.argv[1:]
    path = args[0] if args else ""
    if len(args) > 1 and int(args[1]) > 0:
        limit_memory(int(args[1]))
    # keep fd 1 for frames only: whatever prints goes to stderr
    out_fd = os.dup(1)
    os.dup2(2, 1)
    in_fd = 0
    store, generation, known = None, None, None
    write_frame(out_fd, ("ready", {"network": network}))
    while True:
        try:
            job = read_frame(in_fd)
        except (EOFError, OSError, KeyboardInterrupt):
            return 0
        if job is None:
            return 0
        out = None
        for attempt in range(4):
            # a writer's compaction can delete files this read-only snapshot still names (RocksDB:
            # "No such file"): reopen on the newest files and run the query again
            try:
                if path and not job.check_only and (store is None or job.generation != generation):
                    store = known = None
                    store = _open(ox, path)
                    generation = job.generation
                if store is not None and known is None and job.analyse and job.known_graphs is None:
                    known = _known_graphs(store)
                out = run_job(store, job, known)
                if out.ok or out.error != "query" or "No such file" not in out.message:
                    break
                store = None
            except (OSError, RuntimeError) as e:
                store = None
                out = Outcome(False, error="store", message=f"cannot open the store: {e}")
                if "No such file" not in str(e):
                    break
            except MemoryError:
                out = Outcome(False, error="query", message="the query ran out of memory")
                break
            time.sleep(0.02 * (attempt + 1))
        try:
            write_frame(out_fd, out)
        except OSError:
            return 0


if __name__ == "__main__":  # pragma: no cover
    from kg.web.worker import main as _main     # so that Job / Outcome pickle as kg.web.worker.*
    sys.exit(_main())
