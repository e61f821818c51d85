"""The entity graph (kg.export.entity_graph, networkx), drawn in the page by web/static/graph.js;
``/graph.csv`` is its nodes, ``/graph.csv?table=edges`` its edges."""

from __future__ import annotations

from flask import Blueprint, request

from .. import data
from ..common import error, kg, respond
from ..tables import table_response, wants_csv

bp = Blueprint("graph", __name__)


@bp.route("/graph")
def view():
    doc = (request.args.get("doc") or "").strip() or None
    docs = kg().hub.cached("documents", data.documents)
    if doc and doc not in {d["doc"] for d in docs}:
        return error(404, f"没有这个文档：{doc} / no such document")
    g = kg().hub.cached(f"graph:{doc}", lambda st: data.graph_data(st, doc))
    if wants_csv():
        if request.args.get("table") == "edges":
            labels = {n["id"]: n["label"] for n in g["nodes"]}
            rows = [dict(e, source_label=labels.get(e["source"], ""), target_label=labels.get(e["target"], ""))
                    for e in g["edges"]]
            return table_response(f"graph-{doc or 'all'}-edges", ["source", "source_label", "relation",
                                                                   "relation_label", "target", "target_label",
                                                                   "weight"], rows)
        return table_response(f"graph-{doc or 'all'}-nodes", ["id", "label", "type", "type_label", "degree", "url"],
                              g["nodes"])
    return respond("graph.html", g, documents=docs)
