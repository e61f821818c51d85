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


def compute_or_read(store) -> dict:
    """The report of ``store``: the one kept beside it when it is of this version of the store,
    else computed (and kept there, when the folder can be written)."""
    path = saved_path(store)
    if path is None:
        return compute(store)
    version = store_version(store)
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("store") == version:
            return saved["report"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    report = compute(store)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"store": version, "report": report}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)            # a read-only folder: kept in memory only
    return report


@bp.record_once
def _warm(state) -> None:
    """With PREWARM, compute the report in the background (or read the one kept beside the store),
    so that the first visitor gets it at once; not for a large store without a kept report."""
    app = state.app
    if not app.config.get("PREWARM"):
        return

    def run():
        try:
            hub = app.extensions["kg"].hub
            path = saved_path(hub.store)
            if path is not None and not path.exists() and len(hub.store.document_graphs()) > WARM_REPORTS:
                return        # minutes of validation would slow every request: the first visit computes it
            hub.cached("quality", compute_or_read)
        except Exception:                        # noqa: BLE001 - the first request computes it again
            app.logger.exception("computing the quality report at start-up")
    threading.Thread(target=run, daemon=True, name="kg-quality").start()


@bp.route("/quality")
def index():
    q = kg().hub.cached("quality", compute_or_read)
    if wants_csv():
        return table_response("quality", CSV_COLUMNS, q["checks"])
    return respond("quality.html", q)
