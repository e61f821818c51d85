"""Adding, replacing and removing reports: the corpus folder and the store kept in step.

``add`` reads and extracts every file before writing anything; a bad file means nothing is
written at all. Then the corpus files and the store are written through a write-ahead journal
(:mod:`kg.journal`: the new files aside, the journal, the store's one transaction, the files
renamed into place), so that a crash at any moment leaves them in step once the next add or
remove has rolled the interrupted one forward or back. ``remove`` goes the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import journal
from .corpus import META_SUFFIX, TEXT_SUFFIXES, CorpusError, Report, read_any, read_meta, safe_doc_id
from .extract import extract_report, infer_date, infer_place
from .ingest import ontology_quads
from .namespaces import ONTOLOGY_GRAPH
from .rdf import iris


@dataclass
class Added:
    doc: str
    place: str
    date: str
    facts: int
    replaced: bool


def infer_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if 4 <= len(line) <= 80:
            return line
    return ""


def prepare(path: Path, meta: dict, doc: str | None = None, max_bytes: int | None = None) -> Report:
    """A report from any supported file, with metadata given, else from the ``<doc>.meta.json``
    beside the file (the corpus's own layout), else inferred."""
    text = read_any(path, **({"max_bytes": max_bytes} if max_bytes else {}))
    meta = {**read_meta(path), **{k: v for k, v in meta.items() if v}}
    doc = safe_doc_id(doc or path.stem, path)
    base = Report(doc=doc, text=text, title=meta.get("title") or "", place=meta.get("place") or "",
                  date=meta.get("date") or "", source=meta.get("source") or "", path=str(path))
    title = base.title or infer_title(text)
    place = base.place or infer_place(Report(doc=doc, text=text, title=title)).name
    date = base.date or infer_date(Report(doc=doc, text=text, title=title, source=base.source))
    return Report(doc=doc, text=text, title=title, place=place, date=date,
                  source=base.source or path.name, path=str(path))


CHECKSUMS = """
PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?doc ?sum WHERE { ?r a fp:Report ; dct:identifier ?doc ; fp:checksum ?sum }
"""


def stored_sums(store) -> dict[str, str]:
    """Each stored document's text checksum, by document id."""
    return {row["doc"]: row["sum"] for row in store.select(CHECKSUMS)}


def _recover(store, corpus: Path) -> str | None:
    return journal.recover(corpus, lambda: stored_sums(store))


def recover(store, corpus: Path) -> str | None:
    """Finish or undo an add or remove that was killed (kg.journal); what was done, if anything.
    ``add`` and ``remove`` do this first themselves."""
    with journal.locked(corpus):
        return _recover(store, corpus)


def _write_store(store, corpus: Path, write) -> None:
    """The journal's commit point; a write that fails (the store held by another writer, a
    server gone) is rolled back at once, as recovery would, so the corpus is as it was."""
    try:
        write()
        store.flush()
    except BaseException:
        try:
            _recover(store, corpus)
        except Exception:           # noqa: BLE001 - the store cannot be read either: the next add or remove recovers
            pass
        raise
    journal.durable("store")


def add(paths: list[Path], store, corpus: Path, meta: dict | None = None, doc: str | None = None,
        max_bytes: int | None = None, allow_empty: bool = False) -> list[Added]:
    meta = meta or {}
    if doc and len(paths) > 1:
        raise CorpusError("--id names one document: give one file with it")
    reports = [prepare(Path(p), meta, doc, max_bytes) for p in paths]
    ids = [r.doc for r in reports]
    dupes = {d for d in ids if ids.count(d) > 1}
    if dupes:
        raise CorpusError(f"several files would become the same document {sorted(dupes)}; rename them or add them one by one")
    existing = set(store.document_graphs())
    stored = {row["sum"]: row["doc"] for row in store.select(CHECKSUMS)}
    for r in reports:
        if stored.get(r.checksum) is not None:
            same = stored[r.checksum]
            raise CorpusError(f"{r.path}: the same text is already in the store as document {same!r}; "
                              f"nothing to add (to rename it, `kg remove {same}` first)")
    extractions = [extract_report(r) for r in reports]
    for e in extractions:
        if not e.facts and not allow_empty:
            raise CorpusError(f"{e.report.path}: no statistics found in this report (no number with an indicator); "
                              "is it the right file? Add it anyway with --allow-empty")
    graphs = {ONTOLOGY_GRAPH: ontology_quads()}
    graphs.update({iris.doc_graph(e.report.doc): e.quads for e in extractions})
    files = {}
    for r in reports:
        files[f"{r.doc}.txt"] = r.text.encode("utf-8")
        files[f"{r.doc}{META_SUFFIX}"] = (json.dumps({"title": r.title, "place": r.place, "date": r.date,
                                                       "source": r.source}, ensure_ascii=False, indent=2)
                                          + "\n").encode("utf-8")
    with journal.locked(corpus):
        _recover(store, corpus)
        before = stored_sums(store)
        journal.write_asides(corpus, files)
        journal.begin(corpus, "add", {r.doc: before.get(r.doc) for r in reports},
                      {r.doc: r.checksum for r in reports}, list(files))
        _write_store(store, corpus, lambda: store.replace_graphs(graphs))
        journal.put_in_place(corpus, list(files))
        journal.end(corpus)
    return [Added(e.report.doc, e.report.place, e.report.date, len(e.facts), iris.doc_graph(e.report.doc) in existing)
            for e in extractions]


def remove(doc: str, store, corpus: Path | None, keep_file: bool = False) -> None:
    graph = iris.doc_graph(doc)
    if graph not in store.document_graphs():
        known = ", ".join(g.rsplit("/", 1)[-1] for g in store.document_graphs()) or "none"
        raise CorpusError(f"no document {doc!r} in the store (documents: {known})")
    if corpus is None or keep_file:
        store.remove_graphs([graph])
        store.flush()
        return
    with journal.locked(corpus):
        _recover(store, corpus)
        if graph not in store.document_graphs():
            raise CorpusError(f"no document {doc!r} in the store any more")
        files = sorted(f.name for f in corpus.glob(f"{doc}.*")
                       if f.name == f"{doc}{META_SUFFIX}" or (f.suffix in TEXT_SUFFIXES and f.stem == doc))
        journal.begin(corpus, "remove", {doc: stored_sums(store).get(doc)}, {doc: None}, files)
        _write_store(store, corpus, lambda: store.remove_graphs([graph]))
        journal.delete(corpus, files)
        journal.end(corpus)
