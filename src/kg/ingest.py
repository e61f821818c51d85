"""Corpus → store: read every report first, extract it, then replace graphs atomically.

Nothing is written until every named report has been read and extracted, so a bad file
leaves the store exactly as it was.
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from tqdm import tqdm

from .corpus import Report, read_report, report_files
from .extract import extract_report
from .lexicon import ontology_files
from .namespaces import ONTOLOGY_GRAPH
from .rdf import iris
from .rdf.build import unit_quads
from .store import LocalStore

import os

BATCH = int(os.environ.get("KG_INGEST_BATCH", "50"))   # documents per transaction


@dataclass
class Summary:
    documents: int = 0
    observations: int = 0
    entities: int = 0
    triples: int = 0

    def __str__(self) -> str:
        return (f"{self.documents} documents, {self.observations} observations, "
                f"{self.entities} entity mentions, {self.triples} triples in the store")


def ontology_quads(folder: Path | None = None) -> list[ox.Quad]:
    g = ox.NamedNode(ONTOLOGY_GRAPH)
    quads = []
    for f in ontology_files(folder):
        if f.name == "shapes.ttl":
            continue
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE))
    quads.extend(unit_quads(g))
    return quads


def _extract(args: tuple[Report, str | None]):
    report, ontology = args
    ex = extract_report(report, ontology)
    return report.doc, ex.quads, len(ex.facts), ex.entities


def _extract_serialised(args: tuple[Report, str | None]):
    """In a worker process: quads travel back as N-Quads bytes (far cheaper than pickled terms)."""
    doc, quads, n_facts, n_entities = _extract(args)
    return doc, ox.serialize(quads, format=ox.RdfFormat.N_QUADS), n_facts, n_entities


def extract_all(reports: list[Report], jobs: int = 1, ontology: str | None = None, progress: bool = True):
    bar = tqdm(total=len(reports), unit="doc", desc="extracting", disable=not progress or len(reports) < 2,
               file=sys.stderr)
    work = [(r, ontology) for r in reports]
    try:
        if jobs > 1 and len(reports) > 1:
            # submit a bounded window of work: results must not pile up ahead of the writer
            window = jobs * 4
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for i in range(0, len(work), window):
                    for doc, nquads, n_facts, n_entities in pool.map(_extract_serialised, work[i:i + window]):
                        bar.update()
                        yield doc, list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)), n_facts, n_entities
        else:
            for w in work:
                result = _extract(w)
                bar.update()
                yield result
    finally:
        bar.close()


def ingest(paths: list[Path], store: LocalStore, jobs: int = 1, progress: bool = True,
           ontology: str | None = None) -> Summary:
    """Read, extract and store the reports named by ``paths`` (files or folders).

    Every file is read (and its encoding and format checked) before anything is written, so a
    bad file leaves the store as it was; extraction then streams, BATCH documents per
    transaction, so memory does not grow with the corpus.
    """
    reports = [read_report(p) for p in report_files(paths)]     # raises CorpusError before any write
    summary = Summary(documents=len(reports))
    batch: dict[str, list[ox.Quad]] = {ONTOLOGY_GRAPH: ontology_quads(Path(ontology) if ontology else None)}
    for doc, quads, n_facts, n_entities in extract_all(reports, jobs, ontology, progress):
        batch[iris.doc_graph(doc)] = quads
        summary.observations += n_facts
        summary.entities += n_entities
        if len(batch) >= BATCH:
            store.replace_graphs(batch)
            batch = {}
    if batch:
        store.replace_graphs(batch)
    store.flush()
    summary.triples = len(store)
    return summary
