"""Open-world facts in the graph: every quantity is an observation with what it measures.

- `kg check`'s SHACL validation (kg.check.shacl, shapes in ontology/shapes.ttl) passes on the
  graph of the dev reports, and fails when an open observation is broken on purpose;
- every observation of the five dev reports says what it measures (fp:measuredPhrase);
- 19_hailar_gzbg: "城乡…分别完成X、Y" gives X to 城镇… and Y to 农村…; "同比增长6.0%" is a
  fp:Change, "完成192.3亿元" a fp:Level, "全年累计化解…" (the year's total) a fp:Level too;
- an open indicator whose phrase is a lexicon label is skos:exactMatch to that indicator;
- the CSV export's columns phrase, measure, subject and open, and an older store still exports.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.check import shacl
from kg.corpus import read_report
from kg.export import CSV_COLUMNS, EXTRA_COLUMNS, export
from kg.extract import extract_report
from kg.ingest import ingest
from kg.lexicon import load_lexicon
from kg.namespaces import FP, RDF, SDMX_ATT, SKOS
from kg.store import LocalStore

TESTS = Path(__file__).resolve().parent.parent
DOCS = TESTS / "dev" / "docs"
HAILAR = DOCS / "19_hailar_gzbg.txt"
N = ox.NamedNode
OPEN_COLUMNS = ["phrase", "measure", "subject", "open"]
PREFIXES = """PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""


def store_of(quads) -> LocalStore:
    """An in-memory store holding these quads (documents' and ontology's graphs), as ingest writes them."""
    graphs = defaultdict(list)
    for q in quads:
        graphs[q.graph_name.value].append(q)
    store = LocalStore(None)
    store.replace_graphs(graphs)
    return store


@pytest.fixture(scope="module")
def extractions():
    return {p.stem: extract_report(read_report(p)) for p in sorted(DOCS.glob("*.txt"))}


@pytest.fixture(scope="module")
def dev_store():
    store = LocalStore(None)
    ingest([DOCS], store, progress=False)
    yield store
    store.close()


@pytest.fixture(scope="module")
def hailar_quads() -> list[ox.Quad]:
    store = LocalStore(None)
    ingest([HAILAR], store, progress=False)
    quads = list(store.quads())
    store.close()
    return quads


def facts_by_surface(extraction) -> dict[str, list]:
    out = defaultdict(list)
    for f in extraction.facts:
        out[f.mentions[0].surface].append(f)
    return out


# ---------------------------------------------------------------- SHACL
def test_open_facts_dev_graph_conforms(dev_store):
    conforms, text, n = shacl(dev_store)
    assert conforms and n == 0, text


def open_observations(quads, measure: str = "Level") -> dict[str, tuple[N, N]]:
    """The open observations of this measure, one per open indicator: phrase → (observation, indicator)."""
    opens = {q.subject for q in quads if q.predicate == N(RDF + "type") and q.object == N(FP + "OpenIndicator")}
    by_obs = defaultdict(dict)
    for q in quads:
        by_obs[q.subject].setdefault(q.predicate.value, q.object)
    out = {}
    for obs, props in sorted(by_obs.items(), key=lambda kv: kv[0].value):
        ind = props.get(FP + "indicator")
        if ind in opens and props.get(FP + "measure") == N(FP + measure):
            out.setdefault(props[FP + "measuredPhrase"].value, (obs, ind))
    return out


def violations(text: str) -> set[tuple[str, str]]:
    """(focus node, message) of each result of pyshacl's text report."""
    out = set()
    for block in text.split("Constraint Violation")[1:]:
        lines = [line.strip() for line in block.splitlines()]
        focus = next(line.removeprefix("Focus Node: ") for line in lines if line.startswith("Focus Node: "))
        for line in lines:
            if line.startswith("Message: "):
                out.add((focus.strip("<>"), line.removeprefix("Message: ")))
    return out


def without(quads, s, p):
    return [q for q in quads if not (q.subject == s and q.predicate == N(p))]


def with_(quads, s, p, o):
    graph = next(q.graph_name for q in quads if q.subject == s)
    return [*quads, ox.Quad(s, N(p), o, graph)]


def replaced(quads, s, p, o):
    return with_(without(quads, s, p), s, p, o)


PHRASE_MESSAGE = "度量短语 (fp:measuredPhrase) 至多一个，须为非空中文字符串"
MEASURE_MESSAGE = "每条统计事实须有且仅有一个度量方式 (fp:Level / fp:Change / fp:Cumulative)"
#: a break of an open observation (or of its indicator): what it does, and the violation's message
BREAKS = {
    "no measured phrase": (lambda qs, obs, ind: without(qs, obs, FP + "measuredPhrase"),
                           "开放指标的统计事实须有度量短语 (fp:measuredPhrase)"),
    "no unit": (lambda qs, obs, ind: without(qs, obs, SDMX_ATT + "unitMeasure"), "每条统计事实须有且仅有一个计量单位"),
    "second measure": (lambda qs, obs, ind: with_(qs, obs, FP + "measure", N(FP + "Change")), MEASURE_MESSAGE),
    "no measure": (lambda qs, obs, ind: without(qs, obs, FP + "measure"), MEASURE_MESSAGE),
    "measure not a fp:Measure": (lambda qs, obs, ind: replaced(qs, obs, FP + "measure", N(FP + "Actual")),
                                 MEASURE_MESSAGE),
    "empty measured phrase": (lambda qs, obs, ind: replaced(qs, obs, FP + "measuredPhrase",
                                                            ox.Literal("", language="zh")), PHRASE_MESSAGE),
    "measured phrase not in Chinese": (lambda qs, obs, ind: replaced(qs, obs, FP + "measuredPhrase",
                                                                     ox.Literal("GDP", language="en")), PHRASE_MESSAGE),
    "two measured phrases": (lambda qs, obs, ind: with_(qs, obs, FP + "measuredPhrase",
                                                        ox.Literal("另一个短语", language="zh")), PHRASE_MESSAGE),
    "open indicator out of its scheme": (lambda qs, obs, ind: without(qs, ind, SKOS + "inScheme"),
                                         "开放指标须属于 fp:openIndicators"),
    "open indicator with two labels": (lambda qs, obs, ind: with_(qs, ind, SKOS + "prefLabel",
                                                                  ox.Literal("另一个短语", language="zh")),
                                       "开放指标须有且仅有一个非空的首选标签 (skos:prefLabel)"),
}


@pytest.mark.parametrize("name", ["no measured phrase", "no unit", "second measure"])
def test_open_facts_broken_open_observation_violates(hailar_quads, name):
    """One break at a time (the 地区生产总值 level, 192.3亿元): kg check's SHACL no longer passes."""
    obs, ind = open_observations(hailar_quads)["地区生产总值"]
    change, message = BREAKS[name]
    conforms, text, n = shacl(store_of(change(hailar_quads, obs, ind)))
    assert not conforms and n >= 1, name
    assert (obs.value, message) in violations(text), text


def test_open_facts_every_break_is_a_violation(hailar_quads):
    """Each break on an open observation of its own (one SHACL run): each is reported, on its node."""
    pairs = list(open_observations(hailar_quads).values())
    assert len(pairs) >= len(BREAKS)
    quads, want = hailar_quads, set()
    for (name, (change, message)), (obs, ind) in zip(BREAKS.items(), pairs):
        quads = change(quads, obs, ind)
        want.add(((ind if name.startswith("open indicator") else obs).value, message))
    conforms, text, n = shacl(store_of(quads))
    assert not conforms and n >= len(BREAKS)
    assert want <= violations(text), text


def test_open_facts_unbroken_copy_conforms(hailar_quads):
    """The copy the breaks start from is valid: each violation above is the break's."""
    conforms, text, _ = shacl(store_of(hailar_quads))
    assert conforms, text


def test_open_facts_lexicon_observation_needs_no_phrase(hailar_quads):
    """The phrase is required only of open observations: a lexicon indicator says what it measures."""
    opens = {q.subject for q in hailar_quads if q.object == N(FP + "OpenIndicator")}
    obs = next(q.subject for q in hailar_quads
               if q.predicate == N(FP + "indicator") and q.object not in opens)
    conforms, text, _ = shacl(store_of(without(hailar_quads, obs, FP + "measuredPhrase")))
    assert conforms, text


# ---------------------------------------------------------------- what each observation measures
def test_open_facts_every_dev_observation_has_a_phrase(extractions, dev_store):
    assert len(extractions) == 5
    for doc, ex in extractions.items():
        assert ex.facts, doc
        missing = [f.mentions[0].surface for f in ex.facts if not f.phrase.strip()]
        assert not missing, f"{doc}: no measured phrase for {missing}"
    [row] = dev_store.select(PREFIXES + """SELECT (COUNT(?o) AS ?n) WHERE {
        ?o a fp:Observation . FILTER NOT EXISTS { ?o fp:measuredPhrase ?p FILTER(STRLEN(STR(?p)) > 0) } }""")
    assert row["n"] == 0
    [row] = dev_store.select(PREFIXES + "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a fp:Observation }")
    assert row["n"] == sum(len(ex.facts) for ex in extractions.values())


def test_open_facts_urban_rural_pair(extractions):
    """"城乡常住居民人均可支配收入分别完成37820元、28104元": the towns' first, the countryside's second."""
    by = facts_by_surface(extractions["19_hailar_gzbg"])
    [urban], [rural] = by["37820元"], by["28104元"]
    assert urban.phrase == "城镇常住居民人均可支配收入"
    assert rural.phrase == "农村常住居民人均可支配收入"
    assert urban.measure == rural.measure == "level"
    # a lexicon indicator of 农村 is not the fact of a 城镇 phrase
    assert urban.is_open
    assert "rural" in rural.indicator


def test_open_facts_urban_rural_pair_of_changes(extractions):
    by = facts_by_surface(extractions["19_hailar_gzbg"])
    [urban], [rural] = by["6.5%"], by["9.4%"]
    assert (urban.phrase, urban.measure) == ("城镇常住居民人均可支配收入", "change")
    assert (rural.phrase, rural.measure) == ("农村常住居民人均可支配收入", "change")


def test_open_facts_urban_rural_pair_of_target_changes(extractions):
    by = facts_by_surface(extractions["19_hailar_gzbg"])
    [urban], [rural] = by["7%"], by["8%左右"]
    assert (urban.phrase, urban.measure) == ("城镇常住居民人均可支配收入", "change")
    assert (rural.phrase, rural.measure) == ("农村常住居民人均可支配收入", "change")


def test_open_facts_growth_rates_are_changes(extractions, dev_store):
    ex = extractions["19_hailar_gzbg"]
    text = read_report(HAILAR).text
    grown = [f for f in ex.facts if f.base_unit in ("%", "百分点")
             and text[:f.mentions[0].start].endswith(("增长", "提高"))]
    assert {f.mentions[0].surface for f in grown} >= {"6.0%", "6.9%", "6.2%", "6.5%", "0.8个百分点"}
    for f in grown:
        assert f.measure == "change", f.mentions[0].sentence
        assert f.is_open, f"a change is not a level of the lexicon's {f.indicator}"
    by = facts_by_surface(ex)
    assert [f.measure for f in by["9.4%"]] == ["change"]        # 同比分别增长6.5%、9.4%
    assert [f.phrase for f in by["6.0%"]] == ["地区生产总值"]
    assert [f.phrase for f in by["0.8个百分点"]] == ["空气优良天数比例"]
    # levels stay levels; 全年累计 is the year's total, one period's flow, not a running total
    assert [f.measure for f in by["192.3亿元"]] == ["level"]
    assert [f.measure for f in by["99.2%"]] == ["level"]
    assert [(f.phrase, f.measure) for f in by["12.43亿元"]] == [("化解政府债务", "level")]
    # in the graph: fp:Change, and the indicator minted for the phrase
    rows = dev_store.select(PREFIXES + """SELECT ?surface ?measure ?ind WHERE {
        ?o fp:measure ?measure ; fp:indicator ?ind ; fp:mention/nif:anchorOf ?surface ;
           fp:mention/nif:referenceContext/<http://purl.org/dc/terms/identifier> "19_hailar_gzbg" .
        ?ind a fp:OpenIndicator . }""")
    measures = {r["surface"]: r["measure"] for r in rows}
    for s in ("6.0%", "6.9%", "6.2%", "0.8个百分点"):
        assert measures[s] == FP + "Change", s
    assert measures["192.3亿元"] == FP + "Level"
    assert measures["12.43亿元"] == FP + "Level"          # 全年累计: the year's total


# ---------------------------------------------------------------- SKOS mapping to the lexicon
def open_indicators(store) -> dict[str, dict[str, set[str]]]:
    out = defaultdict(lambda: {"exact": set(), "broad": set()})
    for r in store.select(PREFIXES + """SELECT ?label ?exact ?broad WHERE {
            ?i a fp:OpenIndicator ; skos:prefLabel ?label ; skos:inScheme fp:openIndicators .
            OPTIONAL { ?i skos:exactMatch ?exact } OPTIONAL { ?i skos:broadMatch ?broad } }"""):
        out[r["label"]]
        if r["exact"]:
            out[r["label"]]["exact"].add(r["exact"])
        if r["broad"]:
            out[r["label"]]["broad"].add(r["broad"])
    return out


def test_open_facts_label_of_the_lexicon_is_an_exact_match(dev_store):
    from kg.text.measure import counted_labels

    lexicon = load_lexicon()
    named = {label: {t.concept.iri for t in terms if t.concept.kind == "indicator"}
             for label, terms in lexicon.terms.items()}
    found = open_indicators(dev_store)
    assert found
    exact = 0
    for label, m in found.items():
        # the label itself, else the label written with or without "the number of" (贫困村 → 贫困村总数)
        want = named.get(label) or {iri for x in counted_labels(label) for iri in named.get(x, ())}
        assert m["exact"] == want, label
        assert not (m["exact"] and m["broad"]), f"{label}: an exact match is not also broad"
        assert all(iri in lexicon.indicators for iri in m["exact"] | m["broad"]), label
        exact += bool(m["exact"])
    assert exact >= 1      # 农民人均纯收入, 贫困户人均纯收入 …


def test_open_facts_change_of_a_lexicon_indicator_is_matched(tmp_path):
    """"贫困发生率比上年下降2.1个百分点": a change, so an open fact; its phrase is the lexicon's label."""
    path = tmp_path / "probe-county-2018.txt"
    path.write_text("某县2018年脱贫攻坚工作总结\n\n2018年，全县贫困发生率比上年下降2.1个百分点。\n", encoding="utf-8")
    store = LocalStore(None)
    ingest([path], store, progress=False)
    rows = store.select(PREFIXES + """SELECT ?measure ?exact WHERE {
        ?o fp:measuredPhrase "贫困发生率"@zh ; fp:measure ?measure ; fp:indicator ?i .
        ?i a fp:OpenIndicator ; skos:exactMatch ?exact . }""")
    assert rows == [{"measure": FP + "Change", "exact": "https://w3id.org/fupin/indicator/poverty-incidence"}]
    conforms, text, _ = shacl(store)
    assert conforms, text


def test_open_facts_urban_phrase_is_not_broader_than_a_rural_indicator(dev_store):
    lexicon = load_lexicon()
    for label, m in open_indicators(dev_store).items():
        for iri in m["broad"]:
            other = lexicon.indicators[iri].label
            assert not ("城镇" in label and "农村" in other), f"{label} skos:broadMatch {other}"


# ---------------------------------------------------------------- the CSV export
def csv_rows(store) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(export(store, "csv").decode("utf-8")))
    rows = list(reader)
    return reader.fieldnames, rows


def test_open_facts_csv_columns(dev_store, extractions):
    header, rows = csv_rows(dev_store)
    assert header == CSV_COLUMNS + EXTRA_COLUMNS + OPEN_COLUMNS
    assert len({r["observation"] for r in rows}) == sum(len(ex.facts) for ex in extractions.values())
    for r in rows:
        assert r["phrase"], r
        assert r["measure"] in ("level", "change", "cumulative"), r
        assert r["open"] in ("true", "false"), r
        assert (r["open"] == "true") == r["indicator"].startswith("open/"), r
    hailar = {r["surface"]: r for r in rows if r["doc"] == "19_hailar_gzbg"}
    def cols(surface):
        return tuple(hailar[surface][c] for c in ("phrase", "measure", "open"))

    assert cols("6.0%") == ("地区生产总值", "change", "true")
    assert cols("28104元") == ("农村常住居民人均可支配收入", "level", "false")
    subjects = {r["subject"] for r in rows if r["subject"]}
    assert "退耕种桑养蚕示范基地" in subjects


def test_open_facts_csv_of_an_older_store(hailar_quads):
    """A store built before open facts (no phrase, measure, subject, open indicators) still exports."""
    _, now = csv_rows(store_of(hailar_quads))
    dropped = {N(FP + p) for p in ("measuredPhrase", "measure", "subject")}
    old = [q for q in hailar_quads if q.predicate not in dropped and q.object != N(FP + "OpenIndicator")]
    _, rows = csv_rows(store_of(old))
    assert len(rows) == len(now) > 0
    for r in rows:
        assert (r["phrase"], r["measure"], r["subject"], r["open"]) == ("", "", "", "false")
