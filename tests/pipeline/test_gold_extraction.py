"""Precision and recall of the extracted observations against the hand-checked gold table."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

GOLD = Path(__file__).resolve().parent.parent / "gold" / "ruzhou-2018-observations.csv"
THRESHOLD = 0.95


def gold_keys() -> Counter:
    with GOLD.open(encoding="utf-8") as f:
        return Counter(key(r["indicator"], r["place"], r["period"], r["breakdown"], r["value"], r["unit"], r["kind"])
                       for r in csv.DictReader(f))


def key(indicator, place, period, breakdown, value, unit, kind) -> tuple:
    return (indicator, place, period, breakdown or "", Decimal(str(value)).normalize(), unit, kind)


def extracted_keys(rows) -> Counter:
    """The lexicon's facts (the gold table lists those; open facts, indicators minted from a
    measured phrase, are measured against the dev reports' gold table instead)."""
    return Counter(key(r["indicator"], r["place"], r["period"], r["breakdown"], r["value"], r["unit"], r["kind"])
                   for r in rows if not r["indicator"].startswith("open/"))


def test_gold_extraction_precision_and_recall(seed_rows):
    gold, got = gold_keys(), extracted_keys(seed_rows)
    hits = sum((gold & got).values())
    precision = hits / max(1, sum(got.values()))
    recall = hits / max(1, sum(gold.values()))
    print(f"\nextraction vs gold: precision {precision:.3f}, recall {recall:.3f} "
          f"({hits} of {sum(gold.values())} gold, {sum(got.values())} extracted)")
    for k in sorted(gold - got, key=str):
        print("  missed  ", k)
    for k in sorted(got - gold, key=str):
        print("  spurious", k)
    assert precision >= THRESHOLD and recall >= THRESHOLD
