"""kg.text.segmenter: jieba's words (``jieba.lcut``) from jieba-rs, on every report the tests have."""

import random
import re
from pathlib import Path

import jieba
import jieba.finalseg
import pytest

from kg.corpus import read_report, report_files
from kg.lexicon import load_lexicon
from kg.text import segmenter as seg

ROOT = Path(__file__).resolve().parents[2]
REPORTS = [ROOT / "corpus", ROOT / "tests" / "multi" / "data"]


@pytest.fixture(scope="module")
def pair():
    """A Python jieba tokenizer and a Segmenter, both taught the ontology's labels."""
    words = load_lexicon(None).words()
    tk = jieba.Tokenizer()
    tk.initialize()
    for w in words:
        tk.add_word(w, freq=2000)
    mine = seg.Segmenter()
    mine.add_words(words, freq=2000)
    return tk, mine


def reference(tk, text):
    return [w for w in tk.cut(text, cut_all=False) if w]


@pytest.mark.parametrize("mine, theirs", [
    (seg.HAN_BLOCK, jieba.re_han_default), (seg.SPACE, jieba.re_skip_default),
    (seg.IDEOGRAPHS, jieba.finalseg.re_han), (seg.ASCII_RUN, jieba.finalseg.re_skip),
])
def test_segmenter_rules_are_jiebas_own(mine, theirs):
    chars = [chr(c) for c in [*range(0x3000), *range(0x3000, 0x10000, 7), 0x20000, 0x2A6DF]]
    assert [c for c in chars if mine.fullmatch(c)] == [c for c in chars if theirs.fullmatch(c)]
    for s in ("1.31%", "\r\n", "3-4", "a.b", "12.5", "x_y"):
        assert mine.split(s) == theirs.split(s)


@pytest.mark.parametrize("text", [
    "",
    "全市贫困发生率下降为1.31%,致贫原因占比如下",
    "实现深度贫困村3-4个、2017-2019年出列",          # jieba-rs alone keeps 3-4 whole
    "Y0_b，4c7 ab  c\r\n下一行\t制表",
    "㐀㐀掌b、𠀀_任泥海、.㐀07亩",                    # CJK extension characters are not ideographs to jieba
    "（一）贫困人口1.24万户4.09万人，占比45.97％",
    "“两不愁三保障”标准，做到扶真贫、真扶贫",
    "１２３全角数字ＡＢＣ与〇和Ⅱ",
    "2014年减少贫困人口1185户4138人;2015年减少3697户",
])
def test_segmenter_cuts_like_jieba(pair, text):
    tk, mine = pair
    assert mine.cut(text) == reference(tk, text)


def test_segmenter_cuts_every_test_report_like_jieba(pair):
    tk, mine = pair
    texts = [read_report(p).text for p in report_files(REPORTS)]
    extra = Path("/work/shared/corpus-extra")
    if extra.is_dir():
        texts += [read_report(p).text for p in report_files([extra])]
    assert len(texts) >= 7
    for text in texts:
        assert mine.cut(text) == reference(tk, text)


def test_segmenter_cuts_synthetic_reports_like_jieba(pair):
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    import synth
    tk, mine = pair
    for _, text, _ in synth.generate(40, seed=3):
        assert mine.cut(text) == reference(tk, text)


def test_segmenter_agrees_with_jieba_on_random_strings(pair):
    """Random mixes of ideographs, digits, letters, punctuation and spaces. The two HMM stages
    (unknown ideograph runs) still differ on about 1 string in 10,000; more is a regression."""
    tk, mine = pair
    rng = random.Random(7)
    ideographs = [chr(c) for c in range(0x4E00, 0x9FA5, 37)]
    others = list("0123456789０１２abcXYZ-.%_#&+，。、：；（）()《》“”\"' \n\t\r　/～~·—…①〇㐀𠀀Ⅱ％．－")
    differ = []
    for _ in range(5000):
        p = rng.random()
        text = "".join(rng.choice(ideographs) if rng.random() < p else rng.choice(others)
                       for _ in range(rng.randint(1, 30)))
        if mine.cut(text) != reference(tk, text):
            differ.append(text)
    assert len(differ) <= 5, differ
    for text in differ:                     # only unknown ideograph runs may be cut differently
        assert "".join(mine.cut(text)) == text
        assert [w for w in mine.cut(text) if not re.fullmatch(r"[\u4E00-\u9FD5]+", w)] == \
               [w for w in reference(tk, text) if not re.fullmatch(r"[\u4E00-\u9FD5]+", w)]


def test_segmenter_words_cover_the_text(pair):
    _, mine = pair
    text = "我县 有\r\n建档立卡贫困村49个 ,2014年退出2个。\u3000㐀"
    assert "".join(mine.cut(text)) == text


def test_segmenter_added_words_stay_whole():
    mine = seg.Segmenter()
    assert "桃营乡花坝" not in mine.cut("桃营乡花坝村")
    mine.add_words(["桃营乡花坝"])
    assert "桃营乡花坝" in mine.cut("桃营乡花坝村")


def test_embedded_dictionary_is_jiebas_file():
    """Segmenter() uses jieba-rs's embedded dictionary: the same words, counts and tags as the
    dict.txt of the jieba package (read word by word into Segmenter(path))."""
    import rjieba
    embedded, from_file = rjieba.Jieba(), seg.Segmenter(seg.jieba_dictionary())._jieba
    with open(seg.jieba_dictionary(), encoding="utf-8") as f:
        rows = [line.split() for line in f]
    rng = random.Random(5)
    for word, _, tag in rng.sample(rows, 3000):
        assert embedded.has_word(word)
        assert embedded.tag(word, False) == from_file.tag(word, False)
        assert embedded.tag(word + "。" + word, True) == from_file.tag(word + "。" + word, True)
    texts = [read_report(p).text for p in report_files(REPORTS)]
    for text in texts:
        assert embedded.cut(text, True) == from_file.cut(text, True)
        assert embedded.cut(text, False) == from_file.cut(text, False)
        assert embedded.tag(text, True) == from_file.tag(text, True)


@pytest.mark.parametrize("text", [
    "",
    "2014年到2016年每年退出多少贫困村",
    "Y0_b，4c7 ab  c\r\n下一行\t制表 abc123 x.y 3-4",
    "全市贫困发生率下降为1.31%,致贫原因占比如下",
])
def test_segmenter_cuts_without_hmm_like_jieba(pair, text):
    tk, mine = pair
    assert mine.cut(text, hmm=False) == [w for w in tk.cut(text, HMM=False) if w]


def test_segmenter_cuts_every_test_report_without_hmm_like_jieba(pair):
    tk, mine = pair
    for p in report_files(REPORTS):
        text = read_report(p).text
        assert mine.cut(text, hmm=False) == [w for w in tk.cut(text, HMM=False) if w]


def test_one_call_cut_is_the_block_by_block_cut(pair, monkeypatch):
    """A text with no CJK extension character goes to jieba-rs whole: the same words as block
    by block (the path every other text takes), on synthetic reports and random strings."""
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    import synth
    _, mine = pair
    rng = random.Random(11)
    ideographs = [chr(c) for c in range(0x4E00, 0x9FA5, 37)]
    others = list("0123456789０１２abcXYZ-.%_#&+，。、：；（）()《》“”\"' \n\t\r　/～~·—…①〇Ⅱ％．－")
    texts = [text for _, text, _ in synth.generate(20, seed=4)]
    for _ in range(3000):
        p = rng.random()
        texts.append("".join(rng.choice(ideographs) if rng.random() < p else rng.choice(others)
                             for _ in range(rng.randint(1, 40))))
    whole = [mine.cut(text) for text in texts]
    monkeypatch.setattr(seg, "OTHER_IDEOGRAPHS", re.compile(r"(?s:.)|$"))    # every text by blocks
    assert [mine.cut(text) for text in texts] == whole
