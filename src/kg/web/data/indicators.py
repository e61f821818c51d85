"""Indicators: the list with fact counts, one indicator with its facts, and chart data for facts."""

from __future__ import annotations

from collections import defaultdict

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


def series_for_chart(facts: list[dict], by: str = "place", limit: int = 12) -> list[dict]:
    """Charts for a list of facts (actual values, in base units).

    ``by="place"`` (an indicator's page): one line chart per base unit over single-year periods,
    one line per place. ``by="indicator"`` (a place's page): small multiples, one line chart per
    indicator that has values for two years or more. Either way, one bar chart per
    (indicator, place, period) whose breakdown parts (因病致贫 …) were stated.
    """
    charts = []
    lines: dict[tuple, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    parts: dict[tuple, list] = defaultdict(list)
    for f in facts:
        if f.get("kind") == "target" or f.get("base_value") is None:
            continue
        v = f["base_value"]
        if f.get("breakdown"):
            parts[(f["indicator_label"], f["place"], f["period"], f["base_unit"])].append((f["breakdown_label"], v))
            continue
        if f.get("start_year") is not None and f.get("start_year") == f.get("end_year"):
            key = (f["base_unit"],) if by == "place" else (f["indicator_label"], f["base_unit"])
            lines[key][f["place"]].setdefault(int(f["start_year"]), v)
    for key, series in lines.items():
        clean = {name: sorted(pts.items()) for name, pts in series.items()}
        years = {x for pts in clean.values() for x, _ in pts}
        if by == "indicator" and len(years) < 2:
            continue
        chart = {"kind": "line", "unit": key[-1], "series": clean, "points": sum(len(p) for p in clean.values())}
        if by == "indicator":
            chart["title"] = key[0]
            chart["small"] = True
        charts.append(chart)
    charts.sort(key=lambda c: -c["points"])
    for (ind, place, period, unit), items in parts.items():
        if len(items) >= 2:
            charts.append({"kind": "bar", "unit": unit, "title": f"{period}{place}{ind}", "items": items,
                           "small": by == "indicator"})
    return charts[:limit]
