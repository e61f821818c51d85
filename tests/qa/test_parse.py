"""The pure question parser: slots recognised, as parametrised tables (no store involved)."""

from __future__ import annotations

import pytest

from kg.lexicon import load_lexicon
from kg.qa.parse import PlaceInfo, Vocabulary, normalise, parse_question

PLACES = {
    "汝州市": PlaceInfo("汝州市", "市", None, True),
    "长顺县": PlaceInfo("长顺县", "县", None, True),
    "寄料镇": PlaceInfo("寄料镇", "镇"),
    "桑坪村": PlaceInfo("桑坪村", "村", "寄料镇"),
    "广顺镇": PlaceInfo("广顺镇", "镇", None),
}


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary(load_lexicon(), PLACES, {"花椒", "核桃", "连翘", "艾草"}, {"特色种植业": "urn:x:1", "中草药": "urn:x:2"})


def slots(vocab, q):
    return parse_question(q, vocab).slots()


# ------------------------------------------------------------------ indicator (and breakdown)
INDICATORS = [
    ("2015年退出多少贫困村", "exited-poor-villages", None),
    ("贫困村退出了几个", "exited-poor-villages", None),
    ("2014年有几个贫困村摘帽", "exited-poor-villages", None),
    ("2016年贫困村出列多少个", "exited-poor-villages", None),
    ("退出的贫困村有几个", "exited-poor-villages", None),
    ("截至2017年底还有多少个省定贫困村未退出", "remaining-poor-villages", None),
    ("2017年底还有多少贫困村没有退出", "remaining-poor-villages", None),
    ("省定深度贫困村有多少个", "deep-poor-villages", None),
    ("汝州市共有多少个省定贫困村", "provincial-poor-villages", None),
    ("2017年底未脱贫贫困人口有多少户", "remaining-poor-population", None),
    ("2017年底还有多少贫困人口", "remaining-poor-population", None),
    ("2017年底贫困户还剩几户", "remaining-poor-population", None),
    ("2016年减少贫困人口多少人", "poverty-reduction", None),
    ("2015年有多少人脱贫", "poverty-reduction", None),
    ("2014年比2015年多减少多少人", "poverty-reduction", None),
    ("2014年脱贫多少户", "poverty-reduction", None),
    ("因病致贫占比多少", "poverty-cause-share", "illness"),
    ("因残疾致贫的比例", "poverty-cause-share", "disability"),
    ("缺少劳动力导致贫困的比例", "poverty-cause-share", "lack-of-labour"),
    ("贫困发生率下降为多少", "poverty-incidence", None),
    ("发放小额信贷多少", "microcredit-loans", None),
    ("村级光伏电站共发电多少", "pv-generation", None),
    ("光伏电费收入多少", "pv-revenue", None),
    ("扶贫合作社注册资金多少", "registered-capital", None),
    ("2018年5月注册了多少个扶贫合作社", "poverty-cooperatives", None),
    ("2017年有多少家爱心企业定点帮扶贫困村", "assisting-enterprises", None),
    ("2017年为多少名贫困人口购买人身意外险", "accident-insurance-insured", None),
    ("2017年购买人身意外险花了多少钱", "accident-insurance-funds", None),
    ("2018年为多少贫困人口免交合作医疗费用", "medical-insurance-subsidised", None),
    ("寄料镇桑坪村种植了多少亩花椒", "planting-area", None),
    ("林果种植面积多大", "planting-area", "fruit-trees"),
    ("特色加工扶贫车间建了多少个", "poverty-workshops", None),
]


@pytest.mark.parametrize("question,indicator,breakdown", INDICATORS)
def test_indicator(vocab, question, indicator, breakdown):
    s = slots(vocab, question)
    assert (s["indicator"], s["breakdown"]) == (indicator, breakdown), s


# ------------------------------------------------------------------ time
TIMES = [
    ("2015年退出多少贫困村", ["2015"]),
    ("二〇一五年退出多少贫困村", ["2015"]),
    ("二零一五年退出多少贫困村", ["2015"]),
    ("２０１５年退出多少贫困村", ["2015"]),
    ("15年退出了多少贫困村", ["2015"]),
    ("截至2017年底还有多少贫困人口", ["2017-YE"]),
    ("2018年5月注册了多少个扶贫合作社", ["2018-05"]),
    ("2018年上半年发放了多少分红", ["2018-H1"]),
    ("2014年到2017年共减少贫困人口多少人", ["2014/2017"]),
    ("2014至2016年共退出多少贫困村", ["2014/2016"]),
    ("2014—2017年减少贫困人口总数", ["2014/2017"]),
    ("2015年比2014年少退出几个贫困村", ["2015", "2014"]),
    ("2017年以来开发的公益岗位有多少个", ["2017/"]),
    ("哪一年减少贫困人口最多", []),
    ("30年来减少了多少贫困人口", []),
]


@pytest.mark.parametrize("question,years", TIMES)
def test_time(vocab, question, years):
    assert slots(vocab, question)["years"] == years


# ------------------------------------------------------------------ place
PLACE_CASES = [
    ("汝州市2015年退出多少贫困村", ["汝州市"], []),
    ("汝州2015年退出多少贫困村", ["汝州市"], []),
    ("寄料镇桑坪村种植了多少亩花椒", ["寄料镇", "桑坪村"], []),
    ("桑坪村种植了多少亩花椒", ["桑坪村"], []),
    ("河南省汝州市2015年退出多少贫困村", ["汝州市"], []),
    ("北京市2015年退出多少贫困村", [], ["北京市"]),
    ("郑州2015年退出多少贫困村", [], ["郑州"]),
    ("全市2015年退出多少贫困村", [], []),
    ("2017年底汝州市剩余贫困人口多少人", ["汝州市"], []),
    # jieba's place words that are no division: words of what is asked, not unknown places
    ("汝州市城镇常住居民人均可支配收入是多少", ["汝州市"], []),
    ("南疆尚未摘帽的深度贫困县有几个", [], []),
]


@pytest.mark.parametrize("question,words", [
    ("汝州市城镇常住居民人均可支配收入是多少", ["城镇"]),
    ("南疆尚未摘帽的深度贫困县有几个", ["南疆", "深度"]),
    ("汝州2015年退出多少贫困村", []),
])
def test_place_words_that_are_no_division(vocab, question, words):
    assert parse_question(question, vocab).place_words == words


@pytest.mark.parametrize("question,strength", [
    ("稳定就业率有多高", "strong"),
    ("贫困发生率是多少", "strong"),
    ("贫困发生率降到了多少", "strong"),
])
def test_a_rate_asked_is_a_percent(vocab, question, strength):
    p = parse_question(question, vocab)
    assert (p.unit, p.unit_strength) == ("%", strength)


@pytest.mark.parametrize("question,places,unknown", PLACE_CASES)
def test_place(vocab, question, places, unknown):
    s = slots(vocab, question)
    assert s["places"] == places
    assert s["unknown_places"] == unknown


def test_deictic(vocab):
    assert parse_question("全市贫困发生率是多少", vocab).deictic
    assert not parse_question("贫困发生率是多少", vocab).deictic


# ------------------------------------------------------------------ unit asked
UNITS = [
    ("2017年底未脱贫贫困人口有多少户", "户"),
    ("2017年底未脱贫贫困人口有多少人", "人"),
    ("2017年为多少名贫困人口购买人身意外险", "人"),
    ("2015年减少了多少户贫困户", "户"),
    ("2014年减少了多少贫困人口", "人"),
    ("发放小额信贷多少钱", "元"),
    ("扶贫合作社的注册资金有多少万元", "元"),
    ("寄料镇桑坪村种植了多少亩花椒", "亩"),
    ("因病致贫占比多少", "%"),
    ("因病致贫在贫困人口中占百分之几", "%"),
    ("缺资金致贫的比重", "%"),
    ("2015年退出多少个贫困村", "个"),
    ("2017年有多少家爱心企业", "家"),
    ("光伏电站共发了多少度电", "度"),
    ("2015年退出多少贫困村", None),
]


@pytest.mark.parametrize("question,unit", UNITS)
def test_unit(vocab, question, unit):
    assert slots(vocab, question)["unit"] == unit


# ------------------------------------------------------------------ modality and question type
TYPES = [
    ("2015年退出多少贫困村", "value", None, False),
    ("2018年计划退出多少个贫困村", "value", None, True),
    ("2018年的目标是退出几个贫困村", "value", None, True),
    ("2018年要退出多少贫困村", "value", None, True),
    ("2018年确保多少个贫困村退出", "value", None, True),
    ("到2020年计划建成多少个产业扶贫基地", "value", None, True),
    ("2014年到2017年共减少贫困人口多少人", "sum", None, False),
    ("2015年和2016年一共减少多少贫困人口", "sum", None, False),
    ("哪一年减少贫困人口最多", "max", "year", False),
    ("哪年退出贫困村最少", "min", "year", False),
    ("哪种致贫原因占比最高", "max", "breakdown", False),
    ("哪个村种植面积最大", "max", "place", False),
    ("2015年比2014年少退出几个贫困村", "diff", None, False),
    ("2014年和2016年退出贫困村相差多少", "diff", None, False),
    ("每年退出多少个贫困村", "series", None, False),
    ("历年减少贫困人口多少人", "series", None, False),
    ("汝州市有哪些特色种植产业", "list", None, False),
]


@pytest.mark.parametrize("question,qtype,rank_over,target", TYPES)
def test_type_and_modality(vocab, question, qtype, rank_over, target):
    s = slots(vocab, question)
    assert (s["qtype"], s["rank_over"], s["target"]) == (qtype, rank_over, target), s


def test_category(vocab):
    assert slots(vocab, "汝州市有哪些特色种植产业")["category"] == "特色种植业"
    assert slots(vocab, "中草药包括哪些")["category"] == "中草药"


def test_direction(vocab):
    assert parse_question("2015年比2014年少退出几个贫困村", vocab).direction == "less"
    assert parse_question("2016年比2015年多减少多少贫困人口", vocab).direction == "more"
    assert parse_question("2014年和2016年退出贫困村相差多少", vocab).direction == "abs"


# ------------------------------------------------------------------ what must not be understood
PROBLEMS = [
    ("今天天气怎么样", "no_indicator"),
    ("你好", "no_indicator"),
    ("2014年退出了多少所学校", "unexplained_words"),
    ("去年退出了多少个贫困村", "relative_time"),
    ("北京有多少个省定贫困村", "unknown_place"),
    ("} } SELECT * WHERE { ?s ?p ?o }", "query_syntax"),
    ("2015年退出多少贫困村 DROP GRAPH <x>", "query_syntax"),
]


@pytest.mark.parametrize("question,problem", PROBLEMS)
def test_problems(vocab, question, problem):
    assert problem in slots(vocab, question)["problems"]


@pytest.mark.parametrize("question", [q for q, *_ in INDICATORS])
def test_understood_questions_have_no_problem(vocab, question):
    assert slots(vocab, question)["problems"] == []


def test_normalise():
    assert normalise("２０１５年 退出") == "2015年退出"
    assert normalise("两千零一十五年") == "2015年"
    assert normalise("17年底") == "2017年底"
    assert normalise("30年来") == "30年来"


# ------------------------------------------------------------------ several places (tests/multi has the store-level tests)
MANY = {
    "桃源县": PlaceInfo("桃源县", "县", "湖南省", True),
    "桃源镇": PlaceInfo("桃源镇", "镇"),
    "湖南省": PlaceInfo("湖南省", "省"),
    "热水村": PlaceInfo("热水村", "村"),
    "枫林村": PlaceInfo("枫林村", "村", "茶庵铺镇"),
    "茶庵铺镇": PlaceInfo("茶庵铺镇", "镇"),
    "贵州省长顺县": PlaceInfo("贵州省长顺县", "县", None, True),
    "汝州市": PlaceInfo("汝州市", "市", None, True),
}


@pytest.fixture(scope="module")
def many() -> Vocabulary:
    return Vocabulary(load_lexicon(), MANY)


@pytest.mark.parametrize("question,places", [
    ("湖南省2018年出列多少个贫困村", ["湖南省"]),
    ("湖南2018年出列多少个贫困村", ["湖南省"]),
    ("桃源县2018年出列多少个贫困村", ["桃源县"]),
    ("茶庵铺种植了多少亩", ["茶庵铺镇"]),
    ("枫林种植了多少亩", ["枫林村"]),
    ("茶庵铺镇枫林村种植了多少亩", ["茶庵铺镇", "枫林村"]),
    ("热水村有多少贫困户", ["热水村"]),
    ("长顺县贫困发生率是多少", ["贵州省长顺县"]),          # a metadata place of two names
    ("长顺贫困发生率是多少", ["贵州省长顺县"]),
])
def test_places_at_every_level_and_short_names(many, question, places):
    s = slots(many, question)
    assert s["places"] == places and "ambiguous_place" not in s["problems"], s


def test_an_ambiguous_short_name(many):
    s = slots(many, "桃源2018年出列多少个贫困村")
    assert s["places"] == [] and s["ambiguous_places"] == {"桃源": ["桃源县", "桃源镇"]}
    assert "ambiguous_place" in s["problems"]


def test_a_common_word_is_not_a_village(many):
    assert "热水" not in many.place_surfaces and many.place_surfaces["热水村"] == "热水村"


@pytest.mark.parametrize("question,levels", [("我县2015年退出多少贫困村", {"县"}), ("全市2015年退出多少贫困村", {"市"}),
                                             ("本区2015年退出多少贫困村", {"区"}), ("2015年退出多少贫困村", set())])
def test_deictic_levels(many, question, levels):
    assert parse_question(question, many).deictic_levels == levels


@pytest.mark.parametrize("question,levels", [("2016年哪个县退出贫困村最多", {"县"}), ("哪个乡镇退出贫困村最多", {"乡", "镇"}),
                                             ("哪个村脱贫人口最多", {"村"}), ("哪里退出贫困村最多", set())])
def test_rank_levels(many, question, levels):
    p = parse_question(question, many)
    assert p.rank_over == "place" and p.rank_levels == levels
