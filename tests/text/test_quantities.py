"""Tests for kg.text.quantities and kg.text.units (made-up report sentences)."""

from decimal import Decimal

import pytest

from kg.text.quantities import find_quantities
from kg.text.units import BASE_UNITS, UNITS, longest_unit_at


def only(text):
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit", "base_value", "base_unit", "qualifier"),
    [
        ("全县发放扶贫小额信贷4.86亿元。", "4.86亿元", "4.86", "亿元", "486000000", "元", "exact"),
        ("共筹集资金3551.9万元,用于产业发展", "3551.9万元", "3551.9", "万元", "35519000", "元", "exact"),
        ("累计注入风险补偿金8200万元", "8200万元", "8200", "万元", "82000000", "元", "exact"),
        ("全镇培训贫困劳动力一千二百人", "一千二百人", "1200", "人", "1200", "人", "exact"),
        ("培训率达到百分之八十一", "百分之八十一", "81", "%", "81", "%", "exact"),
        ("因病致贫占45.97%;", "45.97%", "45.97", "%", "45.97", "%", "exact"),
        ("因病致贫占４５．９７％;", "４５．９７％", "45.97", "%", "45.97", "%", "exact"),
        ("贫困发生率下降到2.5‰", "2.5‰", "2.5", "‰", "2.5", "‰", "exact"),
        ("比上年下降1.2个百分点", "1.2个百分点", "1.2", "个百分点", "1.2", "百分点", "exact"),
        ("光伏电站共发电约890万度", "约890万度", "890", "万度", "8900000", "度", "approximate"),
        ("年发电量120万千瓦时", "120万千瓦时", "120", "万千瓦时", "1200000", "度", "exact"),
        ("新建光伏电站装机容量5兆瓦", "5兆瓦", "5", "兆瓦", "5000", "千瓦", "exact"),
        ("选派7000余名机关干部", "7000余名", "7000", "名", "7000", "人", "lower_bound"),
        ("共投入900多万元", "900多万元", "900", "万元", "9000000", "元", "lower_bound"),
        ("带动180多户贫困户", "180多户", "180", "户", "180", "户", "lower_bound"),
        ("种植核桃3万余亩", "3万余亩", "3", "万亩", "30000", "亩", "lower_bound"),
        ("户均增收1万元以上", "户均增收1万元以上", "1", "万元", "10000", "元", "lower_bound"),
        ("每个村有3个以上合作社", "3个以上", "3", "个", "3", "个", "lower_bound"),
        ("年分红不低于2000元", "不低于2000元", "2000", "元", "2000", "元", "lower_bound"),
        ("一般贫困村至少2个", "至少2个", "2", "个", "2", "个", "lower_bound"),
        ("帮扶超过10户的村", "超过10户", "10", "户", "10", "户", "lower_bound"),
        ("受益群众逾5000人", "逾5000人", "5000", "人", "5000", "人", "lower_bound"),
        ("贫困发生率降至2%以下", "2%以下", "2", "%", "2", "%", "upper_bound"),
        ("剩余贫困人口不到300人", "不到300人", "300", "人", "300", "人", "upper_bound"),
        ("服务半径不超过5公里", "不超过5公里", "5", "公里", "5", "公里", "upper_bound"),
        ("就近务工距离10公里以内", "10公里以内", "10", "公里", "10", "公里", "upper_bound"),
        ("带动受益贫困户约2800户", "约2800户", "2800", "户", "2800", "户", "approximate"),
        ("月收入2000元左右", "2000元左右", "2000", "元", "2000", "元", "approximate"),
        ("惠及将近600人", "将近600人", "600", "人", "600", "人", "approximate"),
        ("2019年计划再投入900万,建设车间", "900万", "900", "万", "9000000", "", "exact"),
        ("新增贷款1.2亿,", "1.2亿", "1.2", "亿", "120000000", "", "exact"),
        ("分3年租赁回购", "3年", "3", "年", "3", "年", "exact"),
        ("已连续两年发放分红", "两年", "2", "年", "2", "年", "exact"),
        ("建市30年间,面貌巨变", "30年", "30", "年", "30", "年", "exact"),
        ("务工时间达2个多月", "2个多月", "2", "个月", "2", "月", "lower_bound"),
        ("统一为25055名贫困人口购买保险", "25055名", "25055", "名", "25055", "人", "exact"),
        ("发放慰问金三十万元", "三十万元", "30", "万元", "300000", "元", "exact"),
        ("流转土地两万余亩", "两万余亩", "2", "万亩", "20000", "亩", "lower_bound"),
        ("种植连翘零点五亩", "零点五亩", "0.5", "亩", "0.5", "亩", "exact"),
        ("养殖生猪1,200头", "1,200头", "1200", "头", "1200", "头", "exact"),
        ("新修道路12.5公里", "12.5公里", "12.5", "公里", "12.5", "公里", "exact"),
        ("改造危房３５套", "３５套", "35", "套", "35", "套", "exact"),
    ],
)
def test_quantities_values(text, surface, value, unit, base_value, base_unit, qualifier):
    q = only(text)
    assert q.surface == surface
    assert text[q.start:q.end] == surface
    assert q.value == Decimal(value)
    assert q.unit == unit
    assert q.base_value == Decimal(base_value)
    assert q.base_unit == base_unit
    assert q.qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "unit", "base_high"),
    [
        ("每村帮扶企业3-4个", "3-4个", "3", "4", "个", "4"),
        ("每村帮扶企业3～4个", "3～4个", "3", "4", "个", "4"),
        ("每村帮扶企业3至4个", "3至4个", "3", "4", "个", "4"),
        ("每村选派三到四个工作人员", "三到四个", "3", "4", "个", "4"),
        ("补助标准5000—8000元", "5000—8000元", "5000", "8000", "元", "8000"),
        ("贷款额度5万-10万元", "5万-10万元", "5", "10", "万元", "100000"),
        ("增幅为3%-5%", "3%-5%", "3", "5", "%", "5"),
        ("每组安排两三个人", "两三个", "2", "3", "个", "3"),
    ],
)
def test_quantities_ranges(text, surface, low, high, unit, base_high):
    q = only(text)
    assert (q.surface, q.qualifier, q.unit) == (surface, "range", unit)
    assert q.value == Decimal(low)
    assert q.value_max == Decimal(high)
    assert q.base_value_max == Decimal(base_high)


@pytest.mark.parametrize(
    ("text", "surface", "per", "qualifier"),
    [
        ("务工人员每户每月2000元左右", "每户每月2000元左右", "户·月", "approximate"),
        ("按每个贫困村50万元的标准注资", "每个贫困村50万元", "贫困村", "exact"),
        ("让贫困户每年3000元以上收入", "每年3000元以上", "年", "lower_bound"),
        ("贫困户人均增收4500元以上", "人均增收4500元以上", "人", "lower_bound"),
        ("户均增收3000元", "户均增收3000元", "户", "exact"),
        ("护林员每人每天补助", None, None, None),
        ("每人每天100元", "每人每天100元", "人·天", "exact"),
        ("每户贫困户约1000元", "每户贫困户约1000元", "贫困户", "approximate"),
        ("补贴标准为5000元/人", "5000元/人", "人", "exact"),
        ("每户每月收入2000元左右", "每户每月收入2000元左右", "户·月", "approximate"),
        ("每户贫困户年分红不低于2400元", "每户贫困户年分红不低于2400元", "贫困户·年", "lower_bound"),
        ("每个村民小组2名", "每个村民小组2名", "村民小组", "exact"),
        ("每一个村1名", "每一个村1名", "村", "exact"),
        ("农村低保标准为每人每年3450元", "每人每年3450元", "人·年", "exact"),
        ("户年均增收2000元", "户年均增收2000元", "户·年", "exact"),
        ("每户贫困户出资1000元", "1000元", None, "exact"),  # a verb sits in between
        ("为每户发放1400元分红", "1400元", None, "exact"),
        ("人均收入增长8.5%", "8.5%", None, "exact"),  # percentages carry no per
    ],
)
def test_quantities_per(text, surface, per, qualifier):
    found = find_quantities(text)
    if surface is None:
        assert found == []
        return
    q = only(text)
    assert (q.surface, q.per, q.qualifier) == (surface, per, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "2014年",
        "2018年5月",
        "截至2017年底",
        "2014年至2016年",
        "2014、2015、2016各年度脱贫户",
        "汝脱贫组〔2017〕87号",
        "市政办[2016]12号",
        "开展“一对一”结对帮扶",
        "对照“两不愁、三保障”标准",
        "“六通四有”全覆盖",
        "“三位一体”大扶贫格局",
        "推行“一站式”结算",
        "作为第一位的民生工程",
        "采取“一进、二看、三算”的方法",
        "评选十大最具社会责任感企业家",
        "制定“十三五”规划",
        "实行一户一策",
        "发放一次性补助",
        "一期建设已完成",
        "上世纪80年代",
        "5月20日召开会议",
        "实现5G网络覆盖",
        "二〇一五年",
        "千家万户",
        "百企帮百村",
        "(1)加强组织领导",
        "1、加强组织领导",
    ],
)
def test_quantities_negatives(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("2017年底,共有未脱贫人口4557户13392人", ["4557户", "13392人"]),
        ("2015年减少贫困人口1949户7928人", ["1949户", "7928人"]),
        ("《通知》(汝政〔2018〕9号)要求新建15个车间", ["15个"]),
        ("55个贫困村已全部退出,其余8个", ["55个", "8个"]),
        ("2018年5月,全市9个合作社注册资金3551.9万元", ["9个", "3551.9万元"]),
        ("名单共列入12、15、18", ["12", "15", "18"]),
    ],
)
def test_quantities_sentences(text, surfaces):
    assert [q.surface for q in find_quantities(text)] == surfaces


def test_quantities_unitless_arabic_number():
    q = only("受益群众合计3780")
    assert (q.unit, q.base_unit, q.value) == ("", "", Decimal(3780))


@pytest.mark.parametrize(
    ("name", "slug", "base", "factor"),
    [
        ("个", "ge", "个", 1), ("户", "hu", "户", 1), ("名", "ming", "人", 1),
        ("人次", "ren-ci", "人次", 1), ("元", "yuan", "元", 1),
        ("万元", "wan-yuan", "元", 10**4), ("亿元", "yi-yuan", "元", 10**8),
        ("千元", "qian-yuan", "元", 1000), ("万", "wan", "", 10**4),
        ("%", "percent", "%", 1), ("‰", "permille", "‰", 1),
        ("万度", "wan-du", "度", 10**4), ("千瓦时", "qian-wa-shi", "度", 1),
        ("万亩", "wan-mu", "亩", 10**4), ("公顷", "gong-qing", "公顷", 1),
        ("万株", "wan-zhu", "株", 10**4), ("兆瓦", "zhao-wa", "千瓦", 1000),
        ("平方米", "ping-fang-mi", "平方米", 1), ("公里", "gong-li", "公里", 1),
    ],
)
def test_quantities_units_table(name, slug, base, factor):
    unit = UNITS[name]
    assert (unit.name, unit.slug, unit.base, unit.factor) == (name, slug, base, Decimal(factor))


def test_quantities_units_slugs_are_ascii_and_unique():
    slugs = [u.slug for u in UNITS.values()]
    assert len(slugs) == len(set(slugs))
    assert all(s.isascii() and s == s.lower() and " " not in s for s in slugs)
    assert {"人", "元", "度", "亩", "千瓦"} <= BASE_UNITS
    assert "" not in BASE_UNITS


def test_quantities_units_bases_resolve():
    for unit in UNITS.values():
        if unit.base:
            base = UNITS[unit.base]
            assert (base.base, base.factor) == (unit.base, Decimal(1))


def test_quantities_longest_unit_at():
    assert longest_unit_at("4.86亿元", 4).name == "亿元"
    assert longest_unit_at("30万千瓦时", 2).name == "万千瓦时"
    assert longest_unit_at("下降2个百分点", 3).name == "个百分点"
    assert longest_unit_at("贫困村", 0) is None
