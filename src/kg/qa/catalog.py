"""A parsed, cached view of what a store knows: places, indicators present, periods, categories,
and every fact (the fact index).

Building it reads the store once — a handful of queries, and the facts property by property
(:func:`read_facts`); asking a question then costs one parse and look-ups in memory: no query
scans the reports per question. The view is kept per store (by folder or URL, or per
in-memory store object) and refreshed when the store changes:

* on every question, the store's write generation (:func:`write_generation`: the writes made
  through this store object, its ``writes``, or its own ``generation``); a
  store that cannot tell (a SPARQL server) is checked by its fingerprint — the reports and their
  checksums — on every question instead;
* when that generation changed, and at most every ``COUNTED_FULL_CHECK_SECONDS`` (30 s)
  anyway, the fingerprint and the number of observations are compared (a re-ingest with a
  changed extractor keeps the checksums but changes the facts); for a SPARQL server, the number
  of observations at most every ``FULL_CHECK_SECONDS`` (2 s).

A refresh re-reads the facts of the reports added or replaced since (by checksum), keeps
those of the others (and their rows, when nothing they were made with changed), drops those of
removed reports, and reads places, periods and names again.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref
from contextlib import contextmanager
from operator import attrgetter
from typing import NamedTuple

from ..store import LocalStore
from . import index_file
from .catalog_build import build_catalog, fingerprint, observation_count  # noqa: F401 - API
from .fact_index import FactIndex
from .catalog_model import Catalog, IndicatorStats, Report  # noqa: F401 - imported from here by other modules

_POS = attrgetter("pos")
FULL_CHECK_SECONDS = 2.0
#: the same for a store whose writes are counted (an embedded store: every write to it goes
#: through the one process that opened it for writing; a read-only handle sees no later writes)
COUNTED_FULL_CHECK_SECONDS = 30.0


_CACHE: dict[object, Catalog] = {}
_OBJ_CACHE: "weakref.WeakKeyDictionary[object, Catalog]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_BUILD_LOCKS: dict[object, threading.Lock] = {}


def _cache_key(store: LocalStore):
    if getattr(store, "path", None):
        return ("path", store.path)
    if getattr(store, "url", None):
        return ("url", store.url)
    return None


def _cached(store: LocalStore, key) -> Catalog | None:
    with _LOCK:
        return _CACHE.get(key) if key else _OBJ_CACHE.get(store)


def write_generation(store):
    """A value that changes whenever ``store`` may have been written, or None when the store
    cannot tell (a SPARQL server, written by anyone).

    A store object with a ``generation`` attribute (any value: a count of writes, a digest of
    the store's files) is trusted. A :class:`LocalStore` counts the writes made through it
    (``writes``: every kg write goes through one: ingest, add, remove), and the object's
    identity is part of the value."""
    gen = getattr(store, "generation", None)
    if gen is not None and not callable(gen):
        return gen
    if not isinstance(store, LocalStore):
        return None
    return Writes(id(store), store.writes)


class Writes(NamedTuple):
    """The writes counted on one store object: a change in ``count`` is a write kg knows of."""
    store: int
    count: int


#: per store (by folder or URL, else per object): (the catalogue it was last checked against,
#: its write generation then)
_SEEN: dict[object, tuple[int, object]] = {}
_SEEN_OBJ: "weakref.WeakKeyDictionary[object, tuple[int, object]]" = weakref.WeakKeyDictionary()


def get_catalog(store: LocalStore) -> Catalog:
    """The store's catalogue, refreshed when the store changed since it was made.

    A store that counts its writes (:func:`write_generation`) is checked by that count on
    every question (and fully — fingerprint and number of observations — when it changed or
    at most every ``COUNTED_FULL_CHECK_SECONDS``); any other store by its fingerprint on every
    question and its number of observations at most every ``FULL_CHECK_SECONDS``."""
    key = _cache_key(store)
    cat = _cached(store, key)
    gen = write_generation(store)
    now = time.monotonic()
    seen = _seen(store, key) if gen is not None else None
    # written through this very object since (a write kg knows of, not just a new snapshot)
    written = (isinstance(gen, Writes) and seen is not None and isinstance(seen[1], Writes)
               and seen[1].store == gen.store and seen[1].count != gen.count)
    if cat is not None and gen is not None and now - cat.checked_at < COUNTED_FULL_CHECK_SECONDS:
        if seen == (id(cat), gen):
            return cat
    fp = fingerprint(store)
    if cat is not None and cat.fingerprint == fp:
        if written:
            cat.raw = {}                 # the same reports written again: read every fact again
        elif gen is None and now - cat.checked_at < FULL_CHECK_SECONDS:
            return cat
        elif observation_count(store) == cat.obs_count:
            cat.checked_at = now
            _remember(store, key, cat, gen)
            return cat
        else:
            cat.raw = {}                 # same reports, other facts: read everything again
    with _LOCK:
        lock = _BUILD_LOCKS.setdefault(key if key else id(store), threading.Lock())
    with lock:
        current = _cached(store, key)
        if current is not None and current is not cat and current.fingerprint == fp:
            _remember(store, key, current, gen)
            return current               # another thread refreshed it meanwhile
        cat = _load_or_build(store, fp, previous=cat)
        _settle(cat)
        with _LOCK:
            if key:
                _CACHE[key] = cat
            else:
                _OBJ_CACHE[store] = cat
    _remember(store, key, cat, gen)
    return cat


def _load_or_build(store, fp: tuple, previous: Catalog | None) -> Catalog:
    """The catalogue from the store's index file (kg.qa.index_file), indexing the store first
    when its file is missing or out of date (a store written by an older kg, or by a process
    that could not write the file); built in memory for a store with no folder, or when the
    file cannot be written."""
    path = index_file.index_path(store)
    if path is not None:
        cat = index_file.load(store, path, fp)
        if cat is None:
            try:
                with _indexing_progress(store) as progress:
                    index_file.update(store, path, progress)
            except index_file.IndexFileError:
                path = None
            else:
                cat = index_file.load(store, path, fp)
        if cat is not None:
            cat.checked_at = time.monotonic()
            return cat
    return build_catalog(store, fp, previous=previous)


@contextmanager
def _indexing_progress(store):
    """A progress bar on a terminal while a store is indexed for questions."""
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total > 20 and sys.stderr.isatty():
            from tqdm import tqdm
            print(f"kg: indexing the store {getattr(store, 'path', '')} for questions (once)…", file=sys.stderr)
            bar = tqdm(total=total, unit="report", file=sys.stderr)
        if bar is not None:
            bar.update(done - bar.n)

    try:
        yield progress
    finally:
        if bar is not None:
            bar.close()


#: a catalogue of this many facts or more is frozen out of the garbage collector's reach
FREEZE_MIN_FACTS = 20000


def _settle(cat: Catalog) -> None:
    """A large catalogue is a million long-lived objects: every full pass of the garbage
    collector would walk them all (≈0.3 s on 1,000 reports), stalling whichever question it
    falls on. They hold no reference cycles (they are freed by reference counting when the
    catalogue is replaced), so they are moved out of its reach with ``gc.freeze()``."""
    if isinstance(cat.index, FactIndex) and cat.index.size >= FREEZE_MIN_FACTS:
        gc.collect()
        gc.freeze()


def _seen(store, key) -> tuple[int, object] | None:
    if key:
        return _SEEN.get(key)
    try:
        return _SEEN_OBJ.get(store)
    except TypeError:                    # not weakly referable
        return None


def _remember(store, key, cat: Catalog, gen) -> None:
    if gen is None:
        return
    if key:
        _SEEN[key] = (id(cat), gen)
        return
    try:
        _SEEN_OBJ[store] = (id(cat), gen)
    except TypeError:
        pass


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
        _OBJ_CACHE.clear()
        _SEEN.clear()
        _SEEN_OBJ.clear()
