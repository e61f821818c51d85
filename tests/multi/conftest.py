"""Fixtures of the several-reports tests: the store of tests/multi/corpus.py, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from .corpus import built_store_path


@pytest.fixture(scope="session")
def multi_store_path(tmp_path_factory) -> Path:
    return built_store_path(tmp_path_factory)


@pytest.fixture(scope="session")
def multi_store(multi_store_path):
    from kg.store import LocalStore

    store = LocalStore(multi_store_path, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def multi_catalog(multi_store):
    from kg.qa.catalog import get_catalog

    return get_catalog(multi_store)
