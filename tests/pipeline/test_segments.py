import pytest

from kg.text.segments import Segment, clauses, sentences


def test_segments_sentences_keep_offsets():
    text = "\n\n标题\n\n第一句,有逗号。第二句!  \n第三句"
    got = sentences(text)
    assert [s.text for s in got] == ["标题", "第一句,有逗号。", "第二句!", "第三句"]
    for s in got:
        assert text[s.start:s.end] == s.text


@pytest.mark.parametrize("sentence,parts", [
    ("2014年退出贫困村8个,2015年退出贫困村6个", ["2014年退出贫困村8个", "2015年退出贫困村6个"]),
    ("其中:因病致贫占45%;因残致贫占16%", ["其中", "因病致贫占45%", "因残致贫占16%"]),
    ("种植连翘、艾草、核桃等", ["种植连翘、艾草、核桃等"]),
])
def test_segments_clauses(sentence, parts):
    got = clauses(Segment(10, 10 + len(sentence), sentence))
    assert [c.text for c in got] == parts
    for c in got:
        assert sentence[c.start - 10:c.end - 10] == c.text
