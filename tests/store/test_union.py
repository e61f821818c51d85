"""The store's default graph is the set union of its named graphs, kept by every write, and
stores written before that (the union in a named graph, or none) still read right."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.namespaces import UNION_GRAPH
from kg.store import LocalStore

EX = "http://example.org/"
A, B = "https://w3id.org/fupin/graph/a", "https://w3id.org/fupin/graph/b"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def quad(s: str, o: str, g: str | None) -> ox.Quad:
    t = (ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o))
    return ox.Quad(*t, ox.NamedNode(g)) if g else ox.Quad(*t)


def doc_quads(g: str, *objects: str) -> list[ox.Quad]:
    return [quad("shared" if o == "shared" else f"s-{o}", o, g) for o in objects]


def test_union_is_a_set_and_follows_replacements(tmp_path):
    store = LocalStore(tmp_path / "s")
    store.replace_graphs({A: doc_quads(A, "shared", "a1"), B: doc_quads(B, "shared", "b1")})
    assert store.select(COUNT) == [{"n": 3}]                 # "shared" once, though in two graphs
    assert store.select(PER_GRAPH) == [{"g": A, "n": 2}, {"g": B, "n": 2}]   # the union is no named graph
    store.replace_graphs({A: doc_quads(A, "a2")})
    assert store.select(COUNT) == [{"n": 3}]                 # a1 gone, shared still in B
    store.remove_graphs([B])
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "a2"}]
    assert len(store) == 1
    store.close()


@pytest.mark.parametrize("legacy_union", [True, False])
def test_union_of_an_older_store(tmp_path, legacy_union):
    """Written before the union moved to the default graph (named union graph), or before there
    was one: read-only opens read it right; the first read-write open moves or builds it."""
    path = tmp_path / "s"
    db = ox.Store(str(path))
    db.extend(doc_quads(A, "shared", "a1") + doc_quads(B, "shared", "b1"))
    if legacy_union:
        db.extend([quad(q.subject.value[len(EX):], q.object.value, UNION_GRAPH)
                   for q in doc_quads(A, "shared", "a1") + doc_quads(B, "b1")])
    db.flush()
    del db
    if legacy_union:
        ro = LocalStore(path, read_only=True)
        assert ro.select(COUNT) == [{"n": 3}] and len(ro) == 3
        assert ro.graphs() == [A, B]
        assert [r["g"] for r in ro.select(PER_GRAPH)] == [A, B]
        ro.close()
    rw = LocalStore(path)
    assert rw.select(COUNT) == [{"n": 3}] and len(rw) == 3
    assert rw.graphs() == [A, B]
    assert not rw.db.contains_named_graph(ox.NamedNode(UNION_GRAPH))
    rw.close()
