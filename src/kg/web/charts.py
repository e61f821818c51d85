"""Charts as inline SVG, drawn on the server: no script, no outside library.

``line_chart`` draws values over years (one line per series), ``bar_chart`` labelled
horizontal bars (parts of a total, or values per period). Colours and fonts come from
presentation attributes and CSS classes in web/static/kg.css (``.chart …``).
"""

from __future__ import annotations

import math
from decimal import Decimal

from markupsafe import Markup, escape

PALETTE = ["#c0392b", "#2471a3", "#229954", "#d68910", "#7d3c98", "#17a589", "#a04000", "#5d6d7e"]


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi == lo:
        hi = lo + 1 if lo == 0 else lo * 1.1 + 1
    span = hi - lo
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=mag * 10)
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v <= hi + step * 0.001:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(v: float) -> str:
    if abs(v) >= 1e8:
        return f"{v / 1e8:.4g}亿"
    if abs(v) >= 1e5:
        return f"{v / 1e4:.4g}万"
    return f"{v:.6g}"


def _f(v) -> float:
    return float(v) if isinstance(v, (int, float, Decimal)) else float(str(v))


def line_chart(series: dict[str, list[tuple[int, object]]], unit: str = "", title: str = "",
               width: int = 640, height: int = 300) -> Markup:
    pts_all = [(x, _f(y)) for pts in series.values() for x, y in pts]
    if not pts_all:
        return Markup("")
    xs = sorted({x for x, _ in pts_all})
    ys = [y for _, y in pts_all]
    ticks = _nice_ticks(min(0.0, min(ys)), max(ys) * 1.1 if max(ys) > 0 else max(ys))
    y0, y1 = ticks[0], ticks[-1]
    left, right, top, bottom = 64, 24, 40 if title else 24, 32 + 18 * ((len(series) - 1) // 3 + 1)
    pw, ph = width - left - right, height - top - bottom
    if len(xs) == 1:
        xpos = {xs[0]: left + pw / 2}
    else:
        xpos = {x: left + pw * (x - xs[0]) / (xs[-1] - xs[0]) for x in xs}

    def ypos(v: float) -> float:
        return top + ph - ph * (v - y0) / ((y1 - y0) or 1)

    out = [f'<svg class="chart line-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{escape(title or "折线图")}" xmlns="http://www.w3.org/2000/svg">']
    if title:
        out.append(f'<text class="chart-title" x="{left}" y="16">{escape(title)}</text>')
    for t in ticks:
        y = ypos(t)
        out.append(f'<line class="grid" x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_fmt(t))}</text>')
    if unit:
        out.append(f'<text class="axis-label" x="{left - 6}" y="{top - 10}" text-anchor="end">'
                   f'{escape(unit)}</text>')
    for x in xs:
        out.append(f'<text class="tick" x="{xpos[x]:.1f}" y="{top + ph + 18}" text-anchor="middle">{x}年</text>')
    out.append(f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}"/>')
    for i, (name, pts) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        coords = [(xpos[x], ypos(_f(y)), x, y) for x, y in sorted(pts)]
        if len(coords) > 1:
            d = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy, _, _ in coords)
            out.append(f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2.5" points="{d}"/>')
        for cx, cy, x, y in coords:
            out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}">'
                       f'<title>{escape(name)} {x}年：{escape(_fmt(_f(y)))}{escape(unit)}</title></circle>')
            out.append(f'<text class="point-label" x="{cx:.1f}" y="{cy - 8:.1f}" text-anchor="middle">'
                       f'{escape(_fmt(_f(y)))}</text>')
        lx = left + (i % 3) * (pw / 3)
        ly = top + ph + 40 + 18 * (i // 3)
        out.append(f'<rect x="{lx:.1f}" y="{ly - 9}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text class="legend" x="{lx + 16:.1f}" y="{ly + 2}">{escape(name)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(items: list[tuple[str, object]], unit: str = "", title: str = "", width: int = 640) -> Markup:
    if not items:
        return Markup("")
    vals = [_f(v) for _, v in items]
    hi = max(max(vals), 0.0)
    lo = min(min(vals), 0.0)
    ticks = _nice_ticks(lo, hi)
    x0, x1 = ticks[0], ticks[-1]
    label_w = min(220, 14 * max(len(str(lbl)) for lbl, _ in items) + 12)
    left, right, top, bar, gap = label_w, 60, 28 if title else 10, 20, 8
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
        out.append(f'<text class="tick" x="{x:.1f}" y="{height - 8}" text-anchor="middle">{escape(_fmt(t))}</text>')
    for i, ((label, v), fv) in enumerate(zip(items, vals)):
        y = top + i * (bar + gap)
        xa, xb = sorted((xpos(0.0), xpos(fv)))
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<text class="bar-label" x="{left - 6}" y="{y + bar - 5}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{xa:.1f}" y="{y}" width="{max(xb - xa, 1):.1f}" height="{bar}" fill="{colour}">'
                   f'<title>{escape(label)}：{escape(_fmt(fv))}{escape(unit)}</title></rect>')
        out.append(f'<text class="bar-value" x="{xb + 4:.1f}" y="{y + bar - 5}">{escape(_fmt(fv))}{escape(unit)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def render(chart: dict) -> Markup:
    """A chart description from :func:`kg.web.data.series_for_chart` as SVG."""
    if chart["kind"] == "line":
        if chart.get("small"):
            return line_chart(chart["series"], chart.get("unit", ""), chart.get("title", ""), width=520, height=260)
        return line_chart(chart["series"], chart.get("unit", ""), chart.get("title", ""))
    return bar_chart(chart["items"], chart.get("unit", ""), chart.get("title", ""), width=520 if chart.get("small") else 640)
