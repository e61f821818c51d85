"""Deterministic IRIs: the same input always gives the same graph."""

from __future__ import annotations

import hashlib
import string
from functools import lru_cache
from urllib.parse import quote

from ..facts import Fact, PeriodRef
from ..namespaces import GRAPH, ID, IND, UNIT


_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")   # quote() leaves these as they are


@lru_cache(maxsize=65536)   # the same names (document, places, periods) recur in every fact of a report
def _seg(text: str) -> str:
    """A path segment: non-ASCII letters stay readable (IRIs allow them, RFC 3987); ASCII
    characters other than unreserved ones, and spaces of any kind, are percent-encoded."""
    return "".join(c if c in _UNRESERVED or (ord(c) > 127 and not c.isspace()) else quote(c, safe="-._~")
                   for c in text)


def doc_graph(doc: str) -> str:
    return GRAPH + _seg(doc)


def report(doc: str) -> str:
    return f"{ID}report/{_seg(doc)}"


def dataset(doc: str) -> str:
    return f"{ID}dataset/{_seg(doc)}"


def char_span(doc: str, start: int, end: int) -> str:
    """A NIF string IRI (RFC 5147 char offsets)."""
    return f"{ID}text/{_seg(doc)}#char={start},{end}"


def place(name: str) -> str:
    return f"{ID}place/{_seg(name)}"


def period(p: PeriodRef) -> str:
    """Periods by their code; a report's own year (a fact stating no time) is a node of its own."""
    code = p.label.replace("/", "--") + ("-report" if p.kind == "report" else "")
    return f"{ID}period/{_seg(code)}"


def entity(kind: str, name: str) -> str:
    return f"{ID}{kind}/{_seg(name)}"


def open_indicator(phrase: str) -> str:
    """An open indicator: the minted concept of one measured phrase (kg.text.measure)."""
    return f"{IND}open/{_seg(phrase)}"


def unit(slug: str) -> str:
    return UNIT + slug


def observation(doc: str, fact: Fact) -> str:
    digest = hashlib.sha1(repr(fact.key()).encode("utf-8")).hexdigest()[:16]
    return f"{ID}obs/{_seg(doc)}/{digest}"
