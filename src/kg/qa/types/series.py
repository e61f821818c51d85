"""A series (历年/每年/2015年到2017年每年…): one value per year, per place and unit.

Only yearly dated facts count; a span asked keeps its years, years named keep those (the ones
without a value are named in the answer). For each year the fact of the best period kind
(the year before its year-end, kg.qa.choose.KIND_RANK) is chosen.
"""

from __future__ import annotations

from ..choose import KIND_RANK, Choose, plain_first
from ..parse import Reading
from ..refusal import Refusal
from ..render import value_text
from ..rows import Row


class Series(Choose):
    """``series``: the yearly values of an indicator."""

    def series(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        rows = plain_first(rows)
        label = self.label(reading)
        spans = [t for t in p.times if not t.single_year]
        singles = {t.start_year for t in p.times if t.single_year}
        dated = [r for r in rows if r.single_year and r.dated]
        if spans:
            t = spans[0]
            dated = [r for r in dated if t.start_year <= r.start_year <= (t.end_year if t.kind != "since" else 9999)]
        if singles:
            dated = [r for r in dated if r.start_year in singles]
        if not dated:
            raise Refusal(f"图中没有按年份给出的“{label}”数据。", reading)
        values, used, texts = [], [], []
        for place, group in self.by_place(dated, page=True).items():
            for unit, urows in self.by_unit(group).items():
                parts = []
                for y in sorted({r.start_year for r in urows}):
                    cands = sorted([r for r in urows if r.start_year == y], key=lambda r: KIND_RANK.get(r.period_kind, 2))
                    best_rank = KIND_RANK.get(cands[0].period_kind, 2)
                    win, _ = self.pick([c for c in cands if KIND_RANK.get(c.period_kind, 2) == best_rank], True)
                    r = win[0]
                    values.append(self.value(reading, r))
                    used.append(r)
                    parts.append(f"{r.period_zh}{value_text(r)}")
                texts.append(f"{place}{label}：" + "，".join(parts))
        if singles:
            missing = sorted(singles - {r.start_year for r in used})
            if missing:
                texts.append("（图中没有" + "、".join(f"{y}年" for y in missing) + "的数据）")
        return self.result("；".join(texts) + "。", values, used)
