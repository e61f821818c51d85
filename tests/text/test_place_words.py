"""kg.text.place_words.Words: a text's words segmented piece by piece between punctuation are
jieba's words of the whole text, and the places found segmenting only the pieces that can hold
one are those found segmenting all of it."""

import random
from pathlib import Path

import pytest

from kg.corpus import read_report, report_files
from kg.text import place_words as pw
from kg.text import places

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "corpus", ROOT / "tests" / "dev" / "docs", ROOT / "tests" / "multi" / "data"]
ALPHABET = "县市区镇村乡社街办自治州盟旗省地，。、；：！？（）《》“”‘’…—·\r\n\t 　,.;:!?()[]{}<>/\\|~^`@*=$'\"+#&_%-" \
           "1234567890abcXYZ１２３ＡＢ㐀𠀀大田宁夏瑞金南山北京东西新安平和发展贫困人口户万元的在了是"


def texts():
    out = [read_report(p).text for p in report_files([str(f) for f in FOLDERS if f.exists()])]
    rng = random.Random(7)
    out += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 80))) for _ in range(400)]
    return out


def test_pieces_segment_like_the_whole_text():
    seg = pw._segmenter()
    for text in texts():
        whole, pos = {}, 0
        for word, tag in seg.tag(text):
            whole[pos] = (pos + len(word), tag)
            pos += len(word)
        assert pos == len(text)
        ws = pw.Words(text)
        for first, end in ws.tagged:
            for i in range(first, end):
                assert whole.get(ws.starts[i]) == (ws.ends[i], ws.tags[i]), (text, ws.word(i))
        assert ws.at[:-1] == [next(i for i in range(len(ws.starts)) if ws.starts[i] <= p < ws.ends[i])
                              for p in range(len(text))]


@pytest.mark.parametrize("text", ["", "，，", "北京市", "在北京市、南山区和大田，宁夏\r\n瑞金。", "ab，cd"])
def test_unsegmented_stretches_are_single_unknown_words(text):
    ws = pw.Words(text, [m.span() for m in pw.PIECE.finditer(text) if "市" in m.group()])
    assert "".join(ws.word(i) for i in range(len(ws.starts))) == text
    kept = {i for first, end in ws.tagged for i in range(first, end)}
    for i in set(range(len(ws.starts))) - kept:
        assert ws.tags[i] == "x" and not ws.known[i]
        assert all("市" not in m.group() for m in pw.PIECE.finditer(ws.word(i)))


def test_places_are_those_of_the_whole_segmentation(monkeypatch):
    found = [places.find_places(t) for t in texts()]
    places._places_of.cache_clear()
    monkeypatch.setattr(places, "_place_pieces", lambda text, suffixes: [m.span() for m in pw.PIECE.finditer(text)])
    try:
        assert [places.find_places(t) for t in texts()] == found
    finally:
        places._places_of.cache_clear()
