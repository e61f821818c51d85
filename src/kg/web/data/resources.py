"""Any IRI of the graph: its triples out and in."""

from __future__ import annotations

from decimal import Decimal

from ...store import LocalStore
from ..numbers import fmt_num
from .links import P, iri_url, num, short

DESCRIBE_OUT = P + """
SELECT ?s ?p ?o ?oLabel ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  OPTIONAL { ?o rdfs:label ?l1 } OPTIONAL { ?o skos:prefLabel ?l2 }
  BIND(COALESCE(?l2, ?l1) AS ?oLabel)
} LIMIT 500
"""
DESCRIBE_IN = P + """
SELECT ?s ?x ?p ?xLabel WHERE {
  ?x ?p ?s .
  OPTIONAL { ?x rdfs:label ?l1 } OPTIONAL { ?x skos:prefLabel ?l2 }
  BIND(COALESCE(?l2, ?l1) AS ?xLabel)
} LIMIT 300
"""


def _term_view(value, label=None) -> dict:
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return {"iri": value, "short": short(value), "label": label or "", "url": iri_url(value)}
    return {"literal": value if not isinstance(value, Decimal) else num(value), "text": fmt_num(value)
            if isinstance(value, Decimal) else str(value)}


def describe(store: LocalStore, iri: str) -> dict:
    out, seen = [], set()
    for r in store.select(DESCRIBE_OUT, {"s": iri}):
        key = (r["p"], str(r["o"]))
        if key in seen:
            continue
        seen.add(key)
        o = r["o"]
        if isinstance(o, str) and len(o) > 400:
            o = o[:400] + "…"
        out.append({"p": _term_view(r["p"]), "o": _term_view(o, r.get("oLabel")), "graph": r["g"]})
    inc = [{"s": _term_view(r["x"], r.get("xLabel")), "p": _term_view(r["p"])}
           for r in store.select(DESCRIBE_IN, {"s": iri})]
    return {"out": out, "in": inc}


def resource(store: LocalStore, iri: str) -> dict:
    d = describe(store, iri)
    label = next((t["o"].get("literal") for t in d["out"]
                  if t["p"]["iri"].endswith(("#label", "#prefLabel")) and "literal" in t["o"]), None)
    return {"iri": iri, "short": short(iri), "label": label or short(iri), **d}
