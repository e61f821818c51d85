"""The ``.csv`` twin of every data page (beside its ``.json``): ``/documents.csv``,
``/documents/<doc>.csv``, ``/id/place/<name>.csv``, ``/indicators.csv`` … hold the table the page
shows, as UTF-8 CSV (``?bom=1`` puts a byte-order mark first, for Excel)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from urllib.parse import quote

from flask import Response, request

CSV_TYPE = "text/csv; charset=utf-8"


class CsvSuffix:
    """WSGI middleware: ``/any/page.csv`` is ``/any/page`` asked for as CSV."""

    SKIP = ("/static/", "/export/", "/sparql", "/api/")

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.endswith(".csv") and len(path) > 4 and not path.startswith(self.SKIP):
            environ["PATH_INFO"] = path[:-4].rstrip("/") or "/"
            environ["kg.csv"] = True
        return self.app(environ, start_response)


def wants_csv() -> bool:
    if request.environ.get("kg.csv"):
        return True
    accept = request.headers.get("Accept", "")
    return "text/csv" in accept and request.accept_mimetypes.best_match(["text/html", "text/csv"]) == "text/csv"


def cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        v = v.normalize()
        return format(v, "f")
    if isinstance(v, float):
        return repr(v) if v != int(v) else str(int(v))
    if isinstance(v, (list, tuple, set)):
        return "; ".join(cell(x) for x in v)
    return str(v)


def to_csv(columns: list[str], rows: list[dict], bom: bool = False) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([cell(r.get(c)) for c in columns])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def table_response(name: str, columns: list[str], rows: list[dict], status: int = 200) -> Response:
    """``rows`` (dicts) as a CSV download named ``name``.csv, with the columns in this order."""
    bom = request.args.get("bom") in ("1", "true", "yes")
    resp = Response(to_csv(columns, rows, bom), status=status)
    resp.headers["Content-Type"] = CSV_TYPE
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in name) or "table"
    resp.headers["Content-Disposition"] = (f'attachment; filename="{ascii_name}.csv"; '
                                           f"filename*=UTF-8''{quote(name, safe='')}.csv")
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


FACT_COLUMNS = ["observation", "indicator", "indicator_label", "breakdown_label", "place", "period", "start_year",
                "end_year", "value", "unit", "base_value", "base_unit", "qualifier", "kind", "doc", "source_url"]
