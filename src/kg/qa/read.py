"""Reading a question into slots: its time, places, the unit asked, modality and question type.

- **time** — ``kg.text.timex`` (years, year ends, months, spans …), after Chinese and two-digit
  years are rewritten as Arabic four-digit years (:func:`normalise`); 今年/去年 are noted (they
  have no anchor);
- **place** — any place the vocabulary knows, at any level, by full or short name, longest
  first; a short name of several places is ambiguous; 我市/全县 are deictic;
- **unit asked** — the measure word after 多少/几 (多少户, 几个), the noun counted (多少贫困户 → 户),
  else a word that implies one (占比 → %, 金额 → 元);
- **modality** — 计划/目标/要/确保 … ask for targets (not with 实际/已经); 每户/人均 ask a rate;
- **question type** — value, sum, max/min (over years, places or kinds), difference, list, series.

Each step marks the characters it has read (:class:`Marks`); what is left is the content that
names the indicator (:class:`Content`, read by kg.qa.readings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.modality import is_achieved, target_cue
from ..text.normalize import normalize_width
from ..text.numerals import NumberParseError, parse_number
from ..text.places import DEICTIC_RE
from ..text.timex import TimeExpr, find_times
from ..text.units import TIME_UNITS, longest_unit_at
from .readings import Reading
from .vocab import DEICTIC_LEVELS, Vocabulary
from .words import pattern, rows, words

MAX_QUESTION = 300

# ------------------------------------------------------------------ cue words

QWORD_RE = pattern("amount-question")
#: 什么名字, 啥人: a name asked, not a count
ASKS_NAME = words("asks-name")
PERCENT_Q_RE = pattern("percent-question")
TARGET_RE = pattern("target")
ACHIEVED_Q_RE = pattern("achieved")
SUM_RE = pattern("sum")
SERIES_RE = pattern("series")
LIST_RE = pattern("list")
MAX_RE = pattern("max")
MIN_RE = pattern("min")
#: a superlative that describes a noun (全国最大的易地搬迁安置县) rather than asks which one ranks
#: first: 最X的 before a noun other than what is ranked (一年, 村, 是 …)
DESCRIBING_SUPERLATIVE = pattern("describing-superlative")
CLAUSE_SPLIT = re.compile(r"[，,；;：:。]")
QUESTION_WORD = pattern("question-word")
WHICH_YEAR_RE = pattern("which-year")
WHICH_PLACE_RE = pattern("which-place")
WHICH_KIND_RE = pattern("which-kind")
#: 哪个县/哪个乡镇 …: the level of the places ranked
RANK_LEVELS = [(word, tuple(levels.split())) for word, levels in rows("rank-level", 2)]
COMPARE_RE = pattern("compare")
DIRECTION_RE = pattern("direction")
DIRECTION_LESS = words("direction-less")
PER_RE = pattern("per")
COUNTED_PERSON_RE = pattern("counted-person")
COUNTED_HOUSEHOLD_RE = pattern("counted-household")
#: (pattern, unit, strength): a word that implies the unit asked when no measure word says it
IMPLIED_UNITS = [(re.compile(rx), unit, strength) for rx, unit, strength in rows("implied-unit", 3)]
RELATIVE_TIME_RE = pattern("relative-time")
TIME_CUE_RE = pattern("time-cue")
NOT_CONTENT_RE = pattern("not-content")
PARTICLES = set(words("particle"))


def ranks(text: str) -> bool:
    """Whether the question asks which one ranks first or last (哪一年减少最多), not a value of a
    thing it describes by a superlative (作为全国最大的移民安置县，共安置了多少移民)."""
    for clause in CLAUSE_SPLIT.split(text):
        if not (MAX_RE.search(clause) or MIN_RE.search(clause)):
            continue
        plain = DESCRIBING_SUPERLATIVE.sub("", clause)
        if (MAX_RE.search(plain) or MIN_RE.search(plain)) and (
                QUESTION_WORD.search(clause) or not QUESTION_WORD.search(text)):
            return True
    return False


_CN_YEAR_RE = re.compile(r"([零〇○一二两三四五六七八九十百千]{3,9})(?=年)")
_SHORT_YEAR_RE = re.compile(r"(?<![0-9０-９.])([0-2][0-9])(?=年(?!代|来|间|前|后|内|里|以来|多|左右|半|的时间))")
_NON_CONTENT_RE = re.compile(r"[\s\u3000,，。.!！?？;；:：、'\"“”‘’()（）\[\]【】{}<>《》「」『』`~·…\-—_=+*/\\|@#$%^&]")

# ------------------------------------------------------------------ slots


@dataclass(frozen=True)
class TimeSlot:
    kind: str           # year | year_end | half_year | quarter | month | date | span | since | plan_period
    start_year: int
    end_year: int
    label: str          # 2015, 2017-YE, 2018-05, 2014/2017 …
    zh: str
    month: int | None = None

    @property
    def single_year(self) -> bool:
        return self.start_year == self.end_year and self.kind not in ("since",)


@dataclass
class Parsed:
    question: str
    text: str = ""                       # normalised question
    content: str = ""                    # what is left to name the indicator
    times: list[TimeSlot] = field(default_factory=list)
    places: list[str] = field(default_factory=list)       # graph places named, in order
    deictic: bool = False                # 我市/全市 …
    deictic_levels: set[str] = field(default_factory=set)   # 我县 → {县}
    ambiguous_places: list[tuple[str, list[str]]] = field(default_factory=list)  # (桃源, [桃源县, 桃源镇])
    unknown_places: list[str] = field(default_factory=list)
    place_words: list[str] = field(default_factory=list)   # 北山片区, 城镇: named regions, not divisions
    relative_time: str | None = None     # 今年/去年 … (no anchor: refused)
    unit: str | None = None              # base unit asked (人, 户, 个, 元, %, 亩 …)
    unit_written: str | None = None      # as written (万元, 名 …)
    unit_strength: str | None = None     # strong | soft
    target: bool = False
    qtype: str = "value"                 # value | sum | max | min | diff | list | series
    rank_over: str | None = None         # year | place (max/min)
    rank_levels: set[str] = field(default_factory=set)      # 哪个县 → {县}: the places ranked
    direction: str = "more"              # diff: more | less | abs
    per: bool = False                    # a rate is asked (每户/人均)
    sum_cue: bool = False
    readings: list[Reading] = field(default_factory=list)
    category: tuple[str, float] | None = None   # (category label, similarity)
    categories: list[tuple[str, float]] = field(default_factory=list)
    known: list[str] = field(default_factory=list)        # known entity words named
    unknown_words: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def reading(self) -> Reading | None:
        return self.readings[0] if self.readings else None

    def slots(self) -> dict:
        """A plain view of the slots (for tests and debugging)."""
        r = self.reading
        return {
            "indicator": r.indicator.slug if r else None,
            "breakdown": r.breakdown.slug if r and r.breakdown else None,
            "years": [t.label for t in self.times], "places": list(self.places), "unit": self.unit,
            "target": self.target, "qtype": self.qtype, "rank_over": self.rank_over,
            "category": self.category[0] if self.category else None,
            "unknown_places": list(self.unknown_places), "problems": list(self.problems),
            "ambiguous_places": {s: list(ls) for s, ls in self.ambiguous_places},
        }


# ------------------------------------------------------------------ parsing steps


def normalise(question: str) -> str:
    """Width-normalised, without blanks, Chinese and two-digit years as Arabic four digits."""
    t = normalize_width(str(question))[:MAX_QUESTION]
    t = re.sub(r"\s+", "", t).lower()

    def cn_year(m: re.Match) -> str:
        s = m.group(1)
        if all(ch in "零〇○一二三四五六七八九" for ch in s):
            return s                      # digit-by-digit years: timex reads them
        try:
            v = parse_number(s)
        except NumberParseError:
            return s
        return str(int(v)) if v == int(v) and 1900 <= v <= 2100 else s

    t = _CN_YEAR_RE.sub(cn_year, t)
    t = _SHORT_YEAR_RE.sub(lambda m: "20" + m.group(1) if int(m.group(1)) <= 30 else m.group(1), t)
    return t


def _slot(t: TimeExpr) -> TimeSlot:
    return TimeSlot(t.kind, t.start_year, t.end_year, t.label, t.zh, t.month)


def _find_places(vocab: Vocabulary, t: str, blocked: list[bool]) -> list[tuple[int, int, str | list[str]]]:
    """(start, end, place label) of every place named, longest surface first; an ambiguous
    short name gives the list of the places it may be."""
    out = []
    i, n = 0, len(t)
    while i < n:
        hit = None
        if not blocked[i]:
            for length in range(min(vocab.place_max, n - i), 1, -1):
                surface = t[i:i + length]
                label = vocab.place_surfaces.get(surface) or vocab.ambiguous.get(surface)
                if label and not any(blocked[i:i + length]):
                    hit = (i, i + length, label)
                    break
        if hit:
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


def place_spans(vocab: Vocabulary, text: str) -> list[tuple[int, int]]:
    """(start, end) of every place ``text`` names, as the parser finds them."""
    return [(a, b) for a, b, _ in _find_places(vocab, text, [False] * len(text))]


def _unit_after(t: str, k: int) -> tuple[str, str, int] | None:
    """(written unit, base unit, end) of a measure word right after a question word."""
    if t.startswith("钱", k):
        return "元", "元", k + 1
    u = longest_unit_at(t, k)
    if u is None or not u.base or u.name in TIME_UNITS or u.base in TIME_UNITS:
        return None
    end = k + len(u.name)
    if u.base == "人" and t.startswith("口", end):
        end += 1
    return u.name, u.base, end


class Content:
    """The question minus times, places, question words and particles, with positions."""

    def __init__(self, t: str, removed: list[bool]):
        self.chars: list[str] = []
        self.origin: list[int] = []
        for i, ch in enumerate(t):
            if removed[i] or ch in PARTICLES or _NON_CONTENT_RE.match(ch):
                continue
            self.chars.append(ch)
            self.origin.append(i)
        self.text = "".join(self.chars)

    def position_of(self, orig: int) -> int:
        """The content index at or after original position ``orig``."""
        for k, o in enumerate(self.origin):
            if o >= orig:
                return k
        return len(self.origin)


class Marks:
    """What the reading steps have read of the normalised question ``text``: characters
    removed from the content (times, places, question words), closed to places (``blocked``:
    times and deictics), inside a place named (``at_place``); where the first question word
    is (``qpos``, a position of ``text``), and the noun its measure word implies (减少多少人 → 人)."""

    def __init__(self, text: str):
        self.text = text
        self.removed = [False] * len(text)
        self.blocked = [False] * len(text)
        self.at_place = [False] * len(text)
        self.qpos: int | None = None
        self.implied: str | None = None

    def remove(self, a: int, b: int) -> None:
        for k in range(max(0, a), min(len(self.text), b)):
            self.removed[k] = True


# ------------------------------------------------------------------ reading steps


def read_times(p: Parsed, marks: Marks) -> None:
    """Relative times (今年), times, and the time cue words next to them (截至, 年底 …)."""
    t, n, removed, remove = marks.text, len(marks.text), marks.removed, marks.remove
    rel = RELATIVE_TIME_RE.search(t)
    if rel:
        p.relative_time = rel.group()
        remove(rel.start(), rel.end())
    for te in find_times(t):
        p.times.append(_slot(te))
        remove(te.start, te.end)
        for k in range(te.start, te.end):
            marks.blocked[k] = True
    for m in TIME_CUE_RE.finditer(t):
        # time cue words next to a removed time
        if (m.end() < n and removed[m.end()]) or (m.start() > 0 and removed[m.start() - 1]):
            remove(m.start(), m.end())


def read_places(p: Parsed, vocab: Vocabulary, marks: Marks) -> None:
    """Deictics (我市 …) and the places of the vocabulary named, longest first."""
    t = marks.text
    for m in DEICTIC_RE.finditer(t):
        p.deictic = True
        p.deictic_levels.add(DEICTIC_LEVELS.get(m.group()[-1], ""))
        marks.remove(m.start(), m.end())
        for k in range(m.start(), m.end()):
            marks.blocked[k] = True
    for a, b, label in _find_places(vocab, t, marks.blocked):
        if isinstance(label, list):
            p.ambiguous_places.append((t[a:b], label))
        elif label not in p.places:
            p.places.append(label)
        marks.remove(a, b)
        for k in range(a, b):
            marks.blocked[k] = marks.at_place[k] = True


def read_unit(p: Parsed, marks: Marks) -> None:
    """The question words (百分之几, 多少, 几 …) and the unit asked: the measure word after one,
    the noun counted, else a word that implies a unit."""
    t, removed, remove = marks.text, marks.removed, marks.remove
    for m in PERCENT_Q_RE.finditer(t):
        p.unit, p.unit_written, p.unit_strength = "%", "%", "strong"
        remove(m.start(), m.end())
        marks.qpos = marks.qpos if marks.qpos is not None else m.start()
    for m in QWORD_RE.finditer(t):
        if any(removed[m.start():m.end()]):
            continue
        end = m.end()
        # 多少户, 几个: a count in a unit; 什么名字, 啥人: a name asked, not a count
        unit = None if m.group().endswith(ASKS_NAME) else _unit_after(t, end)
        first = marks.qpos is None
        if unit and p.unit is None:
            p.unit_written, p.unit, end = unit[0], unit[1], unit[2]
            p.unit_strength = "strong"
            if first and p.unit in ("人", "户"):
                marks.implied = p.unit          # 减少多少人: the measure word names what is counted
        elif unit:
            end = unit[2]
        if p.unit is None and not m.group().endswith(ASKS_NAME):
            noun = (COUNTED_PERSON_RE.match(t, end) and "人") or (COUNTED_HOUSEHOLD_RE.match(t, end) and "户")
            if noun:
                p.unit, p.unit_written, p.unit_strength = noun, noun, "strong"
        remove(m.start(), end)
        if first:
            marks.qpos = m.start()
    if p.unit is None:
        # 占比 → %, 金额 → 元; 就业率有多高 asks a rate, …率的贫困村有几个 only suggests one (soft)
        for rx, unit, strength in IMPLIED_UNITS:
            if rx.search(t):
                p.unit, p.unit_written, p.unit_strength = unit, unit, strength
                break


def read_type(p: Parsed, marks: Marks) -> None:
    """Modality (target or actual), a rate asked, the question type and its cue words."""
    t, remove = marks.text, marks.remove
    untimed = list(t)
    for te in find_times(t):
        if te.kind != "year":          # 到2020年 is a target cue; 2014年到2017年 is not
            untimed[te.start:te.end] = " " * (te.end - te.start)
    untimed = "".join(untimed)
    p.target = bool(TARGET_RE.search(untimed) or target_cue(untimed)) and not (
        ACHIEVED_Q_RE.search(t) or is_achieved(t))
    p.per = bool(PER_RE.search(t))
    p.sum_cue = bool(SUM_RE.search(t))
    years = [s for s in p.times if s.single_year]
    if ranks(t):
        p.qtype = "max" if MAX_RE.search(t) else "min"
        p.rank_over = ("place" if WHICH_PLACE_RE.search(t) and not WHICH_YEAR_RE.search(t)
                       else "breakdown" if WHICH_KIND_RE.search(t) else "year")
        if p.rank_over == "place":
            which = WHICH_PLACE_RE.search(t).group()
            p.rank_levels = next((set(levels) for word, levels in RANK_LEVELS if which.endswith(word)), set())
    elif len(years) >= 2 and COMPARE_RE.search(t):
        p.qtype = "diff"
        d = DIRECTION_RE.search(t)
        p.direction = "abs" if not d else "less" if d.group(1) in DIRECTION_LESS else "more"
    elif SERIES_RE.search(t):
        p.qtype = "series"
    elif any(s.kind == "span" for s in p.times) or (len(years) >= 2 and p.sum_cue):
        p.qtype = "sum"
    elif len(years) >= 2:
        p.qtype = "series"
    elif LIST_RE.search(t):
        p.qtype = "list"
    for rx in (MAX_RE, MIN_RE, WHICH_YEAR_RE, WHICH_PLACE_RE, WHICH_KIND_RE, SERIES_RE, LIST_RE):
        for m in rx.finditer(t):
            remove(m.start(), m.end())
            if marks.qpos is None:
                marks.qpos = m.start()
    for m in NOT_CONTENT_RE.finditer(t):
        remove(m.start(), m.end())
