"""The graph store: an embedded, persistent Oxigraph database (default), one named graph per
document plus the ontology graph.

Every write replaces whole named graphs inside one SPARQL Update, which Oxigraph applies as a
single transaction: a document's graph is the old one or the new one, never half of either.

Queries see the union of all named graphs as their default graph. Oxigraph's built-in union
is a bag (a triple stored in 20 document graphs, such as a place's label, matches 20 times),
so the store keeps that union as a set in its default graph, updated in the same transaction
as each replacement: any SPARQL query on the store, kg's or Oxigraph's own, sees it as the
default graph, and ``GRAPH ?g`` sees the documents' and the ontology's graphs only. (Stores
written before 2026-11-30 kept it in the named graph kg.namespaces.UNION_GRAPH, as a SPARQL
server store still does, kg.remote; a read-write open moves it.)
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from .namespaces import GRAPH, ONTOLOGY_GRAPH, UNION_GRAPH
from .store_base import FORMATS, StoreError, python_value, rebuild_union, replacement_update, term  # noqa: F401

DEFAULT = ox.DefaultGraph()
LEGACY_UNION = ox.NamedNode(UNION_GRAPH)


def staging_path(path: str | Path) -> Path:
    """Where kg.bulk builds the next version of the store folder ``path``."""
    return Path(str(path).rstrip("/") + ".kg-new")


def aside_path(path: str | Path) -> Path:
    """Where kg.bulk moves the old version of the store where folders cannot be exchanged."""
    return Path(str(path).rstrip("/") + ".kg-old")


def recover_swap(path: str | Path) -> None:
    """A writer killed between kg.bulk's two renames (only where folders cannot be exchanged
    atomically) left the old store aside and none in place: put the old one back."""
    old = aside_path(path)
    if old.is_dir() and not Path(path).exists():
        old.rename(path)


def writer_lock_path(path: str | Path) -> Path:
    """The lock file every writer of the store folder ``path`` holds: beside the folder, not in
    it, because a bulk build (kg.bulk) swaps the whole folder."""
    p = Path(path).absolute()
    return p.parent / f".{p.name}.kg-lock"


def take_writer_lock(path: str | Path):
    """An open file holding an exclusive ``flock`` on the store's lock file; StoreError when
    another process writes the store."""
    f = open(writer_lock_path(path), "a+b")
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise StoreError(f"another kg process is writing the store at {path} (kg ingest, kg add?). "
                         "Wait for it to finish, or use --store with another folder.") from None
    return f


class LocalStore:
    """An Oxigraph store in a folder (or in memory when ``path`` is None).

    ``writes`` counts the writes made through this object (kg.qa.catalog notices them)."""

    def __init__(self, path: str | Path | None, read_only: bool = False):
        self.path = str(path) if path else None
        self.read_only = read_only
        self.writes = 0
        self._lock = None
        self._legacy_union = False
        try:
            if path is None:
                self.db = ox.Store()
            elif read_only:
                self.db = ox.Store.read_only(str(path))
                # a store of before 2026-11-30 not opened for writing since: the union is a named graph
                self._legacy_union = self.db.contains_named_graph(LEGACY_UNION)
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self._lock = take_writer_lock(path)
                recover_swap(path)
                Path(path).mkdir(exist_ok=True)
                self.db = ox.Store(str(path))
                self.ensure_union()
        except OSError as e:
            self._release()
            raise StoreError(f"cannot open the store at {path}: {e}. Is another kg process (kg serve?) "
                             "using it? Stop it, or use --store with another folder.") from None
        except StoreError:
            self._release()
            raise

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    # ------------------------------------------------------------------ writes
    def replace_graphs(self, graphs: Mapping[str, list[ox.Quad]], remove: Iterable[str] = ()) -> None:
        """Atomically replace each named graph by its quads (and drop the graphs in ``remove``)."""
        remove = list(remove)
        self.writes += 1
        existing = {g.value for g in self.db.named_graphs()}
        if not remove and not (set(graphs) & existing):
            # only new graphs: one transactional extend() with their quads and the union's
            self.db.extend([*(q for qs in graphs.values() for q in qs),
                            *(ox.Quad(q.subject, q.predicate, q.object) for qs in graphs.values() for q in qs)])
            return
        update = replacement_update(graphs, remove, union=None)
        if update:
            self.db.update(update)

    def ensure_union(self) -> None:
        """Make the default graph the union of a store written before it was: one that kept the
        union in the named graph UNION_GRAPH, or had none."""
        if self.read_only:
            return
        if self.db.contains_named_graph(LEGACY_UNION):
            self.db.update(f"MOVE SILENT <{UNION_GRAPH}> TO DEFAULT")
        elif next(iter(self.db.named_graphs()), None) is not None and \
                next(iter(self.db.quads_for_pattern(None, None, None, DEFAULT)), None) is None:
            self.db.update(rebuild_union(None))

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        self.replace_graphs({}, remove=list(graphs))

    def is_empty(self) -> bool:
        return next(iter(self.db), None) is None

    def flush(self) -> None:
        if self.path and not self.read_only:
            self.db.flush()

    # ------------------------------------------------------------------ reads
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, union: bool = True):
        """Run a query; with ``union`` (the store's own default) the default graph is the union
        of all graphs (a set) and GRAPH clauses see the documents' and the ontology's graphs."""
        subs = {ox.Variable(k): term(v) for k, v in (bindings or {}).items()}
        if union and self._legacy_union:
            named = {"named_graphs": self.named_graph_nodes()} if "graph" in sparql.lower() else {}
            return self.db.query(sparql, default_graph=LEGACY_UNION, substitutions=subs or None, **named)
        return self.db.query(sparql, substitutions=subs or None)

    def named_graph_nodes(self) -> list[ox.NamedNode]:
        return [g for g in self.db.named_graphs() if g != LEGACY_UNION]

    def select(self, sparql: str, bindings: Mapping[str, object] | None = None) -> list[dict[str, object]]:
        """Rows of a SELECT as dicts of Python values (IRIs and strings as str, numbers as Decimal/int)."""
        result = self.query(sparql, bindings)
        names = [v.value for v in result.variables]
        return [{n: python_value(row[n]) for n in names} for row in result]

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.named_graph_nodes())

    def document_graphs(self) -> list[str]:
        return [g for g in self.graphs() if g.startswith(GRAPH) and g != ONTOLOGY_GRAPH]

    def __len__(self) -> int:
        """The number of distinct triples (the union's size), counted inside Oxigraph."""
        [row] = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        return int(row["n"].value)

    def _union_graph(self):
        return LEGACY_UNION if self._legacy_union else DEFAULT


    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        """The named graphs (dataset formats), or the union of all graphs (triple formats)."""
        f = FORMATS[fmt]
        if graph is not None:
            return self.db.dump(format=f, from_graph=ox.NamedNode(graph))
        if f.supports_datasets:
            return ox.serialize(self.quads(), format=f)
        return self.db.dump(format=f, from_graph=self._union_graph())

    def quads(self):
        """Every quad of the documents' and the ontology's graphs (not the derived union)."""
        return (q for q in self.db if q.graph_name != DEFAULT and q.graph_name != LEGACY_UNION)

    def close(self) -> None:
        if self.path and not self.read_only:
            self.db.flush()
        del self.db
        self._release()


def open_store(location: str | Path | None = None, read_only: bool = False):
    """A folder (embedded Oxigraph), ``:memory:``, or an http(s) URL of a SPARQL server (kg.remote)."""
    from .paths import default_store
    loc = location if location is not None else default_store()
    if isinstance(loc, str) and loc == ":memory:":
        return LocalStore(None)
    if isinstance(loc, str) and loc.startswith(("http://", "https://")):
        from .remote import RemoteStore
        return RemoteStore(loc)
    return LocalStore(loc, read_only=read_only)
