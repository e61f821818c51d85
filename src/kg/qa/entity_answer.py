"""Answering which-one questions (哪个县/哪家企业/谁/叫什么/什么卡/哪些) from the reports' sentences.

Such a question asks for a name, not a number. Its answer is the shortest span that fits what
is asked, in the sentence that best matches the question's words:

1. the question's **answer type** from its question word: a place of a level (哪个乡 → …乡),
   an organisation (哪家企业 → …公司/…厂), a person (谁, 叫什么 after a person's title),
   a thing named by its head noun (什么卡 → 绿卡, 什么模式 → “石门”), or a list (哪些 → the
   members of an enumeration);
2. the **sentence**: every sentence of the reports (of the place asked, when one is), ranked
   by the IDF-weighted share of the question's bigrams it holds (kg.qa.retrieve);
3. the **span**: candidates of that type in the sentence, less those the question names itself,
   the one nearest the words it matched.

Below ``THRESHOLD`` the question is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.entities import ORG_RE
from ..text.places import find_places
from ..text.segmenter import default_segmenter
from ..text.segments import sentences
from .retrieve import bm25_idf, content_terms
from .vocab import tokenizer
from .words import pattern

THRESHOLD = 0.5
#: words that describe the kind of answer asked rather than what the sentence says
GAP_KIND = pattern("gap-kind")
#: characters either side of a candidate name whose words tell it apart
NEAR = 12
#: two candidates whose words around differ by less than this share of the best's: ambiguous
AMBIGUOUS = 0.2
HAN = r"\u4e00-\u9fff"
PLACE_Q = pattern("entity-place")
ORG_Q = pattern("entity-org")
PERSON_Q = pattern("entity-person")
NAME_Q = pattern("entity-name")
WHAT_Q = pattern("entity-what")
LIST_Q = pattern("entity-list")
WHICH_THING_Q = pattern("entity-which")
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
        self.texts = texts
        self.items: list[Sentence] = []
        self.df: dict[str, int] = {}
        self.postings: dict[str, list[int]] = {}       # bigram → the sentences holding it
        for doc, text in texts.items():
            for s in sentences(text):
                k = len(self.items)
                self.items.append(Sentence(doc, s.start, s.end, s.text))
                for g in {s.text[i:i + 2] for i in range(len(s.text) - 1)}:
                    self.df[g] = self.df.get(g, 0) + 1
                    self.postings.setdefault(g, []).append(k)
        self.n = max(1, len(self.items))

    def idf(self, g: str) -> float:
        return bm25_idf(self.n, self.df.get(g, 0))

    def docs_naming(self, names) -> set[str]:
        """The reports whose text holds one of ``names``."""
        return {d for d, t in self.texts.items() if any(n in t for n in names)}

    def docs_with_tables(self, docs: set[str] | None) -> list[str]:
        """The reports (of ``docs``, or all) that may hold a table: every one here."""
        return [d for d in self.texts if docs is None or d in docs]

    def best(self, terms: list[str], docs: set[str] | None, limit: int = 5,
             optional: list[str] = ()) -> list[tuple[float, Sentence]]:
        """The sentences holding most of the weight of ``terms`` (``optional`` ones count when
        a sentence holds them, and are not missed when it does not), best first."""
        total = sum(self.idf(g) for g in terms) or 1.0
        scored = []
        # only sentences holding a word of the question can score: those of its postings
        found = sorted({k for g in terms for k in self.postings.get(g, ())})
        for s in (self.items[k] for k in found):
            if docs is not None and s.doc not in docs:
                continue
            got = sum(self.idf(g) for g in terms if g in s.text)
            if got:
                got += sum(self.idf(g) for g in optional if g in s.text)
                scored.append((min(1.0, got / total), s))
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
        return "name", head_noun(m.group(1))
    if PERSON_Q.search(question):
        return "person", ""
    m = WHAT_Q.search(question)
    if m:
        return "thing", head_noun(m.group(1))
    m = WHICH_THING_Q.search(question)
    if m:
        return "thing", head_noun(m.group(1))
    return None


def question_words(text: str) -> list[str]:
    """A question's words, by the question parser's own segmenter (kg.qa.vocab: not the
    extractor's, whose dictionary grows with the lexicon's labels when reports are read)."""
    return tokenizer().cut(text)


def head_noun(words: str) -> str:
    """The noun a phrase ends in: after its last 的, its last word when that has two characters
    or more (第一家客栈 → 客栈, 颜色的卡 → 卡)."""
    tail = words.rpartition("的")[2]
    last = question_words(tail)[-1] if tail else ""
    return last if len(last) >= 2 else tail


def candidates(kind: str, detail: str, text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` of the kind asked: (start, end, name)."""
    out: list[tuple[int, int, str]] = []
    if kind == "place":
        level = PLACE_LEVELS.get(detail, detail)
        out = [(p.start, p.end, p.name) for p in find_places(text) if p.name.endswith(detail) or p.level == level]
        if detail in ("村", "屯", "镇", "乡") and not out:
            # a village or town named by a common word (光明村): the word before the level character
            for m in re.finditer(detail, text):
                words = default_segmenter().cut(text[max(0, m.start() - 8):m.start()])
                if words and len(words[-1]) >= 2 and re.fullmatch(rf"[{HAN}]+", words[-1]):
                    out.append((m.start() - len(words[-1]), m.end(), words[-1] + detail))
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
        heads = [detail] if detail in text or len(detail) < 2 or kind != "thing" else [detail, detail[0]]  # 卡片 → 绿卡
        for head in heads if detail else ():
            for m in re.finditer(re.escape(head), text):
                run = re.search(rf"[{HAN}]{{1,6}}$", text[:m.start()])     # the words naming it (绿卡, 石门模式)
                if run:
                    out.append((run.start(), m.end(), run.group() + head))
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


def trimmed(c: tuple[int, int, str], kind: str = "") -> tuple[int, int, str]:
    """A span without the words that lead into a name (…的, 培育…, a suffix of the place before,
    and, in a name or a thing's name, a verb and what precedes it: 家里改建客栈 → 客栈)."""
    start, end, name = c
    m = LEAD_IN.match(name)
    if m and m.end() < len(name) - 1:
        start, name = start + m.end(), name[m.end():]
    if kind not in ("name", "thing"):
        return start, end, name
    words = default_segmenter().tag(name)
    at, cut = 0, 0
    for word, tag in words[:-1]:
        at += len(word)
        if tag.startswith("v") and tag != "vn":
            cut = at
    if cut:
        start, name = start + cut, name[cut:]
    return start, end, name


def own_words(name: str, question: str) -> bool:
    """The question's own words: a span most of whose bigrams the question has."""
    grams = [name[i:i + 2] for i in range(len(name) - 1)]
    return bool(grams) and sum(g in question for g in grams) > len(grams) / 2


def pick(kind: str, detail: str, question: str, s: Sentence, terms: list[str], idf=lambda g: 1.0) -> str | None:
    if kind in ("name", "thing", "person"):
        gap = gap_span(question, s.text, detail)
        if gap is not None and gap[2] not in question and not own_words(gap[2], question) \
                and (kind != "person" or len(gap[2]) <= 4):
            return gap[2]
    return pick_typed(kind, detail, question, s, terms, idf)


def pick_typed(kind: str, detail: str, question: str, s: Sentence, terms: list[str], idf=lambda g: 1.0) -> str | None:
    """The span of the kind asked in the sentence that the question does not name itself:
    a quoted name first, then the one with most of the question's words right around it
    (``NEAR`` characters either side: 自家开办的甲乙民宿 for 老张家开的民宿, 丙丁客栈，那是…
    第一家民宿 for 第一家民宿), then the one nearest the question's words found there."""
    spans = [trimmed(c, kind) for c in candidates(kind, detail, s.text)]
    spans = [c for c in spans if len(c[2]) >= 2 and c[2] != detail and c[2] not in question
             and not own_words(c[2], question)]
    if not spans:
        return None
    hits = [m.start() for g in terms for m in re.finditer(re.escape(g), s.text)]
    centre = sum(hits) / len(hits) if hits else 0

    telling = [g for g in terms if not (detail and g in detail)]     # 民宿 of 民宿叫什么 tells none apart

    def around(c) -> float:
        """The question's words within NEAR characters of the span, the nearer the more."""
        total = 0.0
        for g in telling:
            best = 0.0
            for m in re.finditer(re.escape(g), s.text[max(0, c[0] - NEAR - 1):c[1] + NEAR + 1]):
                at = max(0, c[0] - NEAR - 1) + m.start()
                d = c[0] - (at + len(g)) if at < c[0] else at - c[1] if at >= c[1] else -1
                if 0 <= d <= NEAR:
                    best = max(best, 1 - d / (2 * NEAR))
            total += idf(g) * best
        return round(total, 6)

    if kind == "list":
        return min(spans, key=lambda c: (abs((c[0] + c[1]) / 2 - centre), c[0]))[2]

    def key(c):
        quoted = s.text[c[0] - 1:c[0]] in "“\"" and c[0] > 0
        headed = bool(detail) and c[2].endswith(detail)         # a 民宿's name ends in 民宿
        return (not quoted, -around(c), not headed, abs((c[0] + c[1]) / 2 - centre), c[0])
    ranked = sorted({c[2]: c for c in reversed(spans)}.values(), key=key)     # one span per name
    if len(ranked) > 1 and ranked[0][2] != ranked[1][2]:
        k0, k1 = key(ranked[0]), key(ranked[1])
        a, b = -k0[1], -k1[1]
        if k0[0] == k1[0] and k0[2] == k1[2] and a - b <= AMBIGUOUS * a:
            return None         # two names the question's words fit about as well: not a guess
    return ranked[0][2]


#: a question's words before its gap, less the particles that join them to it (套种的是什么 → 套种)
GAP_AT = pattern("gap-at")
GAP_LEAD_OUT = pattern("gap-lead-out")
#: words between the anchor and the answer in the sentence (新发现了石门画眉, 深处的一个鲟鱼…)
GAP_LEAD_IN = re.compile(r"(?:了|的|是|为|着|过|一个|一家|一位|一种|一座|个|名|位|\s)*")
SPAN_END = re.compile(r"[，,。；;：:、！？!?“”\"（）()\s]|和|与|及|等|为|在|从|对|给|把|被|买来|引起|开始|实现|获")


def gap_span(question: str, sentence: str, detail: str = "") -> tuple[int, int, str] | None:
    """The answer where the question's gap falls in a sentence that words it the same way: the
    question's words right before its question word (the anchor: 套种的是什么经济作物 → 套种,
    新发现了什么鸟 → 新发现, 红军后代叫什么 → 红军后代) found in the sentence, and the words
    that follow them there up to a break, less the head the question names before them
    (套种经济作物金银花 → 金银花) — (start, end, name) in the sentence, or None."""
    q = GAP_AT.search(question)
    if q is None:
        return None
    before = GAP_LEAD_OUT.sub("", question[:q.start()])
    run = re.search(rf"[{HAN}]{{2,}}$", before)
    if run is None:
        return None
    anchor = run.group()
    for size in range(min(6, len(anchor)), 1, -1):          # the longest tail of the anchor the sentence has
        at = sentence.find(anchor[-size:])
        if at >= 0:
            break
    else:
        return None
    start = at + size
    start += GAP_LEAD_IN.match(sentence, start).end() - start
    if detail and sentence.startswith(detail, start):        # 经济作物金银花: the head, then the name
        start += len(detail)
    end = start
    while end < len(sentence) and not SPAN_END.match(sentence, end) and end - start < 12:
        end += 1
    if detail and detail in sentence[start:end]:              # 著名的石门景区不到…: up to the head
        end = sentence.index(detail, start) + len(detail)
    if "的" in sentence[start:end]:                           # a modifier before the name
        start = sentence.rindex("的", start, end) + 1
    name = sentence[start:end]
    if len(name) < 2 or not re.fullmatch(rf"[{HAN}]+", name):
        return None
    return start, end, name


#: a question about who wrote or delivered the report itself
AUTHOR_Q = pattern("author")
#: an opening line that signs the text: a title, then a name (…人民政府代区长  张三; 记者 李四)
SIGNATURE = re.compile(rf"(?:长|书记|主任|主席|记者|通讯员|作者)[\s：:]+([{HAN}]{{2,3}})\s*$")
OPENING_LINES = 6


def report_author(text: str) -> tuple[int, int, str] | None:
    """The person a report's opening lines name as its author or speaker: (start, end, name)."""
    pos = 0
    for line in text.split("\n")[:OPENING_LINES]:
        m = SIGNATURE.search(line)
        if m:
            return pos + m.start(1), pos + m.end(1), m.group(1)
        pos += len(line) + 1
    return None


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
    terms = content_terms(content, question_words)
    said = (detail if kind == "thing" else "") + " " + " ".join(GAP_KIND.findall(question))
    # the words of the kind asked (什么颜色的…卡片: the answer says 绿卡) count where a sentence has them
    kind_words = set(content_terms(said, question_words))
    optional = [g for g in terms if g in kind_words]
    terms = [g for g in terms if g not in kind_words] or terms
    for score, s in index.best(terms, docs, optional=optional if terms != optional else ()):
        if score < THRESHOLD:
            break
        name = pick(kind, detail, question, s, terms, index.idf)
        if name:
            return name, s, score
    return None
