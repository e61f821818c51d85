"""The extractor against the hand-made table of every unit-bearing quantity of the five dev reports.

`tests/gold/dev-observations.csv` has one row per match of the coverage regex (below) in
`tests/dev/docs/*.txt`. For four things — quantity, phrase, place, time — this prints precision
and recall per document and overall (the misses too, with `pytest -s`), and asserts the overall
figures do not fall below FLOORS.

- quantity: an observation (a fact's mention) whose span is at most 40 characters and overlaps
  the gold span; phrase: its `phrase` contains every `phrase_words` word; place: its place is the
  gold place or a short form of it (环江县/环江毛南族自治县); time: its period's start and end years
  are the gold's (an empty gold period wants no time, or the report's).
- precision is over the observations whose span overlaps any unit-bearing quantity of the doc;
  recall is over the gold rows.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from kg.corpus import read_report
from kg.extract import extract_report

TESTS = Path(__file__).resolve().parent.parent
GOLD = TESTS / "gold" / "dev-observations.csv"
DOCS = TESTS / "dev" / "docs"
ASPECTS = ("quantity", "phrase", "place", "time")

# (precision, recall) measured on the working tree, rounded down: each at the goal of 0.90 or
# above (measured 1.000/0.993, 0.911/0.904, 0.926/0.919, 0.919/0.912); floors only go up.
FLOORS = {
    "quantity": (1.00, 0.99),
    "phrase": (0.91, 0.90),
    "place": (0.92, 0.91),
    "time": (0.91, 0.91),
}

# the official coverage measure (shared dev set, coverage.py); a match preceded by 第 is skipped
UNITS = ("个百分点|人次|万元|亿元|千元|万亩|平方米|平方公里|公里|千米|万千瓦|千瓦|立方米|"
         "个|户|人|名|元|亩|吨|头|只|所|家|项|座|间|套|条|处|张|台|辆|批|次|期|倍|岁|天|所|村|镇|乡|县|栋|口|株|棵|斤|公斤|千克|米|%|％")
QTY = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(多|余)?(万|亿)?(多|余)?(" + UNITS + r")")
SPAN_MAX = 40
LEVELS = "省市县区乡镇村旗"
PLACE_SUFFIX = re.compile(rf"[{LEVELS}]|.{{0,6}}自治[区州县旗]")


def quantities(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in QTY.finditer(text)
            if text[max(0, m.start() - 1):m.start()] != "第"]


def gold_rows() -> dict[str, list[dict]]:
    rows = defaultdict(list)
    with GOLD.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            r["start"], r["end"] = int(r["start"]), int(r["end"])
            rows[r["doc"]].append(r)
    return rows


def same_place(a: str, b: str) -> bool:
    """Equal, or one is the short form of the other (井冈山/井冈山市, 新疆/新疆维吾尔自治区, 环江县/环江毛南族自治县)."""
    if a == b:
        return True
    for x, y in ((a, b), (b, a)):
        for stem in {x, x[:-1] if len(x) > 2 and x[-1] in LEVELS else x}:
            if len(stem) >= 2 and y.startswith(stem) and PLACE_SUFFIX.fullmatch(y[len(stem):]):
                return True
    return False


def judge(fact, row) -> dict[str, bool]:
    phrase = getattr(fact, "phrase", "") or ""
    period = fact.period
    if row["period"]:
        a, _, b = row["period"].partition("/")
        timely = period is not None and (period.start_year, period.end_year) == (int(a), int(b or a))
    else:
        timely = period is None or period.kind == "report"
    return {"quantity": True,
            "phrase": all(w in phrase for w in row["phrase_words"].split("|")),
            "place": fact.place is not None and same_place(fact.place.name or "", row["place"]),
            "time": timely}


def overlaps(s, e, row) -> bool:
    return s < row["end"] and e > row["start"]


@pytest.fixture(scope="module")
def extractions() -> dict[str, tuple[str, list]]:
    out = {}
    for path in sorted(DOCS.glob("*.txt")):
        report = read_report(path)
        out[path.stem] = (report.text, extract_report(report).facts)
    return out


def score(extractions):
    gold = gold_rows()
    counts = {d: defaultdict(int) for d in gold}    # (aspect, "p"/"r") -> hits; "obs", "gold"
    misses = []
    for doc, rows in gold.items():
        text, facts = extractions[doc]
        qty = quantities(text)
        obs = [(f, m.start, m.end) for f in facts for m in f.mentions
               if any(m.start < qe and m.end > qs for qs, qe, _ in qty)]
        c = counts[doc]
        c["gold"], c["obs"] = len(rows), len(obs)
        for f, s, e in obs:                         # precision
            near = [r for r in rows if e - s <= SPAN_MAX and overlaps(s, e, r)]
            if not near:
                misses.append(f"{doc} spurious  {text[s:e]!r} @{s}-{e}")
                continue
            row = min(near, key=lambda r: (Decimal(r["base_value"]) != f.base_value, abs(r["start"] - s)))
            for aspect, ok in judge(f, row).items():
                c[aspect, "p"] += ok
        for row in rows:                            # recall
            cands = [(f, s, e) for f, s, e in obs if e - s <= SPAN_MAX and overlaps(s, e, row)]
            if not cands:
                misses.append(f"{doc} missed    {row['surface']} @{row['start']} ({row['phrase']})")
                continue
            value = Decimal(row["base_value"])
            f, s, e = min(cands, key=lambda c: (c[0].base_value != value, c[2] - c[1]))
            for aspect, ok in judge(f, row).items():
                c[aspect, "r"] += ok
                if not ok:
                    got = {"phrase": getattr(f, "phrase", ""), "place": f.place and f.place.name,
                           "time": f.period and f"{f.period.label} ({f.period.kind})"}[aspect]
                    want = {"phrase": row["phrase_words"], "place": row["place"],
                            "time": row["period"] or "(none)"}[aspect]
                    misses.append(f"{doc} {aspect:<9} {row['surface']} @{row['start']}: want {want}, got {got}")
    return counts, misses


def figures(c) -> dict[str, tuple[float, float]]:
    return {a: (c[a, "p"] / max(1, c["obs"]), c[a, "r"] / max(1, c["gold"])) for a in ASPECTS}


def test_gold_table_has_a_row_per_quantity():
    for doc, rows in gold_rows().items():
        text = (DOCS / f"{doc}.txt").read_text(encoding="utf-8")
        assert [(r["start"], r["end"], r["surface"]) for r in rows] == quantities(text), doc
        for r in rows:
            assert r["kind"] in ("actual", "target", "forecast") and r["measure"] in ("level", "change", "cumulative")
            assert re.fullmatch(r"(\d{4}(/\d{4})?)?", r["period"]) and r["place"] and r["phrase_words"], r


def test_dev_gold_precision_and_recall(extractions):
    counts, misses = score(extractions)
    total = defaultdict(int)
    for c in counts.values():
        for k, v in c.items():
            total[k] += v
    print("\n" + f"{'doc':<16} {'gold':>4} {'obs':>4}  " + "  ".join(f"{a:>13}" for a in ASPECTS))
    print(f"{'':<16} {'':>4} {'':>4}  " + "  ".join(f"{'P':>6} {'R':>6}" for _ in ASPECTS))
    for doc, c in [*counts.items(), ("overall", total)]:
        fig = figures(c)
        print(f"{doc:<16} {c['gold']:>4} {c['obs']:>4}  " + "  ".join(f"{p:6.3f} {r:6.3f}" for p, r in fig.values()))
    print(f"\n{len(misses)} misses:")
    for m in misses:
        print("  " + m)
    overall = figures(total)
    low = {a: (overall[a], FLOORS[a]) for a in ASPECTS
           if overall[a][0] < FLOORS[a][0] or overall[a][1] < FLOORS[a][1]}
    assert not low, f"below the floors (measured, floor): {low}"
