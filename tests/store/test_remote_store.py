"""An external SPARQL server as the store: a real `oxigraph serve` on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.export import export
from kg.ingest import ingest
from kg.library import add, remove
from kg.store import open_store

from ..conftest import CORPUS, SEED_DOC

EXTRA = Path(__file__).resolve().parents[1] / "multi" / "data" / "changshun-poverty-overview.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path_factory.mktemp("ox")), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("oxigraph serve did not start")
    yield url
    proc.terminate()
    proc.wait(10)


def graph_of(store) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=store.dump("nt").decode("utf-8"), format="nt")
    return g


def test_remote_store_ingest_gives_the_same_graph_as_local(server, seed_store):
    store = open_store(server)
    ingest([CORPUS], store, progress=False)
    assert isomorphic(graph_of(store), graph_of(seed_store))
    assert export(store, "csv") == export(seed_store, "csv")


def test_remote_store_prepared_query_bindings(server):
    store = open_store(server)
    rows = store.select("SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label ; a ?t }",
                        {"t": "https://w3id.org/fupin/ontology#City"})
    assert {r["label"] for r in rows} >= {"汝州市"}
    evil = 'x" } ; DROP ALL ; SELECT * { "'
    assert store.select("SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }", {"l": evil}) == []
    assert len(store) > 1000


def test_remote_store_add_replace_remove(server, tmp_path):
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


def test_remote_store_cli_round_trip(server):
    r = subprocess.run([sys.executable, "-m", "kg.cli", "--store", server, "list"], capture_output=True, text=True)
    assert r.returncode == 0 and SEED_DOC in r.stdout
    r = subprocess.run([sys.executable, "-m", "kg.cli", "--store", server, "check"], capture_output=True, text=True)
    assert r.returncode == 0 and "SHACL: conforms" in r.stdout


def test_remote_store_unreachable_is_a_clear_error():
    r = subprocess.run([sys.executable, "-m", "kg.cli", "--store", f"http://127.0.0.1:{free_port()}", "list"],
                       capture_output=True, text=True)
    assert r.returncode != 0 and "cannot reach" in r.stderr and "Traceback" not in r.stderr
