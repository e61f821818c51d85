"""Turning a file into report text: reading it safely, encodings (UTF-8 with or without BOM,
UTF-16, GB18030/GBK) and formats (plain text, Markdown, HTML main text, PDF text layer); and
cutting a long text into pieces by paragraph.

Reading is bounded: a file must be a regular file (a link to one is fine; a FIFO, a device, a
socket or a folder is refused before it is read, and checked again on the open file), and it
is read up to the size cap and no further (``KG_MAX_BYTES``): ``stat`` is not trusted for the
size (``/proc`` files say 0), nor to keep a read from blocking. Control characters other than
TAB, LF and CR become spaces (form feeds and vertical tabs: line breaks), one character for
one, so offsets are unchanged and every result format can carry the text.

Every failure raises CorpusError with the file's name, what is wrong and what to do, on one line.
This module is the base of the corpus layer: :mod:`kg.corpus` builds on it.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PDF_SUFFIXES = (".pdf",)
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES
DEFAULT_MAX_BYTES = 20 * 1024 * 1024     # KG_MAX_BYTES overrides it
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\x0b\x0c]")


class CorpusError(Exception):
    """A report or its metadata cannot be read; the message says which file and why."""


def max_bytes_setting() -> int:
    try:
        return int(os.environ.get("KG_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        raise CorpusError(f"KG_MAX_BYTES must be a number of bytes, not {os.environ['KG_MAX_BYTES']!r}") from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a report"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file; save the report to a file first"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def read_bytes(path: Path, max_bytes: int, what: str = "(raise it with --max-bytes or KG_MAX_BYTES)") -> bytes:
    """The bytes of the regular file at ``path`` (after links), at most ``max_bytes`` of them;
    CorpusError for anything else, without blocking and without reading past the cap."""
    try:
        st = os.stat(path)                       # follows links: a link to /dev/zero is a device
        if not stat.S_ISREG(st.st_mode):
            raise CorpusError(f"{path}: {_kind(st.st_mode)}")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise CorpusError(f"{path}: no such file" + (" (a link to nothing)" if os.path.islink(path) else "")) from None
    except PermissionError:
        raise CorpusError(f"{path}: permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise CorpusError(f"{path}: is a folder, not a report") from None
    except OSError as e:                         # a loop of links, a name too long …
        raise CorpusError(f"{path}: cannot open it ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)                        # what was opened, whatever the name points to now
        if not stat.S_ISREG(st.st_mode):
            raise CorpusError(f"{path}: {_kind(st.st_mode)}")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise CorpusError(f"{path}: more than the limit of {max_bytes} bytes {what}")
        return b"".join(chunks)
    except OSError as e:
        raise CorpusError(f"{path}: cannot read it ({e.strerror or e})") from None
    finally:
        os.close(fd)


def decode(raw: bytes, name: str) -> str:
    """Bytes → text: a BOM decides; else strict UTF-8; else strict GB18030; else refuse."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw[3:], "utf-8", name)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(raw, "utf-16", name)
    if b"\x00" in raw[:4096]:
        # UTF-16 without a BOM has NULs in every other byte of ASCII; anything else is binary
        # UTF-16 without a BOM: accept it only if it decodes to Chinese text
        for guess in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(guess)
            except UnicodeDecodeError:
                continue
            if _looks_textual(text):
                return text
        raise CorpusError(f"{name}: looks like a binary file, not a text report")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        if utf8_error.reason == "unexpected end of data":
            raise CorpusError(f"{name}: the UTF-8 text is cut off at its end (byte {utf8_error.start}); "
                              "the file looks truncated — copy it again") from None
        prefix = raw[: utf8_error.start].decode("utf-8")
        if sum(1 for c in prefix if ord(c) > 127) >= 2:
            raise CorpusError(f"{name}: valid UTF-8 up to byte {utf8_error.start}, then something else: "
                              "a mixed encoding or a damaged file — convert it all to UTF-8") from None
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise CorpusError(f"{name}: not valid UTF-8 (byte {utf8_error.start}) nor GB18030/GBK text; "
                              "the file may be truncated, binary or in a mixed encoding — convert it to UTF-8") from None
        if _looks_chinese(text):
            return text
        raise CorpusError(f"{name}: not valid UTF-8 (byte {utf8_error.start}), and as GB18030 it is not "
                          "Chinese text; convert it to UTF-8") from None


def _strict(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise CorpusError(f"{name}: invalid {encoding.upper()} text (byte {e.start}); the file may be truncated") from None


def _looks_textual(text: str) -> bool:
    """Chinese text: mostly printable, with a fair share of Han characters."""
    if not text.strip():
        return False
    good = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    return good >= 0.95 * len(text) and _looks_chinese(text)


def _looks_chinese(text: str) -> bool:
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    return han >= max(1, len(text.strip()) // 5)


def html_text(raw: bytes, name: str) -> str:
    """The main text of an HTML page (navigation, scripts and styles dropped), through trafilatura."""
    import trafilatura

    html = decode(raw, name) if not raw.lstrip().startswith(b"<?xml") else raw.decode("utf-8", "replace")
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
        if not text:
            # a fragment or a page without a main block: fall back to every paragraph's text
            from lxml import html as lxml_html
            tree = lxml_html.fromstring(html)
            for bad in tree.xpath("//script|//style|//nav|//header|//footer|//noscript"):
                bad.drop_tree()
            text = "\n".join(t.strip() for t in tree.itertext() if t.strip())
    except Exception as e:             # noqa: BLE001 - a hostile page may break the HTML parsers anyhow
        raise CorpusError(f"{name}: cannot read this HTML ({e.__class__.__name__}); save its text as .txt") from None
    return text


def pdf_text(raw: bytes, name: str) -> str:
    """The text layer of a PDF, page by page, through pypdf. An encrypted PDF is read when it
    opens with an empty password (only an owner password is set), else refused."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    encrypted = f"{name}: the PDF is encrypted (password-protected); save an unencrypted copy or its text and add that"
    try:
        reader = PdfReader(io.BytesIO(raw))       # tries the empty password itself (AES needs a library)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:          # noqa: BLE001 - pypdf's DependencyError (AES), NotImplementedError …
                raise CorpusError(encrypted) from None
            if not opened:
                raise CorpusError(encrypted)
        pages = [page.extract_text() or "" for page in reader.pages]
    except CorpusError:
        raise
    except (DependencyError, FileNotDecryptedError):
        raise CorpusError(encrypted) from None
    except Exception as e:             # noqa: BLE001 - a damaged or hostile PDF fails in many ways inside pypdf
        detail = " ".join(str(e).split())[:200]
        raise CorpusError(f"{name}: cannot read this PDF ({e.__class__.__name__}: {detail})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise CorpusError(f"{name}: the PDF has no text layer (a scan?); run OCR first and add the text")
    return text


def clean_controls(text: str) -> str:
    """Control characters but TAB and LF (CR is gone already) as spaces, vertical tabs and
    form feeds as line breaks: one character for one."""
    return _CONTROL.sub(" ", _BREAKS.sub("\n", text))


def read_any(path: Path, max_bytes: int | None = None) -> str:
    """The report text of a file of any supported format, at most ``max_bytes`` long (KG_MAX_BYTES)."""
    max_bytes = max_bytes or max_bytes_setting()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorpusError(f"{path}: unsupported file type {suffix or '(none)'}; "
                          f"use one of {', '.join(sorted(SUPPORTED))}")
    raw = read_bytes(path, max_bytes)
    name = str(path)
    if suffix in PDF_SUFFIXES:
        text = pdf_text(raw, name)
    elif suffix in HTML_SUFFIXES:
        text = html_text(raw, name)
    else:
        text = decode(raw, name)
    text = clean_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise CorpusError(f"{path}: the file is empty")
    return text


def paragraph_pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """``text`` in pieces of at most ``limit`` characters, as (offset in ``text``, piece): cut
    after a paragraph's end (a blank line) where one is in reach, else after a line's end, else
    after a sentence's end (。！？), else at ``limit``. A text of up to ``limit`` characters is one
    piece."""
    out, start, n = [], 0, len(text)
    while n - start > limit:
        window = text[start:start + limit]
        cut = -1
        for sep in ("\n\n", "\n", "。", "！", "？"):
            i = window.rfind(sep)
            if i > limit // 4:
                cut = i + len(sep)
                break
        if cut <= 0:
            cut = limit
        out.append((start, text[start:start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out
