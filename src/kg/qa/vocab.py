"""What the question parser may recognise: the lexicon's labels, the graph's places and names.

- :class:`Vocabulary` — the lexicon's labels in canonical form (indexed by character bigrams for
  loose matching), every place of the graph by each name it may be written as (full name, short
  name; a short name of several places is ambiguous), the names of things the graph knows;
- :func:`canonical` — the one rewriting applied to questions and labels alike (没有/尚未 → 未,
  贫困户 → 贫困人口 …);
- the question parser's own segmenter (the extractor's is left alone), and jieba's own
  dictionary: its place words (tag ns) and its part-of-speech tags;
- the names a place may be written as (:func:`place_surfaces`), its short name and its level.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from ..lexicon import Concept, Lexicon
from ..text import gazetteer
from ..text.places import find_places
from ..text.places import place_level as text_place_level
from ..text.places import short_name as places_short_name
from ..text.segmenter import Segmenter, jieba_dictionary
from .words import rows, words

# ------------------------------------------------------------------ canonical form

#: the same rewriting is applied to the question and to every label (longest first): (word, rewritten)
CANONICAL = rows("canonical", 2)
_CANON_RE = re.compile("|".join(re.escape(a) for a, _ in sorted(CANONICAL, key=lambda x: -len(x[0]))))
_CANON = dict(CANONICAL)


def canonical(text: str) -> str:
    return _CANON_RE.sub(lambda m: _CANON[m.group()], text)


#: jieba place words that are not names of one place
GENERIC_PLACES = set(words("generic-place"))


# ------------------------------------------------------------------ places and jieba's dictionary


@dataclass(frozen=True)
class PlaceInfo:
    label: str
    level: str = ""
    parent: str | None = None
    is_report_place: bool = False


_TOKENIZER = None
_TOKENIZER_LOCK = threading.Lock()
_NS_WORDS: set[str] | None = None


def tokenizer() -> Segmenter:
    """The question parser's own segmenter (jieba's dictionary; the extractor's is left alone)."""
    global _TOKENIZER
    with _TOKENIZER_LOCK:
        if _TOKENIZER is None:
            _TOKENIZER = Segmenter()
    return _TOKENIZER


def ns_words() -> set[str]:
    """Place names in jieba's own dictionary (tag ns): to notice places the graph lacks."""
    global _NS_WORDS
    if _NS_WORDS is None:
        out: set[str] = set()
        try:
            with open(jieba_dictionary(), encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3 and parts[2] == "ns" and len(parts[0]) >= 2:
                        out.add(parts[0])
        except OSError:
            pass
        _NS_WORDS = out - GENERIC_PLACES
    return _NS_WORDS


def short_name(name: str) -> str:
    """平安县 → 平安, 石门镇 → 石门: the name without its administrative suffix (stem of 2+);
    of a division the gazetteer knows, its short form (宁夏回族自治区 → 宁夏, 融水苗族自治县 → 融水)."""
    return places_short_name(name)


#: levels below the county: their short names are used only when they are not common words
LOCAL_LEVELS = {"乡", "镇", "街道", "村"}
#: the level a deictic names: 我市/全州 → 市, 本县/该旗 → 县, 全区 → 区
DEICTIC_LEVELS = {"市": "市", "州": "市", "县": "县", "旗": "县", "区": "区"}

_JIEBA_TAGS: dict[str, str] | None = None


def jieba_tags() -> dict[str, str]:
    """word → part-of-speech tag of jieba's own dictionary."""
    global _JIEBA_TAGS
    if _JIEBA_TAGS is None:
        out: dict[str, str] = {}
        try:
            with open(jieba_dictionary(), encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3:
                        out[parts[0]] = parts[2]
        except OSError:
            pass
        _JIEBA_TAGS = out
    return _JIEBA_TAGS


def place_level(label: str, info: "PlaceInfo | None" = None) -> str:
    """A place's administrative level: the graph's, else the gazetteer's, else its suffix's (平安县 → 县)."""
    if info is not None and info.level:
        return info.level
    return text_place_level(label)


def place_surfaces(label: str, level: str = "") -> tuple[list[str], list[tuple[str, bool]]]:
    """(full names, [(short name, usable)]) a place may be written as: 平安县 → ([平安县],
    [(平安, True)]); a name made of several (某省平安县, a report's place as its metadata gives
    it) also by its last part (平安县, 平安); a division of the gazetteer also by its official
    name, variants and short form (融水苗族自治县: 融水县, 融水). A short name of a township or
    village that is a common word (热水村 → 热水) is not usable on its own — the full name is needed — but still
    makes the short name of another place (桃源县, 桃源镇 → 桃源) ambiguous."""
    full = [label]
    parts = find_places(label)
    if len(parts) >= 2 and parts[-1].end == len(label) and parts[-1].name != label:
        full.append(parts[-1].name)
    # a division of the gazetteer also by its official name and variants (融水县, 融水苗族自治县)
    division = gazetteer.full_name(label) or gazetteer.full_name(full[-1]) or gazetteer.lookup(label)
    if len(division) == 1:
        full += [n for n in (division[0].name, *gazetteer.variants(division[0].name)) if n not in full]
    short = []
    for name in full:
        s = short_name(name)
        if s == name or len(s) < 2:
            continue
        lvl = level if name == label and level else place_level(name)
        tag = jieba_tags().get(s)
        short.append((s, not (lvl in LOCAL_LEVELS and tag is not None and tag != "ns")))
    return full, short


# ------------------------------------------------------------------ labels


def bigrams(s: str) -> list[str]:
    return [s[i:i + 2] for i in range(len(s) - 1)]


#: words of the domain a label may leave out at less cost (贫困村 ~ 村)
GENERIC_PARTS = words("generic-part")


def in_generic(label: str, j: int) -> bool:
    """Whether ``label[j]`` is inside one of :data:`GENERIC_PARTS`."""
    return any(label[k:k + len(g)] == g for g in GENERIC_PARTS for k in range(max(0, j - len(g) + 1), j + 1))


@dataclass
class LabelEntry:
    text: str          # the label as written
    canon: str         # its canonical form
    concept: Concept


class Vocabulary:
    """What the parser may recognise: the lexicon's labels, the graph's places and names."""

    def __init__(self, lexicon: Lexicon, places: dict[str, PlaceInfo] | None = None,
                 known_words: set[str] | None = None, categories: dict[str, str] | None = None,
                 extra_terms: dict[str, list[Concept]] | None = None, present: set[str] | None = None,
                 aliases: dict[str, str] | None = None):
        self.lexicon = lexicon
        self.present = present          # indicator IRIs with facts in the store (None: unknown)
        self.places = dict(places or {})
        self.categories = dict(categories or {})      # label → IRI
        self.entries: dict[str, list[LabelEntry]] = {}  # canonical label → entries
        for text, terms in lexicon.terms.items():
            c = canonical(text)
            for t in terms:
                self.entries.setdefault(c, []).append(LabelEntry(text, c, t.concept))
        for text, concepts in (extra_terms or {}).items():
            c = canonical(text)
            for concept in concepts:
                if all(e.concept.iri != concept.iri for e in self.entries.get(c, [])):
                    self.entries.setdefault(c, []).append(LabelEntry(text, c, concept))
        self.max_len = max((len(c) for c in self.entries), default=0)
        self.bigram_index: dict[str, set[str]] = {}
        self.label_bigrams: dict[str, list[str]] = {}
        self.label_generic: dict[str, frozenset[int]] = {}
        for c in self.entries:
            self.label_bigrams[c] = bigrams(c)
            self.label_generic[c] = frozenset(j for j in range(len(c)) if in_generic(c, j))
            for bg in self.label_bigrams[c]:
                self.bigram_index.setdefault(bg, set()).add(c)
        # places by every surface: full name, short name; a short name of several places is
        # ambiguous (桃源 → 桃源县 and 桃源镇): the question must say which
        self.place_surfaces: dict[str, str] = {}
        self.ambiguous: dict[str, list[str]] = {}
        shorts: dict[str, set[str]] = {}
        usable: set[str] = set()
        alternates: dict[str, set[str]] = {}
        aliases = aliases or {}             # 平安县 → 某省平安县: one place, named by the second
        for label, info in self.places.items():
            full, short = place_surfaces(label, info.level)
            self.place_surfaces[label] = aliases.get(label, label)
            for f in full[1:]:
                alternates.setdefault(f, set()).add(aliases.get(label, label))
                usable.add(f)
            for s, ok in short:
                shorts.setdefault(s, set()).add(aliases.get(label, label))
                if ok:
                    usable.add(s)
        for surface, labels in [*alternates.items(), *shorts.items()]:
            if surface in self.place_surfaces or surface in self.entries or surface not in usable:
                continue
            if surface in self.ambiguous:
                self.ambiguous[surface] = sorted(set(self.ambiguous[surface]) | labels)
            elif len(labels) == 1:
                self.place_surfaces[surface] = next(iter(labels))
            else:
                self.ambiguous[surface] = sorted(labels)
        for surface in list(self.ambiguous):
            self.place_surfaces.pop(surface, None)
        self.place_max = max((len(s) for s in [*self.place_surfaces, *self.ambiguous]), default=0)
        self.report_places = {p for p, info in self.places.items() if info.is_report_place}
        self.known_words = {w for w in (known_words or set()) if len(w) >= 2} | set(self.categories)
        self.register()
        self.ns = ns_words()

    def register(self) -> None:
        """Teach the question tokenizer the vocabulary's words (labels, places, names), so that
        it cuts questions at them."""
        tk = tokenizer()
        for w in [*self.entries, *self.place_surfaces, *self.ambiguous, *self.known_words]:
            if 2 <= len(w) <= 12:
                tk.add_word(w, freq=3000)

    def known_in(self, text: str):
        """(start, word) of every known word in ``text``, overlapping ones too: each substring of
        a known word's length looked up (a question is short; the words are thousands)."""
        lengths = self.__dict__.get("_known_lengths")
        if lengths is None:
            lengths = self.__dict__["_known_lengths"] = tuple(sorted({len(w) for w in self.known_words}))
        words, n = self.known_words, len(text)
        for i in range(n):
            for k in lengths:
                if i + k > n:
                    break
                if text[i:i + k] in words:
                    yield i, text[i:i + k]

    def __setstate__(self, state: dict) -> None:
        """A vocabulary read back (kg.qa.index_file) teaches the tokenizer its words again."""
        self.__dict__.update(state)
        self.register()
