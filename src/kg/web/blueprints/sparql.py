"""The SPARQL 1.1 Protocol endpoint (``/sparql``) and the query editor (``/query``).

Read-only. See docs/web.md for the behaviour in full: operations, content negotiation, the
dataset parameters, the time limit and the row cap, and what is refused.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for

from ...namespaces import ONTOLOGY_GRAPH
from .. import editor_page, guard, results
from ..common import kg, setting
from ..examples import DEFAULT_QUERY, QUERIES
from ..pool import Job, PoolBusy, QueryTimeout, WorkerFailed
from ..security import scrub

bp = Blueprint("sparql", __name__)

# media type → format key, in order of preference for ties
SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl", "application/x-turtle": "ttl", "application/turtle": "ttl",
    "application/n-triples": "nt", "text/plain": "nt",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
    "text/n3": "n3", "text/rdf+n3": "n3",
}
# values of the ?format= parameter (as SPARQLWrapper, Virtuoso and others send it)
FORMAT_NAMES = {
    "json": ("json", "jsonld"), "srj": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "srx": ("xml", "rdfxml"),
    "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "ttl"), "ttl": (None, "ttl"), "n3": (None, "n3"), "nt": (None, "nt"),
    "ntriples": (None, "nt"), "n-triples": (None, "nt"), "json-ld": (None, "jsonld"), "jsonld": (None, "jsonld"),
    "rdf+xml": (None, "rdfxml"), "rdfxml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
}

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def text_response(status: int, message: str, headers: dict | None = None) -> Response:
    resp = Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")
    resp.headers["Content-Type"] = "text/plain; charset=utf-8"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def endpoint_url() -> str:
    return request.base_url.rstrip("/") if request.path.rstrip("/") == "/sparql" else request.url_root + "sparql"


def known_graphs() -> set[str]:
    return kg().hub.cached("graphs", lambda store: set(store.graphs()))


# ---------------------------------------------------------------------- request parsing
def read_request() -> tuple[list[str], list[str], list[str]]:
    """The protocol request's query strings, default-graph-uri and named-graph-uri values."""
    args = request.args
    if "update" in args or (request.method == "POST" and "update" in (request.form if request.mimetype ==
                                                                      "application/x-www-form-urlencoded" else {})):
        raise ProtocolError(403, str(guard.update_refusal()))     # refused unread: no parsing here
    dg, ng = args.getlist("default-graph-uri"), args.getlist("named-graph-uri")
    if request.method == "GET":
        return args.getlist("query"), dg, ng
    ctype = (request.mimetype or "").lower()
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"只接受 UTF-8 编码，而不是 {charset} / only UTF-8 request bodies are accepted, not {charset}")
    if ctype == "application/x-www-form-urlencoded":
        try:
            request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "请求体不是合法的 UTF-8 / the request body is not valid UTF-8") from None
        form = request.form
        return args.getlist("query") + form.getlist("query"), dg + form.getlist("default-graph-uri"), \
            ng + form.getlist("named-graph-uri")
    if ctype == "application/sparql-query":
        raw = request.get_data()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "请求体不是合法的 UTF-8 / the request body is not valid UTF-8") from None
        if text.startswith("\ufeff"):
            text = text[1:]
        return [text] + args.getlist("query"), dg, ng
    if ctype == "application/sparql-update":
        raise ProtocolError(403, str(guard.update_refusal()))
    if not ctype:
        raise ProtocolError(415, "POST 请求缺少 Content-Type：应为 application/x-www-form-urlencoded 或 "
                                 "application/sparql-query / a POST needs a Content-Type: "
                                 "application/x-www-form-urlencoded or application/sparql-query")
    raise ProtocolError(415, f"不支持的 Content-Type {ctype}：应为 application/x-www-form-urlencoded 或 "
                             f"application/sparql-query / unsupported media type {ctype}")


def choose_format(returns_graph: bool) -> str | None:
    """The result format key from ?format= or the Accept header (None: nothing acceptable)."""
    types = GRAPH_TYPES if returns_graph else SOLUTION_TYPES
    for value in request.values.getlist("format"):
        v = value.strip().lower()
        if v in FORMAT_NAMES and FORMAT_NAMES[v][1 if returns_graph else 0]:
            return FORMAT_NAMES[v][1 if returns_graph else 0]
        if v.split(";")[0] in types:
            return types[v.split(";")[0]]
    if not request.headers.get("Accept", "").strip():
        return "ttl" if returns_graph else "json"
    best = request.accept_mimetypes.best_match(list(types))
    return types[best] if best else None


def browser_wants_html() -> bool:
    """A browser following a /sparql?query= link (Accept prefers text/html, no ?format=)."""
    if request.method != "GET" or request.args.get("format"):
        return False
    accept = request.accept_mimetypes
    if not request.headers.get("Accept") or not accept["text/html"]:
        return False
    best = accept.best_match(["text/html"] + list(SOLUTION_TYPES) + list(GRAPH_TYPES))
    return best == "text/html" and accept["text/html"] > accept["application/sparql-results+json"]


def build_job(query: str, dg: list[str], ng: list[str], fmt: str | None, graph_fmt: str | None) -> Job:
    """The job for a pool; its worker checks the query (guard.analyse, under the time limit) and
    picks ``fmt`` (SELECT, ASK) or ``graph_fmt`` (CONSTRUCT, DESCRIBE) by what it is."""
    st = kg()
    protocol_dataset = bool(dg or ng)
    return Job(query=query, fmt=fmt or "", graph_fmt=graph_fmt or "", max_rows=int(setting("MAX_ROWS")),
               base_iri=endpoint_url(), default_graphs=dg if protocol_dataset else None,
               named_graphs=ng if protocol_dataset else None, generation=st.hub.generation,
               max_bytes=int(setting("MAX_RESULT_BYTES")), analyse=True, max_nesting=int(setting("MAX_NESTING")))


def run(query: str, dg: list[str], ng: list[str], fmt_for) -> tuple:
    """Check and run a query; ``fmt_for(returns_graph)`` picks the format. Returns (outcome, analysis).

    The request thread only screens the text (guard.screen: size cap, control characters,
    SERVICE; no parsing); the worker parses it (guard.analyse) under the query's time limit."""
    st = kg()
    guard.screen(query, int(setting("MAX_QUERY_BYTES")))
    st.hub.store     # notice new data (reopens when the folder changed) before checking graph names
    graphs = known_graphs()
    guard.check_graphs(dg, graphs, "default-graph-uri")
    guard.check_graphs(ng, graphs, "named-graph-uri")
    formats = {}
    for returns_graph in (False, True):
        try:
            formats[returns_graph] = fmt_for(returns_graph)
        except ProtocolError:
            formats[returns_graph] = None
    out = st.pool.run(build_job(query, dg, ng, formats[False], formats[True]),
                      timeout=float(setting("QUERY_TIMEOUT")), queue_wait=float(setting("QUEUE_WAIT")))
    analysis = out.extra.get("analysis")
    if out.error == "refused":
        raise guard.Refused(out.message, out.extra.get("kind", "forbidden"))
    if out.error == "bad-request":
        raise guard.BadRequest(out.message)
    if out.error == "not-acceptable":
        fmt_for(analysis.returns_graph)          # raises the 406 with the formats it could give
    return out, analysis


def failure(out) -> tuple[int, str]:
    """Status and message for a query that did not give a result (never a path or a host name)."""
    if out.error == "syntax":
        return 400, f"SPARQL 语法错误 / SPARQL syntax error: {scrub(out.message)}"
    if out.error == "bad-result":
        return 400, f"结果含有 XML 无法表示的控制字符，请改用 JSON、CSV 或 Turtle。 / {scrub(out.message)}"
    if out.error == "too-large":
        return 400, (f"结果太大（{scrub(out.message)}）；请加 LIMIT 或选更少的变量。 / The result is too large "
                     f"({scrub(out.message)}); add a LIMIT or select fewer variables.")
    if out.error == "store":
        current_app.logger.warning("SPARQL worker: %s", out.message)
        return 503, "无法读取数据库，请稍后再试 / the store cannot be read right now; try again shortly"
    if out.error in ("unreachable", "remote"):
        current_app.logger.warning("SPARQL server: %s", out.message)
        return 502, ("SPARQL 服务器没有给出可用的回答，请稍后再试 / the SPARQL server behind this endpoint gave no "
                     f"usable answer ({scrub(out.message)}); try again shortly")
    return 400, f"查询失败 / query failed: {scrub(out.message)}"


def worker_failed(e: WorkerFailed) -> tuple[int, str]:
    if e.limit:
        mb = setting("WORKER_MEMORY_MB")
        return 503, (f"查询超出内存上限（{mb} MB），已被终止。请缩小查询范围。 / Query stopped: it needed more than the "
                     f"{mb} MB of memory a query may use. Narrow it down.")
    current_app.logger.warning("SPARQL worker died: %s", e)
    return 500, "查询进程异常退出，已替换 / the query worker died; it was replaced"


def timeout_message() -> str:
    t = setting("QUERY_TIMEOUT")
    return (f"查询超过 {t:g} 秒的时间上限，已被终止。请缩小查询范围（加 LIMIT、更具体的条件）。"
            f" / Query stopped: it ran past the {t:g} s time limit. Narrow it down (LIMIT, more specific patterns).")


# ---------------------------------------------------------------------- the endpoint
@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":
        resp = Response(status=204)
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        resp.headers["Access-Control-Max-Age"] = "86400"
        resp.headers["Allow"] = "GET, POST, OPTIONS"
        return resp
    try:
        queries, dg, ng = read_request()
    except ProtocolError as e:
        return text_response(e.status, e.message, e.headers)
    if not queries:
        if request.method == "GET":
            return service_description()
        return text_response(400, "缺少 query 参数 / missing the query parameter")
    if len(queries) > 1:
        return text_response(400, "只能有一个 query 参数 / exactly one query parameter is allowed")
    query = queries[0]

    if browser_wants_html():
        params = [("query", query)] + [("default-graph-uri", g) for g in dg] + [("named-graph-uri", g) for g in ng]
        return redirect(url_for("sparql.editor") + "?" + urlencode(params), 303)

    def fmt_for(returns_graph: bool) -> str:
        fmt = choose_format(returns_graph)
        if fmt is None:
            raise ProtocolError(406, "无法提供所要求的格式 / none of the accepted media types can be produced; "
                                     "SELECT/ASK: " + ", ".join(dict.fromkeys(SOLUTION_TYPES)) +
                                     "; CONSTRUCT/DESCRIBE: " + ", ".join(dict.fromkeys(GRAPH_TYPES)))
        return fmt

    try:
        out, analysis = run(query, dg, ng, fmt_for)
    except ProtocolError as e:
        return text_response(e.status, e.message)
    except guard.Refused as e:
        return text_response(403, str(e))
    except guard.BadRequest as e:
        return text_response(400, str(e))
    except guard.TooLarge as e:
        return text_response(413, str(e))
    except QueryTimeout:
        return text_response(503, timeout_message(), {"X-Query-Timeout": f"{setting('QUERY_TIMEOUT'):g}"})
    except PoolBusy:
        return text_response(503, "服务器忙，请稍后再试 / all query workers are busy; try again shortly",
                             {"Retry-After": "2"})
    except WorkerFailed as e:
        return text_response(*worker_failed(e))
    if not out.ok:
        return text_response(*failure(out))
    resp = Response(out.body, status=200)
    resp.headers["Content-Type"] = out.content_type
    resp.headers["Vary"] = "Accept"
    resp.headers["X-Result-Rows"] = str(out.rows)
    resp.headers["X-Query-Time"] = f"{out.seconds * 1000:.1f}ms"
    if out.truncated:
        resp.headers["X-Result-Truncated"] = "true"
        resp.headers["X-Result-Row-Limit"] = str(setting("MAX_ROWS"))
    if request.values.get("download"):
        fmt_key = next((k for k, v in {**results.SOLUTION_FORMATS, **{k: v[0] for k, v in results.GRAPH_FORMATS.items()}}.items()
                        if v == out.content_type), "txt")
        resp.headers["Content-Disposition"] = f'attachment; filename="kg-query.{results.EXTENSIONS.get(fmt_key, "txt")}"'
    return resp


# ---------------------------------------------------------------------- service description
def graph_sizes() -> dict[str, int]:
    def compute(store):
        res = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union=False)
        return {row["g"].value: int(row["n"].value) for row in res}
    return kg().hub.cached("graph-sizes", compute)


def service_description() -> Response:
    accept = request.accept_mimetypes
    if request.headers.get("Accept") and accept.best_match(["text/html", "text/turtle"]) == "text/html" \
            and accept["text/html"] > accept["text/turtle"]:
        return redirect(url_for("sparql.editor"), 303)
    fmt = "ttl"
    for value in request.args.getlist("format"):
        fmt = FORMAT_NAMES.get(value.lower(), (None, fmt))[1] or fmt
    if not request.args.get("format") and request.headers.get("Accept"):
        best = accept.best_match(list(GRAPH_TYPES))
        fmt = GRAPH_TYPES.get(best or "", "ttl")
    N, B, L = ox.NamedNode, ox.BlankNode, ox.Literal
    RDF_TYPE = N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    DCT = "http://purl.org/dc/terms/"
    VOID = "http://rdfs.org/ns/void#"
    me = N(endpoint_url())
    t = []
    t.append(ox.Triple(me, RDF_TYPE, N(SD + "Service")))
    t.append(ox.Triple(me, N(SD + "endpoint"), me))
    t.append(ox.Triple(me, N(SD + "supportedLanguage"), N(SD + "SPARQL11Query")))
    t.append(ox.Triple(me, N(SD + "feature"), N(SD + "UnionDefaultGraph")))
    for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N3"):
        t.append(ox.Triple(me, N(SD + "resultFormat"), N(FORMATS_NS + f)))
    t.append(ox.Triple(me, N(DCT + "title"), L("扶贫知识图谱 SPARQL 端点", language="zh")))
    t.append(ox.Triple(me, N(DCT + "description"), L(
        f"Read-only SPARQL 1.1 Query endpoint. The default graph is the union of all named graphs. "
        f"Queries run at most {setting('QUERY_TIMEOUT'):g} s; results hold at most {setting('MAX_ROWS')} rows "
        f"(X-Result-Truncated: true says when cut). SPARQL Update, SERVICE, and FROM / default-graph-uri / "
        f"named-graph-uri of graphs not in the store are refused.", language="en")))
    ds, dflt = B("dataset"), B("default")
    sizes = graph_sizes()
    t.append(ox.Triple(me, N(SD + "defaultDataset"), ds))
    t.append(ox.Triple(ds, RDF_TYPE, N(SD + "Dataset")))
    t.append(ox.Triple(ds, N(SD + "defaultGraph"), dflt))
    t.append(ox.Triple(dflt, RDF_TYPE, N(SD + "Graph")))
    t.append(ox.Triple(dflt, N(VOID + "triples"), L(str(len(kg().store)), datatype=N("http://www.w3.org/2001/XMLSchema#integer"))))
    t.append(ox.Triple(dflt, N(DCT + "description"), L("union of all named graphs", language="en")))
    for i, g in enumerate(sorted(known_graphs())):
        ngn, gn = B(f"ng{i}"), B(f"g{i}")
        t.append(ox.Triple(ds, N(SD + "namedGraph"), ngn))
        t.append(ox.Triple(ngn, RDF_TYPE, N(SD + "NamedGraph")))
        t.append(ox.Triple(ngn, N(SD + "name"), N(g)))
        t.append(ox.Triple(ngn, N(SD + "graph"), gn))
        t.append(ox.Triple(gn, RDF_TYPE, N(SD + "Graph")))
        t.append(ox.Triple(gn, N(VOID + "triples"), L(str(sizes.get(g, 0)), datatype=N("http://www.w3.org/2001/XMLSchema#integer"))))
        if g == ONTOLOGY_GRAPH:
            t.append(ox.Triple(gn, N(DCT + "description"), L("本体、指标体系与计量单位", language="zh")))
    ctype, rdf_format = results.GRAPH_FORMATS[fmt]
    prefixes = {"sd": SD, "void": VOID, "dct": DCT, "formats": FORMATS_NS}
    body = ox.serialize(t, format=rdf_format, prefixes=prefixes) if fmt in ("ttl", "n3", "rdfxml") \
        else ox.serialize(t, format=rdf_format)
    resp = Response(body, status=200)
    resp.headers["Content-Type"] = ctype
    resp.headers["Vary"] = "Accept"
    return resp


# ---------------------------------------------------------------------- the editor
@bp.route("/query/vocabulary")
def vocabulary():
    """Prefixes, classes, properties and indicators of the graph, for the editor's completion."""
    from ..vocabulary import vocabulary as compute
    return jsonify(kg().hub.cached("vocabulary", compute))


@bp.route("/query", methods=["GET"])
def editor():
    query = request.args.get("query")
    dg, ng = request.args.getlist("default-graph-uri"), request.args.getlist("named-graph-uri")
    ctx = {"query": query if query is not None else DEFAULT_QUERY, "examples": QUERIES, "ran": query is not None,
           "dg": dg, "ng": ng, "display_limit": 1000, "editor_bundle": editor_page.editor_bundle()}
    if query is None or not query.strip():
        return render_template("sparql.html", **ctx)
    params = [("query", query)] + [("default-graph-uri", g) for g in dg] + [("named-graph-uri", g) for g in ng]
    ctx["permalink"] = url_for("sparql.editor") + "?" + urlencode(params)
    status = 200
    try:
        out, analysis = run(query, dg, ng, lambda returns_graph: "ttl" if returns_graph else "json")
    except guard.Refused as e:
        ctx["error"], status = str(e), 403
    except guard.BadRequest as e:
        ctx["error"], status = str(e), 400
        ctx["error_at"] = editor_page.error_position(str(e))
    except guard.TooLarge as e:
        ctx["error"], status = str(e), 413
    except QueryTimeout:
        ctx["error"], status = timeout_message(), 503
    except PoolBusy:
        ctx["error"], status = "服务器忙，请稍后再试 / all query workers are busy", 503
    except WorkerFailed as e:
        status, ctx["error"] = worker_failed(e)
    else:
        if not out.ok:
            status, ctx["error"] = failure(out)
            if out.error == "syntax":
                ctx["error_at"] = editor_page.error_position(out.message)
        else:
            ctx.update(form=out.form, rows_count=out.rows, truncated=out.truncated, seconds=out.seconds)
            downloads = (["ttl", "nt", "jsonld", "rdfxml"] if out.form == "CONSTRUCT" else ["csv", "tsv", "json", "xml"])
            ctx["downloads"] = [(f, url_for("sparql.endpoint") + "?" + urlencode(params + [("format", f), ("download", "1")]))
                                for f in downloads]
            if out.form == "SELECT":
                doc = json.loads(out.body)
                variables = doc["head"]["vars"]
                ctx["variables"] = variables
                ctx["rows"] = [[editor_page.cell(b.get(v)) for v in variables]
                               for b in doc["results"]["bindings"][: ctx["display_limit"]]]
            elif out.form == "ASK":
                ctx["boolean"] = json.loads(out.body)["boolean"]
            else:
                ctx["graph_text"] = out.body.decode("utf-8")
    return render_template("sparql.html", **ctx), status
