"""Query results as the SPARQL 1.1 result formats (JSON, XML, CSV, TSV) and RDF formats, with a
row cap: the serialisers here take a list of rows (already cut to the cap) so that a truncated
result is still a well-formed document, and say so inside it where the format has room for a
note (JSON: a top-level ``"truncated"``; XML, Turtle, N-Triples: a comment).
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# name → (media type sent, pyoxigraph format or None)
SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_FORMATS = {
    "ttl": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    "n3": ("text/n3; charset=utf-8", ox.RdfFormat.N3),
}
EXTENSIONS = {"json": "srj", "xml": "srx", "csv": "csv", "tsv": "tsv",
              "ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "rdfxml": "rdf", "n3": "n3"}


def truncation_note(limit: int) -> str:
    return (f"结果超过 {limit} 行上限，只返回前 {limit} 行。/ Result truncated to the first {limit} rows "
            "(the server's row limit); add LIMIT/OFFSET to page through it.")


# ---------------------------------------------------------------------- terms
def term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value not in (XSD_STRING, RDF_LANGSTRING):
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(t.subject), "predicate": term_json(t.predicate),
                                            "object": term_json(t.object)}}
    return {"type": "literal", "value": str(t)}


_WS = {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def _x(text: str) -> str:
    """XML text with whitespace as character references (so that parsers cannot trim it)."""
    return escape(text, _WS)


def _term_xml(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{_x(t.value)}</literal>"
        if t.datatype.value not in (XSD_STRING, RDF_LANGSTRING):
            return f"<literal datatype={quoteattr(t.datatype.value)}>{_x(t.value)}</literal>"
        return f"<literal>{_x(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_term_xml(t.subject)}</subject><predicate>{_term_xml(t.predicate)}</predicate>"
                f"<object>{_term_xml(t.object)}</object></triple>")
    return f"<literal>{escape(str(t))}</literal>"


def _term_csv(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def _term_tsv(t) -> str:
    if t is None:
        return ""
    return str(t).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# ---------------------------------------------------------------------- solutions
def solutions(variables: list[str], rows: list[list], fmt: str, truncated_at: int | None = None) -> bytes:
    """Serialise SELECT rows (lists of pyoxigraph terms or None, in ``variables`` order)."""
    if fmt == "json":
        bindings = [{v: term_json(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated_at is not None:
            doc["truncated"] = True
            doc["limit"] = truncated_at
            doc["note"] = truncation_note(truncated_at)
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="utf-8"?>\n']
        if truncated_at is not None:
            out.append(f"<!-- {escape(truncation_note(truncated_at))} -->\n")
        out.append('<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
        out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out.extend(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                       for v, t in zip(variables, row) if t is not None)
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        w.writerows([_term_csv(t) for t in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines.extend("\t".join(_term_tsv(t) for t in row) for row in rows)
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": bool(value)}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return (("_askResult\r\n" if fmt == "csv" else "?_askResult\n")
                + ("true" if value else "false") + ("\r\n" if fmt == "csv" else "\n")).encode()
    raise ValueError(f"unknown results format {fmt!r}")


# ---------------------------------------------------------------------- graphs
def triples(items: list, fmt: str, truncated_at: int | None = None) -> bytes:
    _, rdf_format = GRAPH_FORMATS[fmt]
    prefixes = PREFIXES if fmt in ("ttl", "n3", "rdfxml") else None
    body = ox.serialize(items, format=rdf_format, prefixes=prefixes) if prefixes else \
        ox.serialize(items, format=rdf_format)
    if body is None:
        body = b""
    if truncated_at is not None and fmt in ("ttl", "nt", "n3"):
        body = f"# {truncation_note(truncated_at)}\n".encode("utf-8") + body
    return body
