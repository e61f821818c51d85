"""Open-world retrieval: the observations that fit a question's slots, ranked by what they measure.

A question the lexicon cannot map to an indicator ("平安县地区生产总值完成多少") is answered
from every observation of the graph, open ones included (kg.text.measure gives each its measured
phrase):

1. **candidates** — observations whose place is the place asked or within it, whose time is
   the time asked (a year: its year, year end or span ending in it; an undated statement only
   when it was made in that year's report), whose unit is of the class asked (多少户 → 户,
   多少钱 → 元, 比例 → %), and of the kind asked (target or actual);
2. **ranking** — the question's content (its times, places, question words and particles taken
   out: ``ontology/question-stopwords.tsv``) as the character bigrams of its words, each weighed
   by its inverse document frequency over the graph's own sentences; an observation scores half
   the share of that weight found in its sentence, 0.3 of the share found in its measured phrase
   or the words around its value, and 0.2 of the share of its phrase the question names (so
   人均纯收入 is not 人均可支配收入);
3. a running total (累计) is not one period's flow, and a change (增长7.5%) is not a level: an
   observation of the other sort than the question asks for scores half.

Why bigrams and our own few lines rather than a BM25 library: the fields are tiny (a phrase, a
window, a sentence) and weighed differently, the candidates are filtered first by slots, and the
document frequencies come from the store's own sentences, kept with the catalogue.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..paths import ontology_dir
from ..text.units import UNITS, units_flagged
from .parse import canonical
from .row_text import HAN_RUN, RowText, bigrams
from .rows import Row
from .words import pattern, words

CUMULATIVE_Q = pattern("cumulative")
CHANGE_Q = pattern("change")
#: the score: the share of the question's weight found in the observation's sentence, the share
#: found in its phrase or the words around its value, and the share of its phrase the question names
WEIGHTS = (0.5, 0.3, 0.2)
#: a phrase that names a rate of change ("工业增加值增速"): its level is a change
CLAUSE_BREAK = re.compile(r"[，,；;]")
RATE_PHRASE = pattern("rate-phrase")
#: a bigram in at most this share of the observations finds candidates (kg.qa.open_answer)
RARE_SHARE = 0.05
#: at most about this many observations are ranked for a question with no place or year to
#: narrow them by (the sentences holding most of its rarer bigrams first)
MAX_POOL = 600
#: the paragraph around a sentence: how far it reaches, and the share of a word's weight it earns
CONTEXT_CHARS = 200
CONTEXT_SHARE = 0.5
#: the share of its score an observation of another statistic than the one asked keeps
OTHER_DEFINITION = 0.3
#: the weight of a word of the question's focus (what is counted), and the bonus of a value in
#: the distinctive unit asked
FOCUS_WEIGHT = 2.0
UNIT_BONUS = 0.1
#: units that say little about what is counted
PLAIN_UNITS = units_flagged("plain")
QUESTION_AT = pattern("question-at")
SUBSET = pattern("subset")


@lru_cache(maxsize=1)
def stopwords() -> tuple[str, ...]:
    lines = (ontology_dir() / "question-stopwords.tsv").read_text(encoding="utf-8").splitlines()
    return tuple(sorted({w.strip() for w in lines if w.strip() and not w.startswith("#")}, key=len, reverse=True))


def content_terms(content: str, cut) -> list[str]:
    """The bigrams of the question's words of two characters or more once its stop words are
    out (``cut``: a word segmenter), its short forms written out first."""
    stop = set(stopwords())
    out: list[str] = []
    for w in cut(canonical(expand(content))):
        if len(w) >= 2 and w[-1] in ASPECT:
            w = w[:-1]                  # 投了, 签了: the verb
        if w not in stop and HAN_RUN.fullmatch(w) and len(w) >= 2 and not asks_unit(w) and w not in UNITS:
            out.extend(w[i:i + 2] for i in range(len(w) - 1))
    return list(dict.fromkeys(out))


#: aspect particles after a verb (建了, 到过, 看着)
ASPECT = "".join(words("aspect"))


ASKING = pattern("asking-unit")


def asks_unit(word: str) -> bool:
    """A question word with the unit it asks in (几个, 多少户, 几口, 多少万元): the unit slot
    says that, not what is measured."""
    m = ASKING.match(word)
    if m is None:
        return False
    rest = m.group(1)
    return rest in ("", "钱") or rest in UNITS or (rest[:1] == "个" and rest[1:] in UNITS)


@lru_cache(maxsize=1)
def statistic_heads() -> tuple[str, ...]:
    from ..text.measure import default_words
    return default_words().head


@lru_cache(maxsize=1)
def unit_defaults() -> dict[str, str]:
    """The phrase a question naming only a unit asks for (``ontology/question-defaults.tsv``)."""
    out = {}
    for line in (ontology_dir() / "question-defaults.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            unit, _, phrase = line.partition("\t")
            out[unit.strip()] = phrase.strip()
    return out


@lru_cache(maxsize=1)
def synonyms() -> tuple[tuple[str, str], ...]:
    """Short forms of statistical terms and their full wording (``ontology/question-synonyms.tsv``)."""
    out = []
    for line in (ontology_dir() / "question-synonyms.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            short, _, full = line.partition("\t")
            out.append((short.strip().lower(), full.strip()))
    return tuple(sorted(out, key=lambda x: -len(x[0])))


def expand(text: str) -> str:
    """The question with short forms (GDP, 社零, 规上) written out, for ranking."""
    low = text.lower()
    for short, full in synonyms():
        if short in low:
            low = low.replace(short, full)
    return low


class TermIndex:
    """What the ranking asks of the store's observations, with its caches (one per catalogue):
    how rare a bigram is (over the observations' sentences and phrases, kg.qa.fact_index), an
    observation's texts, the phrases of the other observations of its sentence, and the rest of
    its paragraph. ``index`` is the catalogue's fact index (in memory, or read from the file
    beside the store)."""

    def __init__(self, index, text_of: Callable[[str], str] | None = None):
        self.index = index
        self.n = index.n
        self.text_of = text_of              # doc → its text, for the paragraph around a sentence
        self.contexts: dict[str, str] = {}
        self._others: dict[str, tuple[list[str], list[str], list[str]]] = {}
        self._idf: dict[str, float] = {}

    def with_terms(self, terms: list[str], limit: float = RARE_SHARE, year: int | None = None) -> list[Row] | None:
        """The observations (of ``year``: ending in it) whose sentence or phrase holds one of the
        question's rarer bigrams (in at most ``limit`` of the observations; else the three
        rarest), None when the question has no bigram the graph holds."""
        known = sorted((g for g in terms if self.index.df(g)), key=self.index.df)
        if not known:
            return None
        rare = [g for g in known if self.index.df(g) <= limit * self.n] or known[:3]
        if sum(self.index.df(g) for g in rare) <= MAX_POOL:
            return self.index.with_grams(rare, year=year)
        # many: the sentences holding the most of them, weighed by rarity, up to MAX_POOL rows
        return self.index.with_grams(rare, {g: self.idf(g) for g in rare}, MAX_POOL, year=year)

    def others(self, r: Row) -> tuple[list[str], list[str], list[str]]:
        """The phrases of the other observations of ``r``'s sentence: those of its own clause,
        those of later clauses (they say what another value measures), and those of earlier
        clauses, whose words may be the topic ``r``'s clause carries on (仅脐橙推广面积3.2万亩，
        产量5000吨，产值2100万元: 产值 of 脐橙)."""
        found = self._others.get(r.obs)
        if found is not None:
            return found
        m = r.first
        if m is None or m.sent_start is None:
            return [], [], []
        t = self.text(r)
        a, b = t.bounds
        same, later, earlier = [], [], []
        for obs, ph, start in self.index.sentence_phrases(r):
            if obs == r.obs or ph == t.phrase:
                continue
            at = start - m.sent_start
            (same if a <= at < b else earlier if 0 <= at < a else later).append(ph)
        found = self._others[r.obs] = (same, later, earlier)
        return found

    def idf(self, g: str) -> float:
        w = self._idf.get(g)
        if w is None:
            w = self._idf[g] = bm25_idf(self.n, self.index.df(g))
        return w

    def text(self, r: Row) -> RowText:
        return self.index.text(r)

    def context(self, r: Row) -> str:
        """The rest of the observation's paragraph (at most ``CONTEXT_CHARS`` on either side of
        its sentence): who or what a sentence of a story is about is often named around it
        (“家里有3间客房…”老张说)."""
        c = self.contexts.get(r.obs)
        if c is None:
            m = r.first
            text = self.text_of(r.doc) if self.text_of and m is not None and m.sent_start is not None else ""
            if text:
                a, b = m.sent_start, m.sent_start + len(m.sentence)
                p0 = max(text.rfind("\n", 0, a) + 1, a - CONTEXT_CHARS)
                p1 = text.find("\n", b)
                p1 = min(len(text) if p1 < 0 else p1, b + CONTEXT_CHARS)
                c = canonical(text[p0:a] + " " + text[b:p1])
            else:
                c = ""
            self.contexts[r.obs] = c
        return c


def heads_differ(question: str, phrase: str) -> bool:
    """Whether the question names one statistic's head and the phrase another, neither within
    the other (规模以上工业增加值 against 规模以上工业总产值, 人均纯收入 against 人均可支配收入; not
    人均收入 against 人均可支配收入)."""
    heads = statistic_heads()
    asked = max((h for h in heads if h in question), key=len, default="")
    named = max((h for h in heads if h in phrase), key=len, default="")
    return bool(asked and named) and asked not in named and named not in asked and named not in question


def other_definition(question: str, phrase: str) -> bool:
    """Whether a measured phrase is another statistic than the question's, though they share
    their head (a statistic's noun: ``head`` of ontology/measure-words.tsv): the words before
    the head differ (农民人均纯收入 is not 搬迁户人均纯收入, 城镇…收入 not 农村…收入). A phrase with
    no words before the head, or a question with none, is no other definition."""
    if len(phrase) < 4 or not question:
        return False
    best = ""
    for i in range(len(phrase)):
        for j in range(len(phrase), i + len(best) + 2, -1):       # the longest common part, 3+ characters
            if phrase[i:j] in question:
                best = phrase[i:j]
                break
    if heads_differ(question, phrase):
        return True
    if len(best) < 3 or not phrase.endswith(best) or not any(best.endswith(h) for h in statistic_heads()):
        return False
    before_phrase = phrase[:phrase.index(best)]
    run = HAN_RUN.findall(question[:question.index(best)] + " ")
    before_question = run[-1][-4:] if run and question[:question.index(best)].endswith(run[-1]) else ""
    if len(before_phrase) < 2 or len(before_question) < 2:
        return False
    return not set(bigrams(before_phrase)) & set(bigrams(before_question))


def bm25_idf(n: int, df: int) -> float:
    """How rare a term is in ``n`` texts when ``df`` of them hold it (BM25's idf, never negative)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))

@dataclass
class Query:
    """What a question is ranked by: its bigrams (``terms``), those of its focus (what is
    counted, after 中/里 and before the question word: 建档立卡贫困户中稳定脱贫的有多少人 →
    稳定脱贫), whether it asks a running total or a change, the unit it asks when that one is
    distinctive (口, 株, 平方米: not 个/人/户/元/%), and its text."""

    terms: list[str]
    focus: frozenset[str] = frozenset()
    cumulative: bool = False
    change: bool = False
    unit: str | None = None
    text: str = ""

    def other_definition(self, phrase: str) -> bool:
        """:func:`other_definition` of the question and ``phrase`` (cached per phrase: the same
        phrase measures many observations)."""
        cache = self.__dict__.setdefault("_other", {})
        found = cache.get(phrase)
        if found is None:
            found = cache[phrase] = other_definition(self.text, phrase)
        return found

    def weights(self, index: "TermIndex") -> dict[str, float]:
        """Each term's weight: its IDF in ``index``, twice that in the focus (cached)."""
        w = self.__dict__.get("_weights")
        if w is None or self.__dict__.get("_index") is not index:
            w = {g: index.idf(g) * (FOCUS_WEIGHT if g in self.focus else 1.0) for g in self.terms}
            self.__dict__["_weights"], self.__dict__["_index"] = w, index
        return w

    @classmethod
    def of(cls, terms: list[str], question: str, unit: str | None = None, focus=frozenset()) -> "Query":
        return cls(terms, frozenset(focus), bool(CUMULATIVE_Q.search(question)), bool(CHANGE_Q.search(question)),
                   unit if unit and unit not in PLAIN_UNITS else None, question)


def is_change(r: Row) -> bool:
    """Whether an observation is a change (增长7.5%) rather than a level, by its measure or a
    phrase naming a rate of change (工业增加值增速)."""
    return r.measure == "change" or rate_phrase(r.phrase)


@lru_cache(maxsize=65536)
def rate_phrase(phrase: str) -> bool:
    return RATE_PHRASE.search(phrase) is not None


def focus_of(content: str, cut=None) -> str:
    """The part of a question that says what is counted: after the last 中/里/当中 (a word of
    its own: not 中 of 中草药) of the clause that asks, up to its question word ("…贫困户中稳定
    脱贫的有多少人" → 稳定脱贫的有); "" when the question has no such part. ``cut``: a word
    segmenter (jieba's by default)."""
    q = QUESTION_AT.search(content)
    if q is None:
        return ""
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(content, 0, q.start())), default=0)
    if cut is None:
        from ..text.segmenter import cut
    at, within = clause_start, None
    for word in cut(content[clause_start:q.start()]):
        at += len(word)
        if SUBSET.fullmatch(word):
            within = at
    return content[within:q.start()] if within is not None else ""


def score(index: TermIndex, query: Query, r: Row) -> float:
    """How well an observation's phrase, value window and sentence match the question (0…1)."""
    terms = query.terms
    if not terms:
        return 0.0
    t = index.text(r)
    same, others, earlier = index.others(r)
    clause = t.clause_text
    total = found = near = 0.0
    weights = query.weights(index)
    for g in terms:
        w = weights[g]
        total += w
        if g in t.phrase:
            near += w
            found += w
        elif g in clause and not any(g in ph for ph in same):
            near += w                   # a word of the value's own clause (…520人全部脱贫)
            found += w
        elif any(g in ph for ph in same) or any(g in ph for ph in others):
            continue                    # what another value of the sentence measures
        elif any(g in ph for ph in earlier):
            found += w                  # the topic of an earlier clause, carried on
        elif g in t.window:
            near += w
            found += w
        elif g in t.sentence:
            found += w
        elif g in index.context(r):
            found += CONTEXT_SHARE * w      # named in the sentences around it
    s = WEIGHTS[0] * found / total + WEIGHTS[1] * near / total
    ph = t.phrase_grams(index.idf)
    if ph:
        named = sum(w for g, w in ph if g in weights)
        s += WEIGHTS[2] * named / sum(w for _, w in ph)
    if query.unit and r.base_unit == query.unit:
        s += UNIT_BONUS                 # 几口人: the one value counted in 口
    if query.focus and 2 * sum(g in t.phrase or g in clause for g in query.focus) < len(query.focus):
        s *= 0.5                        # …中稳定脱贫的有多少人: not what its own clause counts
    cumulative = r.measure == "cumulative" or "累计" in t.window
    if cumulative != query.cumulative and (cumulative or r.period_kind in ("span", "since")):
        s *= 0.5
    if is_change(r) != query.change:
        s *= 0.5
    if query.other_definition(r.phrase):
        s *= OTHER_DEFINITION
    return min(s, 1.0)


def score_bounds(index: TermIndex, query: Query, rows: Iterable[Row]) -> Iterator[float]:
    """An upper bound of :func:`score` for each row, reading less of it: a question word in its
    sentence, phrase or value window counts as found near its value, one elsewhere as found only
    when an earlier clause's phrase holds it (else at the paragraph's share); the shares that only
    lower a score (a focus its clause does not count, another statistic's definition) are left out.
    tests/qa/test_score_bound.py holds it at or above ``score`` for every candidate."""
    weights = query.weights(index)
    terms = [(g, weights[g]) for g in query.terms]
    total = sum(w for _, w in terms)
    idf, text, others = index.idf, index.text, index.others
    for r in rows:
        if not terms:
            yield 0.0
            continue
        t = text(r)
        phrase, sentence, window = t.phrase, t.sentence, t.window
        near = elsewhere = 0.0
        earlier = None
        for g, w in terms:
            if g in sentence or g in phrase or g in window:
                near += w
                continue
            if earlier is None:
                earlier = others(r)[2]
            elsewhere += w if any(g in ph for ph in earlier) else CONTEXT_SHARE * w
        s = WEIGHTS[0] * (near + elsewhere) / total + WEIGHTS[1] * near / total
        ph = t.phrase_grams(idf)
        if ph:
            s += WEIGHTS[2] * sum(w for g, w in ph if g in weights) / sum(w for _, w in ph)
        if query.unit and r.base_unit == query.unit:
            s += UNIT_BONUS
        cumulative = r.measure == "cumulative" or "累计" in window
        if cumulative != query.cumulative and (cumulative or r.period_kind in ("span", "since")):
            s *= 0.5
        if is_change(r) != query.change:
            s *= 0.5
        yield min(s, 1.0)
