"""kg_quantities: numbers with units and qualifiers (3.72亿元, 约560万度, 3-4个) → doc._.quantities."""

from spacy.language import Language

from ...text.quantities import find_quantities
from . import masked_of


class QuantityRecognizer:
    def __call__(self, doc):
        doc._.quantities = find_quantities(masked_of(doc))
        spans = [doc.char_span(q.start, q.end, label="QUANTITY", alignment_mode="expand") for q in doc._.quantities]
        doc.spans["quantities"] = [s for s in spans if s is not None]
        return doc


@Language.factory("kg_quantities")
def make_quantity_recognizer(nlp, name):
    return QuantityRecognizer()
