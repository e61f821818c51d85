"""Where Virtuoso departs from the protocols, against a real Virtuoso on 127.0.0.1 (see
kg.dialect): a SPARQL user without the update role, and results cut at ResultSetMaxRows (set
to 1,000 here, below the size of every graph of the seed corpus)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg.ingest import ingest
from kg.store import StoreError, open_store

from ..conftest import CORPUS
from ..sparql_servers import start_virtuoso

CUT = 1000


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-cut"), max_rows=CUT, grant=False)
    yield server
    server.stop()


def grant(virtuoso) -> None:
    """Give the SPARQL user the update role (once: Virtuoso refuses to grant it twice)."""
    try:
        virtuoso.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
    except RuntimeError as e:
        if "already have role" not in str(e):
            raise


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True)


def test_without_the_update_role_kg_says_what_to_grant(virtuoso):
    r = kg("--store", virtuoso.url, "ingest", "-q", str(CORPUS))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    [line] = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert "SR186" in line and 'GRANT SPARQL_UPDATE TO "SPARQL"' in line
    assert open_store(virtuoso.url).graphs() == []


def test_whole_graphs_are_read_through_the_cut_and_cut_answers_refused(virtuoso, seed_store):
    grant(virtuoso)
    store = open_store(virtuoso.url)
    ingest([CORPUS], store, progress=False)
    assert min(len(store.triples(g)) for g in store.graphs()) > CUT      # every graph came in pages
    assert sorted(store.dump("nq").splitlines()) == sorted(seed_store.dump("nq").splitlines())
    assert sorted(store.dump("nt").splitlines()) == sorted(seed_store.dump("nt").splitlines())
    # any other query the server cut fails, rather than answering from a part of the graph
    with pytest.raises(StoreError, match="cut the result at 1000 rows.*ResultSetMaxRows"):
        store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 999")) == 999
    r = kg("--store", virtuoso.url, "query", "SELECT ?s WHERE { ?s ?p ?o }")
    assert r.returncode != 0 and "ResultSetMaxRows" in r.stderr and "Traceback" not in r.stderr


def test_json_results_as_kg_web_asks_for_them(virtuoso):
    """kg.web.data reads some pages with a query POSTed directly, asking for SPARQL JSON: the
    query goes form-encoded (posted directly, Virtuoso never answers), and the JSON comes back
    with booleans and blank nodes corrected."""
    import pyoxigraph as ox

    from kg.remote import RESULTS_JSON, RemoteStore
    store = RemoteStore(virtuoso.url, timeout=20)
    grant(virtuoso)
    g = "https://w3id.org/fupin/graph/test-json"
    b = ox.BlankNode()
    p = ox.NamedNode("https://w3id.org/fupin/ontology#p")
    store.replace_graphs({g: [ox.Quad(b, p, ox.Literal("true", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#boolean")), ox.NamedNode(g))]})
    try:
        ctype, body = store._post(store.query_url + "?default-graph-uri=" + g, "SELECT ?s ?o WHERE { ?s ?p ?o }",
                                  "application/sparql-query", RESULTS_JSON)
        assert ctype == RESULTS_JSON
        [row] = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
        assert isinstance(row["s"], ox.BlankNode) and row["o"].value == "true"
    finally:
        store.remove_graphs([g])
