"""Running a user's SPARQL query and formatting its results as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox


class QueryError(Exception):
    pass


def _cell(t) -> str:
    if t is None:
        return ""
    return t.value


def run_query(store, sparql: str, fmt: str = "table") -> str:
    try:
        result = store.query(sparql)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {e}") from None
    except (OSError, ValueError) as e:
        raise QueryError(f"query failed: {e}") from None
    if isinstance(result, bool):
        return json.dumps({"boolean": result}) + "\n" if fmt == "json" else ("true\n" if result else "false\n")
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [[_cell(row[n]) for n in names] for row in result]
    else:   # CONSTRUCT / DESCRIBE
        triples = list(result)
        if fmt == "table":
            return ox.serialize(triples, format=ox.RdfFormat.TURTLE).decode("utf-8")
        names = ["subject", "predicate", "object"]
        rows = [[t.subject.value, t.predicate.value, _cell(t.object)] for t in triples]
    if fmt == "json":
        return json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
        return buf.getvalue()
    return table(names, rows)


def _width(s: str) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def table(names: list[str], rows: list[list[str]], max_cell: int = 60) -> str:
    rows = [[c if len(c) <= max_cell else c[: max_cell - 1] + "…" for c in r] for r in rows]
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
