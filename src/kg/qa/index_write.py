"""Writing the question index file (kg.qa.index_file): its tables, and one report added to them
or dropped from them.

What a report puts in the file:

- ``rows``: one per observation, with the columns the look-ups filter on and its record (its
  properties and mentions, kg.qa.index_rows.encode_record); ``sid`` names the sentence of its
  first mention in ``rsents``;
- ``rsents``: the sentences the observations are mentioned in, once each (a mention keeps only
  the number of its sentence);
- ``grams``: which of those sentences hold the observations whose texts have a bigram
  (kg.qa.row_text), and ``df`` in how many observations each bigram is;
- ``sentences``, ``sgrams``, ``sdf``: every sentence of the report's text, the bigrams each
  holds, and in how many sentences each bigram is (for which-one questions);
- ``docs``: its checksum, its text, its number of tables, the ranges of sentence numbers it took
  and what it added to ``df`` and ``sdf``, so that it can be dropped again without reading its
  rows.

Postings are keyed by (bigram, sentence number) without row ids, and a report's sentence numbers
are one range, so that a report is dropped by one range per bigram.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter

from ..text.segments import sentences as split_sentences
from ..text.tables import find_tables
from .catalog_build import placed
from .catalog_model import Catalog
from .index_rows import encode_record
from .row_text import row_text
from .rows import RawFacts, build_rows

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS docs(doc TEXT PRIMARY KEY, checksum TEXT NOT NULL, text BLOB NOT NULL,
  tables INTEGER NOT NULL, rsent_lo INTEGER NOT NULL, rsent_hi INTEGER NOT NULL,
  sent_lo INTEGER NOT NULL, sent_hi INTEGER NOT NULL, df BLOB NOT NULL, sdf BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS rows(
  id INTEGER PRIMARY KEY AUTOINCREMENT, obs TEXT NOT NULL, doc TEXT NOT NULL, ord INTEGER NOT NULL,
  ind TEXT NOT NULL, lex TEXT, area TEXT NOT NULL, period TEXT NOT NULL,
  start_year INTEGER NOT NULL, end_year INTEGER NOT NULL, kind TEXT, base_unit TEXT, base_value TEXT,
  breakdown TEXT, sid INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS rows_ind ON rows(ind, area);
CREATE INDEX IF NOT EXISTS rows_lex ON rows(lex, area);
CREATE INDEX IF NOT EXISTS rows_period ON rows(period);
CREATE INDEX IF NOT EXISTS rows_area ON rows(area);
CREATE INDEX IF NOT EXISTS rows_year ON rows(end_year);
CREATE INDEX IF NOT EXISTS rows_value ON rows(base_unit, base_value);
CREATE INDEX IF NOT EXISTS rows_doc ON rows(doc, ord);
CREATE INDEX IF NOT EXISTS rows_sid ON rows(sid);
CREATE TABLE IF NOT EXISTS rsents(id INTEGER PRIMARY KEY, doc TEXT NOT NULL, start INTEGER NOT NULL,
  text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS grams(gram TEXT NOT NULL, sid INTEGER NOT NULL, PRIMARY KEY (gram, sid))
  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS df(gram TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sentences(id INTEGER PRIMARY KEY, doc TEXT NOT NULL, start INTEGER NOT NULL,
  end INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sgrams(gram TEXT NOT NULL, sentence INTEGER NOT NULL,
  PRIMARY KEY (gram, sentence)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sdf(gram TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
"""


def create(con: sqlite3.Connection, version: str) -> None:
    """The file's tables made where missing, inside the caller's transaction; every table
    dropped first when the file was written by another version of kg (the index is a cache)."""
    tables = [n for (n,) in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%'")]
    if "meta" in tables:
        found = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if found is not None and found[0] != version:
            for name in tables:
                con.execute(f'DROP TABLE "{name}"')
    for statement in SCHEMA.split(";"):
        if statement.strip():
            con.execute(statement)


def _counts(blob: bytes) -> dict[str, int]:
    return json.loads(zlib.decompress(blob))


def _blob(counts: Counter) -> bytes:
    return zlib.compress(json.dumps(dict(sorted(counts.items())), ensure_ascii=False).encode("utf-8"), 6)


def drop(con: sqlite3.Connection, doc: str) -> None:
    """Everything of one report: its rows, sentences and postings, and what it counted."""
    found = con.execute("SELECT rsent_lo, rsent_hi, sent_lo, sent_hi, df, sdf FROM docs WHERE doc = ?",
                        (doc,)).fetchone()
    if found is None:
        return
    rlo, rhi, slo, shi, df, sdf = found
    for table, posting, lo, hi, counts in (("df", "grams", rlo, rhi, _counts(df)),
                                           ("sdf", "sgrams", slo, shi, _counts(sdf))):
        column = "sid" if posting == "grams" else "sentence"
        con.executemany(f"UPDATE {table} SET n = n - ? WHERE gram = ?", [(n, g) for g, n in counts.items()])
        con.executemany(f"DELETE FROM {posting} WHERE gram = ? AND {column} BETWEEN ? AND ?",
                        [(g, lo, hi) for g in counts])
        con.execute(f"DELETE FROM {table} WHERE n <= 0")
    con.execute("DELETE FROM rows WHERE doc = ?", (doc,))
    con.execute("DELETE FROM rsents WHERE id BETWEEN ? AND ?", (rlo, rhi))
    con.execute("DELETE FROM sentences WHERE id BETWEEN ? AND ?", (slo, shi))
    con.execute("DELETE FROM docs WHERE doc = ?", (doc,))


def _next_id(con: sqlite3.Connection, table: str) -> int:
    return (con.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0) + 1


class Counts:
    """Bigram counts of the reports added in one transaction, written once at its end."""

    def __init__(self) -> None:
        self.df: Counter = Counter()
        self.sdf: Counter = Counter()

    def write(self, con: sqlite3.Connection) -> None:
        for table, counts in (("df", self.df), ("sdf", self.sdf)):
            con.executemany(f"INSERT INTO {table} VALUES (?, ?) ON CONFLICT(gram) DO UPDATE SET n = n + excluded.n",
                            sorted(counts.items()))
            counts.clear()


def add(con: sqlite3.Connection, head: Catalog, doc: str, raw: RawFacts, same: dict[str, str], text: str,
        counts: Counts) -> None:
    """One report: its observations as rows, their sentences and bigrams, its text and its
    sentences; its bigram counts added to ``counts``."""
    df, sdf = Counter(), Counter()
    rsent_lo = rsent_next = _next_id(con, "rsents")
    sids: dict[int, tuple[int, str]] = {}           # sentence start → (number, text)
    postings: set[tuple[str, int]] = set()
    rows_out, rsents_out = [], []
    for ord_, r in enumerate(placed(build_rows(raw, head), head)):
        mentions = []
        for m in raw.mentions[r.obs].values():
            start = m.sent_start if m.sent_start is not None else -1
            known = sids.get(start)
            if known is None:
                known = sids[start] = (rsent_next, m.sentence)
                rsents_out.append((rsent_next, doc, start, m.sentence))
                rsent_next += 1
            mentions.append((m.start, m.end, m.surface, known[0] if known[1] == m.sentence else m.sentence,
                             m.sent_start))
        first = r.first.sent_start if r.first and r.first.sent_start is not None else -1
        if first not in sids:                       # a row with no mention: an empty sentence
            sids[first] = (rsent_next, "")
            rsents_out.append((rsent_next, doc, first, ""))
            rsent_next += 1
        sid = sids[first][0]
        grams = row_text(r).grams()
        df.update(grams)
        postings.update((g, sid) for g in grams)
        rows_out.append((r.obs, r.doc, ord_, r.indicator, same.get(r.indicator), r.area, r.period_iri,
                         r.start_year, r.end_year, r.kind, r.base_unit, str(r.base_value.normalize()),
                         r.breakdown, sid, encode_record(raw.props[r.obs], mentions)))
    con.executemany("INSERT INTO rsents VALUES (?, ?, ?, ?)", rsents_out)
    con.executemany("INSERT INTO rows(obs, doc, ord, ind, lex, area, period, start_year, end_year, kind, "
                    "base_unit, base_value, breakdown, sid, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows_out)
    con.executemany("INSERT INTO grams VALUES (?, ?)", sorted(postings))
    sent_lo = sent_next = _next_id(con, "sentences")
    sentences_out, spostings = [], []
    for s in split_sentences(text):
        grams = {s.text[i:i + 2] for i in range(len(s.text) - 1)}
        sentences_out.append((sent_next, doc, s.start, s.end, s.text))
        spostings.extend((g, sent_next) for g in grams)
        sdf.update(grams)
        sent_next += 1
    con.executemany("INSERT INTO sentences VALUES (?, ?, ?, ?, ?)", sentences_out)
    con.executemany("INSERT INTO sgrams VALUES (?, ?)", sorted(spostings))
    con.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc, head.reports[doc].checksum, zlib.compress(text.encode("utf-8"), 1), len(find_tables(text)),
                 rsent_lo, rsent_next - 1, sent_lo, sent_next - 1, _blob(df), _blob(sdf)))
    counts.df.update(df)
    counts.sdf.update(sdf)
