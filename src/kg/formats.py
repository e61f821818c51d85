"""Turning a file into report text: encodings (UTF-8 with or without BOM, UTF-16, GB18030/GBK)
and formats (plain text, Markdown, HTML main text, PDF text layer).

Every failure raises CorpusError with the file's name, what is wrong and what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

from .corpus import HTML_SUFFIXES, PDF_SUFFIXES, SUPPORTED, CorpusError

import os

DEFAULT_MAX_BYTES = 20 * 1024 * 1024     # KG_MAX_BYTES overrides it


def max_bytes_setting() -> int:
    try:
        return int(os.environ.get("KG_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        raise CorpusError(f"KG_MAX_BYTES must be a number of bytes, not {os.environ['KG_MAX_BYTES']!r}") from None


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
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    if not text:
        # a fragment or a page without a main block: fall back to every paragraph's text
        from lxml import html as lxml_html
        tree = lxml_html.fromstring(html)
        for bad in tree.xpath("//script|//style|//nav|//header|//footer|//noscript"):
            bad.drop_tree()
        text = "\n".join(t.strip() for t in tree.itertext() if t.strip())
    return text


def pdf_text(raw: bytes, name: str) -> str:
    """The text layer of a PDF, page by page, through pypdf."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as e:
        raise CorpusError(f"{name}: cannot read this PDF ({e})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise CorpusError(f"{name}: the PDF has no text layer (a scan?); run OCR first and add the text")
    return text


def read_any(path: Path, max_bytes: int | None = None) -> str:
    """The report text of a file of any supported format, at most ``max_bytes`` long (KG_MAX_BYTES)."""
    max_bytes = max_bytes or max_bytes_setting()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorpusError(f"{path}: unsupported file type {suffix or '(none)'}; "
                          f"use one of {', '.join(sorted(SUPPORTED))}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CorpusError(f"{path}: {size} bytes is more than the limit of {max_bytes} "
                              "(raise it with --max-bytes or KG_MAX_BYTES)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{path}: no such file") from None
    except PermissionError:
        raise CorpusError(f"{path}: permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise CorpusError(f"{path}: is a folder, not a report") from None
    name = str(path)
    if suffix in PDF_SUFFIXES:
        text = pdf_text(raw, name)
    elif suffix in HTML_SUFFIXES:
        text = html_text(raw, name)
    else:
        text = decode(raw, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise CorpusError(f"{path}: the file is empty")
    return text
