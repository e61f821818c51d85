"""The Flask application: ``create_app(settings)``.

Settings (all optional; `kg serve` passes the first three):

=============== ======================= ==========================================================
STORE           ``$KG_STORE`` or data/  the store folder (opened read-only, reopened on change)
QUERY_TIMEOUT   10                      seconds a user SPARQL query may run before its worker is killed
MAX_ROWS        10000                   rows (or triples) a SPARQL result may hold; more is cut, and said
WORKERS         min(4, CPUs)            SPARQL worker processes (queries running at once)
QUEUE_WAIT      = QUERY_TIMEOUT         seconds a query may wait for a free worker before a 503
CHECK_INTERVAL  1.0                     seconds between looks at the store folder for new data
PREWARM         True                    start one SPARQL worker in the background at start-up
=============== ======================= ==========================================================
"""

from __future__ import annotations

import atexit
import os
import threading
from urllib.parse import quote

from flask import Flask, request

from ..namespaces import PREFIXES
from ..paths import default_store
from . import charts, data
from .common import JsonSuffix, KgJSONProvider, KgState, error, json_url
from .paths import web_dir
from .pool import QueryPool
from .storehub import StoreHub

DEFAULTS = {
    "QUERY_TIMEOUT": 10.0,
    "MAX_ROWS": 10000,
    "WORKERS": max(1, min(4, os.cpu_count() or 2)),
    "QUEUE_WAIT": None,
    "CHECK_INTERVAL": 1.0,
    "PREWARM": True,
    "JSON_AS_ASCII": False,
}

NAV = [("ask.home", "问答"), ("sparql.editor", "SPARQL"), ("documents.index", "文档"), ("entities.index", "实体"),
       ("entities.indicators", "指标"), ("graph.view", "关系图"), ("quality.index", "数据质量"),
       ("export.index", "导出")]

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")

CORS_PREFIXES = ("/sparql", "/api/")


def create_app(settings: dict | None = None) -> Flask:
    settings = dict(settings or {})
    folder = web_dir()
    app = Flask("kg.web", template_folder=str(folder / "templates"), static_folder=str(folder / "static"),
                static_url_path="/static")
    app.config.update(DEFAULTS)
    app.config.update({k: v for k, v in settings.items() if v is not None})
    app.config["STORE"] = str(settings.get("STORE") or default_store())
    app.config["QUERY_TIMEOUT"] = float(app.config["QUERY_TIMEOUT"])
    app.config["MAX_ROWS"] = int(app.config["MAX_ROWS"])
    if app.config["QUEUE_WAIT"] is None:
        app.config["QUEUE_WAIT"] = app.config["QUERY_TIMEOUT"]
    app.json = KgJSONProvider(app)
    app.url_map.strict_slashes = False

    hub = StoreHub(app.config["STORE"], check_interval=float(app.config["CHECK_INTERVAL"]))
    pool = QueryPool(app.config["STORE"], size=int(app.config["WORKERS"]))
    app.extensions["kg"] = KgState(hub, pool, dict(app.config))
    atexit.register(pool.close)
    if app.config["PREWARM"]:
        threading.Thread(target=pool.warm, args=(1,), daemon=True, name="kg-prewarm").start()

    from .blueprints import api, ask, documents, entities, export, graph, quality, sparql
    for bp in (ask.bp, sparql.bp, documents.bp, entities.bp, graph.bp, quality.bp, export.bp, api.bp):
        app.register_blueprint(bp)

    app.wsgi_app = JsonSuffix(app.wsgi_app)

    @app.context_processor
    def _globals():
        return {"nav": NAV, "iri_url": data.iri_url, "doc_url": data.doc_url, "fmt_num": data.fmt_num,
                "short": data.short, "chart": charts.render, "qualifiers": data.QUALIFIERS,
                "json_url": json_url, "quote": lambda s: quote(str(s), safe=""), "prefixes": PREFIXES,
                "kinds": data.ENTITY_KINDS, "settings": app.config}

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if resp.mimetype == "text/html":
            resp.headers.setdefault("Content-Security-Policy", CSP)
        if request.path.startswith(CORS_PREFIXES) or request.environ.get("kg.json") or resp.mimetype == "application/json":
            resp.headers["Access-Control-Allow-Origin"] = "*"
            resp.headers["Access-Control-Expose-Headers"] = ("X-Result-Truncated, X-Result-Row-Limit, X-Result-Rows, "
                                                             "X-Query-Time")
        return resp

    @app.errorhandler(404)
    def _404(e):
        return error(404, "页面不存在 / not found")

    @app.errorhandler(405)
    def _405(e):
        resp = error(405, f"不支持 {request.method} 方法 / method not allowed")
        return resp

    @app.errorhandler(500)
    def _500(e):
        return error(500, "服务器内部错误 / internal server error")

    return app
