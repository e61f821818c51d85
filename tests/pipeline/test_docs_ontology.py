"""Every SPARQL example in docs/ontology.md runs and returns rows on the seed graph."""

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "ontology.md"
QUERIES = re.findall(r"```sparql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_docs_ontology_has_examples():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("query", QUERIES, ids=[f"q{i}" for i in range(len(QUERIES))])
def test_docs_ontology_query_returns_rows(seed_store, query):
    assert len(seed_store.select(query)) > 0
