"""`kg add` (a new report, a replacement) and `kg remove` killed with SIGKILL between every pair
of their durable writes (kg.journal lists them) leave the corpus folder and the store in step:
once the next operation has rolled the interrupted one forward or back, both are as before
it, or both as after it; running it again completes it.

The steps are first recorded from a run to completion, and must be exactly these:

- add:     aside <doc>.txt, aside <doc>.meta.json, journal, store, rename <doc>.txt,
           rename <doc>.meta.json, journal removed
- remove:  journal, store, unlink <doc>.meta.json, unlink <doc>.txt, journal removed

Each operation runs in a child process (multiprocessing's forkserver, with kg imported once;
a plain fork of the test process would inherit RocksDB's locks without its threads), which
kills itself with SIGKILL right after the chosen step.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest

from kg import journal, library
from kg.store import LocalStore

from ..conftest import CORPUS, SEED_DOC, SEED_TEXT

NEW = "crash-new"
CTX = multiprocessing.get_context("forkserver")
CTX.set_forkserver_preload(["kg.library", "kg.store", "kg.nlp.pipeline"])


def add_steps(doc: str) -> list[str]:
    return [f"aside {doc}.txt", f"aside {doc}.meta.json", "journal", "store", f"rename {doc}.txt",
            f"rename {doc}.meta.json", "journal removed"]


def remove_steps(doc: str) -> list[str]:
    return ["journal", "store", f"unlink {doc}.meta.json", f"unlink {doc}.txt", "journal removed"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash-inputs")
    seed = SEED_TEXT.read_text(encoding="utf-8")
    new = folder / f"{NEW}.txt"
    new.write_text(seed.replace("汝州市", "平安县") + "\n平安县的报告。\n", encoding="utf-8")
    changed = folder / "changed.txt"
    changed.write_text(seed.replace("2015年退出贫困村6个", "2015年退出贫困村16个"), encoding="utf-8")
    return {"new": new, "changed": changed}


def fresh(seed_store_path, where: Path) -> tuple[Path, Path]:
    store, corpus = where / "store", where / "corpus"
    shutil.copytree(seed_store_path, store, ignore=shutil.ignore_patterns("LOCK", "LOG*"))
    shutil.copytree(CORPUS, corpus)
    return store, corpus


def operations(inputs) -> dict:
    """name → (the operation on an open store and a corpus folder, the document, its steps)."""
    meta = {"place": "平安县", "date": "2018"}
    return {
        "add": (lambda st, c: library.add([inputs["new"]], st, c, dict(meta)), NEW, add_steps(NEW)),
        "replace": (lambda st, c: library.add([inputs["changed"]], st, c, {}, doc=SEED_DOC), SEED_DOC,
                    add_steps(SEED_DOC)),
        "remove": (lambda st, c: library.remove(SEED_DOC, st, c), SEED_DOC, remove_steps(SEED_DOC)),
    }


def state(store: Path, corpus: Path) -> tuple[dict, dict]:
    """(document → text checksum in the store, corpus file → bytes)."""
    st = LocalStore(store, read_only=True)
    try:
        sums = library.stored_sums(st)
    finally:
        st.close()
    return sums, {p.name: p.read_bytes() for p in sorted(corpus.iterdir())}


def _child(name: str, inputs: dict, store: Path, corpus: Path, kill_after: str | None, record: Path | None):
    def durable(step: str) -> None:
        if record is not None:
            with open(record, "a", encoding="utf-8") as f:
                f.write(step + "\n")
        if step == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
    journal.durable = durable
    op = operations(inputs)[name][0]
    st = LocalStore(store)
    try:
        op(st, corpus)
    finally:
        st.close()


def run(name: str, inputs: dict, store: Path, corpus: Path, kill_after: str | None = None,
        record: Path | None = None) -> int:
    """The operation in a child process; its exit code (-SIGKILL when it was killed)."""
    p = CTX.Process(target=_child, args=(name, inputs, store, corpus, kill_after, record))
    p.start()
    p.join(300)
    if p.is_alive():
        p.kill()
        pytest.fail(f"{name} hung")
    return p.exitcode


def recover(store: Path, corpus: Path) -> str | None:
    st = LocalStore(store, read_only=True)
    try:
        return library.recover(st, corpus)
    finally:
        st.close()


@pytest.fixture(scope="module")
def references(seed_store_path, inputs, tmp_path_factory):
    """Each operation run to completion: its steps, and the state before and after it."""
    out = {}
    for name in operations(inputs):
        where = tmp_path_factory.mktemp(f"ref-{name}")
        store, corpus = fresh(seed_store_path, where)
        before = state(store, corpus)
        log = where / "steps.log"
        assert run(name, inputs, store, corpus, record=log) == 0
        out[name] = (log.read_text(encoding="utf-8").split(), before, state(store, corpus))
    return out


@pytest.mark.parametrize("name", ["add", "replace", "remove"])
def test_the_durable_steps_are_these(references, inputs, name):
    recorded, before, after = references[name]
    _, doc, steps = operations(inputs)[name]
    assert " ".join(recorded) == " ".join(steps)
    assert before != after


CASES = [(name, i) for name, n in (("add", 7), ("replace", 7), ("remove", 5)) for i in range(n)]


@pytest.mark.parametrize("name,after_step", CASES, ids=[f"{n}-after-{i + 1}" for n, i in CASES])
def test_killed_between_durable_writes_the_corpus_and_the_store_stay_in_step(seed_store_path, inputs, references,
                                                                                tmp_path, name, after_step):
    _, doc, steps = operations(inputs)[name]
    _, before, after = references[name]
    store, corpus = fresh(seed_store_path, tmp_path)
    step = steps[after_step]
    assert run(name, inputs, store, corpus, kill_after=step) == -signal.SIGKILL, f"not killed after {step}"
    done = recover(store, corpus)
    committed = after_step >= steps.index("store")
    assert state(store, corpus) == (after if committed else before), (step, done)
    if step != "journal removed":
        assert done is not None and done.startswith("forward" if committed else "back"), (step, done)
    assert not [p.name for p in corpus.iterdir() if p.name.startswith(".")]      # nothing left aside
    if not committed:                                             # run again: it completes
        assert run(name, inputs, store, corpus) == 0
        assert state(store, corpus) == after
