"""kg_entities: places (with hierarchy and deictics), organisations, programmes, policy
documents, persons and enumerations → doc._.places, doc._.deictic, doc._.entities."""

from spacy.language import Language

from ...text.entities import find_entities
from ...text.places import find_deictic, find_places
from ..mask import mask_titles


class EntityRecognizer:
    def __call__(self, doc):
        if doc._.masked is None:
            doc._.masked = mask_titles(doc.text)
        doc._.places = find_places(doc._.masked)
        doc._.deictic = find_deictic(doc._.masked)
        doc._.entities = find_entities(doc.text)
        spans = [doc.char_span(p.start, p.end, label="PLACE", alignment_mode="expand") for p in doc._.places]
        spans += [doc.char_span(e.start, e.end, label=e.kind.upper(), alignment_mode="expand") for e in doc._.entities]
        doc.spans["entities"] = [s for s in spans if s is not None]
        return doc


@Language.factory("kg_entities")
def make_entity_recognizer(nlp, name):
    return EntityRecognizer()
