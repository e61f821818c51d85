"""Long reports through the spaCy pipeline in pieces, so that a report has no length limit
below the file size cap (spaCy refuses a Doc of more than ``nlp.max_length`` characters, a
million by default, with error E088, and a Doc's memory grows with its length).

The text is cut by paragraph (:func:`kg.formats.paragraph_pieces`), each piece runs through
the pipeline with the report's context (place, year), and every offset the piece's facts,
entities and places carry is moved by the piece's start, so offsets stay relative to the whole
text. Facts stated again in another piece are merged as within one (kg.facts). A text of at
most :data:`PIECE_CHARS` characters is one piece: its results are exactly those of one Doc.
"""

from __future__ import annotations

from dataclasses import replace

from .facts import Fact, merge_restatements
from .formats import paragraph_pieces

PIECE_CHARS = 200_000


def _moved_fact(f: Fact, by: int) -> Fact:
    return replace(f, mentions=[replace(m, start=m.start + by, end=m.end + by, sent_start=m.sent_start + by,
                                        sent_end=m.sent_end + by) for m in f.mentions])


def _moved(x, by: int):
    """An entity or place found in a piece, at its place in the whole text."""
    x = replace(x, start=x.start + by, end=x.end + by)
    members = getattr(x, "members", None)
    if members:
        x = replace(x, members=tuple((s + by, e + by, name) for s, e, name in members))
    return x


def run_in_pieces(nlp, text: str, report: dict, limit: int = PIECE_CHARS) -> tuple[list, list, list]:
    """(facts, entities, places) of ``text``, run through ``nlp`` a piece at a time; ``report``
    is the context every piece's Doc gets (``doc._.report``)."""
    facts, entities, places = [], [], []
    pieces = paragraph_pieces(text, limit)
    for start, piece in pieces:
        doc = nlp.make_doc(piece)
        doc._.text = piece          # what doc.text would give, without building every Token again
        doc._.report = dict(report)
        doc = nlp(doc)
        if start == 0:
            facts += doc._.facts
            entities += doc._.entities
            places += doc._.places
        else:
            facts += [_moved_fact(f, start) for f in doc._.facts]
            entities += [_moved(e, start) for e in doc._.entities]
            places += [_moved(p, start) for p in doc._.places]
    if len(pieces) > 1:
        facts = merge_restatements(facts)
    return facts, entities, places
