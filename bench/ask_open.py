"""The open path of bench_ask.py: open-world and which-one questions for the synthetic mix, and a
timing shim around the ranking (kg.qa.open_answer.best_rows, kg.qa.entity_answer.answer_entity).

The shim patches ``kg.qa.answer.best_rows``, ``reaches`` and ``answer_entity`` (answer.py imports
them by name) in the benchmark's process only; on a checkout from before the open path (no such
names) nothing is patched and the ranking's share is 0.
"""

from __future__ import annotations

import random
import re
import statistics
import time

#: shares of the synthetic question mix that go through the open path
OPEN_SHARE, WHICH_SHARE = 0.15, 0.05


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, round(q / 100 * (len(xs) - 1))))
    return xs[k]


OPEN_PHRASES = """
SELECT ?phrase ?place ?year WHERE {
  ?ind a fp:OpenIndicator .
  ?obs fp:indicator ?ind ; fp:measuredPhrase ?phrase ; fp:kind fp:Actual ;
       sdmx-dimension:refArea/rdfs:label ?place ; sdmx-dimension:refPeriod ?per .
  ?per fp:startYear ?year ; fp:endYear ?year .
} LIMIT 20000
"""


def open_questions(store, n: int, seed: int = 0) -> list[str]:
    """Open-world questions from the store's open observations (an fp:OpenIndicator's
    fp:measuredPhrase, with its place and year): 2017年石河县电费收入是多少. None on a store
    made before open facts."""
    from kg.namespaces import sparql_prefixes
    try:
        rows = store.select(sparql_prefixes() + OPEN_PHRASES)
    except Exception:                                   # noqa: BLE001 - an older ontology or store
        return []
    facts = sorted({(str(r["phrase"]), str(r["place"]), int(str(r["year"]))) for r in rows if len(str(r["phrase"])) >= 2})
    if not facts:
        return []
    rng = random.Random(seed)
    forms = ["{y}年{place}{phrase}是多少", "{y}年{place}{phrase}有多少", "{place}{y}年{phrase}是多少"]
    return [rng.choice(forms).format(y=y, place=place, phrase=phrase)
            for phrase, place, y in (rng.choice(facts) for _ in range(n))]


#: which-one questions of bench/synth.py's sentences: {c} a report's place, {f} a fruit; and
#: (pattern over observation sentences → question) for those the reports hold an answer to
WHICH_FORMS = ["{c}哪个村通过土地流转种植{f}", "{c}哪个镇的村通过土地流转种植{f}", "{c}说以前靠天吃饭现在旱涝保收的脱贫户是谁",
               "{c}哪个村的贫困户说原来的烂泥路现在修成了宽敞的柏油马路", "{c}带动贫困户稳定增收按照的是什么模式"]
WHICH_FROM = [(re.compile(r"通过土地流转种植([\u4e00-\u9fff]{2,4}?)\d"), "{c}哪个村通过土地流转种植{0}"),
              (re.compile(r"流转土地\d+亩[,，]发展([\u4e00-\u9fff]{2,4}?)种植"), "{c}哪个村流转土地发展{0}种植")]


def which_questions(store, n: int, seed: int = 0) -> list[str]:
    """Which-one questions (哪个村/谁/什么模式): half written from the observations' sentences
    (so that the reports hold an answer), half from WHICH_FORMS with random places; answered,
    when at all, from the sentences (kg.qa.entity_answer)."""
    from kg.qa.catalog import get_catalog
    import synth
    cat = get_catalog(store)
    rng = random.Random(seed + 1)
    found = set()
    index = cat.index
    rows = [] if index is None else (index.all_rows() if hasattr(index, "all_rows")        # before the open path:
                                     else [r for rs in index.by_ind.values() for r in rs])  # no all_rows()
    for r in rows:
        sentence = r.first.sentence if r.first else ""
        for rx, form in WHICH_FROM:
            m = rx.search(sentence)
            place = cat.report_place_of(r.doc)
            if m and place:
                found.add(form.format(m.group(1), c=place))
    found = sorted(found)
    places = sorted(cat.report_places()) or [""]
    out = [rng.choice(found) for _ in range(n // 2)] if found else []
    return out + [rng.choice(WHICH_FORMS).format(c=rng.choice(places), f=rng.choice(synth.FRUITS))
                  for _ in range(n - len(out))]


class RankingShim:
    """Time spent in kg.qa.open_answer.best_rows and reaches and kg.qa.entity_answer.answer_entity, through
    the names kg.qa.answer calls them by (patched in this process only)."""

    NAMES = ("best_rows", "reaches", "answer_entity")

    def __init__(self):
        self.seconds = 0.0
        self.calls = 0
        self.patched: list[str] = []

    _installed: "RankingShim | None" = None

    @classmethod
    def install(cls) -> "RankingShim":
        """The one shim of this process (patched on first use; kg.qa.answer without these names,
        as before the open path, leaves nothing patched)."""
        if cls._installed is None:
            import kg.qa.answer as answer
            shim = cls._installed = cls()
            for name in cls.NAMES:
                fn = getattr(answer, name, None)
                if fn is not None:
                    setattr(answer, name, shim._timed(fn))
                    shim.patched.append(name)
        return cls._installed

    def _timed(self, fn):
        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.seconds += time.perf_counter() - t0
                self.calls += 1
        return timed

    def take(self) -> tuple[float, int]:
        """Seconds and calls since the last take."""
        out = (self.seconds, self.calls)
        self.seconds, self.calls = 0.0, 0
        return out


def method_of(result: dict) -> str:
    reading = result.get("reading")
    return reading.get("method", "") if isinstance(reading, dict) else ""


def first_use(store, questions: list[tuple[str, str]]) -> dict[str, float]:
    """Seconds of the first open-world and the first which-one question, asked before any other:
    they build the open path's indexes once per catalogue (TermIndex over every observation in
    best_rows; the reports' texts and SentenceIndex over every sentence in answer_which)."""
    from kg.qa import ask
    out: dict[str, float] = {}
    for group in ("open-world", "which-one"):
        q = next((q for g, q in questions if g == group), None)
        if q is not None:
            t0 = time.perf_counter()
            ask(q, store)
            out[group] = time.perf_counter() - t0
    return out


def summary(rows: list[dict]) -> dict:
    """p50 / p95 of ask and the ranking's share of ask time over ``rows`` (per-question records)."""
    ask_ms = [r["ms"] for r in rows]
    total = sum(ask_ms)
    return {"n": len(rows), "answered": sum(r["answered"] for r in rows),
            "p50_ms": statistics.median(ask_ms) if rows else float("nan"), "p95_ms": pct(ask_ms, 95),
            "max_ms": max(ask_ms) if rows else float("nan"),
            "ranking_share": sum(r["rank_ms"] for r in rows) / total if total else float("nan")}


def path_of(rec: dict) -> str:
    """lexicon (the open path not tried), open/sentence (answered by it), or refused after it."""
    if rec["method"] in ("open", "sentence"):
        return f"answered: {rec['method']}"
    return "open path, refused" if rec["rank_calls"] else "lexicon"


def print_breakdown(name: str, records: list[dict], shim: "RankingShim") -> dict:
    """The open path's figures: by path and by question group, and the ranking's share."""
    out = {"overall": summary(records)}
    open_path = [r for r in records if path_of(r) != "lexicon"]
    out["open path"] = summary(open_path)
    for key in sorted({path_of(r) for r in records}):
        out[key] = summary([r for r in records if path_of(r) == key])
    for key in sorted({r["group"] for r in records}):
        out[f"group {key}"] = summary([r for r in records if r["group"] == key])
    print(f"{'':10} ranking (kg.qa.answer.{' / '.join(shim.patched) or 'nothing patched: no open path here'}) "
          f"by path and by question group:")
    for key, v in out.items():
        if v["n"]:
            print(f"{'':12}{key:22s} {v['n']:5d} q ({v['answered']:4d} answered)  ask p50 {v['p50_ms']:7.2f} ms  "
                  f"p95 {v['p95_ms']:7.2f} ms  max {v['max_ms']:7.1f} ms  ranking {v['ranking_share']:6.1%} of ask time")
    return out
