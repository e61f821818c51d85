"""Times given by reference (kg.text.reltime): relative to the report's year, or to the year last
named in the paragraph."""

from __future__ import annotations

import pytest

from kg.text.reltime import contextual_times, with_contextual_times
from kg.text.timex import find_times


def resolved(text: str, year: int | None) -> list[tuple[str, str, str]]:
    return [(t.surface, t.kind, t.label) for t in contextual_times(text, find_times(text), year)]


@pytest.mark.parametrize(("text", "year", "expected"), [
    ("去年2月，总书记来到这里", 2017, [("去年2月", "month", "2016-02")]),
    ("今年以来，新增就业岗位", 2019, [("今年以来", "since", "2019/")]),
    ("上年末全县户籍人口", 2019, [("上年末", "year_end", "2018-YE")]),
    ("大前年，家里借了18万元", 2020, [("大前年", "year", "2017")]),
    ("明年计划脱贫800人", 2018, [("明年", "year", "2019")]),
    ("地区生产总值比上年增长6%", 2019, []),          # a comparison dates nothing
    ("较去年同期增长", 2019, []),
    ("去年脱贫1200人", None, []),                    # no report year: not resolved
    # anaphora: the year last named in the paragraph
    ("2017年9月建起民宿。当年底，一家顺利脱贫。", 2020, [("当年底", "year_end", "2017-YE")]),
    ("2014年获得贷款。“当年收入就有5万元。”", 2020, [("当年", "year", "2014")]),
    ("2015年启动，次年建成", 2020, [("次年", "year", "2016")]),
    ("当年的21户贫困户中20户脱贫", 2017, []),        # no year before it: "back then"
    ("2013年完成规划\n当年脱贫100户", 2017, []),     # not across paragraphs
])
def test_contextual_times(text, year, expected):
    assert resolved(text, year) == expected


def test_numbered_times_come_first_and_stay():
    text = "2016年吸收144户贫困户；当年户均收益1.5万元"
    times = with_contextual_times(text, find_times(text), 2017)
    assert [(t.surface, t.label) for t in times] == [("2016年", "2016"), ("当年", "2016")]
