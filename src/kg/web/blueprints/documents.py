"""The corpus: the list of documents, and each document's text with every fact highlighted
(Markdown reports rendered: headings, lists and tables; kg.web.reader)."""

from __future__ import annotations

from flask import Blueprint, request

from .. import data, reader
from ..common import error, kg, respond, wants_json
from ..tables import FACT_COLUMNS, table_response, wants_csv

bp = Blueprint("documents", __name__)

DOC_COLUMNS = ["doc", "title", "place", "date", "facts", "entities", "url"]


@bp.route("/documents")
def index():
    docs = kg().hub.cached("documents", data.documents)
    if wants_csv():
        return table_response("documents", DOC_COLUMNS, docs)
    return respond("documents.html", {"documents": docs, "count": len(docs)})


@bp.route("/documents/<doc>")
def document(doc: str):
    d = kg().hub.cached(f"document:{doc}", lambda st: data.document(st, doc))
    if d is None:
        return error(404, f"没有这个文档：{doc} / no such document")
    if wants_csv():
        rows = [dict(f, doc_title=d["title"], source_url=f"{data.doc_url(doc)}#char={f['mentions'][0]['start']},"
                                                        f"{f['mentions'][0]['end']}") for f in d["facts"]]
        return table_response(doc, FACT_COLUMNS, rows)
    if wants_json():
        out = {k: v for k, v in d.items() if k != "spans"}
        return respond("document.html", out)
    facts_by_iri = {f["observation"]: f for f in d["facts"]}
    ents_by_iri = {e["iri"]: e for e in d["entities"]}
    markdown = reader.is_markdown(d["text"])
    view = "text" if request.args.get("view") == "text" or not markdown else "markdown"
    body = kg().hub.cached(f"reader:{view}:{doc}", lambda st: (reader.render if view == "markdown" else
                                                                reader.render_plain)(d["text"], d["spans"],
                                                                                      facts_by_iri, ents_by_iri))
    return respond("document.html", d, body=body, markdown=markdown, view=view)
