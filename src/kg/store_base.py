"""What both kinds of store share: the store's error, its export formats, RDF terms for query
bindings and back, and the SPARQL updates that replace graphs while keeping the union.

kg.store (the embedded Oxigraph) and kg.remote (a SPARQL server) both import from here, and
kg.store chooses between them (open_store): imports go one way, store → remote → store_base.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

import pyoxigraph as ox

from .namespaces import GRAPH, UNION_GRAPH

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class StoreError(Exception):
    """The store cannot be opened or written; the message says why and what to do."""


def term(value) -> ox.NamedNode | ox.Literal:
    """A Python value as an RDF term for query bindings (str starting with a scheme → IRI)."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(str(value))


def quads_as_update_data(graph: str | None, quads: Iterable[ox.Quad]) -> str:
    """Quads as the triples of ``graph`` (None: the default graph) in an ``INSERT DATA``."""
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return body if graph is None else f"GRAPH <{graph}> {{\n{body}\n}}"


def _in_union(union: str | None, pattern: str) -> str:
    return pattern if union is None else f"GRAPH <{union}> {{ {pattern} }}"


def _kg_graph(var: str) -> str:
    """A filter keeping kg's own graphs: a SPARQL server may hold others (Virtuoso's system graphs)."""
    return f'STRSTARTS(STR(?{var}), "{GRAPH}")'


def replacement_update(graphs: Mapping[str, list[ox.Quad]], remove: Iterable[str] = (),
                       union: str | None = UNION_GRAPH) -> str:
    """One SPARQL Update that replaces ``graphs``, drops ``remove``, and keeps the union — the
    named graph ``union``, or the default graph when None — the set union of all graphs: a
    triple leaves it when no other graph still holds it. With a named union (a SPARQL server),
    only kg's graphs count. Graphs mapped to no quads are only emptied."""
    others = "" if union is None else f" && {_kg_graph('other')}"
    parts = []
    for g in [*graphs, *remove]:
        parts.append(
            f"DELETE {{ {_in_union(union, '?s ?p ?o')} }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{g}>{others}) }} }}")
        parts.append(f"DROP SILENT GRAPH <{g}>")
    inserts = [quads_as_update_data(g, qs) for g, qs in graphs.items() if qs]
    new = [q for qs in graphs.values() for q in qs]
    if inserts and new:
        inserts.append(quads_as_update_data(union, new))
    if inserts:
        parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    return " ;\n".join(parts)


def union_insert(graphs: Iterable[str], union: str = UNION_GRAPH) -> str:
    """An update that adds the triples of ``graphs`` (already written) to the named union."""
    return " ;\n".join(f"INSERT {{ GRAPH <{union}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
                        for g in graphs)


def rebuild_union(union: str | None = UNION_GRAPH) -> str:
    """An update that makes the union (named graph ``union``, or the default graph) anew."""
    drop = "DROP SILENT DEFAULT" if union is None else f"DROP SILENT GRAPH <{union}>"
    others = "" if union is None else f" FILTER({_kg_graph('g')})"
    return f"{drop} ; INSERT {{ {_in_union(union, '?s ?p ?o')} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }}{others} }}"


REBUILD_UNION = rebuild_union(UNION_GRAPH)


def python_value(t):
    if t is None:
        return None
    if isinstance(t, ox.Literal):
        dt = t.datatype.value
        if dt.endswith("#decimal"):
            return Decimal(t.value)
        if dt.endswith(("#integer", "#int", "#long")):
            return int(t.value)
        if dt.endswith(("#double", "#float")):
            return float(t.value)
        return t.value
    return t.value
