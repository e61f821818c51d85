"""A SPARQL lexer in linear time, for the finer checks of :mod:`kg.web.guard` (update or query,
FROM graphs, nesting, relative IRIs).

No security decision rests on it agreeing with the engine's own lexer: the check that keeps the
server from making outbound requests (``SERVICE``) reads the raw text without lexing it
(:func:`kg.web.guard.screen`). A disagreement here only changes a message (403 or 400) or which
graphs a FROM names, and those graphs are checked again by name.

Every token pattern is possessive (``*+``, ``++``) and none scans ahead and then fails more than
once over the same characters, so a text of n characters costs O(n): an unterminated string
runs to the end of its line (short strings) or of the text (long strings), an IRI that does not
close gives its ``<`` back as punctuation after scanning up to the next character an IRI cannot
hold, and a name is one run of name characters with dots inside it (a dot at its end is the
triple's full stop). The previous lexer tried a prefixed name at every position of a run of
name characters and took seconds on 64 KB of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PN_CHARS_BASE = (
    "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
    "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
# one character of a prefixed name (prefix, colon or local part), or a local-name escape
_NAME_CH = rf"(?:[{_PN_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])"
_NAME_START = rf"(?:[{_PN_CHARS_U}:0-9]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])"
_NAME = rf"{_NAME_START}{_NAME_CH}*+(?:\.++{_NAME_CH}++)*+"
_VAR_CH = f"[{_PN_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]"

TOKEN = re.compile(
    rf"""
    (?P<ws>\s++)
  | (?P<comment>\#[^\r\n]*+)
  | (?P<string>'''(?:[^'\\]++|\\.|'(?!''))*+(?:'''|\\?\Z)
              |\"\"\"(?:[^"\\]++|\\.|"(?!""))*+(?:\"\"\"|\\?\Z)
              |'(?:[^'\\\r\n]++|\\.)*+(?:'|(?=[\r\n])|\\?\Z)
              |"(?:[^"\\\r\n]++|\\.)*+(?:"|(?=[\r\n])|\\?\Z))
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*+>)
  | (?P<var>[?$]{_VAR_CH}++)
  | (?P<bnode>_:{_NAME})
  | (?P<lang>@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+)
  | (?P<number>\d++(?:\.\d++)?(?:[eE][+-]?\d++)?|\.\d++(?:[eE][+-]?\d++)?)
  | (?P<name>{_NAME})
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{{}}()\[\];,.*=<>!+\-/|^?$@&])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*+\Z")


@dataclass
class Token:
    kind: str       # string | iri | var | bnode | lang | number | pname | word | punct | other
    text: str
    pos: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` without white space and comments, in O(len(text))."""
    out = []
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "ws" or kind == "comment":
            continue
        tok = m.group()
        if kind == "name":
            kind = "pname" if ":" in tok else "word" if _WORD.match(tok) else "other"
        out.append(Token(kind, tok, m.start()))
    return out
