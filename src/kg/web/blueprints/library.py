"""Adding and removing reports from the web (``/add``, ``/documents/<doc>/remove``).

Read-only unless the server has a write token (setting ``WRITE_TOKEN``, ``$KG_WRITE_TOKEN``).
Writing takes a writer session (the token typed on ``/add``), a CSRF token bound to it and a
same-site ``Origin``/``Referer`` (see :mod:`kg.web.security`). Reports go through
:func:`kg.library.add` / :func:`kg.library.remove`, which check everything before writing: a bad
upload leaves the store and the corpus folder exactly as they were. See docs/security.md.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import unicodedata
from hashlib import sha256
from pathlib import Path

from flask import (Blueprint, current_app, flash, get_flashed_messages, make_response, redirect, render_template,
                   request, url_for)

from ...corpus import HTML_SUFFIXES, SUPPORTED, CorpusError, safe_doc_id
from ...rdf import iris
from ...store import LocalStore, StoreError
from .. import data, security
from ..common import error, kg, wants_json
from ..storehub import Reader

bp = Blueprint("library", __name__)

WRITE_LOCK = threading.Lock()          # one write at a time in this process (RocksDB locks across processes)
META_FIELDS = {"title": 200, "place": 100, "date": 40, "source": 500}
MAX_NAME = 200
# markup that runs code, in an HTML upload: refused rather than silently dropped
ACTIVE_HTML = re.compile(r"<\s*(script|iframe|object|embed|applet|frame|frameset|meta\s[^>]*http-equiv)\b"
                         r"|\son[a-z]+\s*=|(?:java|vb)script\s*:", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


class UploadError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------------- the stores written to
class _LocalWriter:
    """What :func:`kg.library.add` needs of a store, for the embedded store served read-only:
    reads from the app's current snapshot; each write opens the folder read-write, writes in one
    transaction and closes it again (so `kg ingest` is locked out only for that moment)."""

    def __init__(self, hub):
        self.hub = hub
        self.path = hub.path
        self.reader = Reader(hub)

    def select(self, sparql, bindings=None):
        return self.reader.select(sparql, bindings)

    def graphs(self):
        return self.reader.graphs()

    def document_graphs(self):
        return self.reader.document_graphs()

    def replace_graphs(self, graphs, remove=()):
        rw = LocalStore(self.path)
        try:
            rw.replace_graphs(graphs, remove)
        finally:
            rw.close()

    def remove_graphs(self, graphs):
        self.replace_graphs({}, remove=list(graphs))

    def flush(self):
        pass


def writer_store():
    hub = kg().hub
    hub.refresh(force=False)
    return hub.store if hub.remote else _LocalWriter(hub)


def corpus_dir() -> Path:
    return Path(current_app.config["CORPUS"])


# ---------------------------------------------------------------------- guards
def _forbidden(message: str, status: int = 403):
    return error(status, message)


def check_write_request():
    """None when this POST may write; else the error response."""
    if not security.writes_enabled():
        return _forbidden("写入未启用：服务器没有设置写入令牌（kg serve --write-token 或环境变量 KG_WRITE_TOKEN）。"
                          " / Writing is disabled: the server has no write token.")
    if not security.same_origin():
        return _forbidden("请求来源不是本站（Origin/Referer 检查未通过）。 / Cross-site request refused "
                          "(the Origin or Referer header does not name this site).")
    if not security.csrf_ok():
        return _forbidden("表单已过期或缺少 CSRF 令牌，请重新打开页面后再提交。 / Missing or wrong CSRF token: "
                          "reload the page and submit again.")
    if not security.is_writer():
        return _forbidden("需要写入令牌：请先在“添加报告”页面输入令牌。 / A writer session is needed: "
                          "enter the write token on /add first.")
    return None


def _limiter() -> security.LoginLimiter:
    return current_app.extensions["kg-login-limiter"]


# ---------------------------------------------------------------------- pages
def _documents() -> list[dict]:
    try:
        return kg().hub.cached("documents", data.documents)
    except StoreError:
        return []


def render_add(status: int = 200, **ctx):
    cfg = current_app.config
    ctx.setdefault("form", {})
    resp = render_template(
        "add.html", enabled=security.writes_enabled(), writer=security.is_writer(),
        csrf=security.csrf_token() if security.writes_enabled() else "", documents=_documents(),
        max_upload=cfg["MAX_UPLOAD_BYTES"], max_doc=_max_doc_bytes(), suffixes=", ".join(sorted(SUPPORTED)),
        messages=get_flashed_messages(with_categories=True), json_link=None, **ctx)
    return resp, status


def _max_doc_bytes() -> int:
    from ...formats import max_bytes_setting
    try:
        return max_bytes_setting()
    except CorpusError:
        return 0


@bp.route("/add", methods=["GET"])
def add_page():
    return render_add()


@bp.route("/login", methods=["POST"])
def login():
    if not security.writes_enabled():
        return check_write_request()
    if not security.same_origin():
        return _forbidden("请求来源不是本站 / cross-site request refused")
    if not security.csrf_ok():
        return _forbidden("表单已过期，请重新打开页面 / missing or wrong CSRF token: reload the page")
    who = request.remote_addr or "?"
    wait = _limiter().blocked(who)
    if wait:
        resp = make_response(error(429, f"令牌错误次数过多，请 {wait:.0f} 秒后再试。 / Too many wrong tokens: "
                                        f"try again in {wait:.0f} s."))
        resp.headers["Retry-After"] = str(int(wait) + 1)
        return resp
    if not security.token_matches(request.form.get("token", "")):
        _limiter().failed(who)
        return render_add(403, login_error="令牌不正确 / wrong token")
    _limiter().succeeded(who)
    security.start_writer_session()
    flash("已登录，可以添加或删除报告。 / Signed in: you can add and remove reports.", "ok")
    return redirect(url_for("library.add_page"), 303)


@bp.route("/logout", methods=["POST"])
def logout():
    if not security.same_origin() or not security.csrf_ok():
        return _forbidden("请求来源不是本站或缺少 CSRF 令牌 / cross-site request or missing CSRF token")
    security.end_session()
    return redirect(url_for("library.add_page"), 303)


def reindex(store) -> None:
    """The question index beside the store, brought up to date after a write (kg.qa.index_file).
    The embedded store is read from the snapshot the write made, so the hub reopens it first."""
    from ...qa.index_file import after_write

    if isinstance(store, _LocalWriter):
        store.hub.refresh(force=True)
        store = store.hub.store
    problem = after_write(store)
    if problem:
        current_app.logger.warning(problem)


@bp.route("/add", methods=["POST"])
def add_report():
    refused = check_write_request()
    if refused is not None:
        return refused
    form = {k: request.form.get(k, "") for k in (*META_FIELDS, "doc", "text")}
    try:
        added, replaced = do_add()
    except UploadError as e:
        if wants_json():
            return error(e.status, str(e))
        return render_add(e.status, upload_error=str(e), form=form)
    doc = added.doc
    msg = (f"已{'替换' if replaced else '添加'}文档 {doc}：{added.place or '?'} {added.date or ''}，"
           f"{added.facts} 条统计事实。 / {'Replaced' if replaced else 'Added'} {doc}: {added.facts} facts.")
    if wants_json():
        from flask import jsonify
        return jsonify({"doc": doc, "place": added.place, "date": added.date, "facts": added.facts,
                        "replaced": replaced, "url": data.doc_url(doc)})
    flash(msg, "ok")
    flash(data.doc_url(doc), "link")
    return redirect(url_for("library.add_page"), 303)


@bp.route("/documents/<doc>/remove", methods=["GET"])
def remove_page(doc: str):
    if not security.is_writer():
        return error(403, "删除文档需要写入令牌：请先在“添加报告”页面输入令牌。 / Removing a document needs a writer "
                          "session: enter the write token on /add first.")
    docs = {d["doc"]: d for d in _documents()}
    if doc not in docs:
        return error(404, f"没有这个文档：{doc} / no such document")
    return render_template("remove.html", doc=docs[doc], csrf=security.csrf_token(), json_link=None)


@bp.route("/documents/<doc>/remove", methods=["POST"])
def remove_report(doc: str):
    refused = check_write_request()
    if refused is not None:
        return refused
    from ...library import remove
    hub = kg().hub
    with WRITE_LOCK:
        try:
            store = writer_store()
            if iris.doc_graph(doc) not in set(store.document_graphs()):
                return error(404, f"没有这个文档：{doc} / no such document")
            remove(doc, store, corpus_dir())
            reindex(store)
        except CorpusError as e:
            return error(400, security.scrub(str(e)))
        except StoreError:
            current_app.logger.exception("remove %s", doc)
            return error(503, STORE_BUSY)
        finally:
            hub.refresh(force=True)
    if wants_json():
        from flask import jsonify
        return jsonify({"removed": doc})
    flash(f"已删除文档 {doc}。 / Removed {doc}.", "ok")
    return redirect(url_for("library.add_page"), 303)


STORE_BUSY = ("数据库暂时无法写入（可能有 kg ingest 正在运行），请稍后再试；什么都没有改变。 / The store cannot be "
              "written right now (is kg ingest running?); try again in a moment. Nothing was changed.")


# ---------------------------------------------------------------------- the upload
def clean_field(name: str, value: str) -> str:
    value = unicodedata.normalize("NFC", value or "").strip()
    if len(value) > META_FIELDS[name]:
        raise UploadError(f"“{name}”太长（最多 {META_FIELDS[name]} 字）/ the {name} field is too long "
                          f"(at most {META_FIELDS[name]} characters)")
    if _CONTROL.search(value) or "\n" in value or "\r" in value:
        raise UploadError(f"“{name}”含有控制字符或换行 / the {name} field holds control characters or line breaks")
    return value


def check_filename(name: str) -> tuple[str, str]:
    """(stem, suffix) of an uploaded file's name. Browsers send a bare name, so names with a path
    (``/``, ``\\``, ``..``), hidden names (a leading dot), control characters or no supported
    extension are refused rather than cleaned up."""
    shown = name[:80]
    if len(name) > MAX_NAME:
        raise UploadError(f"文件名太长（最多 {MAX_NAME} 字）/ the file name is too long")
    if "/" in name or "\\" in name or ".." in name or name.startswith(".") or _CONTROL.search(name) \
            or not name.strip():
        raise UploadError(f"文件名 {shown!r} 不可用：不能含路径、目录分隔符或控制字符。 / The file name {shown!r} "
                          "is refused: it may not hold a path, a directory separator or control characters.")
    stem, dot, suffix = name.rpartition(".")
    suffix = ("." + suffix.lower()) if dot else ""
    if suffix not in SUPPORTED:
        raise UploadError(f"不支持的文件类型 {suffix or '（无扩展名）'}：请上传 {', '.join(sorted(SUPPORTED))}。 / "
                          f"Unsupported file type {suffix or '(none)'}; use one of {', '.join(sorted(SUPPORTED))}.")
    if not stem.strip(". "):
        raise UploadError(f"文件名 {shown!r} 不可用 / the file name {shown!r} is refused")
    return stem, suffix


def do_add():
    """Check the upload, then kg.library.add it. Returns (Added, replaced)."""
    from ...formats import decode
    from ...library import add

    cfg = current_app.config
    meta = {k: clean_field(k, request.form.get(k, "")) for k in META_FIELDS}
    meta = {k: v for k, v in meta.items() if v}
    doc_field = clean_field_doc(request.form.get("doc", ""))
    replace = request.form.get("replace") in ("1", "on", "yes", "true")
    allow_empty = request.form.get("allow_empty") in ("1", "on", "yes", "true")
    upload = request.files.get("file")
    pasted = request.form.get("text", "")
    has_file = upload is not None and (upload.filename or "") != ""
    if has_file and pasted.strip():
        raise UploadError("请只选一种：上传文件或粘贴文本。 / Give a file or pasted text, not both.")
    if has_file:
        stem, suffix = check_filename(upload.filename)
        raw = upload.stream.read(cfg["MAX_UPLOAD_BYTES"] + 1)
        shown = upload.filename
    elif pasted.strip():
        raw = pasted.replace("\r\n", "\n").encode("utf-8")
        suffix = ".txt"
        stem = meta.get("title") or "report-" + sha256(raw).hexdigest()[:10]
        shown = "粘贴的文本 / pasted text"
    else:
        raise UploadError("没有内容：请选择一个文件或粘贴报告文本。 / Nothing to add: choose a file or paste the text.")
    if not raw.strip():
        raise UploadError(f"{shown}：文件是空的。 / {shown}: the file is empty.")
    if len(raw) > cfg["MAX_UPLOAD_BYTES"]:
        raise UploadError(f"文件超过 {cfg['MAX_UPLOAD_BYTES']} 字节上限 / the file is larger than "
                          f"{cfg['MAX_UPLOAD_BYTES']} bytes", 413)
    try:
        doc = safe_doc_id(doc_field or stem)
    except CorpusError:
        raise UploadError("无法从名称生成文档编号，请填写“文档编号”。 / Cannot make a document id from the name: "
                          "fill in the id field.") from None
    if suffix in HTML_SUFFIXES:
        try:
            html = decode(raw, shown)
        except CorpusError as e:
            raise UploadError(security.scrub(str(e))) from None
        if ACTIVE_HTML.search(html):
            raise UploadError(f"{shown}：这个 HTML 含有脚本或其他可执行内容（script、事件属性、javascript: 链接、iframe），"
                              "网页表单不接受。请另存为纯文本 .txt 再上传，或在命令行用 kg add。 / "
                              f"{shown}: this HTML holds scripts or other active content (script, event handler "
                              "attributes, javascript: links, frames); the web form does not accept it. Save the "
                              "text as .txt, or use `kg add` on the command line.")

    hub = kg().hub
    tmp = Path(tempfile.mkdtemp(prefix="kg-upload-"))
    path = tmp / f"{doc}{suffix}"
    try:
        path.write_bytes(raw)
        with WRITE_LOCK:
            store = writer_store()
            exists = iris.doc_graph(doc) in set(store.document_graphs())
            if exists and not replace:
                raise UploadError(f"文档 {doc} 已经存在。要替换它，请勾选“替换同名文档”；或填写另一个文档编号。 / "
                                  f"A document {doc} exists already: tick “replace” to replace it, or give another id.",
                                  409)
            corpus = corpus_dir()
            try:
                added = add([path], store, corpus, meta, doc=doc, allow_empty=allow_empty)
                reindex(store)
            except CorpusError as e:
                raise UploadError(web_message(str(e), {str(path): shown, str(tmp): "", str(corpus): "corpus"})) \
                    from None
            except StoreError:
                current_app.logger.exception("adding %s", doc)
                raise UploadError(STORE_BUSY, 503) from None
            except (OSError, ValueError, RuntimeError, SyntaxError):
                current_app.logger.exception("adding %s", doc)
                raise UploadError("添加失败（服务器错误），详情见服务器日志。 / Adding failed (server error); the "
                                  "server's log has the details.", 500) from None
            finally:
                hub.refresh(force=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return added[0], exists


def clean_field_doc(value: str) -> str:
    value = (value or "").strip()
    if len(value) > 120:
        raise UploadError("文档编号太长（最多 120 字）/ the id is too long")
    if value and (_CONTROL.search(value) or "/" in value or "\\" in value or value.strip(". ") == ""):
        raise UploadError("文档编号只能含字母、数字、汉字和 - _ . / the id may hold letters, digits, Chinese, - _ .")
    return value


def web_message(message: str, replacements: dict[str, str]) -> str:
    """kg.library's message for the command line, told for the web form."""
    text = security.scrub(message, replacements)
    text = text.replace("Add it anyway with --allow-empty", "tick “allow a report without statistics” to add it anyway")
    text = re.sub(r"\(raise it with --max-bytes or KG_MAX_BYTES\)", "(the server's KG_MAX_BYTES)", text)
    return "未添加，什么都没有改变。 / Not added, nothing was changed: " + text.lstrip(": ")
