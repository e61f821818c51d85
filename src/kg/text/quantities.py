"""Quantities: number + unit + qualifier (+ rate denominator) in running text.

:func:`find_quantities` returns :class:`Quantity` objects, in text order and
non-overlapping.  A quantity is::

    [per prefix] [prefix qualifier] NUMBER [余|多] [UNIT] [suffix qualifier]

e.g. "每户每月2000元左右", "约890万度", "7000余名", "900多万元", "2万余亩",
"3-4个", "三到四个", "不低于2000元", "人均增收4500元以上", "百分之八十一",
"千余处", "上百元", "近万人" (a magnitude alone, with 余/多 after or 上/近/逾 before).

* value / unit are as written ("4.86" "亿元"); base_value / base_unit are
  normalised through :mod:`kg.text.units` (486000000 "元").  "900万" has
  unit "万" and base unit "" (a bare scale word).  A Chinese numeral that
  ends in 万/亿 is split like an Arabic one: "三十万元" is 30 万元.
* qualifier: exact | approximate (约 大约 近 将近 接近 左右) | lower_bound
  (余 多 以上 超过 逾 不低于 不少于 至少 ...) | upper_bound (以下 以内 不超过 不到
  不足 低于 ...) | range ("3-4个", "3至4个", "三到四个", "两三个").  A bound
  wins over "approximate".  近 before a duration ("近3年") means "recent",
  not "nearly", and is not read as a qualifier.
* per (rate denominator), conservative: a chain of 每X directly before the
  number (qualifier words may sit in between): "每户每月" -> "户·月",
  "每个贫困村" -> "贫困村", "每户贫困户" -> "贫困户" (X must end in a noun-like
  character); only a word naming the amount may sit in between ("每户每月收入
  2000元", "每户年分红1800元" -> "户·年"), so "每户贫困户出资1000元" or
  "每户发放1200元" have no per; or X均 followed by at most six
  characters ("人均增收4500元" -> "人", "户年均" -> "户·年"); or "元/人".
  Percentages never get a prefix per ("人均收入增长8%" is a ratio already).

Never returned: calendar years and anything inside a time expression of
:mod:`kg.text.timex`; months and days of dates ("5月", "20日"); document
numbers ("〔2017〕87号": bracketed bare numbers and numbers before 号);
ordinals (第一, 第3) and numbers right after 每 ("每一个村"); "80年代"; Arabic digits glued to Latin letters ("5G");
list markers at the start of a line ("1、"); Chinese numerals without a unit
("一对一", "两不愁", "十大", "十三五"), inside slogans ("一户一策"), before
性/化/式 ("一次性"), with the phase-like measure words 期/度/周/口/头/本/眼
("一期建设", "一度", "四周"), and digit strings other than two consecutive
digits ("二〇一五").  An Arabic number without a unit is returned with unit "".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from kg.text.normalize import normalize_width
from kg.text.numerals import CN_DIGITS, CN_NUMERAL_CHARS, NumberParseError, parse_number
from kg.text.timex import find_times
from kg.text.units import PERCENT_UNITS, SCALES, TIME_UNITS, UNITS, Unit, longest_unit_at, units_flagged

__all__ = ["Quantity", "find_quantities", "EXACT", "APPROXIMATE", "LOWER_BOUND",
           "UPPER_BOUND", "RANGE"]

EXACT, APPROXIMATE, LOWER_BOUND, UPPER_BOUND, RANGE = (
    "exact", "approximate", "lower_bound", "upper_bound", "range")


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    surface: str
    value: Decimal
    unit: str
    base_value: Decimal
    base_unit: str
    qualifier: str
    value_max: Decimal | None = None
    base_value_max: Decimal | None = None
    per: str | None = None


_PREFIX_QUALIFIERS: dict[str, str] = {
    "大约": APPROXIMATE, "将近": APPROXIMATE, "接近": APPROXIMATE, "约": APPROXIMATE,
    "近": APPROXIMATE,
    "超过": LOWER_BOUND, "逾": LOWER_BOUND, "不低于": LOWER_BOUND, "不少于": LOWER_BOUND,
    "至少": LOWER_BOUND, "最少": LOWER_BOUND, "多于": LOWER_BOUND, "高于": LOWER_BOUND,
    "大于": LOWER_BOUND,
    "不超过": UPPER_BOUND, "不到": UPPER_BOUND, "不足": UPPER_BOUND, "低于": UPPER_BOUND,
    "少于": UPPER_BOUND, "小于": UPPER_BOUND, "最多": UPPER_BOUND, "至多": UPPER_BOUND,
    "不高于": UPPER_BOUND, "不多于": UPPER_BOUND,
}
_PREFIX_ORDER = sorted(_PREFIX_QUALIFIERS, key=len, reverse=True)
# a qualifier word ending where the number starts; the leftmost match is the longest word
_PREFIX_RE = re.compile("(?:" + "|".join(map(re.escape, _PREFIX_ORDER)) + r")\Z")
_PREFIX_MAX = len(_PREFIX_ORDER[0])
# characters that turn 约 / 近 into part of another word (节约, 最近, 附近 ...)
_NOT_BEFORE = {"约": set("节制契合签预相公条特简隐婚违履邀誓盟"), "近": set("最附邻靠临贴")}
_SUFFIX_RE = re.compile(r"(?:\(含[^()\n]{0,12}\))?(左右|以上|以下|以内|之内)")
_SUFFIX_QUALIFIERS = {"左右": APPROXIMATE, "以上": LOWER_BOUND, "以下": UPPER_BOUND,
                      "以内": UPPER_BOUND, "之内": UPPER_BOUND}

_NOUN_END = "户人村月年天日周季亩家乡镇县区校社组队员生企业岗所座间套吨度株只头台辆项次场批名位期站厂园院店点力"
_CLASSIFIERS = set("户名位家所座间套亩人只头台辆株棵")
_HAN = r"[^\W\d_A-Za-z每均]"
# words naming what is measured, allowed between 每X and the number
_AMOUNT_WORDS = "纯收入|可支配收入|收入|增收|分红|补助|补贴|工资|收益|租金|奖补"
_EVERY_RE = re.compile(
    rf"(?P<chain>(?:每(?:一个|个)?{_HAN}{{0,3}}?[{_NOUN_END}])+)(?:(?P<gap>[年月])?(?:{_AMOUNT_WORDS}))?$")
_AVERAGE_RE = re.compile(rf"(?:([人户村亩])([年月])?|([年月日]))均{_HAN}{{0,6}}$")

_ARABIC_RE = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?")
_PLAIN_ARABIC_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_RANGE_SEP_RE = re.compile(r"\s*(?:-|–|—|~|〜|至|到)\s*")
_CANDIDATE_RE = re.compile("[0-9]|百分之|千分之|[" + "".join(sorted(CN_NUMERAL_CHARS)) + "]")
_ASCII_DIGITS = frozenset("0123456789")
_CN_POSITIONAL = set("十百千万亿拾佰仟")
_CN_BAD_UNITS = units_flagged("idiom")
#: a magnitude on its own, as in 千余处, 万余人, 上百元, 近万人
_MAGNITUDES = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10000)}
_OPEN, _CLOSE = set("([〔【［<《"), set(")]〕】］>》")
_LINE_START_JUNK = set(" \t#*->")


class _Num(NamedTuple):
    start: int
    end: int
    value: Decimal
    chinese: bool
    unit: Unit | None = None  # forced by 百分之 / 千分之
    value_max: Decimal | None = None


def _read_arabic(t: str, orig: str, i: int) -> _Num | None:
    if i and (t[i - 1] in _ASCII_DIGITS or t[i - 1] == "."):
        return None
    m = _ARABIC_RE.match(t, i)
    if "," in m.group() and any(orig[j] == "，" for j in range(i, m.end())):
        m = _PLAIN_ARABIC_RE.match(t, i)  # a full-width comma is punctuation
    return _Num(i, m.end(), parse_number(m.group()), False)


def _read_chinese(t: str, i: int) -> _Num | None:
    if i and t[i - 1] in CN_NUMERAL_CHARS:
        return None
    j = i
    while j < len(t) and (t[j] in CN_NUMERAL_CHARS or (
            t[j] == "点" and j > i and j + 1 < len(t) and t[j + 1] in CN_DIGITS)):
        j += 1
    raw = t[i:j]
    if raw in _MAGNITUDES and (t[j:j + 1] in ("余", "多") or t[i - 1:i] in ("上", "近", "逾")):
        return _Num(i, j, _MAGNITUDES[raw], True)     # 千余处, 万余人, 上百元, 近万人
    try:
        value = parse_number(raw)
    except NumberParseError:
        return None
    if len(raw) > 1 and not _CN_POSITIONAL.intersection(raw) and "点" not in raw:
        a, b = CN_DIGITS[raw[0]], CN_DIGITS[raw[-1]]
        if len(raw) == 2 and b == a + 1 and a > 0:  # 两三个, 七八户
            return _Num(i, j, Decimal(a), True, value_max=Decimal(b))
        return None  # digit-by-digit strings are years or codes, not amounts
    if raw[-1] in "万亿" and len(raw) > 1:  # 三十万元 -> 30 万元, like "30万元"
        unit = _read_unit(t, j - 1)
        if unit and unit[0].base:
            try:
                return _Num(i, j - 1, parse_number(raw[:-1]), True)
            except NumberParseError:
                pass
    return _Num(i, j, value, True)


def _read_number(t: str, orig: str, i: int) -> _Num | None:
    for prefix, unit in (("百分之", UNITS["%"]), ("千分之", UNITS["‰"])):
        if t.startswith(prefix, i):
            k = i + len(prefix)
            if prefix == "百分之" and t.startswith("百", k) and not (
                    k + 1 < len(t) and t[k + 1] in CN_NUMERAL_CHARS):
                return _Num(i, k + 1, Decimal(100), False, unit)
            inner = _read_number(t, orig, k) if k < len(t) else None
            if inner is None or inner.unit or inner.value_max is not None:
                return None
            return _Num(i, inner.end, inner.value, False, unit)
    if t[i] in _ASCII_DIGITS:
        return _read_arabic(t, orig, i)
    return _read_chinese(t, i)


def _read_unit(t: str, k: int) -> tuple[Unit, int, str | None] | None:
    """Unit at k as (unit, end, inner qualifier); joins 万+余+亩, 个+多+月."""
    unit = longest_unit_at(t, k)
    if unit is None:
        return None
    end = k + len(unit.name)
    if (unit.name in SCALES or unit.name == "个") and end < len(t) and t[end] in "余多":
        nxt = longest_unit_at(t, end + 1)
        if nxt and unit.name + nxt.name in UNITS:
            return UNITS[unit.name + nxt.name], end + 1 + len(nxt.name), LOWER_BOUND
    return unit, end, None


def _prefix_qualifier(t: str, s: int, unit: Unit | None) -> tuple[int, str | None]:
    m = _PREFIX_RE.search(t, max(0, s - _PREFIX_MAX), s)
    if m is None:
        return s, None
    word, b = m.group(), m.start()
    if word in _NOT_BEFORE and b and t[b - 1] in _NOT_BEFORE[word]:
        return s, None
    if word == "近" and unit is not None and unit.base in TIME_UNITS:
        return s, None  # 近3年 = "the last 3 years"
    return b, _PREFIX_QUALIFIERS[word]


def _per_prefix(t: str, s: int) -> tuple[int, list[str]]:
    window = t[max(0, s - 24):s]
    m = _EVERY_RE.search(window)
    if m:
        parts = []
        for noun in m.group("chain").split("每")[1:]:
            noun = noun.removeprefix("一个").removeprefix("个") or noun
            if len(noun) >= 3 and noun[0] in _CLASSIFIERS:
                noun = noun[1:]  # 每户贫困户 -> 贫困户
            parts.append(noun)
        if m.group("gap") and m.group("gap") not in parts:
            parts.append(m.group("gap"))  # 每户年分红 -> 户·年
        return s - len(m.group()), parts
    m = _AVERAGE_RE.search(window)
    if m:
        parts = [p for p in m.groups() if p]
        return s - len(m.group()), parts
    return s, []


def _is_line_start(t: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and t[j] in _LINE_START_JUNK:
        j -= 1
    return j < 0 or t[j] == "\n"


def _reject(t: str, num: _Num, unit: Unit | None, end: int) -> bool:
    """Filters for things that look like amounts but are not."""
    s = num.start
    before = t[s - 1] if s else ""
    after = t[end] if end < len(t) else ""
    if before in ("第", "每"):
        return True  # ordinals; 每一个 / 每10万人 are distributives, not amounts
    if not num.chinese and num.unit is None:
        if (before.isascii() and before.isalpha()) or (
                t[num.end:num.end + 1].isascii() and t[num.end:num.end + 1].isalpha()):
            return True  # 5G, G207, PM2.5
    integral = num.value == num.value.to_integral_value()
    top = num.value_max if num.value_max is not None else num.value
    if unit is not None:
        if unit.name == "月" and integral and 1 <= top <= 12:
            return True  # a month of a date
        if unit.name == "年" and (after == "代" or (integral and 1900 <= num.value <= 2100)):
            return True
    elif num.unit is None:
        if after in ("日", "号", "月"):
            return True
        if before in _OPEN and after in _CLOSE:
            return True  # 〔2017〕, (1)
        if after in "、.):" and after and integral and _is_line_start(t, s):
            return True  # list marker
    if num.chinese:
        if unit is None or not unit.base or unit.name in _CN_BAD_UNITS:
            return True
        if after and (after in "性化式" or after in CN_DIGITS):
            return True  # 一次性, 一户一策
    return False


def _read_range_end(t: str, text: str, num: _Num, unit: Unit | None, k: int,
                    covered: bytearray) -> tuple[Decimal, Unit, int] | None:
    """The upper end of "3-4个", "3至4个", "5万-10万元", "3%-5%" starting at k."""
    sep = _RANGE_SEP_RE.match(t, k)
    if not sep or sep.end() >= len(t) or not (
            t[sep.end()] in _ASCII_DIGITS or t[sep.end()] in CN_NUMERAL_CHARS):
        return None
    num2 = _read_number(t, text, sep.end())
    if (num2 is None or num2.chinese != num.chinese or num2.value_max is not None
            or num2.value <= num.value or any(covered[num2.start:num2.end])):
        return None
    found = (num2.unit, num2.end, None) if num2.unit else _read_unit(t, num2.end)
    if found is None:
        return None
    unit2 = found[0]
    if unit is None or unit.name == unit2.name or (
            unit.name in SCALES and unit2.name.startswith(unit.name)):
        return num2.value, unit2, found[1]
    return None


def _read_suffix(t: str, unit: Unit | None, k: int) -> tuple[int, list[str], str | None]:
    """"/人" rate suffix and 左右/以上/以下/以内 (or 余/多 after 万 or a duration)."""
    per: list[str] = []
    if unit is not None and t.startswith("/", k):
        nxt = longest_unit_at(t, k + 1)
        if nxt and nxt.base and nxt.name not in SCALES:
            per, k = [nxt.name], k + 1 + len(nxt.name)
    m = _SUFFIX_RE.match(t, k)
    if m:
        return m.end(), per, _SUFFIX_QUALIFIERS[m.group(1)]
    if (unit is not None and k < len(t) and t[k] in "余多"
            and (unit.name in SCALES or unit.base in TIME_UNITS)
            and longest_unit_at(t, k + 1) is None):  # 2万余, 1年多 (not 3年多次)
        return k + 1, per, LOWER_BOUND
    return k, per, None


def _make(text: str, t: str, num: _Num, prev_end: int, covered: bytearray) -> Quantity | None:
    if any(covered[num.start:num.end]):
        return None
    # NUMBER [余|多] [UNIT] or a range NUMBER [UNIT] - NUMBER UNIT
    k, inner_q, unit = num.end, None, num.unit
    if unit is None and k < len(t) and t[k] in "余多":
        k, inner_q = k + 1, LOWER_BOUND
    if unit is None and (found := _read_unit(t, k)):
        unit, k, q = found
        inner_q = inner_q or q
    if num.value_max is None and (upper := _read_range_end(t, text, num, unit, k, covered)):
        num = num._replace(value_max=upper[0])
        unit, k = upper[1], upper[2]
    if _reject(t, num, unit, k):
        return None
    # suffix, then prefix qualifier, then rate prefix
    k, per, suffix_q = _read_suffix(t, unit, k)
    start, prefix_q = _prefix_qualifier(t, num.start, unit)
    if prefix_q is None and num.chinese and t[num.start - 1:num.start] == "上" and t[num.start:num.end] in _MAGNITUDES:
        start, prefix_q = num.start - 1, LOWER_BOUND        # 上百元: a hundred or more
    if start < prev_end:
        start, prefix_q = num.start, None
    per_start, per_prefix = _per_prefix(t, start)
    if unit is not None and unit.base in PERCENT_UNITS:
        per_prefix = []  # a percentage is already a ratio
    if per_prefix and per_start >= prev_end:
        start, per = per_start, per_prefix + per
    if num.value_max is not None:
        qualifier = RANGE
    else:
        quals = [q for q in (prefix_q, inner_q, suffix_q) if q]
        bounds = [q for q in quals if q in (LOWER_BOUND, UPPER_BOUND)]
        qualifier = bounds[-1] if bounds else (quals[-1] if quals else EXACT)
    factor = unit.factor if unit else Decimal(1)
    return Quantity(
        start=start, end=k, surface=text[start:k], value=num.value,
        unit=unit.name if unit else "", base_value=_scaled(num.value, factor),
        base_unit=unit.base if unit else "", qualifier=qualifier,
        value_max=num.value_max,
        base_value_max=None if num.value_max is None else _scaled(num.value_max, factor),
        per="·".join(per) if per else None,
    )


def _scaled(value: Decimal, factor: Decimal) -> Decimal:
    d = value * factor
    return d.to_integral_value() if d == d.to_integral_value() else d.normalize()


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity of ``text`` (see the module docstring), in order."""
    t = normalize_width(text)
    covered = bytearray(len(t))
    for tx in find_times(text):
        covered[tx.start:tx.end] = b"\x01" * (tx.end - tx.start)
    out: list[Quantity] = []
    pos = prev_end = 0
    while True:
        m = _CANDIDATE_RE.search(t, pos)
        if not m:
            return out
        i = m.start()
        num = _read_number(t, text, i)
        if num is None:
            pos = i + 1
            continue
        q = _make(text, t, num, prev_end, covered)
        if q is None:
            pos = num.end
        else:
            out.append(q)
            pos = prev_end = q.end
