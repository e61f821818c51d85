"""How the pages write numbers."""

from __future__ import annotations

from decimal import Decimal


def fmt_num(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, Decimal):
        v = v.normalize()
        s = format(v, "f")
    else:
        s = str(v)
    if "." in s:
        whole, frac = s.split(".")
        frac = frac.rstrip("0")
    else:
        whole, frac = s, ""
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = f"{int(whole):,}" if whole.isdigit() and len(whole) > 4 else whole
    return sign + grouped + ("." + frac if frac else "")

