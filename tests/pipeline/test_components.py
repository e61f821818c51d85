"""The spaCy pipeline: blank zh with jieba, kg's registered components and what they write."""

import pytest
import spacy

from kg.corpus import Report
from kg.extract import extract_report, infer_place
from kg.nlp.pipeline import PIPES, build_nlp
from kg.nlp.tokenizer import JiebaTokenizer


def test_components_pipeline_is_blank_zh_with_jieba_and_kg_components():
    nlp = build_nlp()
    assert nlp.lang == "zh"
    assert isinstance(nlp.tokenizer, JiebaTokenizer) and nlp.tokenizer.segmenter == "jieba"
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "kg.jieba_tokenizer.v1"
    assert tuple(nlp.pipe_names) == PIPES
    for name in PIPES:
        assert name in spacy.registry.factories.get_all() or nlp.has_factory(name)


def test_components_lexicon_labels_stay_whole_words():
    nlp = build_nlp()
    words = [t.text for t in nlp.make_doc("全市贫困发生率下降为1.31%,致贫原因占比如下")]
    assert "贫困发生率" in words


def test_components_write_doc_extensions():
    nlp = build_nlp()
    doc = nlp.make_doc("2016年,我县退出贫困村5个。")
    doc._.report = {"doc": "t", "place": "平安县", "level": "县", "year": 2019}
    doc = nlp(doc)
    assert [q.surface for q in doc._.quantities] == ["5个"]
    assert [t.label for t in doc._.times] == ["2016"]
    assert doc._.deictic == [(6, 8)]
    [fact] = doc._.facts
    assert fact.place.name == "平安县" and fact.period.label == "2016"
    assert [s.text for s in doc.spans["quantities"]] == ["5个"]


def test_components_report_place_is_inferred_when_metadata_lacks_it():
    text = "平安县脱贫攻坚工作总结\n\n平安县位于山区。全县2016年退出贫困村5个。石门镇柳树村种植花椒。"
    place = infer_place(Report(doc="x", text=text))
    assert (place.name, place.level) == ("平安县", "县")
    ex = extract_report(Report(doc="x", text=text, date="2019"))
    assert ex.facts[0].place.name == "平安县"


@pytest.mark.parametrize("text", ["", "我县 有\r\n贫困村49个 ,退出2个。", "  两个空格  ", "a b\tc\u3000d"])
def test_components_tokenizer_docs_keep_the_text(text):
    nlp = build_nlp()
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert all(t.text.strip() or t.is_space for t in doc)


SPACY_ALIGN_TEXTS = ["", "我县 有\r\n贫困村49个 ,退出2个。", "  两个空格  ", "a b\tc\u3000d", " \n 开头", "结尾 \n ",
                     "3.5% 的 人口\n\n\n表 1", "\u3000\u3000段首缩进"]


@pytest.mark.parametrize("text", SPACY_ALIGN_TEXTS)
def test_components_tokenizer_words_and_spaces_are_spacys(text):
    from spacy.util import get_words_and_spaces

    from kg.nlp.tokenizer import words_and_spaces
    from kg.text.segmenter import cut
    words = cut(text)
    assert words_and_spaces(words, text) == get_words_and_spaces(words, text)


def test_components_tokenizer_words_and_spaces_are_spacys_on_random_text_and_cuts():
    import random

    from spacy.util import get_words_and_spaces

    from kg.nlp.tokenizer import words_and_spaces
    rnd = random.Random(7)
    with_space = [*"脱贫 攻坚\n\r\t\u3000a1.%，。 ", "\r\n", "  "]
    without = [*"脱贫攻坚\n\r\t\u3000a1.%，。", "\r\n", "\n\n"]      # the other way of aligning
    for k in range(4000):
        alphabet = with_space if k % 2 else without
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        words, i = [], 0
        while i < len(text):                 # any cut, not only the segmenter's
            j = i + rnd.randint(1, 4)
            words.append(text[i:j])
            i = j
        assert _outcome(words_and_spaces, words, text) == _outcome(get_words_and_spaces, words, text), (text, words)


def _outcome(align, words, text):
    """The words and spaces, or spaCy's E194 when the words cannot be aligned with the text."""
    try:
        return align(words, text)
    except ValueError as e:
        return str(e)[:6]
