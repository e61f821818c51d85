"""Answering which-one questions (哪个县/哪家企业/谁/叫什么/什么卡/哪些) from the reports' sentences.

Such a question asks for a name, not a number. Its answer is the shortest span that fits what
is asked, in the sentence that best matches the question's words:

1. the question's **answer type** from its question word: a place of a level (哪个乡 → …乡),
   an organisation (哪家企业 → …公司/…厂), a person (谁, 叫什么 after a person's title),
   a thing named by its head noun (什么卡 → 红卡, 什么模式 → “肯福”), or a list (哪些 → the
   members of an enumeration);
2. the **sentence**: every sentence of the reports (of the place asked, when one is), ranked
   by the IDF-weighted share of the question's bigrams it holds (kg.qa.retrieve);
3. the **span**: candidates of that type in the sentence, less those the question names itself,
   the one nearest the words it matched.

Below ``THRESHOLD`` the question is refused.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..text.entities import ORG_RE
from ..text.places import find_places
from ..text.segmenter import default_segmenter
from ..text.segments import sentences
from .retrieve import content_terms

THRESHOLD = 0.5
HAN = r"\u4e00-\u9fff"
PLACE_Q = re.compile(r"(?:哪个|哪一个|哪座|什么)(省|自治区|市|州|县|区|旗|乡|镇|街道|村|社区|屯)")
ORG_Q = re.compile(r"(?:哪家|哪个|哪一家|什么)(企业|公司|单位|机构|组织|协会|合作社|工厂|厂|银行|学校|医院|水厂)")
PERSON_Q = re.compile(r"是谁|谁|叫什么名字?$|叫什么[？?]?$|名字是什么")
NAME_Q = re.compile(rf"([{HAN}]{{1,4}}?)(?:叫什么名字|叫什么|名字是什么|是哪家|是哪一家)")
WHAT_Q = re.compile(rf"什么(?:颜色的)?([{HAN}]{{1,4}}?)(?:[？?。]|$|呢)")
LIST_Q = re.compile(r"哪些|有哪几|哪几")
QUOTED = re.compile(r"[“\"]([^”\"\n]{1,12})[”\"]")
ENUMERATION = re.compile(rf"[{HAN}]{{1,10}}(?:、[{HAN}]{{1,10}})+")
ENUM_TRIM = re.compile(r"^(?:培育|发展|种植|推进|统筹推进|涉及品种有|品种有|包括|有|建立|前往|陆续前往)|(?:等.*|四大.*|三大.*|等地.*)$")
PERSON_TITLES = re.compile(r"书记|会长|村民|向导|区长|县长|市长|主任|后代|小伙子|老人|人$|者$")
PLACE_LEVELS = {"自治区": "省", "州": "市"}


@dataclass
class Sentence:
    doc: str
    start: int
    end: int
    text: str


class SentenceIndex:
    """Every sentence of the reports, with bigram document frequencies (made once per catalogue)."""

    def __init__(self, texts: dict[str, str]):
        self.items: list[Sentence] = []
        self.df: dict[str, int] = {}
        for doc, text in texts.items():
            for s in sentences(text):
                self.items.append(Sentence(doc, s.start, s.end, s.text))
                for g in {s.text[i:i + 2] for i in range(len(s.text) - 1)}:
                    self.df[g] = self.df.get(g, 0) + 1
        self.n = max(1, len(self.items))

    def idf(self, g: str) -> float:
        df = self.df.get(g, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def best(self, terms: list[str], docs: set[str] | None, limit: int = 5) -> list[tuple[float, Sentence]]:
        total = sum(self.idf(g) for g in terms) or 1.0
        scored = []
        for s in self.items:
            if docs is not None and s.doc not in docs:
                continue
            got = sum(self.idf(g) for g in terms if g in s.text)
            if got:
                scored.append((got / total, s))
        scored.sort(key=lambda x: -x[0])
        return scored[:limit]


def answer_type(question: str) -> tuple[str, str] | None:
    """(kind, detail) of what a which-one question asks, or None for other questions."""
    if LIST_Q.search(question):
        return "list", ""
    m = PLACE_Q.search(question)
    if m:
        return "place", m.group(1)
    m = ORG_Q.search(question)
    if m:
        return "org", m.group(1)
    m = NAME_Q.search(question)
    if m and not PERSON_TITLES.search(m.group(1)):
        return "name", m.group(1)
    if PERSON_Q.search(question):
        return "person", ""
    m = WHAT_Q.search(question)
    if m:
        return "thing", m.group(1)
    return None


def candidates(kind: str, detail: str, text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` of the kind asked: (start, end, name)."""
    out: list[tuple[int, int, str]] = []
    if kind == "place":
        level = PLACE_LEVELS.get(detail, detail)
        out = [(p.start, p.end, p.name) for p in find_places(text) if p.name.endswith(detail) or p.level == level]
        if detail == "屯":
            out += [(m.start(), m.end(), m.group()) for m in re.finditer(rf"[{HAN}]{{2,3}}屯", text)]
    elif kind == "org":
        out = [(m.start(), m.end(), m.group()) for m in ORG_RE.finditer(text)]
        out += [(m.start(), m.end(), m.group()) for m in re.finditer(rf"[{HAN}]{{2,10}}(?:厂|企业|水厂|研究所)", text)]
    elif kind == "person":
        pos = 0
        for word, tag in default_segmenter().tag(text):
            if tag == "nr" and 2 <= len(word) <= 4:
                out.append((pos, pos + len(word), word))
            pos += len(word)
    elif kind in ("name", "thing"):
        out = [(m.start(1), m.end(1), m.group(1)) for m in QUOTED.finditer(text)]
        for m in re.finditer(re.escape(detail), text) if detail else ():
            run = re.search(rf"[{HAN}]{{1,6}}$", text[:m.start()])     # the words naming it (蓝卡, 肯福模式)
            if run:
                out.append((run.start(), m.end(), run.group() + detail))
        if kind == "name":
            out += [(m.start(), m.end(), m.group()) for m in ORG_RE.finditer(text)]
            out += [(m.start(), m.end(), m.group()) for m in re.finditer(rf"[{HAN}]{{2,6}}(?:客栈|民宿|农家乐|酒店)", text)]
    elif kind == "list":
        for m in ENUMERATION.finditer(text):
            items = [x for x in (ENUM_TRIM.sub("", x) for x in m.group().split("、")) if len(x) >= 2]
            if len(items) >= 2:
                out.append((m.start(), m.end(), "、".join(items)))
    return out


LEAD_IN = re.compile(rf"^.*(?:的|是|培育|隔壁|成立|组建|引进|来自|一个|一家)|^[村乡镇县屯区市对给为向]")


def trimmed(c: tuple[int, int, str]) -> tuple[int, int, str]:
    """A span without the words that lead into a name (…的, 培育…, a suffix of the place before)."""
    start, end, name = c
    m = LEAD_IN.match(name)
    if m and m.end() < len(name) - 1:
        return start + m.end(), end, name[m.end():]
    return c


def own_words(name: str, question: str) -> bool:
    """The question's own words: a span most of whose bigrams the question has."""
    grams = [name[i:i + 2] for i in range(len(name) - 1)]
    return bool(grams) and sum(g in question for g in grams) > len(grams) / 2


def pick(kind: str, detail: str, question: str, s: Sentence, terms: list[str]) -> str | None:
    """The span of the kind asked in the sentence that the question does not name itself,
    nearest the question's words found there (a quoted name first)."""
    spans = [trimmed(c) for c in candidates(kind, detail, s.text)]
    spans = [c for c in spans if len(c[2]) >= 2 and c[2] != detail and c[2] not in question
             and not own_words(c[2], question)]
    if not spans:
        return None
    hits = [m.start() for g in terms for m in re.finditer(re.escape(g), s.text)]
    centre = sum(hits) / len(hits) if hits else 0

    def key(c):
        quoted = s.text[c[0] - 1:c[0]] in "“\"" and c[0] > 0
        return (not quoted, abs((c[0] + c[1]) / 2 - centre), c[0])
    return min(spans, key=key)[2]


def answer_entity(question: str, known: list[str], index: SentenceIndex,
                  docs: set[str] | None) -> tuple[str, Sentence, float] | None:
    """(name, sentence, score) for a which-one question, or None. ``known``: names that choose
    the documents (the reports' own places) rather than the sentence, left out of the ranking."""
    kind_detail = answer_type(question)
    if kind_detail is None:
        return None
    kind, detail = kind_detail
    content = question
    for name in sorted(known, key=len, reverse=True):
        content = content.replace(name, " ")
    terms = content_terms(content, default_segmenter().cut)
    for score, s in index.best(terms, docs):
        if score < THRESHOLD:
            break
        name = pick(kind, detail, question, s, terms)
        if name:
            return name, s, score
    return None
