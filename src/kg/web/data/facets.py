"""Facets of a table of facts, Datasette's way: for each dimension (place, period, indicator,
kind, report), the values the rows have with their counts, each a link that narrows the table to it;
the values already chosen (``?place=…&period=…``, repeatable) filter the rows, and each facet
counts the rows left by the other choices."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlencode

KIND_LABELS = {"actual": "实际", "target": "目标/计划"}

# dimension → (query parameter, Chinese name, the fact's key for the value, key for its label)
DIMENSIONS = [
    ("place", "地点", "place", "place"),
    ("period", "时间", "period", "period"),
    ("indicator", "指标", "indicator", "indicator_label"),
    ("kind", "类别", "kind", "kind"),
    ("doc", "报告", "doc", "doc_title"),
]
PARAMS = [d[0] for d in DIMENSIONS]


def _year(period: str) -> int:
    m = re.search(r"(1[89]\d\d|20\d\d)", period or "")
    return int(m.group(1)) if m else 9999


def selection(args) -> dict[str, list[str]]:
    """The chosen values, by dimension, from a request's query arguments."""
    return {p: [v for v in args.getlist(p) if v] for p in PARAMS if args.getlist(p)}


def _keep(f: dict, chosen: dict[str, list[str]], skip: str | None = None) -> bool:
    for param, _, key, _ in DIMENSIONS:
        if param != skip and param in chosen and str(f.get(key) or "") not in chosen[param]:
            return False
    return True


def _url(base: str, chosen: dict[str, list[str]], extra: dict[str, str] | None = None) -> str:
    pairs = [(p, v) for p in PARAMS for v in chosen.get(p, [])]
    pairs += [(k, v) for k, v in (extra or {}).items() if v]
    return base + ("?" + urlencode(pairs) if pairs else "")


def facet(facts: list[dict], chosen: dict[str, list[str]], base: str, hide: tuple = (), limit: int = 30) -> dict:
    """The rows left after the choices, and the facets with their counts and links."""
    rows = [f for f in facts if _keep(f, chosen)]
    facets = []
    for param, name, key, label_key in DIMENSIONS:
        if param in hide:
            continue
        pool = [f for f in facts if _keep(f, chosen, skip=param)]
        counts = Counter(str(f.get(key) or "") for f in pool)
        labels = {str(f.get(key) or ""): str(f.get(label_key) or "") for f in pool}
        picked = chosen.get(param, [])
        values = []
        for value, n in counts.items():
            if not value:
                continue
            on = value in picked
            others = dict(chosen)
            others[param] = [v for v in picked if v != value] if on else picked + [value]
            label = KIND_LABELS.get(value, value) if param == "kind" else labels.get(value) or value
            values.append({"value": value, "label": label, "count": n, "selected": on,
                           "url": _url(base, {k: v for k, v in others.items() if v})})
        if param == "period":
            values.sort(key=lambda v: (_year(v["value"]), v["value"]))
        else:
            values.sort(key=lambda v: (-v["count"], v["label"]))
        if len(values) < 2 and not picked:
            continue                                   # one value: nothing to narrow
        shown = values if len(values) <= limit else [v for v in values if v["selected"]] + \
            [v for v in values if not v["selected"]][: limit]
        facets.append({"param": param, "name": name, "values": shown, "total": len(values),
                       "truncated": len(values) > len(shown)})
    selected = [{"param": p, "name": next(d[1] for d in DIMENSIONS if d[0] == p), "value": v,
                 "label": _chosen_label(facts, p, v),
                 "url": _url(base, {k: [x for x in vals if not (k == p and x == v)] for k, vals in chosen.items()})}
                for p, vals in chosen.items() for v in vals]
    return {"rows": rows, "facets": facets, "selected": selected, "total": len(facts),
            "clear_url": base if chosen else ""}


def _chosen_label(facts: list[dict], param: str, value: str) -> str:
    if param == "kind":
        return KIND_LABELS.get(value, value)
    _, _, key, label_key = next(d for d in DIMENSIONS if d[0] == param)
    return next((str(f.get(label_key)) for f in facts if str(f.get(key) or "") == value and f.get(label_key)), value)
