"""kg_entities: places (with hierarchy and deictics), organisations, programmes, policy
documents, persons and enumerations → doc._.places, doc._.deictic, doc._.entities."""

from spacy.language import Language

from ...text.entities import find_entities
from ...text.places import find_deictic, find_places
from . import masked_of, text_of


class EntityRecognizer:
    def __call__(self, doc):
        masked = masked_of(doc)
        doc._.places = find_places(masked)
        doc._.deictic = find_deictic(masked)
        doc._.entities = find_entities(text_of(doc))
        spans = [doc.char_span(p.start, p.end, label="PLACE", alignment_mode="expand") for p in doc._.places]
        spans += [doc.char_span(e.start, e.end, label=e.kind.upper(), alignment_mode="expand") for e in doc._.entities]
        doc.spans["entities"] = [s for s in spans if s is not None]
        return doc


@Language.factory("kg_entities")
def make_entity_recognizer(nlp, name):
    return EntityRecognizer()
