"""Corpus → store: read every report first, extract it, then replace graphs atomically.

Nothing is written until every named report has been read, so a bad file leaves the store
exactly as it was.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from tqdm import tqdm

from .bulk import BulkBuild, as_nquads
from .corpus import Report, read_report, report_files
from .extract import extract_report
from .lexicon import ontology_files
from .namespaces import ONTOLOGY_GRAPH
from .rdf import iris
from .rdf.build import unit_quads
from .store import LocalStore

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


def _extract_nquads(args: tuple[Report, str | None]):
    """The document's graph as N-Quads bytes: cheap to send between processes (pickled terms
    cost more than extracting them) and what the bulk loader reads."""
    report, ontology = args
    ex = extract_report(report, ontology)
    return report.doc, ex.nquads, len(ex.facts), ex.entities


def extract_all(reports: list[Report], jobs: int = 1, ontology: str | None = None, progress: bool = True,
                nquads: bool = False, cluster=None):
    """``(doc, graph, facts, entities)`` per report, in order; the document's graph as a list
    of quads, or as N-Quads bytes with ``nquads``. Extracted in ``jobs`` processes, or on the
    workers of ``cluster`` (a Dask ``distributed.Client``, see kg.cluster)."""
    bar = tqdm(total=len(reports), unit="doc", desc="extracting", disable=not progress or len(reports) < 2,
               file=sys.stderr)
    work = [(r, ontology) for r in reports]
    try:
        if cluster is not None:
            from .cluster import run_in_order
            for result in run_in_order(cluster, _extract_nquads, work):
                bar.update()
                yield _received(result, nquads)
        elif jobs > 1 and len(reports) > 1:
            # a bounded window of work in flight: workers keep busy while the writer writes,
            # and results never pile up ahead of it
            window = jobs * 16
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                pending: deque = deque()
                for w in work:
                    pending.append(pool.submit(_extract_nquads, w))
                    if len(pending) >= window:
                        yield _received(pending.popleft().result(), nquads)
                        bar.update()
                while pending:
                    yield _received(pending.popleft().result(), nquads)
                    bar.update()
        else:
            for w in work:
                result = _extract_nquads(w) if nquads else _extract(w)
                bar.update()
                yield result
    finally:
        bar.close()


def _received(result, nquads: bool):
    doc, data, n_facts, n_entities = result
    if nquads:
        return result
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    return doc, quads, n_facts, n_entities


def ingest(paths: list[Path], store: LocalStore, jobs: int = 1, progress: bool = True,
           ontology: str | None = None, dask: str | None = None) -> Summary:
    """Read, extract and store the reports named by ``paths`` (files or folders).

    Every file is read (and its encoding and format checked) before anything is written, so a
    bad file leaves the store as it was. An on-disk store gets a new version bulk-loaded beside
    it, swapped in at the end (kg.bulk): all documents or none. Other stores (in memory, a
    SPARQL server) are written BATCH documents per transaction, each document's graph replaced
    atomically. Either way extraction streams, so memory does not grow with the corpus.
    With ``dask`` (a scheduler's address), extraction runs on that Dask cluster (kg.cluster);
    a scheduler that cannot be reached is a ClusterError before anything is written.
    """
    reports = [read_report(p) for p in report_files(paths)]     # raises CorpusError before any write
    summary = Summary(documents=len(reports))
    onto = ontology_quads(Path(ontology) if ontology else None)
    if dask is None:
        return _ingest(reports, store, summary, onto, jobs, progress, ontology)
    from .cluster import connect
    with connect(dask) as cluster:
        return _ingest(reports, store, summary, onto, jobs, progress, ontology, cluster)


def _ingest(reports: list[Report], store, summary: Summary, onto: list[ox.Quad], jobs: int, progress: bool,
            ontology: str | None, cluster=None) -> Summary:
    if isinstance(store, LocalStore) and store.path and not store.read_only:
        replace = [ONTOLOGY_GRAPH, *(iris.doc_graph(r.doc) for r in reports)]
        with BulkBuild(store, replace) as build:
            build.add(ONTOLOGY_GRAPH, as_nquads(onto))
            for doc, nq, n_facts, n_entities in extract_all(reports, jobs, ontology, progress, nquads=True,
                                                            cluster=cluster):
                build.add(iris.doc_graph(doc), nq)
                summary.observations += n_facts
                summary.entities += n_entities
    else:
        batch: dict[str, list[ox.Quad]] = {ONTOLOGY_GRAPH: onto}
        for doc, quads, n_facts, n_entities in extract_all(reports, jobs, ontology, progress, cluster=cluster):
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
