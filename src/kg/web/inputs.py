"""Every route's inputs checked in one place, before any view runs (``install(app)``).

- **The path**: its percent-encoding must decode to UTF-8, and it may hold no control
  character (400). U+FFFD counts as a failed decoding (a client that decoded for us).
- **The query string**: every name and value must decode to UTF-8 and hold no control
  character but TAB, LF and CR (400; XML results, logs and terminals cannot carry the others);
  numeric parameters (``limit``, ``offset``, ``page``, ``per_page``) are whole numbers (400);
  ``iri`` is an IRI (400). It is read only after its size was checked (``MAX_QUERY_BYTES``, 413).
- **Route values**: a ``<name>`` segment (document ids, indicator slugs, file names) that holds
  a character an IRI path may not (space, ``< > " { } | ^ ` \\``, controls) or ``% ? #``
  matches no route (404): kg never makes such ids. A ``<path:…>`` value (``/id/…``) names an IRI
  path, so those characters are percent-encoded as in kg's own IRIs (an entity named "a b" is
  ``…/a%20b``).

Refusals are :class:`InputError` (a 400 with a short message, Chinese first), rendered by the
app's error handler as a page, as JSON for ``.json``, ``/api/`` and JSON requests, as text on
``/sparql``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote

from flask import Flask, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import BaseConverter, PathConverter, ValidationError

NUMERIC_ARGS = ("limit", "offset", "page", "per_page")
IRI_ARGS = ("iri",)
MAX_NUMBER_DIGITS = 9
_PATH_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_REPLACEMENT = "\ufffd"             # what a decoder leaves for bytes that were not UTF-8
_VALUE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# iunreserved, sub-delims, ":" and "@" (RFC 3987 ipchar), and "/" between segments
_IPCHAR = ("A-Za-z0-9\\-._~!$&'()*+,;=:@\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF\U00010000-\U0001FFFD"
           "\U00020000-\U0002FFFD\U00030000-\U0003FFFD\U00040000-\U000EFFFD")
_NOT_IN_SEGMENT = re.compile(f"[^{_IPCHAR}]|\ufffd")
_NOT_IN_IRI_PATH = re.compile(f"%(?![0-9A-Fa-f]{{2}})|[^{_IPCHAR}%/]")
_NUMBER = re.compile(rf"\d{{1,{MAX_NUMBER_DIGITS}}}")


class InputError(BadRequest):
    """A request whose path or parameters are malformed (400), with the message to show."""

    def __init__(self, message: str):
        super().__init__(description=message)
        self.kg_message = message


def _is_iri(value: str) -> bool:
    import pyoxigraph as ox
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


class SegmentConverter(BaseConverter):
    """``<name>``: one path segment of characters an IRI path may hold, ``%`` and ``?`` ``#``
    excepted (else: no route, 404)."""

    regex = "[^/]+"

    def __init__(self, map, *args, **kwargs):      # noqa: A002 - werkzeug's signature
        super().__init__(map)

    def to_python(self, value: str) -> str:
        if _NOT_IN_SEGMENT.search(value):
            raise ValidationError()
        return value


class IriPathConverter(PathConverter):
    """``<path:…>``: the rest of the path as an IRI path: characters an IRI path cannot hold
    (and ``%`` not starting an escape) percent-encoded, as kg's IRIs have them."""

    def to_python(self, value: str) -> str:
        value = _NOT_IN_IRI_PATH.sub(lambda m: quote(m.group(), safe=""), value)
        if not _is_iri("https://w3id.org/" + value):
            raise ValidationError()
        return value


def check_request(max_query_bytes: int) -> None:
    """Raise :class:`InputError` (or 413) for a malformed path or query string."""
    env = request.environ
    try:
        path = env.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        if _REPLACEMENT in path:
            raise UnicodeError
    except UnicodeError:
        raise InputError("网址的百分号编码不是合法的 UTF-8。 / The path's percent-encoding is not valid UTF-8.") from None
    if _PATH_CONTROL.search(path):
        raise InputError("网址中含有控制字符。 / The path holds a control character.")
    qs = env.get("QUERY_STRING", "")
    if len(qs) > max_query_bytes:
        raise RequestEntityTooLarge()
    if not qs:
        return
    try:
        # WSGI strings are the raw bytes as latin-1: raw and %-encoded bytes must both be UTF-8
        pairs = parse_qsl(qs.encode("latin-1").decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                          errors="strict")
        if any(_REPLACEMENT in name or _REPLACEMENT in value for name, value in pairs):
            raise UnicodeError
    except (UnicodeError, ValueError):
        raise InputError("查询参数的百分号编码不是合法的 UTF-8。 / A query parameter's percent-encoding is not "
                         "valid UTF-8.") from None
    for name, value in pairs:
        if _VALUE_CONTROL.search(name) or _VALUE_CONTROL.search(value):
            raise InputError(f"参数 {_shown(name)} 中含有控制字符（只允许制表符、换行和回车）。 / The parameter "
                             f"{_shown(name)} holds a control character (only TAB, LF and CR are allowed).")
        if name in NUMERIC_ARGS and value and not _NUMBER.fullmatch(value):
            raise InputError(f"参数 {name} 应为不超过 {MAX_NUMBER_DIGITS} 位的非负整数。 / {name} must be a whole "
                             f"number of at most {MAX_NUMBER_DIGITS} digits.")
        if name in IRI_ARGS and value.strip() and not _is_iri(value.strip()):
            raise InputError(f"参数 {name} 不是合法的 IRI。 / {name} is not a valid IRI.")


def _shown(name: str) -> str:
    return repr(_VALUE_CONTROL.sub("?", name[:40]))


def install(app: Flask) -> None:
    """The converters (call before any blueprint is registered) and the request check."""
    app.url_map.converters["default"] = SegmentConverter
    app.url_map.converters["string"] = SegmentConverter
    app.url_map.converters["path"] = IriPathConverter

    @app.before_request
    def _check_inputs():
        check_request(int(app.config["MAX_QUERY_BYTES"]))
