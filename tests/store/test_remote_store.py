"""An external SPARQL server as the store: the same suite against a real Oxigraph server and a
real OpenLink Virtuoso, each on 127.0.0.1 (tests/sparql_servers.py): ingest, add, replace,
remove, export, check and `kg ask`, compared with the embedded store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.export import export
from kg.ingest import ingest
from kg.library import add, remove
from kg.namespaces import GRAPH
from kg.remote import RemoteStore
from kg.store import open_store
from kg.web.examples import QUESTIONS

from ..conftest import CORPUS, SEED_DOC
from ..sparql_servers import free_port, start_oxigraph, start_virtuoso

EXTRA = Path(__file__).resolve().parents[1] / "multi" / "data" / "changshun-poverty-overview.txt"
ENGINES = ("oxigraph", "virtuoso")
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, tmp_path_factory):
    start = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}[request.param]
    server = start(tmp_path_factory.mktemp(request.param))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(engine) -> str:
    """The server's store location, holding the seed corpus (ingested by kg through it)."""
    ingest([CORPUS], open_store(engine.url), progress=False)
    return engine.url


def graph_of(store) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=store.dump("nt").decode("utf-8"), format="nt")
    return g


def csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The CSV's header and its rows in a fixed order: rows tied on (doc, start) come in the
    order each engine finds them."""
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8")))
    return header, sorted(rows)


def kg(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], input=stdin, capture_output=True, text=True)


def test_the_dialect_is_found_from_the_server(engine):
    assert RemoteStore(engine.url).dialect.name == engine.kind
    assert RemoteStore(engine.url + "#sparql").dialect.name == "sparql"
    r = kg("--store", engine.url + "#nosuch", "list")
    assert r.returncode != 0 and "unknown SPARQL server kind #nosuch" in r.stderr and "Traceback" not in r.stderr


def test_remote_store_ingest_gives_the_same_graph_as_local(server, seed_store):
    store = open_store(server)
    assert isomorphic(graph_of(store), graph_of(seed_store))
    assert sorted(store.dump("nq").splitlines()) == sorted(seed_store.dump("nq").splitlines())
    assert len(store) == len(seed_store)
    assert csv_rows(export(store, "csv")) == csv_rows(export(seed_store, "csv"))


def test_only_kgs_graphs_count(server, engine, seed_store):
    """A graph of someone else's on the server (Virtuoso has its own system graphs) is neither
    exported, nor listed, nor put into the union, even when the union is rebuilt."""
    store = open_store(server)
    store._update('INSERT DATA { GRAPH <http://example.org/theirs> { <http://example.org/a> '
                  '<http://www.w3.org/2000/01/rdf-schema#label> "theirs" } }')
    try:
        store.ensure_union()
        assert len(store) == len(seed_store)
        assert "http://example.org/theirs" not in store.graphs()
        assert b"example.org" not in store.dump("nq") and b"example.org" not in store.dump("nt")
        assert store.select('SELECT ?s WHERE { ?s ?p "theirs" }') == []
    finally:
        store._update("DROP SILENT GRAPH <http://example.org/theirs>")


def test_terms_round_trip(server):
    """What kg writes comes back the same: language tags, decimals, integers, booleans, blank
    nodes, and white space around a literal (a report's text starts with line breaks)."""
    store = open_store(server)
    g = GRAPH + "test-terms"
    s, p = ox.NamedNode("https://w3id.org/fupin/id/test"), ox.NamedNode("https://w3id.org/fupin/ontology#p")
    b = ox.BlankNode()
    objects = [ox.Literal("\n\n 汝州市 \n"), ox.Literal("汝州", language="zh"), ox.Literal("worker", language="en"),
               ox.Literal("2472854.56", datatype=ox.NamedNode(XSD + "decimal")),
               ox.Literal("13392", datatype=ox.NamedNode(XSD + "integer")),
               ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), b]
    quads = [ox.Quad(s, p, o, ox.NamedNode(g)) for o in objects] + [ox.Quad(b, p, ox.Literal("inner"), ox.NamedNode(g))]
    store.replace_graphs({g: quads})
    try:
        back = list(store.triples(g))
        assert len(back) == len(quads)
        named = {t.object for t in back if t.subject == s and not isinstance(t.object, ox.BlankNode)}
        assert named == set(objects[:-1])
        [blank] = [t.object for t in back if isinstance(t.object, ox.BlankNode)]
        assert [t.object for t in back if t.subject == blank] == [ox.Literal("inner")]
        rows = store.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o)) }", {"g": g})
        values = {r["o"] for r in rows}
        assert {"\n\n 汝州市 \n", Decimal("2472854.56"), 13392, "true"} <= values
    finally:
        store.remove_graphs([g])
    assert g not in store.graphs()


def test_remote_store_prepared_query_bindings(server):
    store = open_store(server)
    rows = store.select("SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label ; a ?t }",
                        {"t": "https://w3id.org/fupin/ontology#City"})
    assert {r["label"] for r in rows} >= {"汝州市"}
    evil = 'x" } ; DROP ALL ; SELECT * { "'
    assert store.select("SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }", {"l": evil}) == []
    assert len(store) > 1000


def test_remote_store_add_replace_remove(server, tmp_path, seed_store):
    store = open_store(server)
    before = set(store.document_graphs())
    src = tmp_path / "changshun.txt"
    src.write_text(EXTRA.read_text(encoding="utf-8"), encoding="utf-8")
    [a] = add([src], store, tmp_path / "corpus")
    assert not a.replaced and a.place == "长顺县"
    src.write_text(EXTRA.read_text(encoding="utf-8") + "\n2018年，完成农村危房改造1600户。\n", encoding="utf-8")
    [b] = add([src], store, tmp_path / "corpus")
    assert b.replaced and b.facts == a.facts + 1
    assert len(store.document_graphs()) == len(before) + 1
    remove(a.doc, store, tmp_path / "corpus")
    assert set(store.document_graphs()) == before
    assert not (tmp_path / "corpus" / f"{a.doc}.txt").exists()
    # the union lost the removed report's triples and kept the others'
    assert len(store) == len(seed_store)
    assert isomorphic(graph_of(store), graph_of(seed_store))


def test_kg_ask_over_the_remote_store(server, seed_store_path):
    questions = [*QUESTIONS, "汝州市有多少个贫困村", "2030年退出多少贫困村"]
    remote = kg("--store", server, "ask", "-", "--json", stdin="\n".join(questions) + "\n")
    local = kg("--store", str(seed_store_path), "ask", "-", "--json", stdin="\n".join(questions) + "\n")
    assert remote.returncode == local.returncode == 0, remote.stderr
    answers = [json.loads(line) for line in remote.stdout.splitlines()]
    assert answers == [json.loads(line) for line in local.stdout.splitlines()]
    assert len(answers) == len(questions) and sum(a["answered"] for a in answers) >= len(QUESTIONS) // 2
    assert answers[0]["answer"] == "2015年汝州市退出贫困村6个。" and not answers[-1]["answered"]


def test_remote_store_cli_round_trip(server):
    r = kg("--store", server, "list")
    assert r.returncode == 0 and SEED_DOC in r.stdout
    r = kg("--store", server, "check")
    assert r.returncode == 0 and "SHACL: conforms" in r.stdout


def test_remote_store_unreachable_is_a_clear_error():
    r = kg("--store", f"http://127.0.0.1:{free_port()}", "list")
    assert r.returncode != 0 and "cannot reach" in r.stderr and "Traceback" not in r.stderr
