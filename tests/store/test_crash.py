"""A `kg ingest` killed with SIGKILL while it writes leaves the store as it was: every old graph
(kg.bulk builds the new version beside the store and swaps it in at the end); a first ingest
into an empty store, killed, leaves it empty; running it again completes the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ..conftest import CORPUS, SEED_DOC

N_DOCS = 40
PLACES = [f"{a}{b}县" for a in "平石青河东西南北" for b in "安门山口水"][:N_DOCS]


def write_corpus(folder: Path, version: str) -> None:
    folder.mkdir(exist_ok=True)
    text = (CORPUS / f"{SEED_DOC}.txt").read_text(encoding="utf-8")
    for i, place in enumerate(PLACES):
        body = text.replace("汝州市", place) + f"\n{version}\n"
        if version == "v2":
            body = body.replace("2015年退出贫困村6个", "2015年退出贫困村16个")
        (folder / f"doc-{i:02d}.txt").write_text(body, encoding="utf-8")


def graphs_by_doc(store_path: Path) -> dict[str, frozenset[str]]:
    db = ox.Store.read_only(str(store_path))
    out: dict[str, set[str]] = {}
    for q in db:
        g = getattr(q.graph_name, "value", "")        # the default graph (the union) has no name
        if "/graph/doc-" in g:
            out.setdefault(g, set()).add(str(ox.Triple(q.subject, q.predicate, q.object)))
    del db
    return {g: frozenset(t) for g, t in out.items()}


CHECKSUMS = ("SELECT ?g ?sum WHERE { GRAPH ?g { ?r <https://w3id.org/fupin/ontology#checksum> ?sum } }")


def checksums(store_path: Path) -> dict[str, str]:
    db = ox.Store.read_only(str(store_path))
    out = {r["g"].value: r["sum"].value for r in db.query(CHECKSUMS)}
    del db
    return out


def ingest_cmd(store: Path, corpus: Path, **env_vars: str):
    env = {**os.environ, **env_vars}
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "--store", str(store), "ingest", "-q", str(corpus)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """The complete graphs of both versions, from clean ingests."""
    root = tmp_path_factory.mktemp("crash")
    out = {}
    for v in ("v1", "v2"):
        write_corpus(root / v, v)
        p = ingest_cmd(root / f"ref-{v}", root / v)
        assert p.wait(600) == 0, p.stderr.read()
        out[v] = graphs_by_doc(root / f"ref-{v}")
    assert len(out["v1"]) == N_DOCS and out["v1"] != out["v2"]
    return root, out, checksums(root / "ref-v2")


def new_loads(staging: Path, since: float) -> int:
    """Files the bulk loader wrote into the new version of the store since ``since`` (a
    checkpoint's files are hard links to the store's: they keep their old times)."""
    try:
        return sum(1 for f in staging.iterdir() if f.suffix == ".sst" and f.stat().st_mtime > since)
    except OSError:
        return 0


@pytest.mark.parametrize("kill_after_loads", [1, N_DOCS // 4])
def test_crash_sigkill_during_ingest_leaves_the_old_graphs(versions, tmp_path, kill_after_loads):
    """Killed while the new version is being loaded beside the store, the store keeps every
    old graph; the next ingest writes every new one."""
    root, ref, new_sums = versions
    store = tmp_path / "store"
    p = ingest_cmd(store, root / "v1")
    assert p.wait(600) == 0
    time.sleep(0.05)
    start = time.time()
    p = ingest_cmd(store, root / "v2", KG_BULK_BATCH_BYTES="1")      # one bulk load per document
    deadline = start + 300
    while p.poll() is None and time.time() < deadline:
        if new_loads(tmp_path / "store.kg-new", start) >= kill_after_loads:
            p.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    assert p.wait(60) == -signal.SIGKILL, "the ingest finished before it could be killed mid-load"
    assert graphs_by_doc(store) == ref["v1"]
    assert set(checksums(store).values()).isdisjoint(new_sums.values())
    p = ingest_cmd(store, root / "v2")
    assert p.wait(600) == 0
    assert graphs_by_doc(store) == ref["v2"]
    assert not (tmp_path / "store.kg-new").exists()


def test_crash_sigkill_during_first_ingest_leaves_the_store_empty(versions, tmp_path):
    """A first ingest bulk-loads beside the store (kg.bulk); killed after some documents were
    loaded there, the store is still empty, and the next ingest builds it in full."""
    root, ref, _ = versions
    store = tmp_path / "store"
    staging = tmp_path / "store.kg-new"
    p = ingest_cmd(store, root / "v1", KG_BULK_BATCH_BYTES="1")      # one bulk load per document
    deadline = time.time() + 300
    while p.poll() is None and time.time() < deadline:
        if staging.is_dir() and sum(1 for f in staging.iterdir() if f.suffix == ".sst") >= 3:
            p.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    assert p.wait(60) == -signal.SIGKILL, "the ingest finished before it could be killed mid-load"
    assert graphs_by_doc(store) == {}
    p = ingest_cmd(store, root / "v1")
    assert p.wait(600) == 0, p.stderr.read()
    assert graphs_by_doc(store) == ref["v1"]
    assert not staging.exists()
