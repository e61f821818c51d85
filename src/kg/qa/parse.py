"""The question parser: a Chinese question → slots (pure: no store, no SPARQL).

What a question is about is recognised from general rules and from the vocabulary, never
from known wordings:

* **indicator / breakdown** — the ontology's SKOS labels (``kg.lexicon``), matched exactly or
  loosely: a label whose character bigrams all occur in the question matches even when its
  words are reordered (贫困村退出了几个 ~ 退出贫困村), and the question and the labels are put
  into one canonical form first (没有/尚未 → 未, 贫困户 → 贫困人口 …). Labels the question
  only partly contains are penalised per missing character; nothing matches when the best
  reading scores too low, or when more of the question is unexplained than explained
  (kg.qa.readings);
* **time** — ``kg.text.timex`` (years, year ends, months, spans …), after Chinese and
  two-digit years are rewritten as Arabic four-digit years;
* **place** — any place the graph knows, at any level, by full or short name (平安 → 平安县;
  not a township's or village's short name that is a common word); a short name of several
  places is reported as ambiguous (桃源 → 桃源县, 桃源镇); 我市/全县 → the reports' own places
  of that level; an administrative name or a jieba place word the graph does not know is
  reported as unknown (kg.qa.vocab knows the places);
* **unit asked** — 多少户/几人/多少亩/多少钱/占比 …; **modality** — 计划/目标/要/确保 … ask
  for targets; **question type** — value, sum, max/min (over years or places), difference,
  list, series (kg.qa.read).

:func:`parse_question` never raises on any string. The slots' classes and the vocabulary are
imported from here by the answerer (``from .parse import Parsed, Reading, Vocabulary …``).
"""

from __future__ import annotations

import re

from ..text import gazetteer
from ..text.normalize import normalize_width
from ..text.places import find_places
from ..text.units import unit_class
from .read import (LIST_RE, MAX_QUESTION, Content, Marks, Parsed, TimeSlot, normalise, place_spans, read_places,
                   read_times, read_type, read_unit)
from .readings import (WEAK_UNITS, Match, Reading, base_slug, category_scores, match_labels, score_readings,
                       token_bounds, unit_readings)
from .vocab import PlaceInfo, Vocabulary, canonical, place_level, short_name, tokenizer
from .words import pattern, words

__all__ = [
    "parse_question", "Parsed", "TimeSlot", "Reading", "Match", "Vocabulary", "PlaceInfo", "WEAK_UNITS",
    "canonical", "normalise", "place_level", "place_spans", "short_name", "tokenizer", "unit_class",
]

QUERY_SYNTAX_RE = pattern("query-syntax")
#: generic words of questions and of the domain: neither evidence for nor against a reading
FILLER = set(words("filler"))
#: an administrative name with one of these characters is no place the graph lacks (哪个县, 我市)
NOT_A_PLACE = pattern("not-a-place")


def parse_question(question: str, vocab: Vocabulary) -> Parsed:
    """Slots of ``question``. Never raises: on a failure the result carries a problem."""
    p = Parsed(question=question if isinstance(question, str) else str(question))
    try:
        _parse(p, vocab)
    except Exception as e:  # noqa: BLE001 - a question must always get an answer or a refusal
        p.problems.append(f"internal: {type(e).__name__}")
        p.readings = []
    return p


def _parse(p: Parsed, vocab: Vocabulary) -> None:
    t = normalise(p.question)
    p.text = t
    marks = Marks(t)
    read_times(p, marks)
    read_places(p, vocab, marks)
    read_unit(p, marks)
    read_type(p, marks)

    content = Content(t, marks.removed)
    raw = content.text
    qpos_orig = marks.qpos
    if marks.implied and qpos_orig is not None:
        # 减少多少人 → 减少人口, 脱贫多少户 → 脱贫户: the unit names what is counted
        k = content.position_of(qpos_orig)
        raw = raw[:k] + ("人口" if marks.implied == "人" else "户") + raw[k:]
    c = canonical(raw)
    p.content = c
    qpos = len(canonical(raw[:content.position_of(qpos_orig)])) if qpos_orig is not None else None
    bounds = token_bounds(c)
    found = match_labels(vocab, c, bounds, qpos)
    p.readings = [r for r in score_readings(vocab, p.unit, p.unit_strength, c, found, qpos) if r.score > 0]
    if not p.readings:
        p.readings = unit_readings(vocab, p.unit, p.unit_strength, c)

    if p.qtype == "list" or LIST_RE.search(t):
        p.categories = category_scores(vocab, c)
        p.category = p.categories[0] if p.categories else None

    unknown, object_unknown = _unexplained(p, vocab, c, found, qpos)
    _unknown_places(p, vocab, marks)
    _problems(p, unknown, object_unknown, qpos)


def _unexplained(p: Parsed, vocab: Vocabulary, c: str, found: dict[str, list[Match]],
                 qpos: int | None) -> tuple[list[str], str | None]:
    """The words of the content ``c`` left unexplained — not the reading, not another label, not a
    name the graph knows — and the one right at the question word (what is counted), if unknown;
    sets ``p.known``, ``p.unknown_words`` and notes jieba's place words."""
    explained: set[int] = set(p.reading.covered) if p.reading else set()
    for ms in found.values():
        for m in ms:
            if m.exact:
                explained |= m.positions
    if p.category:
        lab = p.category[0]
        for i in range(len(c)):
            if c[i] in lab:
                explained.add(i)
    for start, w in vocab.known_in(c):
        explained.update(range(start, start + len(w)))
        p.known.append(w)
    pieces: list[tuple[int, str]] = []
    run_start, run = 0, ""
    for i, ch in enumerate(c):
        if i in explained:
            if run:
                pieces.append((run_start, run))
            run = ""
        else:
            if not run:
                run_start = i
            run += ch
    if run:
        pieces.append((run_start, run))
    unknown: list[str] = []
    object_unknown = None
    for pos, piece in pieces:
        k = pos
        for tok in tokenizer().cut(piece):
            at = k
            k += len(tok)
            if len(tok) < 2 or tok in FILLER or tok.isdigit() or re.fullmatch(r"[0-9.]+", tok):
                continue
            if tok in vocab.ns and tok not in vocab.place_surfaces:
                if gazetteer.lookup(tok):
                    p.unknown_places.append(tok)        # a division the graph lacks
                else:
                    # jieba's other place words (城镇, 深度, 后山) are words of what is
                    # asked that the facts' sentences must say
                    p.place_words.append(tok)
            unknown.append(tok)
            if qpos is not None and at == qpos and object_unknown is None:
                object_unknown = tok        # 多少所学校: what is counted is unknown
    p.unknown_words = unknown
    return unknown, object_unknown


def _unknown_places(p: Parsed, vocab: Vocabulary, marks: Marks) -> None:
    """Administrative names the graph does not know (北京市, 某某县 …), unless right before a known one."""
    t, n, blocked, at_place = marks.text, len(marks.text), marks.blocked, marks.at_place
    for pl in find_places(t):
        name = pl.name
        if name in vocab.places or name in vocab.place_surfaces or any(blocked[pl.start:pl.end]):
            continue
        if pl.end < n and at_place[pl.end]:
            continue                       # 某省平安县: a parent of a known place
        if NOT_A_PLACE.search(name):
            continue
        if any(name in e for e in vocab.entries) or any(name in w for w in vocab.known_words):
            continue
        if name not in p.unknown_places:
            p.unknown_places.append(name)
    # a jieba place word right before a known place is its parent (某省平安)
    if p.unknown_places:
        surfaces = [s for s, label in vocab.place_surfaces.items() if label in p.places]
        p.unknown_places = [u for u in p.unknown_places if not any(u + k in t for k in surfaces)]


def _problems(p: Parsed, unknown: list[str], object_unknown: str | None, qpos: int | None) -> None:
    """Why the question may not be answered as read (``p.problems``)."""
    spaced = normalize_width(p.question)[:MAX_QUESTION].lower()
    if QUERY_SYNTAX_RE.search(spaced) and len(re.findall(r"[a-z]", spaced)) >= 3 or re.search(r"[{}]", spaced):
        p.problems.append("query_syntax")
    if p.relative_time:
        p.problems.append("relative_time")
    if p.unknown_places:
        p.problems.append("unknown_place")
    if p.ambiguous_places:
        p.problems.append("ambiguous_place")
    if not p.reading and not (p.qtype == "list" and p.category):
        p.problems.append("no_indicator")
    elif p.reading and not (p.qtype == "list" and p.category and _category_beats(p)):
        strength = len(p.reading.covered) * (1.0 if any(m.exact for m in p.reading.matches) else 0.8)
        if p.unit and p.unit_strength == "strong" and p.unit not in WEAK_UNITS:
            if base_slug(p.unit) in p.reading.indicator.units:
                strength += 2
        unknown_len = sum(len(w) for w in unknown if w not in p.unknown_places)
        if p.reading.score < 1.9:
            p.problems.append("weak_indicator")
        elif object_unknown and (qpos not in p.reading.covered):
            p.problems.append("unexplained_words")
        elif unknown_len > 2 * strength:
            p.problems.append("unexplained_words")


def _category_beats(p: Parsed) -> bool:
    return bool(p.category and p.category[1] >= 0.55)
