"""Extraction on a Dask distributed cluster: ``kg ingest --dask tcp://SCHEDULER:8786``.

Each report goes to the cluster as one task, which runs kg.ingest's extraction on a worker and
returns the document's graph as N-Quads bytes with its counts: the same result as a process of
``--jobs N``, so the driver writes it the same way (bulk-loaded into a folder store, or sent to
a SPARQL server). The report's text travels with its task, so workers need no access to the
corpus; they need kg itself, the same version, installed with its extra (``pip install
'kg[dask]'``), and they read their own installed ontology. At most a few tasks per worker
thread are in flight, and results come back in the reports' order, so the driver's memory does
not grow with the corpus.

Dask is imported here only, and kg imports this module only when ``--dask`` is given.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator


class ClusterError(Exception):
    """The cluster cannot be used: a one-line message says why."""


def _line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else e.__class__.__name__


def connect(address: str):
    """A ``distributed.Client`` of the scheduler at ``address``; ClusterError when Dask is not
    installed or the scheduler does not answer within Dask's connect timeout
    (``distributed.comm.timeouts.connect``, ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT``)."""
    try:
        from distributed import Client
        from distributed.comm.addressing import parse_address, parse_host_port
        from distributed.comm.registry import backends
    except ImportError:
        raise ClusterError("--dask needs Dask: pip install 'kg[dask]' (dask and distributed).") from None
    try:        # checked first: a Client that fails on a bad address complains again when collected
        scheme, location = parse_address(address)
        if scheme not in backends:
            raise ValueError(f"unknown protocol {scheme}")
        parse_host_port(location)
    except ValueError as e:
        raise ClusterError(f"not a Dask scheduler address: {address} ({_line(e)}); "
                           "give one like tcp://host:8786.") from None
    try:
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {_line(e)}. Is it running?") from None
    if not client.nthreads():
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers.")
    return client


def run_in_order(client, fn: Callable, work: Iterable) -> Iterator:
    """``fn(w)`` for each ``w`` of ``work``, computed on the cluster's workers, yielded in order;
    a bounded window of tasks in flight (four per worker thread)."""
    window = max(2, 4 * sum(client.nthreads().values()))
    pending: deque = deque()
    try:
        for w in work:
            pending.append(client.submit(fn, w, pure=False))
            if len(pending) >= window:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())
    finally:
        for f in pending:
            f.cancel()


def _result(future):
    try:
        return future.result()
    except (OSError, TimeoutError) as e:        # the scheduler went away (CommClosedError is an OSError)
        raise ClusterError(f"extraction on the Dask cluster failed: {_line(e).rstrip('.')}.") from None
