"""Charts as inline SVG, drawn on the server: no script, no outside library.

``line_chart`` draws values over years (one line per series; series named in ``dashed`` — targets
and plans — are dashed), ``bar_chart`` labelled horizontal bars (the parts of a total, one value
per place, values per period). Numbers are written by kg.web.numbers' one rule. Colours and fonts
come from presentation attributes and CSS classes in web/static/kg.css (``.chart …``); bars and
points carry their value in ``data-value`` so that tests can check what was drawn.
"""

from __future__ import annotations

import math
from decimal import Decimal

from markupsafe import Markup, escape

from .numbers import fmt_num

PALETTE = ["#c0392b", "#2471a3", "#229954", "#d68910", "#7d3c98", "#17a589", "#a04000", "#5d6d7e"]
CHAR_W = 7.2            # width of a digit at the charts' 12px font, for margins


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi == lo:
        hi = lo + 1 if lo == 0 else lo * 1.1 + 1
    span = hi - lo
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 5, 10) if m * mag >= raw), default=mag * 10)
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v <= hi + step * 0.001:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _tick(v: float) -> str:
    return fmt_num(Decimal(repr(v)).normalize() if v != int(v) else int(v))


def _f(v) -> float:
    return float(v) if isinstance(v, (int, float, Decimal)) else float(str(v))


def _colours(names: list[str], dashed) -> dict[str, str]:
    """One colour per series, a target's the same as its place's; values red, targets blue when the
    series are 实际 and 目标/计划."""
    out, bases = {}, []
    for name in names:
        base = name[: -len("（目标）")] if name.endswith("（目标）") else name
        if base in ("实际", "目标/计划"):
            out[name] = PALETTE[0] if base == "实际" else PALETTE[1]
            continue
        if base not in bases:
            bases.append(base)
        out[name] = PALETTE[bases.index(base) % len(PALETTE)]
    return out


def line_chart(series: dict[str, list[tuple[int, object]]], unit: str = "", title: str = "",
               width: int = 640, height: int = 300, dashed: frozenset | set | tuple = ()) -> Markup:
    pts_all = [(x, _f(y)) for pts in series.values() for x, y in pts]
    if not pts_all:
        return Markup("")
    xs = sorted({x for x, _ in pts_all})
    ys = [y for _, y in pts_all]
    ticks = _nice_ticks(min(0.0, min(ys)), max(ys) * 1.1 if max(ys) > 0 else max(ys))
    y0, y1 = ticks[0], ticks[-1]
    left = int(max(48, 14 + CHAR_W * max(len(_tick(t)) for t in ticks)))
    right, top = 28, 40 if title else 24
    bottom = 32 + 18 * ((len(series) - 1) // 3 + 1)
    pw, ph = width - left - right, height - top - bottom
    pad = 22                    # the first and last points stand clear of the axis labels
    if len(xs) == 1:
        xpos = {xs[0]: left + pw / 2}
    else:
        xpos = {x: left + pad + (pw - 2 * pad) * (x - xs[0]) / (xs[-1] - xs[0]) for x in xs}

    def ypos(v: float) -> float:
        return top + ph - ph * (v - y0) / ((y1 - y0) or 1)

    out = [f'<svg class="chart line-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{escape(title or "折线图")}" xmlns="http://www.w3.org/2000/svg">']
    if title:
        out.append(f'<text class="chart-title" x="8" y="16">{escape(title)}</text>')
    for t in ticks:
        y = ypos(t)
        out.append(f'<line class="grid" x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_tick(t))}</text>')
    if unit and not title:
        out.append(f'<text class="axis-label" x="{left - 6}" y="{top - 10}" text-anchor="end">'
                   f'{escape(unit)}</text>')
    for x in xs:
        out.append(f'<text class="tick" x="{xpos[x]:.1f}" y="{top + ph + 18}" text-anchor="middle">{x}年</text>')
    # at a year with several points, the highest one's label goes above it, the others' below
    highest = {x: max(_f(y) for pts in series.values() for px, y in pts if px == x) for x in xs}
    out.append(f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}"/>')
    per_row = 3 if width >= 480 else 2
    colours = _colours(list(series), dashed)
    for i, (name, pts) in enumerate(series.items()):
        colour = colours[name]
        dash = name in dashed
        cls = "series target" if dash else "series"
        coords = [(xpos[x], ypos(_f(y)), x, y) for x, y in sorted(pts)]
        if len(coords) > 1:
            d = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy, _, _ in coords)
            extra = ' stroke-dasharray="7 5"' if dash else ""
            out.append(f'<polyline class="{cls}" data-series="{escape(name)}" fill="none" stroke="{colour}" '
                       f'stroke-width="2.5"{extra} points="{d}"/>')
        for cx, cy, x, y in coords:
            fill = "#fff" if dash else colour
            out.append(f'<circle class="point{" target" if dash else ""}" data-series="{escape(name)}" data-x="{x}" '
                       f'data-value="{escape(str(y))}" cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{fill}" '
                       f'stroke="{colour}" stroke-width="2">'
                       f'<title>{escape(name)} {x}年：{escape(fmt_num(y))}{escape(unit)}</title></circle>')
            ly = cy - 8 if _f(y) >= highest[x] else cy + 17
            out.append(f'<text class="point-label" x="{cx:.1f}" y="{ly:.1f}" text-anchor="middle">'
                       f'{escape(fmt_num(y))}</text>')
        lx = left + (i % per_row) * (pw / per_row)
        ly = top + ph + 40 + 18 * (i // per_row)
        if dash:
            out.append(f'<line x1="{lx:.1f}" x2="{lx + 14:.1f}" y1="{ly - 3}" y2="{ly - 3}" stroke="{colour}" '
                       f'stroke-width="2.5" stroke-dasharray="4 3"/>')
        else:
            out.append(f'<rect x="{lx:.1f}" y="{ly - 9}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text class="legend" x="{lx + 18:.1f}" y="{ly + 2}">{escape(name)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(items: list[tuple], unit: str = "", title: str = "", width: int = 640, compact: bool = False) -> Markup:
    """``items``: (label, value) or (label, value, text): the bar's length is ``value``; ``text``
    (default: the value and ``unit``) is written beside it — the value as the report wrote it
    (``compact``: without a base value in brackets after it)."""
    if not items:
        return Markup("")
    vals = [_f(it[1]) for it in items]
    texts = [it[2] if len(it) > 2 and it[2] else fmt_num(it[1]) + unit for it in items]
    if compact:
        texts = [tx.split("（", 1)[0] for tx in texts]
    hi = max(max(vals), 0.0)
    lo = min(min(vals), 0.0)
    ticks = _nice_ticks(lo, hi)
    x0, x1 = ticks[0], ticks[-1]
    label_w = min(int(width * 0.34), 14 * max(len(str(it[0])) for it in items) + 12)
    right = int(max(60, 10 + CHAR_W * max(len(t) for t in texts)))
    left, top, bar, gap = label_w, 28 if title else 10, 20, 8
    pw = width - left - right
    height = top + len(items) * (bar + gap) + 26

    def xpos(v: float) -> float:
        return left + pw * (v - x0) / ((x1 - x0) or 1)

    out = [f'<svg class="chart bar-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{escape(title or "条形图")}" xmlns="http://www.w3.org/2000/svg">']
    if title:
        out.append(f'<text class="chart-title" x="8" y="16">{escape(title)}</text>')
    for t in ticks:
        x = xpos(t)
        out.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 22}"/>')
    for t in (ticks[0], ticks[-1]) if len(ticks) > 1 else ticks:
        out.append(f'<text class="tick" x="{xpos(t):.1f}" y="{height - 8}" text-anchor="middle">{escape(_tick(t))}</text>')
    for i, (it, fv, text) in enumerate(zip(items, vals, texts)):
        label = it[0]
        y = top + i * (bar + gap)
        xa, xb = sorted((xpos(0.0), xpos(fv)))
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<text class="bar-label" x="{left - 6}" y="{y + bar - 5}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect class="bar" data-label="{escape(label)}" data-value="{escape(str(it[1]))}" x="{xa:.2f}" '
                   f'y="{y}" width="{max(xb - xa, 0.5):.2f}" height="{bar}" fill="{colour}">'
                   f'<title>{escape(label)}：{escape(text)}</title></rect>')
        out.append(f'<text class="bar-value" x="{xb + 4:.1f}" y="{y + bar - 5}">{escape(text)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def render(chart: dict) -> Markup:
    """A chart description (kg.web.data.series_for_chart, the ask page) as SVG: drawn twice, for wide
    screens and for phones (CSS shows one), so that its text stays readable at 390 px."""
    if chart["kind"] == "line":
        size = {"width": 520, "height": 260} if chart.get("small") else {}
        args = (chart["series"], chart.get("unit", ""), chart.get("title", ""))
        dashed = frozenset(chart.get("dashed") or ())
        wide = line_chart(*args, dashed=dashed, **size)
        narrow = line_chart(*args, dashed=dashed, width=360, height=250)
    else:
        wide = bar_chart(chart["items"], chart.get("unit", ""), chart.get("title", ""),
                         width=520 if chart.get("small") else 640)
        narrow = bar_chart(chart["items"], chart.get("unit", ""), chart.get("title", ""), width=360, compact=True)
    return Markup(f'<div class="chart-wide">{wide}</div><div class="chart-narrow">{narrow}</div>')
