"""Building the spaCy pipeline: ``blank("zh")`` with the jieba segmenter, kg's lexicon added
to jieba's dictionary, and kg's components."""

from __future__ import annotations

import logging
from functools import lru_cache

import jieba
import spacy

from ..lexicon import load_lexicon
from . import components  # noqa: F401  (registers the factories)

PIPES = ("kg_quantities", "kg_times", "kg_entities", "kg_facts")


def add_lexicon_words(words) -> None:
    """Teach jieba the ontology's labels so that segmentation keeps them whole."""
    for w in words:
        jieba.add_word(w, freq=2000)


@lru_cache(maxsize=2)
def build_nlp(ontology: str | None = None):
    jieba.setLogLevel(logging.WARNING)
    lexicon = load_lexicon(ontology)
    add_lexicon_words(lexicon.words())
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in PIPES:
        nlp.add_pipe(name, config={"ontology": ontology or ""} if name == "kg_facts" else {})
    return nlp
