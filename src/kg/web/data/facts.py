"""Facts (observations) as the pages show them: one row per observation, the facts of a place,
an indicator or a sentence, one observation with its sources."""

from __future__ import annotations

from ...store import LocalStore
from .links import P, doc_url, iri_url, local, num
from .resources import describe

def fact_row(r: dict) -> dict:
    kind = local(r.get("kind")) or "Actual"
    return {
        "observation": r["obs"], "url": iri_url(r["obs"]), "label": r.get("label") or "",
        "indicator": local(r["ind"]), "indicator_label": r.get("indLabel") or local(r["ind"]),
        "indicator_url": iri_url(r["ind"]),
        "breakdown": local(r.get("brk")) if r.get("brk") else "", "breakdown_label": r.get("brkLabel") or "",
        "place": r.get("placeLabel") or local(r.get("place")), "place_url": iri_url(r.get("place")),
        "period": r.get("periodLabel") or "", "start_year": r.get("startYear"), "end_year": r.get("endYear"),
        "value": num(r["value"]), "unit": r.get("unit") or "", "base_value": num(r.get("baseValue")),
        "base_unit": r.get("baseUnit") or "", "qualifier": r.get("qualifier") or "exact",
        "kind": "target" if kind == "Target" else "actual",
    }


#: the labels and attributes of an observation ?obs of ?ind, ?place and ?period, each optional
OBS_OPTIONALS = """  OPTIONAL { ?obs rdfs:label ?label } OPTIONAL { ?ind skos:prefLabel ?indLabel }
  OPTIONAL { ?obs fp:breakdown ?brk . OPTIONAL { ?brk skos:prefLabel ?brkLabel } }
  OPTIONAL { ?place rdfs:label ?placeLabel }
  OPTIONAL { ?period rdfs:label ?periodLabel } OPTIONAL { ?period fp:startYear ?startYear } OPTIONAL { ?period fp:endYear ?endYear }
  OPTIONAL { ?obs sdmx-attribute:unitMeasure/rdfs:label ?unit }
  OPTIONAL { ?obs fp:baseValue ?baseValue } OPTIONAL { ?obs fp:baseUnit/rdfs:label ?baseUnit }
  OPTIONAL { ?obs fp:qualifier ?qualifier } OPTIONAL { ?obs fp:kind ?kind }
"""

OBS_MENTIONS = P + """
SELECT ?obs ?doc ?title ?start ?end ?surface ?sentence ?sStart WHERE {
  ?obs fp:mention ?m ; prov:wasDerivedFrom ?report . ?report dct:identifier ?doc . OPTIONAL { ?report dct:title ?title }
  ?m nif:beginIndex ?start ; nif:endIndex ?end ; nif:anchorOf ?surface .
  OPTIONAL { ?m fp:sentence ?s . ?s nif:anchorOf ?sentence ; nif:beginIndex ?sStart }
} ORDER BY ?start
"""

OBS_ONE = P + """
SELECT ?obs ?label ?ind ?indLabel ?brk ?brkLabel ?place ?placeLabel ?periodLabel ?startYear ?endYear
       ?value ?unit ?baseValue ?baseUnit ?qualifier ?kind ?per ?valueMax WHERE {
  ?obs a fp:Observation ; fp:indicator ?ind ; fp:value ?value ; sdmx-dimension:refArea ?place ;
       sdmx-dimension:refPeriod ?period .
""" + OBS_OPTIONALS + """  OPTIONAL { ?obs fp:per ?per } OPTIONAL { ?obs fp:valueMax ?valueMax }
} LIMIT 1
"""


def observation(store: LocalStore, iri: str) -> dict | None:
    rows = store.select(OBS_ONE, {"obs": iri})
    if not rows:
        return None
    r = rows[0]
    f = fact_row(r)
    f["per"] = r.get("per") or ""
    f["value_max"] = num(r.get("valueMax"))
    f["mentions"] = []
    for m in store.select(OBS_MENTIONS, {"obs": iri}):
        start, end = int(m["start"]), int(m["end"])
        sentence = m.get("sentence") or ""
        s0 = int(m["sStart"]) if m.get("sStart") is not None else None
        f["doc"] = m["doc"]
        f["doc_title"] = m.get("title") or m["doc"]
        f["mentions"].append({"doc": m["doc"], "title": m.get("title") or m["doc"], "start": start, "end": end, "surface": m["surface"],
                              "sentence": sentence, "parts": highlight_parts(sentence, s0, start, end, m["surface"]),
                              "url": f"{doc_url(m['doc'])}#char={start},{end}"})
    f["triples"] = describe(store, iri)
    return f


def highlight_parts(sentence: str, sentence_start: int | None, start: int, end: int, surface: str = "") -> list[tuple[str, bool]]:
    """The sentence as (text, highlighted) pieces, the value's surface highlighted."""
    if not sentence:
        return [(surface, True)] if surface else []
    if sentence_start is not None and sentence_start <= start and end - sentence_start <= len(sentence):
        a, b = start - sentence_start, end - sentence_start
    else:
        a = sentence.find(surface) if surface else -1
        if a < 0:
            return [(sentence, False)]
        b = a + len(surface)
    return [p for p in ((sentence[:a], False), (sentence[a:b], True), (sentence[b:], False)) if p[0]]


# The facts of one place or one indicator (bound as ?place or ?ind; or all of them), with everything a
# page shows.
_FACTS_BODY = """
SELECT ?obs ?label ?ind ?indLabel ?brk ?brkLabel ?place ?placeLabel ?periodLabel ?startYear ?endYear
       ?value ?unit ?baseValue ?baseUnit ?qualifier ?kind ?doc ?docTitle ?start ?end WHERE {
  ?obs a fp:Observation ; sdmx-dimension:refArea ?place ; fp:indicator ?ind ; fp:value ?value ;
       sdmx-dimension:refPeriod ?period ; prov:wasDerivedFrom ?report .
  ?report dct:identifier ?doc . OPTIONAL { ?report dct:title ?docTitle }
""" + OBS_OPTIONALS + """  { SELECT ?obs (MIN(?b) AS ?start) (MIN(?x) AS ?end) WHERE { ?obs fp:mention ?mm . ?mm nif:beginIndex ?b ; nif:endIndex ?x } GROUP BY ?obs }
}
"""

PLACE_FACTS = P + _FACTS_BODY + "ORDER BY ?indLabel ?startYear ?start\n"

SENTENCE_FACTS = P + """
SELECT DISTINCT ?e ?obs ?label ?ind ?indLabel ?brk ?brkLabel ?place ?placeLabel ?periodLabel ?startYear ?endYear
       ?value ?unit ?baseValue ?baseUnit ?qualifier ?kind ?doc ?start ?end WHERE {
  ?e fp:mention ?em . ?em nif:beginIndex ?eb ; nif:referenceContext ?report .
  ?obs a fp:Observation ; prov:wasDerivedFrom ?report ; fp:mention ?m ; fp:indicator ?ind ; fp:value ?value ;
       sdmx-dimension:refArea ?place ; sdmx-dimension:refPeriod ?period .
  ?m fp:sentence ?s ; nif:beginIndex ?start ; nif:endIndex ?end . ?s nif:beginIndex ?sb ; nif:endIndex ?se .
  FILTER(?eb >= ?sb && ?eb < ?se)
  ?report dct:identifier ?doc .
""" + OBS_OPTIONALS + """} ORDER BY ?doc ?start
"""


def facts_from(rows) -> list[dict]:
    out, seen = [], set()
    for r in rows:
        if r["obs"] in seen:
            continue
        seen.add(r["obs"])
        f = fact_row(r)
        f["doc"] = r["doc"]
        f["doc_title"] = r.get("docTitle") or r["doc"]
        f["source_url"] = f"{doc_url(r['doc'])}#char={int(r['start'])},{int(r['end'])}"
        out.append(f)
    return out


INDICATOR_FACTS = P + _FACTS_BODY + "ORDER BY ?startYear ?placeLabel ?brkLabel ?start\n"
ALL_FACTS = P + _FACTS_BODY + "ORDER BY ?doc ?start ?end\n"


def all_facts(store: LocalStore) -> list[dict]:
    """Every observation of the store, in the order of the reports' texts."""
    return facts_from(store.select(ALL_FACTS))
