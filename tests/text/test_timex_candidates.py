"""find_times skips digits inside a number: it finds what trying every digit finds."""

import re

import pytest

from kg.text import timex

EVERY_DIGIT = re.compile(r"[0-9〇零○一二三四五六七八九截到至自从十“\"「‘]")


@pytest.mark.parametrize("text", [
    "2017年底", "12017年", "20172018年", "2017.5年", "3.2017年", "v2017年", "2014-2016年", "2014、2015、2016各年度",
    "截至2017年底共有4557户13392人", "由2013年底的21.5%下降到2017年底的1.31%", "〔2017〕87号", "2018年5月20日",
    "１２０１７年", "2017年2018年", "自1986年起", "“十三五”期间", "25055名2019年", "1.2019年", "..2019年",
])
def test_timex_candidates_skip_nothing_that_matters(text, monkeypatch):
    timex._find_times.cache_clear()
    fast = timex.find_times(text)
    monkeypatch.setattr(timex, "_CANDIDATE_RE", EVERY_DIGIT)
    timex._find_times.cache_clear()
    assert timex.find_times(text) == fast
    timex._find_times.cache_clear()
