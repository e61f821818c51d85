"""The paraphrase table: questions about the seed report in many wordings (≥150, ≥20 refusals).

At least 95% must be right; the score and every failure are printed.
"""

from __future__ import annotations

from kg.qa.check import judge

from .conftest import ask_many, load_jsonl

THRESHOLD = 0.95


def test_paraphrase_table_shape():
    rows = load_jsonl("paraphrases.jsonl")
    assert len(rows) >= 150
    assert sum(1 for r in rows if not r["answered"]) >= 20
    assert len({r["q"] for r in rows}) == len(rows), "duplicate questions"


def test_paraphrases(qa_store):
    rows = load_jsonl("paraphrases.jsonl")
    results = ask_many(qa_store, [r["q"] for r in rows])
    failures = []
    for g, r in zip(rows, results):
        ok, why = judge(r, g)
        if not ok:
            failures.append(f"{g['q']}: {why} — {r['answer']}")
    score = 1 - len(failures) / len(rows)
    refusals = [g for g in rows if not g["answered"]]
    print(f"\nparaphrases: {len(rows) - len(failures)}/{len(rows)} correct ({score:.1%}; "
          f"{len(refusals)} must-refuse questions)")
    for f in failures:
        print("  FAIL", f)
    assert score >= THRESHOLD
