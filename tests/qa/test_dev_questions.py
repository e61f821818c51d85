"""The dev questions: real reports of other places (tests/dev/docs), asked in many wordings.

``dev_questions.jsonl`` holds ≥150 questions about the five dev reports (井冈山, 新疆, 弄岗村, 环江县,
海拉尔区) — colloquial and formal, with and without the place or the year, Chinese numerals,
comparisons between two places, breakdowns, entity and which-year questions, and ≥30 that must be
refused (most of them near misses: another year, another place level, a cumulative total asked as
one year's flow, a target asked as an actual, a measure the report does not give). Each line has
a ``split`` ("a" calibrates an answer threshold, "b" reports on it) and a ``wording`` tag; near
misses name what they miss in ``miss``.

Both tables (these and the 65 of tests/dev/qa.jsonl) are asked with ``kg.ask`` of one store — the
seed corpus and the five reports added with ``kg add``'s code path, no metadata, as
../shared/dev/measure builds it — and graded with the official grader's rules (``grade`` below is
a copy of ``grade`` of ../shared/dev/score_qa.py). Each test prints the score, the answered-wrong
count (answered but not correct; refusals are not counted) and both per split; ``-s`` shows the
output, with every failure listed.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEV = REPO / "tests" / "dev"
TABLE = HERE / "dev_questions.jsonl"
DEV_QA = DEV / "qa.jsonl"
SHARED_GRADER = REPO.parent / "shared" / "dev" / "score_qa.py"

# Floors and ceilings measured on the working tree (score rounded down, answered-wrong rounded up,
# to the whole percent). The goal is a score of 90% and answered-wrong ≤ 3% of the questions.
# Floors only go up and ceilings only go down: raise them when the product improves.
DEV_QUESTIONS_SCORE_FLOOR = 0.90     # measured 239/263 = 90.9% (60/263 before the open world)
DEV_QUESTIONS_WRONG_CEILING = 0.02   # measured 4/263 = 1.5% answered wrong (goal 3%)
DEV_QA_SCORE_FLOOR = 0.96            # measured 63/65 = 96.9% (10/65 before)
DEV_QA_WRONG_CEILING = 0.02          # measured 0/65 answered wrong

WORDINGS = {"colloquial", "formal", "no_place", "no_year", "cn_numeral", "comparison", "breakdown",
            "entity", "which_year", "refuse_near_miss", "refuse_absent"}
MISSES = {"year", "level", "cumulative", "measure", "target"}


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------- the official grader's rules
# A copy of grade() of ../shared/dev/score_qa.py (that folder is not part of the repo); keep it
# the same: test_grader_is_the_official_one compares them when the shared folder is there.

def close(a, b):
    try:
        a = float(a); b = float(b)
    except (TypeError, ValueError):
        return False
    return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6)

def grade(gold, resp):
    if not isinstance(resp, dict):
        return False, "no JSON answer"
    answered = bool(resp.get("answered"))
    if not gold.get("answered", True):
        return (not answered), ("refused" if not answered else f"should refuse, said {resp.get('answer')!r}")
    if not answered:
        return False, "refused"
    text = str(resp.get("answer", ""))
    vals = resp.get("values") or []
    if "values" in gold:  # list question: every gold item must appear
        hay = text + " " + " ".join(str(v.get("label", v.get("value", ""))) if isinstance(v, dict) else str(v) for v in vals)
        missing = [g for g in gold["values"] if g not in hay]
        return (not missing), (f"missing {missing}" if missing else "ok")
    if gold.get("value") is None:  # entity answer: the gold text must appear
        import re  # the core of the gold text: a parenthesised gloss is not required
        want = re.sub(r"（[^）]*）|\([^)]*\)", "", str(gold.get("answer_text", ""))).strip()
        labels = [str(v.get("label", "")) if isinstance(v, dict) else str(v) for v in vals]
        hay = text + " " + " ".join(labels)
        # every part of the gold (延川县、宜川县) must appear; a label naming its tail is enough (金沙河村 for 陕西平利县金沙河村)
        parts = [x for x in re.split(r"[、，,]|和", want) if x]
        # the answer must be the entity, not a quoted sentence that happens to hold it
        short = text if len(text) <= 3 * len(want) + 20 else ""
        hay = short + " " + " ".join(labels)
        good = bool(parts) and all(x in hay or any(len(l) >= 2 and x.endswith(l) for l in labels) for x in parts)
        return good, ("ok" if good else f"want {want!r} got {text[:80]!r}")
    targets = [gold["value"]] + [gold[k] for k in ("base_value", "value_base") if k in gold]
    cands, places = [], set()
    for v in vals:  # the first value given for each place counts, not every candidate listed
        key = v.get("place") if isinstance(v, dict) else None
        if key in places:
            continue
        places.add(key)
        cands += [v.get("value"), v.get("base_value")] if isinstance(v, dict) else [v]
    if gold.get("unit") == "年" and vals and isinstance(vals[0], dict):  # which-year: the winning row's period
        import re
        m = re.search(r"(1[89]|20)\d\d", str(vals[0].get("period", "")))
        if m: cands.append(m.group(0))
    if any(close(c, t) for c in cands for t in targets):
        return True, "ok"
    return False, f"got values={[c for c in cands if c is not None][:6]} answer={text[:80]!r}"

# ---------------------------------------------------------------- end of the copy


@pytest.fixture(scope="session")
def dev_store(tmp_path_factory):
    """One store: the seed corpus ingested, then the five dev reports added one by one with no
    metadata (their places and years inferred), as ../shared/dev/measure does with kg add."""
    from kg.ingest import ingest
    from kg.library import add
    from kg.store import LocalStore

    folder = tmp_path_factory.mktemp("dev-store")
    corpus = folder / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    store = LocalStore(folder / "store")
    ingest([REPO / "corpus"], store, progress=False)
    for path in sorted((DEV / "docs").glob("*.txt")):
        add([path], store, corpus, meta={})
    store.close()
    store = LocalStore(folder / "store", read_only=True)
    yield store
    store.close()


def ask_all(store, rows: list[dict]) -> list[dict]:
    import kg

    # through JSON, as `kg ask --json` prints it and score_qa.py reads it
    return [json.loads(json.dumps(kg.ask(r["q"], store=store), ensure_ascii=False, default=str)) for r in rows]


def measure(name: str, rows: list[dict], results: list[dict]) -> tuple[float, float]:
    """Print the score and the answered-wrong count, overall, per split and per wording; list the
    failures. Returns (score, answered-wrong share)."""
    verdicts = [grade(g, r) for g, r in zip(rows, results)]

    def figures(idx: list[int]) -> str:
        n = len(idx)
        ok = sum(verdicts[i][0] for i in idx)
        wrong = sum(1 for i in idx if results[i].get("answered") and not verdicts[i][0])
        refused = sum(1 for i in idx if not results[i].get("answered") and not verdicts[i][0])
        return (f"{ok}/{n} correct ({ok / n:.1%}), answered-wrong {wrong} ({wrong / n:.1%}), "
                f"wrongly refused {refused}") if n else "none"

    everything = list(range(len(rows)))
    print(f"\n{name}: {figures(everything)}")
    by_split: dict[str, list[int]] = defaultdict(list)
    by_wording: dict[str, list[int]] = defaultdict(list)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(rows):
        by_split[g.get("split") or "ab"[i % 2]].append(i)
        by_wording[g.get("wording") or ("refuse" if g.get("answered") is False else "-")].append(i)
        by_doc[Path(g["doc"]).stem].append(i)
    for key in sorted(by_split):
        print(f"  split {key}: {figures(by_split[key])}")
    for label, groups in (("doc", by_doc), ("wording", by_wording)):
        for key in sorted(groups):
            ok = sum(verdicts[i][0] for i in groups[key])
            print(f"  {label} {key}: {ok}/{len(groups[key])}")
    for g, r, (good, why) in zip(rows, results, verdicts):
        if not good:
            kind = "WRONG" if r.get("answered") else "REFUSED"
            print(f"  {kind} [{g.get('split', '')}/{g.get('wording', '')}] {g['q']}  -- {why}")
    n = len(rows)
    score = sum(v[0] for v in verdicts) / n
    wrong = sum(1 for r, v in zip(results, verdicts) if r.get("answered") and not v[0]) / n
    return score, wrong


# ---------------------------------------------------------------- the table itself (cheap)

def test_dev_questions_table_shape():
    rows = load(TABLE)
    texts = {p.name: p.read_text(encoding="utf-8") for p in (DEV / "docs").glob("*.txt")}
    assert len(rows) >= 150
    refusals = [r for r in rows if r.get("answered") is False]
    assert len(refusals) >= 30
    near = [r for r in refusals if r["wording"] == "refuse_near_miss"]
    assert 2 * len(near) >= len(refusals), "at least half the refusals are near misses"
    assert all(r.get("miss") in MISSES for r in near)
    qs = [r["q"] for r in rows]
    assert len(set(qs)) == len(qs), "duplicate questions"
    assert not set(qs) & {r["q"] for r in load(DEV_QA)}, "a question copied from tests/dev/qa.jsonl"
    assert {Path(r["doc"]).name for r in rows} == set(texts), "every dev report is asked about"
    for i, r in enumerate(rows):
        assert r["split"] == "ab"[i % 2], (i, r["q"])
        assert r["wording"] in WORDINGS, r
        assert r["doc"].startswith("docs/") and Path(r["doc"]).name in texts, r
        if r.get("answered") is False:
            assert r["wording"].startswith("refuse"), r
            assert "value" not in r and "values" not in r, r
            continue
        assert not r["wording"].startswith("refuse"), r
        assert r["evidence"], r
        if "values" in r:
            assert r["values"] and all(isinstance(v, str) and v for v in r["values"]), r
        elif r.get("value") is None:
            assert r.get("answer_text") and r.get("value_base") is None, r
        else:
            assert isinstance(r["value"], (int, float)) and isinstance(r["value_base"], (int, float)), r
            assert r["unit"] and r["base_unit"], r
            if r["base_unit"] == "%":
                assert r["value_base"] == r["value"], r
            assert re.search(r"\d|[〇一二两三四五六七八九十百千万]", r["answer_text"]), r


def test_dev_questions_evidence_is_verbatim():
    texts = {p.name: p.read_text(encoding="utf-8") for p in (DEV / "docs").glob("*.txt")}
    for table in (load(TABLE), load(DEV_QA)):
        for r in table:
            for doc, ev in ((r["doc"], r.get("evidence")), (r.get("doc2"), r.get("evidence2"))):
                if ev:
                    assert ev in texts[Path(doc).name], (r["q"], ev)


def test_grader_is_the_official_one():
    """grade() above is the official grader's, character for character (when ../shared is here)."""
    if not SHARED_GRADER.exists():
        pytest.skip("../shared/dev/score_qa.py is not beside the repo")

    def body(text: str) -> str:
        start = text.index("def close(a, b):")
        end = text.index("\n\n", text.index("def grade(gold, resp):"))
        return text[start:end].strip()

    assert body(Path(__file__).read_text(encoding="utf-8")) == body(SHARED_GRADER.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- asked of the graph

def test_dev_questions(dev_store):
    rows = load(TABLE)
    score, wrong = measure("dev questions (tests/qa/dev_questions.jsonl)", rows, ask_all(dev_store, rows))
    assert score >= DEV_QUESTIONS_SCORE_FLOOR
    assert wrong <= DEV_QUESTIONS_WRONG_CEILING


def test_dev_qa_65(dev_store):
    rows = load(DEV_QA)
    score, wrong = measure("dev qa (tests/dev/qa.jsonl)", rows, ask_all(dev_store, rows))
    assert score >= DEV_QA_SCORE_FLOOR
    assert wrong <= DEV_QA_WRONG_CEILING


def open_path_scores(store, rows: list[dict]) -> list[tuple[str, float, bool, bool]]:
    """(split, best score, answer right, should be answered) of every question the open path
    answers, with the threshold set to 0 so that it answers whatever ranks first."""
    from kg.qa import open_answer
    from kg.qa.answer import Answerer
    from kg.qa.catalog import get_catalog
    from kg.qa.parse import parse_question

    cat = get_catalog(store)
    out = []
    saved = open_answer.THRESHOLD
    open_answer.THRESHOLD = 0.0
    try:
        for i, g in enumerate(rows):
            result = Answerer(store, cat, parse_question(g["q"], cat.vocab)).run()
            reading = result.get("reading") or {}
            if reading.get("method") != "open":
                continue
            right = grade(g, json.loads(json.dumps(result, ensure_ascii=False, default=str)))[0]
            out.append((g.get("split") or "ab"[i % 2], reading["score"], right, g.get("answered", True)))
    finally:
        open_answer.THRESHOLD = saved
    return out


def at(records, threshold: float, split: str) -> tuple[int, int, int]:
    """(answered right, answered wrong, wrongly refused) of one split at a threshold."""
    rs = [x for x in records if x[0] == split]
    right = sum(1 for x in rs if x[1] >= threshold and x[2])
    wrong = sum(1 for x in rs if x[1] >= threshold and not x[2])
    refused = sum(1 for x in rs if x[1] < threshold and x[3])
    return right, wrong, refused


def test_open_threshold_is_calibrated_on_split_a(dev_store):
    """kg.qa.open_answer.THRESHOLD is the one that does best on split a of the dev tables: most
    right answers less twice the wrong ones (a wrong answer is worse than a refusal), the lowest
    such threshold on a tie; the figures of split b at that threshold are printed, not tuned."""
    from kg.qa.open_answer import THRESHOLD

    records = open_path_scores(dev_store, load(TABLE) + load(DEV_QA))
    grid = [round(0.30 + 0.01 * k, 2) for k in range(31)]

    def merit(t):
        right, wrong, _ = at(records, t, "a")
        return right - 2 * wrong

    best = max(grid, key=lambda t: (merit(t), -t))
    for split in "ab":
        right, wrong, refused = at(records, best, split)
        print(f"\nopen path at {best:.2f}, split {split}: answered right {right}, answered wrong {wrong}, "
              f"wrongly refused {refused}")
    assert THRESHOLD == best


def test_seed_public_questions_in_the_store_with_the_dev_reports(dev_store):
    """The seed's public questions asked of the store that also holds the five dev reports, graded
    as ../shared/dev/measure grades them: all right but 哪一年减少贫困人口最多, which names no place
    and so answers per place."""
    gold = [g for g in load(REPO / "tests" / "qa" / "seed_public.jsonl") if g["q"] != "哪一年减少贫困人口最多"]
    failures = []
    for g, r in zip(gold, ask_all(dev_store, gold)):
        ok, why = grade(g, r)
        if not ok:
            failures.append(f"{g['q']}: {why} — {r['answer']}")
    print(f"\nseed public, store with the dev reports: {len(gold) - len(failures)}/{len(gold)} correct")
    assert len(gold) == 30 and not failures, failures
