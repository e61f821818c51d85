"""How the pages write numbers: one rule everywhere (tables, answers, charts; web/static/kg.js
``kg.fmtNum`` follows the same rule in the browser).

- the digits before the decimal point are grouped by thousands with a comma when there are four
  or more of them (7,928 and 31,560; 12.35; 2,997.4);
- the digits after it are kept as the report wrote them, without trailing zeros (5.20 → 5.2);
- a value is shown in the unit the report wrote it in (2997.4万元); when its base value differs
  (29,974,000元), that is shown beside it, never instead of it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def _plain(v) -> str:
    """A number's digits without exponent: Decimal exactly, a float by its shortest repr."""
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return str(v)
        return format(Decimal(repr(v)), "f")
    try:
        return format(Decimal(str(v)).normalize(), "f")
    except (InvalidOperation, ValueError):
        return str(v)


def fmt_num(v) -> str:
    """``v`` (int, float, Decimal; a string is returned as it is) by the rule above."""
    if v is None or v == "":
        return ""
    if isinstance(v, str):
        return v
    s = _plain(v)
    if not any(ch.isdigit() for ch in s):
        return s
    sign = "-" if s.startswith("-") else ""
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    frac = frac.rstrip("0")
    if whole.isdigit() and len(whole) >= 4:
        whole = f"{int(whole):,}"
    return sign + (whole or "0") + ("." + frac if frac else "")


def same_number(a, b) -> bool:
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except (InvalidOperation, ValueError):
        return a == b


def value_text(value, unit: str = "") -> str:
    """2997.4万元, 7,928人."""
    return fmt_num(value) + (unit or "")


def base_text(value, unit: str, base_value, base_unit: str) -> str:
    """The base value (29,974,000元) when it differs from the value as written, else ""."""
    if base_value is None or base_value == "" or not base_unit:
        return ""
    if base_unit == unit and same_number(base_value, value):
        return ""
    return fmt_num(base_value) + base_unit
