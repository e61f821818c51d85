"""Who may write, and how a write request proves it came from this site (docs/security.md).

- **The write token** (setting ``WRITE_TOKEN``, ``$KG_WRITE_TOKEN``): without one the site is
  read-only and says how to enable writing. With one, a visitor who types it on ``/add`` gets
  a *writer session*: Flask's signed session cookie (``HttpOnly``, ``SameSite=Strict``) holds
  an HMAC of the token, so changing the token ends every session. Wrong tokens are counted per
  client address: after ``LOGIN_ATTEMPTS`` failures in ``LOGIN_WINDOW`` seconds that address
  gets 429 until the window passes.
- **CSRF**: every form that changes something carries a random token bound to the session
  (the synchroniser-token pattern) and must come with an ``Origin`` (or, when a browser sends
  none, a ``Referer``) of this site; a request with neither is refused. ``TRUSTED_ORIGINS``
  adds origins (a reverse proxy's public name).
- **Messages** shown to clients never hold file paths: :func:`scrub` removes them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from urllib.parse import urlsplit

from flask import current_app, request, session

MIN_TOKEN_LENGTH = 16


class SettingsError(ValueError):
    """A setting cannot be used (the message says which and why)."""


def check_token_setting(token: str | None) -> str | None:
    if token is None or token == "":
        return None
    token = str(token)
    if len(token) < MIN_TOKEN_LENGTH or token.strip() != token:
        raise SettingsError(
            f"the write token must be at least {MIN_TOKEN_LENGTH} characters without surrounding spaces; "
            "make one with: python -c 'import secrets; print(secrets.token_urlsafe(24))'")
    return token


# ---------------------------------------------------------------------- writer sessions
def write_token() -> str | None:
    return current_app.config.get("WRITE_TOKEN") or None


def writes_enabled() -> bool:
    return write_token() is not None


def _token_digest(token: str) -> str:
    key = current_app.secret_key
    key = key if isinstance(key, bytes) else str(key).encode()
    return hmac.new(key, b"kg-writer\0" + token.encode("utf-8"), hashlib.sha256).hexdigest()


def token_matches(candidate: str) -> bool:
    token = write_token()
    if token is None or not candidate:
        return False
    return hmac.compare_digest(candidate.encode("utf-8"), token.encode("utf-8"))


def is_writer() -> bool:
    token = write_token()
    mark = session.get("writer") if token else None
    return bool(mark) and hmac.compare_digest(str(mark), _token_digest(token))


def start_writer_session() -> None:
    session.clear()                       # a new session: no fixation of a token planted before login
    session.permanent = True
    session["writer"] = _token_digest(write_token())
    session["csrf"] = secrets.token_urlsafe(32)


def end_session() -> None:
    session.clear()


# ---------------------------------------------------------------------- CSRF
def csrf_token() -> str:
    tok = session.get("csrf")
    if not tok:
        tok = session["csrf"] = secrets.token_urlsafe(32)
    return tok


def csrf_ok() -> bool:
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    tok = session.get("csrf") or ""
    return bool(sent) and bool(tok) and hmac.compare_digest(sent.encode(), tok.encode())


def _netloc(url: str) -> str:
    """``host[:port]`` of an http(s) URL, "" for anything else (a port that is not a number
    from 0 to 65535 included: such an Origin names no site)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    default = 443 if parts.scheme == "https" else 80
    return parts.hostname.lower() + ("" if port in (None, default) else f":{port}")


def _host() -> str:
    host = (request.host or "").lower()
    scheme_default = ":443" if request.scheme == "https" else ":80"
    return host[: -len(scheme_default)] if host.endswith(scheme_default) else host


def same_origin() -> bool:
    """The request's Origin (else Referer) names this site (or a TRUSTED_ORIGINS entry)."""
    allowed = {_host()} | {_netloc(o) for o in current_app.config.get("TRUSTED_ORIGINS") or ()}
    allowed.discard("")
    origin = request.headers.get("Origin")
    if origin is not None:
        return _netloc(origin) in allowed
    referer = request.headers.get("Referer")
    if referer:
        return _netloc(referer) in allowed
    return False


# ---------------------------------------------------------------------- login attempts
class LoginLimiter:
    """At most ``attempts`` failed logins per client address in ``window`` seconds."""

    def __init__(self, attempts: int = 5, window: float = 60.0, max_clients: int = 10000):
        self.attempts, self.window, self.max_clients = attempts, window, max_clients
        self._fails: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque:
        q = self._fails.get(key)
        if q is None:
            return deque()
        while q and now - q[0] > self.window:
            q.popleft()
        if not q:
            self._fails.pop(key, None)
        return q

    def blocked(self, key: str) -> float:
        """Seconds until ``key`` may try again (0: now)."""
        now = time.monotonic()
        with self._lock:
            q = self._prune(key, now)
            if len(q) >= self.attempts:
                return max(1.0, self.window - (now - q[0]))
        return 0.0

    def failed(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._fails) >= self.max_clients:          # bounded memory: drop the stale ones
                for k in list(self._fails):
                    self._prune(k, now)
                if len(self._fails) >= self.max_clients:
                    self._fails.pop(next(iter(self._fails)))
            self._fails.setdefault(key, deque()).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)


# ---------------------------------------------------------------------- messages
_ABS_PATH = re.compile(r"(?<![\w:/.\-~])(?:/[\w.\-~@+]+)+/?")
_STORE_URL = re.compile(r"https?://[^\s'\"<>]+")


def scrub(message: str, replacements: dict[str, str] | None = None, urls: bool = True) -> str:
    """``message`` without file paths (and, with ``urls``, without URLs): safe to show a client."""
    text = str(message)
    for old, new in sorted((replacements or {}).items(), key=lambda kv: -len(kv[0])):
        if old:
            text = text.replace(old, new)
    if urls:
        text = _STORE_URL.sub("…", text)
    return _ABS_PATH.sub("…", text)
