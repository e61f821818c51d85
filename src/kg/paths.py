"""Where kg finds its ontology, corpus and store by default."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent


def ontology_dir() -> Path:
    """The ontology folder: $KG_ONTOLOGY, the repository's ontology/, or the copy shipped in the package."""
    env = os.environ.get("KG_ONTOLOGY")
    if env:
        return Path(env)
    for candidate in (REPO_DIR / "ontology", PACKAGE_DIR / "_ontology"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("ontology/ not found: set KG_ONTOLOGY to the folder holding the .ttl files")


def web_dir() -> Path:
    """The web UI's templates and static files: the repository's web/, or the copy in the package."""
    for candidate in (REPO_DIR / "web", PACKAGE_DIR / "_web"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("web/ (templates and static files) not found")


def default_store() -> str:
    """The store location: $KG_STORE or data/ under the working directory."""
    return os.environ.get("KG_STORE", "data")


def default_corpus() -> Path:
    return Path(os.environ.get("KG_CORPUS", "corpus"))
