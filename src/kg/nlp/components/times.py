"""kg_times: years, year ends, half-years, months, spans and plan periods → doc._.times."""

from spacy.language import Language

from ...text.timex import find_times
from . import masked_of


class TimeRecognizer:
    def __call__(self, doc):
        doc._.times = find_times(masked_of(doc))
        spans = [doc.char_span(t.start, t.end, label="TIME", alignment_mode="expand") for t in doc._.times]
        doc.spans["times"] = [s for s in spans if s is not None]
        return doc


@Language.factory("kg_times")
def make_time_recognizer(nlp, name):
    return TimeRecognizer()
