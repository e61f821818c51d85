"""Reading reports and their metadata from a corpus folder.

A report is a UTF-8 text file ``<doc>.txt`` (or ``.md``); its metadata sits beside it in
``<doc>.meta.json``::

    {"title": "...", "place": "平安县", "date": "2019", "source": "https://..."}

``doc`` (the file name without extension) is the document's identity. Character offsets
everywhere in kg are offsets into the text exactly as decoded from the file (a UTF-8 BOM is
not part of the text). Files are read by :mod:`kg.formats` (regular files only, capped while
reading), metadata files too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

# kg.corpus is where the rest of kg imports these from
from .formats import HTML_SUFFIXES, PDF_SUFFIXES, SUPPORTED, TEXT_SUFFIXES, CorpusError  # noqa: F401
from .formats import read_any, read_bytes

META_SUFFIX = ".meta.json"
MAX_META_BYTES = 1024 * 1024
UNSAFE_ID_CHARS = re.compile(r"[^\w\-.\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Report:
    doc: str
    text: str
    title: str = ""
    place: str = ""
    date: str = ""
    source: str = ""
    path: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def year(self) -> int | None:
        m = re.match(r"(\d{4})", self.date or "")
        return int(m.group(1)) if m else None

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def doc_id_for(path: Path) -> str:
    doc = path.name
    for suffix in SUPPORTED:
        if doc.lower().endswith(suffix):
            doc = doc[: -len(suffix)]
            break
    return safe_doc_id(doc, path)


def safe_doc_id(name: str, where: object = "") -> str:
    """A document id from a name: letters, digits, Chinese, - _ . (anything else becomes -)."""
    doc = UNSAFE_ID_CHARS.sub("-", name).strip("-.")[:120]
    if doc.lower() in ("ontology",):        # the ontology's named graph is graph/ontology
        doc += "-report"
    if not doc:
        raise CorpusError(f"{where or name!s}: cannot make a document id from the name {name!r}; use --id")
    return doc


def meta_path_for(path: Path) -> Path:
    return path.with_name(doc_id_for(path) + META_SUFFIX)


def read_text(path: Path) -> str:
    """A corpus report's text (UTF-8, UTF-16, GB18030; see kg.formats)."""
    return read_any(path)


def read_meta(path: Path) -> dict:
    meta_file = meta_path_for(path)
    if not os.path.lexists(meta_file):
        return {}
    try:
        meta = json.loads(read_bytes(meta_file, MAX_META_BYTES, "for a metadata file").decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{meta_file}: invalid metadata JSON ({e})") from None
    if not isinstance(meta, dict):
        raise CorpusError(f"{meta_file}: metadata must be a JSON object")
    return meta


def read_report(path: Path) -> Report:
    path = Path(path)
    meta = read_meta(path)
    known = {k: str(meta.get(k, "") or "") for k in ("title", "place", "date", "source")}
    extra = {k: v for k, v in meta.items() if k not in known}
    return Report(doc=doc_id_for(path), text=read_text(path), path=str(path), extra=extra, **known)


def report_files(paths: list[Path]) -> list[Path]:
    """The report files named by ``paths`` (files, or folders searched one level deep), sorted."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            # every file but metadata, hidden files and READMEs; unsupported types fail clearly later
            found.extend(sorted(f for f in p.iterdir() if f.is_file() and not f.name.endswith(META_SUFFIX)
                                and not f.name.startswith(".") and f.stem.upper() != "README"))
        elif p.exists() or not p.suffix:
            found.append(p)
        else:
            raise CorpusError(f"{p}: no such file")
    return sorted(set(found), key=lambda f: (f.name, str(f)))
