"""Suggestions for a refused question: nearby questions the graph can answer.

They are written from the catalogue (an indicator's places, periods, units and kinds present
in the store) and kept only when the parser reads them back as the same indicator.
"""

from __future__ import annotations

from .catalog import Catalog
from .parse import Parsed, Reading, parse_question

MAX_SUGGESTIONS = 4


def question_for(cat: Catalog, ind: str, brk: str | None, place: str, code: str, kind: str, unit: str) -> str:
    concept = cat.lexicon.indicators.get(ind)
    if concept is None:
        return ""
    label = concept.label
    if brk:
        b = cat.lexicon.breakdowns.get(brk)
        if b is None:
            return ""
        label = b.label
    stats = cat.indicators.get(ind)
    period = ""
    if stats and code in stats.periods and "report" not in cat.period_kinds.get(code, set()):
        s, e, zh = stats.periods[code]
        period = zh
    kind_word = "计划" if kind == "target" else ""
    if unit == "%":
        tail = "占比是多少" if brk and "占" not in label and "率" not in label else "是多少"
    elif unit in ("元", ""):
        tail = "是多少"
    else:
        tail = f"有多少{unit}"
    return f"{period}{place}{kind_word}{label}{tail}"


def _cells(cat: Catalog, ind: str, brk: str | None):
    stats = cat.indicators.get(ind)
    if not stats:
        return []
    return [(place, code, kind, unit, b, n) for (place, code, kind, unit, b), n in stats.cells.items()
            if (b == brk) or (brk is None and b is None)]


def suggestions(cat: Catalog, p: Parsed, reading: Reading | None) -> list[str]:
    try:
        return _suggestions(cat, p, reading)
    except Exception:  # noqa: BLE001 - suggestions are a courtesy
        return []


def _suggestions(cat: Catalog, p: Parsed, reading: Reading | None) -> list[str]:
    out: list[str] = []
    want_kind = "target" if p.target else "actual"
    own = set(cat.report_places())

    def add(ind, brk, place, code, kind, unit):
        q = question_for(cat, ind, brk, place, code, kind, unit)
        if not q or q in out or q == p.question:
            return
        ok = cat.suggestion_checks.get(q)
        if ok is None:
            back = parse_question(q, cat.vocab)
            ok = not back.problems and back.reading is not None and back.reading.indicator.iri == ind
            cat.suggestion_checks[q] = ok
        if ok:
            out.append(q)

    if reading is not None:
        keys = [reading.key] + [r.key for r in p.readings[1:3] if r.key != reading.key]
        for ind, brk in keys:
            cells = _cells(cat, ind, brk) or (_cells(cat, ind, None) if brk else [])
            if not cells and brk is None:
                cells = [c for c in _cells(cat, ind, "*") if False]
            years = {t.start_year for t in p.times}

            def rank(c):
                place, code, kind, unit, b, n = c
                stats = cat.indicators[ind]
                s, e, _ = stats.periods.get(code, (0, 0, ""))
                return (kind != want_kind, (place not in p.places) if p.places else (place not in own),
                        min((abs(s - y) for y in years), default=0), -e, unit != (p.unit or unit))
            for place, code, kind, unit, b, n in sorted(cells, key=rank):
                add(ind, b, place if place not in own or p.places else "", code, kind, unit)
                if len(out) >= MAX_SUGGESTIONS - 1:
                    break
    # the store's most documented indicators
    popular = sorted(cat.indicators.items(), key=lambda kv: -kv[1].n)
    for ind, stats in popular:
        if len(out) >= MAX_SUGGESTIONS:
            break
        cells = sorted(_cells(cat, ind, None), key=lambda c: (c[2] != "actual", -stats.periods.get(c[1], (0, 0, ""))[1]))
        if cells:
            place, code, kind, unit, b, n = cells[0]
            add(ind, None, "" if place in own else place, code, kind, unit)
    return out[:MAX_SUGGESTIONS]
