"""Why the store is Oxigraph: load and query times of rdflib's in-memory store and of
pyoxigraph (embedded, in memory and on disk) on the same quads, measured in the same run.

    python bench/bench_store.py [--copies N]

The quads are the seed corpus's graph, repeated under N document names (default 50); the query
is a typical fact lookup (one indicator's values by year and place). kg's full tidy-observations
query (kg.queries.OBSERVATIONS) is not used: on 20 documents rdflib exhausted 24 GB of memory
evaluating it (measured here), which is itself a reason for the choice.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from kg.ingest import ingest  # noqa: E402
from kg.namespaces import sparql_prefixes  # noqa: E402

LOOKUP = sparql_prefixes() + """
SELECT ?year ?place ?value WHERE {
  ?o a fp:Observation ; fp:indicator fpi:poverty-reduction ; fp:value ?value ;
     sdmx-dimension:refPeriod/fp:startYear ?year ; sdmx-dimension:refArea/rdfs:label ?place .
} ORDER BY ?year ?place
"""
from kg.store import LocalStore  # noqa: E402


def seed_quads(copies: int) -> bytes:
    store = LocalStore(None)
    ingest([REPO / "corpus"], store, progress=False)
    base = store.dump("nq").decode("utf-8")
    doc = "ruzhou-2018-poverty-alleviation"
    return "".join(base.replace(doc, f"{doc}-{i}") for i in range(copies)).encode("utf-8")


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def best_of(fn, n=5) -> float:
    """The best of n runs (the first run includes warming up)."""
    return min(timed(fn)[0] for _ in range(n))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=50)
    ap.add_argument("--quick", action="store_true", help="10 copies")
    args, _ = ap.parse_known_args(argv)
    copies = 10 if args.quick else args.copies
    data = seed_quads(copies)
    n_quads = data.count(b"\n")
    print(f"{copies} documents, {n_quads} quads")

    results = {}
    ds = rdflib.Dataset(default_union=True)   # its union is a set
    results["rdflib (memory)"] = (timed(lambda: ds.parse(data=data.decode("utf-8"), format="nquads"))[0],
                                  best_of(lambda: len(list(ds.query(LOOKUP)))))
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    by_graph: dict[str, list] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(q)

    def kg_store(path):
        store = LocalStore(path)
        load = timed(lambda: [store.replace_graphs({g: qs}) for g, qs in by_graph.items()])[0]
        query = best_of(lambda: len(list(store.query(LOOKUP))))
        rows = len(list(store.query(LOOKUP)))
        store.close()
        return load, query, rows

    results["kg LocalStore (memory)"] = kg_store(None)[:2]
    with tempfile.TemporaryDirectory() as d:
        results["kg LocalStore (disk)"] = kg_store(d)[:2]
    raw = ox.Store()
    raw.load(data, format=ox.RdfFormat.N_QUADS)
    bag_rows = len(list(raw.query(LOOKUP, use_default_graph_as_union=True)))
    results["oxigraph bag union"] = (float("nan"), best_of(lambda: len(list(raw.query(LOOKUP, use_default_graph_as_union=True)))))
    print(f"rows: rdflib {len(list(ds.query(LOOKUP)))}, kg store {kg_store(None)[2]}, "
          f"oxigraph's own union {bag_rows} (a bag: one match per graph holding a triple)")
    base_load, base_q = results["rdflib (memory)"]
    print(f"{'store':20} {'load s':>8} {'query s':>8} {'load ×':>8} {'query ×':>8}")
    for name, (load, q) in results.items():
        print(f"{name:20} {load:8.3f} {q:8.3f} {base_load / load:8.1f} {base_q / q:8.1f}")
    print("(× = how many times faster than rdflib's in-memory store)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
