"""IRI path segments: the cached fast path of iris._seg writes what per-character quoting writes."""

from urllib.parse import quote

import pytest

from kg.rdf import iris


def reference_seg(text: str) -> str:
    return "".join(c if ord(c) > 127 and not c.isspace() else quote(c, safe="-._~") for c in text)


@pytest.mark.parametrize("text", [
    "", "synth-7-00001", "doc_1.v2~x", "a b", "a/b#c?d=e&f", "100%", "2014--2017-report",
    "平安县", "石门镇柳树村", "《条例》", "两不愁三保障", "tab\there", "line\nbreak",
    "full\u3000width", "no\u00a0break", "next\u0085line", "café", "Ωmega", "🙂", "\u200b", "\x7f", "\x80",
])
def test_iris_segment_matches_per_character_quoting(text):
    assert iris._seg(text) == reference_seg(text)
    assert iris._seg(text) == reference_seg(text)      # and again, from the cache
