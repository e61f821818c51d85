"""Units and measure words (量词) with their base unit and scale factor: ``ontology/units.tsv``.

A :class:`Unit` records the name as written (``"万元"``), an ASCII slug for
IRIs (``"wan-yuan"``), the base unit (``"元"``) and the factor to the base
(``10000``).  Scaled units are built from a *scale word* (万, 亿, 百万, 千万,
万亿) and a scalable unit, so ``"万亩"``, ``"亿元"`` or ``"万人次"`` all
exist; the bare scale words are units too, with base ``""`` (``"900万"`` is
900 of unit 万, 9 000 000 of no unit).  A few units convert to another base:
``名`` -> 人, ``千瓦时`` -> 度, ``兆瓦`` -> 千瓦, ``个月`` -> 月.

Slugs are toneless pinyin joined by "-"; the one clash, 件 (jiàn) versus
间 (jiān), is resolved with a tone number: "jian4".  Every base unit is
itself in :data:`UNITS` (factor 1), so ``UNITS[u.base]`` always resolves.

The table is the one list of units of kg, read once: extraction and questions take their sets
of units (the units of time, those a question's 几个 may mean, …) from its ``class`` and
``flags`` columns (:func:`unit_class`, :func:`units_flagged`); the file's header says what each
flag means.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ..paths import ontology_dir

__all__ = [
    "Unit", "UNITS", "BASE_UNITS", "SCALES", "TIME_UNITS", "PERCENT_UNITS",
    "longest_unit_at", "unit_class", "units_flagged", "units_of_class",
]

COLUMNS = ("name", "slug", "base", "factor", "scalable", "class", "flags")
CLASSES = frozenset({"count", "person", "household", "money", "percent", "area", "energy", "length", "weight"})
FLAGS = frozenset({"scale", "numeral", "time", "day", "age", "ratio", "weak", "plain", "counter", "counts-noun",
                   "noun-after", "count-before-de", "word-count", "idiom"})


@dataclass(frozen=True)
class Unit:
    name: str  # as written, e.g. "万元"
    slug: str  # ASCII slug for IRIs, e.g. "wan-yuan"
    base: str  # base unit name, e.g. "元" ("" for a bare scale word)
    factor: Decimal  # value in base unit = value * factor


@dataclass(frozen=True)
class Row:
    """One line of the unit table."""
    name: str
    slug: str
    base: str
    factor: Decimal
    scalable: bool
    cls: str
    flags: frozenset[str]


def read_table(path: Path) -> tuple[Row, ...]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + [""] * len(COLUMNS))[:len(COLUMNS)]
        name, slug, base, factor, scalable, cls, flags = (c.strip() for c in cols)
        fl = frozenset(flags.split())
        if not name or not slug or scalable not in ("yes", "no") or (cls and cls not in CLASSES) or fl - FLAGS \
                or ("scale" in fl) != (base == ""):
            raise ValueError(f"{path.name}: bad line {line!r} (want {'<TAB>'.join(COLUMNS)}; class one of "
                             f"{', '.join(sorted(CLASSES))}; flags of {', '.join(sorted(FLAGS))}; "
                             "a scale word has no base)")
        rows.append(Row(name, slug, base, Decimal(factor), scalable == "yes", cls, fl))
    return tuple(rows)


@lru_cache(maxsize=1)
def table() -> tuple[Row, ...]:
    """The rows of ``ontology/units.tsv``, in the file's order."""
    return read_table(ontology_dir() / "units.tsv")


def _build(rows: tuple[Row, ...]) -> dict[str, Unit]:
    """Base units, then converted ones, then each scale word alone and before every scalable unit."""
    units: dict[str, Unit] = {}
    bases = [r for r in rows if r.base == r.name]
    derived = [r for r in rows if r.base and r.base != r.name]
    for r in [*bases, *derived]:
        units[r.name] = Unit(r.name, r.slug, r.base, r.factor)
    for s in (r for r in rows if "scale" in r.flags):
        if "numeral" not in s.flags:
            units.setdefault(s.name, Unit(s.name, s.slug, "", s.factor))
        for r in [*bases, *derived]:
            if r.scalable:
                units.setdefault(s.name + r.name, Unit(s.name + r.name, f"{s.slug}-{r.slug}", r.base,
                                                       s.factor * r.factor))
    return units


#: every unit by its written name
UNITS: dict[str, Unit] = _build(table())
#: names of the base units (the ``base`` of every unit, except "")
BASE_UNITS: frozenset[str] = frozenset(u.base for u in UNITS.values() if u.base)
_MAX_LEN = max(map(len, UNITS))


def units_flagged(flag: str) -> frozenset[str]:
    """Names of the units of the table with ``flag`` (the header of ontology/units.tsv)."""
    if flag not in FLAGS:
        raise KeyError(flag)
    return frozenset(r.name for r in table() if flag in r.flags)


def units_of_class(cls: str) -> frozenset[str]:
    """Names of the units of one class (units that may stand in for each other)."""
    if cls not in CLASSES:
        raise KeyError(cls)
    return frozenset(r.name for r in table() if r.cls == cls)


_CLASS_OF = {r.name: r.cls for r in table() if r.cls}


def unit_class(base: str | None) -> str | None:
    """The class of a unit (count, person, money …), None when it stands in for no other."""
    return _CLASS_OF.get(base or "")


#: scale words usable before a scalable unit, and alone after a number: name → (slug, factor)
SCALES: dict[str, tuple[str, int]] = {r.name: (r.slug, int(r.factor)) for r in table() if "scale" in r.flags}

TIME_UNITS = units_flagged("time")
PERCENT_UNITS = units_of_class("percent")


def longest_unit_at(text: str, pos: int) -> Unit | None:
    """The unit whose name is the longest one starting at ``text[pos]``."""
    for size in range(min(_MAX_LEN, len(text) - pos), 0, -1):
        unit = UNITS.get(text[pos:pos + size])
        if unit is not None:
            return unit
    return None
