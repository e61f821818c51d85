"""The editor page's parts that are not the endpoint: a result term as a table cell (numbers
marked for sorting and charts), where the endpoint's syntax error is, and the editor's bundle."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from . import data
from .paths import web_dir


def cell(term: dict | None) -> dict:
    if term is None:
        return {"text": ""}
    if term["type"] == "uri":
        return {"iri": term["value"], "text": data.short(term["value"]), "url": data.iri_url(term["value"])}
    if term["type"] == "bnode":
        return {"text": "_:" + term["value"]}
    if term["type"] == "triple":
        v = term["value"]
        return {"text": "<< " + " ".join(cell(v[k])["text"] for k in ("subject", "predicate", "object")) + " >>"}
    val = term["value"]
    note = "@" + term["xml:lang"] if "xml:lang" in term else (data.short(term["datatype"]) if "datatype" in term else "")
    cell = {"text": val, "note": note, "literal": True}
    if term.get("datatype", "").startswith(XSD) and term["datatype"][len(XSD):] in NUMERIC_TYPES:
        cell["num"] = val
    return cell


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC_TYPES = {"integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
                 "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                 "unsignedShort", "unsignedByte"}
ERROR_AT = re.compile(r"(?:error at |第 ?)(\d+):(\d+)")


def error_position(message: str) -> tuple[int, int] | None:
    """(line, column), both from 1, of a syntax error as the endpoint reports it."""
    m = ERROR_AT.search(message or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


@lru_cache(maxsize=1)
def editor_bundle() -> str:
    """The SPARQL editor's bundle in web/static/vendor/ (its file name carries its version)."""
    try:
        manifest = json.loads((web_dir() / "static" / "vendor" / "manifest.json").read_text(encoding="utf-8"))
        return "vendor/" + manifest["editor"]["file"]
    except (OSError, KeyError, ValueError):
        return ""
