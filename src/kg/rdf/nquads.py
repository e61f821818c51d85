"""RDF terms as N-Quads text, written exactly as Oxigraph's N-Quads serializer writes them.

Writing the text directly costs a fraction of building ``pyoxigraph`` terms and serializing
them. Oxigraph writes an IRI as ``<iri>`` and a literal as ``"lexical"@lang``,
``"lexical"^^<datatype>``, or plain ``"lexical"`` for an xsd:string, escaping in the lexical
form ``\\``, ``"``, ``\\n``, ``\\r``, ``\\t``, ``\\b``, ``\\f`` and as ``\\uXXXX`` the other
control characters (U+0000–U+001F, U+007F) and the non-characters U+FFFE and U+FFFF.
"""

from __future__ import annotations

import re

from pyoxigraph import BlankNode, Literal, NamedNode

from ..namespaces import XSD

_ESCAPES = {chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPES.update({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"})
_SPECIAL = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff\ud800-\udfff]')
_RARE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")    # after the common ones
_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING = XSD + "string"


class Lit(str):
    """A literal as N-Quads text (what :func:`literal` returns)."""

    __slots__ = ()


def quoted(text: str) -> str:
    """``text`` as a quoted N-Quads string; ValueError on a lone surrogate (not Unicode text)."""
    if _SPECIAL.search(text) is None:
        return f'"{text}"'
    text = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if _RARE.search(text):
        if _SURROGATE.search(text):
            raise ValueError(f"a literal holds a lone surrogate: {text[:80]!r}")
        text = _RARE.sub(lambda m: _ESCAPES[m[0]], text)
    return f'"{text}"'


def literal(text: str, language: str | None = None, datatype: str | None = None) -> Lit:
    """The literal ``text`` with a language tag (written lower case, as Oxigraph does) or
    a datatype IRI, else a plain string. ValueError on an invalid tag or datatype."""
    if language:
        return Lit(f"{quoted(text)}@{_tag(language)}")
    if datatype and datatype != _STRING:
        return Lit(f"{quoted(text)}^^{_DATATYPES[datatype]}")
    return Lit(quoted(text))


def _tag(language: str) -> str:
    tag = _TAGS.get(language)
    if tag is None:
        Literal("", language=language)          # checks the tag
        tag = _TAGS[language] = language.lower()
    return tag


class Iris(dict):
    """IRI → ``<iri>``, each IRI checked once (by making a ``NamedNode``, which raises
    ValueError on an invalid one)."""

    def __missing__(self, iri: str) -> str:
        NamedNode(iri)
        text = self[iri] = f"<{iri}>"
        return text


def term(t, iris: Iris, literal_ok: bool = True) -> str:
    """``t`` (an IRI string, a :class:`Lit`, a ``NamedNode`` or a ``Literal``) as N-Quads text.
    Blank nodes are refused: documents bulk-loaded together would share their labels."""
    if isinstance(t, BlankNode):
        raise ValueError("a blank node in a document graph cannot be bulk-loaded")
    if isinstance(t, (Lit, Literal)):
        if not literal_ok:
            raise TypeError(f"a literal cannot be a subject or a predicate: {t!r}")
        return t if isinstance(t, Lit) else str(t)
    if isinstance(t, str):
        return iris[t]
    if isinstance(t, NamedNode):
        return iris[t.value]
    raise TypeError(f"not an RDF term: {t!r}")


_DATATYPES = Iris()
_TAGS: dict[str, str] = {}
