"""The most or least (最多/最少/最高/最低) of an indicator — over one of three things:

* its parts (哪一项最多: ``rank_over == "breakdown"``, or an indicator given only by parts),
  in the year asked or the latest;
* places (哪个县最多: ``rank_over == "place"``; a level asked keeps only places of that level);
* years (哪一年最多), per place: the largest yearly value, ties named together, and the same
  ranking by the other units given.
"""

from __future__ import annotations

from ..choose import KIND_RANK, Choose, plain_first
from ..parse import Reading, place_level
from ..refusal import Refusal
from ..render import value_text
from ..rows import Row


class Superlative(Choose):
    """``superlative``: answers the question types ``max`` and ``min``."""

    def superlative(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        label = self.label(reading)
        biggest = p.qtype == "max"
        word = "最多" if biggest else "最少"
        spans = [t for t in p.times if not t.single_year]
        singles = [t for t in p.times if t.single_year]
        if p.rank_over == "breakdown" or (reading.breakdown is None and rows and all(r.breakdown for r in rows)):
            split = [r for r in rows if r.breakdown]
            if not split:
                raise Refusal(f"图中“{label}”没有分项数据，无法比较。", reading)
            if singles:
                split = self.in_time(split, singles[0], reading)
            else:
                latest = max(r.end_year for r in split)
                split = [r for r in split if r.end_year == latest]
            if not split:
                raise self.no_time_refusal(reading, rows, singles[0])
            unit, urows = next(iter(self.by_unit(split).items()))
            ranked = sorted(urows, key=lambda r: r.base_value, reverse=biggest)
            top = ranked[0]
            name = self.breakdown_label(top)
            answer = f"{top.period_zh}{top.place}{label}{word}的是{name}（{value_text(top)}）。"
            return self.result(answer, [self.value(reading, r) for r in ranked], ranked)
        if p.rank_over == "place":
            rows = plain_first(rows)
            if p.rank_levels:                 # 哪个县: the counties only
                rows = [r for r in rows if place_level(r.place, self.cat.places.get(r.place)) in p.rank_levels]
                if not rows:
                    levels = "、".join(sorted(p.rank_levels))
                    raise Refusal(f"图中没有按{levels}给出的“{label}”数据，无法比较。", reading)
            if singles:
                rows = [r for r in rows if r in self.in_time(rows, singles[0], reading)]
            units = self.by_unit(rows)
            unit, urows = next(iter(units.items()))
            best_per_place = {}
            for place, group in self.by_place(urows).items():
                win, _ = self.pick(group, bool(singles))
                best_per_place[place] = win[0]
            ranked = sorted(best_per_place.values(), key=lambda r: r.base_value, reverse=biggest)
            if not ranked:
                raise Refusal(f"图中没有可比较的“{label}”数据。", reading)
            top = ranked[0]
            answer = f"{label}{word}的是{top.place}（{top.period_zh}{value_text(top)}）"
            if len(ranked) == 1:
                answer += "；图中只有这一个地方的数据"
            ranked = list(self.page({r.place: r for r in ranked}).values())    # one page of the ranking
            return self.result(answer + "。", [self.value(reading, r) for r in ranked], ranked)
        dated = [r for r in plain_first(rows) if r.single_year and r.dated]
        if spans:
            t = spans[0]
            dated = [r for r in dated if t.start_year <= r.start_year <= (t.end_year if t.kind != "since" else 9999)]
        if not dated:
            raise Refusal(f"图中没有按年份给出的“{label}”数据，无法比较年份。", reading)
        values, used, texts = [], [], []
        for place, group in self.by_place(dated, page=True).items():
            units = self.by_unit(group)
            unit, urows = next(iter(units.items()))
            per_year = {}
            for y in sorted({r.start_year for r in urows}):
                cands = sorted([r for r in urows if r.start_year == y], key=lambda r: KIND_RANK.get(r.period_kind, 2))
                per_year[y] = cands[0]
            ranked = sorted(per_year.values(), key=lambda r: (r.base_value, -r.start_year if biggest else r.start_year), reverse=biggest)
            top = ranked[0]
            ties = [r for r in ranked if r.base_value == top.base_value]
            years_txt = "、".join(f"{r.start_year}年" for r in ties)
            text = f"{place}{label}{word}的是{years_txt}（{value_text(top)}）"
            for other_unit, orows in list(units.items())[1:]:
                oy = {}
                for r in orows:
                    oy.setdefault(r.start_year, r)
                if oy:
                    oranked = sorted(oy.values(), key=lambda r: r.base_value, reverse=biggest)
                    if oranked[0].start_year == top.start_year:
                        text += f"，按{other_unit}计也是{oranked[0].start_year}年（{value_text(oranked[0])}）"
                    else:
                        text += f"；按{other_unit}计则是{oranked[0].start_year}年（{value_text(oranked[0])}）"
            if len(ranked) == 1:
                text += "；图中只有这一年的数据"
            texts.append(text)
            values.extend(self.value(reading, r) for r in ranked)
            used.extend(ranked)
        return self.result("；".join(texts) + "。", values, used)
