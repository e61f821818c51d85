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


WORDY = re.compile(r"[\w\u4e00-\u9fff]")


def _trimmed(text: str, start: int, end: int, offset: int = 0) -> Segment | None:
    """``text[start:end]`` without the whitespace around it, at ``offset`` + its place in ``text``."""
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    if right <= left:
        return None
    return Segment(offset + start + left, offset + start + right, chunk[left:right])


def sentences(text: str) -> list[Segment]:
    """Split on 。！？ and line ends; a heading line is a sentence of its own."""
    out: list[Segment] = []
    for m in SENTENCE_END.finditer(text):
        if m.end() == m.start():
            continue
        seg = _trimmed(text, m.start(), m.end())
        if seg and WORDY.search(seg.text):
            out.append(seg)
    return out


def clauses(sentence: Segment) -> list[Segment]:
    """Split a sentence on ，；： and parentheses (not on 、, which joins enumerations)."""
    out: list[Segment] = []
    pos = 0
    text, offset = sentence.text, sentence.start
    for m in CLAUSE_SEP.finditer(text):
        seg = _trimmed(text, pos, m.start(), offset)
        if seg:
            out.append(seg)
        pos = m.end()
    seg = _trimmed(text, pos, len(text), offset)
    if seg:
        out.append(seg)
    return out
