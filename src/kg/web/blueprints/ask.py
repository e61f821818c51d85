"""The ask page (home): a Chinese question in, the answer with its source highlighted out.

Question answering itself is :func:`kg.qa.ask`, imported when a question comes in.
"""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from .. import answers, data
from ..common import error, json_url, kg, store, wants_json
from ..examples import QUESTIONS
from ..tables import table_response, wants_csv

bp = Blueprint("ask", __name__)

MAX_QUESTION = 200


class QaMissing(Exception):
    pass


def qa_ask(question: str, offset: int = 0) -> dict:
    """kg.qa.ask(question, store), imported lazily (it is developed separately)."""
    try:
        from ...qa import ask as qa_ask_fn
    except ImportError as e:
        if isinstance(e, ModuleNotFoundError) and e.name not in ("kg.qa", "kg.qa.ask"):
            raise
        raise QaMissing(f"问答模块 kg.qa 不可用 / question answering (kg.qa.ask) is not available: {e}") from None
    return qa_ask_fn(question, store(), offset=offset)


def doc_text(doc: str) -> str | None:
    def compute(st):
        d = data.document_text(st, doc)
        return d
    return kg().hub.cached(f"text:{doc}", compute)


def sentence_offset(text: str | None, sentence: str, start: int, end: int) -> int | None:
    """Where ``sentence`` starts in ``text``, choosing the occurrence that covers [start, end)."""
    if not text or not sentence:
        return None
    lo = max(0, end - len(sentence))
    i = text.find(sentence, lo)
    while 0 <= i <= start:
        if i + len(sentence) >= end:
            return i
        i = text.find(sentence, i + 1)
    return None


def enrich(result: dict) -> dict:
    """Links, highlight pieces, document titles and the values' layout (kg.web.answers) for the page
    (the JSON keeps the qa contract and adds ``url`` fields)."""
    r = dict(result)
    titles = {d["doc"]: d["title"] for d in kg().hub.cached("documents", data.documents)}
    evidence = []
    for ev in r.get("evidence") or []:
        ev = dict(ev)
        doc, start, end = ev.get("doc"), ev.get("start"), ev.get("end")
        ev["title"] = titles.get(doc, doc)
        if doc is not None and start is not None and end is not None:
            start, end = int(start), int(end)
            ev["url"] = f"{data.doc_url(doc)}#char={start},{end}"
            text = doc_text(doc)
            surface = text[start:end] if text else ""
            s0 = sentence_offset(text, ev.get("sentence") or "", start, end)
            ev["parts"] = data.highlight_parts(ev.get("sentence") or surface, s0, start, end, surface)
        evidence.append(ev)
    r["evidence"] = evidence
    if r.get("sparql"):
        r["editor_url"] = editor_url(r["sparql"], r.get("bindings"))
    r["layout"] = answers.layout(r.get("values") or [])
    return r


VALUE_COLUMNS = ["value", "unit", "base_value", "base_unit", "qualifier", "place", "period", "year", "indicator",
                 "breakdown", "label", "kind", "doc"]


@bp.route("/")
def home():
    q = (request.args.get("q") or "").strip()
    if not q:
        if wants_json() or wants_csv():
            return error(400, "缺少问题参数 q / missing the question: ?q=")
        return render_template("ask.html", q="", result=None, examples=QUESTIONS, json_link=None)
    if len(q) > MAX_QUESTION:
        return error(400, f"问题太长（最多 {MAX_QUESTION} 字）/ question too long", template="ask.html", q=q, result=None,
                     examples=QUESTIONS)
    try:
        result = qa_ask(q)
    except QaMissing as e:
        return error(503, str(e), template="ask.html", q=q, result=None, examples=QUESTIONS)
    if wants_csv():
        return table_response("answer", VALUE_COLUMNS, result.get("values") or [])
    if wants_json():
        from flask import jsonify
        return jsonify(enrich_json(result))
    return render_template("ask.html", q=q, result=enrich(result), examples=QUESTIONS, json_link=json_url())


bp.add_url_rule("/ask", "ask", home)


def enrich_json(result: dict) -> dict:
    r = dict(result)
    r["evidence"] = [dict(ev, url=f"{data.doc_url(ev['doc'])}#char={int(ev['start'])},{int(ev['end'])}")
                     if ev.get("doc") is not None and ev.get("start") is not None and ev.get("end") is not None else ev
                     for ev in result.get("evidence") or []]
    if result.get("sparql"):
        r["editor_url"] = editor_url(result["sparql"], result.get("bindings"))
    return r


def _sparql_term(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, Decimal)):
        return str(v)
    v = str(v)
    if v.startswith(("http://", "https://", "urn:")):
        return f"<{v}>"
    return json.dumps(v, ensure_ascii=False)


def inline_bindings(sparql: str, bindings: dict | None) -> str:
    """The query with the values it was run with (pyoxigraph substitutions) as a final VALUES clause,
    so that it gives the same rows when pasted into the editor."""
    if not bindings:
        return sparql
    names = [n for n, v in bindings.items() if v is not None]
    if not names:
        return sparql
    return (sparql.rstrip() + "\nVALUES (" + " ".join("?" + n for n in names) + ") { ("
            + " ".join(_sparql_term(bindings[n]) for n in names) + ") }\n")


def editor_url(sparql: str, bindings: dict | None = None) -> str:
    return url_for("sparql.editor") + "?" + urlencode({"query": inline_bindings(sparql, bindings)})
