"""IRIs of the graph → pages of this site, short names of IRIs, and small value helpers."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from ...namespaces import GRAPH, ID, IND, ONTOLOGY_GRAPH, PREFIXES, sparql_prefixes
from ...store import LocalStore

P = sparql_prefixes()


def local(iri: str | None) -> str:
    if not iri:
        return ""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def num(v):
    """Decimal → int when integral (for JSON and display)."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v




# ---------------------------------------------------------------------- links
def doc_url(doc: str) -> str:
    return "/documents/" + quote(doc, safe="")


def iri_url(iri: str | None) -> str:
    """The page of an IRI in this site."""
    if not iri:
        return ""
    if iri.startswith(ID):
        rest = iri[len(ID):]
        kind, _, tail = rest.partition("/")
        if kind in ("report", "dataset"):
            return doc_url(_unquote(tail))
        if kind == "text":
            doc, _, frag = tail.partition("#")
            return doc_url(_unquote(doc)) + ("#" + frag if frag else "")
        if "%2F" not in rest.upper() and "#" not in rest:
            return "/id/" + rest
    elif iri.startswith(IND):
        return "/indicator/" + iri[len(IND):]
    elif iri.startswith(GRAPH) and iri != ONTOLOGY_GRAPH:
        return doc_url(_unquote(iri[len(GRAPH):]))
    return "/resource?iri=" + quote(iri, safe="")


def _unquote(s: str) -> str:
    from urllib.parse import unquote
    return unquote(s)


def short(iri: str) -> str:
    for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and p != "kgid":
            return f"{p}:{iri[len(ns):]}"
    return iri


def id_candidates(rest: str) -> list[str]:
    """IRIs that a decoded /id/<rest> path may stand for (raw, fully %-encoded, kg's own rule)."""
    segs = rest.split("/")
    out = [ID + rest, ID + "/".join(quote(s, safe="-._~") for s in segs)]
    try:
        from ...rdf.iris import _seg
        out.append(ID + "/".join(_seg(s) for s in segs))
    except Exception:
        pass
    return list(dict.fromkeys(out))


def resolve_id(store: LocalStore, rest: str) -> str | None:
    for iri in id_candidates(rest):
        if store.select("SELECT ?s ?p WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } } LIMIT 1", {"s": iri}):
            return iri
    return None
