"""The unit table (ontology/units.tsv), read once by kg.text.units: what it builds and its invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.paths import ontology_dir
from kg.text import units as U


def test_every_base_unit_is_a_unit_of_factor_one():
    for base in U.BASE_UNITS:
        assert U.UNITS[base] == U.Unit(base, U.UNITS[base].slug, base, Decimal(1))
    for u in U.UNITS.values():
        assert u.base == "" or u.base in U.UNITS


def test_slugs_are_unique_ascii():
    slugs = [u.slug for u in U.UNITS.values()]
    assert len(slugs) == len(set(slugs))
    assert all(s.isascii() and s == s.lower() and " " not in s for s in slugs)


def test_names_are_unique_in_the_file():
    names = [r.name for r in U.table()]
    assert len(names) == len(set(names))


def test_every_flag_and_class_names_some_units():
    for flag in U.FLAGS:
        assert U.units_flagged(flag), flag
    for cls in U.CLASSES:
        assert U.units_of_class(cls), cls
    with pytest.raises(KeyError):
        U.units_flagged("no-such-flag")


def test_the_file_documents_every_flag():
    header = [line for line in (ontology_dir() / "units.tsv").read_text(encoding="utf-8").splitlines()
              if line.startswith("#")]
    for flag in U.FLAGS:
        assert any(line.startswith(f"#   {flag} ") for line in header), flag


def test_scales_and_scaled_units():
    assert list(U.SCALES) == ["万", "十万", "百万", "千万", "亿", "万亿"]
    assert U.SCALES["万"] == ("wan", 10**4)
    assert U.UNITS["万元"] == U.Unit("万元", "wan-yuan", "元", Decimal(10**4))
    assert U.UNITS["万名"] == U.Unit("万名", "wan-ming", "人", Decimal(10**4))
    assert U.UNITS["亿千瓦时"].base == "度"
    assert "十万" not in U.UNITS and U.UNITS["万"].base == ""      # 十万 alone is part of a numeral
    assert "万百分点" not in U.UNITS                                  # not scalable


def test_sets_of_units_come_from_the_table():
    assert U.TIME_UNITS == {"年", "月", "天", "周", "小时"}
    assert U.PERCENT_UNITS == U.units_of_class("percent") == {"%", "‰", "百分点"}
    assert U.unit_class("家") == U.unit_class("个") == "count" and U.unit_class("名") is None
    assert U.unit_class(None) is None and U.unit_class("") is None
    # a flag names units of the table only: every flagged unit is a unit
    for flag in U.FLAGS - {"scale", "numeral"}:
        assert U.units_flagged(flag) <= set(U.UNITS), flag


def test_a_bad_line_is_an_error(tmp_path):
    bad = tmp_path / "units.tsv"
    bad.write_text("个\tge\t个\t1\tmaybe\tcount\t\n", encoding="utf-8")
    with pytest.raises(ValueError):
        U.read_table(bad)
    bad.write_text("个\tge\t个\t1\tyes\tcount\tno-such-flag\n", encoding="utf-8")
    with pytest.raises(ValueError):
        U.read_table(bad)
