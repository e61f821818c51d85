"""Every observation of the store as a :class:`~kg.qa.rows.Row`, and the look-ups questions make
of them, in memory (:class:`FactIndex`). The same look-ups are answered from a file beside the
store by kg.qa.index_file.FileIndex; the question code only uses the methods below:

* the lexicon's rows: :meth:`FactIndex.rows` — the rows ``Q.OBSERVATIONS`` gives for an
  indicator (and a place or period IRI), in document order;
* the open path's candidates (kg.qa.open_answer): the rows of places (:meth:`of_places`), of a
  year (:meth:`of_year`), of a value (:meth:`of_value`), those whose sentence or phrase holds a
  bigram (:meth:`with_grams`), and every row when the store is small (:meth:`all_rows`);
* the ranking's statistics (kg.qa.retrieve): how many rows hold a bigram (:meth:`df`, :attr:`n`),
  an observation's texts (:meth:`text`) and the phrases of the other observations of its
  sentence (:meth:`sentence_phrases`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from decimal import Decimal
from operator import attrgetter

from .row_text import RowText, row_text, sentence_key
from .rows import Row

_POS = attrgetter("pos")


def top_sentences(postings: dict[str, Iterable], weights: dict[str, float], size, limit: int, order=None) -> list:
    """The sentences (keys of ``postings``' lists) whose bigrams weigh most together, in that
    order (ties by ``order(key)``, else by key), taken until their rows (``size(key)``) reach
    ``limit``. Put in order a weight at a time, and of a weight shared by more sentences than can
    still be taken only the first ones (a question's rarer words are in thousands of sentences)."""
    order = order or (lambda k: k)
    score: dict = {}
    for g, keys in postings.items():
        w = weights.get(g, 1.0)
        for k in keys:
            score[k] = score.get(k, 0.0) + w
    levels: dict[float, list] = {}
    for k, w in score.items():
        levels.setdefault(w, []).append(k)
    out, n = [], 0
    for w in sorted(levels, reverse=True):
        keys = levels[w]
        while keys and n < limit:
            need = limit - n                    # at most this many keys (a size may be 0: then again)
            first = heapq.nsmallest(need, keys, key=order) if len(keys) > need else sorted(keys, key=order)
            for k in first:
                if n >= limit:
                    break
                out.append(k)
                n += size(k)
            taken = set(first)
            keys = [k for k in keys if k not in taken] if len(first) < len(keys) else []
        if n >= limit:
            break
    return out


class FactIndex:
    """The rows by indicator, by (indicator, place IRI) and by (indicator, period IRI), in
    document order. ``same`` maps an open indicator to the lexicon indicator its phrase names
    exactly (skos:exactMatch): its rows are that indicator's rows too, where the lexicon's own
    rules found none of the same place and years (the sentence the lexicon read is preferred to
    a table's restatement of it). The look-ups of the open path are built on first use."""

    def __init__(self, rows: list[Row], same: dict[str, str] | None = None):
        self.by_ind: dict[str, list[Row]] = {}
        self.by_area: dict[tuple[str, str], list[Row]] = {}
        self.by_period: dict[tuple[str, str], list[Row]] = {}
        self._all = sorted(rows, key=_POS)
        same = same or {}
        native = {(r.indicator, r.area, r.start_year, r.end_year) for r in self._all}
        for r in self._all:                               # document order
            for ind in (r.indicator, same.get(r.indicator)):
                if not ind or (ind != r.indicator and (ind, r.area, r.start_year, r.end_year) in native):
                    continue
                self.by_ind.setdefault(ind, []).append(r)
                self.by_area.setdefault((ind, r.area), []).append(r)
                self.by_period.setdefault((ind, r.period_iri), []).append(r)
        self.size = len(rows)
        self._texts: dict[str, RowText] | None = None

    # ------------------------------------------------------------------ the lexicon's rows
    def all_rows(self) -> list[Row]:
        """Every observation, in document order (do not change the list)."""
        return self._all

    def rows(self, ind: str, area: str | None = None, period: str | None = None) -> list[Row]:
        """A new list (callers may extend it) of the rows of ``ind`` in ``area`` / ``period``."""
        if area and period:
            return [r for r in self.by_area.get((ind, area), ()) if r.period_iri == period]
        if area:
            return list(self.by_area.get((ind, area), ()))
        if period:
            return list(self.by_period.get((ind, period), ()))
        return list(self.by_ind.get(ind, ()))

    # ------------------------------------------------------------------ the open path's look-ups
    def _retrieval(self) -> None:
        """The texts of every row, the bigrams' counts, the rows by place, year, value and
        sentence, and the sentences holding each bigram: made on first use."""
        if self._texts is not None:
            return
        self._texts = {}
        self._df: dict[str, int] = {}
        self._by_place: dict[str, list[Row]] = {}
        self._by_year: dict[int, list[Row]] = {}
        self._by_value: dict[tuple[str, Decimal], list[Row]] = {}
        self._sentences: dict[tuple, list[Row]] = {}
        self._postings: dict[str, set[tuple]] = {}
        self._years: dict[tuple, set[int]] = {}           # the years a sentence's rows end in
        for r in self._all:
            t = self._texts[r.obs] = row_text(r)
            key = sentence_key(r)
            self._sentences.setdefault(key, []).append(r)
            self._years.setdefault(key, set()).add(r.end_year)
            for g in t.grams():
                self._df[g] = self._df.get(g, 0) + 1
                self._postings.setdefault(g, set()).add(key)
            self._by_place.setdefault(r.place, []).append(r)
            self._by_year.setdefault(r.end_year, []).append(r)
            self._by_value.setdefault((r.base_unit, r.base_value.normalize()), []).append(r)

    @property
    def n(self) -> int:
        return max(1, self.size)

    def df(self, gram: str) -> int:
        self._retrieval()
        return self._df.get(gram, 0)

    def text(self, r: Row) -> RowText:
        self._retrieval()
        t = self._texts.get(r.obs)
        if t is None:
            t = self._texts[r.obs] = row_text(r)
        return t

    def of_places(self, places) -> list[Row]:
        self._retrieval()
        return [r for p in places for r in self._by_place.get(p, ())]

    def of_year(self, year: int) -> list[Row]:
        self._retrieval()
        return list(self._by_year.get(year, ()))

    def of_value(self, base_unit: str, value: Decimal) -> list[Row]:
        self._retrieval()
        return list(self._by_value.get((base_unit, value.normalize()), ()))

    def year_size(self, year: int) -> int:
        self._retrieval()
        return len(self._by_year.get(year, ()))

    def with_grams(self, grams, weights: dict[str, float] | None = None, limit: int | None = None,
                   year: int | None = None) -> list[Row]:
        """The rows whose sentence or phrase holds one of ``grams`` (of ``year``: ending in it),
        in document order; with ``limit``, only those of the sentences whose ``grams`` weigh most
        (ties in document order) until ``limit`` rows (:func:`top_sentences`)."""
        self._retrieval()

        def rows_of(k):
            rows = self._sentences[k]
            return rows if year is None else [r for r in rows if r.end_year == year]

        if year is None:
            postings = {g: list(self._postings.get(g, ())) for g in grams}
        else:                                             # the sentences with a row of the year
            of_year = self._sentences_of_year(year)
            postings = {g: list(self._postings[g] & of_year) if g in self._postings else [] for g in grams}
        if limit is None:
            keys = {k for v in postings.values() for k in v}
        else:
            keys = top_sentences(postings, weights or {}, lambda k: len(rows_of(k)), limit,
                                 lambda k: (k[0], -1 if k[1] is None else k[1]))     # document order
        return sorted((r for k in keys for r in rows_of(k)), key=_POS)

    def _sentences_of_year(self, year: int) -> set[tuple]:
        """The sentences with a row ending in ``year`` (made for every year on first use)."""
        by_year = self.__dict__.get("_year_sentences")
        if by_year is None:
            by_year = {}
            for k, ys in self._years.items():
                for y in ys:
                    by_year.setdefault(y, set()).add(k)
            self._year_sentences = by_year
        return by_year.get(year, set())

    def sentence_phrases(self, r: Row) -> list[tuple[str, str, int]]:
        """(obs, canonical phrase, start offset) of every observation of ``r``'s sentence."""
        self._retrieval()
        return [(x.obs, self._texts[x.obs].phrase, x.first.start if x.first else -1)
                for x in self._sentences.get(sentence_key(r), ())]
