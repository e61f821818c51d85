"""An observation's texts as questions are ranked against them (kg.qa.retrieve): its measured
phrase, the words around its value, its sentence and its own clause, in the canonical form of
the question parser (贫困户 → 贫困人口, 尚未 → 未: kg.qa.parse.canonical); and their character
bigrams. Pure functions of a :class:`~kg.qa.rows.Row`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .parse import canonical
from .rows import Row

HAN_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
CLAUSE_BREAK = re.compile(r"[，,；;]")


def bigrams(text: str) -> list[str]:
    """The character bigrams of each run of Chinese or Latin letters (a run of one: itself)."""
    out: list[str] = []
    for run in HAN_RUN.findall(text):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


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

    def grams(self) -> set[str]:
        """The bigrams of its sentence and phrase: what finds it (kg.qa.fact_index)."""
        return set(bigrams(self.sentence + " " + self.phrase))

    def phrase_grams(self, idf) -> list[tuple[str, float]]:
        """The phrase's bigrams with their IDF (``idf``: bigram → weight; cached)."""
        g = self.__dict__.get("_grams")
        if g is None:
            g = self.__dict__["_grams"] = [(x, idf(x)) for x in bigrams(self.phrase)]
        return g


def row_text(r: Row) -> RowText:
    """An observation's texts in the canonical form questions are ranked in."""
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
    """(document, offset of the sentence): the observations of one sentence share it."""
    m = r.first
    return (r.doc, m.sent_start if m else None)
