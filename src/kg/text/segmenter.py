"""Chinese word segmentation: jieba's dictionary and algorithm, run by jieba-rs.

Python jieba spends most of an ingest's segmentation time in its pure-Python DAG search; jieba-rs
(the ``rjieba`` binding) is jieba's algorithm in Rust, about 30 times faster. The segmenter
loads jieba's own dictionary file into it and applies jieba's own splitting rules around it, so
that ``Segmenter().cut(text)`` gives the words ``jieba.lcut(text)`` gives:

- text is cut into blocks the way ``jieba.cut`` does (``re_han_default``: CJK ideographs
  U+4E00–U+9FD5, ASCII letters and digits, ``+#&._%-``); only those blocks go to jieba-rs, and
  every other character is a word of its own, as in jieba (jieba-rs would treat CJK extension
  characters such as 㐀 as ideographs);
- a word jieba-rs returns that is not in the dictionary and mixes ideographs and other
  characters, or joins ASCII runs across punctuation (``3-4``), is split the way jieba's HMM
  stage (``jieba.finalseg``) splits unknown runs: ideograph runs stay, the rest is cut into
  ``[a-zA-Z0-9]+(\\.\\d+)?%?`` runs and single characters;
- a text with no character that only jieba-rs takes for an ideograph (CJK extensions …) is
  cut into the same blocks by both, so it goes to jieba-rs whole, in one call, and only the
  words holding other characters than ideographs are checked.

tests/text/test_segmenter.py checks the words against ``jieba.lcut`` on every report the tests
have and on random strings, where the two segmenters' HMM stages still disagree, rarely, on
runs of unknown ideographs.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

import rjieba

#: jieba.re_han_default and jieba.re_skip_default (a test checks they match jieba's)
HAN_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")
SPACE = re.compile(r"(\r\n|\s)")
#: jieba.finalseg.re_han and jieba.finalseg.re_skip
IDEOGRAPHS = re.compile(r"([\u4E00-\u9FD5]+)")
ASCII_RUN = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
#: what a block may hold besides ideographs (and a line break, one word)
NOT_IDEOGRAPHS = re.compile(r"[a-zA-Z0-9+#&\._%\-]+|\r\n")
#: characters jieba-rs takes for ideographs and jieba does not (CJK extensions and compatibility
#: ideographs, U+9FD6–U+9FFF): where a text has none, both cut it into the same blocks
OTHER_IDEOGRAPHS = re.compile(r"[\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0002FA1F]")


def jieba_dictionary() -> str:
    """The path of jieba's own dictionary (``dict.txt`` in the jieba package; not imported)."""
    spec = importlib.util.find_spec("jieba")
    return os.path.join(os.path.dirname(spec.origin), "dict.txt")


class Segmenter:
    """Words of a text as ``jieba.lcut`` cuts them (HMM on), with words added by ``add_words``."""

    def __init__(self, dictionary: str | None = None):
        self._lock = threading.Lock()          # add_word needs the only reference (PyO3 borrow)
        self._untagged = False                 # words without a tag were added (``tag`` gives them "x")
        if dictionary is None:
            # jieba-rs embeds jieba's dict.txt (a test checks it is the same words, counts and
            # tags): four times faster than reading the file word by word
            self._jieba = rjieba.Jieba()
            return
        self._jieba = rjieba.Jieba.empty()
        with open(dictionary, encoding="utf-8") as f:
            for line in f:
                word, freq, *tag = line.split()
                self._jieba.add_word(word, int(freq), tag[0] if tag else None)
                self._untagged = self._untagged or not tag

    def add_words(self, words: Iterable[str], freq: int = 2000) -> None:
        """Like ``jieba.add_word(w, freq=freq)`` for each word."""
        with self._lock:
            self._untagged = True
            for w in words:
                self._jieba.add_word(w, freq, None)

    def add_word(self, word: str, freq: int = 2000) -> None:
        self.add_words([word], freq)

    def has_word(self, word: str) -> bool:
        return self._jieba.has_word(word)

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(word, part-of-speech tag) pairs of ``text``, by jieba's dictionary tags (HMM on);
        a word the dictionary does not tag gets "x"."""
        pairs = self._jieba.tag(text, True)
        return [(w, t or "x") for w, t in pairs] if self._untagged else pairs

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        """The words of ``text``, as ``jieba.lcut(text, HMM=hmm)`` gives them."""
        if hmm and OTHER_IDEOGRAPHS.search(text) is None:
            return self._cut_whole(text)
        words: list[str] = []
        cut = self._jieba.cut
        # split with one group: the pieces between blocks at even places, the blocks at odd ones
        for k, piece in enumerate(HAN_BLOCK.split(text)):
            if not piece:
                continue
            if not k & 1:
                if len(piece) == 1:                   # one punctuation mark or space (the usual case)
                    words.append(piece)
                    continue
                for is_space, part in _pieces(SPACE, piece):
                    if is_space:
                        words.append(part)
                    else:
                        words.extend(part)            # one word per character, as jieba does
            elif not hmm:
                words.extend(cut(piece, False))
            elif IDEOGRAPHS.fullmatch(piece):         # ideographs only (the usual block): every word stands
                words.extend(cut(piece, True))
            else:
                for w in cut(piece, True):
                    if len(w) == 1 or IDEOGRAPHS.fullmatch(w) or self._jieba.has_word(w):
                        words.append(w)
                    else:
                        words.extend(_unknown_run(w))
        return words

    def _cut_whole(self, text: str) -> list[str]:
        """``cut`` of a text in which jieba-rs finds the blocks jieba does (no ideograph only
        jieba-rs takes for one): one call, then each word jieba's HMM stage would split (a run
        mixing ideographs with other characters, or other characters only: 3-4, that the
        dictionary lacks) is split as above."""
        words = self._jieba.cut(text, True)
        ends = list(accumulate(map(len, words)))
        odd: set[int] = set()              # the words holding a character other than an ideograph
        for m in NOT_IDEOGRAPHS.finditer(text):
            odd.update(range(bisect_right(ends, m.start()), bisect_right(ends, m.end() - 1) + 1))
        has_word = self._jieba.has_word
        for i in sorted(odd, reverse=True):
            w = words[i]
            if len(w) > 1 and not IDEOGRAPHS.fullmatch(w) and not ASCII_RUN.fullmatch(w) and not has_word(w):
                words[i:i + 1] = _unknown_run(w)
        return words


def _pieces(pattern: re.Pattern, text: str):
    """The non-empty pieces of ``text`` split around ``pattern`` (one capturing group), each with
    whether it is a match."""
    for piece in pattern.split(text):
        if piece:
            yield bool(pattern.fullmatch(piece)), piece


def _unknown_run(word: str) -> list[str]:
    """A run jieba's HMM stage would split: ideograph runs whole, ASCII runs, other characters."""
    out = []
    for is_ideographs, part in _pieces(IDEOGRAPHS, word):
        if is_ideographs:
            out.append(part)
        else:
            out.extend(p for p in ASCII_RUN.split(part) if p)
    return out


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The process's segmenter; kg.nlp.pipeline adds the ontology's labels to it."""
    return Segmenter()


def cut(text: str) -> list[str]:
    return default_segmenter().cut(text)
