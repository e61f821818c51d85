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
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..paths import ontology_dir
from ..text.units import UNITS, units_flagged
from .parse import canonical
from .rows import Row
from .words import pattern, words

HAN_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
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


def bigrams(text: str) -> list[str]:
    out: list[str] = []
    for run in HAN_RUN.findall(text):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


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


@dataclass
class RowText:
    phrase: str
    window: str
    sentence: str
    clause: tuple[int, int] = (0, 0)    # the value's clause, as offsets into ``sentence``
    bounds: tuple[int, int] = (0, 0)    # the same, as offsets into the sentence as written

    @property
    def clause_text(self) -> str:
        return self.sentence[self.clause[0]:self.clause[1]]

    def phrase_grams(self, index: "TermIndex") -> list[tuple[str, float]]:
        """The phrase's bigrams with their IDF (cached)."""
        g = self.__dict__.get("_grams")
        if g is None:
            g = self.__dict__["_grams"] = [(x, index.idf(x)) for x in bigrams(self.phrase)]
        return g


def row_text(r: Row) -> RowText:
    """An observation's texts in the canonical form questions are ranked in (贫困户 → 贫困人口,
    尚未 → 未: kg.qa.parse.canonical)."""
    m = r.first
    window = canonical(r.context_windows[0]) if r.context_windows else ""
    if m is None:
        return RowText(canonical(r.phrase), window, "")
    at = m.start - m.sent_start if m.sent_start is not None else 0
    a = max((x.end() for x in CLAUSE_BREAK.finditer(m.sentence, 0, max(at, 0))), default=0)
    b = next((x.start() for x in CLAUSE_BREAK.finditer(m.sentence, max(at, 0))), len(m.sentence))
    before, clause, after = (canonical(x) for x in (m.sentence[:a], m.sentence[a:b], m.sentence[b:]))
    return RowText(canonical(r.phrase), window, before + clause + after, (len(before), len(before) + len(clause)),
                   (a, b))


def sentence_key(r: Row) -> tuple:
    m = r.first
    return (r.doc, m.sent_start if m else None)


class TermIndex:
    """Document frequencies of bigrams over the graph's sentences and phrases (one document per
    observation), and what finds the candidates of a question without scanning the graph: the
    observations by place and by year, and the sentences holding each bigram. Made once per
    catalogue."""

    def __init__(self, rows: list[Row], text_of: Callable[[str], str] | None = None):
        self.n = max(1, len(rows))
        self.rows = rows
        self.text_of = text_of              # doc → its text, for the paragraph around a sentence
        self.contexts: dict[int, str] = {}
        self.df: dict[str, int] = {}
        self.texts: dict[int, RowText] = {}
        self._others: dict[int, tuple[list[str], list[str], list[str]]] = {}
        #: the phrases of the observations of each sentence: a word of the sentence that is another
        #: observation's phrase says what that one measures, not this one
        self.phrases: dict[tuple, list[tuple[int, str, int]]] = {}
        self.by_place: dict[str, list[Row]] = {}
        self.by_year: dict[int, list[Row]] = {}
        #: sentence number of each observation, the observations of each sentence, and the
        #: sentences holding each bigram (of the sentence or of a phrase of it)
        self.sentence_of: dict[int, int] = {}
        self.sentence_rows: list[list[Row]] = []
        self.postings: dict[str, list[int]] = {}
        numbers: dict[tuple, int] = {}
        grams_of: list[set[str]] = []
        for r in rows:
            t = row_text(r)
            self.texts[id(r)] = t
            key = sentence_key(r)
            # by the value's offset in the sentence as written: the clause bounds are the text's
            self.phrases.setdefault(key, []).append((id(r), t.phrase, r.first.start if r.first else -1))
            own = set(bigrams(t.sentence + " " + t.phrase))
            for g in own:
                self.df[g] = self.df.get(g, 0) + 1
            k = numbers.get(key)
            if k is None:
                k = numbers[key] = len(self.sentence_rows)
                self.sentence_rows.append([])
                grams_of.append(set())
            self.sentence_of[id(r)] = k
            self.sentence_rows[k].append(r)
            grams_of[k] |= own
            self.by_place.setdefault(r.place, []).append(r)
            self.by_year.setdefault(r.end_year, []).append(r)
        for k, grams in enumerate(grams_of):
            for g in grams:
                self.postings.setdefault(g, []).append(k)

    def with_terms(self, terms: list[str], limit: float = RARE_SHARE) -> set[int] | None:
        """The observations (by ``id``) whose sentence or phrase holds one of the question's
        rarer bigrams (in at most ``limit`` of the observations; else the three rarest), None
        when the question has no bigram the graph holds."""
        known = sorted((g for g in terms if g in self.postings), key=lambda g: self.df.get(g, 0))
        if not known:
            return None
        rare = [g for g in known if self.df[g] <= limit * self.n] or known[:3]
        out: set[int] = set()
        for g in rare:
            for k in self.postings[g]:
                out.update(id(r) for r in self.sentence_rows[k])
        return out

    def others(self, r: Row) -> tuple[list[str], list[str], list[str]]:
        """The phrases of the other observations of ``r``'s sentence: those of its own clause,
        those of later clauses (they say what another value measures), and those of earlier
        clauses, whose words may be the topic ``r``'s clause carries on (仅脐橙推广面积3.2万亩，
        产量5000吨，产值2100万元: 产值 of 脐橙)."""
        found = self._others.get(id(r))
        if found is not None:
            return found
        m = r.first
        if m is None or m.sent_start is None:
            return [], [], []
        t = self.text(r)
        a, b = t.bounds
        same, later, earlier = [], [], []
        for i, ph, start in self.phrases.get(sentence_key(r), ()):
            if i == id(r) or ph == t.phrase:
                continue
            at = start - m.sent_start
            (same if a <= at < b else earlier if 0 <= at < a else later).append(ph)
        found = self._others[id(r)] = (same, later, earlier)
        return found

    def idf(self, g: str) -> float:
        df = self.df.get(g, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def text(self, r: Row) -> RowText:
        t = self.texts.get(id(r))
        if t is None:
            t = self.texts[id(r)] = row_text(r)
        return t

    def context(self, r: Row) -> str:
        """The rest of the observation's paragraph (at most ``CONTEXT_CHARS`` on either side of
        its sentence): who or what a sentence of a story is about is often named around it
        (“家里有3间客房…”老张说)."""
        c = self.contexts.get(id(r))
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
            self.contexts[id(r)] = c
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
    ph = t.phrase_grams(index)
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
    if (r.measure == "change" or RATE_PHRASE.search(r.phrase) is not None) != query.change:
        s *= 0.5
    if query.other_definition(r.phrase):
        s *= OTHER_DEFINITION
    return min(s, 1.0)


def rank(index: TermIndex, query: Query, rows: list[Row]) -> list[tuple[float, Row]]:
    scored = [(score(index, query, r), r) for r in rows]
    return sorted(scored, key=lambda x: (-x[0], x[1].pos))
