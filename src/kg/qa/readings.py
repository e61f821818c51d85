"""Readings of a question: which indicator (and breakdown) of the lexicon its content names.

The content (the question minus its times, places, question words and particles, in canonical
form) is matched against every label of the :class:`~kg.qa.vocab.Vocabulary`:

- **exactly** — a label the content contains scores its length (a two-character label inside a
  longer word scores less);
- **loosely** — a label whose character bigrams occur in the content matches even when its words
  are reordered (贫困村退出了几个 ~ 退出贫困村); each missing character costs more than a
  matched one earns, a missing generic part (贫困, 扶贫) less;
- a concept's best label, plus its other exact labels covering new characters, make one
  :class:`Reading`; a breakdown brings its indicator; the unit asked, negation (未 …) and a label
  next to the question word weigh in;
- when no label matches, a distinctive unit asked (株, 度 …) may name the one indicator measured in it;
- a list question's category (因病致贫 …) scores by bigram overlap (:func:`category_scores`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lexicon import Concept
from ..text.units import UNITS, unit_class, units_flagged
from .vocab import Vocabulary, bigrams, tokenizer
from .words import words

#: units that say little about what is counted (个 follows almost anything): ontology/units.tsv
WEAK_UNITS = units_flagged("weak")
#: units too common to tell what is measured (个, 人, 户, 元 …)
PLAIN_UNITS = units_flagged("plain")
UNIT_NAME_BY_SLUG = {u.slug: u.name for u in UNITS.values() if u.base == u.name}


def base_slug(base: str) -> str | None:
    u = UNITS.get(base)
    return u.slug if u else None


@dataclass
class Match:
    concept: Concept
    label: str                 # the label as written in the ontology
    positions: frozenset[int]  # positions of the content it covers
    exact: bool
    score: float
    missing: int


@dataclass
class Reading:
    indicator: Concept
    breakdown: Concept | None
    score: float
    covered: frozenset[int]
    matches: list[Match]

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.indicator.iri, self.breakdown.iri if self.breakdown else None)




def token_bounds(text: str) -> set[int]:
    """Positions of ``text`` where jieba's words begin or end."""
    bounds = {0, len(text)}
    pos = 0
    for tok in tokenizer().cut(text, hmm=False):
        pos += len(tok)
        bounds.add(pos)
    return bounds


def match_labels(vocab: Vocabulary, c: str, bounds: set[int], qpos: int | None) -> dict[str, list[Match]]:
    """Every label that matches the content ``c`` (exactly or loosely), by concept IRI."""
    n = len(c)
    found: dict[str, list[Match]] = {}
    seen: set[str] = set()
    # exact
    for i in range(n):
        for length in range(2, min(vocab.max_len, n - i) + 1):
            s = c[i:i + length]
            entries = vocab.entries.get(s)
            if not entries:
                continue
            score = float(length)
            if length <= 2 and not (i in bounds and i + length in bounds):
                score = 1.6            # a two-character label inside a longer word: weaker
            seen.add(s)
            pos = frozenset(range(i, i + length))
            for e in entries:
                found.setdefault(e.concept.iri, []).append(Match(e.concept, e.text, pos, True, score, 0))
    # loose: labels sharing bigrams with the content
    cb: dict[str, list[int]] = {}
    for i, bg in enumerate(bigrams(c)):
        cb.setdefault(bg, []).append(i)
    candidates: set[str] = set()
    for bg in cb:
        candidates |= vocab.bigram_index.get(bg, set())
    for label in candidates - seen:
        if len(label) < 3:
            continue
        covered_l: set[int] = set()
        hits = []
        for j, bg in enumerate(vocab.label_bigrams[label]):
            if bg in cb:
                covered_l.add(j)
                covered_l.add(j + 1)
                hits.append(bg)
        missing = len(label) - len(covered_l)
        if 0.7 * len(covered_l) - 0.5 * missing <= 0.5:
            continue
        generic = len(vocab.label_generic[label] - covered_l)
        score = 0.7 * len(covered_l) - 1.5 * (missing - generic) - 0.5 * generic
        if score <= 0.5:
            continue
        covered_c: set[int] = set()
        for bg in hits:
            p = min(cb[bg], key=lambda x: abs(x - (qpos or 0)))
            covered_c.add(p)
            covered_c.add(p + 1)
        for e in vocab.entries[label]:
            found.setdefault(e.concept.iri, []).append(
                Match(e.concept, e.text, frozenset(covered_c), False, score, missing))
    return found



def _concept_match(matches: list[Match]) -> tuple[float, frozenset[int], list[Match]]:
    """The best label of a concept, plus other exact labels of it that cover new characters."""
    best = max(matches, key=lambda m: (m.score, m.exact, len(m.positions)))
    covered = set(best.positions)
    used = [best]
    score = best.score
    for m in sorted(matches, key=lambda m: -m.score):
        if m is best or not m.exact:
            continue
        new = m.positions - covered
        if len(new) == len(m.positions):
            covered |= new
            score += len(new)
            used.append(m)
    return score, frozenset(covered), used


NEGATIONS = words("negation")


def score_readings(vocab: Vocabulary, unit: str | None, strength: str | None, c: str, found: dict[str, list[Match]],
                   qpos: int | None) -> list[Reading]:
    """The readings of the labels ``found`` in the content ``c``, best first (``unit``, ``strength``:
    the unit asked and how strongly; ``qpos``: where the question word was)."""
    lex = vocab.lexicon
    per_concept = {iri: _concept_match(ms) for iri, ms in found.items()}
    readings: list[Reading] = []
    for iri, (score, covered, used) in per_concept.items():
        concept = used[0].concept
        if concept.kind == "indicator":
            readings.append(Reading(concept, None, score, covered, used))
        else:
            parent = lex.indicators.get(concept.indicator or "")
            if parent is None:
                continue
            total, cov, ms = score, covered, list(used)
            if parent.iri in per_concept:
                ps, pc, pu = per_concept[parent.iri]
                new = pc - covered
                if new:
                    total += ps * len(new) / max(1, len(pc))
                    cov = covered | pc
                    ms += pu
            readings.append(Reading(parent, concept, total, frozenset(cov), ms))
    negated = "未" in c
    slug = base_slug(unit) if unit else None
    cls = unit_class(unit)
    for r in readings:
        labels = "".join(m.label for m in r.matches)
        if negated and not any(w in labels for w in NEGATIONS):
            r.score -= 2.0
        units = r.indicator.units
        if unit and units:
            if slug in units:
                r.score += 1.5 if strength == "strong" else 0.5
            elif any(unit_class(UNIT_NAME_BY_SLUG.get(u)) == cls for u in units):
                r.score += 0.3 if strength == "strong" else 0.0
            elif strength == "strong":
                r.score -= 3.0
        if qpos is not None and any(min(m.positions) == qpos or max(m.positions) + 1 == qpos for m in r.matches):
            r.score += 0.5
        r.score += 0.01 * max(max(m.positions) for m in r.matches) / max(1, len(c))
        if r.breakdown is not None:
            r.score += 0.05
    readings.sort(key=lambda r: -r.score)
    return readings



def category_scores(vocab: Vocabulary, c: str) -> list[tuple[str, float]]:
    """(category label, similarity) of the categories the content ``c`` may name, best first."""
    cb = set(bigrams(c))
    out = []
    for label in vocab.categories:
        if not label:
            continue
        if label in c:
            out.append((label, 1.0 + len(label) / 100))
            continue
        lb = set(bigrams(label))
        if not lb:
            continue
        dice = 2 * len(lb & cb) / (len(lb) + len(cb)) if cb else 0.0
        chars = sum(1 for ch in label if ch in c) / len(label)
        sim = 0.5 * dice + 0.5 * chars if lb & cb else 0.0
        if sim >= 0.55:
            out.append((label, sim))
    out.sort(key=lambda x: -x[1])
    return out


def unit_readings(vocab: Vocabulary, unit: str | None, strength: str | None, c: str) -> list[Reading]:
    """No label matched: a distinctive unit asked (株, 度, 亩 …) may name the indicator, when
    exactly one indicator with facts is measured in it and shares a character with the question."""
    if not unit or strength != "strong" or unit in WEAK_UNITS or unit in PLAIN_UNITS:
        return []
    slug = base_slug(unit)
    fits = [ind for ind in vocab.lexicon.indicators.values()
            if slug in ind.units and (vocab.present is None or ind.iri in vocab.present)]
    if len(fits) != 1:
        return []
    ind = fits[0]
    shared = frozenset(i for i, ch in enumerate(c) if any(ch in label for label in ind.labels))
    if not shared:
        return []
    m = Match(ind, ind.label, shared, False, 2.0, 0)
    return [Reading(ind, None, 2.0, shared, [m])]
