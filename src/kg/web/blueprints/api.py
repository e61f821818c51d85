"""JSON API: /api/ask?q=, /api/search?q=, /api/stats, and /api (what there is)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from .. import data
from ..common import kg
from .ask import MAX_QUESTION, QaMissing, enrich_json, qa_ask

bp = Blueprint("api", __name__, url_prefix="/api")


def _error(status: int, message: str):
    resp = jsonify({"error": message, "status": status})
    resp.status_code = status
    return resp


@bp.route("")
def index():
    return jsonify({
        "endpoints": {
            "/api/ask?q=问题": "question answering (kg.qa.ask) as JSON; &offset=10 for the next places of a long answer",
            "/api/search?q=词": "entities and indicators whose label contains the word",
            "/api/stats": "documents, facts, triples, graphs",
            "/sparql": "SPARQL 1.1 Protocol endpoint (read-only)",
            "/<any page>.json": "every data page as JSON (or send Accept: application/json)",
        }})


@bp.route("/ask")
def ask():
    q = (request.args.get("q") or "").strip()
    if not q:
        return _error(400, "缺少问题参数 q / missing the question: ?q=")
    if len(q) > MAX_QUESTION:
        return _error(400, f"问题太长（最多 {MAX_QUESTION} 字）/ question too long")
    offset = request.args.get("offset") or "0"
    if not offset.isdigit() or len(offset) > 6:
        return _error(400, "offset 须为非负整数 / offset must be a whole number ≥ 0")
    try:
        result = qa_ask(q, int(offset))
    except QaMissing as e:
        return _error(503, str(e))
    return jsonify(enrich_json(result))


@bp.route("/search")
def search():
    q = (request.args.get("q") or "").strip()
    if not q:
        return _error(400, "缺少 q 参数 / missing ?q=")
    limit = min(int(request.args.get("limit") or 20), 200)
    ents = kg().hub.cached(f"entities:None:{q}", lambda st: data.entities(st, None, q))
    inds = [i for i in kg().hub.cached("indicators", data.indicators) if q in i["label"] or q.lower() in i["en"].lower()]
    hits = [{"label": e["label"], "type": e["type"], "type_label": e["type_label"], "iri": e["iri"], "url": e["url"]}
            for g in ents["groups"] for e in g["entities"]]
    hits += [{"label": i["label"], "type": "Indicator", "type_label": "指标", "iri": i["iri"], "url": i["url"]}
             for i in inds]
    return jsonify({"q": q, "results": hits[:limit], "total": len(hits)})


@bp.route("/stats")
def stats():
    st = kg()
    s = st.hub.cached("stats", data.stats)
    return jsonify({**s, "generation": st.hub.generation, "workers": {**st.pool.stats, **st.pool.counts()}})
