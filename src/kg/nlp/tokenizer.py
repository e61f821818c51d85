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
    """What ``spacy.util.get_words_and_spaces(words, text)`` gives, in one pass, for words that
    are the text cut in pieces, each all whitespace or none (what the segmenter gives): a space
    after a word is its trailing space, other whitespace a token. spaCy's own searches the rest
    of the text for every word (a copy of it each time), which grows with the square of the
    text's length; any other words go to it."""
    if "".join(words) != text:
        return get_words_and_spaces(words, text)
    if " " not in text:
        # no space to be a word's trailing space: each run of whitespace words is one token
        out = []
        blanks = 0
        for blank, run in groupby(words, key=str.isspace):
            if blank:
                out.append("".join(run))
                blanks += len(out[-1])
            else:
                out.extend(run)
        if blanks == len(text) - len("".join(text.split())):    # no word mixes whitespace with the rest
            return out, [False] * len(out)
        return get_words_and_spaces(words, text)
    out = []
    spaces: list[bool] = []
    end = len(text)
    pos = 0             # where the word starts
    taken = 0           # the text up to here is in ``out``
    for w in words:
        n = len(w)
        if not w.isspace():
            if not w.isalnum() and w.split() != [w]:    # whitespace inside a word: spaCy's way
                return get_words_and_spaces(words, text)
            if pos > taken:                         # whitespace before it, beyond a trailing space
                out.append(text[taken:pos])
                spaces.append(False)
            out.append(w)
            taken = pos + n
            if taken < end and text[taken] == " ":
                spaces.append(True)
                taken += 1
            else:
                spaces.append(False)
        pos += n
    if taken < end:
        out.append(text[taken:])
        spaces.append(False)
    return out, spaces


@spacy.registry.tokenizers(NAME)
def create_tokenizer():
    def make(nlp):
        return JiebaTokenizer(nlp.vocab)
    return make
