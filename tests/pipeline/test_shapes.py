"""kg.shapes + kg.shape_sparql (SHACL Core compiled to SPARQL, run in the store) report what pyshacl reports.

Both validators run on the same stores: a valid report's graph, and copies of it broken on
purpose, one break at a time and all at once, touching every kind of constraint the shapes use
(counts, sh:class through rdfs:subClassOf, sh:datatype with an ill-formed decimal, sh:in,
sh:nodeKind, sh:languageIn, sh:minLength, sh:pattern, sh:hasValue, sh:node of a mention,
sh:or of classes, the node-level sh:or with a qualified count). Compared: whether the graph
conforms, the number of results, and each result's focus node, constraint component and path.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pyoxigraph as ox
import pytest
import rdflib

from kg.check import shacl
from kg.namespaces import DCT, FP, NIF, PROV, RDF, SDMX_ATT, SDMX_DIM, SKOS, XSD
from kg.shapes import Unsupported, read_shapes

from .test_open_facts import hailar_quads  # noqa: F401  (the fixture)
from .test_open_facts import N, open_observations, replaced, store_of, with_, without


@pytest.fixture(scope="module")
def quads(hailar_quads) -> list[ox.Quad]:
    return hailar_quads


def results(text: str) -> Counter:
    """(depth, focus node, constraint component, path's local name) of each result of a text
    report and of each detail nested in one (depth 1: why a mention breaks its shape)."""
    out = Counter()
    for block in re.split(r"^(?=\t*Constraint Violation in )", text, flags=re.M)[1:]:
        depth = (len(block) - len(block.lstrip("\t"))) // 2
        component = block.lstrip("\t").removeprefix("Constraint Violation in ").split("ConstraintComponent", 1)[0]
        fields = dict(re.findall(r"^\t*(Focus Node|Result Path): (.*)$", block, re.M))
        path = re.split(r"[#:/]", fields.get("Result Path", "").strip("<>"))[-1]
        out[(depth, fields["Focus Node"].strip().strip("<>"), component, path)] += 1
    return out


def both(qs) -> tuple[tuple, tuple]:
    store = store_of(qs)
    try:
        fast, slow = shacl(store, "sparql"), shacl(store, "pyshacl")
    finally:
        store.close()
    return fast, slow


def first_subject(qs, cls: str) -> N:
    return next(q.subject for q in qs if q.predicate == N(RDF + "type") and q.object == N(cls))


def first_object(qs, s, p: str):
    return next(q.object for q in qs if q.subject == s and q.predicate == N(p))


DEC = N(XSD + "decimal")
#: name → a function of (quads, observation, open indicator) giving the broken quads
BREAKS = {
    "no value": lambda qs, o, i: without(qs, o, FP + "value"),
    "two values": lambda qs, o, i: with_(qs, o, FP + "value", ox.Literal("7", datatype=DEC)),
    "ill-formed decimal": lambda qs, o, i: replaced(qs, o, FP + "value", ox.Literal("七", datatype=DEC)),
    "integer, not decimal": lambda qs, o, i: replaced(qs, o, FP + "baseValue", ox.Literal("7", datatype=N(XSD + "integer"))),
    "unit not a fp:Unit": lambda qs, o, i: replaced(qs, o, SDMX_ATT + "unitMeasure", N(FP + "Actual")),
    "area a literal": lambda qs, o, i: replaced(qs, o, SDMX_DIM + "refArea", ox.Literal("某县")),
    "kind out of its list": lambda qs, o, i: replaced(qs, o, FP + "kind", N(FP + "Level")),
    "qualifier out of its list": lambda qs, o, i: replaced(qs, o, FP + "qualifier", ox.Literal("about")),
    "no source": lambda qs, o, i: without(qs, o, PROV + "wasDerivedFrom"),
    "no mention": lambda qs, o, i: without(qs, o, FP + "mention"),
    "mention without its sentence": lambda qs, o, i: without(qs, first_object(qs, o, FP + "mention"), FP + "sentence"),
    "mention offset a string": lambda qs, o, i: replaced(qs, first_object(qs, o, FP + "mention"), NIF + "beginIndex",
                                                         ox.Literal("3")),
    "no measured phrase": lambda qs, o, i: without(qs, o, FP + "measuredPhrase"),
    "empty measured phrase": lambda qs, o, i: replaced(qs, o, FP + "measuredPhrase", ox.Literal("", language="zh")),
    "blank measured phrase": lambda qs, o, i: replaced(qs, o, FP + "measuredPhrase", ox.Literal("  ", language="zh")),
    "phrase not in Chinese": lambda qs, o, i: replaced(qs, o, FP + "measuredPhrase", ox.Literal("GDP", language="en")),
    "phrase a plain string": lambda qs, o, i: replaced(qs, o, FP + "measuredPhrase", ox.Literal("地区生产总值")),
    "subject a literal": lambda qs, o, i: with_(qs, o, FP + "subject", ox.Literal("某合作社")),
    "subject a place": lambda qs, o, i: with_(qs, o, FP + "subject", first_object(qs, o, SDMX_DIM + "refArea")),
    "indicator missing": lambda qs, o, i: without(qs, o, FP + "indicator"),
    "indicator untyped": lambda qs, o, i: replaced(qs, o, FP + "indicator", N(FP + "nothing")),
    "open indicator without its scheme": lambda qs, o, i: without(qs, i, SKOS + "inScheme"),
    "open indicator with two labels": lambda qs, o, i: with_(qs, i, SKOS + "prefLabel", ox.Literal("另一个", language="zh")),
    "period without its start": lambda qs, o, i: without(qs, first_object(qs, o, SDMX_DIM + "refPeriod"), FP + "startYear"),
    "report without its identifier": lambda qs, o, i: without(qs, first_subject(qs, FP + "Report"), DCT + "identifier"),
}


def test_shapes_compile():
    from kg.check import _ontology_key, _shapes
    shapes = read_shapes(_shapes(_ontology_key()))
    assert {str(s.node).rsplit("#", 1)[-1] for s in shapes} >= {"ObservationShape", "OpenObservationShape",
                                                                  "OpenIndicatorShape", "ReportShape", "PeriodShape"}


def test_shapes_valid_graph_conforms_in_both(quads):
    (fc, ft, fn), (sc, st, sn) = both(quads)
    assert fc and sc and fn == sn == 0, (ft, st)


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_shapes_break_reported_as_pyshacl_reports_it(quads, name):
    obs, ind = open_observations(quads)["地区生产总值"]
    (fc, ft, fn), (sc, st, sn) = both(BREAKS[name](quads, obs, ind))
    assert not sc, f"pyshacl finds no violation in {name!r}: the break is not one"
    assert (fc, fn) == (sc, sn), (ft, st)
    assert results(ft) == results(st), (ft, st)


def test_shapes_every_break_at_once(quads):
    pairs = [p for m in ("Level", "Change", "Cumulative") for p in open_observations(quads, m).values()]
    assert len(pairs) >= 10
    qs = quads
    for (name, change), (obs, ind) in zip(sorted(BREAKS.items()), itertools.cycle(pairs)):
        qs = change(qs, obs, ind)
    (fc, ft, fn), (sc, st, sn) = both(qs)
    assert not fc and (fc, fn) == (sc, sn)
    assert results(ft) == results(st)


def test_shapes_outside_the_subset_are_refused():
    g = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .""", format="turtle")
    with pytest.raises(Unsupported):
        read_shapes(g)
    g = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:equals ex:q ] .""",
                             format="turtle")
    with pytest.raises(Unsupported):
        read_shapes(g)


def test_shapes_store_without_ontology_falls_back_to_pyshacl(quads):
    """With no ontology graph in the store (no class hierarchy, no units), pyshacl validates it
    with the ontology files: the same report, word for word, as asking for pyshacl."""
    store = store_of([q for q in quads if "ontology" not in q.graph_name.value])
    assert shacl(store) == shacl(store, "pyshacl")
    with pytest.raises(ValueError):
        shacl(store, "jena")
