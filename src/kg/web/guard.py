"""What a SPARQL request may do on this read-only endpoint, decided before it runs. Two stages:

**1. :func:`screen`, on the request thread, without parsing.** In this order:

- a query of more than ``MAX_QUERY_BYTES`` (UTF-8) is refused (413) before anything reads it;
- control characters other than TAB, LF and CR are refused (400): XML 1.0 results cannot carry
  them. They are looked for in the text as sent, after decoding ``\\u``/``\\U`` escapes, and as
  the string escapes ``\\b`` and ``\\f`` (an odd run of backslashes before ``b`` or ``f``);
- **the word SERVICE in any letter case, anywhere** — in strings, IRIs and comments too — is
  refused (403). The text is checked as sent and after decoding ``\\u``/``\\U`` codepoint
  escapes (which the SPARQL grammar allows anywhere, even where today's engine reads them only
  in strings), repeatedly, until no escape is left; letters are folded with Unicode's case
  mappings and compatibility forms (``ſ``, ``ı``, full-width letters all count).

This is a deliberate over-approximation. It does not depend on lexing the query the same way
as the engine: SERVICE is the engine's only outbound path (queries cannot LOAD, and FROM names
dataset graphs without fetching them), and a keyword can only be read where its seven letters
stand next to each other after the engine's own decoding. So no trick with comments, strings,
IRIs or escapes that makes the engine see SERVICE can hide it from this check. A query that
needs the word in a literal builds it (``CONCAT("serv", "ice")``); an IRI holding it is written
``IRI(CONCAT(…))`` (docs/security.md). Each step is a linear scan, so the cost grows with the
size of the query and no faster (bench/bench_security.py).

**2. :func:`analyse`, in the query worker under the query's time limit** (:mod:`kg.web.worker`):
the text is tokenized (:mod:`kg.web.sparql_tokens`, linear), the prologue (BASE / PREFIX)
skipped, and the first keyword after it says what the request is: SELECT / CONSTRUCT / DESCRIBE
/ ASK are queries; INSERT / DELETE / LOAD / CLEAR / DROP / CREATE / ADD / MOVE / COPY / WITH start
a SPARQL Update, refused with 403 (the worker runs queries through a query-only API, so an
update could never run anyway). Nesting of ``( [ {`` deeper than ``MAX_NESTING`` is a 400, and
``FROM`` / ``FROM NAMED`` / the protocol's ``default-graph-uri`` / ``named-graph-uri`` must name
graphs the store holds (prefixed names and relative IRIs resolved first), else 400.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from .sparql_tokens import Token, tokenize

__all__ = ["screen", "analyse", "classify", "update_refusal", "check_graphs", "tokenize", "Token", "Analysis",
           "Refused", "BadRequest", "TooLarge"]

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# C0 and C1 controls but TAB, LF, CR; surrogates and the two non-characters XML cannot hold
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ECHAR_CONTROL = re.compile(r"(?<!\\)(?:\\\\)*+\\[bf]")          # \b or \f, not \\b
_SERVICE = "service"
_LETTERS = frozenset(_SERVICE)
MAX_DECODING_ROUNDS = 16


class Refused(Exception):
    """The request is understood but not allowed here (HTTP 403)."""

    def __init__(self, message: str, kind: str = "forbidden"):
        super().__init__(message)
        self.kind = kind


class BadRequest(Exception):
    """The request is wrong (HTTP 400)."""


class TooLarge(Exception):
    """The query is over the size cap (HTTP 413); nothing read it."""


# ---------------------------------------------------------------------- stage 1: screen
def _decode_once(text: str) -> str:
    def rep(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group()
    return _ESCAPE.sub(rep, text)


def decodings(text: str) -> list[str]:
    """``text`` and each further decoding of its ``\\u``/``\\U`` escapes, until none is left."""
    out = [text]
    while len(out) <= MAX_DECODING_ROUNDS and "\\" in out[-1]:
        nxt = _decode_once(out[-1])
        if nxt == out[-1]:
            break
        out.append(nxt)
    return out


@lru_cache(maxsize=1 << 16)
def _fold_char(c: str) -> str:
    """The ASCII letter of SERVICE that ``c`` may stand for under some case mapping or
    compatibility form (``ſ`` → s, ``ı`` / ``İ`` → i, ``Ｓ`` → s), else ``c``."""
    forms = {c, c.lower(), c.upper(), c.casefold()}
    forms |= {unicodedata.normalize("NFKC", f) for f in list(forms)}
    forms |= {f.lower() for f in list(forms)} | {f.upper() for f in list(forms)}
    for f in forms:
        base = "".join(x for x in unicodedata.normalize("NFD", f) if not unicodedata.combining(x))
        if len(base) == 1 and base.isascii() and base.lower() in _LETTERS:
            return base.lower()
    return c


def has_service_word(text: str) -> bool:
    """SERVICE in any letter case anywhere in ``text`` (folded as :func:`_fold_char` says)."""
    table = {ord(c): _fold_char(c) for c in set(text) if not c.isascii()}
    return _SERVICE in text.translate(table).lower()


def control_character(text: str) -> str | None:
    """A description of the first refused control character in ``text``, else None."""
    m = _CONTROL.search(text)
    if m:
        return f"U+{ord(m.group()):04X}"
    m = _ECHAR_CONTROL.search(text)
    if m:
        return "\\" + m.group()[-1]
    return None


SERVICE_REFUSAL = ("本端点不执行 SERVICE 联邦查询，服务器不对外发请求；查询文本中任何位置（包括字符串、IRI 和注释）出现 "
                   "SERVICE 一词都会被拒绝，需要这个词时请用 CONCAT(\"serv\", \"ice\") 拼出。"
                   " / SERVICE (federated query) is not allowed: this server makes no outbound requests. The word "
                   "SERVICE anywhere in the query text (strings, IRIs and comments included, in any letter case, "
                   "escaped or not) is refused; build it where you need it: CONCAT(\"serv\", \"ice\").")


def screen(text: str, max_bytes: int | None = None) -> None:
    """Stage 1 (see the module's docstring): raise :class:`TooLarge`, :class:`BadRequest` or
    :class:`Refused`, reading the text only with linear scans, or return."""
    if max_bytes is not None and (len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes):
        raise TooLarge(f"查询太大：最多 {max_bytes} 字节。 / The query is larger than MAX_QUERY_BYTES "
                       f"({max_bytes} bytes).")
    if not text or not text.strip():
        raise BadRequest("查询为空 / empty query")
    rounds = decodings(text)
    for t in rounds:
        what = control_character(t)
        if what:
            name = "NUL" if what == "U+0000" else what
            raise BadRequest(f"查询中含有控制字符 {name}（只允许制表符、换行和回车）。 / The query holds the control "
                             f"character {name} (only TAB, LF and CR are allowed; XML results cannot carry the others).")
    if any(has_service_word(t) for t in rounds):
        raise Refused(SERVICE_REFUSAL, kind="service")


# ---------------------------------------------------------------------- stage 2: analyse
@dataclass
class Analysis:
    form: str                                   # SELECT | CONSTRUCT | DESCRIBE | ASK
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    relative_iris: bool = False                 # an <iri> without a scheme (resolved against the base)
    uses_graph: bool = False                    # a GRAPH keyword

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named)

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _prologue(tokens: list[Token], base: str | None) -> tuple[int, dict[str, str], str | None]:
    """Skip BASE / PREFIX declarations; return the index after them, the prefixes and the base."""
    i, prefixes = 0, {}
    while i < len(tokens):
        t = tokens[i]
        if t.kind == "word" and t.upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
            base = _resolve(tokens[i + 1].text[1:-1], base)
            i += 2
        elif (t.kind == "word" and t.upper == "PREFIX" and i + 2 < len(tokens)
              and tokens[i + 1].kind == "pname" and tokens[i + 2].kind == "iri"):
            prefixes[tokens[i + 1].text.rstrip(":").split(":")[0]] = _resolve(tokens[i + 2].text[1:-1], base)
            i += 3
        else:
            break
    return i, prefixes, base


def _resolve(iri: str, base: str | None) -> str:
    if base and not _SCHEME.match(iri):
        return urljoin(base, iri)
    return iri


def _expand(tok: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if tok.kind == "iri":
        return _resolve(tok.text[1:-1], base)
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def classify(text: str) -> str:
    """'query', 'update' or 'unknown' — the operation the text starts with after its prologue."""
    tokens = tokenize(text)
    i, _, _ = _prologue(tokens, None)
    if i < len(tokens) and tokens[i].kind == "word":
        word = tokens[i].upper
        if word in QUERY_FORMS:
            return "query"
        if word in UPDATE_WORDS:
            return "update"
    return "unknown"


def update_refusal(text: str | None = None) -> Refused:
    """The 403 for an update; with ``text`` (in a worker: it tokenizes), the operations it names."""
    what = ""
    if text:
        tokens = tokenize(text)
        i, _, _ = _prologue(tokens, None)
        ops = []
        for j in range(i, len(tokens)):
            t = tokens[j]
            prev = tokens[j - 1] if j > i else None
            if t.kind == "word" and t.upper in UPDATE_WORDS and (prev is None or prev.text == ";"):
                nxt = tokens[j + 1].upper if j + 1 < len(tokens) and tokens[j + 1].kind == "word" else ""
                ops.append(t.upper + (" " + nxt if nxt in ("DATA", "WHERE", "SILENT", "ALL", "GRAPH",
                                                             "DEFAULT", "NAMED") else ""))
        if ops:
            what = "（" + "；".join(dict.fromkeys(ops)) + "）"
    return Refused(
        f"本端点只读，不执行 SPARQL Update{what}；请用 `kg ingest` 更新数据。"
        " / This SPARQL endpoint is read-only: SPARQL Update is not accepted; use `kg ingest` to change the data.",
        kind="update")


def nesting(tokens: list[Token]) -> int:
    """The deepest nesting of ( [ { in the query."""
    depth = deepest = 0
    for t in tokens:
        if t.kind == "punct":
            if t.text in "([{":
                depth += 1
                deepest = max(deepest, depth)
            elif t.text in ")]}":
                depth -= 1
    return deepest


def analyse(text: str, known_graphs: set[str] | None = None, base: str | None = None,
            max_nesting: int | None = 64) -> Analysis:
    """Stage 2 (see the module's docstring): raise :class:`Refused` or :class:`BadRequest`, or
    describe the query. Callers run :func:`screen` first."""
    if not text or not text.strip():
        raise BadRequest("查询为空 / empty query")
    if "\x00" in text:
        raise BadRequest("查询中含有 NUL 字符 / the query holds a NUL character")
    tokens = tokenize(text)
    if max_nesting and nesting(tokens) > max_nesting:
        raise BadRequest(f"查询嵌套太深（括号超过 {max_nesting} 层）/ the query nests ( [ {{ more than {max_nesting} "
                         "deep; this endpoint refuses it (a parser could run out of stack)")
    i, prefixes, qbase = _prologue(tokens, base)
    if not tokens:
        raise BadRequest("查询为空 / empty query")
    if i >= len(tokens):
        raise BadRequest("只有前缀声明，没有查询 / the request holds only a prologue, no query")
    first = tokens[i]
    word = first.upper if first.kind == "word" else ""
    if word in UPDATE_WORDS:
        raise update_refusal(text)
    if word not in QUERY_FORMS:
        raise BadRequest(f"第 {_line_col(text, first.pos)} 处应为 SELECT、CONSTRUCT、DESCRIBE 或 ASK，"
                         f"而不是 {first.text[:40]!r} / expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    a = Analysis(form=word, prefixes=prefixes)
    a.relative_iris = any(t.kind == "iri" and not _SCHEME.match(t.text[1:-1]) for t in tokens)
    a.uses_graph = any(t.kind == "word" and t.upper == "GRAPH" for t in tokens)
    for j in range(i, len(tokens) - 1):
        t = tokens[j]
        if t.kind == "word" and t.upper == "FROM":
            k = j + 1
            named = tokens[k].kind == "word" and tokens[k].upper == "NAMED"
            if named:
                k += 1
            if k >= len(tokens):
                break
            iri = _expand(tokens[k], prefixes, qbase)
            if iri is None:
                continue            # a syntax error; Oxigraph's parser will say where
            (a.from_named if named else a.from_graphs).append(iri)
    if known_graphs is not None:
        check_graphs(a.from_graphs + a.from_named, known_graphs, "FROM")
    return a


def check_graphs(iris: list[str], known: set[str], what: str) -> None:
    for iri in iris:
        if iri not in known:
            raise BadRequest(f"{what} <{iri}>：库中没有这个图（服务器不抓取外部数据；图的列表见服务描述 GET /sparql）。"
                             f" / {what} <{iri}>: no such graph in the store (remote data is never fetched;"
                             " the service description at GET /sparql lists the graphs).")


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"{line}:{col}"
