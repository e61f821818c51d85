"""The corpus: the list of documents, and each document's text with every fact highlighted."""

from __future__ import annotations

from flask import Blueprint

from .. import data
from ..common import error, kg, respond

bp = Blueprint("documents", __name__)


@bp.route("/documents")
def index():
    docs = kg().hub.cached("documents", data.documents)
    return respond("documents.html", {"documents": docs, "count": len(docs)})


@bp.route("/documents/<doc>")
def document(doc: str):
    d = kg().hub.cached(f"document:{doc}", lambda st: data.document(st, doc))
    if d is None:
        return error(404, f"没有这个文档：{doc} / no such document")
    from ..common import wants_json
    if wants_json():
        out = {k: v for k, v in d.items() if k != "spans"}
        return respond("document.html", out)
    facts_by_iri = {f["observation"]: f for f in d["facts"]}
    ents_by_iri = {e["iri"]: e for e in d["entities"]}
    segs = data.segments(d["text"], d["spans"], facts_by_iri, ents_by_iri)
    return respond("document.html", d, segments=segs)
