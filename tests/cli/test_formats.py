"""Reading reports of every supported format and encoding (kg.formats)."""

from __future__ import annotations

import pytest

from kg.corpus import CorpusError
from kg.formats import decode, read_any

TEXT = "平安县2019年工作总结\n2016年,我县退出贫困村5个。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk"])
def test_formats_encodings_decode(encoding):
    assert decode(TEXT.encode(encoding), "x") == TEXT


@pytest.mark.parametrize("raw,message", [
    (TEXT.encode("utf-8")[:-2], "cut off"),
    (TEXT.encode("utf-8") + "贫困村".encode("gbk"), "mixed encoding"),
    (b"\x00\x01\x02\x03" * 64, "binary"),
    (b"\xff\xfe\x00\xd8", "UTF-16"),
])
def test_formats_bad_bytes_are_refused_clearly(raw, message):
    with pytest.raises(CorpusError, match=message):
        decode(raw, "x")


def test_formats_html_main_text_without_navigation_or_scripts(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(
        "<html><head><title>t</title><script>var x = '脚本里的100个';</script><style>p{}</style></head><body>"
        "<nav><a href='/'>首页</a><a href='/news'>新闻中心</a></nav>"
        "<article><h1>平安县脱贫攻坚工作总结</h1><p>2016年,我县退出贫困村5个,2017年退出贫困村7个。</p>"
        "<p>截至2018年底,全县贫困发生率下降为0.9%。</p></article>"
        "<footer>版权所有 联系我们</footer></body></html>", encoding="utf-8")
    text = read_any(page)
    assert "退出贫困村5个" in text and "0.9%" in text
    assert "脚本" not in text and "var x" not in text and "版权所有" not in text


def test_formats_markdown_is_text(tmp_path):
    md = tmp_path / "r.md"
    md.write_text("# 标题\n\n" + TEXT, encoding="utf-8")
    assert TEXT in read_any(md)


def _pdf(text_ops: str) -> bytes:
    """A minimal one-page PDF whose content stream is ``text_ops``."""
    stream = text_ops.encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_formats_pdf_text_layer(tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(_pdf("BT /F1 12 Tf 20 100 Td (Poverty rate 0.9% in 2018) Tj ET"))
    assert "Poverty rate 0.9% in 2018" in read_any(pdf)


def test_formats_pdf_without_text_layer_is_refused(tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(_pdf("0 0 1 rg 10 10 100 100 re f"))
    with pytest.raises(CorpusError, match="no text layer"):
        read_any(pdf)


def test_formats_broken_pdf_is_refused(tmp_path):
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(CorpusError, match="broken.pdf"):
        read_any(pdf)
