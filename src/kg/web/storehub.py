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

from ..store import LocalStore, StoreError


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

    def __init__(self, path: str | os.PathLike, check_interval: float = 1.0, cache_size: int = 256):
        self.path = str(path)
        self.check_interval = check_interval
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._cache: OrderedDict[str, Any] = OrderedDict()      # least recently used first
        self._checked = 0.0
        self._ensure_exists()
        self.generation = fingerprint(self.path)
        self._store = self._open()
        self.opened_at = time.time()

    def _ensure_exists(self) -> None:
        """An empty store when the folder does not exist yet, so the site starts (and says so)."""
        if self.path.startswith(("http://", "https://")):
            raise StoreError(f"{self.path}: kg serve needs a store folder (it serves the embedded store read-only "
                             "and runs queries in worker processes); a SPARQL server given as the store already "
                             "has an endpoint of its own")
        p = Path(self.path)
        if p.is_dir() and any(p.iterdir()):
            return
        try:
            LocalStore(p).close()
        except StoreError:
            pass    # someone else (kg ingest) is creating it right now; read-only open follows

    def _open(self) -> LocalStore:
        """Open read-only, retrying: a writer's compaction may delete a file the MANIFEST we read
        still names (RocksDB then says "Corruption … No such file"); the next try sees the new one."""
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
            fp = fingerprint(self.path)
            if fp == self.generation and not force:
                return False
            try:
                new = self._open()
            except StoreError:
                return False            # keep serving the old snapshot; retry next check
            self._store = new
            self.generation = fp
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
