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
