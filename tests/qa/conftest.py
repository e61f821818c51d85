"""Shared helpers of the question-answering tests: the `kg ask` command as a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def load_jsonl(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ask_command() -> list[str]:
    """`kg ask` once it is registered on the kg group; `python -m kg.qa` (the same group with
    `ask` added) until then."""
    kg = shutil.which("kg", path=str(Path(sys.executable).parent)) or shutil.which("kg")
    if kg:
        probe = subprocess.run([kg, "ask", "--help"], capture_output=True, text=True)
        if probe.returncode == 0:
            return [kg]
    return [sys.executable, "-m", "kg.qa"]


def ask_many(store: Path, questions: list[str], timeout: float = 300) -> list[dict]:
    """Every question through `kg --store STORE ask - --json` in one subprocess: one JSON line each."""
    cmd = [*ask_command(), "--store", str(store), "ask", "-", "--json"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(cmd, input="\n".join(questions) + "\n", capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == len(questions), (len(lines), len(questions), proc.stderr[-2000:])
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="session")
def qa_store(seed_store_path) -> Path:
    """The seed corpus ingested into a temporary store (tests/conftest.py)."""
    return seed_store_path
