"""kg_facts: quantities + indicators (from the ontology lexicon) + time + place → doc._.facts.

Needs kg_quantities, kg_times and kg_entities before it, and ``doc._.report`` set by the caller.
"""

from spacy.attrs import IDX, LENGTH
from spacy.language import Language

from ...facts import PlaceRef
from ...lexicon import load_lexicon
from ..facts import FactExtractor
from . import text_of


class FactComponent:
    def __init__(self, ontology: str):
        self.extractor = FactExtractor(load_lexicon(ontology or None))

    def __call__(self, doc):
        report = doc._.report or {}
        place = PlaceRef(report.get("place") or "", report.get("level") or "")
        # token start and end offsets (to_array: iterating the Doc would build every Token)
        starts, lengths = doc.to_array([IDX, LENGTH]).T.tolist()
        bounds = set(starts) | {s + n for s, n in zip(starts, lengths)}
        doc._.facts = self.extractor.extract_found(
            text_of(doc), doc._.masked, doc._.quantities, doc._.times, doc._.places, doc._.deictic,
            place, report.get("year"), bounds)
        return doc


@Language.factory("kg_facts", default_config={"ontology": ""})
def make_fact_component(nlp, name, ontology: str):
    return FactComponent(ontology)
