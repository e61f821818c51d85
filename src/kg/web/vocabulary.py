"""What the SPARQL editor completes (``/query/vocabulary.json``): the prefixes kg uses, and the
graph's own classes, properties and indicators with their Chinese labels and how often they are
used — read from the local store and its ontology graph, once per store generation. The editor
asks nobody else (no prefix or autocomplete service)."""

from __future__ import annotations

from ..namespaces import IND, PREFIXES
from ..store import LocalStore
from .data.links import P

CLASSES = P + """
SELECT ?c (COUNT(?s) AS ?n) (SAMPLE(?zh) AS ?label) WHERE {
  { ?s a ?c } UNION { ?c a owl:Class } UNION { ?c a rdfs:Class }
  OPTIONAL { ?c rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  FILTER(ISIRI(?c))
} GROUP BY ?c
"""
PROPERTIES = P + """
SELECT ?p (COUNT(?o) AS ?n) (SAMPLE(?zh) AS ?label) WHERE {
  { ?s ?p ?o } UNION { ?p a owl:ObjectProperty } UNION { ?p a owl:DatatypeProperty } UNION { ?p a rdf:Property }
  OPTIONAL { ?p rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  FILTER(ISIRI(?p))
} GROUP BY ?p
"""
INDICATORS = P + """
SELECT ?i (SAMPLE(?l) AS ?label) (COUNT(?o) AS ?n) WHERE {
  ?i a fp:Indicator ; skos:prefLabel ?l . OPTIONAL { ?o fp:indicator ?i }
} GROUP BY ?i
"""
OWL = "http://www.w3.org/2002/07/owl#"


def prefixed(iri: str, prefixes: dict[str, str]) -> str | None:
    """``fp:Observation`` for an IRI in a known namespace whose rest is a plain local name."""
    for p, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            rest = iri[len(ns):]
            if rest and all(ch.isalnum() or ch in "-_" for ch in rest) and not rest[0].isdigit() \
                    and rest[0] != "-":
                return f"{p}:{rest}"
            return None
    return None


def _terms(rows, key: str, prefixes: dict[str, str], kind: str) -> list[dict]:
    out = []
    for r in rows:
        iri = r[key]
        name = prefixed(iri, prefixes)
        if name:
            out.append({"name": name, "iri": iri, "label": r.get("label") or "", "count": int(r.get("n") or 0),
                        "kind": kind})
    out.sort(key=lambda t: (-t["count"], t["name"]))
    return out


def vocabulary(store: LocalStore) -> dict:
    prefixes = {p: ns for p, ns in PREFIXES.items() if p != "kgid"}
    prefixes["owl"] = OWL
    classes = _terms(store.select(CLASSES.replace("PREFIX", f"PREFIX owl: <{OWL}>\nPREFIX", 1)), "c", prefixes,
                     "class")
    properties = _terms(store.select(PROPERTIES.replace("PREFIX", f"PREFIX owl: <{OWL}>\nPREFIX", 1)), "p",
                        prefixes, "property")
    indicators = [t for t in _terms(store.select(INDICATORS), "i", prefixes, "indicator")
                  if t["iri"].startswith(IND)]
    return {"prefixes": prefixes, "classes": classes, "properties": properties, "indicators": indicators}
