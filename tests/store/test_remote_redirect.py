"""kg talks to an external SPARQL server at the host, port and path it was given, and nowhere
else: a server (or something in its place) that answers with a redirect is not followed, for
queries, updates and forwarded user queries alike; the message says why."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from kg.remote import RemoteStore
from kg.store import StoreError

from ..web.netwatch import Bait


class Redirector:
    """An HTTP server on 127.0.0.1 answering every request with ``code`` to ``target``."""

    def __init__(self, code: int, target: str):
        outer = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                outer.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.send_response(code)
                self.send_header("Location", target + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_remote_store_does_not_follow_redirects(code, monkeypatch):
    with Bait() as bait, Redirector(code, bait.url) as redirector:
        monkeypatch.setenv("http_proxy", bait.url)            # no proxy from the environment either
        store = RemoteStore(redirector.url, timeout=5)
        with pytest.raises(StoreError, match=f"answered {code} \\(a redirect\\); kg does not follow redirects"):
            store.query("ASK { ?s ?p ?o }")
        with pytest.raises(StoreError, match="does not follow redirects"):
            store.replace_graphs({"urn:g": [ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"),
                                                    ox.NamedNode("urn:g"))]})
        with pytest.raises(StoreError, match="does not follow redirects"):
            store.graphs()
        assert redirector.requests == 3
    assert bait.accepted == 0, "a redirect was followed"


def test_forwarded_queries_do_not_follow_redirects():
    from kg.web.remote_pool import RemoteQueryPool
    from kg.web.worker import Job
    with Bait() as bait, Redirector(302, bait.url) as redirector:
        pool = RemoteQueryPool(redirector.url, size=1)
        try:
            out = pool.run(Job(query="ASK { ?s ?p ?o }", fmt="json", max_rows=10), timeout=5, client="t")
        finally:
            pool.close()
        assert not out.ok and out.error == "remote" and "302" in out.message
        assert redirector.requests == 1
    assert bait.accepted == 0
