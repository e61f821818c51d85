"""GraphWriter writes a document's graph as N-Quads text, byte for byte as Oxigraph serializes it."""

from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.bulk import as_nquads
from kg.corpus import read_report
from kg.extract import extract_report
from kg.ingest import _extract_nquads
from kg.namespaces import XSD
from kg.rdf.build import GraphWriter, dec, integer, plain, zh
from kg.rdf.nquads import literal

from ..conftest import SEED_TEXT

S, P, O = "https://example.org/s", "https://example.org/p", "https://example.org/o"
DECIMAL, INTEGER = ox.NamedNode(XSD + "decimal"), ox.NamedNode(XSD + "integer")

TRICKY = [
    "", "plain", '"quoted"', "back\\slash", "\\\"", "line\nbreak", "cr\r\nlf", "tab\there",
    "\b\f", "\x00nul", "\x01\x07\x0b\x0e\x1f", "del\x7f", "\x80\x85\x9f", "sep\u2028\u2029",
    "\ufeffbom", "\ufffe\uffff", "\ufffd", "emoji 😀👨‍👩‍👧",
    "中文,“引号”、《书名》\u3000全角",
    "mixed\t\"中\"\\\n\x1b[0m", "@zh", "^^<x>", " <g> .\n", "trailing\\",
]


def _written(obj) -> bytes:
    w = GraphWriter("t")
    w.add(S, P, obj)
    return w.nquads


def _oxigraph(obj: ox.Literal) -> bytes:
    graph = ox.NamedNode(GraphWriter("t").graph.value)
    return ox.serialize([ox.Quad(ox.NamedNode(S), ox.NamedNode(P), obj, graph)], format=ox.RdfFormat.N_QUADS)


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("ours, theirs", [
    (plain, ox.Literal),
    (zh, lambda t: ox.Literal(t, language="zh")),
    (lambda t: literal(t, datatype=XSD + "decimal"), lambda t: ox.Literal(t, datatype=DECIMAL)),
], ids=["plain", "zh", "typed"])
def test_nquads_writer_escapes_literals_as_oxigraph(text, ours, theirs):
    assert _written(ours(text)) == _oxigraph(theirs(text))
    assert _written(theirs(text)) == _oxigraph(theirs(text))      # a pyoxigraph Literal is accepted too


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_nquads_writer_escapes_any_text_as_oxigraph(text):
    assert _written(plain(text)) == _oxigraph(ox.Literal(text))
    assert _written(zh(text)) == _oxigraph(ox.Literal(text, language="zh"))


@pytest.mark.parametrize("make", [plain, zh, ox.Literal])
def test_nquads_writer_refuses_lone_surrogates(make):
    with pytest.raises(ValueError):
        GraphWriter("t").add(S, P, make("a\ud800b"))


@pytest.mark.parametrize("ours, theirs", [
    (zh("安平县"), ox.Literal("安平县", language="zh")),
    (literal("安平县", language="ZH-Hans"), ox.Literal("安平县", language="zh-Hans")),
    (plain("2019-05-01"), ox.Literal("2019-05-01")),
    (literal("x", datatype=XSD + "string"), ox.Literal("x", datatype=ox.NamedNode(XSD + "string"))),
    (dec(Decimal("12.50")), ox.Literal("12.50", datatype=DECIMAL)),
    (dec(Decimal("1E+3")), ox.Literal("1000", datatype=DECIMAL)),
    (dec(Decimal("-0.05")), ox.Literal("-0.05", datatype=DECIMAL)),
    (integer(0), ox.Literal("0", datatype=INTEGER)),
    (integer(-42), ox.Literal("-42", datatype=INTEGER)),
    (O, ox.NamedNode(O)),
    (ox.NamedNode(O), ox.NamedNode(O)),
    (ox.Literal(7), ox.Literal(7)),
])
def test_nquads_writer_writes_terms_as_oxigraph(ours, theirs):
    assert _written(ours) == _oxigraph(theirs)


def test_nquads_writer_keeps_each_quad_once_in_insertion_order():
    w = GraphWriter("t")
    adds = [(S, P, O), (O, P, S), (S, P, plain("a")), (S, P, O), (ox.NamedNode(S), P, ox.NamedNode(O)),
            (S, P, ox.Literal("a")), (S, P, zh("a")), (O, P, S), (S, P, plain("a"))]
    for s, p, o in adds:
        w.add(s, p, o)
    g = ox.NamedNode(w.graph.value)
    expected = [ox.Quad(ox.NamedNode(S), ox.NamedNode(P), ox.NamedNode(O), g),
                ox.Quad(ox.NamedNode(O), ox.NamedNode(P), ox.NamedNode(S), g),
                ox.Quad(ox.NamedNode(S), ox.NamedNode(P), ox.Literal("a"), g),
                ox.Quad(ox.NamedNode(S), ox.NamedNode(P), ox.Literal("a", language="zh"), g)]
    assert w.quads == expected
    assert w.nquads == ox.serialize(expected, format=ox.RdfFormat.N_QUADS)


@pytest.mark.parametrize("s, p, o", [
    ("not an iri", P, O), (S, "relative", O), (S, P, "https://example.org/a b"),
    (S, P, "https://example.org/<x>"), (S, P, ""),
])
def test_nquads_writer_refuses_invalid_iris(s, p, o):
    w = GraphWriter("t")
    with pytest.raises(ValueError):
        w.add(s, p, o)
    assert w.nquads == b""


@pytest.mark.parametrize("kw", [{"language": "not a tag"}, {"language": "zh_CN"}, {"datatype": "no datatype"}])
def test_nquads_writer_refuses_invalid_tags_and_datatypes(kw):
    with pytest.raises(ValueError):
        literal("x", **kw)


@pytest.mark.parametrize("s, o, error", [
    (ox.BlankNode("b0"), O, ValueError), (S, ox.BlankNode("b0"), ValueError),
    (plain("literal"), O, TypeError), (ox.Literal("literal"), O, TypeError), (S, 42, TypeError),
])
def test_nquads_writer_refuses_blank_nodes_and_misplaced_terms(s, o, error):
    with pytest.raises(error):
        GraphWriter("t").add(s, P, o)


@pytest.mark.parametrize("text", TRICKY)
def test_nquads_writer_quads_are_the_parsed_nquads(text):
    w = GraphWriter("t")
    w.add(S, P, zh(text))
    w.add(S, P, integer(len(text)))
    w.add(O, P, S)
    assert w.quads == list(ox.parse(w.nquads, format=ox.RdfFormat.N_QUADS))
    assert as_nquads(w.quads) == w.nquads


def test_nquads_writer_extracted_report_is_what_oxigraph_writes():
    report = read_report(SEED_TEXT)
    ex = extract_report(report)
    assert len(ex.quads) > 500
    assert ex.nquads == ox.serialize(ex.quads, format=ox.RdfFormat.N_QUADS)
    assert len(set(ex.quads)) == len(ex.quads) == ex.nquads.count(b"\n")
    assert _extract_nquads((report, None)) == (report.doc, ex.nquads, len(ex.facts), ex.entities)
