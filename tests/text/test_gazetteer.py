"""The gazetteer of China's administrative divisions (ontology/gazetteer.tsv, from cpca's adcodes)."""

import pytest

from kg.text import gazetteer as gz


@pytest.mark.parametrize("name,code,level,parent", [
    ("北京市", "110000", "省", None),
    ("内蒙古自治区", "150000", "省", None),
    ("新疆维吾尔自治区", "650000", "省", None),
    ("呼伦贝尔市", "150700", "市", "150000"),
    ("海拉尔区", "150702", "区", "150700"),
    ("井冈山市", "360881", "市", "360800"),             # a county-level 市
    ("环江毛南族自治县", "451226", "县", "451200"),
    ("和田地区", "653200", "市", "650000"),             # a prefecture that is no 市
    ("兴安盟", "152200", "市", "150000"),
    ("东城区", "110101", "区", "110000"),               # under the municipality, no 市辖区 between
    ("济源市", "419001", "市", "410000"),               # a county-level city under its province
    ("汝州市", "410482", "市", "410400"),
])
def test_gazetteer_full_names(name, code, level, parent):
    [d] = gz.full_name(name)
    assert (d.code, d.level, d.parent) == (code, level, parent)
    assert gz.division(code) == d


@pytest.mark.parametrize("name,short", [
    ("井冈山市", "井冈山"), ("环江毛南族自治县", "环江"), ("新疆维吾尔自治区", "新疆"), ("内蒙古自治区", "内蒙古"),
    ("广西壮族自治区", "广西"), ("宁夏回族自治区", "宁夏"), ("西藏自治区", "西藏"), ("伊犁哈萨克自治州", "伊犁"),
    ("黔东南苗族侗族自治州", "黔东南"), ("双江拉祜族佤族布朗族傣族自治县", "双江"), ("鄂伦春自治旗", "鄂伦春"),
    ("和田地区", "和田"), ("神农架林区", "神农架"), ("香港特别行政区", "香港"), ("江西省", "江西"),
    ("海拉尔区", "海拉尔"), ("礼县", "礼县"), ("城区", "城区"),          # a stem of one character stays whole
])
def test_gazetteer_short_forms(name, short):
    assert gz.short_form(name) == short


@pytest.mark.parametrize("name,expected", [
    ("井冈山", "井冈山市"), ("环江", "环江毛南族自治县"), ("新疆", "新疆维吾尔自治区"), ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"), ("海拉尔", "海拉尔区"), ("呼伦贝尔", "呼伦贝尔市"), ("龙州", "龙州县"),
    ("吉安", None), ("吉林", None), ("和田", None), ("平安县", None), ("代表", None),   # several or none
])
def test_gazetteer_unique_short_forms(name, expected):
    d = gz.unique_short(name)
    assert (d.name if d else None) == expected


@pytest.mark.parametrize("variant,name", [
    ("环江县", "环江毛南族自治县"), ("广西区", "广西壮族自治区"), ("湘西州", "湘西土家族苗族自治州"), ("鄂伦春旗", "鄂伦春自治旗"),
])
def test_gazetteer_variants(variant, name):
    assert [d.name for d in gz.full_name(variant)] == [name]
    assert variant in gz.variants(name)


@pytest.mark.parametrize("name,count", [("吉安", 2), ("朝阳区", 2), ("城区", 5), ("保护区", 0), ("代表区", 0), ("三区三州", 0)])
def test_gazetteer_lookup_gives_every_division(name, count):
    assert len(gz.lookup(name)) == count


@pytest.mark.parametrize("code,names", [
    ("150702", ["呼伦贝尔市", "内蒙古自治区"]), ("360881", ["吉安市", "江西省"]), ("451226", ["河池市", "广西壮族自治区"]),
    ("110101", ["北京市"]), ("650000", []), ("999999", []),
])
def test_gazetteer_ancestors(code, names):
    assert [d.name for d in gz.ancestors(code)] == names


@pytest.mark.parametrize("outer,inner,inside", [
    ("150000", "150702", True), ("150700", "150702", True), ("150702", "150700", False), ("650000", "150702", False),
    ("150702", "150702", False),
])
def test_gazetteer_containment(outer, inner, inside):
    assert gz.contains(outer, inner) is inside


def test_gazetteer_ranks_and_levels():
    assert {d.rank for d in gz.lookup("吉安")} == {"prefecture", "county"}
    assert gz.division("650000").rank == "province"
    levels = {gz.division(c).level for c in ("110000", "150700", "150702", "451226", "360881")}
    assert levels == {"省", "市", "区", "县"}


def test_gazetteer_data_has_every_province_and_says_its_licence():
    provinces = [n for n in ("北京市", "河北省", "内蒙古自治区", "广西壮族自治区", "重庆市", "新疆维吾尔自治区", "台湾省",
                             "香港特别行政区", "澳门特别行政区") if gz.full_name(n)]
    assert len(provinces) == 9
    head = gz.gazetteer_path().read_text(encoding="utf-8")[:2000]
    assert "MIT" in head and "cpca" in head
