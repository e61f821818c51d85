"""Downloads of the whole graph (kg.export.export): Turtle, N-Triples, JSON-LD, TriG, tidy CSV,
GraphML. Each is built once per store generation and kept in memory."""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from ..common import error, kg, respond

bp = Blueprint("export", __name__)

FORMATS = {
    # fmt: (file extension, media type, Chinese description)
    "ttl": ("ttl", "text/turtle; charset=utf-8", "Turtle：整个图（各命名图合并）"),
    "nt": ("nt", "application/n-triples", "N-Triples：每行一个三元组"),
    "jsonld": ("jsonld", "application/ld+json", "JSON-LD：含命名图"),
    "trig": ("trig", "application/trig", "TriG：保留每个文档的命名图"),
    "csv": ("csv", "text/csv; charset=utf-8", "整洁 CSV：每行一条事实，带出处（?bom=1 加 BOM，便于 Excel 打开）"),
    "graphml": ("graphml", "application/graphml+xml", "GraphML：实体关系图（Gephi 等）"),
}
EXT = {v[0]: k for k, v in FORMATS.items()}


@bp.route("/export")
def index():
    items = [{"format": f, "file": f"kg.{ext}", "media_type": mt, "description": desc,
              "url": url_for("export.download", filename=f"kg.{ext}")} for f, (ext, mt, desc) in FORMATS.items()]
    return respond("export.html", {"formats": items})


@bp.route("/export/<filename>")
def download(filename: str):
    stem, _, ext = filename.rpartition(".")
    fmt = EXT.get(ext)
    if not stem or fmt is None:
        return error(404, f"没有这种导出格式：{filename} / unknown export; choose one of "
                          + ", ".join(f"kg.{v[0]}" for v in FORMATS.values()))
    bom = fmt == "csv" and request.args.get("bom") in ("1", "true", "yes")

    def compute(store):
        from ...export import export
        return export(store, fmt, bom=bom)

    body = kg().hub.cached(f"export:{fmt}:{bom}", compute)
    resp = Response(body, status=200)
    resp.headers["Content-Type"] = FORMATS[fmt][1]
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
