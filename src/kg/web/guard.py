"""What a SPARQL request may do on this read-only endpoint, decided before it runs.

The request text is tokenized with SPARQL's own lexical rules (IRIs, string literals of all
four kinds, comments, prefixed names, variables and keywords are told apart), so words inside
a string, an IRI or a comment are never read as keywords: ``SELECT ("INSERT" AS ?x) {}`` is a
query. The prologue (BASE / PREFIX) is skipped and the first keyword after it says what the
request is: SELECT / CONSTRUCT / DESCRIBE / ASK are queries, INSERT / DELETE / LOAD / CLEAR /
DROP / CREATE / ADD / MOVE / COPY / WITH start a SPARQL Update, which is refused. The query is
then parsed by Oxigraph itself before it runs; anything it does not accept as a query is a
400 with its message.

Refused as well, so that the server never makes an outbound request:

- ``SERVICE`` anywhere in the query (Oxigraph would fetch it over HTTP);
- ``FROM`` / ``FROM NAMED`` and the protocol's ``default-graph-uri`` / ``named-graph-uri``
  naming a graph the store does not hold (prefixed names and relative IRIs are resolved
  against the query's PREFIX / BASE declarations first).

SPARQL allows ``\\uXXXX`` escapes anywhere in a query; they are decoded and the decoded text is
scanned too, so ``\\u0053ERVICE`` is caught even by an engine that decodes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_PN_CHARS_BASE = (
    "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
    "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PREFIX = f"(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?"
_LOCAL_ESC = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL = (f"(?:(?:[{_PN_CHARS_U}:0-9]|{_LOCAL_ESC})"
          f"(?:(?:[{_PN_CHARS}.:]|{_LOCAL_ESC})*(?:[{_PN_CHARS}:]|{_LOCAL_ESC}))?)?")

TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][""" + _PN_CHARS_U + r"""0-9][""" + _PN_CHARS_U + r"""0-9\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<bnode>_:[""" + _PN_CHARS_U + r"""0-9](?:[""" + _PN_CHARS + r""".]*[""" + _PN_CHARS + r"""])?)
  | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<pname>""" + _PREFIX + ":" + _LOCAL + r""")
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*=<>!+\-/|^?$@&])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass
class Token:
    kind: str
    text: str
    pos: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokenize(text: str) -> list[Token]:
    return [Token(m.lastgroup, m.group(), m.start()) for m in TOKEN.finditer(text)
            if m.lastgroup not in ("ws", "comment")]


def _unescape(text: str) -> str:
    def rep(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group()
    return _UESCAPE.sub(rep, text)


class Refused(Exception):
    """The request is understood but not allowed here (HTTP 403)."""

    def __init__(self, message: str, kind: str = "forbidden"):
        super().__init__(message)
        self.kind = kind


class BadRequest(Exception):
    """The request is wrong (HTTP 400)."""


@dataclass
class Analysis:
    form: str                                   # SELECT | CONSTRUCT | DESCRIBE | ASK
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named)

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


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
    if base and not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", iri):
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
    """Check a query request; raise :class:`Refused` or :class:`BadRequest`, or describe it."""
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
    decoded = _unescape(text)
    scans = [tokens] if decoded == text else [tokens, tokenize(decoded)]
    for toks in scans:
        for t in toks:
            if t.kind == "word" and t.upper == "SERVICE":
                raise Refused("本端点不执行 SERVICE 联邦查询，服务器不对外发请求。"
                              " / SERVICE (federated query) is not allowed: this server makes no outbound requests.",
                              kind="service")
    a = Analysis(form=word, prefixes=prefixes)
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
