"""Questions that ask several things at once, split into questions of one thing each (pure).

* **several times or places, one measure** — "安平县农民人均纯收入2013年和现在分别是多少",
  "石门县2018年和平安县截至2019年底脱贫的贫困户分别有多少户": the places and times joined by
  和/与/及/、 (with 截至, 到, 底 … around them) are the parts; each part with the rest of the
  question, less 分别/各, is one question.
* **two measures side by side** — "A的X和B的Y各是多少", "A和B，哪个更高": the words before and
  after 和 are two questions of their own ("…是多少"); 哪个更高/更大/更多 (更低 …) asks which of
  the two is larger, by the noun it names (哪个面积更大 → 面积).

A sum (一共, 合计), a difference (相差, 多多少) or a span (2014年到2016年) is one question, not
several: :func:`decompose` gives None for them, and for anything it cannot split cleanly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.timex import find_times
from .words import pattern

JOIN = pattern("join")
EACH = pattern("several")
ONE_QUESTION = pattern("one-question")
WHICH_MORE = pattern("which-more")
#: words joining places and times in one part (截至2019年底, 到2014年初, 现在)
NOW = pattern("now")
GLUE = pattern("glue")
PUNCT = re.compile(r"[？?。！!]+$")


@dataclass(frozen=True)
class Compound:
    parts: list[str]        # one question each
    labels: list[str]       # what each part is about, as the question writes it
    mode: str = "each"      # each | max | min


def _spans(text: str, places: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Places, times and 现在 of ``text``, in order."""
    found = list(places) + [(t.start, t.end) for t in find_times(text)] + [m.span() for m in NOW.finditer(text)]
    return sorted(set(found))


def _run(text: str, spans: list[tuple[int, int]], start: int, step: int) -> tuple[int, int] | None:
    """The run of places and times (glued by 截至/到/的/底 …) that ends at ``start`` (step -1) or
    begins there (step 1), as (start, end); None when none touches ``start``."""
    if step > 0:
        pos, a = start, None
        while True:
            glue = GLUE.match(text, pos)
            nxt = next((s for s in spans if s[0] == pos or (glue and s[0] == glue.end())), None)
            if nxt is None:
                break
            a = start if a is None else a
            pos = nxt[1]
        return (start, pos) if a is not None else None
    pos, b = start, None
    while True:
        nxt = next((s for s in spans if s[1] == pos or (s[1] < pos and GLUE.fullmatch(text[s[1]:pos]))), None)
        if nxt is None:
            break
        b = start if b is None else b
        pos = nxt[0]
        glue = re.search(rf"(?:{GLUE.pattern})$", text[:pos])
        if glue and any(s[1] == glue.start() for s in spans):
            pos = glue.start()
    return (pos, start) if b is not None else None


def _clean(q: str) -> str:
    q = EACH.sub("", q)
    return q if PUNCT.search(q) else q + "？"


def decompose(question: str, places: list[tuple[int, int]]) -> Compound | None:
    """The questions ``question`` asks, when it asks several (see the module's docstring);
    ``places``: the (start, end) of the places it names. None for a question of one thing."""
    text = PUNCT.sub("", question)
    if ONE_QUESTION.search(text):
        return None
    which = WHICH_MORE.search(text)
    if which:
        return _comparison(text, which, places)
    if not EACH.search(text):
        return None
    spans = _spans(text, places)
    for m in JOIN.finditer(text):
        left, right = _run(text, spans, m.start(), -1), _run(text, spans, m.end(), 1)
        if left is None or right is None:
            continue
        # a span of years (2014年到2016年) is one time, not two parts
        if any(t.start < m.start() and m.end() <= t.end for t in find_times(text)):
            return None
        if not any(right[0] <= p[0] < right[1] for p in places):
            # 柳沟村2015年底和2019年: the place is both parts', only the times are the parts'
            times = [s for s in spans if left[0] <= s[0] < left[1] and not any(s[0] == p[0] for p in places)]
            if not times:
                continue
            left = (times[0][0], left[1])
        prefix, rest = text[:left[0]], text[right[1]:]
        a, b = text[left[0]:left[1]], text[right[0]:right[1]]
        return Compound([_clean(prefix + a + rest), _clean(prefix + b + rest)], [a, b])
    # two measures side by side: "A的X和B的Y各是多少"
    each = EACH.search(text)
    m = next((j for j in JOIN.finditer(text, 0, each.start())), None)
    if m is None or not any(p[1] <= m.start() for p in places) or not any(m.end() <= p[0] < each.start() for p in places):
        return None
    ask = text[each.end():]
    a, b = text[:m.start()], text[m.end():each.start()]
    return Compound([_clean(a + ask), _clean(b + ask)], [_label(a, 0, places), _label(b, m.end(), places)])


def _comparison(text: str, which: re.Match, places: list[tuple[int, int]]) -> Compound | None:
    """A和B，哪个(面积)更大: both parts asked "…是多少" (with the noun named before 更), and the
    larger (更低 …: the smaller) named."""
    body = text[:which.start()].rstrip("，,")
    m = None
    for j in JOIN.finditer(body):
        m = j                        # the last 和 of the body joins the two things compared
    if m is None or not any(p[1] <= m.start() for p in places):
        return None
    noun = which.group(1)
    a, b = body[:m.start()], body[m.end():]
    if not a or not b or not any(m.end() <= p[0] for p in places):
        return None
    mode = "min" if which.group(2) in ("低", "小", "少", "慢") else "max"
    labels = [_label(a, 0, places), _label(b, m.end(), places)]
    return Compound([_clean(a + noun + "是多少"), _clean(b + noun + "是多少")], labels, mode)


def _label(part: str, offset: int, places: list[tuple[int, int]]) -> str:
    """What a part is about, as written: its first place, else the part itself."""
    inside = [p for p in places if offset <= p[0] and p[1] <= offset + len(part)]
    return part[inside[0][0] - offset:inside[0][1] - offset] if inside else part
