"""kg's spaCy tokenizer for Chinese: jieba's segmentation through kg.text.segmenter (jieba-rs).

spaCy's own ``zh`` tokenizer with ``segmenter = "jieba"`` calls Python jieba, which took about
a quarter of an ingest's extraction time. This one gives the same words (kg.text.segmenter) and
builds the Doc the way spaCy's does (``spacy.util.get_words_and_spaces``). It is registered as
``kg.jieba_tokenizer.v1`` and chosen in the pipeline's config (kg.nlp.pipeline).
"""

from __future__ import annotations

from itertools import groupby

import spacy
from spacy.tokens import Doc
from spacy.util import DummyTokenizer, get_words_and_spaces

from ..text.segmenter import Segmenter, default_segmenter

NAME = "kg.jieba_tokenizer.v1"


class JiebaTokenizer(DummyTokenizer):
    segmenter = "jieba"          # what spaCy's ChineseTokenizer reports for jieba

    def __init__(self, vocab, cutter: Segmenter | None = None):
        self.vocab = vocab
        self.cutter = cutter or default_segmenter()

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(self.cutter.cut(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """What ``spacy.util.get_words_and_spaces(words, text)`` gives, by runs of words, for words
    that are the text cut in pieces, each all whitespace or none (what the segmenter gives): a
    space right after a word is its trailing space, and the rest of a run of whitespace one
    token. spaCy's own searches the rest of the text for every word (a copy of it each time),
    which grows with the square of the text's length; other words go to it."""
    if "".join(words) != text:
        return get_words_and_spaces(words, text)
    out: list[str] = []
    spaces: list[bool] = []
    blanks = 0
    after_word = False
    for blank, run in groupby(words, key=str.isspace):
        if not blank:
            before = len(out)
            out.extend(run)
            spaces.extend([False] * (len(out) - before))
            after_word = True
            continue
        ws = "".join(run)
        blanks += len(ws)
        if after_word and ws[0] == " ":
            spaces[-1] = True
            ws = ws[1:]
        if ws:
            out.append(ws)
            spaces.append(False)
        after_word = False
    if blanks != len(text) - len("".join(text.split())):      # a word mixes whitespace with the rest
        return get_words_and_spaces(words, text)
    return out, spaces


@spacy.registry.tokenizers(NAME)
def create_tokenizer():
    def make(nlp):
        return JiebaTokenizer(nlp.vocab)
    return make
