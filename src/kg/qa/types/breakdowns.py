"""An indicator's parts (分别是多少/各…): the values of its breakdowns (by industry, by group …)
for the year asked, else the latest year, each labelled with its part.
"""

from __future__ import annotations

from ..choose import Choose
from ..parse import Reading
from ..render import value_text
from ..rows import Row


class Breakdowns(Choose):
    """``breakdowns``: the parts of an indicator, one value each."""

    def breakdowns(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        years = [t for t in p.times if t.single_year]
        if years:
            rows = self.in_time(rows, years[0], reading)
            if not rows:
                raise self.no_time_refusal(reading, rows, years[0])
        else:
            latest = max(r.end_year for r in rows)
            rows = [r for r in rows if r.end_year == latest]
        values, parts = [], []
        for r in self.ordered(rows):
            bl = self.cat.concept(r.breakdown).label if r.breakdown and self.cat.concept(r.breakdown) else ""
            v = self.value(reading, r)
            v["label"] = bl
            values.append(v)
            parts.append(f"{bl}{value_text(r)}")
        head = f"{rows[0].period_zh}{rows[0].place}{reading.indicator.label}：" if rows else ""
        return self.result(head + "，".join(parts) + "。", values, rows)
