"""Every public seed question, through `kg ask - --json` in a subprocess: all must be right."""

from __future__ import annotations

from kg.qa.check import judge

from .conftest import ask_many, load_jsonl


def test_seed_public_questions(qa_store):
    gold = load_jsonl("seed_public.jsonl")
    results = ask_many(qa_store, [g["q"] for g in gold])
    failures = []
    for g, r in zip(gold, results):
        assert r["question"] == g["q"]
        ok, why = judge(r, g)
        if not ok:
            failures.append(f"{g['q']}: {why} — {r['answer']}")
    print(f"\nseed public: {len(gold) - len(failures)}/{len(gold)} correct")
    for f in failures:
        print("  FAIL", f)
    assert not failures
