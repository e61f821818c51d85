"""Data quality: SHACL validation and the consistency checks of kg.check.run_checks, computed once
per store generation and cached (a fraction of a second on the seed corpus; with PREWARM, the
report of the store the app starts on is computed in the background at start-up).

Validation and the checks cost about 25 ms of CPU per report (SHACL as SPARQL in the store,
kg.shapes, and the totals read from every observation: some 25 s for a thousand reports), so
the report of a store in a folder is also kept beside it, in ``<store>.kg-quality.json``, with
the store version it is of (its reports and their checksums, its number of observations, the
folder's identity): a restarted server, or another one, reads it instead of validating the
store again."""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from pathlib import Path

from flask import Blueprint, current_app, make_response, request

from .. import data
from ..common import kg, respond, wants_json
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


SUFFIX = ".kg-quality.json"
VERSION = 1
#: at start-up, a store of more reports than this with no report kept beside it is not validated
#: in the background (about 25 ms of CPU per report, in the serving process: a minute at 2,000)
WARM_REPORTS = 2000


def saved_path(store) -> Path | None:
    path = getattr(store, "path", None)
    return Path(str(path).rstrip("/") + SUFFIX) if path else None


def store_version(store) -> list:
    from ...qa.catalog_build import fingerprint, observation_count
    from ...qa.index_file import store_stamp

    return [VERSION, *fingerprint(store), observation_count(store), store_stamp(store)]


def kept(store, version: list) -> dict | None:
    """The report kept beside ``store`` when it is of this ``version`` of the store."""
    path = saved_path(store)
    if path is None:
        return None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("store") == version:
            return saved["report"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    return None


def compute_or_read(store) -> dict:
    """The report of ``store``: the one kept beside it when it is of this version of the store,
    else computed (and kept there, when the folder can be written)."""
    path = saved_path(store)
    if path is None:
        return compute(store)
    version = store_version(store)
    report = kept(store, version)
    if report is not None:
        return report
    report = compute(store)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"store": version, "report": report}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)            # a read-only folder: kept in memory only
    return report


#: a store of more reports than this with no report kept beside it is validated in the background
#: when /quality is first asked for (about 25 ms of CPU per report): the page says so and reloads
INLINE_REPORTS = 100
_running: dict[tuple, threading.Thread] = {}
_running_lock = threading.Lock()


def _job(hub) -> tuple:
    return (id(hub), hub.generation)


def in_background(app, hub) -> None:
    """Compute the report of the hub's store generation in a thread of its own (one at a time)."""
    key = _job(hub)
    with _running_lock:
        t = _running.get(key)
        if t is not None and t.is_alive():
            return
        for done in [k for k, t in _running.items() if not t.is_alive()]:
            del _running[done]                  # generations validated (or failed) before

        def run():
            try:
                hub.cached("quality", compute_or_read)
            except Exception:                    # noqa: BLE001 - the next visit starts it again
                app.logger.exception("computing the quality report")
        t = _running[key] = threading.Thread(target=run, daemon=True, name="kg-quality")
        t.start()


def ready(hub) -> dict | None:
    """The report when it can be had now: computed for this store generation, kept beside the
    store, or quick to compute (a small store); None while a larger store is validated."""
    q = hub.cache_peek("quality")
    if q is not None:
        return q
    store = hub.store
    with _running_lock:
        t = _running.get(_job(hub))
        busy = t is not None and t.is_alive()
    if not busy:
        report = kept(store, store_version(store)) if saved_path(store) else None
        if report is not None:
            return hub.cached("quality", lambda st: report)
        if len(store.document_graphs()) <= INLINE_REPORTS:
            return hub.cached("quality", compute_or_read)
    return None


@bp.record_once
def _warm(state) -> None:
    """With PREWARM, compute the report in the background (or read the one kept beside the store),
    so that the first visitor gets it at once; not for a large store without a kept report (a visit
    to /quality starts it then, and is told to come back)."""
    app = state.app
    if not app.config.get("PREWARM"):
        return

    def run():
        try:
            hub = app.extensions["kg"].hub
            path = saved_path(hub.store)
            if path is not None and not path.exists() and len(hub.store.document_graphs()) > WARM_REPORTS:
                return        # minutes of validation would slow every request: a visit to /quality starts it
            in_background(app, hub)
        except Exception:                        # noqa: BLE001 - the first request computes it again
            app.logger.exception("computing the quality report at start-up")
    threading.Thread(target=run, daemon=True, name="kg-quality-start").start()


#: seconds a client is asked to wait before asking again while the report is computed
RETRY_AFTER = 5
#: checks listed per page of the HTML view (the .json and .csv twins hold every one)
PAGE_SIZE = 100
STATUSES = ("disagree", "agree")


@bp.route("/quality")
def index():
    """The report: SHACL's result, and the consistency checks, disagreements first, a page at a
    time (``?status=agree|disagree`` keeps one kind, ``?page=N``); .json and .csv give them all."""
    hub = kg().hub
    q = ready(hub)
    if q is None:
        in_background(current_app, hub)
        waiting = {"computing": True, "reports": len(hub.store.document_graphs()),
                   "seconds_per_report": 0.025, "retry_after": RETRY_AFTER}
        resp = respond("quality.html", waiting, status=202)
        resp = make_response(resp)
        resp.headers["Retry-After"] = str(RETRY_AFTER)
        return resp
    if wants_csv():
        return table_response("quality", CSV_COLUMNS, q["checks"])
    if wants_json():
        return respond("quality.html", q)
    status = request.args.get("status")
    status = status if status in STATUSES else None
    rows = [c for c in q["checks"] if c["status"] == status] if status else \
        sorted(q["checks"], key=lambda c: STATUSES.index(c["status"]) if c["status"] in STATUSES else 2)
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    view = {**q, "rows": rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], "count": len(rows), "status": status,
            "page": page, "pages": pages}
    return respond("quality.html", view)
