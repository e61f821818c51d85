"""The corpus of several reports the tests/multi tests (and the multi-report examples of
docs/questions.md) ask questions of: built through ``kg.library.add`` — the code path of
``kg add`` — into a temporary store.

| file | place | what it exercises |
| --- | --- | --- |
| corpus/ruzhou-2018-poverty-alleviation.txt | 汝州市 (metadata) | the seed; 我市 |
| changshun-poverty-overview.txt | 长顺县 (inferred) | a real report in another phrasing: targets, "2016年：…" tables, 乡镇 and 村 |
| taoyuan-2019.md | 桃源县 (inferred; 湖南省 named) | Markdown; 摘帽/出列, 脱贫人口, Chinese numerals, 我县; a 镇 and 村 |
| baishui-2020.html | 白水区 (inferred) | HTML; full-width digits, "２０１５年：…" lines, 本区; 桃源镇 (桃源 is ambiguous) |
| anping-2017.txt | 安平市 (inferred) | GB18030; 我市 (as the seed says it) |
| anping-2019.md | 安平市 (inferred) | the same 市 two years later: the same facts, other values |
| shimen-2016.txt | 石门县 (title only) | UTF-16; 全县/我县, no place in the body |

太平镇 is named in the 石门县 and the 桃源县 reports: two towns of one name.
The places and numbers of the made-up reports are invented (see data/README.md).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
SEED = REPO / "corpus" / "ruzhou-2018-poverty-alleviation.txt"
SEED_META = REPO / "corpus" / "ruzhou-2018-poverty-alleviation.meta.json"

#: (file, metadata given to kg add): the seed keeps its metadata; the others' places and years
#: are inferred (from the title, else the text)
REPORTS: list[tuple[Path, dict]] = [
    (SEED, json.loads(SEED_META.read_text(encoding="utf-8"))),
    (DATA / "changshun-poverty-overview.txt", {}),
    (DATA / "taoyuan-2019.md", {}),
    (DATA / "baishui-2020.html", {}),
    (DATA / "anping-2017.txt", {}),
    (DATA / "anping-2019.md", {}),
    (DATA / "shimen-2016.txt", {}),
]

DOCS = {
    "ruzhou": "ruzhou-2018-poverty-alleviation", "changshun": "changshun-poverty-overview",
    "taoyuan": "taoyuan-2019", "baishui": "baishui-2020", "anping17": "anping-2017",
    "anping19": "anping-2019", "shimen": "shimen-2016",
}


def build(folder: Path, reports: list[tuple[Path, dict]] | None = None):
    """A store in ``folder``/store with the reports added one by one (``folder``/corpus is the
    corpus kg add keeps); returns (store, corpus, [Added])."""
    from kg.library import add
    from kg.store import LocalStore

    folder = Path(folder)
    shutil.rmtree(folder / "store", ignore_errors=True)
    store = LocalStore(folder / "store")
    corpus = folder / "corpus"
    added = []
    for path, meta in (reports if reports is not None else REPORTS):
        added += add([path], store, corpus, meta=dict(meta))
    return store, corpus, added


_BUILT: dict[str, Path] = {}


def built_store_path(tmp_path_factory) -> Path:
    """The store of every report, built once per test session and closed (open it read-only)."""
    if "all" not in _BUILT:
        folder = tmp_path_factory.mktemp("multi")
        store, _, _ = build(folder)
        store.close()
        _BUILT["all"] = folder / "store"
    return _BUILT["all"]
