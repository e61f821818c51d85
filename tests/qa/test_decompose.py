"""Questions of several things at once, split into questions of one thing (kg.qa.decompose).
Place spans are given by hand (the parser finds them from the graph's places)."""

from __future__ import annotations

import re

import pytest

from kg.qa.decompose import decompose
from kg.qa.parse import normalise

PLACES = ("安平县", "石门县", "桃源镇", "柳沟村", "新疆")


def spans(text: str) -> list[tuple[int, int]]:
    return sorted(m.span() for name in PLACES for m in re.finditer(name, text))


def split(question: str):
    t = normalise(question)
    c = decompose(t, spans(t))
    return (c.parts, c.labels, c.mode) if c else None


@pytest.mark.parametrize(("question", "parts", "labels", "mode"), [
    ("安平县农民人均纯收入2013年和现在分别是多少？",
     ["安平县农民人均纯收入2013年是多少？", "安平县农民人均纯收入现在是多少？"], ["2013年", "现在"], "each"),
    ("柳沟村2015年底和2019年的贫困发生率分别是多少？",        # the place belongs to both parts
     ["柳沟村2015年底的贫困发生率是多少？", "柳沟村2019年的贫困发生率是多少？"], ["2015年底", "2019年"], "each"),
    ("石门县2018年和新疆截至2019年底脱贫的贫困户分别有多少户？",
     ["石门县2018年脱贫的贫困户有多少户？", "新疆截至2019年底脱贫的贫困户有多少户？"],
     ["石门县2018年", "新疆截至2019年底"], "each"),
    ("安平县农民人均纯收入和石门县农村居民人均可支配收入各是多少？",
     ["安平县农民人均纯收入是多少？", "石门县农村居民人均可支配收入是多少？"], ["安平县", "石门县"], "each"),
    ("安平县2017年人均纯收入和石门县人均纯收入，哪个更高？",
     ["安平县2017年人均纯收入是多少？", "石门县人均纯收入是多少？"], ["安平县", "石门县"], "max"),
    ("柳沟村的花椒基地和桃源镇的草莓基地，哪个面积更小？",
     ["柳沟村的花椒基地面积是多少？", "桃源镇的草莓基地面积是多少？"], ["柳沟村", "桃源镇"], "min"),
])
def test_decompose(question, parts, labels, mode):
    assert split(question) == (parts, labels, mode)


@pytest.mark.parametrize("question", [
    "2014年和2015年一共退出多少贫困村",        # a sum is one question
    "2014年和2016年退出贫困村相差多少",        # a difference too
    "2014年到2016年每年退出多少贫困村",        # a span of years
    "安平县2015年退出多少贫困村",
    "安平县的花椒和核桃种植面积是多少",        # one place, one time: nothing to split
])
def test_one_question(question):
    assert split(question) is None


@pytest.mark.parametrize(("content", "focus"), [
    ("建档立卡贫困户中稳定脱贫的有多少人？", "稳定脱贫的有"),
    ("贫困户中因病致贫的占多少", "因病致贫的占"),
    ("爱洞屯中草药示范基地涉及多少人？", ""),          # 中 of 中草药 is no word of its own
    ("村里有多少人", ""),
])
def test_focus_of_a_question(content, focus):
    from kg.qa.retrieve import focus_of
    assert focus_of(content) == focus
