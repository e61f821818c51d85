"""An external SPARQL 1.1 server as the store: queries through the SPARQL Protocol, writes
through SPARQL 1.1 Update, so Oxigraph server, Apache Jena Fuseki, GraphDB, Virtuoso or QLever
can hold the graph.

Location forms (``--store`` or ``KG_STORE``):
- an Oxigraph server's base URL, ``http://127.0.0.1:7878``: queries go to ``/query``,
  updates to ``/update``;
- any server's query endpoint URL (ending in ``/query``, ``/sparql`` or another path), with the
  update endpoint in ``KG_UPDATE_URL`` (default: the same URL with ``/query`` → ``/update``).

As with the embedded store, kg keeps the set union of all graphs in its own graph
(kg.namespaces.UNION_GRAPH, maintained by the same updates) and names it as the default graph of
its queries (``default-graph-uri``, with every other graph as a ``named-graph-uri`` when the
query has a GRAPH clause), so no server setting is needed; ``GRAPH ?g`` patterns of its own
see kg's graphs only (a server may hold others: Virtuoso's system graphs). Bindings of
prepared queries are sent as a trailing ``VALUES`` block of serialised RDF terms: user text is
never pasted into query text. Requests go to the store location's host, port and path only:
redirects are not followed (a 3xx is an error saying so) and no proxy from the environment is
used.

How a server departs from the protocols, and how kg gets around it, is its dialect
(kg.dialect): named by the location's fragment (``…/sparql#virtuoso``) or found from the
server's ``Server`` header on first use.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from .dialect import OXIGRAPH, RESULTS_JSON, RESULTS_XML, Dialect, from_server, named
from .namespaces import GRAPH, ONTOLOGY_GRAPH, UNION_GRAPH
from .store_base import FORMATS, REBUILD_UNION, StoreError, python_value, replacement_update, term, union_insert

FORM = "application/x-www-form-urlencoded"
__all__ = ["RESULTS_JSON", "RemoteStore", "endpoints"]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None            # the 3xx is raised as an HTTPError instead of followed


# only the host, port and path of the store location: no redirect followed, no proxy from the
# environment (http_proxy) in between
_OPENER = urllib.request.build_opener(_NoRedirects, urllib.request.ProxyHandler({}))


def endpoints(url: str) -> tuple[str, str, bool]:
    """(query URL, update URL, is Oxigraph's base URL) for a store location URL."""
    url = urllib.parse.urldefrag(url)[0]
    parsed = urllib.parse.urlparse(url)
    path = parsed.path.rstrip("/")
    if path in ("",):
        base = url.rstrip("/")
        return base + "/query", base + "/update", True
    update = os.environ.get("KG_UPDATE_URL") or (url[: -len("/query")] + "/update" if path.endswith("/query") else url)
    return url, update, False


class Reply(tuple):
    """(media type, body) of an answer, with its headers."""

    def __new__(cls, ctype: str, body: bytes, headers=None):
        reply = super().__new__(cls, (ctype, body))
        reply.headers = headers or {}
        return reply


class ResultCut(StoreError):
    """The server answered a part of the result (Virtuoso's ResultSetMaxRows, or its time limit)."""

    def __init__(self, rows: int):
        self.rows = rows
        why = (f"the SPARQL server cut the result at {rows} rows (Virtuoso: raise ResultSetMaxRows in the "
               "[SPARQL] section of virtuoso.ini)" if rows else
               "the SPARQL server answered only part of the result before its time limit (Virtuoso: "
               "MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini)")
        super().__init__(why + "; kg does not answer from a part of the graph.")


class RemoteStore:
    def __init__(self, url: str, timeout: float = 60.0):
        self.url = url
        self.query_url, self.update_url, self.oxigraph = endpoints(url)
        self.timeout = timeout
        self.read_only = False
        self.path = None
        try:
            self._dialect = named(url) or (OXIGRAPH if self.oxigraph else None)
        except ValueError as e:
            raise StoreError(str(e)) from None

    @property
    def dialect(self) -> Dialect:
        """The server's dialect (kg.dialect): named by the location, else asked of the server once."""
        if self._dialect is None:
            reply = self._post(self.query_url + ("&" if "?" in self.query_url else "?") + "query=ASK%7B%7D", None,
                               None, RESULTS_JSON, method="GET", raw=True)
            self._dialect = from_server(reply.headers.get("Server"))
        return self._dialect

    # ------------------------------------------------------------------ HTTP
    def _post(self, url: str, body: str | bytes | None, content_type: str | None, accept: str | None = None,
              params=None, method: str = "POST", raw: bool = False, whole: bool = True):
        """The server's (media type, body) (a Reply, with its headers). A query POSTed directly is
        sent form-encoded instead (see kg.dialect). Unless ``raw``, the result is read by the
        server's dialect: made parseable, and refused when the server cut it (ResultCut), but
        for a page of a paged read (``whole`` False)."""
        if params:
            url = url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        if content_type == "application/sparql-query":
            url, _, given = url.partition("?")
            body = urllib.parse.urlencode([*urllib.parse.parse_qsl(given), ("query", body)])
            content_type = FORM
        d = None if raw else self.dialect
        data = body.encode("utf-8") if isinstance(body, str) else body
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={**({"Content-Type": content_type} if content_type else {}),
                                              **({"Accept": accept} if accept else {})})
        try:
            with _OPENER.open(req, timeout=self.timeout) as resp:
                reply = Reply(resp.headers.get("Content-Type", "").split(";")[0].strip(), resp.read(), resp.headers)
        except urllib.error.HTTPError as e:
            # the first line of the server's explanation (Virtuoso goes on with the whole query)
            detail = next((ln.strip() for ln in e.read().decode("utf-8", "replace").splitlines() if ln.strip()), "")[:500]
            if 300 <= e.code < 400:
                raise StoreError(f"the SPARQL server at {url} answered {e.code} (a redirect); kg does not follow "
                                 "redirects: give the final URL with --store") from None
            if e.code == 400:
                raise SyntaxError(f"the SPARQL server refused the query: {detail}") from None
            hint = d.explain(detail) if d else ""
            raise StoreError(f"the SPARQL server at {url} answered {e.code}: {detail}{hint}") from None
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {e}. Is it running?") from None
        if d is None:
            return reply
        if whole and (rows := d.cut(reply.headers)) is not None:
            raise ResultCut(rows)
        return Reply(reply[0], d.results(reply[0], reply[1]), reply.headers)

    def _update(self, update: str) -> None:
        self._post(self.update_url, update, "application/sparql-update")

    # ------------------------------------------------------------------ writes
    def replace_graphs(self, graphs: Mapping[str, list[ox.Quad]], remove: Iterable[str] = ()) -> None:
        """Replace each named graph by its quads (and drop the graphs in ``remove``), keeping the
        union: in one update where the server applies one as a transaction; else (Virtuoso)
        through its Graph Store endpoint, between two updates (kg.dialect)."""
        store = self.dialect.graph_store_url(self.query_url)
        if store is None:
            update = replacement_update(graphs, remove)
            if update:
                self._update(update)
            return
        update = replacement_update({g: [] for g in graphs}, remove)
        if update:
            self._update(update)
        written = [g for g, quads in graphs.items() if quads]
        for g in written:
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in graphs[g]]
            self._post(store, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), "application/n-triples",
                       params={"graph": g}, method="PUT")
        if written:
            self._update(union_insert(written))

    def ensure_union(self) -> None:
        """Build the union graph of a server's dataset written before it existed."""
        self._update(REBUILD_UNION)

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        self.replace_graphs({}, remove=list(graphs))

    def flush(self) -> None:
        pass

    # ------------------------------------------------------------------ reads
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, union: bool = True,
              whole: bool = True):
        if bindings:
            names = list(bindings)
            row = " ".join(str(term(bindings[n])) for n in names)
            sparql = self.dialect.bind(sparql, f"VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}")
        form = [("query", sparql)]
        if union:
            form.append(("default-graph-uri", UNION_GRAPH))
            if "graph" in sparql.lower():
                form += [("named-graph-uri", g) for g in self.graphs()]
        ctype, body = self._post(self.query_url, urllib.parse.urlencode(form), FORM, self.dialect.accept, whole=whole)
        if ctype in (RESULTS_JSON, "application/json"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if ctype in (RESULTS_XML, "application/xml"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        fmt = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
        return list(ox.parse(body, format=fmt))

    def select(self, sparql: str, bindings: Mapping[str, object] | None = None) -> list[dict[str, object]]:
        result = self.query(sparql, bindings)
        names = [v.value for v in result.variables]
        return [{n: python_value(row[n]) for n in names} for row in result]

    def _every_row(self, select: str, count: str) -> set[tuple]:
        """The rows (as tuples of terms) of ``select`` (no solution modifiers, over the whole
        dataset), all of them: where the server cuts results, page by page (LIMIT/OFFSET without
        ORDER BY, which Virtuoso will not sort past its cut), checked against ``count``."""
        try:
            return {tuple(row) for row in self.query(select, union=False)}
        except ResultCut as cut:
            if not cut.rows:
                raise
            page = cut.rows
        [n] = [int(r[0].value) for r in self.query(count, union=False)]
        rows: set[tuple] = set()
        for offset in range(0, n + page, page):
            # a page as large as the cut is flagged as cut too: it is not
            part = list(self.query(f"{select} LIMIT {page} OFFSET {offset}", union=False, whole=False))
            rows.update(tuple(r) for r in part)
            if len(part) < page:
                break
        if len(rows) != n:
            raise StoreError(f"the SPARQL server's pages of a result of {n} rows held {len(rows)} "
                             "(was the store written meanwhile?); try again.")
        return rows

    def graphs(self) -> list[str]:
        """kg's graphs on the server: the documents' and the ontology's (not the union)."""
        where = f'WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}'
        rows = self._every_row(f"SELECT DISTINCT ?g {where}", f"SELECT (COUNT(DISTINCT ?g) AS ?n) {where}")
        return sorted(r[0].value for r in rows)

    def document_graphs(self) -> list[str]:
        return [g for g in self.graphs() if g.startswith(GRAPH) and g != ONTOLOGY_GRAPH]

    def __len__(self) -> int:
        """The number of distinct triples (the union graph's size)."""
        [row] = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }}",
                                union=False))
        return int(row["n"].value)

    def triples(self, graph: str) -> list[ox.Triple]:
        """Every triple of one graph."""
        where = f"WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        return [ox.Triple(*r) for r in self._every_row(f"SELECT ?s ?p ?o {where}", f"SELECT (COUNT(*) AS ?n) {where}")]

    def quads(self):
        """Every quad of the documents' and the ontology's graphs (not the derived union)."""
        return (ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g in self.graphs()
                for t in self.triples(g))

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        """The named graphs (dataset formats), or the union of all graphs (triple formats)."""
        f = FORMATS[fmt]
        if graph is not None:
            return ox.serialize(sorted(self.triples(graph), key=str), format=f)
        if f.supports_datasets:
            return ox.serialize(sorted(self.quads(), key=str), format=f)
        # the union's triples: those of kg's graphs, read graph by graph (small pages where a server cuts)
        return ox.serialize(sorted({t for g in self.graphs() for t in self.triples(g)}, key=str), format=f)

    def close(self) -> None:
        pass
