"""Questions against an external SPARQL server (a real `oxigraph serve`): the fact index is read
through the SPARQL protocol, and follows adds and removals made by anyone (no write count: the
fingerprint is checked on every question)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg.library import add, remove
from kg.qa import ask
from kg.store import open_store

from .corpus import DOCS, REPORTS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server(tmp_path):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists() and not shutil.which("oxigraph"):
        pytest.skip("oxigraph server not installed")
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "ox"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph serve did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def test_questions_on_a_sparql_server(server, tmp_path, multi_store):
    store = open_store(server)
    corpus = tmp_path / "corpus"
    for path, meta in (REPORTS[0], REPORTS[4]):
        add([path], store, corpus, meta=dict(meta))
    questions = ["汝州市2015年退出多少贫困村", "2015年退出多少贫困村", "安平市有多少扶贫合作社", "2019年退出多少贫困村"]
    r = ask(questions[1], store)
    assert {v["place"]: v["value"] for v in r["values"]} == {"汝州市": 6, "安平市": 7}
    # the same answers as from the embedded store, for the places both hold
    for q in questions[:1]:
        assert ask(q, store)["answer"] == ask(q, multi_store)["answer"]
    assert not ask(questions[3], store)["answered"]
    # another writer removes a report: the next question no longer sees it
    remove(DOCS["anping17"], open_store(server), None)
    r = ask(questions[1], store)
    assert {v["place"]: v["value"] for v in r["values"]} == {"汝州市": 6}
    assert not ask(questions[2], store)["answered"]
