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
from .nlp.mask import mask_titles
from .nlp.open_facts import contradicts
from .nlp.pipeline import build_nlp
from .pieces import run_in_pieces
from .rdf.build import GraphWriter, write_entities, write_fact, write_report
from .text import gazetteer
from .text.places import find_places, place_level
from .text.measure import counted_labels
from .text.segments import sentences

COUNTY_LEVELS = ("市", "县", "区", "省")
FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:年(\d{1,2})月(\d{1,2})日|-(\d\d)-(\d\d)(?!\d))")
OPENING_CHARS = 200
#: the opening of a report, whose places count twice more for its own place (kg.extract.infer_place)
LEAD_CHARS = 300


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
    """The report's own place: its metadata, else the most salient 省/市/县/区 of title and text
    (kg.text.places: places of the gazetteer by their full names); a place named mostly as the
    container of one of its own gives way to it (吉安市吉州区 …: 吉州区), and so does a
    county to a village of its that the text is about (某县某乡某村 …: 某村)."""
    if report.place:
        return PlaceRef(_official(report.place), place_level(_official(report.place)))
    counts: Counter = Counter()
    local: Counter = Counter()
    levels, parents = {}, {}
    # the text as the pipeline reads it (policy titles blanked: 《某省…办法》 is not what the
    # report is about), so that its places are found once for both
    masked = mask_titles(report.text)
    in_text = find_places(masked)
    # the places of the text's first 300 characters count twice more (found in the whole text,
    # so that a name across the 300th character is not cut short)
    for weight, places in ((3, find_places(report.title)), (2, [p for p in in_text if p.end <= LEAD_CHARS]),
                           (1, in_text)):
        for p in places:
            (counts if p.level in COUNTY_LEVELS else local)[p.name] += weight
            levels[p.name] = p.level
            if p.parent:
                parents.setdefault(p.name, p.parent)
    name = max(counts, key=lambda n: (counts[n], -COUNTY_LEVELS.index(levels[n]))) if counts else ""
    name = _narrowest(name, counts) if name else ""
    # a village's or town's story: named at least twice as much as any 省/市/县/区, and within
    # the one named most by the text's own hierarchy (某县某乡某村), when the text names one
    if local:
        town = max(local, key=lambda n: local[n])
        if local[town] >= 2 * counts[name] and (not name or name in _chain(town, parents)):
            name = town
    return PlaceRef(name, levels[name]) if name else PlaceRef("", "")


def _chain(name: str, parents: dict[str, str]) -> list[str]:
    out: list[str] = []
    while (name := parents.get(name)) and name not in out and len(out) < 5:
        out.append(name)
    return out


def _narrowest(name: str, counts: Counter) -> str:
    """The place within ``name`` (by the gazetteer) that the text names at least half as much,
    when those places lie on one line of containment (区 in 市 in 省): the deepest of them;
    two such places side by side (two counties of a 市) leave the report at ``name``."""
    outer = _division(name)
    if outer is None:
        return name
    inner = [(n, d) for n in counts if n != name and (d := _division(n)) is not None
             and gazetteer.contains(outer.code, d.code) and 2 * counts[n] >= counts[name]]
    if not inner:
        return name
    deepest = max(inner, key=lambda nd: len(gazetteer.ancestors(nd[1].code)))
    if all(d.code == deepest[1].code or gazetteer.contains(d.code, deepest[1].code) for _, d in inner):
        return deepest[0]
    return name


def _division(name: str):
    found = gazetteer.full_name(name)
    return found[0] if len(found) == 1 else None


def _official(name: str) -> str:
    """A metadata place as the text's places are named: 融水县, 宁夏 → the gazetteer's full name
    (when it names one division); any other name as given."""
    found = gazetteer.full_name(name)
    one = found[0] if len(found) == 1 else None if found else gazetteer.unique_short(name)
    return one.name if one is not None else name


def infer_year(report: Report) -> int | None:
    """The report's year: its metadata date, else a year in its title (安平市2017年扶贫开发工作报告),
    else the year the text mentions most (latest on a tie)."""
    date = infer_date(report)
    return int(date[:4]) if date else None


def infer_date(report: Report) -> str:
    """The report's date as precisely as it gives one: its metadata date (its year when only that
    is known); else a year in its title; else a full date it gives for itself, in its source's
    description (…2017-02-27…) or its opening lines (——2019年3月4日在…大会上), as 2017-02-27;
    else the year the text mentions most (latest on a tie). "" when none."""
    if report.year:
        return report.date if re.match(r"\d{4}", report.date or "") else str(report.year)
    from .text.timex import find_times
    titled = [t.end_year for t in find_times(report.title or "") if t.kind in ("year", "year_end")]
    if titled:
        return str(titled[-1])
    for text in (report.source or "", report.text[:OPENING_CHARS]):
        m = FULL_DATE.search(text)
        if m:
            month, day = m.group(2) or m.group(4), m.group(3) or m.group(5)
            return f"{m.group(1)}-{int(month):02d}-{int(day):02d}"
    counts = Counter(t.end_year for t in find_times(report.text) if t.kind in ("year", "year_end", "month", "half_year"))
    return str(max(counts, key=lambda y: (counts[y], y))) if counts else ""


def lexicon_matches(lexicon, phrase: str) -> tuple[list[str], list[str]]:
    """The lexicon indicators a phrase names exactly (skos:exactMatch) and those whose label it
    contains (skos:broadMatch: 建档立卡贫困户 is narrower than 贫困户)."""
    exact = sorted({t.concept.iri for t in lexicon.terms.get(phrase, ()) if t.concept.kind == "indicator"})
    if not exact:
        # 贫困村 for 贫困村总数: the same once "the number of" is taken off
        exact = sorted({t.concept.iri for label in counted_labels(phrase) for t in lexicon.terms.get(label, ())
                        if t.concept.kind == "indicator"})
    if exact:
        return exact, []
    broad = {t.concept.iri for _, _, t in lexicon.find(phrase)
             if t.concept.kind == "indicator" and not contradicts(phrase, t.concept)}
    return [], sorted(broad)


def extract_report(report: Report, ontology: str | None = None) -> Extraction:
    nlp = build_nlp(ontology)
    place = infer_place(report)
    facts, entities, places = run_in_pieces(nlp, report.text, {"doc": report.doc, "place": place.name,
                                                               "level": place.level, "year": infer_year(report)})
    lexicon = load_lexicon(ontology)
    labels = {c.iri: c.label for c in [*lexicon.indicators.values(), *lexicon.breakdowns.values()]}
    w = GraphWriter(report.doc)
    report_iri = write_report(w, report, place)
    for f in facts:
        write_fact(w, report_iri, f, labels, lexicon_matches(lexicon, f.phrase) if f.is_open else ([], []))
    spans = sentences(report.text)
    starts = [s.start for s in spans]

    def sentence_of(pos: int):
        i = bisect.bisect_right(starts, pos) - 1
        return (spans[i].start, spans[i].end) if i >= 0 and pos < spans[i].end else None

    write_entities(w, report_iri, report.text, entities, places, sentence_of)
    return Extraction(report, place, facts, len(entities) + len(places), w.nquads)
