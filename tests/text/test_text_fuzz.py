"""Property tests (Hypothesis) for the text modules: they never crash and
always return well-formed, ordered, non-overlapping spans."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text.normalize import normalize_width
from kg.text.numerals import NumberParseError, parse_number, to_chinese
from kg.text.quantities import find_quantities
from kg.text.timex import find_times
from kg.text.modality import target_cue

# characters that exercise the extractors: digits (both widths), Chinese
# numerals, units, qualifiers, time words, brackets and punctuation
_ALPHABET = (
    "0123456789０１２３４５６７８９.,，、-—～~%％‰/()（）〔〕[]“”\n "
    "零〇一二三四五六七八九十百千万亿两点分之"
    "个户人名次元度亩株年月日号底末上下半季第期间以来起至到截止自从"
    "约近余多左右以上下内超过不低于少至每均贫困村镇增收发放性化式十三五GA"
)
report_like = st.text(alphabet=_ALPHABET + "！～　ＡＢｚ｛｝", max_size=60)
any_text = st.one_of(st.text(max_size=60), report_like)


@given(any_text)
@settings(max_examples=400)
def test_text_fuzz_parse_number_only_raises_number_parse_error(s):
    try:
        value = parse_number(s)
    except NumberParseError:
        return
    assert isinstance(value, Decimal)


@given(st.integers(min_value=0, max_value=10**12 - 1))
@settings(max_examples=400)
def test_text_fuzz_to_chinese_round_trip(n):
    assert parse_number(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**12 - 1), st.integers(min_value=0, max_value=99))
def test_text_fuzz_arabic_round_trip(whole, cents):
    s = f"{whole}.{cents:02d}"
    assert parse_number(s) == Decimal(s)
    assert parse_number(f"{whole:,}") == whole


def _check_spans(text, spans):
    last_end = 0
    for sp in spans:
        assert 0 <= sp.start < sp.end <= len(text)
        assert sp.surface == text[sp.start:sp.end]
        assert sp.start >= last_end
        last_end = sp.end


@given(any_text)
@settings(max_examples=400)
def test_text_fuzz_find_quantities_spans(text):
    found = find_quantities(text)
    _check_spans(text, found)
    for q in found:
        assert isinstance(q.value, Decimal) and isinstance(q.base_value, Decimal)
        assert q.qualifier in {"exact", "approximate", "lower_bound", "upper_bound", "range"}
        assert (q.value_max is None) == (q.qualifier != "range")


@given(any_text)
@settings(max_examples=400)
def test_text_fuzz_find_times_spans(text):
    found = find_times(text)
    _check_spans(text, found)
    for t in found:
        assert 1900 <= t.start_year <= t.end_year <= 2100


@given(any_text)
def test_text_fuzz_normalize_width_and_modality(text):
    assert len(normalize_width(text)) == len(text)
    # only runs of wide characters are mapped: the same as mapping every character
    assert normalize_width(text) == text.translate(
        {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20})
    cue = target_cue(text)
    assert cue is None or isinstance(cue, str)
