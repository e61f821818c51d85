"""Where the web UI's templates and static files are: the repository's top-level ``web/``, or
the copy a non-editable install ships as ``kg/_web`` (see pyproject.toml), or ``$KG_WEB``."""

from __future__ import annotations

import os
from pathlib import Path

from .. import paths


def web_dir() -> Path:
    env = os.environ.get("KG_WEB")
    if env:
        return Path(env)
    return paths.web_dir()
