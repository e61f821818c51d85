"""Units and measure words (量词) with their base unit and scale factor.

A :class:`Unit` records the name as written (``"万元"``), an ASCII slug for
IRIs (``"wan-yuan"``), the base unit (``"元"``) and the factor to the base
(``10000``).  Scaled units are built from a *scale word* (万, 亿, 百万, 千万,
万亿) and a scalable base unit, so ``"万亩"``, ``"亿元"`` or ``"万人次"`` all
exist; the bare scale words are units too, with base ``""`` (``"900万"`` is
900 of unit 万, 9 000 000 of no unit).  A few units convert to another base:
``名`` -> 人, ``千瓦时`` -> 度, ``兆瓦`` -> 千瓦, ``个月`` -> 月.

Slugs are toneless pinyin joined by "-"; the one clash, 件 (jiàn) versus
间 (jiān), is resolved with a tone number: "jian4".  Every base unit is
itself in :data:`UNITS` (factor 1), so ``UNITS[u.base]`` always resolves.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Unit", "UNITS", "BASE_UNITS", "SCALES", "TIME_UNITS", "PERCENT_UNITS",
    "longest_unit_at",
]


@dataclass(frozen=True)
class Unit:
    name: str  # as written, e.g. "万元"
    slug: str  # ASCII slug for IRIs, e.g. "wan-yuan"
    base: str  # base unit name, e.g. "元" ("" for a bare scale word)
    factor: Decimal  # value in base unit = value * factor


# base unit name -> (slug, scalable by 万/亿 ...)
_BASE: dict[str, tuple[str, bool]] = {
    "个": ("ge", True), "户": ("hu", True), "人": ("ren", True),
    "人次": ("ren-ci", True), "户次": ("hu-ci", True), "家": ("jia", True),
    "元": ("yuan", True), "%": ("percent", False), "‰": ("permille", False),
    "百分点": ("bai-fen-dian", False), "倍": ("bei", False),
    "度": ("du", True), "亩": ("mu", True), "公顷": ("gong-qing", True),
    "株": ("zhu", True), "棵": ("ke", True),
    "年": ("nian", False), "月": ("yue", False), "天": ("tian", False),
    "周": ("zhou", False), "小时": ("xiao-shi", False),
    "套": ("tao", True), "间": ("jian", True), "座": ("zuo", True),
    "所": ("suo", True), "处": ("chu", True), "条": ("tiao", True),
    "项": ("xiang", True), "次": ("ci", True), "场": ("chang", True),
    "期": ("qi", True), "批": ("pi", True), "台": ("tai", True),
    "辆": ("liang", True), "头": ("tou", True), "只": ("zhi", True),
    "羽": ("yu", True), "口": ("kou", True), "眼": ("yan", True),
    "盏": ("zhan", True), "件": ("jian4", True), "份": ("fen", True),
    "册": ("ce", True), "本": ("ben", True), "张": ("zhang", True),
    "吨": ("dun", True), "公斤": ("gong-jin", True), "斤": ("jin", True),
    "公里": ("gong-li", True), "米": ("mi", True),
    "平方米": ("ping-fang-mi", True), "平方公里": ("ping-fang-gong-li", False),
    "立方米": ("li-fang-mi", True), "千瓦": ("qian-wa", True),
    "栋": ("dong", True), "岁": ("sui", False),
}

# derived units: name -> (slug, base, factor)
_DERIVED: dict[str, tuple[str, str, int]] = {
    "名": ("ming", "人", 1),
    "个月": ("ge-yue", "月", 1),
    "个百分点": ("ge-bai-fen-dian", "百分点", 1),
    "千瓦时": ("qian-wa-shi", "度", 1),
    "万千瓦时": ("wan-qian-wa-shi", "度", 10**4),
    "亿千瓦时": ("yi-qian-wa-shi", "度", 10**8),
    "兆瓦": ("zhao-wa", "千瓦", 1000),
    "千元": ("qian-yuan", "元", 1000),
    "千克": ("qian-ke", "公斤", 1),
    "千米": ("qian-mi", "公里", 1),
}

#: scale words usable before a scalable unit, and alone after a number.
SCALES: dict[str, tuple[str, int]] = {
    "万": ("wan", 10**4), "十万": ("shi-wan", 10**5), "百万": ("bai-wan", 10**6),
    "千万": ("qian-wan", 10**7), "亿": ("yi", 10**8), "万亿": ("wan-yi", 10**12),
}

TIME_UNITS = frozenset({"年", "月", "天", "周", "小时"})
PERCENT_UNITS = frozenset({"%", "‰", "百分点"})


def _build() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for name, (slug, _) in _BASE.items():
        units[name] = Unit(name, slug, name, Decimal(1))
    for name, (slug, base, factor) in _DERIVED.items():
        units[name] = Unit(name, slug, base, Decimal(factor))
    for scale, (sslug, sfactor) in SCALES.items():
        if scale != "十万":  # "十万" alone is a numeral, not a unit word
            units.setdefault(scale, Unit(scale, sslug, "", Decimal(sfactor)))
        for name, (slug, scalable) in _BASE.items():
            if scalable:
                units.setdefault(scale + name,
                                 Unit(scale + name, f"{sslug}-{slug}", name, Decimal(sfactor)))
        units.setdefault(scale + "名", Unit(scale + "名", f"{sslug}-ming", "人", Decimal(sfactor)))
    return units


#: every unit by its written name
UNITS: dict[str, Unit] = _build()
#: names of the base units (the ``base`` of every unit, except "")
BASE_UNITS: frozenset[str] = frozenset(u.base for u in UNITS.values() if u.base)
_MAX_LEN = max(map(len, UNITS))


def longest_unit_at(text: str, pos: int) -> Unit | None:
    """The unit whose name is the longest one starting at ``text[pos]``."""
    for size in range(min(_MAX_LEN, len(text) - pos), 0, -1):
        unit = UNITS.get(text[pos:pos + size])
        if unit is not None:
            return unit
    return None
