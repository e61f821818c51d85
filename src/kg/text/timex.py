"""Time expressions of government reports: years, year ends, half years,
quarters, months, spans, "since" and five-year-plan periods.

:func:`find_times` scans the text left to right and returns non-overlapping
:class:`TimeExpr` objects.  Recognised (Arabic or Chinese digit-by-digit
years, full-width digits allowed; a year must have four digits and lie in
1900..2100, so "30年" or "17年" are never years)::

    year        2015年  2015年度  二〇一五年                 -> "2015"
    year_end    2017年底  2017年末  截至2017年底  到2017年底     -> "2017-YE"
    half_year   2018年上半年 / 下半年                         -> "2018-H1" / "-H2"
    quarter     2018年第一季度  2018年一季度                   -> "2018-Q1"
    month       2018年5月  2018年5月份  2018年6月底            -> "2018-05"
    date        2018年5月20日                                -> "2018-05-20"
    span        2014年至2016年  2014-2016年  2014—2016  2014年到2017年 -> "2014/2016"
    since       2017年以来  2015年至今  自1986年起             -> "2017/"
    plan_period 十三五  “十三五”期间  十三五时期                -> "2016/2020"

Year lists such as "2014、2015、2016各年度" give one ``year`` per item; the
surface of an item is its number, plus "年"/"年度" when directly attached.

Five-year plans: the n-th plan starts in 1966 + 5 (n - 3) for n >= 3 (the
1st plan ran 1953-1957, the 2nd 1958-1962, then 1963-1965 were adjustment
years), so 十一五 = 2006-2010, 十三五 = 2016-2020, 十四五 = 2021-2025.
Only the ordinals 十一..十九 are read ("十五" alone is too ambiguous).

Document numbers ("〔2017〕87号") carry no "年" and are never matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.text.normalize import normalize_width

__all__ = ["TimeExpr", "find_times", "plan_years"]


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int
    surface: str
    kind: str  # year | year_end | half_year | quarter | month | date | span | since | plan_period
    start_year: int
    end_year: int
    label: str
    zh: str
    month: int | None = None
    half: int | None = None
    quarter: int | None = None
    day: int | None = None


_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}
_NUMERALS = set(_CN_DIGIT) | set("十百千万亿两")
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_ORDINALS = "一二三四五六七八九"

_YEAR_END_CUES = ("截至到", "截止到", "截至", "截止", "到", "至")
_SINCE_PREFIXES = ("自", "从")
_SPAN_SEP_RE = re.compile(r"\s*(?:至|到|——|--|[-–—~－])\s*")
_LIST_SEP = "、和及与"  # not commas: "注资2000,2015年追加" is no list
_SMALL_NUM_RE = re.compile(r"1[0-2]|0?[1-9]|3[01]|[12][0-9]|十[一二]|[一二三四五六七八九十]")
_DAY_RE = re.compile(r"(3[01]|[12][0-9]|0?[1-9])[日号]")
_QUARTER_RE = re.compile(r"第?([一二三四1-4])季度")
_PLAN_RE = re.compile(r"([“\"「‘]?)十([一二三四五六七八九])五([”\"」’]?)(期间|时期)?")
# where a time may start; a digit right after a digit or a decimal point never starts a year
_CANDIDATE_RE = re.compile(r"(?<![0-9.])[0-9]|[〇零○一二三四五六七八九截到至自从十“\"「‘]")


def plan_years(ordinal: int) -> tuple[int, int]:
    """Years of the n-th five-year plan (n >= 3): 13 -> (2016, 2020)."""
    start = 1966 + 5 * (ordinal - 3)
    return start, start + 4


def _year_at(t: str, i: int) -> tuple[int, int] | None:
    """(year, end) for a 4-digit plausible year starting exactly at i."""
    chunk = t[i:i + 4]
    if len(chunk) < 4:
        return None
    before = t[i - 1] if i else ""
    after = t[i + 4] if i + 4 < len(t) else ""
    if chunk.isascii() and chunk.isdigit():
        if before and (before.isdigit() or before == "." or before.isascii() and before.isalpha()):
            return None
        if after and (after.isdigit() or after == "."):
            return None
        year = int(chunk)
    elif all(ch in _CN_DIGIT for ch in chunk):
        if (before and before in _NUMERALS) or (after and after in _NUMERALS):
            return None
        year = int("".join(str(_CN_DIGIT[ch]) for ch in chunk))
    else:
        return None
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    return year, i + 4


def _small_number(t: str, i: int, upper: int) -> tuple[int, int] | None:
    m = _SMALL_NUM_RE.match(t, i)
    if not m:
        return None
    s = m.group()
    value = int(s) if s.isascii() else _CN_SMALL[s]
    if not 1 <= value <= upper:
        return None
    return value, m.end()


def _make(t: str, start: int, end: int, kind: str, y1: int, y2: int, label: str,
          zh: str, **extra) -> TimeExpr:
    return TimeExpr(start, end, t[start:end], kind, y1, y2, label, zh, **extra)


def _year_list(t: str, orig: str, i: int, first: tuple[int, int]) -> list[TimeExpr] | None:
    items = [(i, first[0], first[1])]
    k = first[1]
    while k < len(t) and t[k] in _LIST_SEP:
        nxt = _year_at(t, k + 1)
        if not nxt:
            break
        items.append((k + 1, nxt[0], nxt[1]))
        k = nxt[1]
    if len(items) < 2:
        return None
    last_end = items[-1][2]
    tail = t[last_end:last_end + 3]
    if tail.startswith("年度"):
        last_end += 2
    elif tail.startswith("年"):
        last_end += 1
    elif not tail.startswith("各年"):
        return None
    out = []
    for n, (s, year, e) in enumerate(items):
        end = last_end if n == len(items) - 1 else e
        out.append(_make(orig, s, end, "year", year, year, str(year), f"{year}年"))
    return out


def _span(t: str, orig: str, i: int, y1: int, k: int) -> TimeExpr | None:
    has_nian = t.startswith("年", k)
    if has_nian:
        k += 1
    m = _SPAN_SEP_RE.match(t, k)
    if not m:
        return None
    second = _year_at(t, m.end())
    if not second or not 0 < second[0] - y1 <= 50:
        return None
    y2, end = second
    if t.startswith("年", end):
        end += 1
        if t.startswith(("度", "底", "末"), end):
            end += 1
    elif not has_nian and m.group().strip() not in "-–—~－——":
        return None  # "2014至2016" without any 年 is too weak
    return _make(orig, i, end, "span", y1, y2, f"{y1}/{y2}", f"{y1}年至{y2}年")


def _after_year(t: str, orig: str, i: int, year: int, k: int) -> TimeExpr:
    """Everything that may follow "YYYY年" (k is just after 年)."""
    for word, half in (("上半年", 1), ("下半年", 2)):
        if t.startswith(word, k):
            return _make(orig, i, k + 3, "half_year", year, year, f"{year}-H{half}",
                         f"{year}年{word}", half=half)
    m = _QUARTER_RE.match(t, k)
    if m:
        q = int(m.group(1)) if m.group(1).isdigit() else _ORDINALS.index(m.group(1)) + 1
        return _make(orig, i, m.end(), "quarter", year, year, f"{year}-Q{q}",
                     f"{year}年第{_ORDINALS[q - 1]}季度", quarter=q)
    mon = _small_number(t, k, 12)
    if mon and t.startswith("月", mon[1]):
        month, end = mon[0], mon[1] + 1
        if t.startswith("份", end):
            end += 1
        d = _DAY_RE.match(t, end)
        if d and int(d.group(1)) >= 1:
            day = int(d.group(1))
            return _make(orig, i, d.end(), "date", year, year, f"{year}-{month:02d}-{day:02d}",
                         f"{year}年{month}月{day}日", month=month, day=day)
        if t.startswith(("底", "末"), end):
            end += 1
        return _make(orig, i, end, "month", year, year, f"{year}-{month:02d}",
                     f"{year}年{month}月", month=month)
    for word in ("年底", "年末", "底", "末"):
        if t.startswith(word, k):
            return _make(orig, i, k + len(word), "year_end", year, year, f"{year}-YE",
                         f"{year}年底")
    for word in ("以来", "至今", "迄今", "到现在", "来", "起"):
        if t.startswith(word, k):
            return _make(orig, i, k + len(word), "since", year, year, f"{year}/",
                         f"{year}年以来")
    end = k + 1 if t.startswith("度", k) else k
    return _make(orig, i, end, "year", year, year, str(year), f"{year}年")


def _plan(t: str, orig: str, i: int) -> TimeExpr | None:
    m = _PLAN_RE.match(t, i)
    if not m:
        return None
    shi = m.start() + len(m.group(1))  # position of 十
    if shi and t[shi - 1] in _NUMERALS:
        return None
    nxt = t[m.end(3) if m.group(3) else m.end(2) + 1:][:1]
    if not m.group(3) and nxt and (nxt in _NUMERALS or nxt in "个年万"):
        return None  # "十三五个" or a longer numeral, not a plan name
    end = m.end()
    n = 10 + _ORDINALS.index(m.group(2)) + 1
    y1, y2 = plan_years(n)
    return _make(orig, i, end, "plan_period", y1, y2, f"{y1}/{y2}",
                 f"“十{m.group(2)}五”期间")


def _parse_at(t: str, orig: str, i: int) -> list[TimeExpr] | None:
    for cue in _YEAR_END_CUES:
        if t.startswith(cue, i):
            y = _year_at(t, i + len(cue))
            if y and t.startswith("年", y[1]):
                for word in ("年底", "年末", "底", "末"):
                    if t.startswith(word, y[1] + 1):
                        end = y[1] + 1 + len(word)
                        return [_make(orig, i, end, "year_end", y[0], y[0], f"{y[0]}-YE",
                                      f"{y[0]}年底")]
            break
    for prefix in _SINCE_PREFIXES:
        if t.startswith(prefix, i):
            y = _year_at(t, i + 1)
            if y and t.startswith("年", y[1]):
                for word in ("以来", "起"):
                    if t.startswith(word, y[1] + 1):
                        return [_make(orig, i, y[1] + 1 + len(word), "since", y[0], y[0],
                                      f"{y[0]}/", f"{y[0]}年以来")]
    plan = _plan(t, orig, i)
    if plan:
        return [plan]
    y = _year_at(t, i)
    if not y:
        return None
    year, k = y
    span = _span(t, orig, i, year, k)
    if span:
        return [span]
    if k < len(t) and t[k] in _LIST_SEP:
        items = _year_list(t, orig, i, y)
        if items:
            return items
    if not t.startswith("年", k):
        return None
    return [_after_year(t, orig, i, year, k + 1)]


def find_times(text: str) -> list[TimeExpr]:
    """All time expressions in ``text``, in order and non-overlapping."""
    return list(_find_times(text))


@lru_cache(maxsize=8)   # find_quantities and the kg_times component both scan the same report text
def _find_times(text: str) -> tuple[TimeExpr, ...]:
    t = normalize_width(text)
    out: list[TimeExpr] = []
    pos = 0
    while True:
        m = _CANDIDATE_RE.search(t, pos)
        if not m:
            return tuple(out)
        found = _parse_at(t, text, m.start())
        if found:
            out.extend(found)
            pos = found[-1].end
        else:
            pos = m.start() + 1
