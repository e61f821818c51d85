"""The web app's view of the store: opened read-only, reopened when `kg ingest` changes it.

RocksDB (inside Oxigraph) lets one process open a folder read-write; any number may open it
read-only at the same time, each seeing a snapshot of the data as it was when it opened. So
the web app never locks `kg ingest` out, and notices new data this way: at most once every
``check_interval`` seconds a request looks at the names, sizes and modification times of the
store's files (its *fingerprint*); when they changed, the store is reopened read-only and
every cache of derived data (quality report, exports, page data) is dropped. Requests that
are still running keep the old snapshot until they finish.

Each `kg ingest` transaction replaces whole document graphs, so a reopen never sees half a
document; while a long ingest is running, it may see some documents new and others old.

An external SPARQL server (a store location ``http(s)://…``) is used through
:class:`kg.remote.RemoteStore`. Its fingerprint is the list of the reports' checksums by graph
(one small query, at most once every ``check_interval`` seconds), so documents added, replaced
or removed by anyone are noticed; the web app's own writes refresh at once.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..namespaces import FP, UNION_GRAPH
from ..store import LocalStore, StoreError

REPORT_SUMS = (f"SELECT ?g ?sum WHERE {{ GRAPH ?g {{ ?r <{FP}checksum> ?sum }} FILTER(?g != <{UNION_GRAPH}>) }}")


def is_remote(location) -> bool:
    return str(location).startswith(("http://", "https://"))


def remote_fingerprint(store) -> str:
    """A digest of the external store's documents (graph → checksum); "unreachable" when down."""
    h = hashlib.sha1()
    try:
        rows = sorted((r["g"].value, r["sum"].value) for r in store.query(REPORT_SUMS, union=False))
    except (StoreError, SyntaxError, OSError, ValueError):
        return "unreachable"
    for g, s in rows:
        h.update(f"{g}\0{s}\n".encode())
    return h.hexdigest()[:16]


def fingerprint(path: str) -> str:
    """A digest of the store folder's files (name, size, mtime), without RocksDB's info logs."""
    h = hashlib.sha1()
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        return "missing"
    for e in entries:
        if e.name.startswith("LOG") or e.name == "LOCK":
            continue
        try:
            st = e.stat()
        except OSError:      # deleted by a compaction while we looked
            continue
        h.update(f"{e.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


class StoreHub:
    """Hands out the current read-only :class:`LocalStore` and per-generation caches."""

    def __init__(self, path: str | os.PathLike, check_interval: float = 1.0, cache_size: int = 256,
                 remote_timeout: float = 30.0):
        self.path = str(path)
        self.remote = is_remote(self.path)
        self.remote_timeout = remote_timeout
        self.check_interval = check_interval
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._cache: OrderedDict[str, Any] = OrderedDict()      # least recently used first
        self._checked = 0.0
        self._ensure_exists()
        if self.remote:
            self._store = self._open()
            self.generation = self._digest = self._fingerprint()
        else:
            self.generation = self._digest = self._fingerprint()
            self._store = self._open()
        self.opened_at = time.time()

    def _ensure_exists(self) -> None:
        """An empty store when the folder does not exist yet, so the site starts (and says so)."""
        if self.remote:
            return
        p = Path(self.path)
        if p.is_dir() and any(p.iterdir()):
            return
        try:
            LocalStore(p).close()
        except StoreError:
            pass    # someone else (kg ingest) is creating it right now; read-only open follows

    def _fingerprint(self) -> str:
        return remote_fingerprint(self._store) if self.remote else fingerprint(self.path)

    def _open(self):
        """Open read-only, retrying: a writer's compaction may delete a file the MANIFEST we read
        still names (RocksDB then says "Corruption … No such file"); the next try sees the new one."""
        if self.remote:
            from ..remote import RemoteStore
            return RemoteStore(self.path, timeout=self.remote_timeout)
        last: Exception | None = None
        for attempt in range(8):
            try:
                return LocalStore(self.path, read_only=True)
            except (StoreError, OSError, RuntimeError) as e:
                last = e
                time.sleep(0.05 * (attempt + 1))
        raise StoreError(f"cannot open the store at {self.path} read-only: {last}")

    # ------------------------------------------------------------------ the store
    @property
    def store(self) -> LocalStore:
        now = time.monotonic()
        if now - self._checked >= self.check_interval:
            self.refresh(now)
        return self._store

    def refresh(self, now: float | None = None, force: bool = False) -> bool:
        """Reopen the store when its files changed (or when ``force``); True when reopened."""
        with self._lock:
            self._checked = time.monotonic() if now is None else now
            fp = self._fingerprint()
            if fp == self._digest and not force:
                return False
            try:
                new = self._store if self.remote else self._open()
            except StoreError:
                return False            # keep serving the old snapshot; retry next check
            self._store = new
            self._digest = fp
            # a write we know of gets new caches even if the digest is blind to it
            self.generation = fp if fp != self.generation else f"{fp}.{time.monotonic_ns() % 10**9}"
            self.opened_at = time.time()
            with self._cache_lock:
                self._cache.clear()
            return True

    # ------------------------------------------------------------------ caches
    def cached(self, key: str, compute: Callable[[LocalStore], Any]) -> Any:
        """``compute(store)`` once per store generation (concurrent callers wait for the first);
        at most ``cache_size`` results are kept, the least recently used dropped first."""
        store = self.store
        gen = self.generation
        full = f"{gen}:{key}"
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:
            with self._cache_lock:
                if full in self._cache:
                    self._cache.move_to_end(full)
                    return self._cache[full]
            try:
                value = compute(store)
            except (OSError, RuntimeError) as e:
                if "No such file" not in str(e):
                    raise
                self.refresh(force=True)         # files compacted away under an old snapshot
                store, gen = self._store, self.generation
                full = f"{gen}:{key}"
                value = compute(store)
            with self._cache_lock:
                if gen == self.generation:
                    self._cache[full] = value
                    while len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
                self._key_locks.pop(key, None)
            return value

    def cache_peek(self, key: str) -> Any:
        with self._cache_lock:
            return self._cache.get(f"{self.generation}:{key}")


class Reader:
    """The hub's current store for reads made outside :meth:`StoreHub.cached` (question answering,
    resource pages): a read that races a writer's compaction (RocksDB: "No such file") reopens the
    store on its newest files and runs again, instead of failing the request."""

    RETRIES = 3

    def __init__(self, hub: StoreHub):
        self.hub = hub

    @property
    def path(self):
        return getattr(self.hub.store, "path", None)

    @property
    def generation(self):
        """Changes when the store does (the hub checks its files at most once a second), so that
        question answering can skip its own fingerprint query."""
        self.hub.store            # runs the hub's periodic file check
        return self.hub.generation

    @property
    def url(self):
        return getattr(self.hub.store, "url", None)

    def _call(self, name: str, *args, **kwargs):
        for attempt in range(self.RETRIES):
            store = self.hub.store
            try:
                return getattr(store, name)(*args, **kwargs)
            except (OSError, RuntimeError) as e:
                if "No such file" not in str(e) or attempt == self.RETRIES - 1:
                    raise
                self.hub.refresh(force=True)

    def select(self, sparql, bindings=None):
        return self._call("select", sparql, bindings)

    def query(self, sparql, bindings=None, union=True):
        return self._call("query", sparql, bindings, union)

    def graphs(self):
        return self._call("graphs")

    def document_graphs(self):
        return self._call("document_graphs")

    def dump(self, fmt, graph=None):
        return self._call("dump", fmt, graph)

    def __len__(self):
        return self._call("__len__")

    def __getattr__(self, name):
        return getattr(self.hub.store, name)
