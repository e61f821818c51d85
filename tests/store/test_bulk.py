"""Building an empty store by bulk loading beside it and swapping it in (kg.bulk), and the
writer lock every writer holds."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from kg import bulk
from kg.bulk import BulkBuild, as_nquads, in_default_graph
from kg.store import staging_path
from kg.store import LocalStore, StoreError, aside_path, writer_lock_path

G = "https://w3id.org/fupin/graph/doc-1"
EX = "http://example.org/"


def triples(*objects, graph: str = G) -> list[ox.Quad]:
    return [ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), o, ox.NamedNode(graph)) for i, o in enumerate(objects)]


@pytest.mark.parametrize("obj", [
    ox.Literal("一行\n两行 .\n三行"),           # newlines in a literal are escaped in N-Triples
    ox.Literal("ends with a dot ."),
    ox.Literal(" .\n", language="zh"),
    ox.Literal("3.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    ox.NamedNode(f"{EX}o%20.x"),
])
def test_bulk_in_default_graph_keeps_every_term(obj):
    quads = triples(obj, ox.Literal("x"), ox.NamedNode(G))
    union = in_default_graph(as_nquads(quads), G)
    assert list(ox.parse(union, format=ox.RdfFormat.N_QUADS)) == [ox.Quad(q.subject, q.predicate, q.object)
                                                                   for q in quads]


def test_bulk_refuses_blank_nodes_and_quads_of_other_graphs():
    with pytest.raises(ValueError, match="blank node"):
        as_nquads(triples(ox.BlankNode("b0")))
    assert as_nquads(triples(ox.Literal("_:b0 is text")))          # only a blank node term counts
    with pytest.raises(ValueError, match="outside the graph"):
        in_default_graph(as_nquads(triples(ox.Literal("a")) + triples(ox.Literal("b"), graph=G + "2")), G)


def test_bulk_build_swaps_in_all_graphs_and_the_union(tmp_path):
    store = LocalStore(tmp_path / "s")
    reader = LocalStore(tmp_path / "s", read_only=True)      # a reader (kg serve) opened before
    with BulkBuild(store) as build:
        build.add(G, as_nquads(triples(ox.Literal("a"), ox.Literal("b"))))
        build.add(G + "2", as_nquads(triples(ox.Literal("a"), graph=G + "2")))       # s0 p "a" in both graphs
        assert staging_path(store.path).is_dir()
        assert len(reader.db) == 0
    assert not staging_path(store.path).exists()
    assert store.graphs() == [G, G + "2"]
    assert len(store) == 2                       # the union is a set: s0 p "a" once
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 2}]
    assert store.writes == 1
    store.close()
    again = LocalStore(tmp_path / "s", read_only=True)          # persisted
    assert len(list(again.db.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 2


def test_bulk_build_failure_leaves_the_store_empty(tmp_path):
    store = LocalStore(tmp_path / "s")
    with pytest.raises(RuntimeError, match="extraction broke"):
        with BulkBuild(store) as build:
            build.add(G, as_nquads(triples(ox.Literal("a"))))
            raise RuntimeError("extraction broke")
    assert not staging_path(store.path).exists()
    assert store.is_empty()
    store.close()


def test_bulk_build_over_data_replaces_some_graphs_and_keeps_the_others(tmp_path):
    store = LocalStore(tmp_path / "s")
    store.replace_graphs({G: triples(ox.Literal("old"), ox.Literal("shared")),
                          G + "2": triples(ox.Literal("kept"), ox.Literal("shared"), graph=G + "2")})
    with BulkBuild(store, replace=[G]) as build:
        build.add(G, as_nquads(triples(ox.Literal("new"))))
        assert {str(q.object) for q in store.db.quads_for_pattern(None, None, None, ox.NamedNode(G))} == \
            {'"old"', '"shared"'}                      # the store is untouched until the swap
    objects = {str(q.object) for q in store.db.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert objects == {'"new"', '"kept"', '"shared"'}      # "old" left the union; "shared" is still in G2
    assert {str(q.object) for q in store.db.quads_for_pattern(None, None, None, ox.NamedNode(G))} == {'"new"'}
    store.close()


def test_bulk_build_removes_a_crashed_build(tmp_path):
    stale = staging_path(tmp_path / "s")
    stale.mkdir()
    (stale / "junk").write_text("left by a killed ingest")
    store = LocalStore(tmp_path / "s")
    with BulkBuild(store) as build:
        build.add(G, as_nquads(triples(ox.Literal("a"))))
    assert store.graphs() == [G] and not stale.exists()
    store.close()


def test_bulk_build_without_atomic_exchange_moves_folders(tmp_path, monkeypatch):
    """Where renameat2 cannot exchange folders, the empty store is moved aside, then the new one in."""
    def unsupported(a, b):
        raise OSError("renameat2 is not available")
    monkeypatch.setattr(bulk, "exchange", unsupported)
    store = LocalStore(tmp_path / "s")
    with BulkBuild(store) as build:
        build.add(G, as_nquads(triples(ox.Literal("a"))))
    assert store.graphs() == [G]
    assert sorted(os.listdir(tmp_path)) == [".s.kg-lock", "s"]
    store.close()


def test_store_recovers_a_swap_killed_between_renames(tmp_path):
    """Where folders are moved in two renames, a writer killed between them left the old store
    aside and none in place: the next writer puts the old one back."""
    store = LocalStore(tmp_path / "s")
    store.replace_graphs({G: triples(ox.Literal("a"))})
    store.close()
    os.rename(tmp_path / "s", aside_path(tmp_path / "s"))
    store = LocalStore(tmp_path / "s")
    assert store.graphs() == [G] and not aside_path(tmp_path / "s").exists()
    store.close()


def test_bulk_batches_load_in_the_background(tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH_BYTES", 1)           # a bulk load per document
    store = LocalStore(tmp_path / "s")
    with BulkBuild(store) as build:
        for i in range(5):
            build.add(f"{G}-{i}", as_nquads(triples(ox.Literal(str(i)), graph=f"{G}-{i}")))
    assert len(store.graphs()) == 5 and len(store) == 5
    store.close()


def test_bulk_build_compacts_the_new_version_before_the_swap(tmp_path, monkeypatch):
    """Each bulk load adds its own files; left so, every query merges all of them (5–8 times
    slower on 1,000 synthetic reports, bench/README.md), and a read-only opener never compacts."""
    compacted = []
    optimize = ox.Store.optimize

    def spy(db):
        compacted.append(staging_path(tmp_path / "s").is_dir())
        optimize(db)

    monkeypatch.setattr(ox.Store, "optimize", spy)
    monkeypatch.setattr(bulk, "BATCH_BYTES", 1)
    store = LocalStore(tmp_path / "s")
    with BulkBuild(store) as build:
        for i in range(3):
            build.add(f"{G}-{i}", as_nquads(triples(ox.Literal(str(i)), graph=f"{G}-{i}")))
    assert compacted == [True]          # once, on the new version, before it was swapped in
    assert len(store) == 3
    store.close()


def test_store_second_writer_is_refused_with_a_clear_message(tmp_path):
    first = LocalStore(tmp_path / "s")
    with pytest.raises(StoreError, match="another kg process is writing"):
        LocalStore(tmp_path / "s")
    assert writer_lock_path(tmp_path / "s").exists()
    LocalStore(tmp_path / "s", read_only=True).close()        # readers never wait for the lock
    first.close()
    LocalStore(tmp_path / "s").close()                        # released on close


def test_bulk_build_swap_failing_half_way_keeps_the_old_store(tmp_path, monkeypatch):
    """No atomic exchange, and the second rename fails (a full or read-only disk): the old
    version goes back in place, and the ingest fails with a clear error."""
    store = LocalStore(tmp_path / "s")
    store.replace_graphs({G: triples(ox.Literal("old"))})
    monkeypatch.setattr(bulk, "exchange", lambda a, b: (_ for _ in ()).throw(OSError("no renameat2")))
    real_rename, calls = os.rename, []

    def rename(a, b):
        calls.append((a, b))
        if len(calls) == 2:
            raise OSError("No space left on device")
        real_rename(a, b)
    monkeypatch.setattr(bulk.os, "rename", rename)
    with pytest.raises(StoreError, match="cannot swap"):
        with BulkBuild(store, replace=[G]) as build:
            build.add(G, as_nquads(triples(ox.Literal("new"))))
    monkeypatch.setattr(bulk.os, "rename", real_rename)
    assert {str(q.object) for q in store.db.quads_for_pattern(None, None, None, ox.NamedNode(G))} == {'"old"'}
    store.close()
