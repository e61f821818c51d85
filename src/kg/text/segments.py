"""Sentences and clauses, with character offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』)]?|\n|$)")
CLAUSE_SEP = re.compile(r"[，,；;：:（）()]")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str


def _trimmed(text: str, start: int, end: int) -> Segment | None:
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    if right <= left:
        return None
    return Segment(start + left, start + right, chunk[left:right])


def sentences(text: str) -> list[Segment]:
    """Split on 。！？ and line ends; a heading line is a sentence of its own."""
    out: list[Segment] = []
    for m in SENTENCE_END.finditer(text):
        if m.end() == m.start():
            continue
        seg = _trimmed(text, m.start(), m.end())
        if seg and re.search(r"[\w\u4e00-\u9fff]", seg.text):
            out.append(seg)
    return out


def clauses(sentence: Segment) -> list[Segment]:
    """Split a sentence on ，；： and parentheses (not on 、, which joins enumerations)."""
    out: list[Segment] = []
    pos = 0
    for m in CLAUSE_SEP.finditer(sentence.text):
        seg = _trimmed(sentence.text, pos, m.start())
        if seg:
            out.append(Segment(sentence.start + seg.start, sentence.start + seg.end, seg.text))
        pos = m.end()
    seg = _trimmed(sentence.text, pos, len(sentence.text))
    if seg:
        out.append(Segment(sentence.start + seg.start, sentence.start + seg.end, seg.text))
    return out
