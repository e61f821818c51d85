"""Offset-preserving width normalisation.

Chinese reports mix full-width (``４５％``) and half-width (``45%``) forms.
:func:`normalize_width` maps one character to exactly one character, so a
span found in the normalised text has the same offsets in the original.
"""

from __future__ import annotations

import re

_FULLWIDTH_FIRST = 0xFF01  # "！"
_FULLWIDTH_LAST = 0xFF5E  # "～"
_FULLWIDTH_SHIFT = 0xFEE0  # "！" (U+FF01) - "!" (U+0021)
_IDEOGRAPHIC_SPACE = "\u3000"

_TABLE = {cp: cp - _FULLWIDTH_SHIFT for cp in range(_FULLWIDTH_FIRST, _FULLWIDTH_LAST + 1)}
_TABLE[ord(_IDEOGRAPHIC_SPACE)] = ord(" ")
#: runs of the characters mapped: a text's other characters are copied, not looked up one by one
_WIDE = re.compile("[\uff01-\uff5e\u3000]+")


def _narrow(m: re.Match) -> str:
    return m[0].translate(_TABLE)


def normalize_width(text: str) -> str:
    """Map full-width ASCII (U+FF01..U+FF5E, incl. digits ``０``-``９``) to
    ASCII and the ideographic space U+3000 to ``" "``; nothing else.

    ``len(normalize_width(t)) == len(t)`` always holds.
    """
    return _WIDE.sub(_narrow, text) if _WIDE.search(text) else text
