"""Entities (places, programmes, enterprises, policy documents …), indicators, observations,
and a page for any other IRI of the graph.

IRIs minted by kg (``https://w3id.org/fupin/id/…``) have their page at ``/id/…``; indicators at
``/indicator/<slug>``; anything else at ``/resource?iri=…``.
"""

from __future__ import annotations

from flask import Blueprint, redirect, request

from ...namespaces import ID
from .. import data
from ..common import error, kg, respond, store

bp = Blueprint("entities", __name__)


@bp.route("/entities")
def index():
    kind = request.args.get("type") or None
    q = (request.args.get("q") or "").strip() or None
    listing = kg().hub.cached(f"entities:{kind}:{q}", lambda st: data.entities(st, kind, q))
    return respond("entities.html", listing)


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
                return respond("observation.html", obs)
    if iri.startswith(data.IND):
        return redirect(data.iri_url(iri), 302)
    ent = kg().hub.cached(f"entity:{iri}", lambda s: data.entity(s, iri))
    if ent is not None and (ent["mentions"] or ent["facts"] or ent["relations"]):
        ent = dict(ent)
        ent["charts"] = data.series_for_chart(ent["facts"], by="indicator") if ent["facts"] else []
        return respond("entity.html", ent)
    res = data.resource(st, iri)
    if not res["out"] and not res["in"]:
        return error(404, f"图中没有这个资源：{iri} / no such resource in the graph")
    return respond("resource.html", res)


@bp.route("/indicators")
def indicators():
    rows = kg().hub.cached("indicators", data.indicators)
    used = [i for i in rows if i["facts"]]
    return respond("indicators.html", {"indicators": rows, "used": len(used), "count": len(rows)})


@bp.route("/indicator/<slug>")
def indicator(slug: str):
    ind = kg().hub.cached(f"indicator:{slug}", lambda st: data.indicator(st, slug))
    if ind is None:
        return error(404, f"没有这个指标：{slug} / no such indicator")
    ind = dict(ind)
    ind["charts"] = data.series_for_chart(ind["facts"])
    return respond("indicator.html", ind)
