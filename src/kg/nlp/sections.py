"""How a report's text divides for the fact rules (kg.nlp.facts): sentences rejoined across page
breaks, the items found in the text grouped by sentence, and the heading lines naming one year
(section_years) that date the facts under them."""

from __future__ import annotations

import bisect
import re

from ..text.segments import Segment
from ..text.timex import TimeExpr

SECTION_PLAN = re.compile(r"安排|计划|目标|任务|打算|展望|思路")


def join_broken_lines(text: str, spans: list[Segment]) -> list[Segment]:
    """Rejoin a sentence that a page break split ("…带动150多户贫\\n\\n困户年均增收…")."""
    out: list[Segment] = []
    for s in spans:
        if out:
            prev = out[-1]
            gap = text[prev.end:s.start]
            if (len(prev.text) >= 30 and not re.search(r"[。！？!?…”」』）)：:]$", prev.text) and gap.strip() == ""
                    and re.match(r"[\u4e00-\u9fff]", s.text)):
                out[-1] = Segment(prev.start, s.end, text[prev.start:s.end])
                continue
        out.append(s)
    return out


def group_by_sentence(sents: list[Segment], items: list, span) -> list[list]:
    """For each sentence, the items (``span(item)`` = (start, end)) that lie inside it, in their order.
    Sentences are sorted and disjoint, so only the last one starting at or before an item can hold it."""
    starts = [s.start for s in sents]
    groups: list[list] = [[] for _ in sents]
    for x in items:
        start, end = span(x)
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and end <= sents[i].end:
            groups[i].append(x)
    return groups


#: heading numbers, highest rank first: 一、 (1), （一） (2), 1. 1、 1.3 (3 + depth), （1） (9)
_NUMBERING = (
    (re.compile(r"[一二三四五六七八九十]+[、.．]"), 1),
    (re.compile(r"[(（][一二三四五六七八九十]+[)）]"), 2),
    (re.compile(r"[0-9]{1,2}(?:[.．][0-9]{1,2})*(?![0-9年月日%个万亿千百余多]|[.．][0-9])(?:[、.．]|\s|(?=[\u4e00-\u9fff]))"), 3),
    (re.compile(r"[(（][0-9]+[)）]"), 9),
)


def heading_rank(line: str) -> int | None:
    """The rank of a heading's number (smaller is higher: 一、 above （一） above 1. above 1.1
    above （1））, None when the line starts with no heading number."""
    for rx, rank in _NUMBERING:
        m = rx.match(line)
        if m:
            number = m.group().rstrip("、.． \t")
            return rank + number.count(".") + number.count("．") if rank == 3 else rank
    return None


def section_years(masked: str, times: list[TimeExpr]) -> list[tuple[int, int | None, bool]]:
    """(start offset, year, is a plan) of each heading line that names one year ("一、2018年工作
    回顾", "二、2019年工作安排"): the facts under it that state no time are of that year, and
    under a plan's heading they are targets, until the next such heading, or until a heading
    of the same or a higher rank that names none ("1.3 …（2015年至今）" ends at "2 调研工作"):
    that one is given with year None."""
    out: list[tuple[int, int | None, bool]] = []
    rank_of_year: int | None = None
    pos = 0
    for line in masked.split("\n"):
        stripped = line.strip()
        if 0 < len(stripped) <= 30 and not re.search(r"[。，,；;！？]", stripped):
            years = [t for t in times if pos <= t.start < pos + len(line) and t.kind == "year"]
            rank = heading_rank(stripped)
            if len(years) == 1:
                out.append((pos, years[0].start_year, bool(SECTION_PLAN.search(stripped))))
                rank_of_year = rank
            elif out and out[-1][1] is not None and rank is not None and rank_of_year is not None \
                    and rank <= rank_of_year:
                out.append((pos, None, False))
                rank_of_year = None
        pos += len(line) + 1
    return out
