"""Entities (places, programmes, enterprises, policy documents …), indicators, observations, the
table of all facts, and a page for any other IRI of the graph.

IRIs minted by kg (``https://w3id.org/fupin/id/…``) have their page at ``/id/…``; indicators at
``/indicator/<slug>``; anything else at ``/resource?iri=…``. Every page has a ``.json`` and a
``.csv`` twin; the tables of facts have facets (``?place=…&period=…&indicator=…&kind=…&doc=…``).
"""

from __future__ import annotations

from flask import Blueprint, redirect, request

from ...namespaces import ID
from .. import data
from ..common import error, kg, respond, store
from ..data import facets, places
from ..data.facts import all_facts
from ..tables import FACT_COLUMNS, table_response, wants_csv

bp = Blueprint("entities", __name__)

PAGE_SIZE = 100


def _name(iri_or_label: str) -> str:
    return data.local(iri_or_label) or "table"


@bp.route("/entities")
def index():
    kind = request.args.get("type") or None
    q = (request.args.get("q") or "").strip() or None
    listing = kg().hub.cached(f"entities:{kind}:{q}", lambda st: data.entities(st, kind, q))
    if wants_csv():
        rows = [e for g in listing["groups"] for e in g["entities"]]
        return table_response("entities", ["iri", "label", "type", "type_label", "facts", "mentions", "docs", "url"],
                              rows)
    return respond("entities.html", listing)


def _faceted(facts: list[dict], hide: tuple = ()) -> dict:
    chosen = facets.selection(request.args)
    return facets.facet(facts, chosen, request.path, hide=hide)


@bp.route("/facts")
def facts():
    """Every fact of the graph as one table, narrowed by facets and paged."""
    rows = kg().hub.cached("facts:all", all_facts)
    f = _faceted(rows)
    if wants_csv():
        return table_response("facts", FACT_COLUMNS, f["rows"])
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    pages = max(1, -(-len(f["rows"]) // PAGE_SIZE))
    page = min(page, pages)
    f["count"] = len(f["rows"])
    f["page"], f["pages"], f["page_size"] = page, pages, PAGE_SIZE
    f["rows"] = f["rows"][(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return respond("facts.html", f)


@bp.route("/id/<path:rest>")
def by_id(rest: str):
    st = store()
    iri = data.resolve_id(st, rest)
    kind = rest.split("/", 1)[0]
    if iri is None:
        if kind in ("report", "dataset", "text"):
            return redirect(data.doc_url(rest.split("/", 1)[1] if "/" in rest else rest), 302)
        return error(404, f"图中没有这个资源：{ID + rest} / no such resource in the graph")
    return show(iri)


@bp.route("/resource")
def resource():
    iri = (request.args.get("iri") or "").strip()
    if not iri:
        return error(400, "缺少 iri 参数 / missing ?iri=")
    return show(iri, generic=True)


def _triples_csv(name: str, triples: dict):
    rows = [{"direction": "out", "property": t["p"]["iri"], "value": t["o"].get("iri") or t["o"].get("text"),
             "label": t["o"].get("label", "")} for t in triples["out"]]
    rows += [{"direction": "in", "property": t["p"]["iri"], "value": t["s"].get("iri"), "label": t["s"].get("label", "")}
             for t in triples["in"]]
    return table_response(name, ["direction", "property", "value", "label"], rows)


def show(iri: str, generic: bool = False):
    st = store()
    if iri.startswith(ID):
        kind = iri[len(ID):].split("/", 1)[0]
        if kind in ("report", "dataset", "text"):
            target = data.iri_url(iri)
            if not target.startswith("/resource"):
                return redirect(target, 302)
        if kind == "obs":
            obs = kg().hub.cached(f"obs:{iri}", lambda s: data.observation(s, iri))
            if obs is not None:
                if wants_csv():
                    row = dict(obs, source_url=obs["mentions"][0]["url"] if obs["mentions"] else "")
                    return table_response(_name(iri), FACT_COLUMNS, [row])
                return respond("observation.html", obs)
    if iri.startswith(data.IND):
        return redirect(data.iri_url(iri), 302)
    ent = kg().hub.cached(f"entity:{iri}", lambda s: data.entity(s, iri))
    if ent is not None and (ent["mentions"] or ent["facts"] or ent["relations"]):
        return _entity_page(ent)
    res = data.resource(st, iri)
    if not res["out"] and not res["in"]:
        return error(404, f"图中没有这个资源：{iri} / no such resource in the graph")
    if wants_csv():
        return _triples_csv(_name(iri), res)
    return respond("resource.html", res)


def _entity_page(ent: dict):
    ent = dict(ent)
    if wants_csv():
        if ent["facts"] or ent["sentence_facts"]:
            rows = _faceted(ent["facts"], hide=("place",))["rows"] if ent["facts"] else ent["sentence_facts"]
            return table_response(ent["label"], FACT_COLUMNS, rows)
        return table_response(ent["label"], ["doc", "title", "start", "end", "surface", "url"], ent["mentions"])
    if ent["facts"]:
        ent["facet"] = _faceted(ent["facts"], hide=("place",))
        ent["charts"] = data.series_for_chart(ent["facts"], by="indicator")
    else:
        ent["facet"], ent["charts"] = None, []
    if ent["is_place"]:
        ent["breadcrumbs"] = places.breadcrumbs(kg().hub.cached("places", places.place_index), ent["iri"])
    return respond("entity.html", ent)


@bp.route("/indicators")
def indicators():
    rows = kg().hub.cached("indicators", data.indicators)
    used = [i for i in rows if i["facts"]]
    if wants_csv():
        return table_response("indicators", ["iri", "slug", "label", "en", "facts", "places", "from", "to", "url"], rows)
    return respond("indicators.html", {"indicators": rows, "used": len(used), "count": len(rows)})


@bp.route("/indicator/<slug>")
def indicator(slug: str):
    ind = kg().hub.cached(f"indicator:{slug}", lambda st: data.indicator(st, slug))
    if ind is None:
        return error(404, f"没有这个指标：{slug} / no such indicator")
    ind = dict(ind)
    ind["facet"] = _faceted(ind["facts"], hide=("indicator",))
    if wants_csv():
        return table_response(slug, FACT_COLUMNS, ind["facet"]["rows"])
    ind["charts"] = data.series_for_chart(ind["facts"])
    return respond("indicator.html", ind)
