"""Which-one questions, their pure parts (kg.qa.entity_answer, kg.qa.table_answer): what a question
asks for, the span of a sentence that fills its gap, a report's author, and a table's cells. The
sentences and tables here are made up in the style of the reports; the dev tables test the whole."""

from __future__ import annotations

import pytest

from kg.qa.entity_answer import AUTHOR_Q, answer_type, gap_span, pick, report_author, Sentence
from kg.qa.retrieve import content_terms
from kg.qa.table_answer import answer_from_tables
from kg.text.segmenter import default_segmenter


@pytest.mark.parametrize(("question", "kind"), [
    ("安平县的草莓基地在哪个乡？", ("place", "乡")),
    ("哪家企业开发了菜牛产品？", ("org", "企业")),
    ("开起农家乐的是谁？", ("person", "")),
    ("村里第一家客栈叫什么名字？", ("name", "客栈")),
    ("在果树下套种的是什么经济作物？", ("thing", "经济作物")),
    ("发给丧失劳动能力的贫困户的是什么颜色的卡？", ("thing", "卡")),
    ("全县培育了哪些特色产业？", ("list", "")),
    ("石门村距离哪个景区不到三公里？", ("thing", "景区")),
    ("2018年退出多少贫困村", None),
])
def test_answer_type(question, kind):
    assert answer_type(question) == kind


@pytest.mark.parametrize(("question", "sentence", "name"), [
    ("石门村在果树下套种的是什么经济作物？", "干部引导村民在果树下套种经济作物金银花，增加收入。", "金银花"),
    ("小李在山里的什么养殖基地开始了新生活？", "他们在山里的一个鲟鱼养殖基地开始了新生活。", "鲟鱼养殖基地"),
    ("专家在保护区新发现了什么鸟？", "2010年，专家在保护区调查时新发现了石门画眉，引起关注。", "石门画眉"),
    ("买来面粉让游客体验做年糕的红军后代叫什么？", "红军后代王大明买来面粉，让人们过了一把瘾。", "王大明"),
    ("桃源镇代镇长叫什么名字？", "桃源镇人民政府代镇长  李国庆", "李国庆"),
    ("石门村套种的是什么作物？", "全村发展了特色种植业。", None),          # the sentence does not word it so
])
def test_gap_span(question, sentence, name):
    kind, detail = answer_type(question)
    found = gap_span(question, sentence, detail)
    assert (found[2] if found else None) == name


def test_two_names_that_fit_as_well_are_no_answer():
    s = Sentence("d", 0, 40, "走出自家的甲乙客栈，他来到隔壁的丙丁客栈。")
    q = "他家的客栈叫什么名字？"
    terms = content_terms(q, default_segmenter().cut)
    assert pick("name", "客栈", q, s, terms) is None


@pytest.mark.parametrize(("opening", "author"), [
    ("政 府 工 作 报 告\n——2019年3月4日在某区人民代表大会上\n某市某区人民政府代区长  王五\n各位代表：\n", "王五"),
    ("某县脱贫攻坚纪实\n记者 赵六\n", "赵六"),
    ("某县脱贫攻坚工作总结\n2018年，全县…\n", None),
])
def test_report_author(opening, author):
    found = report_author(opening)
    assert (found[2] if found else None) == author


@pytest.mark.parametrize(("question", "asks"), [
    ("这份2019年某区政府工作报告是由谁作的？", True),
    ("谁作了这份政府工作报告", True),
    ("这篇文章的作者是谁", True),
    ("某区代区长叫什么名字？", False),
    ("谁开起了农家乐", False),
])
def test_author_question(question, asks):
    assert bool(AUTHOR_Q.search(question)) == asks


TABLE = """表2某县各乡镇产业示范建议项目
| 序号 | 乡镇 | 项目名称 |
|---|---|---|
| 1 | 石门镇 | 石门镇花椒产业扶贫示范 |
| 2 | 桃源乡 | 桃源乡油茶产业提升 |
| 3 | 柳沟镇 | 柳沟镇肉牛生态养殖示范 |
"""


def table_answer(question: str):
    terms = content_terms(question, default_segmenter().cut)
    found = answer_from_tables(question, terms, {"d": "正文。\n" + TABLE})
    return found.names if found else None


@pytest.mark.parametrize(("question", "names"), [
    ("表2中桃源乡的产业示范建议项目是什么？", ["桃源乡油茶产业提升"]),
    ("柳沟镇的产业示范建议项目叫什么？", ["柳沟镇肉牛生态养殖示范"]),
    ("表2列出了哪些乡镇的产业示范建议项目？", ["石门镇", "桃源乡", "柳沟镇"]),
    ("哪个乡镇的建议项目是花椒产业扶贫示范？", ["石门镇"]),
    ("桃源乡的贫困发生率是多少？", None),          # a question not about the table
])
def test_table_answers(question, names):
    assert table_answer(question) == names


@pytest.mark.parametrize(("question", "sentence", "name"), [
    # a head the sentence words otherwise (卡片 → 红卡)
    ("对丧失劳动能力的贫困户发的是什么颜色的建档立卡卡片？", "而对丧失劳动能力的红卡户，实施兜底保障。", "红卡"),
    # a village named by a common word (团结村)
    ("某区推进肉牛养殖项目的是哪个村？", "加快田园综合体建设，推进团结村肉牛养殖等项目建设。", "团结村"),
    ("石门村距离哪个景区不到三公里？", "距离著名的八角楼景区不到三公里的石门村。", "八角楼景区"),
])
def test_pick_in_a_sentence(question, sentence, name):
    kind, detail = answer_type(question)
    terms = content_terms(question, default_segmenter().cut)
    assert pick(kind, detail, question, Sentence("d", 0, len(sentence), sentence), terms) == name
