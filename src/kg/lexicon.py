"""The indicator lexicon, read from the ontology's SKOS labels.

Extraction triggers and question parsing both use this: an indicator is recognised by its
``skos:prefLabel``, ``skos:altLabel`` or ``skos:hiddenLabel`` strings, and a breakdown
concept (因病致贫 …) by its labels, pointing at the indicator it splits (``fp:breakdownOf``).
Adding a synonym to ``ontology/*.ttl`` changes what kg recognises; no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs
import rdflib
from rdflib.namespace import RDF, SKOS

from .namespaces import FP, IND, BRK, UNIT
from .paths import ontology_dir

FPNS = rdflib.Namespace(FP)
LABEL_PROPS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


@dataclass(frozen=True)
class Concept:
    iri: str
    slug: str
    label: str                      # the Chinese prefLabel
    labels: tuple[str, ...]         # every label, prefLabel first
    kind: str                       # "indicator" | "breakdown"
    units: frozenset[str] = frozenset()   # base unit slugs (indicators)
    indicator: str | None = None    # the split indicator's IRI (breakdowns)


@dataclass(frozen=True)
class Term:
    text: str
    concept: Concept


@dataclass
class Lexicon:
    indicators: dict[str, Concept] = field(default_factory=dict)
    breakdowns: dict[str, Concept] = field(default_factory=dict)
    terms: dict[str, list[Term]] = field(default_factory=dict)  # label text → terms
    max_len: int = 0
    # what find() searches with, derived from the labels (see _index)
    _index_of: tuple = field(default=(), init=False, repr=False, compare=False)
    _by_first: dict[str, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _automaton: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def concept(self, iri: str) -> Concept:
        return self.indicators.get(iri) or self.breakdowns[iri]

    def words(self) -> list[str]:
        return sorted(self.terms)

    def __getstate__(self) -> dict:
        """Pickled (a question catalogue holds the lexicon) without what find() derives from
        the labels (its automaton cannot be): made again on first use."""
        return {**self.__dict__, "_index_of": (), "_by_first": {}, "_automaton": None}

    def _index(self) -> tuple[dict[str, tuple[int, ...]], tuple | None]:
        """What find() searches with, made on first use and again when labels were added since:
        the lengths (up to max_len) of the labels starting with each character, longest first;
        and the labels as one Aho-Corasick automaton (ahocorasick_rs) with the labels in its
        order, every occurrence of every label found in one pass (None when there is none)."""
        if self._index_of != (len(self.terms), self.max_len):
            labels = [text for text in self.terms if 0 < len(text) <= self.max_len]
            lengths: dict[str, set[int]] = {}
            for text in labels:
                lengths.setdefault(text[0], set()).add(len(text))
            self._by_first = {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}
            self._automaton = (ahocorasick_rs.AhoCorasick(labels), labels) if labels else None
            self._index_of = (len(self.terms), self.max_len)
        return self._by_first, self._automaton

    def find(self, text: str, overlapping: bool = False) -> list[tuple[int, int, Term]]:
        """Label matches in ``text``, sorted by start then longest first.

        By default leftmost-longest and non-overlapping; with ``overlapping`` every label
        occurrence (so 分红资金 inside 光伏分红资金 is found too). Where one label names several
        concepts, one Term per concept is returned at the same span (indicators first).
        """
        out: list[tuple[int, int, Term]] = []
        by_first, matcher = self._index()
        if overlapping:                             # every label at every position
            if matcher is None:
                return out
            automaton, labels = matcher
            terms = self.terms
            for k, start, end in automaton.find_matches_as_indexes(text, overlapping=True):
                out.extend((start, end, t) for t in terms[labels[k]])
            out.sort(key=_start_then_longest)       # stable: a label's terms stay in their order
            return out
        i, n = 0, len(text)
        while i < n:                                # the longest label at each position, then past it
            length = next((k for k in by_first.get(text[i], ()) if k <= n - i and self.terms.get(text[i:i + k])), 0)
            if length:
                out.extend((i, i + length, t) for t in self.terms[text[i:i + length]])
            i += length or 1
        return out


def _start_then_longest(match: tuple[int, int, Term]) -> tuple[int, int]:
    return match[0], -match[1]


def _zh(values) -> list[str]:
    return sorted({str(v).strip() for v in values if getattr(v, "language", "zh") in (None, "zh", "zh-cn", "zh-hans") and str(v).strip()})


def lexicon_from_graph(g: rdflib.Graph) -> Lexicon:
    lex = Lexicon()

    def labels_of(s) -> tuple[str, tuple[str, ...]]:
        pref = _zh(g.objects(s, SKOS.prefLabel))
        if not pref:
            raise ValueError(f"{s} has no Chinese skos:prefLabel")
        rest = [x for p in LABEL_PROPS[1:] for x in _zh(g.objects(s, p)) if x != pref[0]]
        return pref[0], tuple(dict.fromkeys([pref[0], *rest]))

    for s in sorted(set(g.subjects(RDF.type, FPNS.Indicator))):
        label, labels = labels_of(s)
        units = frozenset(str(u)[len(UNIT):] for u in g.objects(s, FPNS.unitOf))
        lex.indicators[str(s)] = Concept(str(s), str(s)[len(IND):], label, labels, "indicator", units)
    for s in sorted(set(g.subjects(RDF.type, FPNS.Breakdown))):
        label, labels = labels_of(s)
        parent = g.value(s, FPNS.breakdownOf)
        if parent is None or str(parent) not in lex.indicators:
            raise ValueError(f"breakdown {s} has no fp:breakdownOf indicator")
        lex.breakdowns[str(s)] = Concept(str(s), str(s)[len(BRK):], label, labels, "breakdown",
                                         lex.indicators[str(parent)].units, str(parent))
    for concept in [*lex.indicators.values(), *lex.breakdowns.values()]:
        for text in concept.labels:
            lex.terms.setdefault(text, []).append(Term(text, concept))
    lex.max_len = max((len(t) for t in lex.terms), default=0)
    return lex


def ontology_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or ontology_dir()).glob("*.ttl"))


def load_ontology_graph(folder: Path | None = None, include_shapes: bool = False) -> rdflib.Graph:
    g = rdflib.Graph()
    for f in ontology_files(folder):
        if f.name == "shapes.ttl" and not include_shapes:
            continue
        g.parse(f, format="turtle")
    return g


@lru_cache(maxsize=4)
def load_lexicon(folder: str | None = None) -> Lexicon:
    return lexicon_from_graph(load_ontology_graph(Path(folder) if folder else None))
