"""A single value (…有多少户/几个), the default question type.

With a year: the facts of that year (kg.qa.choose: ``in_time``), else a refusal naming the
years there are. Without one: one value is the answer; among several, the fact whose sentence
shares clearly more with the question wins, otherwise the latest period's value is given and
the other periods are named in the answer. With 共/累计/一共 and no period: the report's
cumulative statement, else the sum of the yearly values (kg.qa.types.totals). An indicator
given only by its parts is answered with the parts (kg.qa.types.breakdowns). One sentence per
place, every unit given (1200户、4300人) unless one was asked.
"""

from __future__ import annotations

from ..choose import plain_first
from ..parse import Reading
from ..rows import Row
from .breakdowns import Breakdowns
from .totals import Totals


class SingleValue(Breakdowns, Totals):
    """``single``: the value of an indicator for the place and time asked."""

    def single(self, reading: Reading, rows: list[Row]) -> dict:
        p = self.p
        years = [t for t in p.times if t.single_year]
        if years:
            t = years[0]
            chosen = self.in_time(rows, t, reading)
            if not chosen:
                raise self.no_time_refusal(reading, rows, t)
            rows = chosen
        if reading.breakdown is None and all(r.breakdown for r in rows):
            return self.breakdowns(reading, rows)
        rows = plain_first(rows)
        if years:
            pass
        elif p.sum_cue:
            # 共/累计/一共 without a period: a cumulative statement (a span, "since", undated) if
            # the report makes one, else the sum of the yearly values
            cumulative = [r for r in rows if not r.single_year or not r.dated]
            if cumulative:
                rows = cumulative
            else:
                summed = self.sum_series(reading, rows)
                if summed is not None:
                    return summed
        out_rows: list[Row] = []
        sentences_: list[str] = []
        for place, group in self.by_place(rows, page=True).items():
            for unit_rows in self.by_unit(group).values():
                win, rest = self.pick(unit_rows, bool(years))
                out_rows.extend(win)
                if rest and not years:
                    others = sorted({r.period_zh for r in rest if r.period_zh not in {w.period_zh for w in win}})
                    if others:
                        self.notes.append(f"{place}另有{'、'.join(others)}的数值")
                self.note_disagreement(place, win, rest)
        for place, group in self.by_place(out_rows).items():
            sentences_.append(self.describe(reading, group))
        answer = "；".join(sentences_) + "。"
        if self.notes:
            answer += "（" + "；".join(dict.fromkeys(self.notes)) + "）"
        ordered = self.ordered(out_rows)
        return self.result(answer, [self.value(reading, r) for r in ordered], ordered)
