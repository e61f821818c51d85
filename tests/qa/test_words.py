"""The question vocabulary (ontology/question-words.tsv), read once by kg.qa.words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.paths import ontology_dir
from kg.qa import words as W
from kg.text.units import CLASSES, FLAGS, UNITS

SRC = Path(__file__).resolve().parents[2] / "src" / "kg"


def test_the_file_is_read_once():
    assert W.table() is W.table()
    assert W.pattern("sum") is W.pattern("sum")


def test_every_role_is_used_by_the_code_and_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (SRC / "qa").rglob("*.py"))
    text = (ontology_dir() / W.FILE).read_text(encoding="utf-8")
    for role in W.table():
        assert f'"{role}"' in code, f"{role}: no module reads it"
        assert f"\n# {role}: " in text, f"{role}: no comment says what it is for"


def test_every_role_of_one_value_a_row_compiles():
    for role, rows in W.table().items():
        if all(len(r) == 1 for r in rows):
            assert isinstance(W.pattern(role), re.Pattern)
        for r in rows:
            re.compile(r[0])


def test_rows_of_several_values():
    for word, levels in W.rows("rank-level", 2):
        assert levels.split()
    for rx, unit, strength in W.rows("implied-unit", 3):
        assert unit in UNITS and strength in ("strong", "soft")
    for rx, tag in W.rows("unit-hint", 2):
        assert tag in CLASSES or tag in FLAGS
    for pattern, units in W.unit_hints():
        assert units and units <= set(UNITS)
    for word, canon in W.rows("canonical", 2):
        assert word != canon


def test_words_are_single_values():
    with pytest.raises(ValueError):
        W.words("canonical")            # two values a row
    with pytest.raises(KeyError):
        W.words("no-such-role")


def test_a_role_joins_its_rows_in_order():
    assert W.pattern("sum").pattern.split("|")[:2] == ["一共", "总共"]
    assert W.pattern("sum").search("共计三个").group() == "共计"      # 共计 is written before 共


def test_a_bad_line_is_an_error(tmp_path):
    bad = tmp_path / "question-words.tsv"
    bad.write_text("# comment\nsum\n", encoding="utf-8")
    with pytest.raises(ValueError):
        W.read_roles(bad)
    bad.write_text("sum\t一共\nsum\t\t\n", encoding="utf-8")
    with pytest.raises(ValueError):
        W.read_roles(bad)
