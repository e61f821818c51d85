"""The observations of the question index file (kg.qa.index_file) read back as rows: the
look-ups of kg.qa.fact_index.FactIndex, answered by SQL over the ``rows`` table.

A row is kept in the file as its properties and mentions as read from the store (what
kg.qa.rows.build_rows makes a :class:`~kg.qa.rows.Row` of, with the catalogue's labels of its
place, period and units), so that a row never has to be written again when a label changes.
"""

from __future__ import annotations

import pickle
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from decimal import Decimal

from ..namespaces import BRK, FP, ID, IND, UNIT
from .catalog_build import placed
from .catalog_model import Catalog
from .fact_index import top_sentences
from .row_text import RowText, row_text
from .rows import RawFacts, Row, build_rows

COLUMNS = "id, obs, doc, ord, data"
#: what a look-up selects first (the order its queries sort by included)
KEYS = "id, doc, ord"
#: an open indicator's rows are the lexicon indicator's too where it has none of their place and years
SHADOWED = ("NOT EXISTS (SELECT 1 FROM rows n WHERE n.ind = r.lex AND n.area = r.area "
            "AND n.start_year = r.start_year AND n.end_year = r.end_year)")


#: the strings most records share, as zlib's preset dictionary (the file's version changes with it)
ZDICT = " ".join([*(f"'{k}'" for k in ("doc", "area", "ind", "period", "value", "baseValue", "qualifier", "kind",
                                          "breakdown", "unit", "baseUnit", "phrase", "measure", "subject",
                                          "exact")),
                  ID + "obs/", ID + "place/", ID + "period/", IND + "open/", IND, BRK, UNIT, FP + "Actual",
                  FP + "Target", FP + "Level", FP + "Change", FP + "Cumulative"]).encode("utf-8")


def encode_record(props: dict, mentions: list[tuple]) -> bytes:
    """What the file keeps of one observation: its properties and its mentions (start, end,
    surface, sentence, sentence start), a mention's sentence by its number in ``rsents`` when it
    is the one filed under its start."""
    z = zlib.compressobj(1, zdict=ZDICT)
    return z.compress(pickle.dumps((props, mentions), protocol=pickle.HIGHEST_PROTOCOL)) + z.flush()


def decode_record(data: bytes) -> tuple[dict, list[tuple]]:
    z = zlib.decompressobj(zdict=ZDICT)
    return pickle.loads(z.decompress(data) + z.flush())


class IndexRows:
    """Rows of the index file, read through ``con`` with the labels of ``cat``."""

    CACHE_ROWS = 200_000

    def __init__(self, con: sqlite3.Connection | None, cat: Catalog):
        self._con = con
        self.cat = cat
        self._rows: dict[int, Row] = {}
        self._texts: dict[str, RowText] = {}
        self._phrases: dict[tuple, list[tuple[str, str, int]]] = {}
        self._df: dict[str, int] = {}
        self._size: int | None = None

    @property
    def con(self) -> sqlite3.Connection:
        return self._con

    # ------------------------------------------------------------------ reading rows
    def _read(self, sql: str, params: Iterable = ()) -> list[Row]:
        """The rows a query of ``COLUMNS`` finds: their numbers first, then the records of those
        not read before."""
        found = [i for (i, _, _) in self.con.execute(sql.replace(COLUMNS, KEYS), tuple(params))]
        cache = self._rows
        missing = [i for i in found if i not in cache]
        if missing:
            if len(cache) + len(missing) > self.CACHE_ROWS:
                cache.clear()
                self._texts.clear()
            new = []
            for k in range(0, len(missing), 500):
                chunk = missing[k:k + 500]
                new += self.con.execute(f"SELECT {COLUMNS} FROM rows WHERE id IN ({','.join('?' * len(chunk))})",
                                        chunk).fetchall()
            decoded = [(x, decode_record(x[4])) for x in new]
            texts = self._sentences(m[3] for _, (_, mentions) in decoded for m in mentions if isinstance(m[3], int))
            for (id_, obs, doc, ord_, _), (props, mentions) in decoded:
                raw = RawFacts()
                for start, end, surface, sentence, sent_start in mentions:
                    raw.add_mention(obs, start, end, surface,
                                    texts[sentence] if isinstance(sentence, int) else sentence, sent_start)
                raw.props[obs] = props
                r = placed(build_rows(raw, self.cat), self.cat)[0]
                r.pos = (doc, ord_)
                cache[id_] = r
        return [cache[i] for i in found]

    def _sentences(self, sids: Iterable[int]) -> dict[int, str]:
        """The texts of the sentences numbered ``sids``."""
        sids = sorted(set(sids))
        out: dict[int, str] = {}
        for i in range(0, len(sids), 500):
            chunk = sids[i:i + 500]
            out.update(self.con.execute(f"SELECT id, text FROM rsents WHERE id IN ({','.join('?' * len(chunk))})",
                                        chunk))
        return out

    @property
    def size(self) -> int:
        if self._size is None:
            self._size = self.con.execute("SELECT count(*) FROM rows").fetchone()[0]
        return self._size

    @property
    def n(self) -> int:
        return max(1, self.size)

    def all_rows(self) -> list[Row]:
        return self._read(f"SELECT {COLUMNS} FROM rows ORDER BY doc, ord")

    def rows(self, ind: str, area: str | None = None, period: str | None = None) -> list[Row]:
        where, params = [], []
        if area:
            where.append("area = ?")
            params.append(area)
        if period:
            where.append("period = ?")
            params.append(period)
        extra = "".join(f" AND r.{w}" for w in where)
        return self._read(f"SELECT {COLUMNS} FROM rows r WHERE r.ind = ?{extra} UNION ALL "
                          f"SELECT {COLUMNS} FROM rows r WHERE r.lex = ?{extra} AND {SHADOWED} ORDER BY doc, ord",
                          [ind, *params, ind, *params])

    def for_statistics(self) -> Iterator[tuple[str, Row]]:
        """(indicator, row) of every row under its indicator, and of the open rows under the
        lexicon indicator they name exactly (as :meth:`rows` files them)."""
        for r in self.all_rows():
            yield r.indicator, r
        for lex, id_ in self.con.execute(f"SELECT r.lex, r.id FROM rows r WHERE r.lex IS NOT NULL AND {SHADOWED} "
                                         "ORDER BY r.doc, r.ord").fetchall():
            yield lex, self._rows.get(id_) or self._read(f"SELECT {COLUMNS} FROM rows r WHERE id = ?", (id_,))[0]

    # ------------------------------------------------------------------ the open path's look-ups
    def df(self, gram: str) -> int:
        n = self._df.get(gram)
        if n is None:
            row = self.con.execute("SELECT n FROM df WHERE gram = ?", (gram,)).fetchone()
            n = self._df[gram] = row[0] if row else 0
        return n

    def text(self, r: Row) -> RowText:
        t = self._texts.get(r.obs)
        if t is None:
            t = self._texts[r.obs] = row_text(r)
        return t

    def _areas(self, places) -> list[str]:
        cat = self.cat
        out: set[str] = set()
        for label in places:
            out.update(cat.areas_of(label))
            for shared in cat.shared_places:            # 石门县城关镇: the 城关镇 of 石门县's report
                if label.endswith(shared) and label != shared:
                    out.update(cat.areas_of(shared))
        return sorted(out)

    def of_places(self, places) -> list[Row]:
        places = list(places)
        areas = self._areas(places)
        if not areas:
            return []
        wanted = set(places)
        found = self._read(f"SELECT {COLUMNS} FROM rows WHERE area IN ({','.join('?' * len(areas))}) "
                           "ORDER BY doc, ord", areas)
        return [r for p in places for r in found if r.place == p] if len(places) > 1 else \
            [r for r in found if r.place in wanted]

    def of_year(self, year: int) -> list[Row]:
        return self._read(f"SELECT {COLUMNS} FROM rows WHERE end_year = ? ORDER BY doc, ord", (year,))

    def of_value(self, base_unit: str, value: Decimal) -> list[Row]:
        return self._read(f"SELECT {COLUMNS} FROM rows WHERE base_unit = ? AND base_value = ? ORDER BY doc, ord",
                          (base_unit, str(value.normalize())))

    def year_size(self, year: int) -> int:
        return self.con.execute("SELECT count(*) FROM rows WHERE end_year = ?", (year,)).fetchone()[0]

    def with_grams(self, grams, weights: dict[str, float] | None = None, limit: int | None = None,
                   year: int | None = None) -> list[Row]:
        grams = list(grams)
        if not grams:
            return []
        marks = ",".join("?" * len(grams))
        in_year, year_args = (" AND end_year = ?", (year,)) if year is not None else ("", ())
        if limit is None:
            return self._read(f"SELECT {COLUMNS} FROM rows WHERE sid IN (SELECT sid FROM grams WHERE gram IN "
                              f"({marks})){in_year} ORDER BY doc, ord", (*grams, *year_args))
        postings: dict[str, list[int]] = {}
        sizes: dict[int, int] = {}
        where: dict[int, tuple[str, int]] = {}
        for g, sid, n, doc, start in self.con.execute(
                f"SELECT g.gram, g.sid, s.n, t.doc, t.start FROM grams g JOIN (SELECT sid, count(*) AS n FROM rows "
                f"WHERE sid IN (SELECT sid FROM grams WHERE gram IN ({marks})){in_year} GROUP BY sid) s "
                f"ON s.sid = g.sid JOIN rsents t ON t.id = g.sid WHERE g.gram IN ({marks})",
                (*grams, *year_args, *grams)):
            postings.setdefault(g, []).append(sid)
            sizes[sid] = n
            where[sid] = (doc, start)
        sids = top_sentences(postings, weights or {}, sizes.__getitem__, limit, where.__getitem__)
        return self._read(f"SELECT {COLUMNS} FROM rows WHERE sid IN ({','.join('?' * len(sids))}){in_year} "
                          "ORDER BY doc, ord", (*sids, *year_args)) if sids else []

    def sentence_phrases(self, r: Row) -> list[tuple[str, str, int]]:
        found = self._phrases.get(r.pos)
        if found is None:
            rows = self._read(f"SELECT {COLUMNS} FROM rows WHERE sid = (SELECT sid FROM rows WHERE doc = ? AND ord = ?) "
                              "ORDER BY doc, ord", r.pos)
            found = [(x.obs, self.text(x).phrase, x.first.start if x.first else -1) for x in rows]
            if len(self._phrases) >= self.CACHE_ROWS:
                self._phrases.clear()
            for x in rows:                      # the same list for every row of the sentence
                self._phrases[x.pos] = found
        return found

