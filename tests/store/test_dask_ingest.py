"""`kg ingest --dask`: extraction on a real Dask cluster (distributed.LocalCluster: a scheduler
and two worker processes on 127.0.0.1) builds the same store as a local ingest; without the
option nothing of Dask is imported; a scheduler that cannot be reached is a one-line error that
leaves the store as it was."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from distributed import Client, LocalCluster

from kg.ingest import ingest
from kg.store import LocalStore, open_store, staging_path

from ..conftest import CORPUS, SEED_DOC
from ..sparql_servers import free_port

PLACES = ["平安县", "石门县", "青山市", "河口区", "东安县", "西林县"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Six reports (the seed report under six places), enough for both workers."""
    folder = tmp_path_factory.mktemp("dask-corpus")
    text = (CORPUS / f"{SEED_DOC}.txt").read_text(encoding="utf-8")
    for i, place in enumerate(PLACES):
        (folder / f"report-{i}.txt").write_text(text.replace("汝州市", place).replace("汝州", place[:2]), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as c:
        yield c


def kg(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_dask_ingest_builds_the_same_store_as_a_local_one(cluster, corpus, tmp_path):
    local = LocalStore(tmp_path / "local")
    summary = ingest([corpus], local, progress=False)
    expected = local.dump("nq")
    local.close()
    r = kg("--store", str(tmp_path / "dask"), "ingest", "--dask", cluster.scheduler_address, str(corpus))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"ingested {summary}"
    built = LocalStore(tmp_path / "dask", read_only=True)
    assert built.dump("nq") == expected and len(built.document_graphs()) == len(PLACES)
    built.close()
    # both worker processes extracted reports (they import kg's extractor on their first task)
    with Client(cluster.scheduler_address) as client:
        assert set(client.run(lambda: "kg.extract" in sys.modules).values()) == {True}
    # a store that is not a folder (here in memory; a SPARQL server alike) gets the same graphs
    memory = open_store(":memory:")
    ingest([corpus], memory, progress=False, dask=cluster.scheduler_address)
    assert sorted(memory.dump("nq").splitlines()) == sorted(expected.splitlines())


def test_without_dask_nothing_of_dask_is_imported(tmp_path):
    code = f"""
import sys
from kg.cli import main
main(["--store", {str(tmp_path / "store")!r}, "ingest", "-q", {str(CORPUS)!r}], standalone_mode=False)
print(sorted({{m.split(".")[0] for m in sys.modules}} & {{"dask", "distributed"}}))
from kg.cluster import ClusterError, connect
try:
    connect("tcp://127.0.0.1:{free_port()}")
except ClusterError:
    pass
print(sorted({{m.split(".")[0] for m in sys.modules}} & {{"dask", "distributed"}}))
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert r.returncode == 0, r.stderr
    without, with_dask = r.stdout.splitlines()
    assert without == "[]"
    assert with_dask == "['dask', 'distributed']"      # the check sees Dask once it is imported
    store = LocalStore(tmp_path / "store", read_only=True)
    assert store.document_graphs() and len(store) > 1000
    store.close()


def test_an_unreachable_scheduler_is_a_clear_error_and_changes_nothing(corpus, tmp_path):
    path = tmp_path / "store"
    store = LocalStore(path)
    ingest([CORPUS], store, progress=False)
    before = store.dump("nq")
    store.close()
    address = f"tcp://127.0.0.1:{free_port()}"
    r = kg("--store", str(path), "ingest", "--dask", address, str(corpus),
           env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert r.returncode != 0 and "Traceback" not in r.stderr
    [line] = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert f"cannot reach the Dask scheduler at {address}" in line and "the store is as it was" in line
    r = kg("--store", str(path), "ingest", "--dask", "scheduler-without-port", str(corpus))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    [line] = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert "not a Dask scheduler address: scheduler-without-port" in line
    r = kg("--store", str(path), "ingest", "--jobs", "2", "--dask", address, str(corpus))
    assert r.returncode != 0 and "--jobs and --dask" in r.stderr
    store = LocalStore(path, read_only=True)
    assert store.dump("nq") == before
    store.close()
    assert not staging_path(path).exists()
