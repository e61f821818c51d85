"""`kg check`: SHACL validation of the graph, and consistency checks where a report states both
a total and its parts.

SHACL runs as SPARQL in the store (kg.shapes, kg.shape_sparql: each constraint of
ontology/shapes.ttl one query, screened per property shape; about 15 ms per report) or with
pyshacl (``engine="pyshacl"``: the reference, about 0.2 s per report), which is also what runs
when the shapes use more of SHACL than kg.shapes compiles; tests/pipeline/test_shapes.py holds
the two to the same results.

Consistency checks (each prints agree / disagree):
- shares: breakdown shares in % of one indicator, place and period sum to 100;
- cumulative: yearly values of an indicator against a value stated for a span covering them;
- stock and flow: a stock indicator (fp:stockOf), minus the yearly values of its flow
  (fp:flowOf) up to a year, against the remainder indicator (fp:remainderOf) at that year.

Only values of one unit class are compared: the same base unit (户 with 户, 人 with 人; 万人 is
人), so a stock of households is never set against a flow of persons.

SHACL runs without RDFS inference: the ontology is mixed into the data, so ``sh:class`` follows
``rdfs:subClassOf`` (a fp:County is a fp:Place), but a node is never made an instance of a class
only because a property's ``rdfs:range`` says so (that would let any value pass ``sh:class``),
and the full RDFS closure that made validation take seconds is not computed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import rdflib

from .lexicon import load_ontology_graph, ontology_files
from .namespaces import FP, IND, ONTOLOGY_GRAPH
from .queries import CHECK_ROWS
from .store import LocalStore

TOLERANCE = Decimal("0.5")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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


def _ontology_key() -> tuple:
    """The ontology files and their modification times: parsed graphs are kept until one changes."""
    return tuple((str(f), f.stat().st_mtime_ns) for f in ontology_files())


@lru_cache(maxsize=2)
def _ontology_triples(key: tuple) -> tuple:
    return tuple(load_ontology_graph())


@lru_cache(maxsize=2)
def _shapes(key: tuple) -> rdflib.Graph:
    g = rdflib.Graph()
    for f, _ in key:
        if f.endswith("shapes.ttl"):
            g.parse(f, format="turtle")
    return g


@lru_cache(maxsize=2)
def _compiled(key: tuple) -> list:
    """The shapes compiled to SPARQL (kg.shapes); raises kg.shapes.Unsupported when they use
    more of SHACL than it compiles."""
    from .shapes import read_shapes
    return read_shapes(_shapes(key))


def shacl(store: LocalStore, engine: str = "sparql") -> tuple[bool, str, int]:
    """SHACL validation of the store against ontology/shapes.ttl: (conforms, text report,
    number of results). ``engine`` "sparql" runs each constraint as a query in the store
    (kg.shapes: seconds for a thousand reports), and "pyshacl" copies the store into rdflib for
    pyshacl (minutes for as many), which is also used when the shapes need more of SHACL than
    kg.shapes compiles, for an external store (kg.remote), and when the store holds no
    ontology graph (the class hierarchy the shapes' sh:class constraints follow)."""
    if engine == "sparql":
        from .shape_sparql import report_text, validate
        from .shapes import Unsupported
        try:
            shapes = _compiled(_ontology_key())
        except Unsupported:
            shapes = None
        local = isinstance(store, LocalStore)          # an external store is read through pyshacl
        if shapes is not None and local and any(g.value == ONTOLOGY_GRAPH for g in store.named_graph_nodes()):
            dataset = _validated_graphs(store)
            results = validate(lambda q: _rows(store.db.query(q, default_graph=dataset)), shapes)
            return not results, report_text(results), len(results)
    elif engine != "pyshacl":
        raise ValueError(f"unknown SHACL engine {engine!r} (sparql or pyshacl)")
    return _pyshacl(store)


def _validated_graphs(store: LocalStore) -> list:
    """Every graph's triples, as pyshacl reads them: the default graph, which kg keeps as the
    union of the reports' graphs and the ontology's, and any other named graph (written by other
    means, so perhaps not in that union). Not the reports' graphs again: read twice, every
    constraint would cost twice as much."""
    import pyoxigraph as ox
    reports = {r["g"] for r in store.db.query(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?r a <{FP}Report> }} }}")}
    return [ox.DefaultGraph(), *(g for g in store.named_graph_nodes()
                                 if g not in reports and g.value != ONTOLOGY_GRAPH)]


def _rows(solutions) -> list[dict]:
    names = [v.value for v in solutions.variables]
    return [{n: row[n] for n in names} for row in solutions]


def _pyshacl(store: LocalStore) -> tuple[bool, str, int]:
    import pyshacl

    import pyoxigraph as ox

    data = rdflib.Graph()       # every graph's triples, as stored (not the derived union)
    terms: dict = {}

    def term(t):
        r = terms.get(t)
        if r is None:
            if isinstance(t, ox.NamedNode):
                r = rdflib.URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                r = rdflib.BNode(t.value)
            elif t.language:
                r = rdflib.Literal(t.value, lang=t.language)
            elif t.datatype.value == XSD_STRING:
                r = rdflib.Literal(t.value)
            else:
                r = rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
            terms[t] = r
        return r

    triples = {(q.subject, q.predicate, q.object) for q in store.quads()}
    data.addN((term(s), term(p), term(o), data) for s, p, o in triples)
    data.addN((s, p, o, data) for s, p, o in _ontology_triples(_ontology_key()))
    conforms, results_graph, text = pyshacl.validate(data, shacl_graph=_shapes(_ontology_key()), inference="none",
                                                    allow_warnings=True, inplace=True)
    # the report's results (sh:result), not the details nested in them (sh:detail)
    n = len(set(results_graph.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#result"))))
    return bool(conforms), text, n


def _rel(triples, prop: str) -> dict[str, str]:
    p = rdflib.URIRef(FP + prop)
    return {str(s)[len(IND):]: str(o)[len(IND):] for s, pp, o in triples if pp == p}


def check_rows(store: LocalStore) -> list[dict]:
    """Each actual observation's document, place, period, indicator, breakdown and base value
    (queries.CHECK_ROWS: a tenth of what the full export reads)."""
    return [{"doc": r["doc"], "place": r["place"], "period_label": r["periodLabel"], "indicator": r["indicator"],
             "indicator_label": r["indicatorLabel"], "breakdown": r["breakdown"] or "", "base_value": r["baseValue"],
             "base_unit": r["baseUnit"] or "", "start_year": r["startYear"], "end_year": r["endYear"]}
            for r in store.select(CHECK_ROWS)]


def consistency(store: LocalStore) -> list[Check]:
    rows = check_rows(store)
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
    g = _ontology_triples(_ontology_key())
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
            for rem in by.get((doc, remainder, place), []):
                year, unit = rem["end_year"], rem["base_unit"]
                # one unit class throughout: households with households, persons with persons
                flow_rows = [f for f in by.get((doc, flow, place), []) if f["base_unit"] == unit]
                spent = sum(f["base_value"] for f in flow_rows if f["end_year"] <= year and f["start_year"] == f["end_year"])
                for s in stock_rows:
                    if s["base_unit"] != unit:
                        continue
                    expected = s["base_value"] - spent
                    ok = expected == rem["base_value"]
                    checks.append(Check("stock-flow", "agree" if ok else "disagree",
                                        f"{doc}: {place}{s['indicator_label']} {s['base_value']}{unit} − 截至{year}年"
                                        f"{flow_rows[0]['indicator_label'] if flow_rows else flow} {spent}{unit} = "
                                        f"{expected}{unit}, 原文{rem['indicator_label']} {rem['base_value']}{unit}"))
    return checks


def run_checks(store: LocalStore, engine: str = "sparql") -> Report:
    conforms, text, n = shacl(store, engine)
    return Report(conforms, text, n, consistency(store))
