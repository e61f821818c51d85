"""The examples of docs/questions.md: each one is run; answered ones must show the number given."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import ask_many

DOC = Path(__file__).resolve().parents[2] / "docs" / "questions.md"
EXAMPLE = re.compile(r"^- `(?P<q>[^`]+)` → (?P<a>.+)$")


def examples() -> list[tuple[str, str]]:
    out = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = EXAMPLE.match(line.strip())
        if m:
            out.append((m.group("q"), m.group("a").strip()))
    return out


def test_doc_has_examples_of_every_type():
    text = DOC.read_text(encoding="utf-8")
    assert len(examples()) >= 30
    for heading in ("A single value", "Targets", "A total", "highest or lowest", "difference", "A list",
                    "A series", "refused"):
        assert heading in text


def test_doc_examples(qa_store):
    cases = examples()
    results = ask_many(qa_store, [q for q, _ in cases])
    failures = []
    for (q, expected), r in zip(cases, results):
        if expected == "拒答":
            if r["answered"]:
                failures.append(f"{q}: should be refused, got {r['answer']}")
            continue
        if not r["answered"]:
            failures.append(f"{q}: refused ({r['answer']})")
            continue
        token = re.match(r"[0-9.]+|[^\s（(]+", expected).group()
        shown = r["answer"] + " ".join(str(v.get("label")) for v in r["values"])
        if token not in shown:
            failures.append(f"{q}: expected {expected}, got {r['answer']}")
    print(f"\ndocs/questions.md: {len(cases) - len(failures)}/{len(cases)} examples behave as documented")
    for f in failures:
        print("  FAIL", f)
    assert not failures
