"""Writing the answer: numbers, value dicts, sentences, evidence and the result dict.

* :func:`fmt_number`, :func:`json_number`, :func:`value_text` — a value as the answer writes it
  (1200户, or the report's own wording of an approximate one: 近2000人) and as JSON;
* :class:`Render`, the base of every part of kg.qa.answer's ``Answerer``: the indicator's label
  (:meth:`Render.label`), facts grouped and ordered as the answer lists them (the reports' own
  places first, the unit asked first: :meth:`Render.by_place`, :meth:`Render.by_unit`,
  :meth:`Render.ordered`), one sentence per place (:meth:`Render.describe`), the value dicts of
  the JSON answer (:meth:`Render.value`, :meth:`Render.open_value`), the evidence of the facts
  used (:meth:`Render.result`, :meth:`Render.evidence_item`) and the answer dict itself
  (:meth:`Render.finish`; its fields: docs/questions.md).
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from decimal import Decimal
from itertools import repeat
from operator import attrgetter

from ..store import LocalStore
from ..text.segments import sentences
from .catalog_model import Catalog
from .parse import Parsed, Reading, unit_class
from .rows import Row

_POS = attrgetter("pos")
_DOC = attrgetter("doc")
#: how specific a place of each level is: places are listed the most specific first
LEVEL_RANK = {"村": 6, "社区": 6, "屯": 7, "镇": 5, "乡": 5, "街道": 5, "县": 4, "区": 4, "旗": 4,
              "市": 3, "州": 3, "盟": 3, "省": 2, "自治区": 2, "国": 1}
#: places of one page of an answer (Render.page)
MAX_PLACES = 10


def fmt_number(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(int(d))
    s = format(d.normalize(), "f")
    return s


def json_number(d: Decimal | None):
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def value_text(row: Row) -> str:
    surface = row.first.surface
    if row.qualifier != "exact" and surface and not row.per and len(surface) <= 16:
        return surface
    return f"{fmt_number(row.value)}{row.unit}"


class Render:
    """Labels, grouping, value dicts, evidence and the answer dict of one question.

    The state, set by ``kg.qa.answer.Answerer.__init__`` and shared by all its parts: the store,
    its catalogue and the parsed question; the prepared queries run and their bindings (the
    last of each is reported with the answer); whether the query read one year's periods only
    (``narrowed``); the notes appended to the answer; caches of context scores (by ``id(row)``:
    rows outlive the answer), of the question's bigrams and of labels."""

    store: LocalStore
    cat: Catalog
    p: Parsed
    sparql: list[str]
    bindings: list[dict]
    narrowed: bool
    notes: list[str]
    _ctx: dict[int, float]
    _grams: set[str] | None
    _labels: dict[tuple, str]

    def label(self, reading: Reading) -> str:
        if not reading.breakdown:
            return reading.indicator.label
        b, i = reading.breakdown.label, reading.indicator.label
        if i in b or "%" in reading.indicator.units or "percent" in reading.indicator.units:
            return b
        return b + i

    def label_of(self, reading: Reading) -> str:
        key = reading.key
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = self.label(reading)
        return label

    def breakdown_label(self, row: Row) -> str:
        c = self.cat.concept(row.breakdown) if row.breakdown else None
        return c.label if c else (row.breakdown or "")

    def place_order(self):
        """The key of a (place, rows) pair in the order places are listed in (docs/questions.md):
        the most specific first (a village before its town, a town before its county …), then the
        place of the most recent report, then the reports' own places before others, then by the
        first mention; the catalogue's tables looked up once per ordering."""
        cat = self.cat
        ranks = cat.memo.get("place-ranks")
        if ranks is None:
            ranks = cat.memo["place-ranks"] = {pl: LEVEL_RANK.get(info.level, 0) for pl, info in cat.places.items()}
        years, own = cat.report_years, cat.own

        def key(kv) -> tuple:
            place, rows = kv
            first = rows[0]
            latest = years.get(first.doc, 0) if len(rows) == 1 else max(map(years.get, map(_DOC, rows), repeat(0)))
            m = first.first
            return (-ranks.get(place, 0), -latest, place not in own, first.doc, m.start if m else 0)
        return key

    def by_place(self, rows: list[Row], page: bool = False) -> "dict[str, list[Row]]":
        """Rows by place, in the order of :meth:`place_order`; each place's rows in document order.
        With ``page``, only the places of one page (:meth:`page`), the others not put in order."""
        groups: dict[str, list[Row]] = {}
        for r in rows:
            g = groups.get(r.place)
            if g is None:
                groups[r.place] = [r]
            else:
                g.append(r)
        for g in groups.values():
            if len(g) > 1:
                g.sort(key=_POS)              # document order (doc, first mention)
        if page and (len(groups) > MAX_PLACES or self.offset):
            # heapq.nsmallest is sorted(...)[:n]: the places up to the page's last, in order
            first = heapq.nsmallest(self.offset + MAX_PLACES, groups.items(), key=self.place_order())
            return self.page(dict(first), total=len(groups))
        if len(groups) == 1:
            return groups
        return dict(sorted(groups.items(), key=self.place_order()))

    def page(self, groups: "dict[str, list[Row]]", total: int | None = None) -> "dict[str, list[Row]]":
        """The places of one page of a long answer (``MAX_PLACES`` from the answerer's
        ``offset``): a question naming no place over many reports stays small; the answer says
        it is cut (``truncated``, ``total``, ``offset``: docs/questions.md). ``total``: the number
        of places when ``groups`` holds only the first of them."""
        total = len(groups) if total is None else total
        if total <= MAX_PLACES and not self.offset:
            return groups
        keys = list(groups)
        self.paged = (total, self.offset)
        return {k: groups[k] for k in keys[self.offset:self.offset + MAX_PLACES]}

    def unit_order(self, units: list[str]) -> list[str]:
        p = self.p
        pref = ["人", "户", "个", "家", "元", "%"]

        def key(u):
            if p.unit and u == p.unit:
                return (0, 0)
            if p.unit and unit_class(u) == unit_class(p.unit):
                return (1, 0)
            return (2, pref.index(u) if u in pref else len(pref))
        return sorted(units, key=key)

    def by_unit(self, rows: list[Row]) -> "dict[str, list[Row]]":
        groups: dict[str, list[Row]] = {}
        for r in rows:
            groups.setdefault(r.base_unit, []).append(r)
        if len(groups) == 1:
            return groups
        out: "OrderedDict[str, list[Row]]" = OrderedDict()
        for u in self.unit_order(list(groups)):
            out[u] = groups[u]
        return out

    def ordered(self, rows: list[Row]) -> list[Row]:
        order = {u: i for i, u in enumerate(self.unit_order(list({r.base_unit for r in rows})))}
        places = {place: k for k, place in enumerate(self.by_place(rows))}
        return sorted(rows, key=lambda r: (places[r.place], order.get(r.base_unit, 9), r.start_year, r.first.start))

    def describe(self, reading: Reading, rows: list[Row]) -> str:
        if len(rows) == 1:
            r = rows[0]
            return (f"{r.period_zh if r.dated else ''}{r.place}{'计划' if r.kind == 'target' else ''}"
                    f"{self.label_of(reading)}{value_text(r)}")
        rows = self.ordered(rows)
        by_period: "OrderedDict[str, list[Row]]" = OrderedDict()
        for r in rows:
            by_period.setdefault(r.period_zh if r.dated else "", []).append(r)
        parts = []
        for period, group in by_period.items():
            seen, vals = set(), []
            for r in group:
                key = (r.base_value, r.base_unit)
                if key in seen:
                    continue
                seen.add(key)
                vals.append(value_text(r))
            target = "计划" if group[0].kind == "target" else ""
            parts.append(f"{period}{group[0].place}{target}{self.label_of(reading)}{'、'.join(vals)}")
        return "；".join(parts)

    def value(self, reading: Reading, r: Row) -> dict:
        bl = None
        if r.breakdown:
            c = self.cat.concept(r.breakdown)
            bl = c.label if c else r.breakdown
        return {
            "value": json_number(r.value), "unit": r.unit, "base_value": json_number(r.base_value),
            "base_unit": r.base_unit, "qualifier": r.qualifier, "place": r.place,
            "period": r.period_zh if r.dated else f"{r.period_zh}（报告未注明）",
            "year": r.start_year if r.single_year else None,
            "indicator": reading.indicator.label, "indicator_id": reading.indicator.slug,
            "breakdown": bl, "label": bl or reading.indicator.label, "kind": r.kind,
            "per": r.per, "value_max": json_number(r.value_max), "doc": r.doc,
            "phrase": r.phrase, "subject": r.subject or None, "measure": r.measure,
        }

    def open_value(self, r: Row) -> dict:
        concept = self.cat.concept(r.indicator)
        return {
            "value": json_number(r.value), "unit": r.unit, "base_value": json_number(r.base_value),
            "base_unit": r.base_unit, "qualifier": r.qualifier, "place": r.place,
            "period": r.period_zh if r.dated else f"{r.period_zh}（报告未注明）",
            "year": r.start_year if r.single_year else None,
            "indicator": concept.label if concept else r.phrase,
            "indicator_id": concept.slug if concept else r.indicator.rsplit("/indicator/", 1)[-1],
            "breakdown": None, "label": r.phrase, "phrase": r.phrase, "measure": r.measure, "kind": r.kind,
            "per": r.per, "value_max": json_number(r.value_max), "doc": r.doc, "subject": r.subject or None,
        }

    def text_of(self, doc: str) -> str:
        return self.cat.text_of(doc)

    def evidence_item(self, doc: str, start: int, end: int, sentence: str | None = None) -> dict:
        if not sentence:
            text = self.text_of(doc)
            sentence = ""
            if text:
                for s in sentences(text):
                    if s.start <= start < s.end:
                        sentence = s.text
                        break
        return {"doc": doc, "sentence": sentence, "start": start, "end": end}

    def result(self, answer: str, values: list[dict], rows: list[Row]) -> dict:
        self.used_rows = rows
        evidence, seen = [], set()
        for r in [*rows, *getattr(self, "disagreeing", ())]:     # another report's value: evidence too
            for m in r.mentions:
                key = (r.doc, m.start, m.end)
                if key in seen:
                    continue
                seen.add(key)
                evidence.append(self.evidence_item(r.doc, m.start, m.end, m.sentence))
        return self.finish(True, answer, values, evidence)

    def finish(self, answered: bool, answer: str, values: list[dict], evidence: list[dict],
               suggestions: list[str] | None = None) -> dict:
        paged = getattr(self, "paged", None)
        extra = {}
        if paged is not None and answered:
            total, offset = paged
            shown = max(0, min(MAX_PLACES, total - offset))
            answer += f"（共{total}个地方，此处列出第{offset + 1}至{offset + shown}个）"
            extra = {"truncated": offset + shown < total, "total": total, "offset": offset}
        return extra | {
            "question": self.p.question, "answered": answered, "answer": answer, "values": values,
            "evidence": evidence, "sparql": self.sparql[-1] if self.sparql else None,
            "bindings": self.bindings[-1] if self.bindings else None,
            "suggestions": suggestions or [], "type": self.p.qtype, "slots": self.p.slots(),
        }
