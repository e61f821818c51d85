"""The question index: what question answering needs of a store, kept in a file beside it.

A store folder ``data`` has its index in ``data.kg-index`` (SQLite). It holds the catalogue's
head (places, periods, reports, names, the indicators' statistics and the parser's vocabulary,
pickled), every observation as its properties and mentions (read back as rows on demand, by
indicator, place, period, year, value or sentence), the bigrams of the observations' sentences
and phrases (which sentences hold each, and in how many observations), every report's text and
sentences (with their bigrams, for which-one questions); kg.qa.index_write writes them,
kg.qa.index_rows reads them. A question then reads a few rows instead of the store: ``kg serve``
and ``kg ask`` answer at once, whatever the store's size; ``kg ask`` holds only the rows it uses,
``kg serve`` reads them all ahead when they fit (:meth:`FileIndex.warm`).

The index is a cache the store can always rebuild: it records the store's fingerprint (its
reports and their checksums) and is used only while that is the store's. :func:`update` makes it
agree with the store again, in one transaction, reading only the reports added or changed since
(by checksum) and dropping those removed: ``kg ingest``, ``kg add`` and ``kg remove`` call it
after writing; a store without an index, or with one of another version, is indexed on first use.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from .catalog_build import (build_head, exact_matches, finish, fingerprint, observation_count,
                            read_facts)
from .catalog_model import Catalog, IndicatorStats
from .entity_answer import Sentence
from .fact_index import FactIndex
from .index_rows import IndexRows
from .index_write import Counts, add, create, drop
from .retrieve import bm25_idf
from .rows import RawFacts

INDEX_VERSION = "3"
SUFFIX = ".kg-index"
#: SQLite's page cache while writing the index (KiB)
WRITE_CACHE_KB = 256 * 1024

#: the head's fields kept in the file (the rest: the fact index, caches and the store's reader)
TRANSIENT = ("index", "raw", "doc_rows", "texts", "memo", "reader", "suggestion_checks")


class IndexFileError(Exception):
    """The index file cannot be written or read (a read-only folder, a damaged file)."""


def index_path(store) -> Path | None:
    """The index file of an embedded store's folder; None for a store in memory or on a server."""
    path = getattr(store, "path", None)
    return Path(str(path).rstrip("/") + SUFFIX) if path else None


def connect(path: Path, write: bool = False) -> sqlite3.Connection:
    con = sqlite3.connect(str(path) if write else f"file:{path}?mode=ro", uri=not write, timeout=60,
                          check_same_thread=False, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL" if write else "PRAGMA query_only=ON")
    if write:       # postings go in in bigram order, not report order: room for the pages they touch
        con.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KB}")
        con.execute("PRAGMA synchronous=NORMAL")
    return con


def store_stamp(store) -> str:
    """Which version of the store folder this is: ``kg ingest`` builds a new one beside it and
    swaps it in (kg.bulk), so its inode changes; ``kg add`` and ``kg remove`` write into it."""
    st = os.stat(store.path)
    return f"{st.st_dev}:{st.st_ino}"


def stored_fingerprint(path: Path) -> tuple | None:
    """The store fingerprint the index at ``path`` was made for, None when it is missing, of
    another version or unreadable."""
    if not path.exists():
        return None
    try:
        con = connect(path)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('version', 'fingerprint', 'stamp')"))
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if meta.get("version") != INDEX_VERSION or "fingerprint" not in meta:
        return None
    n, sums = json.loads(meta["fingerprint"])
    return (n, sums, meta.get("stamp"))


# ---------------------------------------------------------------------------- writing

def update(store, path: Path | None = None, progress: Callable[[int, int], None] | None = None,
           full: bool = False) -> Path:
    """Make the index of ``store`` agree with it: the reports added or changed since it was
    written (by checksum; every report with ``full``, or when the store's number of
    observations is not the one indexed: its facts were extracted again) read and indexed,
    those removed dropped, the head made again; in one transaction. ``progress(done, total)``
    is told of the reports indexed. Returns the path."""
    path = path or index_path(store)
    if path is None:
        raise IndexFileError("only a store in a folder has an index file")
    try:
        con = connect(path, write=True)
    except sqlite3.Error as e:
        raise IndexFileError(f"cannot write the question index {path}: {e}") from None
    try:
        con.execute("BEGIN IMMEDIATE")
        create(con, INDEX_VERSION)
        meta = dict(con.execute("SELECT key, value FROM meta"))
        fp = fingerprint(store)
        head = build_head(store, fp)
        head.obs_count = observation_count(store)
        indexed = dict(con.execute("SELECT doc, checksum FROM docs"))
        stamp = store_stamp(store)
        stale = [d for d, r in head.reports.items() if indexed.get(d) != r.checksum or not r.checksum]
        unchanged = not stale and set(indexed) == set(head.reports)
        if full or meta.get("stamp") != stamp or \
                (unchanged and meta.get("obs_count") is not None and int(meta["obs_count"]) != head.obs_count):
            # a new version of the store (kg ingest), or the same reports extracted again: every report
            indexed = {d: None for d in indexed}
            stale = list(head.reports)
        for doc in [d for d in indexed if d not in head.reports or d in stale]:
            drop(con, doc)
        same = exact_matches(store, head)
        share = len(stale) / max(1, len(head.reports))
        raw = read_facts(store, head.reports, None if share > 0.25 else stale) if stale else {}
        counts = Counts()
        for k, doc in enumerate(stale):
            add(con, head, doc, raw.get(doc) or RawFacts(), same, head.reader(head.reports[doc].iri), counts)
            if progress:
                progress(k + 1, len(stale))
        counts.write(con)
        indicators, years = _statistics(con, head)
        finish(head, indicators, years)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('head', ?)", (_pickled_head(head),))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (json.dumps(list(fp)),))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (INDEX_VERSION,))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('obs_count', ?)", (str(head.obs_count),))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (stamp,))
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return path


def after_write(store, full: bool = False) -> str | None:
    """Bring the question index of an embedded store up to date after a write (kg ingest: every
    report, ``full``; kg add / kg remove: the reports changed). None when done or when the store
    has no folder; else why the index could not be written (questions then index the store on
    first use, or answer from memory)."""
    if index_path(store) is None:
        return None
    try:
        update(store, full=full)
    except (IndexFileError, sqlite3.Error, OSError) as e:
        return f"the question index was not updated ({e}); questions will index the store first"
    return None


def _pickled_head(cat: Catalog) -> bytes:
    state = {k: v for k, v in cat.__dict__.items() if k not in TRANSIENT}
    return zlib.compress(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _statistics(con: sqlite3.Connection, head: Catalog) -> tuple[dict[str, IndicatorStats], set[int]]:
    """The indicators' statistics (kg.qa.catalog_build.indicator_stats) and the years the facts
    cover, from the rows in the file: each row under its indicator, and an open indicator's rows
    under the lexicon indicator it names exactly where that one has no row of their place and
    years (as kg.qa.fact_index.FactIndex files them)."""
    rows = IndexRows(con, head)
    by_ind: dict[str, list] = {}
    for ind, row in rows.for_statistics():
        by_ind.setdefault(ind, []).append(row)
    from .catalog_build import indicator_stats
    years = {y for (a, b) in con.execute("SELECT DISTINCT start_year, end_year FROM rows") for y in range(a, b + 1)}
    return indicator_stats(by_ind.items()), years


# ---------------------------------------------------------------------------- reading

def load(store, path: Path | None = None, fp: tuple | None = None) -> Catalog | None:
    """The catalogue of ``store`` from its index file, None when the file is missing, of another
    version, or made for another state of the store (``fp``: its fingerprint, when known)."""
    path = path or index_path(store)
    if path is None:
        return None
    fp = fp if fp is not None else fingerprint(store)
    if stored_fingerprint(path) != (*fp, store_stamp(store)):
        return None
    con = connect(path)
    (blob,) = con.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()
    cat = Catalog.__new__(Catalog)
    cat.__dict__.update(pickle.loads(zlib.decompress(blob)))
    for name in TRANSIENT:
        cat.__dict__[name] = {} if name in ("raw", "doc_rows", "texts", "memo", "suggestion_checks") else None
    if cat.obs_count != observation_count(store):
        return None                     # the same reports, extracted again
    cat.fingerprint = fp
    cat.index = FileIndex(path, cat)
    cat.reader = cat.index.report_text
    return cat


class FileIndex(IndexRows):
    """The fact index read from the file (the look-ups of kg.qa.fact_index.FactIndex), with a
    connection per thread and the rows read kept for reuse (at most ``CACHE_ROWS``)."""

    CACHE_ROWS = 200_000

    def __init__(self, path: Path, cat: Catalog):
        self.path = path
        self._local = threading.local()
        super().__init__(None, cat)

    @property
    def con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._local.con = connect(self.path)
        return con

    def warm(self) -> int:
        """Every row read into the cache when they all fit in it, and the look-ups then answered
        from memory by a :class:`~kg.qa.fact_index.FactIndex` of them (the same rows: tests), as
        for a store with no folder (``kg serve`` does this in the background after start-up, so
        that questions pay neither for reading rows from the file nor for its queries); returns
        the number of rows read."""
        if self.size > self.CACHE_ROWS:
            return 0
        rows = self.all_rows()
        same = dict(self.con.execute("SELECT DISTINCT ind, lex FROM rows WHERE lex IS NOT NULL"))
        memory = FactIndex(rows, same)
        memory.year_size(0)                 # its look-ups made now, not on the next question
        self._memory = memory
        return len(rows)

    # the look-ups, from memory once warm (kg.qa.fact_index.FactIndex has the same)
    _memory: FactIndex | None = None

    def all_rows(self):
        return self._memory.all_rows() if self._memory else super().all_rows()

    def rows(self, ind, area=None, period=None):
        return self._memory.rows(ind, area, period) if self._memory else super().rows(ind, area, period)

    def df(self, gram):
        return self._memory.df(gram) if self._memory else super().df(gram)

    def text(self, r):
        return self._memory.text(r) if self._memory else super().text(r)

    def of_places(self, places):
        return self._memory.of_places(places) if self._memory else super().of_places(places)

    def of_year(self, year):
        return self._memory.of_year(year) if self._memory else super().of_year(year)

    def of_value(self, base_unit, value):
        return self._memory.of_value(base_unit, value) if self._memory else super().of_value(base_unit, value)

    def year_size(self, year):
        return self._memory.year_size(year) if self._memory else super().year_size(year)

    def with_grams(self, grams, weights=None, limit=None, year=None):
        source = self._memory or super()
        return source.with_grams(grams, weights, limit, year)

    def sentence_phrases(self, r):
        return self._memory.sentence_phrases(r) if self._memory else super().sentence_phrases(r)

    def report_text(self, report_iri: str) -> str:
        doc = next((d for d, r in self.cat.reports.items() if r.iri == report_iri), None)
        row = self.con.execute("SELECT text FROM docs WHERE doc = ?", (doc,)).fetchone() if doc else None
        return zlib.decompress(row[0]).decode("utf-8") if row else ""

    def table_docs(self) -> tuple[str, ...]:
        """The reports holding a table, read once (the docs rows hold every report's text: a scan
        of them per which-one question took milliseconds)."""
        found = self.__dict__.get("_table_docs")
        if found is None:
            found = self._table_docs = tuple(d for (d,) in self.con.execute(
                "SELECT doc FROM docs WHERE tables > 0 ORDER BY doc"))
        return found

    def sentence_index(self) -> "FileSentenceIndex":
        return FileSentenceIndex(self)

    def sentence_count(self) -> int:
        return self.con.execute("SELECT count(*) FROM sentences").fetchone()[0]

    def sentence_df(self, gram: str) -> int:
        row = self.con.execute("SELECT n FROM sdf WHERE gram = ?", (gram,)).fetchone()
        return row[0] if row else 0

    def sentences_with(self, grams: Iterable[str], docs: set[str] | None) -> list[tuple[int, str, int, int, str]]:
        """(id, doc, start, end, text) of the sentences holding one of ``grams``."""
        grams = list(grams)
        if not grams:
            return []
        marks = ",".join("?" * len(grams))
        sql = (f"SELECT s.id, s.doc, s.start, s.end, s.text FROM sentences s WHERE s.id IN "
               f"(SELECT sentence FROM sgrams WHERE gram IN ({marks}){{}}) ORDER BY s.id")
        if docs is None:
            return self.con.execute(sql.format(""), grams).fetchall()
        # the reports' sentences are ranges of numbers: the postings of those ranges only
        docs = sorted(docs)
        found = []
        for i in range(0, len(docs), 500):
            chunk = docs[i:i + 500]
            for lo, hi in self.con.execute(f"SELECT sent_lo, sent_hi FROM docs WHERE doc IN "
                                           f"({','.join('?' * len(chunk))})", chunk).fetchall():
                found += self.con.execute(sql.format(" AND sentence BETWEEN ? AND ?"), (*grams, lo, hi)).fetchall()
        return sorted(found)


class FileSentenceIndex:
    """kg.qa.entity_answer.SentenceIndex's look-ups (every sentence of the reports, with its
    bigrams), answered from the index file."""

    def __init__(self, index: FileIndex):
        self.index = index
        self.n = max(1, index.sentence_count())
        self._idf: dict[str, float] = {}

    def idf(self, g: str) -> float:
        w = self._idf.get(g)
        if w is None:
            w = self._idf[g] = bm25_idf(self.n, self.index.sentence_df(g))
        return w

    def best(self, terms: list[str], docs: set[str] | None, limit: int = 5,
             optional: list[str] = ()) -> list[tuple[float, Sentence]]:
        total = sum(self.idf(g) for g in terms) or 1.0
        scored = []
        for _, doc, start, end, text in self.index.sentences_with(terms, docs):
            got = sum(self.idf(g) for g in terms if g in text)
            if got:
                got += sum(self.idf(g) for g in optional if g in text)
                scored.append((min(1.0, got / total), Sentence(doc, start, end, text)))
        scored.sort(key=lambda x: -x[0])
        return scored[:limit]

    def docs_naming(self, names) -> set[str]:
        out: set[str] = set()
        con = self.index.con
        for name in names:
            grams = sorted({name[i:i + 2] for i in range(len(name) - 1)}) or [name]
            marks = ",".join("?" * len(grams))
            for doc, text in con.execute(
                    f"SELECT DISTINCT s.doc, s.text FROM sentences s WHERE s.id IN (SELECT sentence FROM sgrams "
                    f"WHERE gram IN ({marks}) GROUP BY sentence HAVING count(DISTINCT gram) = ?)",
                    (*grams, len(grams))):
                if name in text:
                    out.add(doc)
        return out

    def docs_with_tables(self, docs: set[str] | None) -> list[str]:
        return [d for d in self.index.table_docs() if docs is None or d in docs]
