"""`kg add` of odd and hostile files (kg.formats): FIFOs, devices and links to them, sockets,
folders, dangling links and link loops, /proc files whose size `stat` gives as 0, encrypted
PDFs. Each is refused at once with one line on stderr and a non-zero exit, and the store (every
quad) and the corpus folder (every byte) are as they were. A report of more than a million
characters is read and extracted in pieces, with offsets into the whole text."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from ..conftest import CORPUS, SEED_TEXT

TIMEOUT = 90            # a hang (a FIFO read, /dev/zero) shows as a failure, not a stuck suite


@pytest.fixture()
def home(seed_store_path, tmp_path):
    store, corpus = tmp_path / "store", tmp_path / "corpus"
    shutil.copytree(seed_store_path, store, ignore=shutil.ignore_patterns("LOCK", "LOG*"))
    shutil.copytree(CORPUS, corpus)
    return store, corpus, tmp_path / "in"


def snapshot(store: Path, corpus: Path) -> tuple:
    db = ox.Store.read_only(str(store))
    quads = sorted(str(q) for q in db)
    del db
    return quads, {p.name: p.read_bytes() for p in sorted(corpus.iterdir())}


def kg_add(store: Path, corpus: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), "add", *args, "--corpus", str(corpus)],
                          capture_output=True, text=True, timeout=TIMEOUT, env={**os.environ, **(env or {})})


# ---------------------------------------------------------------------- PDFs made here
def pdf_bytes(objs: list[bytes], trailer: bytes = b"") -> bytes:
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, xref)


def text_pdf(text: str) -> bytes:
    content = b"BT /F1 12 Tf 10 100 Td (" + text.encode("ascii") + b") Tj ET"
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
                      b"/Resources << /Font << /F1 5 0 R >> >> >>",
                      b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
                      b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def aes_pdf() -> bytes:
    """A PDF encrypted with AES-256 (V5 R6): pypdf needs a crypto library even to try it."""
    def h(n):
        return b"<" + (b"ab" * n) + b">"
    stream = b"\x01" * 48
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
                      b"<< /Length 48 >>\nstream\n" + stream + b"\nendstream",
                      b"<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV3 "
                      b"/Length 32 >> >> /StmF /StdCF /StrF /StdCF /O " + h(48) + b" /U " + h(48) + b" /OE " + h(32)
                      + b" /UE " + h(32) + b" /Perms " + h(16) + b" /P -4 >>"],
                     b"/Encrypt 5 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]")


def rc4_pdf(user_password: str) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf("Report of 2015: 6 villages"))))
    w.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------- refused
def make_odd(kind: str, folder: Path) -> tuple[Path, dict, str]:
    """(the file, the environment, words the message must hold) for each odd kind of file."""
    folder.mkdir(exist_ok=True)
    p = folder / f"{kind}.txt"
    env: dict = {}
    if kind == "fifo":
        os.mkfifo(p)
        return p, env, "FIFO"
    if kind == "dev-zero":
        p.symlink_to("/dev/zero")
        return p, env, "device"
    if kind == "dev-urandom":
        p.symlink_to("/dev/urandom")
        return p, env, "device"
    if kind == "folder-link":
        (folder / "a-folder").mkdir()
        p.symlink_to(folder / "a-folder")
        return p, env, "folder"
    if kind == "dangling":
        p.symlink_to(folder / "nothing-here.txt")
        return p, env, "no such file"
    if kind == "loop":
        p.symlink_to(folder / "loop2.txt")
        (folder / "loop2.txt").symlink_to(p)
        return p, env, "cannot open it"
    if kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(p))
        return p, env, "socket"
    if kind == "proc-maps":                      # stat says 0 bytes; reading gives many more
        p.symlink_to("/proc/self/maps")
        return p, {"KG_MAX_BYTES": "200"}, "more than the limit of 200 bytes"
    if kind == "big-regular":
        p.write_bytes("汝州市".encode() * 100)
        return p, {"KG_MAX_BYTES": "200"}, "more than the limit of 200 bytes"
    if kind == "aes-pdf":
        p = p.with_suffix(".pdf")
        p.write_bytes(aes_pdf())
        return p, env, "encrypted (password-protected)"
    if kind == "rc4-pdf":
        p = p.with_suffix(".pdf")
        p.write_bytes(rc4_pdf("user-secret"))
        return p, env, "encrypted (password-protected)"
    raise ValueError(kind)


ODD = ["fifo", "dev-zero", "dev-urandom", "folder-link", "dangling", "loop", "socket", "proc-maps", "big-regular",
       "aes-pdf", "rc4-pdf"]


def test_odd_files_are_refused_at_once_in_one_line_and_nothing_changes(seed_store_path, tmp_path):
    """Each kind in its own store and corpus, the `kg add`s run side by side (each takes seconds
    to start; a hang fails by the timeout)."""
    runs = {}
    for kind in ODD:
        store, corpus = tmp_path / kind / "store", tmp_path / kind / "corpus"
        shutil.copytree(seed_store_path, store, ignore=shutil.ignore_patterns("LOCK", "LOG*"))
        shutil.copytree(CORPUS, corpus)
        path, env, words = make_odd(kind, tmp_path / kind / "in")
        before = snapshot(store, corpus)
        cmd = [sys.executable, "-m", "kg.cli", "--store", str(store), "add", str(path), "--corpus", str(corpus)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, **env}, preexec_fn=_limit_memory)
        runs[kind] = (proc, words, store, corpus, before)
    try:
        for kind, (proc, words, store, corpus, before) in runs.items():
            try:
                _, err = proc.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                pytest.fail(f"{kind}: kg add hung")
            lines = [line for line in err.splitlines() if line.strip()]
            assert proc.returncode != 0 and len(lines) == 1, (kind, proc.returncode, err)
            assert words in lines[0] and "Traceback" not in err, (kind, lines)
            assert snapshot(store, corpus) == before, kind
    finally:
        for proc, *_ in runs.values():          # a failed kind must not go on reading /dev/zero
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _limit_memory() -> None:
    """A `kg add` that reads a device for ever stops at 4 GB instead of filling the machine."""
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def test_a_pdf_with_only_an_owner_password_is_read(home):
    store, corpus, folder = home
    folder.mkdir()
    p = folder / "owner-only.pdf"
    p.write_bytes(rc4_pdf(""))
    r = kg_add(store, corpus, str(p), "--allow-empty", "--place", "汝州市", "--date", "2015")
    assert r.returncode == 0, r.stderr
    assert "6 villages" in (corpus / "owner-only.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------------- long reports
def test_a_report_of_more_than_a_million_characters_is_added_whole(home):
    """spaCy's limit (1,000,000 characters, error E088) is no limit for kg: the text runs
    through the pipeline by paragraph, and every offset still points into the whole text."""
    from kg.store import LocalStore
    from kg.web import data

    store, corpus, folder = home
    seed = SEED_TEXT.read_text(encoding="utf-8")
    filler = "这一段说明没有任何统计数字，只是把报告拉长。" * 20 + "\n\n"
    tail = seed.replace("汝州市", "平安县")
    body = "长报告\n\n" + seed + "\n\n" + filler * ((1_050_000 - 2 * len(seed)) // len(filler)) + tail
    assert len(body) > 1_000_000
    folder.mkdir()
    path = folder / "long-report.txt"
    path.write_text(body, encoding="utf-8")
    r = kg_add(store, corpus, str(path), "--place", "汝州市", "--date", "2018")
    assert r.returncode == 0, r.stderr
    assert (corpus / "long-report.txt").read_text(encoding="utf-8") == body
    st = LocalStore(store, read_only=True)
    try:
        doc = data.document(st, "long-report")
    finally:
        st.close()
    assert doc["text"] == body
    mentions = [m for f in doc["facts"] for m in f["mentions"]]
    assert mentions and all(body[m["start"]:m["end"]] == m["surface"] for m in mentions)
    assert all(body[m["sentence_start"]:m["sentence_end"]] == m["sentence"] for m in mentions if m["sentence"])
    assert max(m["start"] for m in mentions) > len(body) - len(tail)        # found in the last piece too
    assert min(m["start"] for m in mentions) < len(seed)


def test_paragraph_pieces_cover_the_text_and_cut_at_paragraphs():
    from kg.formats import paragraph_pieces
    para = "第一句。第二句！" * 30 + "\n\n"
    text = para * 50 + "没有段落的长句" * 400
    pieces = paragraph_pieces(text, 1000)
    assert "".join(p for _, p in pieces) == text
    assert all(text[start:start + len(p)] == p and len(p) <= 1000 for start, p in pieces)
    assert all(p.endswith("\n\n") for _, p in pieces[:-3])          # cut after a blank line where one is in reach
    assert paragraph_pieces("短文。", 1000) == [(0, "短文。")]
