"""Parsing of Arabic, Chinese and mixed numerals into :class:`~decimal.Decimal`.

Supported forms (full-width digits are accepted)::

    "4321"  "1234567.89"  "1,200"  "４５"           Arabic
    "一千二百"  "两百"  "十"  "二〇一五"  "零点五"     Chinese (via cn2an)
    "3.72亿"  "2468.5万"  "1.5万亿"                 Arabic + scale word
    "百分之八十一" -> 81, "千分之五" -> 5              percent / permille body

Chinese integers are converted by ``cn2an`` (its "normal" mode, which also
reads digit-by-digit strings such as "二〇一五"); decimal fractions after
"点" and Arabic numbers are handled here so that no float is involved.
Every failure, whatever cn2an raises, surfaces as :class:`NumberParseError`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import cn2an

from kg.text.normalize import normalize_width

__all__ = [
    "NumberParseError",
    "CN_DIGITS",
    "CN_NUMERAL_CHARS",
    "parse_number",
    "to_chinese",
]


class NumberParseError(ValueError):
    """Raised when a string is not a number this module can read."""


#: Chinese digit characters and their values (used for digits after "点").
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
_CN_POSITIONAL = "十百千万亿拾佰仟"
#: Every character that may occur in a Chinese numeral (except "点").
CN_NUMERAL_CHARS = frozenset(CN_DIGITS) | frozenset(_CN_POSITIONAL)

_SCALES: dict[str, Decimal] = {
    "十": Decimal(10), "百": Decimal(100), "千": Decimal(1000),
    "万": Decimal(10**4), "十万": Decimal(10**5), "百万": Decimal(10**6),
    "千万": Decimal(10**7), "亿": Decimal(10**8), "万亿": Decimal(10**12),
}
_ARABIC = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_ARABIC_SCALED_RE = re.compile(
    rf"({_ARABIC})(万亿|千万|百万|十万|万|亿|千|百|十)?"
)
_PERCENT_PREFIXES = ("百分之", "千分之")


def _clean(d: Decimal) -> Decimal:
    """Drop a meaningless fractional zero tail: 486000000.00 -> 486000000."""
    if d == d.to_integral_value():
        return d.to_integral_value()
    return d.normalize()


def _cn_integer(s: str) -> Decimal:
    if not s or any(ch not in CN_NUMERAL_CHARS for ch in s):
        raise NumberParseError(f"not a Chinese numeral: {s!r}")
    try:
        value = cn2an.cn2an(s, "normal")
    except Exception as exc:  # cn2an raises ValueError, KeyError, ...
        raise NumberParseError(f"not a Chinese numeral: {s!r}") from exc
    if not isinstance(value, int) or value < 0:
        raise NumberParseError(f"not a Chinese integer: {s!r}")
    return Decimal(value)


def _cn_number(s: str) -> Decimal:
    if "点" not in s:
        return _cn_integer(s)
    whole, _, frac = s.partition("点")
    if not frac or any(ch not in CN_DIGITS or ch == "两" for ch in frac):
        raise NumberParseError(f"bad Chinese decimal: {s!r}")
    digits = "".join(str(CN_DIGITS[ch]) for ch in frac)
    return _cn_integer(whole) + Decimal("0." + digits)


@lru_cache(maxsize=4096)   # reports repeat the same numerals; cn2an is slow
def _parse_plain(s: str) -> Decimal:
    m = _ARABIC_SCALED_RE.fullmatch(s)
    if m:
        value = Decimal(m.group(1).replace(",", ""))
        if m.group(2):
            value *= _SCALES[m.group(2)]
        return _clean(value)
    if all(ch in CN_NUMERAL_CHARS or ch == "点" for ch in s):
        return _clean(_cn_number(s))
    raise NumberParseError(f"not a number: {s!r}")


def parse_number(s: str) -> Decimal:
    """Parse one numeral (the whole string, surrounding blanks ignored).

    >>> parse_number("3.72亿")
    Decimal('372000000')
    >>> parse_number("百分之八十一")
    Decimal('81')

    Raises :class:`NumberParseError` (and nothing else) on any other input.
    """
    if not isinstance(s, str):
        raise NumberParseError(f"not a string: {s!r}")
    t = normalize_width(s).strip()
    if not t:
        raise NumberParseError("empty string")
    for prefix in _PERCENT_PREFIXES:
        if t.startswith(prefix):
            t = t[len(prefix):]
            if t == "百" and prefix == "百分之":
                return Decimal(100)
            break
    try:
        return _parse_plain(t)
    except NumberParseError:
        raise
    except (ArithmeticError, ValueError) as exc:  # defensive: Decimal overflow etc.
        raise NumberParseError(f"not a number: {s!r}") from exc


def to_chinese(n: int) -> str:
    """Write a non-negative integer in Chinese (``cn2an.an2cn``): 1200 -> "一千二百".

    Works around one cn2an slip: for 100001000 it writes "一亿一千" (which cn2an
    itself cannot read back) instead of "一亿零一千".
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"expected a non-negative int, got {n!r}")
    high, low = divmod(n, 10**8)
    if high and 1000 <= low < 10**4:
        return to_chinese(high) + "亿零" + cn2an.an2cn(low)
    return cn2an.an2cn(n)
