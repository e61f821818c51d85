"""Suggestions for a refused question: nearby questions the graph can answer.

They are written from the catalogue (an indicator's places, periods, units and kinds present
in the store) and kept only when the parser reads them back as the same indicator.
"""

from __future__ import annotations

from .catalog_model import Catalog
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
    """The cells (place, period code, kind, unit, breakdown, count) of an indicator with that
    breakdown (None: without one), cached on the catalogue."""
    stats = cat.indicators.get(ind)
    if not stats:
        return []
    by = cat.memo.get(("cells", ind))
    if by is None:
        by = {}
        for (place, code, kind, unit, b), n in stats.cells.items():
            by.setdefault(b, []).append((place, code, kind, unit, b, n))
        cat.memo[("cells", ind)] = by
    return by.get(brk, [])


def rank_key(cat: Catalog, ind: str, want_kind: str, places, years, unit: str | None):
    """The order of an indicator's cells for a refused question: its kind, its place (one the
    question names, else a report's own), the nearest of its years, the latest, its unit."""
    periods = cat.indicators[ind].periods if ind in cat.indicators else {}
    own = cat.own

    def rank(c):
        place, code, kind, u, b, n = c
        s, e, _ = periods.get(code, (0, 0, ""))
        return (kind != want_kind, (place not in places) if places else (place not in own),
                min((abs(s - y) for y in years), default=0), -e, u != (unit or u), place, code, u, b or "")
    return rank


def in_rank_order(cat: Catalog, ind: str, brk: str | None, want_kind: str, places, years, unit: str | None):
    """The cells of ``_cells(cat, ind, brk)`` in the order of :func:`rank_key`, made a tier at a
    time (kind; place; distance to the question's years) from the cells by kind and start year,
    so that a question needing the first few does not rank every cell of a large store."""
    rank = rank_key(cat, ind, want_kind, places, years, unit)
    by = cat.memo.get(("cells-by-start", ind, brk))
    if by is None:
        periods = cat.indicators[ind].periods if ind in cat.indicators else {}
        by = {}
        for c in _cells(cat, ind, brk):
            by.setdefault((c[2], periods.get(c[1], (0, 0, ""))[0]), []).append(c)
        cat.memo[("cells-by-start", ind, brk)] = by

    def distance(s: int) -> int:
        return min(abs(s - y) for y in years) if years else 0

    named = places or cat.own

    for other_kind in (False, True):
        groups = [(k, s) for k, s in by if (k != want_kind) == other_kind]
        for wanted_place in (True, False):
            for d in sorted({distance(s) for _, s in groups}):
                tier = [c for k, s in groups if distance(s) == d for c in by[(k, s)]
                        if (c[0] in named) == wanted_place]
                yield from sorted(tier, key=rank)


def _popular(cat: Catalog) -> list[tuple[str, tuple]]:
    """The store's most documented indicators, each with its most telling cell (actual, latest,
    a report's own place): the same for every question, so cached on the catalogue."""
    out = cat.memo.get("popular")
    if out is None:
        own = cat.own
        out = []
        for ind, stats in sorted(cat.indicators.items(), key=lambda kv: (-kv[1].n, kv[0])):
            cells = _cells(cat, ind, None)
            if cells:
                out.append((ind, min(cells, key=lambda c: (c[2] != "actual", -stats.periods.get(c[1], (0, 0, ""))[1],
                                                           c[0] not in own, c[0], c[1], c[3]))))
        cat.memo["popular"] = out
    return out


def suggestions(cat: Catalog, p: Parsed, reading: Reading | None) -> list[str]:
    try:
        return _suggestions(cat, p, reading)
    except Exception:  # noqa: BLE001 - suggestions are a courtesy
        return []


def _suggestions(cat: Catalog, p: Parsed, reading: Reading | None) -> list[str]:
    out: list[str] = []
    want_kind = "target" if p.target else "actual"
    own = cat.own

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
        years = sorted({t.start_year for t in p.times})
        for ind, brk in keys:
            # the breakdown's cells, else (a breakdown the store does not have) the indicator's
            b_used = brk if _cells(cat, ind, brk) else None
            if not _cells(cat, ind, b_used):
                continue
            # cells that make the same question (a report's own place is not named) count once,
            # at their best rank: the first time they come in rank order
            seen: set[tuple] = set()
            for place, code, kind, unit, b, n in in_rank_order(cat, ind, b_used, want_kind, p.places, years, p.unit):
                k = (place if place not in own or p.places else "", code, kind, unit, b)
                if k in seen:
                    continue
                seen.add(k)
                add(ind, b, k[0], code, kind, unit)
                if len(out) >= MAX_SUGGESTIONS - 1:
                    break
    # the store's most documented indicators
    for ind, (place, code, kind, unit, b, n) in _popular(cat):
        if len(out) >= MAX_SUGGESTIONS:
            break
        add(ind, None, "" if place in own else place, code, kind, unit)
    return out[:MAX_SUGGESTIONS]
