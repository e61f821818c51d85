"""The examples of docs/questions.md: each one is run; answered ones must show the number given.

The examples of the section "Several reports and places" run against the graph of several
reports of tests/multi (every "；"-separated part of the answer shown must be in the answer);
the others against the seed graph.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ask_many

DOC = Path(__file__).resolve().parents[2] / "docs" / "questions.md"
EXAMPLE = re.compile(r"^- `(?P<q>[^`]+)` → (?P<a>.+)$")
MULTI_SECTION = "## Several reports and places"


def examples(multi: bool | None = None) -> list[tuple[str, str]]:
    """(question, expected) of the seed examples (multi=False), the several-reports ones
    (multi=True) or all of them (None)."""
    out = []
    section = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line.strip()
        m = EXAMPLE.match(line.strip())
        if m and (multi is None or (section == MULTI_SECTION) == multi):
            out.append((m.group("q"), m.group("a").strip()))
    return out


@pytest.fixture(scope="session")
def multi_store_path(tmp_path_factory):
    from tests.multi.corpus import built_store_path

    return built_store_path(tmp_path_factory)


def test_doc_has_examples_of_every_type():
    text = DOC.read_text(encoding="utf-8")
    assert len(examples(multi=False)) >= 30 and len(examples(multi=True)) >= 15
    for heading in ("A single value", "Targets", "A total", "highest or lowest", "difference", "A list",
                    "A series", "refused", "Several reports and places"):
        assert heading in text


def check(cases: list[tuple[str, str]], results: list[dict], strict: bool) -> list[str]:
    failures = []
    for (q, expected), r in zip(cases, results):
        if expected == "拒答":
            if r["answered"]:
                failures.append(f"{q}: should be refused, got {r['answer']}")
            continue
        if not r["answered"]:
            failures.append(f"{q}: refused ({r['answer']})")
            continue
        shown = r["answer"] + " ".join(str(v.get("label")) for v in r["values"])
        tokens = expected.split("；") if strict else [re.match(r"[0-9.]+|[^\s（(]+", expected).group()]
        missing = [t for t in tokens if t not in shown]
        if missing:
            failures.append(f"{q}: expected {missing}, got {r['answer']}")
    return failures


def test_doc_examples(qa_store):
    cases = examples(multi=False)
    failures = check(cases, ask_many(qa_store, [q for q, _ in cases]), strict=False)
    print(f"\ndocs/questions.md: {len(cases) - len(failures)}/{len(cases)} examples behave as documented")
    for f in failures:
        print("  FAIL", f)
    assert not failures


def test_doc_examples_of_several_reports(multi_store_path):
    cases = examples(multi=True)
    failures = check(cases, ask_many(multi_store_path, [q for q, _ in cases]), strict=True)
    print(f"\ndocs/questions.md (several reports): {len(cases) - len(failures)}/{len(cases)} examples behave as documented")
    for f in failures:
        print("  FAIL", f)
    assert not failures
