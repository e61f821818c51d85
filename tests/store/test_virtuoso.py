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


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True)


def test_without_the_update_role_kg_says_what_to_grant(virtuoso):
    r = kg("--store", virtuoso.url, "ingest", "-q", str(CORPUS))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    [line] = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert "SR186" in line and 'GRANT SPARQL_UPDATE TO "SPARQL"' in line
    assert open_store(virtuoso.url).graphs() == []


def test_whole_graphs_are_read_through_the_cut_and_cut_answers_refused(virtuoso, seed_store):
    virtuoso.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
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
