"""Place names by administrative suffix, hierarchy and deictics (made-up report sentences)."""

from pathlib import Path

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


# ------------------------------------------------------------------ with the gazetteer

# phrases of real reports that the suffix rules alone read as places: a word before 县/区/镇 is
# no place name
@pytest.mark.parametrize("text,invented", [
    ("现在，我代表区人民政府向大会报告工作，请予审议，并请区政协委员提出意见。", {"代表区", "并请区"}),
    ("认真分析面临形势，结合区情实际，推进城乡结合区域治理", {"结合区"}),
    ("弄岗村地处弄岗国家级自然保护区外围，划定水源地二级保护区", {"保护区", "自然保护区", "二级保护区"}),
    ("对棚改区、平房区散煤散烧、禁燃区“散乱污”企业开展整治", {"棚改区", "平房区", "禁燃区", "改区"}),
    ("加快中心城区垃圾焚烧发电项目建设", {"城区", "中心城区", "快中心城区"}),
    ("持续加大产业扶贫力度，加快奋斗镇田园综合体建设", {"加快奋斗镇"}),
    ("江西革命老区井冈山，大力支持老区发展，几万老区群众", {"老区", "革命老区", "万老区", "力支持老区"}),
    ("情况汇报县里已经收到", {"情况汇报县"}),
    ("要继续聚焦“三区三州”等深度贫困地区", {"三区三州", "三州"}),
    ("宁静的小山村一下子沸腾了，村里搞起乡村旅游，村容村貌焕然一新", {"小山村", "村里搞起乡", "村容村"}),
    ("制订了爱鸟护鸟村规民约，建起了湿地保护小区", {"爱鸟护鸟村", "保护小区", "然保护小区"}),
    ("生态移民迁出区、生态移民区和移民安置县，在贫困岩溶山区", {"移民迁出区", "生态移民区", "移民安置县", "困岩溶山区", "山区"}),
    ("根据县、乡、村和农户的情况", {"根据县"}),
    ("麻山地区是全省最典型的深山区、石山区、高山区", {"麻山地区", "深山区", "石山区", "高山区"}),
    ("修复西山生态植被，践行绿水青山就是金山银山的理念", {"西山区", "金山区"}),
    ("把小块田整合成大田，在天山深处养殖三文鱼", {"大田县", "天山区"}),
])
def test_places_invented_by_suffix_rules_are_not_places(text, invented):
    names = {p.name for p in find_places(text)}
    assert not names & invented, names & invented


@pytest.mark.parametrize("text,expected", [
    ("2019年3月4日在呼伦贝尔市海拉尔区第十五届人民代表大会上", [("呼伦贝尔市", "市", "内蒙古自治区"), ("海拉尔区", "区", "呼伦贝尔市")]),
    ("农海忠是广西崇左市龙州县逐卜乡弄岗村村民", [("广西壮族自治区", "省", None), ("崇左市", "市", "广西壮族自治区"),
                                               ("龙州县", "县", "崇左市"), ("逐卜乡", "乡", "龙州县"), ("弄岗村", "村", "逐卜乡")]),
    ("经江西省政府批准，江西省井冈山市正式宣布脱贫", [("江西省", "省", None), ("江西省", "省", None), ("井冈山市", "市", "江西省")]),
    ("中国科学院广西环江县定点科技扶贫", [("广西壮族自治区", "省", None), ("环江毛南族自治县", "县", "广西壮族自治区")]),
    ("环江毛南族自治县思恩镇三乐村", [("环江毛南族自治县", "县", "河池市"), ("思恩镇", "镇", "环江毛南族自治县"),
                                    ("三乐村", "村", "思恩镇")]),
    ("新疆喀什地区莎车县的村民", [("新疆维吾尔自治区", "省", None), ("喀什地区", "市", "新疆维吾尔自治区"),
                                 ("莎车县", "县", "喀什地区")]),
    ("持续加大产业扶贫力度，加快奋斗镇田园综合体建设", [("奋斗镇", "镇", None)]),
    ("2015年底弄岗村贫困发生率高达", [("弄岗村", "村", None)]),
    ("邻村逐卜村村民发现", [("逐卜村", "村", None)]),
    ("在下南乡下塘村建立示范基地，在川山镇下荣村种草", [("下南乡", "乡", None), ("下塘村", "村", "下南乡"),
                                                   ("川山镇", "镇", None), ("下荣村", "村", "川山镇")]),
    ("河池市：环江川山镇葡萄产业", [("河池市", "市", "广西壮族自治区"), ("环江毛南族自治县", "县", "河池市"),
                               ("川山镇", "镇", "环江毛南族自治县")]),
    ("2016年，城关镇减少贫困人口300户，大峪镇西范庄村", [("城关镇", "镇", None), ("大峪镇", "镇", None),
                                                   ("西范庄村", "村", "大峪镇")]),
    ("平安县位于山区，安平市和白水区", [("平安县", "县", None), ("安平市", "市", None), ("白水区", "区", None)]),
    ("湖南省桃源县", [("湖南省", "省", None), ("桃源县", "县", "湖南省")]),
])
def test_places_real_names_with_the_gazetteer_level_and_parent(text, expected):
    assert [(p.name, p.level, p.parent) for p in find_places(text)] == expected


@pytest.mark.parametrize("text,surface,name", [
    ("井冈山：率先脱贫 老区迈向新起点，江西省井冈山市", "井冈山", "井冈山市"),
    ("新疆：精准施策 奋力推进脱贫攻坚", "新疆", "新疆维吾尔自治区"),
    ("内蒙古的牧区", "内蒙古", "内蒙古自治区"),
    ("广西河池市环江的毛南族", "环江", "环江毛南族自治县"),
    ("海拉尔区委的工作，海拉尔经济", "海拉尔", "海拉尔区"),
])
def test_places_short_forms_written_alone(text, surface, name):
    found = [(text[p.start:p.end], p.name) for p in find_places(text)]
    assert (surface, name) in found


@pytest.mark.parametrize("text", [
    "示范区从玉环、波川扩大到全县",          # 玉环 is 玉环县 far away: the text names nothing of it
    "天山深处的养殖基地", "吉安的干部",          # 天山区 unconfirmed; 吉安 is 吉安市 and 吉安县
    "世外桃源般的石门景区",                   # 桃源, 石门: common words
])
def test_places_short_forms_need_one_confirmed_division(text):
    assert [p.name for p in find_places(text) if p.level in ("省", "市", "县", "区")] == []


DEV = Path(__file__).resolve().parents[1] / "dev" / "docs"


# 16_nonggang is a village's story: 弄岗村 is named 11 times, 龙州县 twice, and the text puts the
# village in that county (广西崇左市龙州县逐卜乡弄岗村). Its facts with no place of their own
# (全村共有观鸟向导近30人, 开设了农家客栈15家) are the village's, so the report's place is 弄岗村:
# a town or village named at least twice as much as the most salient 省/市/县/区 and within it.
@pytest.mark.parametrize("doc,place,level", [
    ("11_jinggangshan", "井冈山市", "市"),
    ("13_xinjiang", "新疆维吾尔自治区", "省"),
    ("16_nonggang", "弄岗村", "村"),
    ("18_huanjiang", "环江毛南族自治县", "县"),
    ("19_hailar_gzbg", "海拉尔区", "区"),      # named after 呼伦贝尔市, which holds it
])
def test_places_infer_place_of_the_dev_reports(doc, place, level):
    from kg.corpus import read_report
    from kg.extract import infer_place
    ref = infer_place(read_report(DEV / f"{doc}.txt"))
    assert (ref.name, ref.level) == (place, level)


@pytest.mark.parametrize("meta,name,level", [
    ("环江县", "环江毛南族自治县", "县"), ("新疆", "新疆维吾尔自治区", "省"), ("汝州市", "汝州市", "市"),
    ("平安县", "平安县", "县"), ("贵州省长顺县", "贵州省长顺县", "县"), ("和田地区", "和田地区", "市"),
])
def test_places_a_metadata_place_wins_by_its_official_name(meta, name, level):
    from kg.corpus import Report
    from kg.extract import infer_place
    ref = infer_place(Report(doc="d", text="呼伦贝尔市海拉尔区", place=meta))
    assert (ref.name, ref.level) == (name, level)


def test_places_infer_place_of_a_village_story_needs_its_county_named_less():
    from kg.corpus import Report
    from kg.extract import infer_place
    story = "广西崇左市龙州县逐卜乡弄岗村。弄岗村的民宿。弄岗村的鸟。弄岗村的向导。弄岗村"
    assert infer_place(Report(doc="d", text=story)).name == "弄岗村"
    county = "龙州县工作总结。龙州县逐卜乡弄岗村。龙州县的产业。龙州县"
    assert infer_place(Report(doc="d", text=county)).name == "龙州县"


def test_places_infer_place_prefers_the_place_within():
    from kg.corpus import Report
    from kg.extract import infer_place
    text = "呼伦贝尔市海拉尔区人民政府工作报告。呼伦贝尔市海拉尔区奋斗镇。全区……海拉尔区"
    assert infer_place(Report(doc="d", text=text)).name == "海拉尔区"
    two = "河池市工作报告。河池市的环江县、都安县。河池市"          # two counties: the 市's report
    assert infer_place(Report(doc="d", text=two)).name == "河池市"


def test_places_of_the_opening_are_not_cut_at_its_end():
    """A report's opening counts twice more; a name across its last character counts whole
    (环江毛南族自治县, not a place cut from 环江毛南族自)."""
    from kg.corpus import Report
    from kg.extract import LEAD_CHARS, infer_place
    text = "某" * (LEAD_CHARS - 4) + "环江毛南族自治县的工作。" + "瑞金市。" * 2
    assert infer_place(Report(doc="d", text=text)).name == "瑞金市"       # 2 against 1: across the end
    text = "某" * (LEAD_CHARS - 9) + "环江毛南族自治县的工作。" + "瑞金市。" * 2
    assert infer_place(Report(doc="d", text=text)).name == "环江毛南族自治县"   # 2 against 2 + 1: within
