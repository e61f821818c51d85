"""Where the web UI's templates and static files are: the repository's top-level ``web/``."""

from __future__ import annotations

import os
from pathlib import Path

from ..paths import PACKAGE_DIR, REPO_DIR


def web_dir() -> Path:
    """$KG_WEB, the repository's web/, or a copy shipped inside the package.

    The copy is looked for in kg/web/ (templates/ and static/ beside this module, where the
    ``kg = ["web/templates/*.html", "web/static/*"]`` package-data of pyproject.toml puts them) and
    in kg/web_files/ (a package-dir mapping of web/, see docs/web.md).
    """
    env = os.environ.get("KG_WEB")
    if env:
        return Path(env)
    for candidate in (REPO_DIR / "web", PACKAGE_DIR / "web", PACKAGE_DIR / "web_files"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("web/ not found: set KG_WEB to the folder holding templates/ and static/")
