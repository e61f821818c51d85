"""The corpus: the list of documents, one document with its facts and entity mentions, and the
text cut into pieces at every highlight."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote

from ...namespaces import ID
from ...queries import DOCUMENTS
from ...store import LocalStore
from .facts import OBS_OPTIONALS, fact_row
from .kinds import ENTITY_KINDS, ENTITY_ORDER
from .links import P, doc_url, iri_url, local

DOC_EXTRA = P + """
SELECT ?report (COUNT(DISTINCT ?e) AS ?entities) WHERE {
  ?report a fp:Report . OPTIONAL { ?e fp:mentionedIn ?report }
} GROUP BY ?report
"""


def documents(store: LocalStore) -> list[dict]:
    extra = {r["report"]: r["entities"] for r in store.select(DOC_EXTRA)}
    out = []
    for r in store.select(DOCUMENTS):
        out.append({"doc": r["doc"], "iri": r["report"], "title": r["title"] or r["doc"], "place": r["place"] or "",
                    "date": r["date"] or "", "facts": int(r["facts"]), "entities": int(extra.get(r["report"], 0)),
                    "url": doc_url(r["doc"])})
    return out


REPORT = P + """
SELECT ?report ?title ?date ?source ?place ?placeIri ?text ?checksum WHERE {
  ?report a fp:Report ; dct:identifier ?doc ; nif:isString ?text .
  OPTIONAL { ?report dct:title ?title } OPTIONAL { ?report dct:date ?date } OPTIONAL { ?report dct:source ?source }
  OPTIONAL { ?report fp:place ?placeIri . ?placeIri rdfs:label ?place }
  OPTIONAL { ?report fp:checksum ?checksum }
} LIMIT 1
"""

FACTS = P + """
SELECT ?report ?obs ?label ?ind ?indLabel ?brk ?brkLabel ?place ?placeLabel ?periodLabel ?startYear ?endYear
       ?value ?unit ?baseValue ?baseUnit ?qualifier ?kind ?start ?end ?surface ?sentence ?sStart ?sEnd WHERE {
  ?obs a fp:Observation ; prov:wasDerivedFrom ?report ; fp:indicator ?ind ; fp:value ?value ;
       sdmx-dimension:refArea ?place ; sdmx-dimension:refPeriod ?period ; fp:mention ?m .
  ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?surface .
  OPTIONAL { ?m fp:sentence ?s . ?s nif:anchorOf ?sentence ; nif:beginIndex ?sStart ; nif:endIndex ?sEnd }
""" + OBS_OPTIONALS + """} ORDER BY ?start ?end
"""

ENTITY_MENTIONS = P + """
SELECT ?report ?e ?label ?type ?start ?end WHERE {
  ?e fp:mentionedIn ?report ; fp:mention ?m .
  ?m nif:referenceContext ?report ; nif:beginIndex ?start ; nif:endIndex ?end .
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(fp:))) }
} ORDER BY ?start
"""


def document(store: LocalStore, doc: str) -> dict | None:
    from ...rdf import iris
    meta = None
    for report in dict.fromkeys([iris.report(doc), ID + "report/" + quote(doc, safe="-._~"), ID + "report/" + doc]):
        rows = store.select(REPORT, {"report": report})
        if rows:
            meta = rows[0]
            break
    if meta is None:
        return None
    report = meta["report"]
    text = meta["text"]
    facts: dict[str, dict] = {}
    spans = []
    for r in store.select(FACTS, {"report": report}):
        f = facts.get(r["obs"])
        if f is None:
            f = facts[r["obs"]] = fact_row(r) | {"mentions": [], "doc": doc}
        m = {"start": int(r["start"]), "end": int(r["end"]), "surface": r["surface"], "sentence": r.get("sentence") or "",
             "sentence_start": r.get("sStart"), "sentence_end": r.get("sEnd")}
        if m not in f["mentions"]:
            f["mentions"].append(m)
            spans.append((m["start"], m["end"], "fact", r["obs"]))
    entities: dict[str, dict] = {}
    for r in store.select(ENTITY_MENTIONS, {"report": report}):
        e = entities.get(r["e"])
        typ = local(r.get("type")) or "Thing"
        if e is None:
            e = entities[r["e"]] = {"iri": r["e"], "label": r.get("label") or local(r["e"]), "type": typ,
                                    "type_label": ENTITY_KINDS.get(typ, typ), "url": iri_url(r["e"]), "mentions": 0,
                                    "_spans": set()}
        elif e["type"] == "Thing" and typ != "Thing":
            e["type"], e["type_label"] = typ, ENTITY_KINDS.get(typ, typ)
        span = (int(r["start"]), int(r["end"]))
        if span not in e["_spans"]:
            e["_spans"].add(span)
            e["mentions"] += 1
            spans.append((span[0], span[1], "entity", r["e"]))
    for e in entities.values():
        e.pop("_spans")
    fact_list = sorted(facts.values(), key=lambda f: (f["mentions"][0]["start"], f["mentions"][0]["end"]))
    for i, f in enumerate(fact_list, 1):
        f["n"] = i
    return {
        "doc": doc, "iri": report, "graph": iris.doc_graph(doc), "title": meta.get("title") or doc,
        "date": meta.get("date") or "", "source": meta.get("source") or "", "place": meta.get("place") or "",
        "place_url": iri_url(meta.get("placeIri")), "checksum": meta.get("checksum") or "",
        "length": len(text), "text": text, "facts": fact_list,
        "entities": sorted(entities.values(), key=lambda e: (ENTITY_ORDER.index(e["type"]) if e["type"] in ENTITY_ORDER
                                                             else 99, -e["mentions"], e["label"])),
        "spans": spans,
    }


def segments(text: str, spans: list[tuple[int, int, str, str]], facts_by_iri: dict[str, dict],
             entities_by_iri: dict[str, dict]) -> list[dict]:
    """Cut ``text`` at every span boundary; each piece knows the facts and entities covering it."""
    n = len(text)
    cuts = {0, n}
    for s, e, _, _ in spans:
        if 0 <= s < e <= n:
            cuts.update((s, e))
    bounds = sorted(cuts)
    starts = defaultdict(list)
    for sp in spans:
        starts[sp[0]].append(sp)
    active: list[tuple[int, int, str, str]] = []
    out = []
    for a, b in zip(bounds, bounds[1:]):
        active = [sp for sp in active if sp[1] > a] + [sp for sp in starts.get(a, []) if sp[1] > sp[0]]
        fact_ids = [sp[3] for sp in active if sp[2] == "fact"]
        ent_ids = [sp[3] for sp in active if sp[2] == "entity"]
        seg = {"start": a, "end": b, "text": text[a:b]}
        if fact_ids:
            f = facts_by_iri[fact_ids[0]]
            own = next((sp for sp in active if sp[2] == "fact" and sp[3] == fact_ids[0]), None)
            seg["fact"] = f
            seg["facts"] = [facts_by_iri[i] for i in dict.fromkeys(fact_ids)]
            seg["span"] = (own[0], own[1]) if own else (a, b)
        if ent_ids:
            seg["entity"] = entities_by_iri.get(ent_ids[0])
        out.append(seg)
    return out



DOC_TEXT = P + """
SELECT ?doc ?text WHERE { ?r a fp:Report ; dct:identifier ?doc ; nif:isString ?text } LIMIT 1
"""


def document_text(store: LocalStore, doc: str) -> str | None:
    rows = store.select(DOC_TEXT, {"doc": doc})
    return rows[0]["text"] if rows else None
