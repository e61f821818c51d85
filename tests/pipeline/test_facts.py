"""Fact rules on made-up report sentences: one row per expected observation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.facts import PlaceRef
from kg.lexicon import load_lexicon
from kg.namespaces import BRK, IND
from kg.nlp.facts import FactExtractor

PLACE = PlaceRef("平安县", "县")


@pytest.fixture(scope="module")
def extractor():
    return FactExtractor(load_lexicon())


def facts(extractor, text, year=2019):
    out = []
    for f in extractor.extract(text, PLACE, year):
        out.append((f.indicator[len(IND):], f.place.name, f.period.label, (f.breakdown or BRK)[len(BRK):],
                    f.value.normalize(), f.unit, f.kind))
        m = f.mentions[0]
        assert text[m.start:m.end] == m.surface
    return out


def row(ind, value, unit, period, kind="actual", place="平安县", breakdown=""):
    return (ind, place, period, breakdown, Decimal(str(value)).normalize(), unit, kind)


@pytest.mark.parametrize("text,expected", [
    ("全县2015年退出贫困村12个,2016年退出贫困村9个。",
     [row("exited-poor-villages", 12, "个", "2015"), row("exited-poor-villages", 9, "个", "2016")]),
    ("截至2018年底,全县共有未脱贫贫困人口2100户6800人,贫困发生率下降为2.4%。",
     [row("remaining-poor-population", 2100, "户", "2018-YE"), row("remaining-poor-population", 6800, "人", "2018-YE"),
      row("poverty-incidence", 2.4, "%", "2018-YE")]),
    ("2018年底,其中因病致贫占40%;因残致贫占20%;缺资金致贫占40%。",
     [row("poverty-cause-share", 40, "%", "2018-YE", breakdown="illness"),
      row("poverty-cause-share", 20, "%", "2018-YE", breakdown="disability"),
      row("poverty-cause-share", 40, "%", "2018-YE", breakdown="lack-of-funds")]),
    ("我县累计发放小额信贷3.2亿元。", [row("microcredit-loans", 3.2, "亿元", "2019")]),
    ("2017年建成扶贫车间15个。", [row("poverty-workshops", 15, "个", "2017")]),
    ("确保2020年实现贫困村全部退出,2020年计划退出贫困村10个。",
     [row("exited-poor-villages", 10, "个", "2020", kind="target")]),
    ("2016年减少贫困人口1200户4300人;2017年减少贫困人口900户3100人。",
     [row("poverty-reduction", 1200, "户", "2016"), row("poverty-reduction", 4300, "人", "2016"),
      row("poverty-reduction", 900, "户", "2017"), row("poverty-reduction", 3100, "人", "2017")]),
    ("比如,石门镇柳树村种植花椒800余亩。", [row("planting-area", 800, "亩", "2019", place="柳树村")]),
    ("2018年,全县开发公益性岗位1200个,建档立卡贫困劳动力培训率达到90%。",
     [row("public-welfare-posts", 1200, "个", "2018"), row("training-rate", 90, "%", "2018")]),
    ("我县印发《平安县2017年扶贫实施方案》,明确责任。", []),
    ("改革开放40年,撤县设市30年。", []),
    ("每村制定一个产业发展计划,每人分包一户贫困户。", []),
])
def test_facts_from_sentences(extractor, text, expected):
    assert facts(extractor, text) == expected


def test_facts_restated_fact_is_one_observation_with_two_mentions(extractor):
    text = "2017年,全县贫困发生率下降为2.4%。回顾过去,2017年贫困发生率下降为2.4%。"
    [f] = extractor.extract(text, PLACE, 2019)
    assert len(f.mentions) == 2


def test_facts_undated_total_of_yearly_values_is_dated_to_their_span(extractor):
    text = "2016年减少贫困人口100人;2017年减少贫困人口200人。三年来共减少贫困人口300人。"
    got = {(f.period.label, f.value) for f in extractor.extract(text, PLACE, 2019)}
    assert ("2016/2017", Decimal(300)) in got


def test_facts_deictic_place_is_the_report_place(extractor):
    [f] = extractor.extract("我县2016年退出贫困村5个。", PLACE, 2019)
    assert f.place == PLACE
