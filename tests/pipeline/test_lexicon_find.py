"""Lexicon.find (overlapping: one Aho-Corasick pass; else skipping to the characters a label
may start with) finds what trying every length at every position finds, in the same order;
labels added after a search are found too."""

import re
from pathlib import Path

import pytest

from kg.corpus import read_report, report_files

from kg.lexicon import Concept, Lexicon, Term, load_lexicon


def reference_find(lex: Lexicon, text: str, overlapping: bool):
    out, i, n = [], 0, len(text)
    while i < n:
        hit = None
        for length in range(min(lex.max_len, n - i), 0, -1):
            terms = lex.terms.get(text[i:i + length])
            if terms:
                out.extend((i, i + length, t) for t in terms)
                hit = hit or length
                if not overlapping:
                    break
        i += hit if hit and not overlapping else 1
    return out


TEXTS = [
    "", "贫", "2017年底,全县共有贫困村63个,退出贫困村8个,贫困发生率由21.5%下降到1.31%",
    "其中因病致贫占45.97%;因残致贫占16.02%;缺资金致贫5.2%",
    "光伏分红资金每户贫困户年分红2400元,建成9个扶贫车间",
    "减少贫困人口27747人,贫困人口贫困人口", "no labels here at all", "贫困户贫困户贫困户",
]


@pytest.mark.parametrize("overlapping", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_lexicon_find_matches_reference(text, overlapping):
    lex = load_lexicon()
    assert lex.find(text, overlapping) == reference_find(lex, text, overlapping)


def test_lexicon_find_sees_labels_added_after_a_search():
    concept = Concept("x:c", "c", "甲乙", ("甲乙",), "indicator")
    lex = Lexicon()
    assert lex.find("甲乙丙") == []
    lex.terms["甲乙"] = [Term("甲乙", concept)]
    lex.max_len = 2
    assert lex.find("甲乙丙") == reference_find(lex, "甲乙丙", False) != []
    assert lex.find("甲乙丙", True) == reference_find(lex, "甲乙丙", True) != []
    lex.terms["乙丙"] = [Term("乙丙", concept)]
    assert lex.find("甲乙丙", True) == reference_find(lex, "甲乙丙", True)
    assert len(lex.find("甲乙丙", True)) == 2


def test_lexicon_find_on_every_clause_of_the_test_reports():
    root = Path(__file__).resolve().parents[2]
    lex = load_lexicon()
    texts = [read_report(p).text for p in report_files([str(root / "corpus"), str(root / "tests" / "dev" / "docs")])]
    clauses = [c for t in texts for c in re.split("[，。；、：\n]", t) if c]
    assert len(clauses) > 300
    for text in clauses + texts:
        for overlapping in (False, True):
            assert lex.find(text, overlapping) == reference_find(lex, text, overlapping)


def test_a_lexicon_that_has_searched_pickles_and_searches_again():
    """A question catalogue pickles the lexicon: its automaton is left out and made again."""
    import pickle
    lex = load_lexicon()
    text = TEXTS[2]
    found = lex.find(text, True)
    again = pickle.loads(pickle.dumps(lex))
    assert again.find(text, True) == found != []
