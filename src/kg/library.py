"""Adding, replacing and removing reports: the corpus folder and the store kept in step.

``add`` reads and extracts every file before writing anything; then it writes the store (one
transaction per batch) and the corpus files (temporary files renamed into place). A bad file
means nothing is written at all.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .corpus import META_SUFFIX, CorpusError, Report, read_meta, safe_doc_id
from .extract import extract_report, infer_date, infer_place
from .formats import read_any
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


def _write_atomic(path: Path, data: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, path)


CHECKSUMS = """
PREFIX fp: <https://w3id.org/fupin/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?doc ?sum WHERE { ?r a fp:Report ; dct:identifier ?doc ; fp:checksum ?sum }
"""


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
    store.replace_graphs(graphs)
    store.flush()
    corpus.mkdir(parents=True, exist_ok=True)
    for r in reports:
        _write_atomic(corpus / f"{r.doc}.txt", r.text)
        _write_atomic(corpus / f"{r.doc}{META_SUFFIX}",
                      json.dumps({"title": r.title, "place": r.place, "date": r.date, "source": r.source},
                                 ensure_ascii=False, indent=2) + "\n")
    return [Added(e.report.doc, e.report.place, e.report.date, len(e.facts), iris.doc_graph(e.report.doc) in existing)
            for e in extractions]


def remove(doc: str, store, corpus: Path | None, keep_file: bool = False) -> None:
    graph = iris.doc_graph(doc)
    if graph not in store.document_graphs():
        known = ", ".join(g.rsplit("/", 1)[-1] for g in store.document_graphs()) or "none"
        raise CorpusError(f"no document {doc!r} in the store (documents: {known})")
    store.remove_graphs([graph])
    store.flush()
    if corpus is not None and not keep_file:
        for f in corpus.glob(f"{doc}.*"):
            if f.name in (f"{doc}{META_SUFFIX}",) or f.suffix in (".txt", ".md", ".markdown", ".text"):
                f.unlink()
