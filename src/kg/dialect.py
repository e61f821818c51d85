"""What differs between SPARQL servers, in one place: kg.remote asks its store's dialect, and
nothing else in kg knows which server it talks to.

kg speaks the standard protocols (SPARQL 1.1 Query, Update, Graph Store); a dialect says how a
server departs from them and how kg gets around it. Three are known:

- ``oxigraph`` (Oxigraph server): the protocols as written. One update request is one
  transaction, so a document's graph and the union are replaced together by one request.
- ``virtuoso`` (OpenLink Virtuoso 7.2, tested with Debian's 7.2.5):

  * an update request is not a transaction (the endpoint commits operation by operation), and
    its compiler gives up on an ``INSERT DATA`` of more than about 5,000 triples (SP030 memory
    exhausted) and refuses blank nodes in it (SP031). So graphs are written through its Graph
    Store endpoint, ``/sparql-graph-crud`` beside ``/sparql`` (``PUT`` of N-Triples), after
    one update has emptied them and taken their triples out of the union, and before one
    that adds them to the union (``INSERT … WHERE`` on the server);
  * updates need the ``SPARQL_UPDATE`` role for the user ``SPARQL`` (error SR186 otherwise);
    kg says so;
  * results are cut at ``ResultSetMaxRows`` (virtuoso.ini ``[SPARQL]``, 10,000 by default)
    with only an ``X-SPARQL-MaxRows`` header to say so, and a query past its time limit may
    answer a part (``X-SQL-State``): kg's reads of whole graphs page through such a cut,
    every other query that was cut fails (StoreError) instead of answering from a part;
  * its SPARQL XML results write a literal's leading and trailing white space as is, which
    pyoxigraph's parser drops (a report's text begins with line breaks): it is rewritten as
    character references. kg asks for XML, which Virtuoso writes five times faster than JSON;
    its JSON (which kg.web asks for) gives booleans as ``1``/``0``: rewritten as ``true``/
    ``false``. In both, blank nodes are labelled ``nodeID://b1234``, which is no blank node
    label: rewritten as ``b1234``;
  * a query POSTed directly (``application/sparql-query``) is never answered (the server spins
    until the client gives up): kg.remote sends every query form-encoded, whatever the server;
  * a trailing ``VALUES`` block fails when its variables are not projected (SQ200 No column):
    the values of a prepared query go at the start of its WHERE clause instead, which binds
    them as the embedded store's substitutions do.
- ``sparql``: any other server (Fuseki, GraphDB, …), taken to follow the protocols.

The dialect comes from the store location's fragment (``http://host:8890/sparql#virtuoso``:
a fragment is never sent to the server), else from the ``Server`` header of the server's
answer to ``ASK {}`` (:func:`from_server`).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"


@dataclass(frozen=True)
class Dialect:
    name: str
    accept: str                     # the media types asked for query results, best first
    graph_store: str | None = None  # Graph Store endpoint's path on the server: write through it
    atomic: bool = True             # one update request is one transaction
    values_inside: bool = False     # prepared values go inside the WHERE clause, not after the query

    def bind(self, sparql: str, values: str) -> str:
        """``sparql`` with the ``VALUES`` block ``values``: after the query, or where the
        server needs it, first in its WHERE clause (when that can be found)."""
        if self.values_inside and (at := where_body(sparql)) is not None:
            return f"{sparql[:at]} {values} {sparql[at:]}"
        return f"{sparql}\n{values}"

    def graph_store_url(self, query_url: str) -> str | None:
        if self.graph_store is None:
            return None
        parts = urllib.parse.urlsplit(query_url)
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, self.graph_store, "", ""))

    def results(self, ctype: str, body: bytes) -> bytes:
        """A result document as kg's parsers read it."""
        if self.name != "virtuoso":
            return body
        if ctype in (RESULTS_JSON, "application/json"):
            if b"nodeID://" in body:
                body = _JSON_BNODE.sub(rb"\1", body)
            if _BOOLEAN in body:
                body = _JSON_BOOLEAN.sub(lambda m: m[1] + (b"true\"" if m[2] == b"1" else b"false\""), body)
        elif ctype in (RESULTS_XML, "application/xml"):
            body = _XML_LITERAL.sub(_space_as_references, body.replace(b"<bnode>nodeID://", b"<bnode>"))
        return body

    def cut(self, headers: Mapping[str, str]) -> int | None:
        """The row count a result was cut at (0: cut at a time limit); None when whole."""
        if self.name != "virtuoso":
            return None
        if (headers.get("X-SQL-State") or "").strip():
            return 0
        rows = (headers.get("X-SPARQL-MaxRows") or "").strip()
        return int(rows) if rows.isdigit() else None

    def explain(self, detail: str) -> str:
        """What to do about an error the server gave (appended to the error message)."""
        if self.name == "virtuoso" and ("SR186" in detail or "SR619" in detail or "No permission" in detail):
            return (" Virtuoso refused to let the SPARQL user write: give it the SPARQL_UPDATE role "
                    "(in isql as dba: GRANT SPARQL_UPDATE TO \"SPARQL\";).")
        return ""


_JSON_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_XML_LITERAL = re.compile(rb"(<literal[^>]*>)([^<]*)(</literal>)")
_BOOLEAN = b"http://www.w3.org/2001/XMLSchema#boolean"
_JSON_BOOLEAN = re.compile(rb'("datatype"\s*:\s*"' + re.escape(_BOOLEAN) + rb'"\s*,\s*"value"\s*:\s*")([01])"')

def _space_as_references(m: re.Match) -> bytes:
    text = m[2]
    core = text.strip(b" \t\r\n")
    if core == text:
        return m[0]
    lead = text[: len(text) - len(text.lstrip(b" \t\r\n"))]
    trail = text[len(lead) + len(core):]
    refs = (lambda ws: b"".join(b"&#%d;" % c for c in ws))
    return m[1] + refs(lead) + core + refs(trail) + m[3]


_TOKENS = re.compile(r"""
    (?P<skip> \#[^\n]*                                   # a comment
       | <[^<>"{}|^`\\\s]*>                             # an IRI
       | '\'\'(?:[^\\]|\\.)*?'\'\' | \"\"\"(?:[^\\]|\\.)*?\"\"\"   # long strings
       | '(?:[^'\\\n]|\\.)*' | "(?:[^"\\\n]|\\.)*" )      # strings
  | (?P<open>\{) | (?P<close>\}) | (?P<word>[A-Za-z_]\w*)
""", re.X)


def where_body(sparql: str) -> int | None:
    """Where the body of a query's WHERE clause begins (just after its ``{``), or None when the
    query has none, or it is a sub-select."""
    depth, where, first = 0, False, None
    for m in _TOKENS.finditer(sparql):
        if m["open"]:
            if depth == 0:
                if where or first is None:
                    first = m.end()
                if where:
                    break
            depth += 1
        elif m["close"]:
            depth -= 1
        elif m["word"] and depth == 0 and m["word"].upper() == "WHERE":
            where, first = True, None
    if first is None or re.match(r"\s*SELECT\b", sparql[first:], re.I):
        return None
    return first


OXIGRAPH = Dialect("oxigraph", f"{RESULTS_JSON}, application/n-triples;q=0.9")
VIRTUOSO = Dialect("virtuoso", f"{RESULTS_XML}, application/n-triples;q=0.9", graph_store="/sparql-graph-crud",
                   atomic=False, values_inside=True)
SPARQL = Dialect("sparql", f"{RESULTS_JSON}, application/n-triples;q=0.9")
DIALECTS = {d.name: d for d in (OXIGRAPH, VIRTUOSO, SPARQL)}


def named(url: str) -> Dialect | None:
    """The dialect a store location names in its fragment (``…#virtuoso``), if any; ValueError
    for an unknown name."""
    fragment = urllib.parse.urldefrag(url)[1]
    if not fragment:
        return None
    if fragment not in DIALECTS:
        raise ValueError(f"unknown SPARQL server kind #{fragment} in {url}: use one of "
                         + ", ".join(f"#{n}" for n in DIALECTS))
    return DIALECTS[fragment]


def from_server(server_header: str | None) -> Dialect:
    """The dialect of a server by its ``Server`` header."""
    name = (server_header or "").split("/")[0].strip().lower()
    return {"virtuoso": VIRTUOSO, "oxigraph": OXIGRAPH}.get(name, SPARQL)
