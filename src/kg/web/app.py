"""The Flask application: ``create_app(settings)``.

Settings (all optional; `kg serve` passes STORE, QUERY_TIMEOUT, MAX_ROWS and, when given,
WRITE_TOKEN). Where an environment variable is named, it is read when the setting is not given.

================= ======================================= ==================================================
STORE             ``$KG_STORE`` or data/                  the store folder (opened read-only, reopened on change),
                                                          or the URL of a SPARQL server (kg.remote)
QUERY_TIMEOUT     10                                      seconds a user SPARQL query may run
MAX_ROWS          10000                                   rows (or triples) a SPARQL result may hold; more is cut
WORKERS           min(4, CPUs)                            SPARQL queries running at once (worker processes, or
                                                          requests to the SPARQL server)
QUEUE_WAIT        = QUERY_TIMEOUT                         seconds a query may wait for a free worker
CHECK_INTERVAL    1.0                                     seconds between looks at the store for new data
PREWARM           True                                    at start-up, in the background: start two SPARQL workers
                                                          and build the question catalogue (kg.qa.catalog)
WORKER_MEMORY_MB  1024                                    heap cap of a worker process (0: none)
MAX_RESULT_BYTES  64 MiB                                  largest serialised SPARQL result
MAX_QUERY_BYTES   128 KiB (``$KG_MAX_QUERY_BYTES``)        largest query string / request body (413 beyond)
MAX_NESTING       64                                      deepest nesting of ( [ { in a SPARQL query (400 beyond)
REMOTE_TIMEOUT    30                                      seconds for the pages' own queries to a SPARQL server
WRITE_TOKEN       ``$KG_WRITE_TOKEN``                     enables /add and removal (at least 16 characters)
CORPUS            ``$KG_CORPUS`` or corpus/               where added reports are kept
MAX_UPLOAD_BYTES  5 MiB (``$KG_MAX_UPLOAD_BYTES``)         largest upload (413 beyond); KG_MAX_BYTES still
                                                          limits the report itself
SECRET_KEY        ``$KG_SECRET_KEY`` or random            signs session cookies (random: sessions end at restart)
TRUSTED_ORIGINS   ()                                      more origins allowed to post forms (a proxy's name)
LOGIN_ATTEMPTS    5 per 60 s                              wrong write tokens per client address before 429
SPARE_WORKERS     = WORKERS                               more SPARQL workers, only for a client with none running
CLIENT_QUEUE      none                                    SPARQL queries one client may have waiting (503 beyond)
================= ======================================= ==================================================
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import secrets
import threading
from datetime import timedelta
from urllib.parse import quote

from flask import Flask, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..namespaces import PREFIXES
from ..paths import default_corpus, default_store
from ..store import StoreError
from . import charts, data, inputs, security
from .common import JsonSuffix, KgJSONProvider, KgState, error, json_url
from .fairness import CLIENT
from .paths import web_dir
from .pool import QueryPool
from .storehub import Reader, StoreHub, is_remote
from .tables import CsvSuffix

log = logging.getLogger("kg.web")

DEFAULTS = {
    "QUERY_TIMEOUT": 10.0,
    "MAX_ROWS": 10000,
    "WORKERS": max(1, min(4, os.cpu_count() or 2)),
    "QUEUE_WAIT": None,
    "CHECK_INTERVAL": 1.0,
    "PREWARM": True,
    "WORKER_MEMORY_MB": 1024,
    "MAX_RESULT_BYTES": 64 * 1024 * 1024,
    "MAX_QUERY_BYTES": 128 * 1024,
    "MAX_NESTING": 64,
    "REMOTE_TIMEOUT": 30.0,
    "MAX_UPLOAD_BYTES": 5 * 1024 * 1024,
    "TRUSTED_ORIGINS": (),
    "LOGIN_ATTEMPTS": 5,
    "LOGIN_WINDOW": 60.0,
    "SPARE_WORKERS": None,
    "CLIENT_QUEUE": None,
    "JSON_AS_ASCII": False,
}
ENV = {"WRITE_TOKEN": "KG_WRITE_TOKEN", "SECRET_KEY": "KG_SECRET_KEY", "MAX_UPLOAD_BYTES": "KG_MAX_UPLOAD_BYTES",
       "MAX_QUERY_BYTES": "KG_MAX_QUERY_BYTES"}

NAV = [("ask.home", "问答"), ("sparql.editor", "SPARQL"), ("documents.index", "文档"), ("entities.index", "实体"),
       ("entities.indicators", "指标"), ("entities.facts", "事实"), ("graph.view", "关系图"), ("quality.index", "数据质量"),
       ("export.index", "导出"), ("library.add_page", "添加报告")]

# no inline script or style anywhere: every script and style is a file under /static
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")

CORS_PREFIXES = ("/sparql", "/api/")
UPLOAD_ENDPOINTS = {"library.add_report"}
NO_STORE_ENDPOINTS = {"library.add_page", "library.add_report", "library.login", "library.logout",
                      "library.remove_page", "library.remove_report"}

STATUS_MESSAGES = {
    400: "请求有误 / bad request",
    403: "禁止访问 / forbidden",
    404: "页面不存在 / not found",
    405: "不支持这种请求方法 / method not allowed",
    406: "无法提供所要求的格式 / not acceptable",
    413: "请求太大 / request too large",
    415: "不支持的请求格式 / unsupported media type",
    429: "请求太多，请稍后再试 / too many requests",
    431: "请求头太大 / request header fields too large",
    500: "服务器内部错误 / internal server error",
    503: "服务暂时不可用，请稍后再试 / service unavailable",
}


def _setting(settings: dict, key: str):
    if settings.get(key) is not None:
        return settings[key]
    env = ENV.get(key)
    if env and os.environ.get(env):
        return os.environ[env]
    return None


def _prewarm(app: Flask, hub: StoreHub, pool, remote: bool) -> None:
    """The question catalogue (read from the store's index file: a fraction of a second; built
    first when the store has none), so that the first question does not wait for it, then two
    idle workers (one bad query never delays the next; with an external store, two checkers),
    whose start would otherwise take the CPUs the first question needs; then the counts of
    /api/stats, and the question index's rows into memory (when they fit its cache)."""
    from ..qa.catalog import get_catalog

    try:
        get_catalog(Reader(hub))
    except Exception:                                    # noqa: BLE001 - the first question retries
        app.logger.exception("building the question catalogue at start-up")
    pool.warm(2)
    try:
        hub.cached("stats", data.stats)                  # the counts of /api/stats and the home page
    except Exception:                                    # noqa: BLE001 - the first request counts again
        app.logger.exception("counting the store at start-up")
    try:
        warm = getattr(get_catalog(Reader(hub)).index, "warm", None)
        if warm is not None and warm():                  # the index file's rows, into memory when they fit
            # they stay for the life of the process: out of the garbage collector's full passes,
            # which would walk all their objects (pauses of 0.3–0.4 s at 1,000 reports)
            gc.collect()
            gc.freeze()
    except Exception:                                    # noqa: BLE001 - questions read their rows themselves
        app.logger.exception("reading the question index at start-up")


def create_app(settings: dict | None = None) -> Flask:
    settings = dict(settings or {})
    folder = web_dir()
    app = Flask("kg.web", template_folder=str(folder / "templates"), static_folder=str(folder / "static"),
                static_url_path="/static")
    app.config.update(DEFAULTS)
    app.config.update({k: v for k, v in settings.items() if v is not None})
    for key in ENV:
        v = _setting(settings, key)
        if v is not None:
            app.config[key] = v
    app.config["STORE"] = str(settings.get("STORE") or default_store())
    app.config["CORPUS"] = str(settings.get("CORPUS") or default_corpus())
    app.config["QUERY_TIMEOUT"] = float(app.config["QUERY_TIMEOUT"])
    for key in ("MAX_ROWS", "MAX_UPLOAD_BYTES", "MAX_QUERY_BYTES", "MAX_RESULT_BYTES", "MAX_NESTING",
                "WORKER_MEMORY_MB", "LOGIN_ATTEMPTS"):
        try:
            app.config[key] = int(app.config[key])
        except (TypeError, ValueError):
            raise security.SettingsError(f"{key} must be a whole number, not {app.config[key]!r}") from None
    if app.config["QUEUE_WAIT"] is None:
        app.config["QUEUE_WAIT"] = app.config["QUERY_TIMEOUT"]
    app.config["WRITE_TOKEN"] = security.check_token_setting(app.config.get("WRITE_TOKEN"))
    app.secret_key = app.config.get("SECRET_KEY") or secrets.token_bytes(32)
    app.config.update(
        SESSION_COOKIE_NAME="kg_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        MAX_CONTENT_LENGTH=app.config["MAX_QUERY_BYTES"],
        MAX_FORM_MEMORY_SIZE=app.config["MAX_QUERY_BYTES"],
    )
    app.json = KgJSONProvider(app)
    app.url_map.strict_slashes = False

    remote = is_remote(app.config["STORE"])
    hub = StoreHub(app.config["STORE"], check_interval=float(app.config["CHECK_INTERVAL"]),
                   remote_timeout=float(app.config["REMOTE_TIMEOUT"]))
    if remote:
        from .remote_pool import RemoteQueryPool
        pool = RemoteQueryPool(app.config["STORE"], size=int(app.config["WORKERS"]),
                               max_bytes=app.config["MAX_RESULT_BYTES"],
                               graphs=lambda: sorted(hub.cached("graphs", lambda st: set(st.graphs()))),
                               spare=app.config["SPARE_WORKERS"], client_queue=app.config["CLIENT_QUEUE"])
    else:
        pool = QueryPool(app.config["STORE"], size=int(app.config["WORKERS"]),
                         memory_mb=app.config["WORKER_MEMORY_MB"], spare=app.config["SPARE_WORKERS"],
                         client_queue=app.config["CLIENT_QUEUE"])
    app.extensions["kg"] = KgState(hub, pool, dict(app.config))
    app.extensions["kg-login-limiter"] = security.LoginLimiter(app.config["LOGIN_ATTEMPTS"],
                                                               float(app.config["LOGIN_WINDOW"]))
    atexit.register(pool.close)
    if app.config["PREWARM"]:
        threading.Thread(target=_prewarm, args=(app, hub, pool, remote), daemon=True, name="kg-prewarm").start()

    inputs.install(app)             # route converters and the input check, before any route exists
    from .blueprints import api, ask, documents, entities, export, graph, library, quality, sparql
    for bp in (ask.bp, sparql.bp, documents.bp, entities.bp, graph.bp, quality.bp, export.bp, api.bp, library.bp):
        app.register_blueprint(bp)

    app.wsgi_app = JsonSuffix(CsvSuffix(app.wsgi_app))

    @app.context_processor
    def _globals():
        return {"nav": NAV, "iri_url": data.iri_url, "doc_url": data.doc_url, "fmt_num": data.fmt_num,
                "short": data.short, "chart": charts.render, "qualifiers": data.QUALIFIERS,
                "json_url": json_url, "quote": lambda s: quote(str(s), safe=""), "prefixes": PREFIXES,
                "kinds": data.ENTITY_KINDS, "settings": app.config, "is_writer": security.is_writer,
                "remote_store": remote}

    @app.before_request
    def _limits():
        """Uploads may be MAX_UPLOAD_BYTES; every other body, and every query string, MAX_QUERY_BYTES."""
        CLIENT.set(request.remote_addr or "")       # whose queue a SPARQL query waits in (kg.web.fairness)
        limit = app.config["MAX_UPLOAD_BYTES"] if request.endpoint in UPLOAD_ENDPOINTS else app.config["MAX_QUERY_BYTES"]
        request.max_content_length = limit
        request.max_form_memory_size = limit
        if len(request.environ.get("QUERY_STRING", "")) > app.config["MAX_QUERY_BYTES"]:
            raise RequestEntityTooLarge()
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge()

    @app.after_request
    def _headers(resp):
        h = resp.headers
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        h["X-Frame-Options"] = "DENY"
        h["Content-Security-Policy"] = CSP
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if request.endpoint in NO_STORE_ENDPOINTS or resp.status_code in (401, 403, 429):
            h["Cache-Control"] = "no-store"
        if request.path.startswith(CORS_PREFIXES) or request.environ.get("kg.json") or resp.mimetype == "application/json":
            h["Access-Control-Allow-Origin"] = "*"
            h["Access-Control-Expose-Headers"] = ("X-Result-Truncated, X-Result-Row-Limit, X-Result-Rows, "
                                                  "X-Query-Time")
        return resp

    def _error_response(status: int, message: str, api_json: bool = False):
        if request.path.startswith("/sparql"):
            from .blueprints.sparql import text_response
            return text_response(status, message)
        if api_json and request.path.startswith("/api/"):     # as the API's views answer their own 400s
            from flask import jsonify
            resp = jsonify({"error": message, "status": status})
            resp.status_code = status
            return resp
        return error(status, message)

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):
        status = e.code or 500
        message = getattr(e, "kg_message", None) or STATUS_MESSAGES.get(status, f"{status} {e.name}")
        if status == 405:
            message = f"不支持 {request.method} 方法 / method {request.method} not allowed"
        elif status == 413:
            limit = request.max_content_length if request.endpoint in UPLOAD_ENDPOINTS else app.config["MAX_QUERY_BYTES"]
            what = "上传的文件" if request.endpoint in UPLOAD_ENDPOINTS else "请求（查询）"
            message = (f"{what}太大：最多 {limit} 字节。 / Request too large: at most {limit} bytes "
                       f"({'MAX_UPLOAD_BYTES' if request.endpoint in UPLOAD_ENDPOINTS else 'MAX_QUERY_BYTES'}).")
        resp = _error_response(status, message, api_json=isinstance(e, inputs.InputError))
        if isinstance(e, HTTPException) and status == 405:
            from flask import make_response
            resp = make_response(resp)
            allowed = e.valid_methods if hasattr(e, "valid_methods") and e.valid_methods else None
            if allowed:
                resp.headers["Allow"] = ", ".join(allowed)
        return resp

    @app.errorhandler(StoreError)
    def _store_error(e: StoreError):
        log.warning("store error on %s: %s", request.path, e)
        return _error_response(503, "数据库暂时不可用，请稍后再试。 / The store is unavailable right now; try again "
                                    "shortly.")

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        if isinstance(e, HTTPException):
            return _http_error(e)
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _error_response(500, STATUS_MESSAGES[500] + "（详情见服务器日志 / details in the server's log）")

    return app
