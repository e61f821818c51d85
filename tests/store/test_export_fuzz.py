"""Any generated graph survives the store's write path (SPARQL INSERT DATA) and round-trips
through Turtle, TriG, N-Triples and N-Quads exports."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg.export import export
from kg.store import LocalStore

SEGMENT = st.text(alphabet=st.sampled_from(list("abcxyz019-_.~汝州市贫困村退出")), min_size=1, max_size=8)
IRI = SEGMENT.map(lambda s: ox.NamedNode("https://w3id.org/fupin/id/test/" + s))
GRAPH = st.sampled_from(["a", "b", "汝州"]).map(lambda s: ox.NamedNode("https://w3id.org/fupin/graph/" + s))
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
LITERAL = st.one_of(
    TEXT.map(ox.Literal),
    st.tuples(TEXT, st.sampled_from(["zh", "en", "zh-Hans"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    # numeric literals in canonical form, as kg writes them (the store canonicalises 0.000 → 0)
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
        lambda d: ox.Literal(format((d + 0).normalize(), "f"),
                             datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
    st.integers(-10**12, 10**12).map(
        lambda i: ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
)
QUAD = st.tuples(IRI, IRI, st.one_of(IRI, LITERAL), GRAPH).map(lambda t: ox.Quad(*t))


def rdflib_graph(data: bytes, fmt: str) -> rdflib.Graph:
    ds = rdflib.Dataset()
    ds.parse(data=data.decode("utf-8"), format=fmt)
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(QUAD, min_size=1, max_size=25))
def test_export_fuzz_round_trips(quads):
    store = LocalStore(None)
    by_graph: dict[str, list[ox.Quad]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(q)
    store.replace_graphs(by_graph)
    assert set(store.quads()) == set(quads)
    expected = rdflib.Graph()
    expected.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                                     format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    for fmt, rdflib_format in (("ttl", "turtle"), ("nt", "nt"), ("trig", "trig"), ("nq", "nquads")):
        assert isomorphic(rdflib_graph(export(store, fmt), rdflib_format), expected), fmt
    trig = rdflib.Dataset()
    trig.parse(data=export(store, "trig").decode("utf-8"), format="trig")
    assert {str(g.identifier) for g in trig.graphs() if len(g)} == set(by_graph)
