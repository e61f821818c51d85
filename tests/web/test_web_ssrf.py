"""No query makes the server, or the SPARQL server behind it, connect anywhere (SERVICE is the
engine's only outbound path; kg.web.guard.screen refuses the word in any form).

- Known tricks sent to real servers (`kg serve` on the embedded store, and in front of
  `oxigraph serve`, which does execute SERVICE): each 403, and a listener on 127.0.0.1 that
  counts connections (the bait) gets none.
- A fuzz test (hypothesis, seeded with the known tricks) generates queries that hide SERVICE
  among comments, strings, IRIs, escapes and keywords in odd case: not one connection, every
  one 403. Legitimate queries built from the same pieces give the same rows as the store.
- The same fuzz run against a deliberately weakened guard (the lexer-based check kg had
  before) finds a connection: the seeds do, and so does generation alone.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.web import guard

from .conftest import KgServer
from .netwatch import Bait

TIMEOUT = 3.0


def service_tricks(bait: str) -> list[tuple[str, str]]:
    svc = f"SERVICE <{bait}/x> {{ ?a ?b ?c }}"
    return [
        # the probes: the old lexer read a long string where the engine reads a comment
        ("lt-hash-long-double", f'SELECT * WHERE {{ ?s ?p ?o FILTER(1<2#>"""\n) {svc}\n# """\n}}'),
        ("lt-hash-long-single", f"SELECT * WHERE {{ ?s ?p ?o FILTER(1<2#>'''\n) {svc}\n# '''\n}}"),
        # new probes of the same families
        ("lt-hash-short", f'SELECT * WHERE {{ ?s ?p ?o FILTER(1<2#>"\n) {svc}\n# "\n}}'),
        ("le-hash-long", f'SELECT * WHERE {{ ?s ?p ?o FILTER(1<=2#>"""\n) {svc}\n# """\n}}'),
        ("iri-hash-long", f'SELECT * WHERE {{ ?s ?p ?o FILTER(?o != <urn:x#>"""\n) {svc}\n# """\n}}'),
        ("string-hash", f'SELECT * WHERE {{ ?s ?p ?o FILTER(?o != "#") {svc} }}'),
        ("lowercase", f"select * where {{ service <{bait}/x> {{ ?a ?b ?c }} }}"),
        ("odd-case", f"SELECT * WHERE {{ sErViCe <{bait}/x> {{ ?a ?b ?c }} }}"),
        ("silent", f"SELECT * WHERE {{ SERVICE SILENT <{bait}/x> {{ ?a ?b ?c }} }}"),
        ("comment-between", f"SELECT * WHERE {{ SERVICE#x\n<{bait}/x> {{ ?a ?b ?c }} }}"),
        ("variable", f"SELECT * WHERE {{ BIND(<{bait}/x> AS ?e) SERVICE ?e {{ ?a ?b ?c }} }}"),
        ("prefixed", f"PREFIX b: <{bait}/> SELECT * WHERE {{ SERVICE b:x {{ ?a ?b ?c }} }}"),
        ("u-escape", f"SELECT * WHERE {{ \\u0053ERVICE <{bait}/x> {{ ?a ?b ?c }} }}"),
        ("U-escape", f"SELECT * WHERE {{ \\U00000073ervice <{bait}/x> {{ ?a ?b ?c }} }}"),
        ("escaped-escape", f"SELECT * WHERE {{ \\u005Cu0053ERVICE <{bait}/x> {{ ?a ?b ?c }} }}"),
        ("long-s", f"SELECT * WHERE {{ ſERVICE <{bait}/x> {{ ?a ?b ?c }} }}"),
        ("dotless-i", f"SELECT * WHERE {{ SERVıCE <{bait}/x> {{ ?a ?b ?c }} }}"),
        ("fullwidth", f"SELECT * WHERE {{ ＳＥＲＶＩＣＥ <{bait}/x> {{ ?a ?b ?c }} }}"),
        ("in-literal", f'SELECT ("service" AS ?x) WHERE {{ {svc} }}'),
        ("bom", f"\ufeffSELECT * WHERE {{ {svc} }}"),
    ]


def get(base: str, query: str) -> tuple[int, str]:
    host, port = base.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/sparql?" + urlencode({"query": query}), headers={"Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", "replace")
    conn.close()
    return resp.status, body


class TokenBait(Bait):
    """The bait, counting as ``hits`` the connections that come from our queries: their request
    names the bait's random path (a connection that sends nothing counts too). Other processes
    on a shared machine that happen to knock on the port (a test polling for its own server
    whose port was reused) are counted in ``accepted`` only."""

    def __init__(self):
        super().__init__()
        self.token = secrets.token_hex(8)
        self.url = f"http://127.0.0.1:{self.port}/{self.token}"
        self.hits = 0

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            try:
                conn.settimeout(1.0)
                data = conn.recv(4096)
            except OSError:
                data = b""
            if not data or self.token.encode() in data:
                self.hits += 1
            conn.close()


def settle(bait: TokenBait, seconds: float = 0.3) -> int:
    """The bait's hits once connections in flight were accepted (its loop polls every 0.1 s)."""
    time.sleep(seconds)
    return bait.hits


@pytest.fixture(scope="module")
def servers(store_dir, oxigraph, tmp_path_factory):
    log = tmp_path_factory.mktemp("ssrf")
    local = KgServer(str(store_dir), log / "local.log", ("--query-timeout", str(TIMEOUT)))
    remote = KgServer(oxigraph, log / "remote.log", ("--query-timeout", str(TIMEOUT)))
    yield {"local": local, "remote": remote}
    local.stop()
    remote.stop()


@pytest.mark.parametrize("target", ["local", "remote"])
def test_known_service_tricks_make_no_connection(servers, target):
    base = servers[target].url
    with TokenBait() as bait:
        for name, query in service_tricks(bait.url):
            status, body = get(base, query)
            assert settle(bait, 0.15) == 0, f"{name}: the server connected to the bait"
            assert status == 403 and "SERVICE" in body, (name, status, body[:200])
        assert settle(bait) == 0
        status, body = get(base, "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True


# ---------------------------------------------------------------------- the fuzz
# text around the SERVICE clause: the first two made the old lexer read a long string where the
# engine reads a comment; the others are plain surroundings
HIDERS = [
    ('FILTER(1<2#>"""\n) ', '\n# """\n'),
    ("FILTER(1<2#>'''\n) ", "\n# '''\n"),
    ('FILTER(1<2#>"\n) ', '\n# "\n'),
    ('FILTER(?o != "#") ', ""),
    ('BIND("\\"#" AS ?z) ', ""),
    ("FILTER(?o != <http://e.example/#>) ", ""),
    ("# <'''\n", ""),
    ("", ""),
]
FOLDS = {"s": ["ſ", "Ｓ"], "e": ["Ｅ"], "r": ["ｒ"], "v": ["Ｖ"], "i": ["ı", "İ"], "c": ["ｃ"]}
GAPS = [" ", "\n", "\t", " SILENT ", "#c\n", " #x'''\n ", "\r\n"]
TARGETS = ["<BAIT/x>", "?e", "b:x"]


@st.composite
def service_word(draw) -> str:
    out = []
    for ch in "service":
        how = draw(st.sampled_from(["lower", "upper", "upper", "lower", "escape", "fold"]))
        if how == "escape":
            out.append(draw(st.sampled_from([f"\\u{ord(ch.upper()):04X}", f"\\U{ord(ch):08x}"])))
        elif how == "fold":
            out.append(draw(st.sampled_from(FOLDS[ch])))
        else:
            out.append(ch.upper() if how == "upper" else ch)
    return "".join(out)


@st.composite
def disguised_service(draw) -> str:
    """A query that holds a SERVICE clause pointing at the bait (BAIT stands for its URL)."""
    before, after = draw(st.sampled_from(HIDERS))
    word = draw(service_word())
    target = draw(st.sampled_from(TARGETS))
    keyword = draw(st.sampled_from(["SELECT", "select", "SeLeCt"]))
    return ("PREFIX b: <BAIT/> " + keyword + " * WHERE { BIND(<BAIT/y> AS ?e) ?s ?p ?o " + before + word
            + draw(st.sampled_from(GAPS)) + target + " { ?a ?b ?c } " + after + "}")


SEEDS = [q.replace("http://127.0.0.1:1", "BAIT") for _, q in service_tricks("http://127.0.0.1:1")]


def _no_outbound(app, bait: TokenBait, template: str, refused: bool = True) -> None:
    """The property: sending the query makes no connection (and, with ``refused``, it is a 403)."""
    query = template.replace("BAIT", bait.url)
    before = bait.hits
    r = app.test_client().get("/sparql", query_string={"query": query},
                              headers={"Accept": "application/sparql-results+json"})
    assert settle(bait, 0.12) == before, f"outbound connection made for {query!r} ({r.status_code})"
    if refused:
        assert r.status_code == 403, (query, r.status_code, r.get_data(as_text=True)[:200])


FUZZ = settings(max_examples=60, deadline=None, database=None, derandomize=True, report_multiple_bugs=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _fuzz_core(app, bait, refused, template):
    _no_outbound(app, bait, template, refused)


fuzz_seeded = given(template=disguised_service())(_fuzz_core)
for _seed in SEEDS:
    fuzz_seeded = example(template=_seed)(fuzz_seeded)
fuzz_seeded = FUZZ(fuzz_seeded)
fuzz_generated = settings(FUZZ, max_examples=100)(given(template=disguised_service())(_fuzz_core))


def make_app(store: str):
    from kg.web.app import create_app
    return create_app({"STORE": store, "QUERY_TIMEOUT": TIMEOUT, "PREWARM": False, "WORKERS": 2})


@pytest.fixture(scope="module")
def remote_app(oxigraph):
    app = make_app(oxigraph)
    yield app
    app.extensions["kg"].pool.close()


@pytest.fixture(scope="module")
def local_app(store_dir):
    app = make_app(str(store_dir))
    yield app
    app.extensions["kg"].pool.close()


def test_fuzz_no_outbound_connection_through_the_external_server(remote_app):
    """`oxigraph serve` executes SERVICE: only the guard stands between it and the bait."""
    with TokenBait() as bait:
        fuzz_seeded(remote_app, bait, True)
        assert settle(bait) == 0


def test_fuzz_no_outbound_connection_embedded(local_app):
    with TokenBait() as bait:
        fuzz_seeded(local_app, bait, True)
        assert settle(bait) == 0


# ---------------------------------------------------------------------- the fuzz can fail
# the guard as it was before: a lexer meant to match the engine's, and SERVICE as a keyword token
_PN = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
       "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD")
OLD_TOKEN = re.compile(
    r"""(?P<ws>\s+)|(?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][""" + _PN + r"""_0-9]+)
  | (?P<pname>[""" + _PN + r"""]*:[""" + _PN + r"""_0-9:.\-]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*) | (?P<other>.)""", re.VERBOSE | re.DOTALL)


def old_screen(text: str, max_bytes: int | None = None) -> None:
    decoded = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), text)
    for t in (text, decoded):
        if any(m.lastgroup == "word" and m.group().upper() == "SERVICE" for m in OLD_TOKEN.finditer(t)):
            raise guard.Refused("SERVICE refused (weakened guard)", kind="service")


def test_the_fuzz_finds_the_hole_in_a_weakened_guard(remote_app, monkeypatch):
    monkeypatch.setattr(guard, "screen", old_screen)
    with TokenBait() as bait:
        with pytest.raises(AssertionError, match="outbound connection"):
            fuzz_seeded(remote_app, bait, False)        # the no-connection property alone
        assert settle(bait) > 0


def test_generation_alone_finds_the_hole_in_a_weakened_guard(remote_app, monkeypatch):
    """Without the seeds: the generated queries hit the hole on their own."""
    monkeypatch.setattr(guard, "screen", old_screen)
    with TokenBait() as bait:
        with pytest.raises(AssertionError, match="outbound connection"):
            fuzz_generated(remote_app, bait, False)


# ---------------------------------------------------------------------- legitimate queries
SAFE = "abdfgh中文数据#<>()'{}.,;:/ \"\\"      # no letters of SERVICE, no control characters


def _odd_case(draw, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(word, flips))


@st.composite
def legit_query(draw) -> str:
    def string():
        body = draw(st.lists(st.one_of(st.sampled_from(list(SAFE.replace('"', "").replace("\\", ""))),
                                       st.sampled_from(['\\"', "\\\\", "\\n", "\\t", "\\u0041", "'''", "#"])),
                             max_size=12))
        return '"' + "".join(body) + '"'

    def comment():
        # not \b or \f: the guard reads no SPARQL syntax, so it refuses those string escapes
        # (control characters in XML results) in comments too (docs/security.md)
        text = draw(st.text(alphabet=SAFE, max_size=20).filter(lambda t: not re.search(r"\\[bf]", t)))
        return "#" + text + "\n"

    iri = "<http://e.example/" + draw(st.sampled_from(["a", "b#c", "中文", "x%20y"])) + ">"
    kw = {w: _odd_case(draw, w) for w in ("SELECT", "COUNT", "AS", "WHERE", "FILTER")}
    return (f"{kw['SELECT']} ({kw['COUNT']}(*) {kw['AS']} ?n) {comment()} {kw['WHERE']} {{ ?s ?p ?o {comment()}"
            f" {kw['FILTER']}(?o != {string()} && ?o != {iri}) }}")


@pytest.fixture(scope="module")
def reference(store_dir):
    from kg.store import LocalStore
    store = LocalStore(store_dir, read_only=True)
    yield store
    store.close()


@pytest.mark.parametrize("which", ["local", "remote"])
def test_fuzz_legitimate_queries_answer_as_the_store_does(which, local_app, remote_app, reference):
    app = local_app if which == "local" else remote_app

    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(query=legit_query())
    @example(query='SELECT (COUNT(*) AS ?n) # a "comment" <with an IRI\n WHERE { ?s ?p ?o '
                   'FILTER(?o != "str\\"ing#" && ?o != <http://e.example/#frag>) }')
    @example(query="select (count(*) as ?n) #'''\n where { ?s ?p ?o filter(?o != '''a\n#b''' && ?o != <x:y>) }")
    def check(query):
        assert not guard.has_service_word(query)
        r = app.test_client().get("/sparql", query_string={"query": query})
        assert r.status_code == 200, (query, r.get_data(as_text=True)[:300])
        got = int(r.get_json()["results"]["bindings"][0]["n"]["value"])
        [row] = list(reference.query(query))
        assert got == int(row["n"].value), query

    check()


def test_legitimate_query_results_in_every_format_are_unchanged(local_app, reference):
    """A query with comments, strings, IRIs and escapes: JSON rows equal the store's own."""
    q = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> # "not a string\n'
         'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(?l != "a#b\\"c" && ?s != <urn:x#y>) } ORDER BY ?s ?l LIMIT 50')
    r = local_app.test_client().get("/sparql", query_string={"query": q})
    rows = [(b["s"]["value"], b["l"]["value"]) for b in r.get_json()["results"]["bindings"]]
    assert rows == [(x["s"].value, x["l"].value) for x in reference.query(q)] and rows
