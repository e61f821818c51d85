"""Where a place lies: its breadcrumbs, country → province → … → the place.

The chain is read from the graph (``fp:partOf``: a village of a town, a county of a province);
where it ends below the county, a place named only in the reports of one place is within that
report's place (as questions read it, docs/questions.md); above the place the graph knows, the
gazetteer of administrative divisions (ontology/gazetteer.tsv) adds the prefecture and province.
"""

from __future__ import annotations

from ...store import LocalStore
from .kinds import ENTITY_KINDS, ENTITY_ORDER, PLACE_CLASSES
from .links import P, iri_url, local

COUNTRY = "中国"

PLACES = P + """
SELECT ?p ?label ?type WHERE {
  ?p rdfs:label ?label ; a ?type .
  FILTER(?type IN (fp:Province, fp:City, fp:County, fp:District, fp:Township, fp:Town, fp:Subdistrict, fp:Village, fp:Place))
}
"""
PART_OF = P + "SELECT ?x ?parent WHERE { ?x fp:partOf ?parent }"
REPORT_PLACES = P + """
SELECT DISTINCT ?p ?rp WHERE {
  { ?p fp:mentionedIn ?report } UNION { ?o sdmx-dimension:refArea ?p ; prov:wasDerivedFrom ?report }
  ?report fp:place ?rp .
}
"""


def _rank(typ: str) -> int:
    return ENTITY_ORDER.index(typ) if typ in ENTITY_ORDER else len(ENTITY_ORDER)


def place_index(store: LocalStore) -> dict:
    """Every place with its label and type, its parents in the graph and the places of the reports
    that name it (a few queries, once per store generation)."""
    places: dict[str, dict] = {}
    for r in store.select(PLACES):
        typ = local(r["type"])
        p = places.setdefault(r["p"], {"label": r["label"], "type": typ})
        if _rank(typ) < _rank(p["type"]) or p["type"] == "Place":
            p["type"] = typ
    parents: dict[str, list[str]] = {}
    for r in store.select(PART_OF):
        parents.setdefault(r["x"], []).append(r["parent"])
    reports: dict[str, set[str]] = {}
    for r in store.select(REPORT_PLACES):
        reports.setdefault(r["p"], set()).add(r["rp"])
    return {"places": places, "parents": parents, "reports": reports,
            "by_label": {p["label"]: iri for iri, p in places.items()}}


def _parent(idx: dict, iri: str) -> str | None:
    places = idx["places"]
    me = places.get(iri, {"type": "Place"})
    known = [p for p in idx["parents"].get(iri, []) if p in places and p != iri]
    if known:            # the most specific labelled parent: 桃源镇 rather than its short form 桃源
        return max(known, key=lambda p: (-_rank(places[p]["type"]), len(places[p]["label"])))
    if _rank(me["type"]) > _rank("District"):        # a town or village: the one report place naming it
        rps = [p for p in idx["reports"].get(iri, ()) if p != iri and p in places]
        if len(rps) == 1 and _rank(places[rps[0]]["type"]) < _rank(me["type"]):
            return rps[0]
    return None


def _gazetteer_above(label: str) -> list[str] | None:
    """Names of the divisions containing the one division of this full name, outermost first
    (None when the gazetteer does not know the name, or knows several divisions of it)."""
    try:
        from ...text import gazetteer as gz
    except ImportError:
        return None
    divisions = gz.full_name(label)
    if len(divisions) != 1:
        return None
    return [d.name for d in reversed(gz.ancestors(divisions[0].code))]


def breadcrumbs(idx: dict, iri: str) -> list[dict]:
    """[{label, url, type_label}] from the country down to the place itself (its own crumb last,
    without a link); ``idx`` is :func:`place_index`'s."""
    places = idx["places"]
    chain, seen = [iri], {iri}
    while len(chain) < 8:
        up = _parent(idx, chain[-1])
        if up is None or up in seen:
            break
        chain.append(up)
        seen.add(up)
    chain.reverse()
    labels = [places.get(p, {}).get("label") or local(p) for p in chain]
    # the deepest place of the chain the gazetteer knows gives the divisions above it
    start, above = 0, []
    for i in range(len(chain) - 1, -1, -1):
        found = _gazetteer_above(labels[i])
        if found is not None:
            start, above = i, found
            break
    crumbs = [{"label": COUNTRY, "url": "", "type_label": "国家"}]
    for name in above:
        p = idx["by_label"].get(name)
        typ = places[p]["type"] if p else ""
        crumbs.append({"label": name, "url": iri_url(p) if p and p != iri else "",
                       "type_label": ENTITY_KINDS.get(typ, "")})
    for p, label in zip(chain[start:], labels[start:]):
        typ = places.get(p, {}).get("type", "Place")
        crumbs.append({"label": label, "url": iri_url(p) if p != iri else "",
                       "type_label": ENTITY_KINDS.get(typ, "") if typ in PLACE_CLASSES else ""})
    return crumbs
