"""Adding and removing reports from the web: the write token, the writer session, CSRF and
Origin checks, the upload limit, and bad uploads that leave the store and the corpus exactly as
they were (compared quad by quad and byte by byte)."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from kg.store import LocalStore

from .conftest import CORPUS, DOC

TOKEN = "test-write-token-0123456789"
ORIGIN = {"Origin": "http://localhost"}
GOOD = ("青川县2016年脱贫攻坚工作总结\n"
        "2016年，青川县退出贫困村12个，减少贫困人口3500人。\n"
        "截至2016年底，全县共有未脱贫贫困人口4557户13392人。\n")


def snapshot(store: Path, corpus: Path) -> tuple:
    """The store's quads and the corpus folder's files, to compare before and after."""
    st = LocalStore(store, read_only=True)
    try:
        quads = sorted(st.dump("nq").decode("utf-8").splitlines())
    finally:
        st.close()
    files = {p.name: p.read_bytes() for p in sorted(corpus.iterdir())}
    return quads, files


def csrf_of(text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def message(text: str, id_: str = "upload-error") -> str:
    m = re.search(rf'id="{id_}">(.*?)</p>', text, re.S)
    return html.unescape(m.group(1)) if m else ""


@pytest.fixture(scope="module")
def paths(copy_store):
    return copy_store("write")


@pytest.fixture(scope="module")
def wapp(paths):
    from kg.web.app import create_app
    store, corpus = paths
    app = create_app({"STORE": str(store), "CORPUS": str(corpus), "PREWARM": False, "WORKERS": 1,
                      "WRITE_TOKEN": TOKEN, "MAX_UPLOAD_BYTES": 200_000, "CHECK_INTERVAL": 0.2})
    app.config["TESTING"] = True
    yield app
    app.extensions["kg"].pool.close()


@pytest.fixture()
def anon(wapp):
    return wapp.test_client()


@pytest.fixture()
def writer(wapp):
    c = wapp.test_client()
    r = c.get("/add")
    r = c.post("/login", data={"csrf_token": csrf_of(r.text), "token": TOKEN}, headers=ORIGIN)
    assert r.status_code == 303
    c.csrf = csrf_of(c.get("/add").text)
    return c


def upload(c, data: bytes | None = None, name: str = "report.txt", headers=ORIGIN, csrf: str | None = None, **fields):
    form = {"csrf_token": c.csrf if csrf is None else csrf, **fields}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return c.post("/add", data=form, headers=headers, content_type="multipart/form-data")


# ---------------------------------------------------------------------- read-only by default
def test_without_a_token_the_site_is_read_only(store_dir, tmp_path):
    from kg.web.app import create_app
    app = create_app({"STORE": str(store_dir), "CORPUS": str(tmp_path), "PREWARM": False})
    c = app.test_client()
    r = c.get("/add")
    assert r.status_code == 200
    assert 'id="writes-disabled"' in r.text and "KG_WRITE_TOKEN" in r.text
    assert "<form" not in r.text.split("<main>")[1], "no form at all without a token"
    assert c.post("/add", data={"text": GOOD}, headers=ORIGIN).status_code == 403
    assert c.post("/login", data={"token": "anything"}, headers=ORIGIN).status_code == 403
    assert c.get(f"/documents/{DOC}/remove").status_code == 403
    assert c.post(f"/documents/{DOC}/remove", headers=ORIGIN).status_code == 403
    assert "remove-doc" not in c.get(f"/documents/{DOC}").text
    app.extensions["kg"].pool.close()


def test_a_short_token_is_refused_at_start(store_dir):
    from kg.web.app import create_app
    from kg.web.security import SettingsError
    with pytest.raises(SettingsError, match="at least 16"):
        create_app({"STORE": str(store_dir), "WRITE_TOKEN": "short", "PREWARM": False})


def test_token_from_the_environment(store_dir, monkeypatch):
    from kg.web.app import create_app
    monkeypatch.setenv("KG_WRITE_TOKEN", TOKEN)
    app = create_app({"STORE": str(store_dir), "PREWARM": False})
    assert app.config["WRITE_TOKEN"] == TOKEN
    app.extensions["kg"].pool.close()


def test_anonymous_visitors_see_only_the_token_box(anon):
    r = anon.get("/add")
    assert 'id="login-form"' in r.text and 'id="add-form"' not in r.text
    assert r.headers["Cache-Control"] == "no-store"
    # a session with a CSRF token but no login still may not write
    r = upload(anon, GOOD.encode(), csrf=csrf_of(r.text))
    assert r.status_code == 403 and "write token" in r.text


# ---------------------------------------------------------------------- login
def test_wrong_tokens_are_counted_then_refused_for_a_while(wapp):
    c = wapp.test_client()
    csrf = csrf_of(c.get("/add").text)
    env = {"REMOTE_ADDR": "10.9.8.7"}
    for _ in range(wapp.config["LOGIN_ATTEMPTS"]):
        r = c.post("/login", data={"csrf_token": csrf, "token": "wrong-token-xxxxxxxx"}, headers=ORIGIN,
                   environ_base=env)
        assert r.status_code == 403 and "wrong token" in r.text
    r = c.post("/login", data={"csrf_token": csrf, "token": TOKEN}, headers=ORIGIN, environ_base=env)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1, "even the right token waits"
    assert 'id="add-form"' not in c.get("/add").text
    # another address is not held up
    r = c.post("/login", data={"csrf_token": csrf, "token": TOKEN}, headers=ORIGIN,
               environ_base={"REMOTE_ADDR": "10.9.8.6"})
    assert r.status_code == 303


def test_login_needs_csrf_and_same_origin(wapp):
    c = wapp.test_client()
    csrf = csrf_of(c.get("/add").text)
    assert c.post("/login", data={"token": TOKEN}, headers=ORIGIN).status_code == 403
    assert c.post("/login", data={"csrf_token": csrf, "token": TOKEN},
                  headers={"Origin": "http://evil.example"}).status_code == 403
    assert c.post("/login", data={"csrf_token": csrf, "token": TOKEN}).status_code == 403     # no Origin/Referer
    assert 'id="add-form"' not in c.get("/add").text


def test_logout_ends_the_writer_session(writer):
    r = writer.post("/logout", data={"csrf_token": writer.csrf}, headers=ORIGIN)
    assert r.status_code == 303
    assert 'id="login-form"' in writer.get("/add").text
    assert upload(writer, GOOD.encode()).status_code == 403


def test_changing_the_token_ends_sessions(paths):
    from kg.web.app import create_app
    store, corpus = paths
    common = {"STORE": str(store), "CORPUS": str(corpus), "PREWARM": False, "SECRET_KEY": "s" * 32}
    a = create_app({**common, "WRITE_TOKEN": TOKEN})
    b = create_app({**common, "WRITE_TOKEN": TOKEN + "-new"})
    c = a.test_client()
    c.post("/login", data={"csrf_token": csrf_of(c.get("/add").text), "token": TOKEN}, headers=ORIGIN)
    cookie = c.get_cookie("kg_session")
    assert cookie and 'id="add-form"' in c.get("/add").text
    cb = b.test_client()
    cb.set_cookie("kg_session", cookie.value)
    assert 'id="add-form"' not in cb.get("/add").text
    for app in (a, b):
        app.extensions["kg"].pool.close()


# ---------------------------------------------------------------------- cross-site requests
@pytest.mark.parametrize("headers,csrf,why", [
    (ORIGIN, "", "no CSRF token"),
    (ORIGIN, "forged-token", "a wrong CSRF token"),
    ({}, None, "neither Origin nor Referer"),
    ({"Origin": "http://evil.example"}, None, "another site's Origin"),
    ({"Origin": "null"}, None, "an opaque Origin"),
    ({"Origin": "http://localhost.evil.example"}, None, "a look-alike Origin"),
    ({"Referer": "http://evil.example/page"}, None, "another site's Referer"),
])
def test_cross_site_writes_are_refused(writer, paths, headers, csrf, why):
    before = snapshot(*paths)
    r = upload(writer, GOOD.encode(), name="csrf.txt", headers=headers, csrf=csrf)
    assert r.status_code == 403, why
    r = writer.post(f"/documents/{DOC}/remove", data={"csrf_token": writer.csrf if csrf is None else csrf},
                    headers=headers)
    assert r.status_code == 403, why
    assert snapshot(*paths) == before


def test_same_site_referer_without_origin_is_accepted(writer, paths):
    before = snapshot(*paths)
    r = upload(writer, GOOD.encode(), name="referer-ok.txt", headers={"Referer": "http://localhost/add"})
    assert r.status_code == 303, message(r.text)
    r = writer.post("/documents/referer-ok/remove", data={"csrf_token": writer.csrf},
                    headers={"Referer": "http://localhost/documents/referer-ok/remove"})
    assert r.status_code == 303
    assert snapshot(*paths) == before


# ---------------------------------------------------------------------- bad uploads change nothing
SEED = (CORPUS / f"{DOC}.txt").read_bytes()
BAD = [
    ("empty", b"", "report.txt", "empty"),
    ("blank", b"   \n\n  ", "report.txt", "empty"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "report.txt", "binary"),
    ("wrong-encoding", "脱贫攻坚工作总结，2016年退出贫困村12个。".encode("utf-8")
     + "全县减少贫困人口3500人。".encode("gbk"), "report.txt", "mixed encoding"),
    ("latin1", "Pobreza: 2016 año, 12 aldeas, niño café".encode("latin-1"), "report.txt", "UTF-8"),
    ("truncated-utf8", GOOD.encode("utf-8")[:-2], "report.txt", "truncated"),
    ("html-script", ("<html><body><p>2016年退出贫困村12个。</p><script>alert(1)</script></body></html>").encode(),
     "page.html", "scripts"),
    ("html-onerror", '<html><body><p>2016年退出贫困村12个。<img src=x onerror="alert(1)"></p></body></html>'.encode(),
     "page.htm", "scripts"),
    ("html-javascript-url", '<p>2016年退出贫困村12个。<a href="javascript:alert(1)">x</a></p>'.encode(),
     "page.html", "scripts"),
    ("no-numbers", "青川县扶贫工作总结\n全县上下齐心协力，扎实推进脱贫攻坚各项工作。\n".encode(), "report.txt",
     "no statistics"),
    ("duplicate", SEED, "copy-of-seed.txt", "already in the store"),
    ("dot-dot", GOOD.encode(), "../x.txt", "may not hold a path"),
    ("backslash", GOOD.encode(), "..\\..\\x.txt", "may not hold a path"),
    ("absolute", GOOD.encode(), "/etc/cron.d/x.txt", "may not hold a path"),
    ("nested", GOOD.encode(), "a/b.txt", "may not hold a path"),
    ("control-char", GOOD.encode(), "x\x07y.txt", "control characters"),
    ("only-suffix", GOOD.encode(), ".txt", "may not hold a path"),
    ("dots", GOOD.encode(), "...txt", "may not hold a path"),
    ("hidden", GOOD.encode(), ".bashrc.txt", "may not hold a path"),
    ("executable", GOOD.encode(), "report.exe", "Unsupported file type"),
    ("no-suffix", GOOD.encode(), "report", "Unsupported file type"),
    ("long-name", GOOD.encode(), "x" * 300 + ".txt", "too long"),
]


@pytest.mark.parametrize("data,name,expect", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_upload_leaves_everything_as_it_was(writer, paths, data, name, expect):
    before = snapshot(*paths)
    r = upload(writer, data, name=name)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    msg = message(r.text)
    assert expect in msg, msg
    assert "/tmp" not in r.text and "kg-upload" not in r.text and str(paths[0]) not in r.text
    assert "Traceback" not in r.text
    assert snapshot(*paths) == before
    assert not list(paths[1].glob(".*.tmp"))


def test_bad_fields_leave_everything_as_it_was(writer, paths):
    before = snapshot(*paths)
    for fields, expect in [({"text": GOOD, "title": "x" * 201}, "too long"),
                           ({"text": GOOD, "place": "青川县\n<script>"}, "line breaks"),
                           ({"text": GOOD, "doc": "../../etc"}, "the id may hold"),
                           ({"text": GOOD, "doc": ".."}, "the id may hold"),
                           ({}, "Nothing to add"),
                           ({"text": "  \n "}, "Nothing to add")]:
        r = writer.post("/add", data={"csrf_token": writer.csrf, **fields}, headers=ORIGIN)
        assert r.status_code == 400 and expect in message(r.text), (fields, message(r.text))
    r = upload(writer, GOOD.encode(), name="both.txt", text=GOOD)
    assert r.status_code == 400 and "not both" in message(r.text)
    assert snapshot(*paths) == before


def test_an_upload_over_the_limit_is_413_with_a_clear_page(writer, paths, wapp):
    before = snapshot(*paths)
    big = GOOD.encode() * (wapp.config["MAX_UPLOAD_BYTES"] // len(GOOD.encode()) + 10)
    r = upload(writer, big, name="big.txt")
    assert r.status_code == 413
    assert "MAX_UPLOAD_BYTES" in r.text and "200000" in r.text and "<html" in r.text
    r = writer.post("/add", data={"csrf_token": writer.csrf, "text": big.decode()}, headers=ORIGIN)
    assert r.status_code == 413
    r = writer.post("/add", data={"csrf_token": writer.csrf, "file": (io.BytesIO(big), "big.txt")},
                    headers={**ORIGIN, "Accept": "application/json"}, content_type="multipart/form-data")
    assert r.status_code == 413 and r.get_json()["status"] == 413
    assert snapshot(*paths) == before


def test_a_document_over_kg_max_bytes_is_refused(writer, paths, monkeypatch):
    monkeypatch.setenv("KG_MAX_BYTES", "100")
    before = snapshot(*paths)
    r = upload(writer, GOOD.encode(), name="over.txt")
    assert r.status_code == 400 and "more than the limit of 100" in message(r.text)
    assert "/tmp" not in message(r.text)
    assert snapshot(*paths) == before


# ---------------------------------------------------------------------- a good upload
def test_add_then_remove(writer, paths, wapp):
    # asked before the report is there: refused (and that answer must not be kept past the upload)
    assert not writer.get("/api/ask", query_string={"q": "青川县2016年退出多少贫困村"}).get_json()["answered"]
    before = snapshot(*paths)
    payload = GOOD + "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=1\">\n"
    r = upload(writer, payload.encode(), name="青川县-2016.txt", place="青川县", date="2016",
               source="https://example.org/<b>report</b>")
    assert r.status_code == 303, message(r.text)
    # the question index beside the store was brought up to date by the upload itself
    # (before any question could make it)
    from kg.qa.index_file import index_path, store_stamp, stored_fingerprint
    from kg.qa.catalog_build import fingerprint
    from kg.store import LocalStore
    ro = LocalStore(paths[0], read_only=True)
    try:
        assert stored_fingerprint(index_path(ro)) == (*fingerprint(ro), store_stamp(ro))
    finally:
        ro.close()
    page = writer.get("/add").text
    assert "已添加文档 青川县-2016" in html.unescape(page)
    doc = "青川县-2016"
    # the app sees it at once: pages, JSON, the SPARQL workers, question answering
    docs = writer.get("/documents.json").get_json()["documents"]
    assert any(d["doc"] == doc and d["place"] == "青川县" and d["facts"] >= 2 for d in docs)
    r = writer.get(f"/documents/{doc}")
    assert r.status_code == 200
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in r.text and "<script>window" not in r.text
    assert "&lt;img src=x onerror=" in r.text and "&lt;b&gt;report&lt;/b&gt;" in r.text
    q = ("SELECT ?doc WHERE { ?r a <https://w3id.org/fupin/ontology#Report> ; "
         "<http://purl.org/dc/terms/identifier> ?doc }")
    rows = writer.get("/sparql", query_string={"query": q}).get_json()["results"]["bindings"]
    assert doc in {b["doc"]["value"] for b in rows}
    ans = writer.get("/api/ask", query_string={"q": "青川县2016年退出多少贫困村"}).get_json()
    assert ans["answered"] and any(v["value"] == 12 for v in ans["values"]), ans
    corpus = paths[1]
    assert (corpus / f"{doc}.txt").read_text(encoding="utf-8") == payload
    assert '"place": "青川县"' in (corpus / f"{doc}.meta.json").read_text(encoding="utf-8")
    # the same id again: refused unless "replace" is ticked
    r = upload(writer, (GOOD + "2017年退出贫困村9个。\n").encode(), name="x.txt", doc=doc)
    assert r.status_code == 409 and "replace" in message(r.text)
    r = upload(writer, (GOOD + "2017年退出贫困村9个。\n").encode(), name="x.txt", doc=doc, replace="1")
    assert r.status_code == 303, message(r.text)
    assert "2017年退出贫困村9个" in writer.get(f"/documents/{doc}.json").get_json()["text"]
    # remove: a confirmation page, then the POST
    r = writer.get(f"/documents/{doc}")
    assert 'id="remove-doc"' in r.text
    r = writer.get(f"/documents/{doc}/remove")
    assert r.status_code == 200 and 'id="remove-form"' in r.text
    r = writer.post(f"/documents/{doc}/remove", data={"csrf_token": csrf_of(r.text)}, headers=ORIGIN)
    assert r.status_code == 303
    assert writer.get(f"/documents/{doc}").status_code == 404
    rows = writer.get("/sparql", query_string={"query": q}).get_json()["results"]["bindings"]
    assert doc not in {b["doc"]["value"] for b in rows}
    assert snapshot(*paths) == before
    assert writer.post("/documents/no-such-doc/remove", data={"csrf_token": writer.csrf},
                       headers=ORIGIN).status_code == 404


def test_pasted_text_takes_its_id_from_the_title(writer, paths):
    before = snapshot(*paths)
    r = writer.post("/add", data={"csrf_token": writer.csrf, "text": GOOD, "title": "青川县 报告 2016"},
                    headers=ORIGIN)
    assert r.status_code == 303, message(r.text)
    assert writer.get("/documents/青川县-报告-2016").status_code == 200
    r = writer.post("/documents/青川县-报告-2016/remove", data={"csrf_token": writer.csrf}, headers=ORIGIN)
    assert r.status_code == 303
    assert snapshot(*paths) == before


def test_add_as_json(writer, paths):
    before = snapshot(*paths)
    r = writer.post("/add", data={"csrf_token": writer.csrf, "file": (io.BytesIO(GOOD.encode()), "j.txt")},
                    headers={**ORIGIN, "Accept": "application/json"}, content_type="multipart/form-data")
    assert r.status_code == 200 and r.get_json()["doc"] == "j" and r.get_json()["facts"] >= 2
    r = writer.post("/documents/j/remove", data={"csrf_token": writer.csrf},
                    headers={**ORIGIN, "Accept": "application/json"})
    assert r.get_json() == {"removed": "j"}
    r = writer.post("/add", data={"csrf_token": writer.csrf, "file": (io.BytesIO(b""), "e.txt")},
                    headers={**ORIGIN, "Accept": "application/json"}, content_type="multipart/form-data")
    assert r.status_code == 400 and "empty" in r.get_json()["error"]
    assert snapshot(*paths) == before


def test_store_locked_by_another_writer_is_a_clear_503(writer, paths):
    """`kg ingest` holding the store: the upload is refused, nothing changes."""
    before = snapshot(*paths)
    holder = LocalStore(paths[0])          # a read-write opener, like kg ingest
    try:
        r = upload(writer, GOOD.encode(), name="locked.txt")
        assert r.status_code == 503 and "try again" in message(r.text)
    finally:
        holder.close()
    assert snapshot(*paths) == before
