"""Data quality: SHACL validation and the consistency checks of kg.check.run_checks (cached per
store generation: it takes seconds)."""

from __future__ import annotations

import time
from collections import Counter

from flask import Blueprint

from ..common import kg, respond

bp = Blueprint("quality", __name__)


def compute(store) -> dict:
    from ...check import run_checks

    t0 = time.perf_counter()
    report = run_checks(store)
    checks = [{"name": c.name, "status": c.status, "detail": c.detail} for c in report.checks]
    return {"conforms": report.conforms, "violations": report.violations, "shacl_text": report.shacl_text,
            "checks": checks, "summary": dict(Counter(c["status"] for c in checks)),
            "by_name": dict(Counter(c["name"] for c in checks)),
            "seconds": round(time.perf_counter() - t0, 2), "computed_at": time.strftime("%Y-%m-%d %H:%M:%S")}


@bp.route("/quality")
def index():
    return respond("quality.html", kg().hub.cached("quality", compute))
