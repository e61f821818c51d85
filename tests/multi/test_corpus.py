"""The corpus of several reports itself: every format and encoding is added through
kg.library.add with the right place, and evidence offsets point into each decoded text."""

from __future__ import annotations

import pytest

from kg.qa import ask
from kg.qa import queries as Q

from .corpus import DATA, DOCS


def test_files_are_in_the_formats_they_exercise():
    gb = (DATA / "anping-2017.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gb.decode("utf-8")
    assert "我市" in gb.decode("gb18030")
    u16 = (DATA / "shimen-2016.txt").read_bytes()
    assert u16[:2] in (b"\xff\xfe", b"\xfe\xff")
    body = u16.decode("utf-16").split("\n", 1)[1]
    assert "石门" not in body and "我县" in body and "全县" in body       # the place only in the title
    assert (DATA / "baishui-2020.html").read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")
    assert (DATA / "taoyuan-2019.md").read_text(encoding="utf-8").startswith("# ")
    assert "２０１６年：" in (DATA / "baishui-2020.html").read_text(encoding="utf-8")


def test_every_report_has_its_place_and_year(multi_catalog):
    got = {doc: (r.place, r.year) for doc, r in multi_catalog.reports.items()}
    assert got == {
        DOCS["ruzhou"]: ("汝州市", 2018), DOCS["changshun"]: ("长顺县", 2017), DOCS["taoyuan"]: ("桃源县", 2019),
        DOCS["baishui"]: ("白水区", 2017), DOCS["anping17"]: ("安平市", 2017),
        DOCS["anping19"]: ("安平市", 2019), DOCS["shimen"]: ("石门县", 2016),
    }


@pytest.mark.parametrize("question,doc", [
    ("白水区2016年减少贫困人口多少人", "baishui"),        # HTML, full-width digits
    ("安平市2016年减少贫困人口多少户", "anping17"),       # GB18030
    ("石门县2016年减少贫困人口多少人", "shimen"),         # UTF-16
    ("桃源县2017年出列多少个贫困村", "taoyuan"),          # Markdown, Chinese numerals
    ("长顺县2017年危房改造多少户", "changshun"),
])
def test_evidence_offsets_point_into_each_decoded_text(multi_store, multi_catalog, question, doc):
    r = ask(question, multi_store)
    assert r["answered"], r["answer"]
    text = multi_store.select(Q.REPORT_TEXT, {"report": multi_catalog.reports[DOCS[doc]].iri})[0]["text"]
    for e in r["evidence"]:
        assert e["doc"] == DOCS[doc]
        assert e["sentence"] and e["sentence"] in text
        assert text[e["start"]:e["end"]] in e["sentence"]
    shown = {text[e["start"]:e["end"]] for e in r["evidence"]}
    assert any(str(r["values"][0]["value"]) in s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
               or s.startswith(("九", "十")) for s in shown), shown
