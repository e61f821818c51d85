"""The question vocabulary: ``ontology/question-words.tsv``, read once.

Each line of the file is ``role<TAB>value[<TAB>more columns]``; a value is a regular expression
(a plain word is one). :func:`pattern` joins a role's values with ``|`` in the file's order and
compiles them; :func:`words` gives a role's values as they are written (word lists: fillers,
particles …); :func:`rows` gives every column (canonical forms, rank levels, units implied …).
The file's header and its comments say what each role is for. The units a question may ask in
are those of ``ontology/units.tsv`` (kg.text.units).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..paths import ontology_dir
from ..text.units import CLASSES, units_flagged, units_of_class

FILE = "question-words.tsv"


def read_roles(path: Path) -> dict[str, tuple[tuple[str, ...], ...]]:
    """role → its rows (the columns after the role), in the file's order."""
    roles: dict[str, list[tuple[str, ...]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        role, *values = (c.strip() for c in line.split("\t"))
        if not role or not values or not all(values):
            raise ValueError(f"{path.name}: bad line {line!r} (want ROLE<TAB>VALUE[<TAB>…])")
        roles.setdefault(role, []).append(tuple(values))
    return {role: tuple(rs) for role, rs in roles.items()}


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[tuple[str, ...], ...]]:
    return read_roles(ontology_dir() / FILE)


def rows(role: str, columns: int | None = None) -> tuple[tuple[str, ...], ...]:
    """The rows of ``role`` (KeyError when the file has none), each of ``columns`` values if given."""
    found = table()[role]
    if columns is not None and any(len(r) != columns for r in found):
        raise ValueError(f"{FILE}: every {role} row has {columns} value(s)")
    return found


def words(role: str) -> tuple[str, ...]:
    """The values of a role of one value a row, in the file's order."""
    return tuple(r[0] for r in rows(role, 1))


@lru_cache(maxsize=None)
def pattern(role: str) -> re.Pattern:
    """A role's values joined with | (in the file's order), compiled."""
    return re.compile("|".join(words(role)))


def unit_hints() -> tuple[tuple[re.Pattern, frozenset[str]], ...]:
    """(pattern, units) of the ``unit-hint`` rows: a question that asks no unit but matches the
    pattern (多长, 多重, 面积 …) asks in those units, the first row that matches."""
    return tuple((re.compile(rx), units_of_class(tag) if tag in CLASSES else units_flagged(tag))
                 for rx, tag in rows("unit-hint", 2))
