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
query has a GRAPH clause), so no server setting is needed. Bindings of prepared queries are
sent as a trailing ``VALUES`` block of serialised RDF terms: user text is never pasted into
query text.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from .namespaces import GRAPH, ONTOLOGY_GRAPH, UNION_GRAPH
from .store_base import FORMATS, REBUILD_UNION, StoreError, python_value, replacement_update, term

RESULTS_JSON = "application/sparql-results+json"


def endpoints(url: str) -> tuple[str, str, bool]:
    """(query URL, update URL, is Oxigraph's base URL) for a store location URL."""
    parsed = urllib.parse.urlparse(url)
    path = parsed.path.rstrip("/")
    if path in ("",):
        base = url.rstrip("/")
        return base + "/query", base + "/update", True
    update = os.environ.get("KG_UPDATE_URL") or (url[: -len("/query")] + "/update" if path.endswith("/query") else url)
    return url, update, False


class RemoteStore:
    def __init__(self, url: str, timeout: float = 60.0):
        self.url = url
        self.query_url, self.update_url, self.oxigraph = endpoints(url)
        self.timeout = timeout
        self.read_only = False
        self.path = None

    # ------------------------------------------------------------------ HTTP
    def _post(self, url: str, body: str, content_type: str, accept: str | None = None, params=None):
        if params:
            url = url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        req = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": content_type, **({"Accept": accept} if accept else {})})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.headers.get("Content-Type", "").split(";")[0].strip(), resp.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")[:500]
            if e.code == 400:
                raise SyntaxError(f"the SPARQL server refused the query: {detail}") from None
            raise StoreError(f"the SPARQL server at {url} answered {e.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {e}. Is it running?") from None

    # ------------------------------------------------------------------ writes
    def replace_graphs(self, graphs: Mapping[str, list[ox.Quad]], remove: Iterable[str] = ()) -> None:
        update = replacement_update(graphs, remove)
        if update:
            self._post(self.update_url, update, "application/sparql-update")

    def ensure_union(self) -> None:
        """Build the union graph of a server's dataset written before it existed."""
        self._post(self.update_url, REBUILD_UNION, "application/sparql-update")

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        self.replace_graphs({}, remove=list(graphs))

    def flush(self) -> None:
        pass

    # ------------------------------------------------------------------ reads
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, union: bool = True):
        if bindings:
            names = list(bindings)
            row = " ".join(str(term(bindings[n])) for n in names)
            sparql = f"{sparql}\nVALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
        accept = f"{RESULTS_JSON}, application/n-triples;q=0.9"
        if union:
            form = [("query", sparql), ("default-graph-uri", UNION_GRAPH)]
            if "graph" in sparql.lower():
                form += [("named-graph-uri", g) for g in self.graphs()]
            ctype, body = self._post(self.query_url, urllib.parse.urlencode(form),
                                     "application/x-www-form-urlencoded", accept)
        else:
            ctype, body = self._post(self.query_url, sparql, "application/sparql-query", accept)
        if ctype in (RESULTS_JSON, "application/json"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if ctype in ("application/sparql-results+xml", "application/xml"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        fmt = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
        return list(ox.parse(body, format=fmt))

    def select(self, sparql: str, bindings: Mapping[str, object] | None = None) -> list[dict[str, object]]:
        result = self.query(sparql, bindings)
        names = [v.value for v in result.variables]
        return [{n: python_value(row[n]) for n in names} for row in result]

    def graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return sorted(r["g"].value for r in rows if r["g"].value != UNION_GRAPH)

    def document_graphs(self) -> list[str]:
        return [g for g in self.graphs() if g.startswith(GRAPH) and g != ONTOLOGY_GRAPH]

    def __len__(self) -> int:
        """The number of distinct triples (the union graph's size)."""
        [row] = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }}",
                                union=False))
        return int(row["n"].value)

    def quads(self):
        """Every quad of the documents' and the ontology's graphs (not the derived union)."""
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows if r["g"].value != UNION_GRAPH)

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        f = FORMATS[fmt]
        if graph is None and not f.supports_datasets:
            graph = UNION_GRAPH
        quads = [q for q in self.quads()] if graph is None else [
            ox.Quad(r["s"], r["p"], r["o"], ox.NamedNode(graph)) for r in
            self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph}, union=False)]
        if f.supports_datasets and graph is None:
            return ox.serialize(sorted(quads, key=str), format=f)
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        return ox.serialize(sorted(triples, key=str), format=f)

    def close(self) -> None:
        pass
