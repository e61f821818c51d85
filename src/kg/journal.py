"""Keeping the corpus folder and the store in step across crashes: a write-ahead journal.

``kg add`` and ``kg remove`` (and the web form's writes) change two things that share no
transaction: the store (one transaction, all or nothing) and files in the corpus folder. So
each operation writes, in this order, each step durable (written and fsynced) before the next:

``kg add`` (or a replacement), per file ``<doc>.txt`` and ``<doc>.meta.json``:

1. ``aside <name>``: the new file's bytes in ``.<name>.kg-aside`` (a hidden file, read by nothing);
2. ``journal``: ``.kg-journal.json``, saying which documents change from which checksum to which
   (written aside and renamed into place: it is there whole or not at all);
3. ``store``: the store's transaction (the commit point);
4. ``rename <name>``: each aside renamed over its final name (atomic), then the folder fsynced;
5. ``journal removed``.

``kg remove``: 1. ``journal``; 2. ``store``; 3. ``unlink <name>`` for each file; 4. ``journal removed``.

On start, the next add or remove (:func:`recover`, under the corpus lock) finishes or undoes an
operation that was killed: when the store holds the checksums the journal says the operation
leads to, it rolls forward (renames the asides that are left, deletes the files a remove
meant to delete); otherwise the store is as before and it rolls back (deletes the asides). Stray
asides with no journal (killed before step 2) are deleted. Either way the journal goes last.
So the corpus folder and the store agree after any SIGKILL at any moment
(tests/store/test_add_remove_crash.py kills after each step above).

Two processes never run these at once: each holds a lock file beside the corpus folder meanwhile
(``.<folder>.kg-lock``, ``flock``), as writers of the store do beside the store.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from pathlib import Path

from .formats import CorpusError

JOURNAL = ".kg-journal.json"
ASIDE_SUFFIX = ".kg-aside"


def durable(step: str) -> None:
    """Called after each durable step with its name (above): a point where a crash may leave
    the operation half done. Nothing happens here; the crash test kills the process here."""


def aside_path(corpus: Path, name: str) -> Path:
    return corpus / f".{name}{ASIDE_SUFFIX}"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def lock_path(corpus: Path) -> Path:
    p = Path(corpus).absolute()
    return p.parent / f".{p.name}.kg-lock"


@contextmanager
def locked(corpus: Path):
    """The corpus folder's lock for one operation; CorpusError when another process holds it."""
    corpus.mkdir(parents=True, exist_ok=True)
    f = open(lock_path(corpus), "a+b")
    try:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise CorpusError(f"another kg process is adding or removing reports in {corpus}; "
                              "try again when it is done") from None
        yield
    finally:
        f.close()


# ---------------------------------------------------------------------- the steps
def write_asides(corpus: Path, files: Mapping[str, bytes]) -> None:
    for name, data in files.items():
        _write_synced(aside_path(corpus, name), data)
        durable(f"aside {name}")


def begin(corpus: Path, op: str, before: Mapping[str, str | None], after: Mapping[str, str | None],
          files: list[str]) -> None:
    """The journal: ``op`` (add | remove) takes each document from the checksum ``before`` to
    the one ``after`` (None: no such document), with these corpus files."""
    tmp = corpus / (JOURNAL + ".tmp")
    _write_synced(tmp, json.dumps({"op": op, "before": dict(before), "after": dict(after), "files": files},
                                  ensure_ascii=False).encode("utf-8"))
    os.replace(tmp, corpus / JOURNAL)
    _fsync_dir(corpus)
    durable("journal")


def put_in_place(corpus: Path, names: list[str]) -> None:
    for name in names:
        aside = aside_path(corpus, name)
        if aside.exists():
            os.replace(aside, corpus / name)
            durable(f"rename {name}")
    _fsync_dir(corpus)


def delete(corpus: Path, names: list[str]) -> None:
    for name in names:
        try:
            (corpus / name).unlink()
        except FileNotFoundError:
            continue
        durable(f"unlink {name}")
    _fsync_dir(corpus)


def end(corpus: Path) -> None:
    (corpus / JOURNAL).unlink()
    _fsync_dir(corpus)
    durable("journal removed")


# ---------------------------------------------------------------------- recovery
def recover(corpus: Path, store_sums: Callable[[], Mapping[str, str]]) -> str | None:
    """Finish or undo an operation a crash interrupted (call under :func:`locked`); what was
    done ("forward add", "back remove" …), or None when there was nothing to do."""
    if not corpus.is_dir():
        return None
    journal = corpus / JOURNAL
    done = None
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            op, before, after, files = entry["op"], entry["before"], entry["after"], entry["files"]
        except (OSError, ValueError, KeyError, TypeError):
            entry = None          # cut off while written aside: impossible once renamed; treat as none
        if entry is not None:
            sums = store_sums()
            forward = all(sums.get(doc) == want for doc, want in after.items())
            back = not forward and all(sums.get(doc) == had for doc, had in before.items())
            if forward:
                if op == "add":
                    put_in_place(corpus, files)
                else:
                    delete(corpus, files)
            done = f"{'forward' if forward else 'back' if back else 'back (the store changed since)'} {op}"
    for stray in corpus.glob(f".*{ASIDE_SUFFIX}"):
        stray.unlink()
        done = done or "back add (killed before its journal)"
    (corpus / (JOURNAL + ".tmp")).unlink(missing_ok=True)
    if journal.exists():
        end(corpus)
    return done
