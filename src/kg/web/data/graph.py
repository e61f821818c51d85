"""The entity graph view's data (kg.export.entity_graph with a spring layout) and store counts."""

from __future__ import annotations

from collections import Counter

from ...namespaces import ONTOLOGY_GRAPH
from ...store import LocalStore
from .kinds import ENTITY_KINDS, RELATIONS
from .links import P, iri_url, local


class _ScopedStore:
    """A LocalStore look-alike whose default graph is some named graphs (for entity_graph)."""

    def __init__(self, store: LocalStore, graphs: list[str]):
        self.store, self.graphs = store, graphs

    def select(self, sparql: str, bindings=None) -> list[dict]:
        import pyoxigraph as ox
        from ...store import python_value
        if hasattr(self.store, "db"):
            res = self.store.db.query(sparql, default_graph=[ox.NamedNode(g) for g in self.graphs])
        else:       # an external SPARQL server: the dataset as protocol parameters
            from urllib.parse import urlencode
            from ...remote import RESULTS_JSON
            url = self.store.query_url + ("&" if "?" in self.store.query_url else "?") + \
                urlencode([("default-graph-uri", g) for g in self.graphs])
            _, body = self.store._post(url, sparql, "application/sparql-query", RESULTS_JSON)
            res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in res.variables]
        return [{n: python_value(row[n]) for n in names} for row in res]


def graph_data(store: LocalStore, doc: str | None = None) -> dict:
    from ...export import entity_graph
    src = store
    if doc:
        from ...rdf import iris
        src = _ScopedStore(store, [iris.doc_graph(doc), ONTOLOGY_GRAPH])
    g = entity_graph(src)
    import networkx as nx
    pos = nx.spring_layout(nx.Graph(g), seed=7, iterations=60) if len(g) else {}
    degree = dict(g.degree())
    nodes = []
    for n, d in g.nodes(data=True):
        x, y = pos.get(n, (0.0, 0.0))
        nodes.append({"id": n, "label": d.get("label") or local(n), "type": d.get("type", "Thing"),
                      "type_label": ENTITY_KINDS.get(d.get("type", "Thing"), d.get("type", "")),
                      "degree": degree.get(n, 0), "url": iri_url(n), "x": round(float(x), 4), "y": round(float(y), 4)})
    edges = [{"source": u, "target": v, "relation": d.get("relation", k),
              "relation_label": RELATIONS.get(d.get("relation", k), d.get("relation", k)),
              "weight": d.get("weight", 1)} for u, v, k, d in g.edges(keys=True, data=True)]
    types = Counter(n["type"] for n in nodes)
    return {"doc": doc or "", "nodes": nodes, "edges": edges,
            "types": [{"type": t, "label": ENTITY_KINDS.get(t, t), "count": c} for t, c in types.most_common()]}


def stats(store: LocalStore) -> dict:
    r = store.select(P + """
SELECT (COUNT(DISTINCT ?r) AS ?docs) (COUNT(DISTINCT ?o) AS ?facts) WHERE {
  { ?r a fp:Report } UNION { ?o a fp:Observation } }""")[0]
    return {"documents": int(r["docs"]), "facts": int(r["facts"]), "triples": len(store), "graphs": len(store.graphs())}
