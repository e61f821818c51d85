"""Entities: the list by type, and one entity with its relations, mentions and facts."""

from __future__ import annotations

from collections import Counter, defaultdict

from ...store import LocalStore
from .facts import PLACE_FACTS, SENTENCE_FACTS, facts_from
from .kinds import ENTITY_KINDS, ENTITY_ORDER, PLACE_CLASSES, RELATIONS
from .links import P, doc_url, iri_url, local

ENTITY_LIST = P + """
SELECT ?e ?label ?type (COUNT(DISTINCT ?m) AS ?mentions) (COUNT(DISTINCT ?report) AS ?docs) WHERE {
  ?e fp:mentionedIn ?report ; rdfs:label ?label .
  OPTIONAL { ?e fp:mention ?m }
  OPTIONAL { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(fp:))) }
} GROUP BY ?e ?label ?type
"""

PLACES_WITH_FACTS = P + """
SELECT ?e ?label ?type (COUNT(DISTINCT ?obs) AS ?facts) WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refArea ?e . ?e rdfs:label ?label .
  OPTIONAL { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(fp:))) }
} GROUP BY ?e ?label ?type
"""


def entities(store: LocalStore, kind: str | None = None, q: str | None = None) -> dict:
    items: dict[str, dict] = {}
    for r in store.select(ENTITY_LIST):
        typ = local(r.get("type")) or "Thing"
        e = items.setdefault(r["e"], {"iri": r["e"], "label": r["label"], "type": typ, "mentions": 0, "docs": 0,
                                      "facts": 0, "url": iri_url(r["e"])})
        if e["type"] == "Thing":
            e["type"] = typ
        e["mentions"] = max(e["mentions"], int(r["mentions"]))
        e["docs"] = max(e["docs"], int(r["docs"]))
    for r in store.select(PLACES_WITH_FACTS):
        typ = local(r.get("type")) or "Place"
        e = items.setdefault(r["e"], {"iri": r["e"], "label": r["label"], "type": typ, "mentions": 0, "docs": 0,
                                      "facts": 0, "url": iri_url(r["e"])})
        e["facts"] = int(r["facts"])
    rows = list(items.values())
    if kind:
        rows = [e for e in rows if e["type"] == kind or (kind == "Place" and e["type"] in PLACE_CLASSES)]
    if q:
        rows = [e for e in rows if q.lower() in e["label"].lower()]
    counts = Counter(e["type"] for e in items.values())
    for e in rows:
        e["type_label"] = ENTITY_KINDS.get(e["type"], e["type"])
    rows.sort(key=lambda e: (ENTITY_ORDER.index(e["type"]) if e["type"] in ENTITY_ORDER else 99,
                             -e["facts"], -e["mentions"], e["label"]))
    groups = []
    for t in ENTITY_ORDER + sorted(set(counts) - set(ENTITY_ORDER)):
        members = [e for e in rows if e["type"] == t]
        if members:
            groups.append({"type": t, "type_label": ENTITY_KINDS.get(t, t), "entities": members})
    return {"kind": kind or "", "q": q or "", "total": len(rows),
            "types": [{"type": t, "label": ENTITY_KINDS.get(t, t), "count": counts[t]}
                      for t in ENTITY_ORDER + sorted(set(counts) - set(ENTITY_ORDER)) if counts.get(t)],
            "groups": groups}


ENTITY_HEAD = P + """
SELECT ?e ?label ?type ?number ?level WHERE {
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(fp:))) }
  OPTIONAL { ?e fp:documentNumber ?number }
  OPTIONAL { ?e fp:adminLevel ?level }
}
"""

ENTITY_RELATIONS = P + """
SELECT DISTINCT ?e ?dir ?rel ?x ?xLabel ?xType WHERE {
  VALUES ?rel { fp:partOf fp:memberOf fp:relatedTo fp:locatedIn fp:issuedBy }
  { ?e ?rel ?x . BIND("out" AS ?dir) } UNION { ?x ?rel ?e . BIND("in" AS ?dir) }
  OPTIONAL { ?x rdfs:label ?xLabel }
  OPTIONAL { ?x a ?xType . FILTER(STRSTARTS(STR(?xType), STR(fp:))) }
}
"""

ENTITY_DOC_MENTIONS = P + """
SELECT ?e ?doc ?title ?start ?end ?surface WHERE {
  ?e fp:mention ?m . ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?surface ; nif:referenceContext ?report .
  ?report dct:identifier ?doc . OPTIONAL { ?report dct:title ?title }
} ORDER BY ?doc ?start
"""

def entity(store: LocalStore, iri: str) -> dict | None:
    head = store.select(ENTITY_HEAD, {"e": iri})
    if not head or not any(v for r in head for v in r.values()):
        return None
    types = sorted({local(r["type"]) for r in head if r.get("type")}) or ["Thing"]
    main_type = next((t for t in ENTITY_ORDER if t in types), types[0])
    label = next((r["label"] for r in head if r.get("label")), local(iri))
    rel_groups: dict[tuple[str, str], list] = defaultdict(list)
    for r in store.select(ENTITY_RELATIONS, {"e": iri}):
        rel = local(r["rel"])
        xt = local(r.get("xType")) or "Thing"
        name = RELATIONS.get(rel, rel)
        if r["dir"] == "in":
            name = {"partOf": "下辖", "memberOf": "成员", "relatedTo": "相关", "locatedIn": "位于此处",
                    "issuedBy": "发布"}.get(rel, "← " + name)
        group = rel_groups[(rel if r["dir"] == "out" or rel == "relatedTo" else rel + "-in", name)]
        if not any(x["iri"] == r["x"] for x in group):
            group.append({"iri": r["x"], "label": r.get("xLabel") or local(r["x"]), "type": xt,
                          "type_label": ENTITY_KINDS.get(xt, xt), "url": iri_url(r["x"])})
    relations = [{"relation": k[0], "label": k[1], "entities": sorted(v, key=lambda x: x["label"])}
                 for k, v in sorted(rel_groups.items())]
    mentions = []
    for r in store.select(ENTITY_DOC_MENTIONS, {"e": iri}):
        s, e = int(r["start"]), int(r["end"])
        mentions.append({"doc": r["doc"], "title": r.get("title") or r["doc"], "start": s, "end": e,
                         "surface": r["surface"], "url": f"{doc_url(r['doc'])}#char={s},{e}"})
    facts = facts_from(store.select(PLACE_FACTS, {"place": iri}))
    same_sentence = [] if facts else facts_from(store.select(SENTENCE_FACTS, {"e": iri}))
    return {"iri": iri, "label": label, "types": types, "type": main_type,
            "type_label": ENTITY_KINDS.get(main_type, main_type), "is_place": main_type in PLACE_CLASSES,
            "document_number": next((r["number"] for r in head if r.get("number")), ""),
            "admin_level": next((r["level"] for r in head if r.get("level")), ""),
            "relations": relations, "mentions": mentions, "facts": facts, "sentence_facts": same_sentence,
            "url": iri_url(iri)}
