"""What a quantity measures: the phrase of its clause that says what is counted or paid.

Open-world extraction makes every quantity an observation, whether or not the ontology's
lexicon knows what it measures; this module finds the words that say it, from the clause alone:

- a count followed by the noun it counts is about that noun ("带动36户贫困户" → 贫困户,
  "开了12家农家乐" → 农家乐): the words right after the measure word, up to the first verb,
  preposition or punctuation;
- otherwise the phrase is what stands before the number in its clause, after the last time,
  place, other quantity or punctuation ("地区生产总值完成150亿元" → 地区生产总值): words that
  lead a clause (其中, 全年, 截至 …) are taken off its start, and predicates (完成, 达到, 为,
  降至 …) off its end;
- "增长7.5%" / "提高0.6个百分点" is a change of the phrase, not its level ("增长到" is a
  level); a change with no phrase of its own ("…完成150亿元，按可比价增长6%") is a
  change of the phrase before it in the sentence;
- "累计" makes a running total (measure "cumulative");
- "城乡…分别…X、Y" gives the towns' (城镇) phrase to X and the countryside's (农村) to Y.

The words come from ``ontology/measure-words.tsv`` (read once); the functions are pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import ontology_dir
from .units import units_flagged

HAN = re.compile(r"[\u4e00-\u9fff]")
# what cannot be inside a phrase: punctuation, digits, Latin text
BREAK = re.compile(r"[^\u4e00-\u9fffA-Za-z]")
MAX_PHRASE = 16
#: base units that count things: the noun after them is what they count (ontology/units.tsv)
COUNT_UNITS = units_flagged("counts-noun")
#: POS tags (jieba's) that end a counted noun phrase after its measure word
STOP_TAGS = ("v", "p", "c", "d", "u", "x", "r", "m", "q", "t", "f", "y", "e", "o", "zg", "ul", "uj")
NOUN_LIKE_VERBS = frozenset({"vn"})
RATIO_UNITS = units_flagged("ratio")
#: 全年累计, 当年累计: a total within one period, not a running total to date
IN_PERIOD = "全年|当年|年内|本年|今年|年度|上半年|下半年|当月|本月|季度"
#: units after which a noun says what is measured, as after a count (1500亩土地, 10万元贷款)
NOUN_AFTER_UNITS = units_flagged("noun-after")
CONNECTORS = ("和", "及", "与", "或", "以及")
SUBJECT_MAX = 10     # characters of a subject's name before its head


class Affixes(tuple):
    """Words to strip from a phrase, in order (longest first), with the words by their first and
    by their last character, made once: stripping looks up one character instead of testing
    every word."""

    def __new__(cls, words=()):
        self = super().__new__(cls, words)
        first: dict[str, list[str]] = {}
        last: dict[str, list[str]] = {}
        for w in self:
            if not w:
                raise ValueError("an empty word cannot be stripped")
            first.setdefault(w[0], []).append(w)
            last.setdefault(w[-1], []).append(w)
        self.by_first = {c: tuple(ws) for c, ws in first.items()}
        self.by_last = {c: tuple(ws) for c, ws in last.items()}
        return self


#: words between a change verb and its number (增长了约6%)
NEAR_WORDS = Affixes(("了", "约", "近", "达", "超过"))
#: a clause's text before a number, cut into runs of blanks, of words and of anything else
PIECES = re.compile(r"( +|[^\u4e00-\u9fffA-Za-z ]+)")


@dataclass(frozen=True)
class Words:
    predicate: tuple[str, ...]
    change: tuple[str, ...]
    comparison: tuple[str, ...]
    lead: tuple[str, ...]
    cumulative: tuple[str, ...]
    subject: tuple[str, ...]
    generic: tuple[str, ...] = ()
    count: tuple[str, ...] = ()
    single: tuple[str, ...] = ()
    stop: tuple[str, ...] = ()
    head: tuple[str, ...] = ()
    implied: tuple[str, ...] = ()

    def __post_init__(self):
        # derived once (not fields: equality and hashing stay those of the words)
        for role in self.__dataclass_fields__:
            object.__setattr__(self, role, Affixes(getattr(self, role)))
        object.__setattr__(self, "implied_phrase", dict(x.split("=", 1) for x in self.implied))
        heads = "|".join(re.escape(h) for h in self.subject)
        object.__setattr__(self, "any_subject", re.compile(heads).search if heads else lambda s: None)


def read_words(path: Path) -> Words:
    roles: dict[str, list[str]] = {r: [] for r in Words.__dataclass_fields__}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        role, _, word = line.partition("\t")
        if role not in roles or not word.strip():
            raise ValueError(f"{path.name}: bad line {line!r} (want ROLE<TAB>WORD, ROLE one of {', '.join(roles)})")
        roles[role].append(word.strip())
    # longest first, so that 分别达到 is stripped before 达到
    return Words(**{r: tuple(sorted(set(ws), key=len, reverse=True)) for r, ws in roles.items()})


@lru_cache(maxsize=1)
def default_words() -> Words:
    return read_words(ontology_dir() / "measure-words.tsv")


def counted_labels(phrase: str, words: Words | None = None) -> list[str]:
    """The other ways of writing a measured phrase with or without a word that says "the number
    of" (贫困村 → 贫困村总数, 贫困村数量 …; 贫困村数 → 贫困村): labels that name the same thing."""
    out = []
    for w in (words or default_words()).count:
        out.append(phrase + w)
        if phrase.endswith(w) and len(phrase) > len(w) + 1:
            out.append(phrase[: -len(w)])
    return out


@dataclass(frozen=True)
class Measured:
    phrase: str          # what the quantity measures ("" when the clause does not say)
    measure: str         # level | change | cumulative
    subject: str | None  # a non-place thing the clause is about (…合作社, …基地)


def _strip_end(s: str, words: tuple[str, ...]) -> str:
    """``s`` without the words of ``words`` it ends with (the first of them that fits, again)."""
    by_last = (words if isinstance(words, Affixes) else Affixes(words)).by_last
    while s:
        for w in by_last.get(s[-1], ()):          # the words ending in s's last character, in order
            if s.endswith(w):
                s = s[: -len(w)]
                break
        else:
            break
    return s


def _strip_start(s: str, words: tuple[str, ...]) -> str:
    """``s`` without the words of ``words`` it starts with; a one-character word only where it
    is a word of its own (全 of 全县 is not 全 of 全力, 光 of 光伏)."""
    by_first = (words if isinstance(words, Affixes) else Affixes(words)).by_first
    while s:
        for w in by_first.get(s[0], ()):          # the words starting with s's first character, in order
            if s.startswith(w) and (len(w) > 1 or _alone_at_start(s)):
                s = s[len(w):]
                break
        else:
            break
    return s


def _alone_at_start(s: str) -> bool:
    """Whether the first character of ``s`` is a word of its own in jieba's segmentation."""
    from .segmenter import cut
    words = cut(s[:6])
    return bool(words) and len(words[0]) == 1


def last_piece(left: str, words: Words) -> str:
    """The words before a number up to the last punctuation or digit; when they are only a
    predicate ("…人均纯收入由[2013年]的5100元"), the words before the blanked time or place."""
    pieces = PIECES.split(left)
    tail = ""
    for k in range(len(pieces) - 1, -1, -1):
        piece = pieces[k]
        if not piece.strip():
            if piece:               # a blanked time, place or quantity: look past it
                continue
            continue
        if not HAN.match(piece[0]) and not piece[0].isalpha():
            break                   # punctuation or digits end the phrase
        if not tail and piece.strip() in CONNECTORS:
            break                   # "增长7%和8%": joined to the value before, whose phrase it shares
        tail = piece + tail
        if _strip_start(_strip_end(tail, words.predicate), words.lead):
            break
    return tail


def left_phrase(left: str, words: Words, ratio: bool = True) -> tuple[str, bool]:
    """The phrase ending a clause's text before a number (with times, places and quantities
    already blanked to spaces), and whether a change verb stands right before the number.
    Only a ratio (%, 个百分点, 倍) is a change: "增收2000元" is an amount of its own."""
    tail = last_piece(left, words)
    change = False
    near = _strip_end(tail, NEAR_WORDS)        # 增长了约6%: a change; 下降为1.3%: a level
    for w in words.change if ratio and near.endswith(words.change) else ():
        if near.endswith(w):
            change = True
            tail = _strip_end(near[: -len(w)], words.comparison)    # 年均增长: 年均 before 均
            break
    tail = _strip_end(tail, words.predicate)
    tail = tail[-MAX_PHRASE:]
    tail = _strip_start(tail, words.lead)
    if change:
        tail = _strip_end(_strip_start(tail, words.comparison), words.comparison)
    if len(tail) == 1 and (tail in words.lead or tail in words.predicate or tail in "和及与或、"):
        tail = ""
    return tail, change


def right_noun(right: str, tags, words: Words | None = None) -> str:
    """The noun right after a measure word ("贫困户参与种植" → 贫困户), from jieba's tags."""
    words = words or default_words()
    out = ""
    noun_end = 0            # the phrase up to its last noun: a relative modifier (未摘帽) is no noun
    modifier = False        # after 未/已: the verb of a relative modifier (10个未摘帽深度贫困县)
    for word, tag in tags(right[:MAX_PHRASE]):
        # a word added to the dictionary without a tag (the ontology's labels: "x") opens a noun phrase
        if tag == "x" and not out and HAN.match(word) and _known(word):
            out += word
            noun_end = len(out)
            continue
        if not out and word in RELATIVE_ADVERBS:
            out, modifier = word, True
            continue
        if not out and word in words.single:
            out = word                      # 12个镇, 5个村卫生室
            noun_end = len(out)
            continue
        if modifier and HAN.match(word) and tag.startswith("v"):
            out += word
            modifier = False
            continue
        modifier = False
        if not out and word in QUOTES:
            continue                        # 30名“第一书记”
        if out and HAN.match(word) and tag.startswith("v") and tag not in NOUN_LIKE_VERBS \
                and word not in words.predicate and word not in words.lead and len(word) >= 2:
            out += word                     # 环保督察反馈问题: a verb inside a noun, if a noun follows
            continue
        if not HAN.match(word) or (tag.startswith(STOP_TAGS) and tag not in NOUN_LIKE_VERBS) or word in words.stop:
            break
        out += word
        noun_end = len(out)
    out = out[:noun_end]
    return out if len(out) >= 2 or out in words.single else ""


QUOTES = frozenset("“\"「『‘")
#: adverbs that open a relative modifier of a counted noun (10户已脱贫户, 5个未出列村)
RELATIVE_ADVERBS = frozenset({"未", "尚未", "还未", "已", "已经", "没有"})


def _known(word: str) -> bool:
    from .segmenter import default_segmenter
    return default_segmenter().has_word(word)


def subject_of(left: str, words: Words, tags=None) -> str | None:
    """A thing named before the number whose name ends in a subject head (…合作社, …基地): the
    nouns right before the head, at least two characters of them (not a verb, not 的, not a
    run of generic modifiers such as 当地龙头 or 爱心帮扶; a lead such as 通过/依托 ends it)."""
    if not words.any_subject(left):         # the usual case: no head at all
        return None
    for piece in reversed(BREAK.split(left)):
        for head in words.subject:
            i = piece.rfind(head)
            if i < 2:
                continue
            before = piece[:i]
            name = ""
            for word, tag in reversed(tags(before) if tags else [(before, "n")]):
                if not HAN.match(word) or tag.startswith(("u", "p", "d", "c", "r", "m", "q", "y")) \
                        or word in words.lead or len(name) + len(word) > SUBJECT_MAX:
                    break
                name = word + name
            name = _strip_start(name, words.lead)
            if len(name) >= 2 and not _all_generic(name, words.generic):
                return name + head
            return None
    return None


def _all_generic(name: str, generic) -> bool:
    """Whether a name is only generic modifiers one after the other (当地龙头, 爱心帮扶): a kind of
    thing, not the name of one."""
    if not name:
        return True
    return any(name.startswith(g) and _all_generic(name[len(g):], generic) for g in generic)


def measured(left: str, right: str, base_unit: str, tags, words: Words | None = None) -> Measured:
    """What a quantity measures, from its clause's text before it (``left``, times, places and
    other quantities blanked) and after it up to the next quantity (``right``)."""
    words = words or default_words()
    phrase, change = left_phrase(left, words, base_unit in RATIO_UNITS)
    if not phrase and base_unit in RATIO_UNITS and right.startswith("的"):
        right = right[1:]                     # "35%的村民": a share of the villagers
    if not change and right and (HAN.match(right[0]) or right[0] in QUOTES):
        # a count is of the noun after its measure word (带动36户贫困户); an area, a weight or an
        # amount too when one follows it directly (1500多亩土地, 10万元无息贷款)
        counted = base_unit in COUNT_UNITS or not phrase
        noun = right_noun(right, tags, words) if counted or base_unit in NOUN_AFTER_UNITS else ""
        if noun and noun not in words.lead and noun not in words.predicate and (counted or len(noun) >= 2):
            phrase = noun
    implied = words.implied_phrase
    if base_unit in implied and (not phrase or right.startswith("的")):
        phrase = implied[base_unit]           # 30岁的小伙子: an age
    cumulative = any(w in left and not re.search(f"(?:{IN_PERIOD})" + re.escape(w), left) for w in words.cumulative)
    measure = "change" if change else "cumulative" if cumulative else "level"
    return Measured(phrase, measure, subject_of(left, words, tags))


def split_urban_rural(phrase: str, k: int, n: int) -> str:
    """"城乡居民人均可支配收入分别…X、Y": X is the towns' (城镇), Y the countryside's (农村)."""
    if n == 2 and phrase.startswith("城乡") and len(phrase) > 2:
        return ("城镇" if k == 0 else "农村") + phrase[2:]
    return phrase
