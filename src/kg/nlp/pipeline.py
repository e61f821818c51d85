"""Building the spaCy pipeline: ``blank("zh")`` with jieba's segmentation (kg's tokenizer,
kg.nlp.tokenizer, which runs it in jieba-rs), kg's lexicon added to its dictionary, and kg's
components."""

from __future__ import annotations

from functools import lru_cache

import spacy

from ..lexicon import load_lexicon
from ..text.segmenter import default_segmenter
from . import components  # noqa: F401  (registers the factories)
from .tokenizer import NAME as TOKENIZER

PIPES = ("kg_quantities", "kg_times", "kg_entities", "kg_facts")


def add_lexicon_words(words) -> None:
    """Teach the segmenter the ontology's labels so that it keeps them whole."""
    default_segmenter().add_words(words, freq=2000)


@lru_cache(maxsize=2)
def build_nlp(ontology: str | None = None):
    lexicon = load_lexicon(ontology)
    add_lexicon_words(lexicon.words())
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    for name in PIPES:
        nlp.add_pipe(name, config={"ontology": ontology or ""} if name == "kg_facts" else {})
    return nlp
