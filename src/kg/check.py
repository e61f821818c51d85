"""`kg check`: SHACL validation of the graph, and consistency checks where a report states both
a total and its parts.

Consistency checks (each prints agree / disagree):
- shares: breakdown shares in % of one indicator, place and period sum to 100;
- cumulative: yearly values of an indicator against a value stated for a span covering them;
- stock and flow: a stock indicator (fp:stockOf), minus the yearly values of its flow
  (fp:flowOf) up to a year, against the remainder indicator (fp:remainderOf) at that year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import rdflib

from .export import observation_rows
from .lexicon import load_ontology_graph
from .namespaces import FP, IND
from .store import LocalStore

TOLERANCE = Decimal("0.5")


@dataclass
class Check:
    name: str
    status: str        # agree | disagree
    detail: str


@dataclass
class Report:
    conforms: bool
    shacl_text: str
    violations: int
    checks: list[Check]


def shacl(store: LocalStore) -> tuple[bool, str, int]:
    import pyshacl

    import pyoxigraph as ox

    data = rdflib.Graph()       # every graph's triples, as stored (not the derived union)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()}
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    shapes = load_ontology_graph(include_shapes=True)
    conforms, results_graph, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=load_ontology_graph(),
                                                    inference="rdfs", allow_warnings=True)
    n = len(list(results_graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
    return bool(conforms), text, n


def _rel(g: rdflib.Graph, prop: str) -> dict[str, str]:
    return {str(s)[len(IND):]: str(o)[len(IND):] for s, o in g.subject_objects(rdflib.URIRef(FP + prop))}


def consistency(store: LocalStore) -> list[Check]:
    rows = [r for r in observation_rows(store) if r["kind"] == "actual"]
    checks: list[Check] = []
    # shares of a breakdown sum to 100 %
    shares = defaultdict(list)
    for r in rows:
        if r["breakdown"] and r["base_unit"] == "%":
            shares[(r["doc"], r["indicator_label"], r["place"], r["period_label"])].append(r["base_value"])
    for (doc, ind, place, period), vals in sorted(shares.items()):
        if len(vals) >= 2:
            total = sum(vals)
            ok = abs(total - 100) <= TOLERANCE
            checks.append(Check("shares", "agree" if ok else "disagree",
                                f"{doc}: {period}{place}{ind} 各分组合计 {total}% (应为100%)"))
    # yearly values against a stated span total
    yearly = defaultdict(dict)
    spans = []
    for r in rows:
        if r["breakdown"]:
            continue
        key = (r["doc"], r["indicator"], r["place"], r["base_unit"])
        if r["start_year"] == r["end_year"]:
            yearly[key].setdefault(r["start_year"], r["base_value"])
        else:
            spans.append((key, r))
    for key, r in spans:
        years = {y: v for y, v in yearly.get(key, {}).items() if r["start_year"] <= y <= r["end_year"]}
        if len(years) >= 2:
            total = sum(years.values())
            ok = total == r["base_value"]
            checks.append(Check("cumulative", "agree" if ok else "disagree",
                                f"{key[0]}: {r['place']}{r['indicator_label']} {min(years)}–{max(years)}年逐年合计 {total}"
                                f"{r['base_unit']}, 原文 {r['period_label']} {r['base_value']}{r['base_unit']}"))
    # stock and flow
    g = load_ontology_graph()
    flows, remainders = _rel(g, "flowOf"), _rel(g, "remainderOf")
    by = defaultdict(list)
    for r in rows:
        if not r["breakdown"]:
            by[(r["doc"], r["indicator"], r["place"])].append(r)
    for flow, stock in flows.items():
        remainder = next((rem for rem, st in remainders.items() if st == stock), None)
        if not remainder:
            continue
        for (doc, ind, place), stock_rows in list(by.items()):
            if ind != stock:
                continue
            flow_rows = by.get((doc, flow, place), [])
            for rem in by.get((doc, remainder, place), []):
                year = rem["end_year"]
                spent = sum(f["base_value"] for f in flow_rows if f["end_year"] <= year and f["start_year"] == f["end_year"])
                for s in stock_rows:
                    expected = s["base_value"] - spent
                    ok = expected == rem["base_value"]
                    checks.append(Check("stock-flow", "agree" if ok else "disagree",
                                        f"{doc}: {place}{s['indicator_label']} {s['base_value']} − 截至{year}年"
                                        f"{flow_rows[0]['indicator_label'] if flow_rows else flow} {spent} = {expected}, "
                                        f"原文{rem['indicator_label']} {rem['base_value']}"))
    return checks


def run_checks(store: LocalStore) -> Report:
    conforms, text, n = shacl(store)
    return Report(conforms, text, n, consistency(store))
