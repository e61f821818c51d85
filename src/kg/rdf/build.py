"""Facts, entities and report metadata → quads of one named graph per document."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Quad

from ..corpus import Report
from ..facts import Fact, Mention, PeriodRef, PlaceRef
from ..namespaces import DCT, FP, NIF, PROV, QB, RDF, RDFS, SDMX_ATT, SDMX_DIM, SKOS, XSD
from ..text.entities import Entity
from ..text.places import Place
from ..text.units import UNITS
from . import iris
from .nquads import Iris, Lit, literal, term

ENTITY_CLASS = {"policy": "PolicyDocument", "organization": "Organization", "enterprise": "Enterprise",
                "cooperative": "Cooperative", "programme": "Programme", "person": "Person", "category": "Category"}
LEVEL_CLASS = {"省": "Province", "市": "City", "县": "County", "区": "District", "乡": "Township",
               "镇": "Town", "街道": "Subdistrict", "村": "Village"}
CROP_WORDS = ("种植", "作物", "中草药", "药材", "林果", "水果", "果品", "蔬菜", "粮食")

N = NamedNode
TYPE = RDF + "type"
LABEL = RDFS + "label"
DECIMAL = XSD + "decimal"
INTEGER = XSD + "integer"


def zh(text: str) -> Lit:
    return literal(text, language="zh")


def plain(text: str) -> Lit:
    return literal(text)


def decimal_text(v: Decimal) -> str:
    """The lexical form written for a decimal: no exponent, no trailing zeros on an integer."""
    return format(v.normalize() if v == v.to_integral() else v, "f")


_DECIMAL_TYPE = f'"^^<{DECIMAL}>'
_INTEGER_TYPE = f'"^^<{INTEGER}>'


def dec(v: Decimal) -> Lit:
    return Lit(f'"{decimal_text(v)}{_DECIMAL_TYPE}')     # digits, "-" and ".": nothing to escape


def integer(v: int) -> Lit:
    return Lit(f'"{int(v)}{_INTEGER_TYPE}')


class GraphWriter:
    """One document's graph as N-Quads text, each quad once, in the order added. Subjects and
    predicates are IRI strings (or ``NamedNode``s); objects are IRI strings, literals made by
    kg.rdf.nquads.literal (zh, plain, dec, integer), ``NamedNode``s or ``Literal``s."""

    def __init__(self, doc: str):
        self.doc = doc
        self.graph = N(iris.doc_graph(doc))
        self._iris = Iris()
        self._end = f" {self._iris[self.graph.value]} .\n"
        self._lines: dict[str, None] = {}       # in the order added, each once
        self._written: set[tuple] = set()
        #: the IRIs of the places and periods written, by what they were written from (each is
        #: written once, and the same ones recur in every fact of a report)
        self.written: dict = {}

    def add(self, s, p: str, o) -> None:
        known = self._iris                      # the common cases inline: this runs ~2000 times a report
        s = known[s] if type(s) is str else term(s, known, literal_ok=False)
        p = known[p] if type(p) is str else term(p, known, literal_ok=False)
        o = o if type(o) is Lit else known[o] if type(o) is str else term(o, known)
        self._lines.setdefault(f"{s} {p} {o}{self._end}")

    def add_all(self, s, pairs) -> None:
        """``add(s, p, o)`` for each (p, o) of ``pairs``, predicates being IRI strings: the
        subject is written out once."""
        known, lines, end = self._iris, self._lines, self._end
        s = known[s] if type(s) is str else term(s, known, literal_ok=False)
        for p, o in pairs:
            o = o if type(o) is Lit else known[o] if type(o) is str else term(o, known)
            lines.setdefault(f"{s} {known[p]} {o}{end}")

    @property
    def nquads(self) -> bytes:
        """The graph as N-Quads, as Oxigraph's serializer writes it."""
        return "".join(self._lines).encode()

    @property
    def quads(self) -> list[Quad]:
        """The graph as terms, parsed from :attr:`nquads`."""
        return list(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS))

    def first(self, *key) -> bool:
        """True the first time ``key`` is given. A write_* function given the same arguments again
        would add only duplicates, so it returns early instead of building them."""
        if key in self._written:
            return False
        self._written.add(key)
        return True


def unit_quads(graph: NamedNode) -> list[Quad]:
    """The unit resources (from kg.text.units), for the ontology graph."""
    out = []
    for u in UNITS.values():
        s = N(iris.unit(u.slug))
        out.append(Quad(s, N(TYPE), N(FP + "Unit"), graph))
        out.append(Quad(s, N(LABEL), Literal(u.name, language="zh"), graph))
        out.append(Quad(s, N(FP + "factor"), Literal(decimal_text(u.factor), datatype=N(DECIMAL)), graph))
        base = UNITS.get(u.base)
        if base:
            out.append(Quad(s, N(FP + "baseUnit"), N(iris.unit(base.slug)), graph))
    return out


def _unit_iri(name: str) -> str | None:
    u = UNITS.get(name)
    return iris.unit(u.slug) if u else None


def write_place(w: GraphWriter, p: PlaceRef | Place) -> str:
    key = ("place", p.name, p.level, p.parent)
    iri = w.written.get(key)
    if iri is not None:
        return iri
    iri = w.written[key] = iris.place(p.name)
    w.add(iri, RDF + "type", FP + LEVEL_CLASS.get(p.level, "Place"))
    w.add(iri, RDFS + "label", zh(p.name))
    if p.level:
        w.add(iri, FP + "adminLevel", plain(p.level))
    if p.parent:
        w.add(iri, FP + "partOf", iris.place(p.parent))
    return iri


def write_period(w: GraphWriter, p: PeriodRef) -> str:
    iri = w.written.get(p)
    if iri is not None:
        return iri
    iri = w.written[p] = iris.period(p)
    w.add(iri, RDF + "type", FP + "Period")
    w.add(iri, RDFS + "label", zh(p.zh))
    w.add(iri, DCT + "identifier", plain(p.label))
    w.add(iri, FP + "startYear", integer(p.start_year))
    w.add(iri, FP + "endYear", integer(p.end_year))
    w.add(iri, FP + "periodKind", plain(p.kind))
    return iri


def write_sentence(w: GraphWriter, report_iri: str, m: Mention) -> str:
    iri = iris.char_span(w.doc, m.sent_start, m.sent_end)
    if not w.first("sentence", report_iri, m.sent_start, m.sent_end, m.sentence):
        return iri
    w.add_all(iri, [(TYPE, NIF + "Sentence"), (NIF + "beginIndex", integer(m.sent_start)),
                    (NIF + "endIndex", integer(m.sent_end)), (NIF + "anchorOf", plain(m.sentence)),
                    (NIF + "referenceContext", report_iri)])
    return iri


def write_mention(w: GraphWriter, report_iri: str, start: int, end: int, surface: str, sentence: str | None) -> str:
    iri = iris.char_span(w.doc, start, end)
    if not w.first("mention", report_iri, start, end, surface, sentence):
        return iri
    w.add_all(iri, [(TYPE, NIF + "String"), (NIF + "beginIndex", integer(start)), (NIF + "endIndex", integer(end)),
                    (NIF + "anchorOf", plain(surface)), (NIF + "referenceContext", report_iri),
                    *([(FP + "sentence", sentence)] if sentence else ())])
    return iri


def write_report(w: GraphWriter, r: Report, place: PlaceRef) -> str:
    iri = iris.report(r.doc)
    w.add(iri, RDF + "type", FP + "Report")
    w.add(iri, RDF + "type", NIF + "Context")
    w.add(iri, DCT + "identifier", plain(r.doc))
    if r.title:
        w.add(iri, DCT + "title", zh(r.title))
    if r.date:
        w.add(iri, DCT + "date", plain(r.date))
    if r.source:
        w.add(iri, DCT + "source", plain(r.source))
    w.add(iri, NIF + "isString", plain(r.text))
    w.add(iri, FP + "checksum", plain(r.checksum))
    if place.name:
        w.add(iri, FP + "place", write_place(w, place))
    ds = iris.dataset(r.doc)
    w.add(ds, RDF + "type", QB + "DataSet")
    w.add(ds, DCT + "source", iri)
    return iri


MEASURE_CLASS = {"level": "Level", "change": "Change", "cumulative": "Cumulative"}
SUBJECT_CLASS = (("合作社", "Cooperative"), ("公司", "Enterprise"), ("企业", "Enterprise"), ("集团", "Enterprise"),
                 ("厂", "Enterprise"), ("银行", "Organization"), ("协会", "Organization"), ("学校", "Organization"),
                 ("医院", "Organization"), ("工程", "Programme"), ("项目", "Programme"))


def write_open_indicator(w: GraphWriter, phrase: str, exact: list[str], broad: list[str]) -> str:
    """The minted indicator of a measured phrase, matched to the lexicon's where it knows it."""
    iri = iris.open_indicator(phrase)
    if not w.first("open-indicator", phrase):
        return iri
    w.add(iri, RDF + "type", FP + "Indicator")
    w.add(iri, RDF + "type", FP + "OpenIndicator")
    w.add(iri, SKOS + "prefLabel", zh(phrase))
    w.add(iri, RDFS + "label", zh(phrase))
    w.add(iri, SKOS + "inScheme", FP + "openIndicators")
    for c in exact:
        w.add(iri, SKOS + "exactMatch", c)
    for c in broad:
        w.add(iri, SKOS + "broadMatch", c)
    return iri


def write_subject(w: GraphWriter, name: str) -> str:
    kind = next((k for head, k in SUBJECT_CLASS if name.endswith(head)), "Facility")
    iri = iris.entity("thing", name)
    if w.first("subject", name):
        w.add(iri, RDF + "type", FP + kind)
        w.add(iri, RDFS + "label", zh(name))
    return iri


def write_fact(w: GraphWriter, report_iri: str, f: Fact, labels: dict[str, str],
               matches: tuple[list[str], list[str]] = ([], [])) -> str:
    """One observation; ``matches`` are the lexicon indicators an open fact's phrase names
    exactly and those it names within it (skos:exactMatch, skos:broadMatch)."""
    iri = iris.observation(w.doc, f)
    # in this order: a resource written along the way (indicator, subject, place, period) comes
    # before the triple linking it, and the N-Quads stay the same from one version to the next
    w.add_all(iri, [(TYPE, QB + "Observation"), (TYPE, FP + "Observation"), (QB + "dataSet", iris.dataset(w.doc))])
    indicator = f.indicator or write_open_indicator(w, f.phrase, *matches)
    w.add_all(iri, [(FP + "indicator", indicator),
                    *([(FP + "measuredPhrase", zh(f.phrase))] if f.phrase else ()),
                    (FP + "measure", FP + MEASURE_CLASS.get(f.measure, "Level"))])
    if f.subject:
        w.add(iri, FP + "subject", write_subject(w, f.subject))
    if f.breakdown:
        w.add(iri, FP + "breakdown", f.breakdown)
    w.add(iri, SDMX_DIM + "refArea", write_place(w, f.place))
    w.add(iri, SDMX_DIM + "refPeriod", write_period(w, f.period))
    unit, base = _unit_iri(f.unit), _unit_iri(f.base_unit)
    label = labels.get(f.breakdown or "") or labels.get(f.indicator, "") or f.phrase
    w.add_all(iri, [
        (FP + "value", dec(f.value)),
        *([(SDMX_ATT + "unitMeasure", unit)] if unit else ()),
        (FP + "baseValue", dec(f.base_value)),
        *([(FP + "baseUnit", base)] if base else ()),
        *([(FP + "valueMax", dec(f.value_max)), (FP + "baseValueMax", dec(f.base_value_max))]
          if f.value_max is not None else ()),
        (FP + "qualifier", plain(f.qualifier)),
        *([(FP + "per", plain(f.per))] if f.per else ()),
        (FP + "kind", FP + ("Target" if f.kind == "target" else "Actual")),
        (PROV + "wasDerivedFrom", report_iri),
        (LABEL, zh(f"{f.period.zh}{f.place.name}{label}{f.mentions[0].surface}")),
    ])
    for m in f.mentions:
        sentence = write_sentence(w, report_iri, m)
        w.add(iri, FP + "mention", write_mention(w, report_iri, m.start, m.end, m.surface, sentence))
    return iri


def write_entities(w: GraphWriter, report_iri: str, text: str, entities: Iterable[Entity],
                   places: Iterable[Place], sentence_of) -> None:
    """Entities with one mention each occurrence, and fp:relatedTo between those sharing a sentence."""
    by_sentence: dict[tuple[int, int], set[str]] = {}

    def mention(iri: str, start: int, end: int) -> None:
        w.add(iri, FP + "mentionedIn", report_iri)
        sent = sentence_of(start)
        w.add(iri, FP + "mention", write_mention(w, report_iri, start, end, text[start:end], None))
        if sent:
            by_sentence.setdefault(sent, set()).add(iri)

    for p in places:
        mention(write_place(w, p), p.start, p.end)
    for e in entities:
        iri = iris.entity(e.kind, e.name)
        w.add(iri, RDF + "type", FP + ENTITY_CLASS[e.kind])
        w.add(iri, RDFS + "label", zh(e.name))
        if e.number:
            w.add(iri, FP + "documentNumber", plain(e.number))
        mention(iri, e.start, e.end)
        for s, end, name in e.members:
            kind = "Crop" if any(x in e.name for x in CROP_WORDS) else "Product"
            member = iris.entity("thing", name)
            w.add(member, RDF + "type", FP + kind)
            w.add(member, RDFS + "label", zh(name))
            w.add(member, FP + "memberOf", iri)
            mention(member, s, end)
    for members in by_sentence.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                w.add(a, FP + "relatedTo", b)
