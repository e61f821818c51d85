"""Indicators: the list with fact counts, and one indicator with its facts."""

from __future__ import annotations

from ...namespaces import IND
from ...store import LocalStore
from .facts import INDICATOR_FACTS, facts_from
from .links import P, iri_url, local

INDICATOR_LIST = P + """
SELECT ?ind ?label ?en ?scheme (COUNT(DISTINCT ?obs) AS ?facts) (COUNT(DISTINCT ?place) AS ?places)
       (MIN(?y) AS ?from) (MAX(?y) AS ?to) WHERE {
  ?ind a fp:Indicator ; skos:prefLabel ?label .
  OPTIONAL { ?ind rdfs:label ?en }
  OPTIONAL { ?obs fp:indicator ?ind ; sdmx-dimension:refArea ?place ; sdmx-dimension:refPeriod/fp:endYear ?y }
} GROUP BY ?ind ?label ?en ?scheme
"""


INDICATOR_HEAD = P + """
SELECT ?ind ?label ?en ?alt ?unit ?def WHERE {
  ?ind skos:prefLabel ?label .
  OPTIONAL { ?ind rdfs:label ?en } OPTIONAL { ?ind skos:altLabel ?alt }
  OPTIONAL { ?ind fp:unitOf/rdfs:label ?unit } OPTIONAL { ?ind skos:definition ?def }
}
"""



def indicators(store: LocalStore) -> list[dict]:
    out = {}
    for r in store.select(INDICATOR_LIST):
        i = out.setdefault(r["ind"], {"iri": r["ind"], "slug": r["ind"][len(IND):] if r["ind"].startswith(IND)
                                      else local(r["ind"]), "label": r["label"], "en": r.get("en") or "",
                                      "facts": int(r["facts"]), "places": int(r["places"]),
                                      "from": r.get("from"), "to": r.get("to"), "url": iri_url(r["ind"])})
        if not i["en"] and r.get("en"):
            i["en"] = r["en"]
    return sorted(out.values(), key=lambda i: (-i["facts"], i["label"]))


def indicator(store: LocalStore, slug: str) -> dict | None:
    iri = IND + slug
    head = store.select(INDICATOR_HEAD, {"ind": iri})
    if not head:
        return None
    facts = facts_from(store.select(INDICATOR_FACTS, {"ind": iri}))
    return {"iri": iri, "slug": slug, "label": head[0]["label"],
            "en": next((r["en"] for r in head if r.get("en")), ""),
            "alt": sorted({r["alt"] for r in head if r.get("alt")}),
            "units": sorted({r["unit"] for r in head if r.get("unit")}),
            "definition": next((r["def"] for r in head if r.get("def")), ""),
            "facts": facts, "places": sorted({f["place"] for f in facts}),
            "url": iri_url(iri)}
