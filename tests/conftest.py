"""Shared fixtures: the seed corpus ingested once per test session into a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SEED_DOC = "ruzhou-2018-poverty-alleviation"
SEED_TEXT = CORPUS / f"{SEED_DOC}.txt"


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory) -> Path:
    from kg.ingest import ingest
    from kg.store import LocalStore

    path = tmp_path_factory.mktemp("seed-store")
    store = LocalStore(path)
    ingest([CORPUS], store, progress=False)
    store.close()
    return path


@pytest.fixture(scope="session")
def seed_store(seed_store_path):
    from kg.store import LocalStore

    store = LocalStore(seed_store_path, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def seed_rows(seed_store):
    from kg.export import observation_rows

    return observation_rows(seed_store)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_TEXT.read_text(encoding="utf-8")
