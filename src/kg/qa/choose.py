"""Choosing among the facts of an indicator, shared by every question type (kg.qa.types):

* the facts of the time asked (:meth:`Choose.in_time`): a year's own figure first, then its
  year-end, then a month or date of it; an undated statement (dated to the report's year) only
  when the indicator has no dated yearly values — never another year
  (:meth:`Choose.no_time_refusal` says which years there are);
* the value that answers among several (:meth:`Choose.pick`): the one whose sentence around
  the number shares clearly more with the question (:meth:`Choose.context_score`), else,
  with no time asked, the latest period's;
* the reports' own places (我市/全县: :meth:`Choose.own_places`); totals before their parts
  (:func:`plain_first`); the order of period kinds (``KIND_RANK``).
"""

from __future__ import annotations

from .open_answer import question_query, term_index
from .retrieve import score
from .parse import Reading, TimeSlot
from .refusal import Refusal
from .render import Render, value_text
from .rows import Row

DATED_KINDS = ("year", "year_end", "month", "date", "half_year", "quarter")
#: a fact whose meaning score (0…1) beats the others' by this much answers on its own
CLEARLY_BETTER = 0.3
KIND_RANK = {"year": 0, "year_end": 1, "month": 2, "date": 2, "half_year": 2, "quarter": 2, "report": 3}


def plain_first(rows: list[Row]) -> list[Row]:
    """Totals before their parts: the facts without a breakdown when there are any."""
    plain = [r for r in rows if r.breakdown is None]
    return plain or rows


class Choose(Render):
    """The facts of a time, the value that answers, the reports' own places."""

    def own_places(self) -> set[str]:
        """我市/全县 in the question: the reports' own places of that level (all when none is)."""
        return set(self.cat.report_places(self.p.deictic_levels - {""}))

    # ---------------------------------------------------------------- time matching
    def in_time(self, rows: list[Row], t: TimeSlot, reading: Reading) -> list[Row]:
        exact = [r for r in rows if r.period == t.label]
        if t.kind == "year":
            tiers = [
                [r for r in rows if r.single_year and r.start_year == t.start_year and r.period_kind == "year"],
                [r for r in rows if r.single_year and r.start_year == t.start_year and r.period_kind == "year_end"],
                [r for r in rows if r.single_year and r.start_year == t.start_year and r.period_kind in DATED_KINDS],
            ]
        elif t.kind == "year_end":
            tiers = [exact, [r for r in rows if r.single_year and r.start_year == t.start_year and r.period_kind == "year"]]
        elif t.kind == "month":
            tiers = [exact, [r for r in rows if r.period.startswith(t.label + "-")]]
        elif t.kind in ("half_year", "quarter", "date"):
            tiers = [exact]
        else:
            tiers = [exact, [r for r in rows if r.start_year == t.start_year and r.end_year == t.end_year
                             and r.period_kind == t.kind]]
        for tier in tiers:
            if tier:
                return tier
        if t.kind == "month":
            # 截至2016年5月: an undated statement (截至目前) of a report of that month
            said = [r for r in rows if r.period_kind == "report" and self.report_date(r.doc).startswith(t.label)]
            if said:
                self.notes.append(f"报告未写明时间，按报告日期{t.zh}计")
                return said
        if t.kind == "year":
            undated = [r for r in rows if r.period_kind == "report" and r.start_year == t.start_year]
            dated_years = {r.start_year for r in rows if r.single_year and r.dated}
            if self.narrowed and undated:
                # only this year was read: ask the catalogue whether other years are dated
                stats = self.cat.indicators.get(reading.indicator.iri)
                dated_years |= {s for code, (s, e, _) in (stats.periods if stats else {}).items()
                                if s == e and s != t.start_year and self.cat.period_kinds.get(code, {"year"}) - {"report"}}
            if undated and not dated_years:
                self.notes.append(f"报告未写明年份，按报告年份{t.start_year}年计")
                return undated
        return []

    def report_date(self, doc: str) -> str:
        rep = self.cat.reports.get(doc)
        return rep.date if rep else ""

    def no_time_refusal(self, reading: Reading, rows: list[Row], t: TimeSlot) -> Refusal:
        label = self.label(reading)
        have = sorted({r.period_zh for r in rows if r.dated}, key=lambda z: z)
        stats = self.cat.indicators.get(reading.indicator.iri)
        if self.narrowed and stats:
            want = "target" if self.p.target else "actual"
            have = sorted({stats.periods[c][2] for (pl, c, k, u, b) in stats.cells
                           if k == want and c in stats.periods and self.cat.period_kinds.get(c, {"year"}) - {"report"}})
        extra = f"（有：{'、'.join(have)}）" if have else ""
        return Refusal(f"图中没有{t.zh}“{label}”的数据{extra}，不用其他年份的数代替。", reading)

    # ---------------------------------------------------------------- choosing among facts
    @staticmethod
    def windows(row: Row, before: int = 14, after: int = 6) -> list[str]:
        out = []
        for m in row.mentions:
            if m.sentence and m.sent_start is not None:
                a = m.start - m.sent_start
                out.append(m.sentence[max(0, a - before): a + (m.end - m.start) + after])
        return out

    def context_score(self, row: Row) -> float:
        score = self._ctx.get(id(row))
        if score is not None:
            return score
        c = self.p.content
        if len(c) < 2:
            return 0.0
        grams = self._grams
        if grams is None:
            grams = {c[i:i + 2] for i in range(len(c) - 1)}
            # naming the indicator asked is no evidence for one of its facts over another
            named = self.p.reading.indicator.labels if self.p.reading is not None else ()
            grams -= {x[i:i + 2] for x in named for i in range(len(x) - 1)}
            self._grams = grams
        best = 0.0
        for window in row.context_windows:
            n = 0
            for g in grams:
                if g in window:
                    n += 1
            if n > best:
                best = n
        score = self._ctx[id(row)] = best - (0.5 if row.qualifier == "range" else 0.0)
        return score

    def meaning(self, row: Row) -> float:
        """How well the observation's phrase, value window and sentence match the question's
        words (kg.qa.retrieve's score, 0…1), cached per question."""
        cache = self.__dict__.setdefault("_meaning", {})
        s = cache.get(row.obs)
        if s is None:
            query = self.__dict__.get("_query")
            if query is None:
                query = self._query = question_query(self.cat, self.p)
            s = cache[row.obs] = score(term_index(self.cat), query, row)
        return s

    def note_disagreement(self, place: str, win: list[Row], rest: list[Row]) -> None:
        """Two reports giving different values for the same place, period and indicator: the
        answer says so and names the other report's value (both are in the evidence)."""
        if not win:
            return
        w = win[0]
        for r in rest:
            if r.doc != w.doc and r.period == w.period and r.base_unit == w.base_unit and not r.same_value(w):
                other = self.cat.reports.get(r.doc)
                source = f"“{other.title}”" if other and other.title else r.doc
                self.notes.append(f"{place}{r.period_zh if r.dated else ''}的数字两份报告不同：{source}为{value_text(r)}")
                self.disagreeing.append(r)
                return

    def pick(self, rows: list[Row], dated_question: bool) -> tuple[list[Row], list[Row]]:
        """The facts that answer (possibly several restating one value), and the ones set aside."""
        if len(rows) == 1:
            return list(rows), []
        distinct: list[list[Row]] = []
        by_value: dict[tuple, list[Row]] = {}
        for r in rows:
            group = by_value.get(r.value_key)
            if group is None:
                group = by_value[r.value_key] = []
                distinct.append(group)
            group.append(r)
        if len(distinct) == 1:
            return distinct[0], []
        docs = {r.doc for r in rows}
        if dated_question and len(docs) > 1:
            # reports that disagree on one figure: the most recent report's answers, the others
            # are named beside it (note_disagreement)
            def year_of(g):
                return max(getattr(self.cat.reports.get(r.doc), "year", 0) or 0 for r in g)
            latest = max(distinct, key=year_of)
            if all(year_of(g) < year_of(latest) for g in distinct if g is not latest):
                return latest, [r for g in distinct if g is not latest for r in g]
        scores = [max(self.context_score(r) for r in g) for g in distinct]
        order = sorted(range(len(distinct)), key=lambda i: -scores[i])
        if scores[order[0]] - scores[order[1]] >= 1.5:
            win = distinct[order[0]]
            return win, [r for g in distinct if g is not win for r in g]
        # what each measures, by the open ranking (its phrase, its clause): one clearly better
        # (建档立卡贫困户250户…，其中120户稳定脱贫: 稳定脱贫的有多少户 → 120户)
        meant = [max(self.meaning(r) for r in g) for g in distinct]
        order = sorted(range(len(distinct)), key=lambda i: -meant[i])
        if meant[order[0]] - meant[order[1]] >= CLEARLY_BETTER:
            win = distinct[order[0]]
            return win, [r for g in distinct if g is not win for r in g]
        if not dated_question:
            def recency(g):
                r = max(g, key=lambda r: (r.end_year, -KIND_RANK.get(r.period_kind, 2)))
                return (r.end_year, r.dated, -KIND_RANK.get(r.period_kind, 2))
            rec = [recency(g) for g in distinct]
            ranked = sorted(range(len(distinct)), key=lambda i: rec[i], reverse=True)
            if rec[ranked[0]] != rec[ranked[1]]:
                return distinct[ranked[0]], [r for i in ranked[1:] for r in distinct[i]]
            top = [i for i in ranked if rec[i] == rec[ranked[0]]]
            top.sort(key=lambda i: -scores[i])
            chosen = set(top)
            return [r for i in top for r in distinct[i]], [r for i in ranked if i not in chosen for r in distinct[i]]
        return [r for g in distinct for r in g], []
