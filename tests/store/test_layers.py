"""The store's modules import one way: store → remote → dialect, store_base (and ingest → bulk
→ store): none of them is on an import cycle, found by reading every module of kg (imports
inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
OURS = ("kg.store", "kg.store_base", "kg.remote", "kg.dialect", "kg.ingest", "kg.bulk", "kg.cluster")


def modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "kg").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The kg modules that ``name`` imports (``from . import x`` imports x, not the package)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            target = ".".join(p for p in (base, node.module or "") if p)
            for a in node.names:
                out.add(f"{target}.{a.name}" if f"{target}.{a.name}" in known else target)
    return {m for m in out if m in known and m != name}


def cycle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in graph[node]:
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def test_the_store_modules_are_on_no_import_cycle():
    known = modules()
    graph = {name: imports(name, path, known) for name, path in known.items()}
    assert "kg.store" in graph["kg.remote"] or "kg.store_base" in graph["kg.remote"]
    for name in OURS:
        if name in graph:
            assert cycle_through(name, graph) is None, " → ".join(cycle_through(name, graph))


def test_the_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycle_through("a", graph) == ["a", "b", "c", "a"] and cycle_through("d", graph) is None
