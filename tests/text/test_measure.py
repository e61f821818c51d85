"""kg.text.measure: what a quantity measures, from its clause alone.

The phrasings are general Chinese statistical prose written for these tests, not sentences of
the corpus or of the dev reports. ``left`` is the clause's text before the number as
kg.nlp.facts gives it (times, places and other quantities already blanked to spaces), ``right``
the text after the quantity (its unit already consumed) up to the next quantity.

Tags come from the process's segmenter *after* the pipeline has taught it the ontology's labels
(kg.nlp.pipeline.build_nlp), as during an ingest: without that step the tags, and so
``right_noun``, would depend on which tests ran before.
"""

from __future__ import annotations

import pytest

from kg.text.measure import (
    MAX_PHRASE, Measured, default_words, left_phrase, measured, read_words, right_noun, split_urban_rural,
)
from kg.text.segmenter import default_segmenter

WORDS = default_words()


@pytest.fixture(scope="module")
def tag():
    from kg.nlp.pipeline import build_nlp

    build_nlp(None)                  # the lexicon's labels in the segmenter, as in an ingest
    return default_segmenter().tag


def gap(*values, reason):
    return pytest.param(*values, marks=pytest.mark.xfail(strict=True, reason=reason))


LEXICON_WORD_TAG = ("a lexicon label added to the segmenter (kg.nlp.pipeline.add_lexicon_words) is tagged 'x', "
                    "which right_noun takes for a stop tag, so the counted noun is lost")

LEAD_IN_A_WORD = ("one-character lead words are stripped from the start of a word: 全 from 全力 (力确保…), "
                  "光 from 光伏 (伏电站…)")
# ---------------------------------------------------------------- measured(): the whole rule
# (left, right, base unit) → (phrase, measure)
MEASURED = [
    # the phrase before the number, predicates (达到, 完成, 为 …) off its end, leads (全县, 其中 …) off its start
    (("全县农村居民人均可支配收入达到", "", "元"), ("农村居民人均可支配收入", "level")),
    (("其中全年财政收入完成", "", "元"), ("财政收入", "level")),
    (("一般公共预算收入", "", "元"), ("一般公共预算收入", "level")),
    (("义务教育巩固率达到", "", "%"), ("义务教育巩固率", "level")),
    (("森林覆盖率达到", "", "%"), ("森林覆盖率", "level")),
    (("种植业收入占", "", "%"), ("种植业收入", "level")),
    (("城乡居民基本医疗保险参保率达", "", "%"), ("城乡居民基本医疗保险参保率", "level")),
    (("全年接待游客", "", "人次"), ("接待游客", "level")),
    (("仅茶叶种植面积", "", "亩"), ("茶叶种植面积", "level")),
    (("截至    ，全县建档立卡贫困人口共有", "", "人"), ("建档立卡贫困人口", "level")),
    # a blanked time between the phrase and a predicate: look past it ("由2013年的…下降到…")
    (("全县贫困发生率由    下降到", "", "%"), ("贫困发生率", "level")),
    # a count followed by the noun it counts is about that noun
    (("带动", "贫困户务工", "户"), ("贫困户", "level")),
    (("帮助", "贫困户务工", "户"), ("贫困户", "level")),
    (("吸纳", "贫困群众就近就业", "人"), ("贫困群众", "level")),
    (("资助", "贫困学生", "名"), ("贫困学生", "level")),
    (("改造", "农村危房", "户"), ("农村危房", "level")),
    (("建设", "标准化厂房", "栋"), ("标准化厂房", "level")),
    (("举办", "招聘会", "场"), ("招聘会", "level")),
    (("培育", "致富带头人", "名"), ("致富带头人", "level")),
    (("开通", "客运班线", "条"), ("客运班线", "level")),
    (("兴办", "家庭农场", "个"), ("家庭农场", "level")),
    (("", "贫困村", "个"), ("贫困村", "level")),
    (("   ，  共有", "贫困村", "个"), ("贫困村", "level")),
    # a measure word right after the unit is not a noun: the left phrase stays
    (("易地搬迁安置点", "个", "个"), ("易地搬迁安置点", "level")),
    # an amount (元, 亩 …) keeps its own phrase even when a noun follows
    (("种植中药材", "", "亩"), ("种植中药材", "level")),
    # a ratio after a change verb is a change of the phrase; comparison words (按可比价, 同比, 比上年) go
    (("地区生产总值按可比价增长", "", "%"), ("地区生产总值", "change")),
    (("粮食总产量同比增长了约", "", "%"), ("粮食总产量", "change")),
    (("贫困发生率比上年下降", "", "百分点"), ("贫困发生率", "change")),
    (("常住人口城镇化率提高", "", "百分点"), ("常住人口城镇化率", "change")),
    (("固定资产投资下降", "", "%"), ("固定资产投资", "change")),
    (("旅游总收入增长", "", "%"), ("旅游总收入", "change")),
    # a bare change: no phrase of its own (kg.nlp.facts gives it the one before it in the sentence)
    (("比上年提高", "", "百分点"), ("", "change")),
    (("同比增长", "", "%"), ("", "change")),
    # 增长到 / 提高到 is a level, not a change
    (("城镇居民人均可支配收入增长到", "", "元"), ("城镇居民人均可支配收入", "level")),
    (("贫困人口 减少到", "", "人"), ("贫困人口", "level")),
    # only a ratio is a change: "增收2000元" is an amount of its own, its verb kept in the phrase
    (("农民人均纯收入增收", "", "元"), ("农民人均纯收入增收", "level")),
    # 累计 / 历年 / 总共: a running total
    (("累计发放扶贫小额信贷", "", "元"), ("发放扶贫小额信贷", "cumulative")),
    (("   累计投入扶贫资金", "", "元"), ("投入扶贫资金", "cumulative")),
    (("总共培训", "致富带头人", "名"), ("致富带头人", "cumulative")),
    # known gaps
    gap(("带动", "贫困户增收", "户"), ("贫困户", "level"), reason=LEXICON_WORD_TAG),
    (("", "专业合作社", "家"), ("专业合作社", "level")),
    (("新建", "扶贫车间", "个"), ("扶贫车间", "level")),
    (("建成", "光伏电站", "座"), ("光伏电站", "level")),
    (("全力确保贫困人口减少到", "", "人"), ("贫困人口", "level")),
    (("光伏电站装机容量达", "", "瓦"), ("光伏电站装机容量", "level")),
    (("农村居民人均可支配收入年均增长", "", "%"), ("农村居民人均可支配收入", "change")),
    (("累计完成固定资产投资", "", "元"), ("固定资产投资", "cumulative")),
    (("全年累计化解政府债务", "", "元"), ("化解政府债务", "level")),     # the year's total
    (("当年累计发放贷款", "", "元"), ("发放贷款", "level")),
]


def case_id(case) -> str:
    args, _ = getattr(case, "values", case)
    return "|".join(args)


@pytest.mark.parametrize(("args", "want"), MEASURED, ids=[case_id(c) for c in MEASURED])
def test_measure_measured(tag, args, want):
    m = measured(*args, tag)
    assert isinstance(m, Measured)
    assert (m.phrase, m.measure) == want


def test_measure_second_value_of_an_enumerated_change(tag):
    """"城乡居民人均可支配收入分别增长7%和9%": the second value's left text (the first blanked)
    should give no phrase of its own: kg.nlp.facts then gives it the first one's, and its measure."""
    m = measured("城乡居民人均可支配收入分别增长  和", "", "%", tag)
    assert m.phrase in ("", "城乡居民人均可支配收入"), m


# ---------------------------------------------------------------- subjects
@pytest.mark.parametrize(("left", "subject"), [
    ("绿源种植专业合作社吸纳", "绿源种植专业合作社"),
    ("县扶贫开发公司投入", "县扶贫开发公司"),
    ("其中青山茶叶加工厂带动", "青山茶叶加工厂"),
    ("食用菌产业园", "食用菌产业园"),
    ("通过易地扶贫搬迁工程", "易地扶贫搬迁工程"),      # the lead 通过 goes
    ("通过光伏扶贫工程", "光伏扶贫工程"),
    ("合作社", None),                          # a bare head names no one thing
    ("农村居民人均可支配收入达到", None),
    ("新建了扶贫车间", None),
    ("依托当地龙头企业", None),                 # 依托 leads; 当地龙头 is a kind, not a name
    ("依靠本地爱心帮扶企业", None),
    ("依托县扶贫开发公司", "县扶贫开发公司"),
    ("我们的合作社", None),
])
def test_measure_subject(tag, left, subject):
    assert measured(left, "", "元", tag).subject == subject


# ---------------------------------------------------------------- left_phrase()
@pytest.mark.parametrize(("left", "ratio", "want"), [
    ("地区生产总值完成", True, ("地区生产总值", False)),
    ("粮食产量比上年增长", True, ("粮食产量", True)),
    ("全乡农业总产值同比增长了", True, ("农业总产值", True)),
    ("扶贫资金投入较去年增长", True, ("扶贫资金投入", True)),
    ("同比增长", True, ("", True)),
    ("贫困发生率下降", True, ("贫困发生率", True)),
    # not a ratio: the change verb is part of what the amount is
    ("贫困发生率下降", False, ("贫困发生率下降", False)),
    ("增收", False, ("增收", False)),
    ("农民人均纯收入由     增长到", False, ("农民人均纯收入", False)),
    ("截至  ，全县建档立卡贫困人口共有", False, ("建档立卡贫困人口", False)),
    # a lone lead, predicate or connector is no phrase
    ("其中", True, ("", False)),
    ("完成", False, ("", False)),
    ("和", True, ("", False)),
    ("", True, ("", False)),
    # punctuation ends the phrase
    ("完成投资，其中财政资金", False, ("财政资金", False)),
    ("用于产业发展、基础设施建设", False, ("基础设施建设", False)),
    # a blanked quantity: the phrase is what stands after it
    ("投入    用于产业发展资金", False, ("用于产业发展资金", False)),
    ("农村居民人均可支配收入年均增长", True, ("农村居民人均可支配收入", True)),
])
def test_measure_left_phrase(left, ratio, want):
    assert left_phrase(left, WORDS, ratio) == want


def test_measure_left_phrase_is_at_most_max_phrase_long():
    long = "一二三四五六七八九十甲乙丙丁戊己庚辛"
    phrase, _ = left_phrase(long, WORDS, False)
    assert len(phrase) == MAX_PHRASE and long.endswith(phrase)


# ---------------------------------------------------------------- right_noun()
@pytest.mark.parametrize(("right", "noun"), [
    ("贫困户参与种植", "贫困户"),
    ("农家客栈，", "农家客栈"),
    ("贫困学生", "贫困学生"),
    ("农村危房", "农村危房"),
    ("致富带头人", "致富带头人"),
    ("党员干部结对帮扶", "党员干部"),
    ("标准化厂房", "标准化厂房"),       # a noun-like verb (vn) stays in the noun
    ("的目标任务", ""),                 # a particle first: no noun
    ("个贫困村", ""),                   # a measure word first
    ("、", ""),
    ("", ""),
    ("人参与", ""),                     # one character is not a noun phrase
    ("Ab公司", ""),                     # not Chinese
    ("专业合作社带动", "专业合作社"),
    gap("贫困户增收", "贫困户", reason=LEXICON_WORD_TAG),
    ("光伏电站", "光伏电站"),
    ("未摘帽深度贫困县”", "未摘帽深度贫困县"),   # a relative modifier (未/已 + verb) opens the noun
    ("镇（乡）进行了全面调查", "镇"),    # a one-character place noun counted on its own
    ("村实现通村公路硬化", "村"),
    ("村全部出列", "村"),
    ("村卫生室", "村卫生室"),
    ("中央环保督察反馈问题已整改", "中央环保督察反馈问题"),   # verbs inside a noun that a noun ends
    ("贫困户参与种植", "贫困户"),                             # …but not verbs after it
    ("“第一书记”到村入户", "第一书记"),                     # a quoted noun
])
def test_measure_right_noun(tag, right, noun):
    assert right_noun(right, tag) == noun


def test_measure_right_noun_reads_at_most_max_phrase_characters(tag):
    assert len(right_noun("贫困户" * 20, tag)) <= MAX_PHRASE


# ---------------------------------------------------------------- split_urban_rural()
@pytest.mark.parametrize(("phrase", "k", "n", "want"), [
    ("城乡居民人均可支配收入", 0, 2, "城镇居民人均可支配收入"),
    ("城乡居民人均可支配收入", 1, 2, "农村居民人均可支配收入"),
    ("城乡低保对象", 0, 2, "城镇低保对象"),
    ("城乡低保对象", 1, 2, "农村低保对象"),
    ("城乡居民人均可支配收入", 0, 3, "城乡居民人均可支配收入"),   # not a pair
    ("城乡居民人均可支配收入", 0, 1, "城乡居民人均可支配收入"),
    ("农村居民人均可支配收入", 0, 2, "农村居民人均可支配收入"),   # not 城乡
    ("城乡", 1, 2, "城乡"),                                      # nothing after 城乡
    ("", 0, 2, ""),
])
def test_measure_split_urban_rural(phrase, k, n, want):
    assert split_urban_rural(phrase, k, n) == want


# ---------------------------------------------------------------- the word list
def test_measure_words_longest_first():
    for role in ("predicate", "change", "comparison", "lead", "cumulative", "subject"):
        words = getattr(WORDS, role)
        assert words, role
        assert list(words) == sorted(words, key=len, reverse=True)
    assert WORDS.predicate.index("分别达到") < WORDS.predicate.index("达到")


def test_measure_words_reject_a_bad_line(tmp_path):
    good = tmp_path / "good.tsv"
    good.write_text("# comment\n\npredicate\t完成\nchange\t增长\n", encoding="utf-8")
    assert read_words(good).predicate == ("完成",) and read_words(good).lead == ()
    for bad in ("verb\t完成\n", "predicate\t \n", "predicate 完成\n"):
        path = tmp_path / "bad.tsv"
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(ValueError, match="bad line"):
            read_words(path)


@pytest.mark.parametrize(("unit", "right", "phrase"), [
    ("岁", "的小伙子", "年龄"),       # 24岁的小伙子: an age
])
def test_measure_implied_by_the_unit(tag, unit, right, phrase):
    assert measured("", right, unit, tag).phrase == phrase
