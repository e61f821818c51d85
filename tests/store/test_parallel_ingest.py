"""`kg ingest --jobs N` gives the same graph whatever N is, built from nothing (the bulk path)
or written over an existing store (the transactional path)."""

import shutil

from kg.ingest import ingest
from kg.store import LocalStore

from ..conftest import CORPUS, SEED_DOC


def test_parallel_ingest_graph_identical_for_any_jobs_and_either_write_path(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (CORPUS / f"{SEED_DOC}.txt").read_text(encoding="utf-8")
    for i, place in enumerate(["平安县", "石门县", "青山市", "河口区"]):
        (corpus / f"report-{i}.txt").write_text(text.replace("汝州市", place).replace("汝州", place[:2]), encoding="utf-8")
    shutil.copy(CORPUS / f"{SEED_DOC}.meta.json", corpus / "report-0.meta.json")
    dumps = []
    for jobs in (1, 2):
        store = LocalStore(tmp_path / f"s{jobs}")
        summary = ingest([corpus], store, jobs=jobs, progress=False)
        assert summary.documents == 4
        dumps.append(sorted(store.dump("nq").splitlines()))
        again = ingest([corpus], store, jobs=jobs, progress=False)     # every graph replaced in place
        assert again.triples == summary.triples
        dumps.append(sorted(store.dump("nq").splitlines()))
        store.close()
    assert all(d == dumps[0] for d in dumps[1:])
