"""Tests for kg.text.numerals and kg.text.normalize."""

from decimal import Decimal

import pytest

from kg.text.normalize import normalize_width
from kg.text.numerals import NumberParseError, parse_number, to_chinese


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic
        ("4557", "4557"),
        ("2472854.56", "2472854.56"),
        ("1,949", "1949"),
        ("12,345,678", "12345678"),
        ("４５", "45"),
        ("０.５", "0.5"),
        (" 36 ", "36"),
        ("0", "0"),
        # Chinese
        ("一千二百", "1200"),
        ("三十", "30"),
        ("十", "10"),
        ("十二", "12"),
        ("两百", "200"),
        ("两千五", "2500"),
        ("一千零一十", "1010"),
        ("九百零五", "905"),
        ("三万五千", "35000"),
        ("二〇一五", "2015"),
        ("二零一八", "2018"),
        ("零点五", "0.5"),
        ("三点一四", "3.14"),
        ("壹佰", "100"),
        # percent / permille bodies
        ("百分之八十一", "81"),
        ("百分之百", "100"),
        ("百分之4.5", "4.5"),
        ("千分之五", "5"),
        # mixed
        ("4.86亿", "486000000"),
        ("3551.9万", "35519000"),
        ("2万", "20000"),
        ("1.24万", "12400"),
        ("10万", "100000"),
        ("1.5万亿", "1500000000000"),
        ("3千万", "30000000"),
    ],
)
def test_numerals_parse_number(text, expected):
    assert parse_number(text) == Decimal(expected)


def test_numerals_parse_number_returns_clean_decimal():
    assert str(parse_number("4.86亿")) == "486000000"
    assert str(parse_number("1.24万")) == "12400"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "12a", "1,94", "1.2.3", "十三五", "二十零", "一点", "点五",
     "百", "万", "千分之", "百分之", "-5", "负五", "几十", "1/2", "五成", "4557户"],
)
def test_numerals_parse_number_rejects(text):
    with pytest.raises(NumberParseError):
        parse_number(text)


def test_numerals_parse_error_is_value_error():
    assert issubclass(NumberParseError, ValueError)


@pytest.mark.parametrize(
    ("n", "zh"),
    [(0, "零"), (10, "十"), (1200, "一千二百"), (20000, "二万"), (100010, "十万零一十"),
     (100001000, "一亿零一千"), (42800001011, "四百二十八亿零一千零一十一")],
)
def test_numerals_to_chinese(n, zh):
    assert to_chinese(n) == zh
    assert parse_number(zh) == n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０１８年", "2018年"),
        ("４５．９７％", "45.97%"),
        ("（一）\u3000总体", "(一) 总体"),
        ("ＡＢＣ～", "ABC~"),
        ("“十三五”。", "“十三五”。"),  # CJK punctuation is left alone
    ],
)
def test_numerals_normalize_width(text, expected):
    out = normalize_width(text)
    assert out == expected
    assert len(out) == len(text)
