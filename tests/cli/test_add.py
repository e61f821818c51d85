"""`kg add` / `kg remove` / `kg list` as a user runs them, with bad input of every kind."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from ..conftest import CORPUS, SEED_DOC
from .test_cli import kg

SEED = CORPUS / f"{SEED_DOC}.txt"
OTHER = "平安县2019年脱贫攻坚工作总结\n\n2016年,我县退出贫困村5个,2017年退出贫困村7个。截至2018年底,全县贫困发生率下降为0.9%。\n"


@pytest.fixture()
def home(tmp_path):
    """A working folder with a store holding the seed report."""
    r = kg("add", SEED, "--corpus", tmp_path / "corpus", store=tmp_path / "store")
    assert r.returncode == 0, r.stderr
    return tmp_path


def state(home) -> tuple:
    nq = kg("export", "-f", "nq", store=home / "store").stdout
    files = sorted((p.name, p.read_bytes()) for p in (home / "corpus").iterdir())
    return sorted(nq.splitlines()), files


def test_add_infers_metadata_and_lists(home):
    (home / "pingan.txt").write_text(OTHER, encoding="utf-8")
    r = kg("add", home / "pingan.txt", "--corpus", home / "corpus", store=home / "store")
    assert r.returncode == 0, r.stderr
    assert "added pingan: 平安县 2019" in r.stdout or "added pingan: 平安县" in r.stdout
    meta = json.loads((home / "corpus" / "pingan.meta.json").read_text(encoding="utf-8"))
    assert meta["place"] == "平安县" and meta["title"].startswith("平安县")
    listed = kg("list", store=home / "store").stdout
    assert "pingan" in listed and SEED_DOC in listed


def test_add_changed_file_with_same_id_replaces_it(home):
    (home / "pingan.txt").write_text(OTHER, encoding="utf-8")
    kg("add", home / "pingan.txt", "--corpus", home / "corpus", store=home / "store", check=True)
    (home / "pingan.txt").write_text(OTHER.replace("7个", "9个"), encoding="utf-8")
    r = kg("add", home / "pingan.txt", "--corpus", home / "corpus", store=home / "store")
    assert r.returncode == 0 and "replaced pingan" in r.stdout
    q = ('PREFIX fp: <https://w3id.org/fupin/ontology#> SELECT ?v WHERE { ?o fp:value ?v ; '
         'fp:indicator <https://w3id.org/fupin/indicator/exited-poor-villages> ; '
         'fp:mention/fp:sentence/<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> ?s '
         'FILTER(CONTAINS(?s, "我县")) }')
    values = {row["v"] for row in json.loads(kg("query", q, "-f", "json", store=home / "store").stdout)}
    assert values == {"5", "9"}


def test_remove_drops_graph_and_files(home):
    r = kg("remove", SEED_DOC, "--corpus", home / "corpus", store=home / "store")
    assert r.returncode == 0
    assert not list((home / "corpus").glob(f"{SEED_DOC}*"))
    assert SEED_DOC not in kg("list", store=home / "store").stdout
    r = kg("remove", "no-such-doc", "--corpus", home / "corpus", store=home / "store")
    assert r.returncode != 0 and "no document 'no-such-doc'" in r.stderr


def _bad_inputs(tmp):
    big = tmp / "big.txt"
    with big.open("wb") as f:                      # a 50 MB report
        f.write(("我市2015年退出贫困村6个。" * 100 + "\n").encode("utf-8") * 17000)
    nonum = tmp / "nonum.txt"
    nonum.write_text("脱贫攻坚,成效尽显。我们坚定信心,持续努力。", encoding="utf-8")
    html = tmp / "page.html"
    html.write_text("<html><body><nav>导航</nav><script>alert(1)</script><p>没有数字的页面</p></body></html>",
                    encoding="utf-8")
    dup = tmp / "copy-of-seed.txt"
    shutil.copy(SEED, dup)
    empty = tmp / "empty.txt"
    empty.write_bytes(b"")
    folder = tmp / "folder.txt"
    folder.mkdir()
    return [(big, "limit"), (nonum, "no statistics"), (html, "no statistics"), (dup, "already in the store"),
            (empty, "empty"), (folder, "folder"), (tmp / "missing.txt", "no such file")]


def test_add_bad_input_changes_nothing(home, tmp_path_factory):
    before = state(home)
    for path, message in _bad_inputs(tmp_path_factory.mktemp("bad")):
        r = kg("add", path, "--corpus", home / "corpus", store=home / "store")
        assert r.returncode != 0, path
        assert message in r.stderr, (path, r.stderr)
        assert path.name in r.stderr and "Traceback" not in r.stderr
    assert state(home) == before


def test_add_max_bytes_is_configurable(home):
    (home / "pingan.txt").write_text(OTHER, encoding="utf-8")
    r = kg("add", home / "pingan.txt", "--corpus", home / "corpus", "--max-bytes", "50", store=home / "store")
    assert r.returncode != 0 and "limit of 50" in r.stderr
    env_ok = kg("add", home / "pingan.txt", "--corpus", home / "corpus", store=home / "store")
    assert env_ok.returncode == 0


@pytest.mark.parametrize("name", ["../escape.txt", "名字 with spaces & (odd).txt", "a;b|c$.txt"])
def test_add_odd_file_names_stay_inside_the_corpus(home, name):
    src = home / "src"
    src.mkdir(exist_ok=True)
    path = src / os.path.basename(name)
    path.write_text(OTHER, encoding="utf-8")
    r = kg("add", path, "--corpus", home / "corpus", store=home / "store")
    assert r.returncode == 0, r.stderr
    written = {p.name for p in (home / "corpus").iterdir()}
    assert all("/" not in n and not n.startswith("..") for n in written)
    assert not (home / "escape.txt").exists()
