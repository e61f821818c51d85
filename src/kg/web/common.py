"""What every blueprint uses: the app's state, HTML-or-JSON responses, JSON encoding."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from ..store import LocalStore
from .pool import QueryPool
from .storehub import Reader, StoreHub


@dataclass
class KgState:
    hub: StoreHub
    pool: QueryPool
    settings: dict = field(default_factory=dict)

    @property
    def store(self) -> LocalStore:
        return Reader(self.hub)


def kg() -> KgState:
    return current_app.extensions["kg"]


def store() -> LocalStore:
    """The current store, its reads retried when a writer's compaction races them."""
    return Reader(kg().hub)


def setting(name: str):
    return current_app.config[name]


# ---------------------------------------------------------------------- HTML or JSON
class JsonSuffix:
    """WSGI middleware: ``/any/page.json`` is ``/any/page`` asked for as JSON (Datasette's habit)."""

    SKIP = ("/static/", "/export/")

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.endswith(".json") and not path.startswith(self.SKIP) and len(path) > 5:
            environ["PATH_INFO"] = path[:-5] or "/"
            if environ["PATH_INFO"].endswith("/") and environ["PATH_INFO"] != "/":
                environ["PATH_INFO"] = environ["PATH_INFO"].rstrip("/") or "/"
            environ["kg.json"] = True
        return self.app(environ, start_response)


def wants_json() -> bool:
    if request.environ.get("kg.json"):
        return True
    if request.args.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    if "application/json" not in accept:
        return False
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def json_url(path: str | None = None) -> str:
    """The .json twin of the current (or given) page, query string kept."""
    p = request.path if path is None else path
    base = (p.rstrip("/") or "") + ".json" if p != "/" else "/.json"
    qs = request.query_string.decode("utf-8") if path is None else ""
    return base + ("?" + qs if qs else "")


def respond(template: str, data: Any, status: int = 200, **context):
    if wants_json():
        resp = jsonify(data)
        resp.status_code = status
        return resp
    return render_template(template, data=data, json_link=json_url(), **context), status


def error(status: int, message: str, template: str = "error.html", **extra):
    if wants_json():
        resp = jsonify({"error": message, "status": status, **extra})
        resp.status_code = status
        return resp
    return render_template(template, status=status, message=message, **extra), status


# ---------------------------------------------------------------------- JSON
def _default(o):
    if isinstance(o, Decimal):
        return int(o) if o == o.to_integral_value() else float(o)
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    if isinstance(o, (datetime, date)):
        return o.isoformat()
    if isinstance(o, Markup):
        return str(o)
    if hasattr(o, "__dataclass_fields__"):
        from dataclasses import asdict
        return asdict(o)
    return str(o)


class KgJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False
    mimetype = "application/json"
    default = staticmethod(_default)

    def dumps(self, obj, **kwargs):
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("default", _default)
        return json.dumps(obj, **kwargs)
