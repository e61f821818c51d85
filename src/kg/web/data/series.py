"""Chart descriptions for a table of facts (rendered by kg.web.charts.render).

- ``by="place"`` (an indicator's page): one line chart per base unit over single-year periods,
  one line per place; a place's targets and plans are a dashed line of their own;
- ``by="indicator"`` (a place's page): small multiples, one chart per indicator and base unit
  with the values achieved as a line and the targets and plans as a dashed line, when they span
  two years or more;
- either way, one bar chart per indicator, place, period and kind whose breakdown parts
  (因病致贫 …) were stated.

A chart is in the unit the report wrote when all its values share it, else in the base unit.
"""

from __future__ import annotations

from collections import defaultdict

from ..numbers import base_text, fmt_num

ACTUAL, TARGET = "实际", "目标/计划"


def _unit_of(facts: list[dict]) -> tuple[str, bool]:
    """(the chart's unit, whether values are taken as written)."""
    written = {f.get("unit") or "" for f in facts}
    if len(written) == 1 and next(iter(written)):
        return next(iter(written)), True
    return facts[0].get("base_unit") or "", False


def _line(key_title: str, unit_key: str, points: dict[str, list[tuple[int, dict]]], small: bool) -> dict:
    all_facts = [f for pts in points.values() for _, f in pts]
    unit, as_written = _unit_of(all_facts)
    series, dashed = {}, []
    for name, pts in points.items():
        by_year: dict[int, object] = {}
        for year, f in pts:
            by_year.setdefault(year, f["value"] if as_written else f["base_value"])
        series[name] = sorted(by_year.items())
        if name.endswith(TARGET) or name.endswith("（目标）"):
            dashed.append(name)
    chart = {"kind": "line", "unit": unit, "series": series, "dashed": dashed,
             "points": sum(len(p) for p in series.values())}
    if key_title:
        chart["title"] = f"{key_title}（{unit}）" if unit else key_title
    if small:
        chart["small"] = True
    return chart


def series_for_chart(facts: list[dict], by: str = "place", limit: int = 12) -> list[dict]:
    charts = []
    lines: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    parts: dict[tuple, list] = defaultdict(list)
    for f in facts:
        if f.get("base_value") is None:
            continue
        target = f.get("kind") == "target"
        if f.get("breakdown"):
            parts[(f["indicator_label"], f["place"], f["period"], target, f["base_unit"])].append(f)
            continue
        if f.get("start_year") is None or f.get("start_year") != f.get("end_year"):
            continue
        if by == "place":
            key, name = (f["base_unit"],), f["place"] + ("（目标）" if target else "")
        else:
            key, name = (f["indicator_label"], f["base_unit"]), TARGET if target else ACTUAL
        lines[key][name].append((int(f["start_year"]), f))
    for key, points in lines.items():
        years = {y for pts in points.values() for y, _ in pts}
        if by == "indicator" and len(years) < 2:
            continue
        ordered = dict(sorted(points.items(), key=lambda kv: (kv[0].endswith((TARGET, "（目标）")), kv[0])))
        charts.append(_line(key[0] if by == "indicator" else "", key[-1], ordered, small=by == "indicator"))
    charts.sort(key=lambda c: -c["points"])
    for (ind, place, period, target, _), items in parts.items():
        if len(items) < 2:
            continue
        unit, as_written = _unit_of(items)
        bars = []
        for f in items:
            text = fmt_num(f["value"]) + (f.get("unit") or "")
            extra = base_text(f["value"], f.get("unit") or "", f.get("base_value"), f.get("base_unit") or "")
            bars.append((f["breakdown_label"] or f["indicator_label"], f["value"] if as_written else f["base_value"],
                         text + (f"（{extra}）" if extra and not as_written else "")))
        charts.append({"kind": "bar", "unit": unit, "items": bars, "small": by == "indicator",
                       "title": f"{period}{place}{ind}{'（目标）' if target else ''}"})
    return charts[:limit]
