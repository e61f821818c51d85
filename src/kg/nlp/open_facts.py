"""What the quantities of a clause measure, besides the lexicon's indicators (kg.nlp.facts):

- clause_measures: each quantity's phrase and sort of measure (kg.text.measure), read from the
  clause with its times, places, deictics and numbers blanked;
- contradicts: a phrase naming one population (城镇) is no fact of an indicator naming another (农村);
- joined_concepts: one group counted two ways ("250户520人") is one fact of the label after it;
- open_worthy: whether a quantity no indicator takes is an open fact, known by its phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..lexicon import Concept
from ..text.measure import Measured, measured, split_urban_rural
from ..text.quantities import Quantity
from ..text.segmenter import default_segmenter
from ..text.segments import Segment
from ..text.units import SCALES, TIME_UNITS, units_flagged

NO_SEPARATOR = re.compile(r"[^、，,；;：:]*")
ARABIC = re.compile(r"[0-9]")
CUMULATIVE = re.compile(r"累计")
CONNECTOR = re.compile(r"\s*[、和及与或]?\s*")
#: durations in years, months, weeks or hours ("近3年", "干了20年", "改革开放40年") are the prose's,
#: not statistics; days are counted in digits (空气优良天数达到350天), not in words (连续三天)
DAY_UNITS = units_flagged("day")
OPEN_SKIP_UNITS = TIME_UNITS - DAY_UNITS
#: measure words after which a small count in words is a statistic (三家机构, 四亩地)
WORD_COUNT_UNITS = units_flagged("word-count")
DIGIT = re.compile(r"[0-9零〇一二两三四五六七八九十百千万]")

#: words that set statistics of one population apart from another's: a lexicon indicator naming
#: one is not the fact of a phrase naming the other (城镇…收入 is not 农村…收入)
EXCLUSIVE = (("城镇", "农村"), ("城市", "农村"))


def contradicts(phrase: str, concept: Concept) -> bool:
    return any((a in phrase and b in concept.label and a not in concept.label)
               or (b in phrase and a in concept.label and b not in concept.label) for a, b in EXCLUSIVE)


def joined_concepts(masked: str, c_quant: list[Quantity], terms, ce: int,
                    fits: Callable[[Quantity, Concept], bool]) -> dict[int, list[Concept]]:
    """"建档立卡贫困户250户520人全部脱贫": one group counted two ways (households and
    persons) is one fact of the label after the group when one fits both (``fits``: the
    quantity's unit is one the concept is measured in), not a fact of the population named
    before it for the one and of the label after for the other."""
    out: dict[int, list[Concept]] = {}
    for a, b in zip(c_quant, c_quant[1:]):
        if masked[a.end:b.start] or {a.base_unit, b.base_unit} != {"户", "人"}:
            continue
        after = [x for x in terms if b.end <= x[0] and fits(a, x[2]) and fits(b, x[2])
                 and NO_SEPARATOR.fullmatch(masked[b.end:x[0]])]
        if after:
            first = min(after, key=lambda x: x[0])[2]
            out[a.start] = out[b.start] = [first]
    return out


def open_worthy(q: Quantity, m: Measured) -> bool:
    """An open fact needs a unit (a bare number is a list mark or a code) and a phrase; a
    duration ("连续3年", "改革开放40年") and a small count in words ("四个意识", "两不愁")
    are the prose's, not statistics."""
    if not (q.base_unit or q.unit in SCALES) or not m.phrase:
        return False
    if q.base_unit in OPEN_SKIP_UNITS:
        return False
    if q.base_unit in DAY_UNITS:
        return bool(ARABIC.search(q.surface))
    if ARABIC.search(q.surface) or q.base_value >= 10:
        return True
    # a small count in words is a fact with a measure word of things (三家机构, 四亩地, 两名干部),
    # not with 个/项/批 … (四个意识, 五个一批) nor of one (一户一策)
    return q.base_value >= 2 and q.unit in WORD_COUNT_UNITS


def clause_measures(masked: str, clause: Segment, c_quant: list[Quantity], c_times, c_places, c_deictic,
                    last_phrase: str, last_phrases: list[str] = ()) -> dict[int, Measured]:
    """What each quantity of a clause measures (kg.text.measure), by its start offset: the
    clause's text with its times, places, deictics and quantities blanked; a quantity with
    no phrase of its own takes the next one's when they are joined ("120户350名贫困人口"),
    and a change or a value in an enumeration takes the one before it."""
    if not c_quant:
        return {}
    cs, ce = clause.start, clause.end
    # a quantity's own words before its number ("人均年收入达1.26万元") say what it measures
    numbers = {}
    for q in c_quant:
        digit = DIGIT.search(masked, q.start, q.end)
        numbers[q.start] = digit.start() if digit else q.start
    blank = _blanked(masked, cs, ce, [*((t.start, t.end) for t in c_times), *((p.start, p.end) for p in c_places),
                                      *c_deictic, *((numbers[q.start], q.end) for q in c_quant)])
    tag = default_segmenter().tag
    out: dict[int, Measured] = {}
    for i, q in enumerate(c_quant):
        nxt = c_quant[i + 1].start if i + 1 < len(c_quant) else ce
        out[q.start] = measured(blank[:numbers[q.start] - cs], masked[q.end:nxt], q.base_unit, tag)
    bare = {q.start for q in c_quant if not out[q.start].phrase}    # no phrase of their own
    # "…分别完成X、Y，同比分别增长a、b": values of a 分别 clause with no phrase of their own are,
    # in order, of the phrases of the clause before with as many values
    if (len(c_quant) > 1 and len(last_phrases) == len(c_quant) and "分别" in masked[cs:c_quant[0].start]
            and not any(out[q.start].phrase for q in c_quant)):
        for q, ph in zip(c_quant, last_phrases):
            out[q.start] = replace(out[q.start], phrase=ph)
    # joined counts ("250户520人贫困人口"): the last one's noun is every one's
    for i in range(len(c_quant) - 2, -1, -1):
        q, n = c_quant[i], c_quant[i + 1]
        if not out[q.start].phrase and re.fullmatch(r"[、和及]?", masked[q.end:n.start]):
            out[q.start] = replace(out[q.start], phrase=out[n.start].phrase)
    previous, prev_q, prev_measure = last_phrase, None, "level"
    for q in c_quant:
        m = out[q.start]
        if not m.phrase and previous:
            out[q.start] = m = replace(m, phrase=previous)
        # a value in an enumeration ("分别增长7%和8%") is of the same sort as the one before
        if q.start in bare and prev_q is not None and CONNECTOR.fullmatch(masked[prev_q.end:numbers[q.start]]):
            out[q.start] = m = replace(m, measure=prev_measure)
        previous, prev_q, prev_measure = m.phrase or previous, q, m.measure
    # "城乡居民人均可支配收入分别完成X、Y"
    if len(c_quant) == 2 and "分别" in masked[cs:c_quant[0].start]:
        a, b = (out[q.start] for q in c_quant)
        if a.phrase == b.phrase:
            for k, q in enumerate(c_quant):
                out[q.start] = replace(out[q.start], phrase=split_urban_rural(a.phrase, k, 2))
    return out


def _blanked(text: str, start: int, end: int, spans) -> str:
    """``text[start:end]`` with the characters of ``spans`` (overlapping or not) made spaces."""
    parts, pos = [], start
    for a, b in sorted(spans):
        a, b = max(a, pos), min(b, end)
        if b > a:
            parts.append(text[pos:a])
            parts.append(" " * (b - a))
            pos = b
    parts.append(text[pos:end])
    return "".join(parts)
