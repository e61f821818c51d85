"""Totals over years: 共/累计/合计 and spans (2014年到2017年, 2015年以来).

The sum of the yearly values when every year has one; the report's own total for exactly that
span when the yearly values are incomplete; a total stated elsewhere that equals the sum is
quoted as corroboration (and one that differs is named). Missing years → refusal; with several
places, those places are named and the others summed. ``sum_series``: 共/累计 without a period
and a yearly series without a stated cumulative value.
"""

from __future__ import annotations

from decimal import Decimal

from ..choose import KIND_RANK, Choose
from ..parse import Reading
from ..refusal import Refusal
from ..render import fmt_number, json_number, value_text
from ..rows import Row


class Totals(Choose):
    """``total`` over the years asked (or given), ``sum_series`` of a yearly series."""

    def sum_series(self, reading: Reading, rows: list[Row]) -> dict | None:
        """共/累计 without a period: a yearly series without a stated cumulative value is summed."""
        if any(not r.single_year or not r.dated for r in rows):
            return None
        years = {r.start_year for r in rows}
        if len(years) < 2:
            return None
        return self.total(reading, rows, years=(min(years), max(years)))

    def total(self, reading: Reading, rows: list[Row], years: tuple[int, int] | None = None) -> dict:
        p = self.p
        label = self.label(reading)
        if years is None:
            spans = [t for t in p.times if not t.single_year]
            singles = [t for t in p.times if t.single_year]
            if spans:
                t = spans[0]
                y1, y2 = t.start_year, t.end_year if t.kind != "since" else max(r.end_year for r in rows)
                wanted = list(range(y1, y2 + 1))
                span_label = f"{y1}年至{y2}年" if t.kind != "since" else f"{y1}年以来"
            elif singles:
                wanted = sorted({t.start_year for t in singles})
                span_label = "、".join(f"{y}年" for y in wanted)
                t = None
            else:
                raise Refusal("请说明要合计的年份。", reading)
        else:
            wanted = list(range(years[0], years[1] + 1))
            span_label = f"{years[0]}年至{years[1]}年"
            t = None
        values, used, sentences_ = [], [], []
        places = self.by_place(rows, page=True)
        lacking: list[Refusal] = []
        skipped: list[str] = []
        for place, group in places.items():
            for unit, urows in self.by_unit(group).items():
                per_year: dict[int, Row] = {}
                for y in wanted:
                    cands = [r for r in urows if r.single_year and r.dated and r.start_year == y]
                    cands.sort(key=lambda r: KIND_RANK.get(r.period_kind, 2))
                    if cands:
                        win, _ = self.pick([c for c in cands if KIND_RANK.get(c.period_kind, 2) == KIND_RANK.get(cands[0].period_kind, 2)], True)
                        per_year[y] = win[0]
                stated = [r for r in urows if not r.single_year and (r.start_year, r.end_year) == (wanted[0], wanted[-1])]
                missing = [y for y in wanted if y not in per_year]
                if missing and not stated:
                    if years is not None:
                        continue
                    have = "、".join(f"{y}年" for y in sorted(per_year)) or "无"
                    refusal = Refusal(f"图中{place}缺少{'、'.join(f'{y}年' for y in missing)}的“{label}”数据"
                                      f"（有：{have}），无法合计{span_label}。", reading)
                    if len(places) == 1:
                        raise refusal
                    lacking.append(refusal)        # several places: the others are still summed
                    if place not in skipped:
                        skipped.append(place)
                    continue
                if missing:
                    r = stated[0]
                    values.append(self.value(reading, r))
                    used.append(r)
                    sentences_.append(f"{span_label}{place}{label}{value_text(r)}（报告所述合计）")
                    continue
                parts = [per_year[y] for y in wanted]
                total_base = sum((r.base_value for r in parts), Decimal(0))
                same_unit = len({r.unit for r in parts}) == 1
                total_val = sum((r.value for r in parts), Decimal(0)) if same_unit else total_base
                shown_unit = parts[0].unit if same_unit else parts[0].base_unit
                approx = any(r.qualifier != "exact" for r in parts)
                v = {
                    "value": json_number(total_val), "unit": shown_unit, "base_value": json_number(total_base),
                    "base_unit": parts[0].base_unit, "qualifier": "approximate" if approx else "exact",
                    "place": place, "period": span_label, "indicator": reading.indicator.label,
                    "indicator_id": reading.indicator.slug, "label": "合计", "kind": parts[0].kind,
                    "parts": [self.value(reading, r) for r in parts],
                }
                values.append(v)
                used.extend(parts)
                detail = "+".join(f"{fmt_number(r.value)}" for r in parts)
                text = f"{span_label}{place}{'计划' if parts[0].kind == 'target' else ''}{label}合计{'约' if approx else ''}{fmt_number(total_val)}{shown_unit}（{detail}）"
                corroborating = [r for r in urows if r not in parts and r.base_value == total_base and not r.single_year or
                                 (r not in parts and r.base_value == total_base and r.period_kind == "report")]
                if corroborating:
                    text += f"，与报告所述{value_text(corroborating[0])}一致"
                    used.append(corroborating[0])
                if stated and stated[0].base_value != total_base:
                    text += f"；报告另述合计为{value_text(stated[0])}"
                    used.append(stated[0])
                sentences_.append(text)
        if not values:
            if lacking:
                raise lacking[0]
            raise Refusal(f"图中没有可合计的“{label}”数据。", reading)
        answer = "；".join(sentences_) + "。"
        if skipped:
            shown = "、".join(skipped[:3]) + (f"等{len(skipped)}个地方" if len(skipped) > 3 else "")
            answer += f"（{shown}缺少其中某些年份的数据，未合计）"
        return self.result(answer, values, used)
