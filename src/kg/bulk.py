"""Writing many documents at once: bulk-load a new version of the store beside it, then swap.

``kg ingest`` writes hundreds of thousands of quads. Oxigraph's transactional writes cost about
three times its bulk loader, which writes sorted files straight into RocksDB but promises
nothing if it is interrupted. So the new version of the store is built in a sibling folder
(``<store>.kg-new``): empty when every graph of the store is being replaced, else a checkpoint
of the store (``Store.backup``: hard links, no copying) from which the replaced graphs are
dropped. The documents are bulk-loaded into it, it is compacted, flushed and closed, and only then
exchanged with the store folder in one atomic ``renameat2(RENAME_EXCHANGE)``. Until that moment
the store is as it was, and a crash leaves it so (the half-built folder is removed by the next
writer); after it, the store holds every new document at once. Writers hold the store's lock
file (kg.store.take_writer_lock) throughout, so nobody writes the old folder while it is closed
for the swap. Readers (``kg serve``) keep the files they opened, notice the new ones and reopen.

The compaction (``Store.optimize``) matters: every bulk load adds its own sorted files, which
overlap the others', so a store left as loaded makes every query merge dozens of files. On 1,000
synthetic reports queries ran 5–8 times slower on such a store than on the compacted one, and a
read-only opener (``kg serve``) never compacts it; compacting costs about as much as a quarter
of the ingest (bench/README.md).

Each document's graph arrives as N-Quads bytes; its triples are written twice, into the
document's named graph and into the default graph, the store's union (kg.store: the same
lines without the graph name), then loaded in batches by background threads so that
extraction goes on while RocksDB writes.
"""

from __future__ import annotations

import ctypes
import gc
import os
import queue
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .store import LocalStore, StoreError, aside_path, recover_swap, replacement_update, staging_path

BATCH_BYTES = int(os.environ.get("KG_BULK_BATCH_BYTES", 8 * 2**20))    # N-Quads bytes per bulk load
LOADERS = 2                     # bulk loads at once (Oxigraph's loader runs on the caller's thread)
_RENAME_EXCHANGE = 2


def as_nquads(quads) -> bytes:
    """``quads`` as N-Quads (one per line, as Oxigraph writes them: a literal's newlines are
    escaped). Blank nodes are refused: documents loaded together would share their labels."""
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    if b"_:" in data and any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
                             for q in quads):
        raise ValueError("a blank node in a document graph cannot be bulk-loaded")
    return data


def in_default_graph(nquads: bytes, graph: str) -> bytes:
    """N-Quads of ``graph`` as the same triples in the default graph (N-Quads lines without a
    graph name); ValueError when a quad is in another graph."""
    end = f" <{graph}> .\n".encode()
    if nquads.count(end) != nquads.count(b"\n"):
        raise ValueError(f"quads outside the graph {graph}")
    return nquads.replace(end, b" .\n")


def exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically (Linux ``renameat2``); OSError where unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        raise OSError("renameat2 is not available")
    at_fdcwd = -100
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


class BulkBuild:
    """``add(graph, nquads)`` for each graph, then ``commit()``; ``abort()`` (or an exception in
    a ``with`` block) removes the half-built folder and leaves the store as it was."""

    def __init__(self, store: LocalStore, replace: Iterable[str] = ()):
        """A new version of ``store`` in which the graphs ``replace`` (and those added) will be
        exactly what is added."""
        if not store.path or store.read_only:
            raise StoreError("a bulk build needs an on-disk store opened for writing")
        self.store = store
        self.path = staging_path(store.path)
        for stale in (self.path, aside_path(store.path)):    # left by a crash; we hold the writer lock
            if stale.exists():
                shutil.rmtree(stale)
        existing = {g.value for g in store.named_graph_nodes()}
        dropped = existing & set(replace)
        if existing <= dropped:
            self.db = ox.Store(str(self.path))
        else:
            store.db.flush()
            store.db.backup(str(self.path))
            self.db = ox.Store(str(self.path))
            if dropped:
                self.db.update(replacement_update({}, remove=sorted(dropped), union=None))
        self._parts: list[bytes] = []           # the documents' graphs
        self._union: list[bytes] = []           # the same triples in the default graph
        self._size = 0
        self._queue: queue.Queue = queue.Queue(maxsize=LOADERS)
        self._error: BaseException | None = None
        self._threads = [threading.Thread(target=self._load, name=f"kg-bulk-load-{i}", daemon=True)
                         for i in range(LOADERS)]
        for t in self._threads:
            t.start()

    def __enter__(self) -> BulkBuild:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()

    # ---------------------------------------------------------------- loading
    def add(self, graph: str, nquads: bytes) -> None:
        """The graph ``graph``, given as N-Quads of that graph only."""
        self._check()
        self._parts.append(nquads)
        self._union.append(in_default_graph(nquads, graph))
        self._size += len(nquads)
        if self._size >= BATCH_BYTES:
            self._send()

    def _send(self) -> None:
        # the graphs and the union as two loads, which the loader threads run side by side
        for parts in (self._parts, self._union):
            if parts:
                self._queue.put(b"".join(parts))
        self._parts, self._union, self._size = [], [], 0
        self._check()

    def _load(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.db.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
                except BaseException as e:        # noqa: BLE001 - handed to the caller's thread
                    self._error = e

    def _check(self) -> None:
        if self._error is not None:
            raise StoreError(f"bulk loading failed: {self._error}") from self._error

    def _finish_loading(self) -> None:
        alive = [t for t in self._threads if t.is_alive()]
        for _ in alive:
            self._queue.put(None)
        for t in alive:
            t.join()

    # ---------------------------------------------------------------- ending
    def commit(self) -> None:
        try:
            self._send()
            self._finish_loading()
            self._check()
            self.db.optimize()                  # one full compaction: see the module's docstring
            self.db.flush()
        except BaseException:
            self.abort()
            raise
        del self.db
        live = Path(self.store.path)
        self.store.db.flush()
        del self.store.db                       # close the old version; the lock file stays held
        gc.collect()
        try:
            try:
                exchange(self.path, live)
            except OSError:
                # no atomic exchange here: move the old version aside, then the new one in
                os.rename(live, aside_path(live))
                os.rename(self.path, live)
                self.path = aside_path(live)
        except OSError as e:
            raise StoreError(f"cannot swap the new version of the store into {live}: {e}") from None
        finally:
            recover_swap(live)                  # the old version back in place if the swap failed half-way
            self.store.db = ox.Store(str(live))
        shutil.rmtree(self.path, ignore_errors=True)
        self.store.writes += 1

    def abort(self) -> None:
        self._parts = []
        try:
            self._finish_loading()
        finally:
            self.db = None
            shutil.rmtree(self.path, ignore_errors=True)
