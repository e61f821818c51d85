"""Exporting the graph: RDF serialisations, the tidy CSV of observations, and GraphML."""

from __future__ import annotations

import csv
import io

import networkx as nx

from .queries import ENTITY_EDGES, OBSERVATIONS, PLACE_INDICATORS
from .store import LocalStore

CSV_COLUMNS = ["doc", "place", "period", "indicator", "indicator_label", "breakdown", "value", "unit",
               "base_value", "base_unit", "qualifier", "kind", "surface", "start", "end", "sentence"]
EXTRA_COLUMNS = ["period_label", "breakdown_label", "per", "start_year", "end_year", "observation"]
#: open-world facts: what the quantity measures (fp:measuredPhrase), level | change | cumulative
#: (fp:measure), the thing it is about (fp:subject's label), and whether its indicator was minted
#: for the phrase (fp:OpenIndicator: "true"/"false"); empty in a store built before they existed
OPEN_COLUMNS = ["phrase", "measure", "subject", "open"]
RDF_FORMATS = ("ttl", "nt", "nq", "jsonld", "trig")
FORMATS = (*RDF_FORMATS, "csv", "graphml")


def observation_rows(store: LocalStore) -> list[dict]:
    rows = []
    for r in store.select(OBSERVATIONS):
        rows.append({
            "doc": r["doc"], "place": r["place"], "period": r["period"], "indicator": r["indicator"],
            "indicator_label": r["indicatorLabel"], "breakdown": r["breakdown"] or "", "value": r["value"],
            "unit": r["unit"] or "", "base_value": r["baseValue"], "base_unit": r["baseUnit"] or "",
            "qualifier": r["qualifier"], "kind": r["kind"], "surface": r["surface"], "start": r["start"],
            "end": r["end"], "sentence": r["sentence"], "period_label": r["periodLabel"],
            "breakdown_label": r["breakdownLabel"] or "", "per": r["per"] or "", "start_year": r["startYear"],
            "end_year": r["endYear"], "observation": r["obs"],
            "phrase": r["phrase"] or "", "measure": r["measure"] or "", "subject": r["subject"] or "",
            "open": r["open"] or "false",
        })
    return rows


def to_csv(store: LocalStore, bom: bool = False) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS + EXTRA_COLUMNS + OPEN_COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in observation_rows(store):
        w.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def entity_graph(store: LocalStore) -> nx.MultiDiGraph:
    """Entities (places, organisations, policies, programmes, persons, products, indicators) and relations."""
    g = nx.MultiDiGraph()

    def node(iri, label, typ):
        kind = (typ or "").rsplit("#", 1)[-1] or "Thing"
        if iri not in g or g.nodes[iri].get("type") == "Thing":
            g.add_node(iri, label=label, type=kind)

    for r in store.select(ENTITY_EDGES):
        node(r["s"], r["sLabel"], r["sType"])
        node(r["o"], r["oLabel"], r["oType"])
        g.add_edge(r["s"], r["o"], key=r["rel"].rsplit("#", 1)[-1], relation=r["rel"].rsplit("#", 1)[-1])
    for r in store.select(PLACE_INDICATORS):
        node(r["place"], r["placeLabel"], r["placeType"])
        node(r["ind"], r["indLabel"], "#Indicator")
        g.add_edge(r["place"], r["ind"], key="hasIndicator", relation="hasIndicator", weight=int(r["n"]))
    return g


def to_graphml(store: LocalStore) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(entity_graph(store), buf, encoding="utf-8")
    return buf.getvalue()


def export(store: LocalStore, fmt: str, bom: bool = False) -> bytes:
    if fmt in RDF_FORMATS:
        return store.dump(fmt)
    if fmt == "csv":
        return to_csv(store, bom)
    if fmt == "graphml":
        return to_graphml(store)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
