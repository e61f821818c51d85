"""Data quality: SHACL validation and the consistency checks of kg.check.run_checks, computed once
per store generation and cached (a fraction of a second on the seed corpus; with PREWARM, the
report of the store the app starts on is computed in the background at start-up)."""

from __future__ import annotations

import threading
import time
from collections import Counter

from flask import Blueprint

from .. import data
from ..common import kg, respond
from ..tables import table_response, wants_csv

bp = Blueprint("quality", __name__)

CSV_COLUMNS = ["name", "status", "doc", "doc_title", "text", "detail"]
NAMES = {"shares": "占比合计", "cumulative": "逐年合计", "stock-flow": "存量与流量"}


def compute(store) -> dict:
    from ...check import run_checks

    t0 = time.perf_counter()
    report = run_checks(store)
    titles = {d["doc"]: d["title"] for d in data.documents(store)}
    checks = []
    for c in report.checks:
        doc, _, text = c.detail.partition(": ")          # kg.check writes "<doc>: <what was compared>"
        if doc not in titles:
            doc, text = "", c.detail
        checks.append({"name": c.name, "label": NAMES.get(c.name, c.name), "status": c.status, "detail": c.detail,
                       "doc": doc, "doc_title": titles.get(doc, ""), "doc_url": data.doc_url(doc) if doc else "",
                       "text": text})
    return {"conforms": report.conforms, "violations": report.violations, "shacl_text": report.shacl_text,
            "checks": checks, "summary": dict(Counter(c["status"] for c in checks)),
            "by_name": dict(Counter(c["name"] for c in checks)),
            "seconds": round(time.perf_counter() - t0, 2), "computed_at": time.strftime("%Y-%m-%d %H:%M:%S")}


@bp.record_once
def _warm(state) -> None:
    """With PREWARM, compute the report in the background, so that the first visitor gets it at once."""
    app = state.app
    if not app.config.get("PREWARM"):
        return

    def run():
        try:
            app.extensions["kg"].hub.cached("quality", compute)
        except Exception:                        # noqa: BLE001 - the first request computes it again
            app.logger.exception("computing the quality report at start-up")
    threading.Thread(target=run, daemon=True, name="kg-quality").start()


@bp.route("/quality")
def index():
    q = kg().hub.cached("quality", compute)
    if wants_csv():
        return table_response("quality", CSV_COLUMNS, q["checks"])
    return respond("quality.html", q)
