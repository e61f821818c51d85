"""Fixtures for the web tests: one store built from corpus/ per session, the Flask app on it, and a
real server (`kg serve` in a subprocess on a free port of 127.0.0.1)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
ARTIFACTS = REPO / "test-artifacts" / "web"
DOC = "ruzhou-2018-poverty-alleviation"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory) -> Path:
    from kg.ingest import ingest
    from kg.store import LocalStore

    path = tmp_path_factory.mktemp("webstore") / "store"
    store = LocalStore(path)
    try:
        ingest([CORPUS], store, progress=False)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def app(store_dir):
    from kg.web.app import create_app

    app = create_app({"STORE": str(store_dir), "QUERY_TIMEOUT": 10, "MAX_ROWS": 10000, "PREWARM": False,
                      "WORKERS": 2})
    app.config["TESTING"] = True
    yield app
    app.extensions["kg"].pool.close()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def doc_id() -> str:
    return DOC


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception as e:        # not up yet
            last = e
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up: {last}")


@pytest.fixture(scope="session")
def server(store_dir, tmp_path_factory):
    """`kg serve` (waitress) on 127.0.0.1:<free port>; yields the base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("serverlog") / "serve.log"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    kg = Path(sys.executable).with_name("kg")
    cmd = [str(kg)] if kg.exists() else [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd + ["--store", str(store_dir), "serve", "--host", "127.0.0.1", "--port", str(port),
                                       "--query-timeout", "3", "--max-rows", "5000"],
                                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=str(REPO))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/api/stats")
    except RuntimeError:
        proc.kill()
        raise RuntimeError(log.read_text(errors="replace"))
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def ids(store_dir) -> dict:
    """Paths of things that exist in the test store (they depend on the extractor's output)."""
    from kg.store import LocalStore
    from kg.web import data

    store = LocalStore(store_dir, read_only=True)
    try:
        facts = data.document(store, DOC)["facts"]
        ents = data.entities(store)
        inds = [i for i in data.indicators(store) if i["facts"]]
        by_type = {g["type"]: g["entities"][0] for g in ents["groups"]}
        place = next(e for t, e in by_type.items() if t in data.PLACE_CLASSES)
        other = next((by_type[t] for t in ("Programme", "PolicyDocument", "Enterprise", "Organization") if t in by_type),
                     None)
        return {"doc": DOC, "obs": facts[0]["url"], "obs_iri": facts[0]["observation"], "place": place["url"],
                "place_label": place["label"], "entity": (other or place)["url"],
                "entity_label": (other or place)["label"], "indicator": inds[0]["url"], "indicator_label": inds[0]["label"],
                "fact": facts[0]}
    finally:
        store.close()
