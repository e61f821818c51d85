"""The prefix qualifier of a number (约, 不低于, 近 …) is the longest qualifier word ending where it starts."""

import pytest

from kg.text import quantities as Q
from kg.text.units import UNITS


def reference(t, s, unit):
    for word in Q._PREFIX_ORDER:
        if t.startswith(word, s - len(word)) and s >= len(word):
            b = s - len(word)
            if word in Q._NOT_BEFORE and b and t[b - 1] in Q._NOT_BEFORE[word]:
                return s, None
            if word == "近" and unit is not None and unit.base in Q.TIME_UNITS:
                return s, None
            return b, Q._PREFIX_QUALIFIERS[word]
    return s, None


@pytest.mark.parametrize("text", ["约5", "大约5", "节约5", "不低于5", "低于5", "不超过5", "超过5", "近5", "最近5", "近\n5",
                                  "约\n5", "x不到5", "不足5", "至少5", "最少5", "5", "逾5", "多于5", "不多于5", "约约5"])
@pytest.mark.parametrize("unit", [None, "年", "元"])
def test_prefix_qualifier_matches_trying_every_word(text, unit):
    u = UNITS[unit] if unit else None
    s = len(text) - 1
    assert Q._prefix_qualifier(text, s, u) == reference(text, s, u)
    assert Q._prefix_qualifier(text, 0, u) == reference(text, 0, u)
