"""Policy documents, organisations, persons and enumerations (made-up report sentences)."""

import pytest

from kg.text.entities import find_enumerations, find_organizations, find_persons, find_policies


def test_entities_policy_with_document_number():
    text = "2019年,我县印发《平安县关于加强产业扶贫的意见》(平政〔2019〕12号),明确责任。"
    [p] = find_policies(text)
    assert p.name == "平安县关于加强产业扶贫的意见"
    assert p.number == "平政〔2019〕12号"
    assert text[p.start:p.end].startswith("《")


def test_entities_policies_in_a_row():
    names = [p.name for p in find_policies("出台《甲方案》《乙办法》等政策")]
    assert names == ["甲方案", "乙办法"]


@pytest.mark.parametrize("text,name,kind", [
    ("县财政出资注入县扶贫开发投资有限公司", "县扶贫开发投资有限公司", "enterprise"),
    ("由绿源种植专业合作社统一收购", "绿源种植专业合作社", "cooperative"),
    ("县扶贫办会同县教育局开展资助", "县扶贫办", "organization"),
])
def test_entities_organizations(text, name, kind):
    assert (name, kind) in [(e.name, e.kind) for e in find_organizations(text)]


@pytest.mark.parametrize("text,name", [("□文/图 张三丰\n", "张三丰"), ("村民王小二说", "王小二"), ("记者 李四", "李四")])
def test_entities_persons(text, name):
    assert name in [e.name for e in find_persons(text)]


@pytest.mark.parametrize("text,category,members", [
    ("积极培育金银花、黄芩、板栗等特色种植业。", "特色种植业", ["金银花", "黄芩", "板栗"]),
    ("种植丹参、白术、连翘等中草药3000余亩", "中草药", ["丹参", "白术", "连翘"]),
    ("目前,全县种植苹果、核桃等林果规模达1万亩", "林果", ["苹果", "核桃"]),
])
def test_entities_enumerations_become_a_category(text, category, members):
    [e] = find_enumerations(text)
    assert e.name == category
    assert [m[2] for m in e.members] == members
    for s, end, name in e.members:
        assert text[s:end] == name
