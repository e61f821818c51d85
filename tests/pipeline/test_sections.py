"""Heading lines that date the facts under them (kg.nlp.sections): which lines are headings, their
rank, and where a year's section ends."""

from __future__ import annotations

import pytest

from kg.nlp.sections import heading_rank, section_years
from kg.text.timex import find_times


@pytest.mark.parametrize(("line", "rank"), [
    ("一、2018年工作回顾", 1),
    ("（一）产业扶贫", 2),
    ("(二)易地搬迁", 2),
    ("1. 总体情况", 3),
    ("2、调研工作", 3),
    ("2科技扶贫调研工作及社会影响", 3),
    ("1.3特色生态产业培育与示范阶段", 4),
    ("1.3.2 林下种植", 5),
    ("（1）林下种草养牛", 9),
    ("2019年工作安排", None),          # a year is no heading number
    ("12个镇（乡）", None),            # nor a count
    ("3.5万元", None),                 # nor a decimal
    ("扶贫成效", None),
])
def test_heading_rank(line, rank):
    assert heading_rank(line) == rank


def section_of(text: str) -> list[tuple[str, int | None, bool]]:
    return [(text[pos:text.index("\n", pos)], year, plan) for pos, year, plan in section_years(text, find_times(text))]


def test_a_year_section_ends_at_a_heading_of_its_rank_that_names_no_year():
    text = ("1 研究区概况\n1.1 2016年示范\n种植中草药118亩。\n（1）林下种草\n建牛舍277平方米。\n"
            "2 调研工作\n此次调研访问农户1300户。\n")
    assert section_of(text) == [("1.1 2016年示范", 2016, False), ("2 调研工作", None, False)]


def test_a_plan_heading_and_lower_headings_under_it():
    text = "一、2018年工作回顾\n（一）脱贫攻坚\n减贫1200人。\n二、2019年工作安排\n（一）产业\n力争脱贫800人。\n"
    assert section_of(text) == [("一、2018年工作回顾", 2018, False), ("二、2019年工作安排", 2019, True)]
