"""SHACL shapes read for validation by SPARQL (kg.shape_sparql): each constraint of a shape
becomes one query that lists the focus nodes (and value nodes) violating it, run by the store's
own engine. This module reads the shapes graph into :class:`Shape` objects, refusing what it
does not compile.

pyshacl copies the whole store into an rdflib graph and walks it in Python, about 0.15 s of CPU
per report (minutes for a thousand reports). The shapes of ``ontology/shapes.ttl`` use a small
part of SHACL Core, which SPARQL says directly:

- targets: ``sh:targetClass`` (SHACL instances: ``rdf:type/rdfs:subClassOf*``);
- property shapes whose ``sh:path`` is one predicate, with ``sh:minCount``, ``sh:maxCount``,
  ``sh:hasValue``, ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` /
  ``sh:qualifiedMaxCount`` (counts of 0 or 1 inside nested shapes), and the value constraints
  ``sh:class``, ``sh:datatype`` (xsd:string, rdf:langString, xsd:decimal, xsd:integer),
  ``sh:in``, ``sh:nodeKind``, ``sh:languageIn``, ``sh:minLength``, ``sh:maxLength``,
  ``sh:pattern`` (with ``sh:flags``), ``sh:node`` and ``sh:or``;
- node shapes with such property shapes and ``sh:or``; ``sh:message``.

A shape using anything else raises :class:`Unsupported` when the shapes are read, and kg.check
validates with pyshacl instead. Results follow the SHACL specification's granularity (one per
focus node for a count, ``sh:hasValue``, qualified or node-level constraint; one per value node
for a value constraint), so their number is pyshacl's: tests/pipeline/test_shapes.py compares
the two validators on valid graphs and on graphs broken on purpose.

The SPARQL is built from the shapes file (kg's own data, read with rdflib), never from user text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, XSD
from rdflib.collection import Collection

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RDF_LANGSTRING = RDF.langString
#: sh:datatype values checked here, and how a literal of it is well-formed
DATATYPES = {XSD.string: "true", RDF_LANGSTRING: "true", XSD.decimal: "isNumeric({v})",
             XSD.integer: "isNumeric({v})"}
NODE_KINDS = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
              SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))", SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
              SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))"}
VALUE_KEYS = {SH["class"], SH.datatype, SH["in"], SH.nodeKind, SH.languageIn, SH.minLength, SH.maxLength,
              SH.pattern, SH.node, SH["or"]}
PROPERTY_KEYS = VALUE_KEYS | {SH.path, SH.minCount, SH.maxCount, SH.hasValue, SH.qualifiedValueShape,
                              SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.flags, SH.message, SH.name,
                              SH.description, SH.order, SH.group, RDF.type}
NODE_KEYS = {SH.targetClass, SH.property, SH["or"], SH.message, RDF.type, SH.name, SH.description} | VALUE_KEYS
COMPONENT = {SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.hasValue: "HasValue", SH["class"]: "Class",
             SH.datatype: "Datatype", SH["in"]: "In", SH.nodeKind: "NodeKind", SH.languageIn: "LanguageIn",
             SH.minLength: "MinLength", SH.maxLength: "MaxLength", SH.pattern: "Pattern", SH.node: "Node",
             SH["or"]: "Or", SH.qualifiedMinCount: "QualifiedMinCount", SH.qualifiedMaxCount: "QualifiedMaxCount"}


class Unsupported(ValueError):
    """A shape uses a part of SHACL this module does not compile."""


@dataclass
class Constraint:
    key: rdflib.URIRef          # sh:minCount, sh:class, …
    arg: object                 # its value (a number, a term, a list, a shape)


@dataclass
class Shape:
    node: rdflib.term.Node
    path: rdflib.URIRef | None = None           # a property shape's predicate
    targets: list = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    message: str = ""

    @property
    def label(self) -> str:
        return self.node.n3() if isinstance(self.node, rdflib.URIRef) else f"[{self.path.n3() if self.path else ''}]"


# ---------------------------------------------------------------------------- reading shapes

def read_shapes(g: rdflib.Graph) -> list[Shape]:
    """The node shapes of ``g`` that have targets, compiled; :class:`Unsupported` for anything else."""
    cache: dict = {}
    roots = sorted(set(g.subjects(SH.targetClass, None)), key=str)
    for s in g.subjects(RDF.type, SH.NodeShape):
        for p in g.predicates(s, None):
            if str(p).startswith(str(SH)) and p.startswith(SH.target) and p != SH.targetClass:
                raise Unsupported(f"{s.n3()}: {p.n3()}")
    return [_shape(g, s, cache) for s in roots]


def _message(g: rdflib.Graph, node) -> str:
    msgs = sorted(g.objects(node, SH.message), key=lambda m: (getattr(m, "language", None) != "zh", str(m)))
    return str(msgs[0]) if msgs else ""


def _list(g: rdflib.Graph, head) -> list:
    return list(Collection(g, head))


def _shape(g: rdflib.Graph, node, cache: dict, property_shape: bool = False) -> Shape:
    if node in cache:
        return cache[node]
    keys = {p for p in g.predicates(node, None)}
    allowed = PROPERTY_KEYS if property_shape else NODE_KEYS
    extra = {p for p in keys if p not in allowed and str(p).startswith(str(SH))}
    if extra or (SH.deactivated in keys) or (SH.severity in keys):
        raise Unsupported(f"{node.n3()}: {', '.join(sorted(p.n3() for p in extra)) or 'severity/deactivated'}")
    shape = Shape(node, message=_message(g, node))
    cache[node] = shape
    if property_shape:
        path = g.value(node, SH.path)
        if not isinstance(path, rdflib.URIRef):
            raise Unsupported(f"{node.n3()}: a path that is not one predicate")
        shape.path = path
    shape.targets = sorted(g.objects(node, SH.targetClass), key=str)
    for p in sorted(g.objects(node, SH.property), key=str):
        shape.properties.append(_shape(g, p, cache, property_shape=True))
    for key in sorted(keys & (VALUE_KEYS | {SH.minCount, SH.maxCount, SH.hasValue, SH.qualifiedValueShape}), key=str):
        for arg in g.objects(node, key):
            shape.constraints.extend(_constraints(g, node, key, arg, cache))
    return shape


def _constraints(g, node, key, arg, cache) -> list[Constraint]:
    if key in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
        return [Constraint(key, int(arg))]
    if key in (SH["in"], SH.languageIn):
        return [Constraint(key, _list(g, arg))]
    if key == SH["or"]:
        return [Constraint(key, [_shape(g, s, cache) for s in _list(g, arg)])]
    if key == SH.node:
        return [Constraint(key, _shape(g, arg, cache))]
    if key == SH.pattern:
        return [Constraint(key, (str(arg), str(g.value(node, SH.flags) or "")))]
    if key == SH.datatype:
        if arg not in DATATYPES:
            raise Unsupported(f"{node.n3()}: sh:datatype {arg.n3()}")
        return [Constraint(key, arg)]
    if key == SH.nodeKind:
        if arg not in NODE_KINDS:
            raise Unsupported(f"{node.n3()}: sh:nodeKind {arg.n3()}")
        return [Constraint(key, arg)]
    if key == SH.qualifiedValueShape:
        if g.value(node, SH.qualifiedValueShapesDisjoint) is not None:
            raise Unsupported(f"{node.n3()}: sh:qualifiedValueShapesDisjoint")
        inner = _shape(g, arg, cache)
        out = [Constraint(SH.qualifiedMinCount, (inner, int(n))) for n in g.objects(node, SH.qualifiedMinCount)]
        out += [Constraint(SH.qualifiedMaxCount, (inner, int(n))) for n in g.objects(node, SH.qualifiedMaxCount)]
        return out
    return [Constraint(key, arg)]            # sh:class, sh:hasValue


def classes_of(shapes: list[Shape]) -> set[str]:
    """The classes the shapes name (targets and sh:class), as N-Triples texts."""
    out: set[str] = set()
    seen: set[int] = set()

    def walk(shape: Shape) -> None:
        if id(shape) in seen:
            return
        seen.add(id(shape))
        out.update(t.n3() for t in shape.targets)
        for c in shape.constraints:
            if c.key == SH["class"]:
                out.add(c.arg.n3())
            elif c.key == SH.node:
                walk(c.arg)
            elif c.key == SH["or"]:
                for s in c.arg:
                    walk(s)
            elif c.key in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                walk(c.arg[0])
        for p in shape.properties:
            walk(p)
    for s in shapes:
        walk(s)
    return out
