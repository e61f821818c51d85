"""How the ask page lays out an answer's values (the ``values`` of kg.qa.ask):

- one value: a card (value as written, the base value beside it when it differs);
- the parts of a breakdown (因病致贫 …): every part, each with a bar;
- one value per place (a comparison, a total per place): one row per place, each with a bar;
- a series (several years): a line per place (targets and plans dashed), and the table;
- anything else with several values: the table, with bars when the values can be compared.

Bars are as long as the base values (亿元 and 万元 compared in 元); the text beside each is the
value as the report wrote it.
"""

from __future__ import annotations

import re

from .numbers import base_text, fmt_num


def _year(v: dict):
    """The value's year: its ``year``, else the first year written in its period."""
    y = v.get("year")
    if isinstance(y, (int, float)) or (isinstance(y, str) and y.isdigit()):
        return int(y)
    m = re.search(r"(1[89]\d\d|20\d\d)", str(v.get("period") or ""))
    return int(m.group(1)) if m else None


def _num(x) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def row(v: dict) -> dict:
    """A value with its texts: as written, and the base value when it differs."""
    written = fmt_num(v.get("value")) + (f"–{fmt_num(v['value_max'])}" if v.get("value_max") else "") + \
        (v.get("unit") or "")
    return dict(v, written=written, base=base_text(v.get("value"), v.get("unit") or "", v.get("base_value"),
                                                   v.get("base_unit") or ""))


def _bars(rows: list[dict], label) -> dict | None:
    """A bar chart of the rows, when they share a base unit (else nothing: the lengths would lie)."""
    units = {r.get("base_unit") or r.get("unit") or "" for r in rows}
    if len(units) != 1:
        return None
    items = []
    for r in rows:
        length = _num(r.get("base_value") if r.get("base_value") is not None else r.get("value"))
        if length is None:
            return None
        items.append((label(r), length, r["written"] + (f"（{r['base']}）" if r["base"] else "")))
    return {"kind": "bar", "unit": next(iter(units)), "items": items}


def layout(values: list[dict]) -> dict:
    """{view, rows, chart}: view is single | breakdown | comparison | series | table."""
    rows = [row(v) for v in values]
    if len(rows) <= 1:
        return {"view": "single", "rows": rows, "chart": None}
    places = [r.get("place") or "" for r in rows]
    years = [_year(r) for r in rows]
    if all(r.get("breakdown") for r in rows):
        several = len(set(places)) > 1 or len({r.get("period") for r in rows}) > 1
        label = (lambda r: f"{r.get('period') or ''}{r.get('place') or ''}{r['breakdown']}") if several else \
            (lambda r: r["breakdown"])
        return {"view": "breakdown", "rows": rows, "chart": _bars(rows, label)}
    by_place: dict[str, list] = {}
    for r, y in zip(rows, years):
        by_place.setdefault((r.get("place") or "", r.get("label") or r.get("indicator") or "", r.get("base_unit") or
                             r.get("unit") or ""), []).append((y, r))
    if any(len({y for y, _ in pts if y is not None}) > 1 for pts in by_place.values()) and all(years):
        return {"view": "series", "rows": rows, "chart": _line(by_place)}
    if len(set(places)) == len(rows):
        return {"view": "comparison", "rows": rows, "chart": _bars(rows, lambda r: r.get("place") or "—")}
    label = (lambda r: "".join(str(x) for x in (r.get("period"), r.get("place"), r.get("label")) if x) or "—")
    return {"view": "table", "rows": rows, "chart": _bars(rows, label)}


def _line(by_place: dict) -> dict | None:
    units = {k[2] for k in by_place}
    if len(units) != 1:
        return None
    names = {k[0] for k in by_place}
    inds = {k[1] for k in by_place}
    series, dashed = {}, []
    for (place, ind, _), pts in by_place.items():
        for kind in ("actual", "target"):
            chosen = [(y, r) for y, r in pts if (r.get("kind") or "actual") == kind]
            if not chosen:
                continue
            name = (place if len(names) > 1 or len(inds) == 1 else "") + (f" · {ind}" if len(inds) > 1 else "")
            name = (name or place or ind) + ("（目标）" if kind == "target" else "")
            values: dict[int, object] = {}
            for y, r in chosen:
                values.setdefault(y, r.get("base_value") if r.get("base_value") is not None else r.get("value"))
            series[name] = sorted(values.items())
            if kind == "target":
                dashed.append(name)
    return {"kind": "line", "unit": next(iter(units)), "series": series, "dashed": dashed}
