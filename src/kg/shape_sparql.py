"""kg.shapes' shapes as SPARQL: for each constraint, a query listing the focus nodes (and value
nodes) that break it; a property shape screened first by one aggregate query; validation and
the text report (pyshacl's layout).

A constraint on values becomes a boolean expression of the value (``_value_ok``); a nested
shape (sh:node, sh:or, a qualified value shape) becomes the conjunction of its constraints'
expressions, with EXISTS / NOT EXISTS for counts of 0 or 1 (``_conforms``). A class is tested
against its subclasses, looked up once per validation (``_Vars.instance``). The SPARQL is built
from the shapes file (kg's own data), never from user text.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF

from .shapes import COMPONENT, DATATYPES, NODE_KINDS, SH, Constraint, Shape, Unsupported, classes_of

@dataclass
class Result:
    focus: str                  # the focus node, as N-Triples text (<iri>, _:b, "literal")
    component: str              # MinCount, Class, … (sh:…ConstraintComponent)
    shape: str                  # the shape the constraint is of
    path: str | None
    value: str | None
    message: str
    details: list[Result] = field(default_factory=list)     # why a value breaks its sh:node shape


# ---------------------------------------------------------------------------- SPARQL of conformance

class _Vars:
    """Fresh variable names for one query, and each class with its subclasses (the store's
    rdfs:subClassOf*, looked up once per validation: testing a node's types against a list
    costs a fraction of following the path for every node)."""

    def __init__(self, classes: dict[str, list[str]] | None = None):
        self._n = itertools.count()
        self.classes = classes or {}

    def __call__(self) -> str:
        return f"?v{next(self._n)}"

    def instance(self, x: str, cls) -> str:
        """A pattern matching when ``x`` is a SHACL instance of ``cls``."""
        subs = self.classes.get(cls.n3())
        if subs is None:
            return f"{x} <{RDF.type}>/<{rdflib.RDFS.subClassOf}>* {cls.n3()}"
        t = self()
        return f"{x} <{RDF.type}> {t} VALUES {t} {{ {' '.join(subs)} }}"


def _literal_text(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _value_ok(c: Constraint, v: str, fresh: _Vars) -> str:
    """A SPARQL expression true when the value node ``v`` satisfies the value constraint ``c``."""
    k = c.key
    if k == SH["class"]:
        return f"EXISTS {{ {fresh.instance(v, c.arg)} }}"
    if k == SH.datatype:
        return f"(isLiteral({v}) && sameTerm(datatype({v}), {c.arg.n3()}) && {DATATYPES[c.arg].format(v=v)})"
    if k == SH["in"]:
        return "(" + " || ".join(f"sameTerm({v}, {t.n3()})" for t in c.arg) + ")" if c.arg else "false"
    if k == SH.nodeKind:
        return NODE_KINDS[c.arg].format(v=v)
    if k == SH.languageIn:
        tags = " || ".join(f"langMatches(lang({v}), {_literal_text(str(t))})" for t in c.arg)
        return f"(isLiteral({v}) && ({tags or 'false'}))"
    if k == SH.minLength:
        return f"(!isBlank({v}) && STRLEN(STR({v})) >= {c.arg})"
    if k == SH.maxLength:
        return f"(!isBlank({v}) && STRLEN(STR({v})) <= {c.arg})"
    if k == SH.pattern:
        pattern, flags = c.arg
        return f"(!isBlank({v}) && REGEX(STR({v}), {_literal_text(pattern)}, {_literal_text(flags)}))"
    if k == SH.node:
        return _conforms(c.arg, v, fresh)
    if k == SH["or"]:
        return "(" + " || ".join(_conforms(s, v, fresh) for s in c.arg) + ")"
    raise Unsupported(f"{k.n3()} as a value constraint")


def _conforms(shape: Shape, x: str, fresh: _Vars) -> str:
    """A SPARQL expression true when the node ``x`` conforms to ``shape`` (node or property shape)."""
    parts = [_property_ok(p, x, fresh) for p in shape.properties]
    if shape.path is not None:
        parts.append(_property_ok(shape, x, fresh))
    else:
        parts += [_value_ok(c, x, fresh) for c in shape.constraints]
    return "(" + " && ".join(parts) + ")" if parts else "true"


def _property_ok(ps: Shape, x: str, fresh: _Vars) -> str:
    """``x`` satisfies every constraint of the property shape ``ps`` (counts of 0 or 1 only)."""
    parts = []
    p = ps.path.n3()
    for c in ps.constraints:
        v = fresh()
        if c.key == SH.minCount:
            if c.arg > 1:
                raise Unsupported("sh:minCount above 1 inside a nested shape")
            parts.append(f"EXISTS {{ {x} {p} {v} }}" if c.arg == 1 else "true")
        elif c.key == SH.maxCount:
            if c.arg > 1:
                raise Unsupported("sh:maxCount above 1 inside a nested shape")
            w = fresh()
            parts.append(f"NOT EXISTS {{ {x} {p} {v} }}" if c.arg == 0 else
                         f"NOT EXISTS {{ {x} {p} {v}, {w} FILTER(!sameTerm({v}, {w})) }}")
        elif c.key == SH.hasValue:
            parts.append(f"EXISTS {{ {x} {p} {c.arg.n3()} }}")
        elif c.key in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            inner, n = c.arg
            exists = f"EXISTS {{ {x} {p} {v} FILTER({_conforms(inner, v, fresh)}) }}"
            if c.key == SH.qualifiedMaxCount and n == 0:
                parts.append(f"!{exists}")
            elif c.key == SH.qualifiedMinCount and n <= 1:
                parts.append(exists if n == 1 else "true")
            else:
                raise Unsupported("a qualified count other than min 0/1 or max 0 inside a nested shape")
        else:
            parts.append(f"NOT EXISTS {{ {x} {p} {v} FILTER(!{_value_ok(c, v, fresh)}) }}")
    return "(" + " && ".join(parts) + ")" if parts else "true"


# ---------------------------------------------------------------------------- queries of violations

def _targets(shape: Shape, x: str, nodes: list[str] | str | None, classes: dict) -> str:
    if isinstance(nodes, str):                        # a pattern binding ?focus
        return nodes.replace("?focus", x)
    if nodes is not None:
        return f"VALUES {x} {{ {' '.join(nodes)} }}"
    fresh = _Vars(classes)
    fresh._n = itertools.count(10_000)               # names apart from the constraints' own
    return " UNION ".join(f"{{ {fresh.instance(x, t)} }}" for t in shape.targets)


@dataclass
class Query:
    """The SELECT of ``?focus`` and ``?value`` listing the violations of ``constraint`` (of
    ``shape``). For a property's sh:node, ``sparql`` is instead a pattern binding ``?focus`` to
    the values the nested shape is validated on, and ``pairs`` the SELECT of the focus nodes
    having some of them (``{values}`` to fill)."""
    sparql: str
    constraint: Constraint
    shape: Shape
    pairs: str = ""


def node_queries(shape: Shape, nodes, classes) -> list[Query]:
    """The queries of the constraints on the focus nodes themselves (node-level sh:or …), on the
    shape's targets, on ``nodes`` (N-Triples texts) or on the nodes a pattern binds to ``?focus``;
    ``classes``: each class's subclasses (see _Vars)."""
    target = _targets(shape, "?focus", nodes, classes or {})
    return [Query(f"SELECT DISTINCT ?focus ?value WHERE {{ {target} BIND(?focus AS ?value) "
                  f"FILTER(!{_value_ok(c, '?focus', _Vars(classes))}) }}", c, shape) for c in shape.constraints]


def screen_query(shape: Shape, ps: Shape, nodes, classes) -> str | None:
    """One SELECT of the focus nodes that may break some constraint of the property shape
    ``ps`` other than sh:node (a value's checks that raise an error count as breaking): the
    exact queries of :func:`property_queries` then run on those alone. None when ``ps`` has
    only sh:node constraints."""
    target = _targets(shape, "?focus", nodes, classes or {})
    aggregates, tests = [], []
    for i, c in enumerate(ps.constraints):
        fresh = _Vars(classes)
        fresh._n = itertools.count(1000 * (i + 1))
        if c.key == SH.minCount:
            tests.append(f"?n < {c.arg}")
        elif c.key == SH.maxCount:
            tests.append(f"?n > {c.arg}")
        elif c.key == SH.hasValue:
            aggregates.append(f"(SUM(COALESCE(IF(BOUND(?o) && sameTerm(?o, {c.arg.n3()}), 1, 0), 0)) AS ?c{i})")
            tests.append(f"?c{i} = 0")
        elif c.key in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            inner, n = c.arg
            # distinct values (a triple may be read once per graph holding it)
            aggregates.append(f"(COUNT(DISTINCT IF(BOUND(?o) && {_conforms(inner, '?o', fresh)}, ?o, ?unbound)) AS ?c{i})")
            # an error in the test may hide a conforming value (min) or a breaking one (max): both checked
            aggregates.append(f"(SUM(COALESCE(IF(BOUND(?o) && {_conforms(inner, '?o', fresh)}, 0, 0), 1)) AS ?e{i})")
            tests.append(f"?e{i} > 0 || ?c{i} {'<' if c.key == SH.qualifiedMinCount else '>'} {n}")
        elif c.key != SH.node:
            aggregates.append(f"(SUM(COALESCE(IF(BOUND(?o) && !{_value_ok(c, '?o', fresh)}, 1, 0), 1)) AS ?c{i})")
            tests.append(f"?c{i} > 0")
    if not tests:
        return None
    p = ps.path.n3()
    return (f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?o) AS ?n) {' '.join(aggregates)} WHERE {{ "
            f"{target} OPTIONAL {{ ?focus {p} ?o }} }} GROUP BY ?focus }} "
            f"FILTER({' || '.join(f'COALESCE({t}, true)' for t in tests)}) }}")


def property_queries(shape: Shape, ps: Shape, nodes, classes) -> list[Query]:
    """The queries of each constraint of the property shape ``ps`` of ``shape``."""
    out = []
    target = _targets(shape, "?focus", nodes, classes or {})
    p = ps.path.n3()
    for c in ps.constraints:
        fresh = _Vars(classes)
        if c.key == SH.minCount:
            q = (f"SELECT ?focus (SAMPLE(?none) AS ?value) WHERE {{ {target} OPTIONAL {{ ?focus {p} ?o }} }} "
                 f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?o) < {c.arg})")
        elif c.key == SH.maxCount:
            q = (f"SELECT ?focus (SAMPLE(?none) AS ?value) WHERE {{ {target} ?focus {p} ?o }} "
                 f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?o) > {c.arg})")
        elif c.key == SH.hasValue:
            q = (f"SELECT DISTINCT ?focus ?value WHERE {{ {target} "
                 f"FILTER NOT EXISTS {{ ?focus {p} {c.arg.n3()} }} }}")
        elif c.key in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            inner, n = c.arg
            op = "<" if c.key == SH.qualifiedMinCount else ">"
            q = (f"SELECT ?focus (SAMPLE(?none) AS ?value) WHERE {{ {target} OPTIONAL {{ ?focus {p} ?o "
                 f"FILTER({_conforms(inner, '?o', fresh)}) }} }} GROUP BY ?focus HAVING (COUNT(DISTINCT ?o) {op} {n})")
        elif c.key == SH.node:                    # the nested shape's own queries, on the values
            outer = _targets(shape, "?outer", nodes, classes or {})
            out.append(Query(f"{{ SELECT DISTINCT ?focus WHERE {{ {outer} ?outer {p} ?focus }} }}", c, ps,
                             f"SELECT DISTINCT ?focus ?value WHERE {{ {target} ?focus {p} ?value "
                             f"VALUES ?value {{ {{values}} }} }}"))
            continue
        else:
            q = (f"SELECT DISTINCT ?focus ?value WHERE {{ {target} ?focus {p} ?value "
                 f"FILTER(!{_value_ok(c, '?value', fresh)}) }}")
        out.append(Query(q, c, ps))
    return out


def validate(select, shapes: list[Shape]) -> list[Result]:
    """Every violation of ``shapes`` in the data ``select(sparql)`` queries (rows as dicts of
    terms whose ``str`` is N-Triples), in the order of the shapes and their constraints; a
    value breaking its sh:node shape comes with the results of that shape on it (details)."""
    classes = {c: sorted({str(r["c"]) for r in select(f"SELECT DISTINCT ?c WHERE {{ ?c <{rdflib.RDFS.subClassOf}>* {c} }}")}
                         | {c})
               for c in sorted(classes_of(shapes))}
    return [r for shape in shapes for r in _violations(select, shape, None, classes)]


DETAIL_BATCH = 500


def _violations(select, shape: Shape, nodes: list[str] | str | None, classes: dict) -> list[Result]:
    """The violations of ``shape`` on its targets, on ``nodes`` (N-Triples texts) or on the
    nodes a pattern binds to ``?focus``. A property shape is screened first with one query; its
    exact queries run only on the focus nodes it flags."""
    queries = node_queries(shape, nodes, classes)
    for ps in shape.properties:
        screen = screen_query(shape, ps, nodes, classes)
        flagged = [] if screen is None else sorted({str(r["focus"]) for r in select(screen)})
        for k in range(0, len(flagged), DETAIL_BATCH):
            queries += [q for q in property_queries(shape, ps, flagged[k:k + DETAIL_BATCH], classes) if not q.pairs]
        # sh:node: validated by the nested shape's own queries, on the values
        queries += [q for q in property_queries(shape, ps, nodes, classes) if q.pairs]
    return _run(select, queries, classes)


def _run(select, queries: list[Query], classes: dict) -> list[Result]:
    results = []
    for q in queries:
        c, owner = q.constraint, q.shape

        def result(row, details=()):
            value = row.get("value")
            return Result(str(row.get("focus")), COMPONENT[c.key], owner.label, owner.path.n3() if owner.path else None,
                          None if value is None else str(value), owner.message or _default_message(c.key, c),
                          list(details))
        if not q.pairs:
            results += [result(row) for row in select(q.sparql)]
            continue
        # sh:node: a value breaks the nested shape when that shape has a violation on it (its details)
        inner: dict[str, list[Result]] = {}
        for d in _violations(select, c.arg, q.sparql, classes):
            inner.setdefault(d.focus, []).append(d)
        bad = sorted(inner)
        for k in range(0, len(bad), DETAIL_BATCH):
            for row in select(q.pairs.replace("{values}", " ".join(bad[k:k + DETAIL_BATCH]))):
                results.append(result(row, inner[str(row["value"])]))
    return results


def _default_message(key, c: Constraint) -> str:
    return f"{COMPONENT[key]} constraint not met" + (f" ({c.arg})" if isinstance(c.arg, (int, str)) else "")


def report_text(results: list[Result], limit: int = 200) -> str:
    """The results as pyshacl's text report writes them (its blocks and line prefixes)."""
    lines = ["Validation Report", f"Conforms: {not results}"]
    if results:
        lines.append(f"Results ({len(results)}):")
    for r in results[:limit]:
        _block(lines, r, "")
    if len(results) > limit:
        lines.append(f"… {len(results) - limit} more results")
    return "\n".join(lines) + "\n"


def _block(lines: list[str], r: Result, indent: str) -> None:
    lines.append(f"{indent}Constraint Violation in {r.component}ConstraintComponent "
                 f"(http://www.w3.org/ns/shacl#{r.component}ConstraintComponent):")
    lines.append(f"{indent}\tSeverity: sh:Violation")
    lines.append(f"{indent}\tSource Shape: {r.shape}")
    lines.append(f"{indent}\tFocus Node: {r.focus}")
    if r.value is not None:
        lines.append(f"{indent}\tValue Node: {r.value}")
    if r.path:
        lines.append(f"{indent}\tResult Path: {r.path}")
    lines.append(f"{indent}\tMessage: {r.message}")
    if r.details:
        lines.append(f"{indent}\tDetails:")
        for d in r.details:
            _block(lines, d, indent + "\t\t")
