"""The synthetic report generator (bench/synth.py), and the extractor on reports it has never seen.

The recall test is also an unseen-report test of the extractor: the generator writes the
sentence shapes of real reports and plants the facts it wrote; the extractor must recover
most of them. Misses are printed per sentence shape (the generator's template name).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RECALL_DOCS = 20
RECALL_THRESHOLD = 0.8
MAX_SHOWN = int(__import__("os").environ.get("SYNTH_SHOW", "3"))


def _load_synth():
    spec = importlib.util.spec_from_file_location("kg_bench_synth", REPO / "bench" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


synth = _load_synth()


@pytest.fixture(scope="module")
def reports():
    return synth.generate_with_truth(RECALL_DOCS, seed=0)


def test_deterministic_and_prefix_stable():
    a = synth.generate_with_truth(4, seed=7)
    assert a == synth.generate_with_truth(4, seed=7)
    assert a[:2] == synth.generate_with_truth(2, seed=7)          # report i does not depend on n
    assert [t for _, t, _, _ in a] != [t for _, t, _, _ in synth.generate_with_truth(4, seed=8)]
    assert synth.generate(4, seed=7) == [(d, t, m) for d, t, m, _ in a]


def test_sizes_metadata_and_variety(reports):
    docs = synth.generate_with_truth(60, seed=1)
    for doc, text, meta, facts in docs:
        assert 3000 <= len(text.encode("utf-8")) <= 8000, (doc, len(text.encode("utf-8")))
        assert set(meta) == {"title", "place", "date", "source"}
        assert meta["place"][-1] in "县市区" and meta["place"] in text
        assert 2016 <= int(meta["date"]) <= 2020
        assert len(facts) >= 20
        for f in facts:
            assert f.value in text, f
            years = [int(y) for y in f.period.replace("-", "/").split("/") if len(y) == 4]
            assert all(2013 <= y <= 2020 for y in years), f
    assert len({m["place"] for _, _, m, _ in docs}) >= 40                      # many places
    assert len({f.place for *_, fs in docs for f in fs}) > len(docs) * 1.3    # villages and towns too
    assert len({f.indicator for *_, fs in docs for f in fs}) >= 50           # many indicators


def test_breakdowns_sum_to_100(reports):
    for doc, _, _, facts in reports:
        shares = [Decimal(f.value) for f in facts if f.indicator == "poverty-cause-share"]
        assert shares and sum(shares) == 100, doc


def test_indicator_and_breakdown_slugs_exist():
    from kg.lexicon import load_lexicon
    from kg.namespaces import BRK, IND

    lex = load_lexicon()
    indicators = {iri[len(IND):] for iri in lex.indicators}
    breakdowns = {iri[len(BRK):]: lex.breakdowns[iri].indicator[len(IND):] for iri in lex.breakdowns}
    for *_, facts in synth.generate_with_truth(30, seed=2):
        for f in facts:
            assert f.indicator in indicators, f
            if f.breakdown:
                assert breakdowns[f.breakdown] == f.indicator, f


def test_write_corpus_is_a_readable_corpus(tmp_path):
    from kg.corpus import read_report, report_files

    truth = tmp_path / "truth.jsonl"
    paths = synth.write_corpus(tmp_path / "c", 3, seed=4, truth=truth)
    assert [p.name for p in report_files([tmp_path / "c"])] == sorted(p.name for p in paths)
    r = read_report(paths[0])
    doc, text, meta, facts = synth.generate_with_truth(1, seed=4)[0]
    assert (r.doc, r.text, r.place, r.date) == (doc, text, meta["place"], meta["date"])
    rows = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == sum(len(f) for *_, f in synth.generate_with_truth(3, seed=4))
    assert rows[0]["doc"] == doc and rows[0]["indicator"] == facts[0].indicator


# ----------------------------------------------------------------------------- recall

def _key(indicator, place, period, value, unit) -> tuple:
    return (indicator, place, period, Decimal(str(value)).normalize(), unit)


def extracted(doc, text, meta) -> list[tuple]:
    from kg.corpus import Report
    from kg.extract import extract_report
    from kg.namespaces import BRK, IND

    ex = extract_report(Report(doc=doc, text=text, **meta))
    return [(_key(f.indicator[len(IND):], f.place.name, f.period.label, f.value, f.unit),
             (f.breakdown or "")[len(BRK):] if f.breakdown else "", f.kind, f.mentions[0].sentence)
            for f in ex.facts]


def test_extractor_recovers_planted_facts(reports):
    planted_n = hits = strict_hits = extracted_n = 0
    by_shape: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: dict[str, list[str]] = defaultdict(list)
    strict_misses: dict[str, list[str]] = defaultdict(list)
    for doc, text, meta, facts in reports:
        got = extracted(doc, text, meta)
        got_keys = Counter(g[0] for g in got)
        got_strict = Counter((*g[0], g[1], g[2]) for g in got)
        extracted_n += len(got)
        for f in facts:
            k = _key(*f[:5])
            planted_n += 1
            by_shape[f.shape][1] += 1
            if got_keys[k] > 0:
                got_keys[k] -= 1
                hits += 1
                by_shape[f.shape][0] += 1
            else:
                near = sorted((g for g in got if g[0][3] == k[3] and g[0][4] == k[4]),
                              key=lambda g: g[0][0] != f.indicator)
                how = ("got " + " ".join(format(x, "f") if isinstance(x, Decimal) else x for x in near[0][0])
                       if near else "not extracted")
                misses[f.shape].append(f"{doc}: {f.indicator} {f.place} {f.period} {f.value}{f.unit} ({how})")
            sk = (*k, f.breakdown, f.kind)
            if got_strict[sk] > 0:
                got_strict[sk] -= 1
                strict_hits += 1
            elif got_keys.get(k, 0) >= 0 and k in {g[0] for g in got}:
                other = next(g for g in got if g[0] == k)
                strict_misses[f.shape].append(f"{doc}: {f.indicator} {f.value}{f.unit} planted breakdown={f.breakdown!r} "
                                              f"kind={f.kind}, got breakdown={other[1]!r} kind={other[2]}")
    recall = hits / planted_n
    print(f"\nsynthetic recall: {recall:.3f} ({hits} of {planted_n} planted facts in {len(reports)} reports; "
          f"{extracted_n} extracted); with breakdown and kind too: {strict_hits / planted_n:.3f}")
    for shape, (h, n) in sorted(by_shape.items(), key=lambda x: x[1][0] / x[1][1]):
        if h < n:
            print(f"  {shape:28s} {h:4d}/{n:<4d} {h / n:.2f}")
            for line in misses[shape][:MAX_SHOWN]:
                print("      missed", line)
    for shape, lines in sorted(strict_misses.items()):
        print(f"  {shape:28s} right key, wrong breakdown or kind: {len(lines)}")
        for line in lines[:MAX_SHOWN]:
            print("      ", line)
    assert recall >= RECALL_THRESHOLD
