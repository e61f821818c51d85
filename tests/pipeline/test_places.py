"""Place names by administrative suffix, hierarchy and deictics (made-up report sentences)."""

import pytest

from kg.text.places import find_deictic, find_places, short_name


@pytest.mark.parametrize("text,expected", [
    ("比如,石门镇柳树村通过土地流转种植花椒", [("石门镇", "镇", None), ("柳树村", "村", "石门镇")]),
    ("地处山区腹地的平安县,全县现有贫困村38个", [("平安县", "县", None)]),
    ("东关街道204套、河口镇400套、青山乡120套", [("东关街道", "街道", None), ("河口镇", "镇", None), ("青山乡", "乡", None)]),
    ("大王庄村贫困户李明说", [("大王庄村", "村", None)]),
    ("河南省南阳市", [("河南省", "省", None), ("南阳市", "市", "河南省")]),
])
def test_places_found_with_level_and_parent(text, expected):
    assert [(p.name, p.level, p.parent) for p in find_places(text)] == expected


@pytest.mark.parametrize("text", [
    "我市共有省定贫困村63个", "对全市20个乡镇街道进行普查", "在每个贫困村建设村级爱心超市",
    "新建1个乡级爱心超市", "贫困人口村的村必到", "撤县建市30年", "提高农村低保标准不低于全省脱贫线",
    "派驻驻村工作队", "吸纳该乡镇所有贫困村", "极贫乡镇基础设施", "2019年出列村名单", "城乡居民医疗保险",
])
def test_places_common_nouns_are_not_places(text):
    assert find_places(text) == []


@pytest.mark.parametrize("text,spans", [
    ("我市共有", [(0, 2)]), ("全县现有", [(0, 2)]), ("本区和全市", [(0, 2), (3, 5)]), ("全省", []),
])
def test_places_deictic_spans(text, spans):
    assert find_deictic(text) == spans


@pytest.mark.parametrize("name,short", [("汝阳县", "汝阳"), ("汝州市", "汝州"), ("平安县", "平安"), ("东关街道", "东关"), ("某县", "某县")])
def test_places_short_name(name, short):
    assert short_name(name) == short
