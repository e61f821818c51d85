"""JSON API: /api/ask?q=, /api/search?q=, /api/stats, and /api (what there is)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Blueprint, current_app, jsonify, request

from .. import data
from ..common import kg
from .ask import MAX_QUESTION, QaMissing, enrich_json, qa_ask

bp = Blueprint("api", __name__, url_prefix="/api")

#: answers kept as JSON, per store generation, question and offset (the least recently asked
#: dropped first): a question asked again costs no work
ANSWER_CACHE = 1024
_answers: "OrderedDict[tuple, bytes]" = OrderedDict()
_answers_lock = threading.Lock()


def cached_answer(q: str, offset: int) -> bytes:
    hub = kg().hub
    hub.store                                    # the hub's periodic check of the store's files
    key = (hub.path, hub.generation, q, offset)
    with _answers_lock:
        body = _answers.get(key)
        if body is not None:
            _answers.move_to_end(key)
            return body
    body = current_app.json.response(enrich_json(qa_ask(q, offset))).get_data()
    with _answers_lock:
        _answers[key] = body
        while len(_answers) > ANSWER_CACHE:
            _answers.popitem(last=False)
    return body


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
        body = cached_answer(q, int(offset))
    except QaMissing as e:
        return _error(503, str(e))
    return current_app.response_class(body, mimetype="application/json")


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
