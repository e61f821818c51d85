"""The entity graph (kg.export.entity_graph, networkx), drawn in the page by web/static/graph.js."""

from __future__ import annotations

from flask import Blueprint, request

from .. import data
from ..common import error, kg, respond

bp = Blueprint("graph", __name__)


@bp.route("/graph")
def view():
    doc = (request.args.get("doc") or "").strip() or None
    docs = kg().hub.cached("documents", data.documents)
    if doc and doc not in {d["doc"] for d in docs}:
        return error(404, f"没有这个文档：{doc} / no such document")
    g = kg().hub.cached(f"graph:{doc}", lambda st: data.graph_data(st, doc))
    return respond("graph.html", g, documents=docs)
