"""Times a text gives by reference rather than by number (pure: no I/O).

- **relative to the report** — 今年/本年 (the report's year), 去年/上年 (the year before),
  前年 (two years before), 大前年 (three), 明年 (the year after), with 底/末 (year end),
  以来 (since) or a month after them (去年2月 → 2016-02 in a report of 2017). 比上年/较去年
  compare with the year before and date nothing. Without the report's year nothing is resolved.
- **anaphoric** — 当年/同年/该年/这一年 (with 底/末) is the year last named before it in the
  same paragraph; 次年/翌年/第二年 the one after it. Nothing is resolved across paragraphs: a
  当年 with no year before it in its paragraph (当年的30户贫困户, "back then") stays undated.

:func:`contextual_times` gives them as :class:`~kg.text.timex.TimeExpr` of the kinds
kg.text.timex gives, so that every rule that reads times reads these too.
"""

from __future__ import annotations

import re

from .timex import TimeExpr

__all__ = ["contextual_times", "with_contextual_times"]

RELATIVE = {"大前年": -3, "前年": -2, "去年": -1, "上年": -1, "上一年": -1, "今年": 0, "本年": 0, "本年度": 0,
            "明年": 1, "下一年": 1}
ANAPHORIC = {"当年": 0, "同年": 0, "该年": 0, "这一年": 0, "那一年": 0, "次年": 1, "翌年": 1, "第二年": 1}
_WORDS = sorted([*RELATIVE, *ANAPHORIC], key=len, reverse=True)
_RE = re.compile("(" + "|".join(_WORDS) + r")(底|末|年底|以来|([0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?(底|末)?)?")
#: a comparison with the year before (比上年增长6%) dates nothing
_COMPARED = re.compile(r"(?:比|较|同|与|和|跟|相比|对比)$")
_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
#: times an anaphor may refer to: one year, or a part of one
_DATED = ("year", "year_end", "half_year", "quarter", "month", "date")


def contextual_times(text: str, times: list[TimeExpr], report_year: int | None) -> list[TimeExpr]:
    """The times of ``text`` given by reference (see the module's docstring), not overlapping
    ``times`` (the numbered ones, kg.text.timex.find_times of the same text)."""
    taken = [(t.start, t.end) for t in times]
    out: list[TimeExpr] = []
    for m in _RE.finditer(text):
        a, b = m.start(), m.end()
        if any(x < b and a < y for x, y in taken):
            continue
        word = m.group(1)
        if word in RELATIVE:
            if report_year is None or _COMPARED.search(text[max(0, a - 2):a]):
                continue
            year = report_year + RELATIVE[word]
        else:
            before = _last_year_before(text, times, a)
            if before is None:
                continue
            year = before + ANAPHORIC[word]
        out.append(_expr(m, year))
    return out


def with_contextual_times(text: str, times: list[TimeExpr], report_year: int | None) -> list[TimeExpr]:
    """``times`` and the times given by reference, in text order."""
    extra = contextual_times(text, times, report_year)
    return sorted([*times, *extra], key=lambda t: t.start) if extra else list(times)


def _last_year_before(text: str, times: list[TimeExpr], at: int) -> int | None:
    """The year of the last time of one year (or part of one) before ``at`` in its paragraph."""
    paragraph = text.rfind("\n", 0, at) + 1
    found = [t for t in times if paragraph <= t.start and t.end <= at and t.kind in _DATED]
    return found[-1].end_year if found else None


def _expr(m: re.Match, year: int) -> TimeExpr:
    a, b, tail = m.start(), m.end(), m.group(2) or ""
    if m.group(3):
        month = int(m.group(3)) if m.group(3).isdigit() else _MONTHS.get(m.group(3))
        if month and 1 <= month <= 12:
            return TimeExpr(a, b, m.group(), "month", year, year, f"{year}-{month:02d}", f"{year}年{month}月",
                            month=month)
        b = m.end(1)
        tail = ""
    if tail in ("底", "末", "年底"):
        return TimeExpr(a, b, m.group()[:b - a], "year_end", year, year, f"{year}-YE", f"{year}年底")
    if tail == "以来":
        return TimeExpr(a, b, m.group()[:b - a], "since", year, year, f"{year}/", f"{year}年以来")
    return TimeExpr(a, b, m.group()[:b - a], "year", year, year, str(year), f"{year}年")
