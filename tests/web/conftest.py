"""Fixtures for the web tests: one store built from corpus/ per session, the Flask app on it, a
real server (`kg serve` in a subprocess on a free port of 127.0.0.1), copies of the store and
corpus for tests that write, and a real `oxigraph serve` holding the seed corpus."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
ARTIFACTS = REPO / "test-artifacts" / "web"
DOC = "ruzhou-2018-poverty-alleviation"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory) -> Path:
    from kg.ingest import ingest
    from kg.store import LocalStore

    path = tmp_path_factory.mktemp("webstore") / "store"
    store = LocalStore(path)
    try:
        ingest([CORPUS], store, progress=False)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def app(store_dir):
    from kg.web.app import create_app

    app = create_app({"STORE": str(store_dir), "QUERY_TIMEOUT": 10, "MAX_ROWS": 10000, "PREWARM": False,
                      "WORKERS": 2})
    app.config["TESTING"] = True
    yield app
    app.extensions["kg"].pool.close()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def doc_id() -> str:
    return DOC


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception as e:        # not up yet
            last = e
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up: {last}")


class KgServer:
    """`kg --store STORE serve …` in a subprocess on 127.0.0.1:<free port>."""

    def __init__(self, store: str, log: Path, args: tuple = (), env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        kg = Path(sys.executable).with_name("kg")
        cmd = [str(kg)] if kg.exists() else [sys.executable, "-c",
                                             "import sys; from kg.cli import main; sys.exit(main())"]
        full_env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(cmd + ["--store", str(store), "serve", "--host", "127.0.0.1", "--port",
                                                str(self.port), *args],
                                         stdout=out, stderr=subprocess.STDOUT, env=full_env, cwd=str(REPO))
        try:
            wait_for(self.url + "/api/stats")
        except RuntimeError:
            self.proc.kill()
            raise RuntimeError(log.read_text(errors="replace")) from None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


@pytest.fixture(scope="session")
def server(store_dir, tmp_path_factory):
    """`kg serve` (waitress) on 127.0.0.1:<free port>; yields the base URL."""
    srv = KgServer(str(store_dir), tmp_path_factory.mktemp("serverlog") / "serve.log",
                   ("--query-timeout", "3", "--max-rows", "5000"))
    yield srv.url
    srv.stop()


@pytest.fixture(scope="session")
def copy_store(store_dir, tmp_path_factory):
    """A function making a private copy of the session's store and of corpus/: (store, corpus)."""
    def make(name: str = "copy") -> tuple[Path, Path]:
        base = tmp_path_factory.mktemp(name)
        shutil.copytree(store_dir, base / "store", ignore=shutil.ignore_patterns("LOCK", "LOG*"))
        shutil.copytree(CORPUS, base / "corpus")
        return base / "store", base / "corpus"
    return make


# ---------------------------------------------------------------------- an external SPARQL server
OXIGRAPH_TIMEOUT_S = 10        # the server's own limit; the tests' kg limits are shorter


def oxigraph_exe() -> str:
    return shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory):
    """A real `oxigraph serve` on 127.0.0.1 holding the seed corpus, written through
    kg.ingest.ingest(paths, RemoteStore(url)); yields its base URL."""
    from kg.ingest import ingest
    from kg.remote import RemoteStore

    port = free_port()
    proc = subprocess.Popen([oxigraph_exe(), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}", "--timeout-s", str(OXIGRAPH_TIMEOUT_S)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("oxigraph serve did not start")
            time.sleep(0.1)
    ingest([CORPUS], RemoteStore(url), progress=False)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def ids(store_dir) -> dict:
    """Paths of things that exist in the test store (they depend on the extractor's output)."""
    from kg.store import LocalStore
    from kg.web import data

    store = LocalStore(store_dir, read_only=True)
    try:
        facts = data.document(store, DOC)["facts"]
        ents = data.entities(store)
        inds = [i for i in data.indicators(store) if i["facts"]]
        by_type = {g["type"]: g["entities"][0] for g in ents["groups"]}
        place = next(e for t, e in by_type.items() if t in data.PLACE_CLASSES)
        other = next((by_type[t] for t in ("Programme", "PolicyDocument", "Enterprise", "Organization") if t in by_type),
                     None)
        return {"doc": DOC, "obs": facts[0]["url"], "obs_iri": facts[0]["observation"], "place": place["url"],
                "place_label": place["label"], "entity": (other or place)["url"],
                "entity_label": (other or place)["label"], "indicator": inds[0]["url"], "indicator_label": inds[0]["label"],
                "fact": facts[0]}
    finally:
        store.close()


# ---------------------------------------------------------------------- the browser
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download); one for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# ---------------------------------------------------------------------- several reports, a real server
WEB_DATA = Path(__file__).resolve().parent / "data"
MD_DOC = "qingshi-2018"


@pytest.fixture(scope="session")
def multi_store(tmp_path_factory) -> Path:
    """The reports of tests/multi (the seed, 长顺县 and five made-up ones) and a made-up Markdown
    report with a table (tests/web/data/qingshi-2018.md), added with kg.library.add."""
    from tests.multi.corpus import REPORTS, build

    folder = tmp_path_factory.mktemp("web-multi")
    store, _, _ = build(folder, REPORTS + [(WEB_DATA / f"{MD_DOC}.md", {"place": "青石县"})])
    store.close()
    return folder / "store"


@pytest.fixture(scope="session")
def multi_server(multi_store, tmp_path_factory):
    """`kg serve` on the several-reports store; yields the base URL."""
    srv = KgServer(str(multi_store), tmp_path_factory.mktemp("multi-serve") / "serve.log", ("--query-timeout", "5"))
    yield srv.url
    srv.stop()


def open_page(browser, base: str, width: int = 1280, height: int = 900):
    """A new page of its own context, recording requests to other hosts and script errors (the
    browser's note about a 4xx page itself aside: an error page is meant to be one)."""
    from urllib.parse import urlparse

    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", accept_downloads=True)
    pg = ctx.new_page()
    pg.outside, pg.errors = [], []
    host = urlparse(base).netloc

    def watch(req):
        if urlparse(req.url).netloc not in (host, "") and not req.url.startswith(("data:", "blob:", "about:")):
            pg.outside.append(req.url)
    pg.on("request", watch)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" and not m.text.startswith(
        "Failed to load resource: the server responded with a status of 4") else None)
    # … but a script, style sheet or data the page asks for must not fail
    pg.on("response", lambda r: pg.errors.append(f"{r.status} {r.url}") if r.status >= 400
          and r.request.resource_type != "document" else None)
    return ctx, pg
