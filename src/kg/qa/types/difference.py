"""A difference between two years (2017年比2016年多多少/少了多少): per place and unit, the
two years' values and their difference (``direction`` less: negated; abs: its size).
Only places with a value in both years are answered; none → refusal naming the years there are.
"""

from __future__ import annotations

from ..choose import Choose, plain_first
from ..parse import Reading
from ..refusal import Refusal
from ..render import fmt_number, json_number, value_text
from ..rows import Row


class Difference(Choose):
    """``difference``: answers the question type ``diff``."""

    def difference(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        rows = plain_first(rows)
        label = self.label(reading)
        ys = []
        for t in p.times:
            if t.single_year and t.label not in [x.label for x in ys]:
                ys.append(t)
        a, b = ys[0], ys[1]
        values, used, texts = [], [], []
        for place, group in self.by_place(rows, page=True).items():
            for unit, urows in self.by_unit(group).items():
                ra, rb = self.in_time(urows, a, reading), self.in_time(urows, b, reading)
                if not ra or not rb:
                    continue
                ra, rb = self.pick(ra, True)[0][0], self.pick(rb, True)[0][0]
                diff_base = ra.base_value - rb.base_value
                same_unit = ra.unit == rb.unit
                diff_val = (ra.value - rb.value) if same_unit else diff_base
                shown = ra.unit if same_unit else ra.base_unit
                if p.direction == "less":
                    diff_base, diff_val = -diff_base, -diff_val
                elif p.direction == "abs":
                    diff_base, diff_val = abs(diff_base), abs(diff_val)
                real = ra.base_value - rb.base_value
                word = "多" if real > 0 else "少" if real < 0 else "持平"
                amount = fmt_number(abs(ra.value - rb.value) if same_unit else abs(real))
                text = (f"{place}{a.zh}{label}{value_text(ra)}，{b.zh}{value_text(rb)}，"
                        + (f"{a.zh}比{b.zh}{word}{amount}{shown}" if real != 0 else "两年持平"))
                values.append({
                    "value": json_number(diff_val), "unit": shown, "base_value": json_number(diff_base),
                    "base_unit": ra.base_unit, "qualifier": "exact", "place": place,
                    "period": f"{a.zh}比{b.zh}", "indicator": reading.indicator.label,
                    "indicator_id": reading.indicator.slug, "label": "差值", "kind": ra.kind,
                    "parts": [self.value(reading, ra), self.value(reading, rb)],
                })
                used.extend([ra, rb])
                texts.append(text)
        if not values:
            have = sorted({r.period_zh for r in rows if r.dated})
            raise Refusal(f"图中没有{a.zh}和{b.zh}两年都有的“{label}”数据（有：{'、'.join(have)}），无法比较。", reading)
        return self.result("；".join(texts) + "。", values, used)
