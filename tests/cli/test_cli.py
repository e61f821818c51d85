"""The `kg` command as a user runs it: real subprocesses on temporary stores."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import CORPUS, SEED_DOC

KG = [sys.executable, "-m", "kg.cli"]


def kg(*args, store=None, input=None, check=False):
    cmd = [*KG, *(["--store", str(store)] if store else []), *map(str, args)]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(cmd, capture_output=True, text=True, input=input, env=env, check=check, timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    r = kg("ingest", CORPUS, store=path)
    assert r.returncode == 0, r.stderr
    assert "1 documents" in r.stdout
    return path


def snapshot(store: Path) -> list[str]:
    r = kg("export", "-f", "nt", store=store)
    assert r.returncode == 0, r.stderr
    return sorted(r.stdout.splitlines())


@pytest.mark.parametrize("args", [[], ["ingest"], ["export"], ["check"], ["query"], ["list"], ["serve"]])
def test_cli_help_explains_every_command(args):
    r = kg(*args, "--help")
    assert r.returncode == 0
    assert "Usage:" in r.stdout and len(r.stdout) > 200


@pytest.mark.parametrize("name,content,message", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", b"\x00\x01\x02\xff" * 100, "binary"),
    ("truncated.txt", "我市共有贫困村".encode("utf-8")[:-1], "truncated"),
    ("mixed.txt", "我市共有贫困村".encode("utf-8") + "退出贫困村".encode("gbk"), "mixed"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "unsupported"),
])
def test_cli_bad_input_fails_clearly_and_changes_nothing(store, tmp_path, name, content, message):
    before = snapshot(store)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / f"{SEED_DOC}.txt", folder / "good-report.txt")   # a good file beside the bad one
    (folder / name).write_bytes(content)
    r = kg("ingest", folder, store=store)
    assert r.returncode != 0
    assert name in r.stderr and message in r.stderr
    assert "Traceback" not in r.stderr
    assert snapshot(store) == before


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_cli_other_encodings_are_read(tmp_path, encoding):
    text = (CORPUS / f"{SEED_DOC}.txt").read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "report.txt").write_bytes(text.encode(encoding))
    r = kg("ingest", tmp_path / "in", store=tmp_path / "s")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(kg("export", "-f", "csv", store=tmp_path / "s").stdout)))
    assert len(rows) > 90
    assert all(text[int(r["start"]):int(r["end"])] == r["surface"] for r in rows)


def test_cli_missing_file_fails_clearly(store, tmp_path):
    r = kg("ingest", tmp_path / "nope.txt", store=store)
    assert r.returncode != 0 and "nope.txt" in r.stderr and "Traceback" not in r.stderr


def test_cli_bad_metadata_fails_clearly(store, tmp_path):
    before = snapshot(store)
    shutil.copy(CORPUS / f"{SEED_DOC}.txt", tmp_path / "r.txt")
    (tmp_path / "r.meta.json").write_text("{not json", encoding="utf-8")
    r = kg("ingest", tmp_path, store=store)
    assert r.returncode != 0 and "r.meta.json" in r.stderr
    assert snapshot(store) == before


def test_cli_export_csv_to_file_with_bom(store, tmp_path):
    out = tmp_path / "facts.csv"
    r = kg("export", "-f", "csv", "-o", out, "--bom", store=store)
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) > 50 and {r["doc"] for r in rows} == {SEED_DOC}


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "jsonld", "trig", "graphml"])
def test_cli_export_formats_are_non_empty(store, fmt):
    r = kg("export", "-f", fmt, store=store)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout) > 1000


def test_cli_query_formats(store):
    q = ('PREFIX fp: <https://w3id.org/fupin/ontology#> '
         'SELECT (COUNT(?o) AS ?n) WHERE { ?o a fp:Observation }')
    table = kg("query", q, store=store)
    assert table.returncode == 0 and "(1 row)" in table.stdout
    [row] = json.loads(kg("query", q, "-f", "json", store=store).stdout)
    assert int(row["n"]) > 50
    assert kg("query", q, "-f", "csv", store=store).stdout.splitlines()[0] == "n"
    assert kg("query", "-", input=q, store=store).returncode == 0


def test_cli_query_syntax_error_is_a_clear_message(store):
    r = kg("query", "SELEKT * WHERE {", store=store)
    assert r.returncode != 0 and "syntax" in r.stderr.lower() and "Traceback" not in r.stderr


def test_cli_check_reports_agreement(store):
    r = kg("check", store=store)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "SHACL: conforms" in r.stdout
    assert "agree" in r.stdout and "disagree" not in r.stdout


def test_cli_check_fails_on_shacl_violation(store, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(store, broken)
    import pyoxigraph as ox
    db = ox.Store(str(broken))
    db.update('INSERT DATA { GRAPH <https://w3id.org/fupin/graph/broken> { '
              '<https://w3id.org/fupin/id/obs/x> a <https://w3id.org/fupin/ontology#Observation> } }')
    db.flush()
    del db
    r = kg("check", store=broken)
    assert r.returncode == 1
    assert "violation" in r.stdout


def test_cli_list_shows_documents(store):
    r = kg("list", store=store)
    assert SEED_DOC in r.stdout and "汝州市" in r.stdout
    [doc] = [json.loads(line) for line in kg("list", "--json", store=store).stdout.splitlines()]
    assert doc["doc"] == SEED_DOC and doc["facts"] > 50
