"""One report → its named graph: run the spaCy pipeline, then write facts and entities as quads."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

from .corpus import Report
from .facts import Fact, PlaceRef
from .lexicon import load_lexicon
from .nlp.pipeline import build_nlp
from .rdf.build import GraphWriter, write_entities, write_fact, write_report
from .text.places import SUFFIXES, find_places
from .text.segments import sentences

COUNTY_LEVELS = ("市", "县", "区", "省")
FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:年\d{1,2}月\d{1,2}日|-\d\d-\d\d(?!\d))")
OPENING_CHARS = 200


@dataclass
class Extraction:
    report: Report
    place: PlaceRef
    facts: list[Fact]
    entities: int
    nquads: bytes           # the document's graph, as Oxigraph's N-Quads serializer writes it

    @cached_property
    def quads(self) -> list[ox.Quad]:
        return list(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS))


def infer_place(report: Report) -> PlaceRef:
    """The report's own place: its metadata, else the most salient 省/市/县/区 in title and text."""
    if report.place:
        suffix = next((s for s in sorted(SUFFIXES, key=len, reverse=True) if report.place.endswith(s)), "")
        return PlaceRef(report.place, SUFFIXES.get(suffix, ""))
    counts: Counter = Counter()
    levels = {}
    for weight, text in ((3, report.title), (2, report.text[:300]), (1, report.text)):
        for p in find_places(text):
            if p.level in COUNTY_LEVELS:
                counts[p.name] += weight
                levels[p.name] = p.level
    if not counts:
        return PlaceRef("", "")
    name = max(counts, key=lambda n: (counts[n], -COUNTY_LEVELS.index(levels[n])))
    return PlaceRef(name, levels[name])


def infer_year(report: Report) -> int | None:
    """The report's year: its metadata date, else a year in its title (安平市2017年扶贫开发工作报告),
    else the year the text mentions most (latest on a tie)."""
    if report.year:
        return report.year
    from .text.timex import find_times
    titled = [t.end_year for t in find_times(report.title or "") if t.kind in ("year", "year_end")]
    if titled:
        return titled[-1]
    # a full date the report gives for itself: in its source's description (…2017-02-27…) or in
    # its opening lines (——2019年3月4日在…大会上)
    for text in (report.source or "", report.text[:OPENING_CHARS]):
        m = FULL_DATE.search(text)
        if m:
            return int(m.group(1))
    counts = Counter(t.end_year for t in find_times(report.text) if t.kind in ("year", "year_end", "month", "half_year"))
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


def lexicon_matches(lexicon, phrase: str) -> tuple[list[str], list[str]]:
    """The lexicon indicators a phrase names exactly (skos:exactMatch) and those whose label it
    contains (skos:broadMatch: 建档立卡贫困户 is narrower than 贫困户)."""
    exact = sorted({t.concept.iri for t in lexicon.terms.get(phrase, ()) if t.concept.kind == "indicator"})
    if exact:
        return exact, []
    broad = {t.concept.iri for _, _, t in lexicon.find(phrase) if t.concept.kind == "indicator"}
    return [], sorted(broad)


def extract_report(report: Report, ontology: str | None = None) -> Extraction:
    nlp = build_nlp(ontology)
    place = infer_place(report)
    doc = nlp.make_doc(report.text)
    doc._.text = report.text     # what doc.text would give, without building every Token again
    doc._.report = {"doc": report.doc, "place": place.name, "level": place.level, "year": infer_year(report)}
    doc = nlp(doc)
    lexicon = load_lexicon(ontology)
    labels = {c.iri: c.label for c in [*lexicon.indicators.values(), *lexicon.breakdowns.values()]}
    w = GraphWriter(report.doc)
    report_iri = write_report(w, report, place)
    for f in doc._.facts:
        write_fact(w, report_iri, f, labels, lexicon_matches(lexicon, f.phrase) if f.is_open else ([], []))
    spans = sentences(report.text)
    starts = [s.start for s in spans]

    def sentence_of(pos: int):
        i = bisect.bisect_right(starts, pos) - 1
        return (spans[i].start, spans[i].end) if i >= 0 and pos < spans[i].end else None

    write_entities(w, report_iri, report.text, doc._.entities, doc._.places, sentence_of)
    return Extraction(report, place, doc._.facts, len(doc._.entities) + len(doc._.places), w.nquads)
