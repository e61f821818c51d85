"""Synthetic poverty-alleviation reports, with the facts planted in them.

The reports imitate real county reports (see ``corpus/`` and ``/work/shared/corpus-extra/``):
a title, a byline, headings (``## 压实责任:…`` or ``一、基本情况``), narrative paragraphs and
fact paragraphs written in the sentence shapes those reports use:

- several facts in one sentence: ``我县共有贫困村63个,2014年退出贫困村8个,2015年…``;
- year-end stocks: ``截至2017年底,共有未脱贫贫困人口4557户13392人``;
- breakdowns summing to 100: ``其中因病致贫占45.97%;因残致贫占16.02%;…``;
- money in 万元 / 亿元, approximations 约 / 余 / 多 / 以上, bare scale words (``0.6万贫困人口``);
- targets: ``确保2020年实现建成50个产业扶贫基地``, ``2019年,全县计划实现…``;
- village facts: ``比如,寄料镇桑坪村通过土地流转种植花椒1500余亩``;
- policy titles ``《…》`` with document numbers, enumerations ``连翘、艾草、核桃等特色种植业``,
  slogans with numerals (两不愁三保障, 一对一) that are not facts.

Places are made up from syllable lists (青川县, 桃坪镇, 柳沟村 …), with a share of the common
real names a rule-based reader finds hard (城关镇, 三河镇, 和平村 …). Years run 2013–2020.
Indicator words are labels of ``ontology/indicators.ttl`` and ``ontology/dimensions.ttl``.

Every statistic written is also returned as a :class:`Planted` fact, following the annotation
rules of ``tests/gold/README.md`` (period labels ``2017``, ``2017-YE``, ``2018-05``, ``2014/2017``,
``2017/``; values and units as written; the most specific named place). Output is a pure
function of ``(n, seed)``, and report ``i`` is the same whatever ``n``.

    python bench/synth.py OUT_DIR -n 1000 --seed 0 [--truth truth.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

__all__ = ["Planted", "generate", "generate_with_truth", "write_corpus", "main"]

MIN_BYTES, MAX_BYTES = 3000, 8000


class Planted(NamedTuple):
    """A fact written into a synthetic report. The first five fields are the fact's key."""
    indicator: str      # indicator slug (ontology/indicators.ttl)
    place: str          # the place the fact is about, as written (青川县, 柳沟村)
    period: str         # period label: 2017, 2017-YE, 2018-05, 2014/2017, 2017/
    value: str          # number as written ("4.86")
    unit: str           # unit as written ("亿元", "名", "%", "万")
    breakdown: str = ""  # breakdown slug (dimensions.ttl) or ""
    kind: str = "actual"  # actual | target
    shape: str = ""     # which sentence template wrote it (for diagnostics)


# ----------------------------------------------------------------------------- names

COUNTY_A = list("青安永兴丰宁云临龙石白黄桃柳松梅凤金清泉溪岚峰川江湘沅华明德崇昌泰康乐福寿顺嘉庆绥靖武文宜广定鹤鹿桑柏枣杏槐榆双红紫碧苍孟洛伊汾渭泾沁漳淮汉郧房竹巫秭岷岱")
COUNTY_B = list("山川江河阳安宁水源泉溪林丰平昌远城川谷陵原丘岭峰台湖滨西东南北")
TOWN_A = list("桃李杏梅柳松柏槐榆枣桑竹茶麻花青红白黄金银石龙凤马牛羊鹿鹤燕雷孟高陈刘张杨赵东西南北前后上大小老新双")
TOWN_B = list("口坪河桥沟集店铺岭坝湾塘庙营寨岗峪川溪关头滩坡")
VILLAGE_A = TOWN_A + list("王李郭何罗宋谢韩唐冯邓曹彭曾田胡")
VILLAGE_B = list("坪沟湾岭庄坡河峪营寨塘坝岗堡洼店桥铺林田冲溪台院湖泉垭坎")
# common real names with characters a rule-based place finder may stop at (numerals, 城, 和 …)
REAL_TOWNS = ["城关镇", "三河镇", "万安镇", "和平乡", "新城镇", "十里铺镇", "中和镇", "太平镇", "五里乡", "平安镇"]
REAL_VILLAGES = ["和平村", "建新村", "下湾村", "五星村", "三合村", "新农村", "十里村", "团结村", "光明村", "红旗村"]
REAL_SHARE = 0.15
COUNTY_LEVELS = [("县", 6), ("市", 2), ("区", 1)]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
GIVEN = list("建国红军德明秀英海涛志强桂兰玉梅文华春生金山国庆小平永福")

FRUITS = ["核桃", "花椒", "苹果", "猕猴桃", "板栗", "柑橘", "脐橙", "刺梨", "油茶", "李子", "枇杷", "樱桃"]
HERBS = ["连翘", "艾草", "金银花", "黄芩", "丹参", "天麻", "党参", "决明子", "白术", "柴胡"]
VEG = ["辣椒", "香菇", "木耳", "食用菌", "莲藕", "山药", "生姜"]
ANIMALS = [("生猪", "头"), ("肉牛", "头"), ("山羊", "只"), ("蛋鸡", "只"), ("肉兔", "只")]

CAUSES = [  # (breakdown slug, labels to write it with)
    ("illness", ["因病致贫"]), ("disability", ["因残致贫"]),
    ("lack-of-labour", ["缺劳动力致贫", "缺劳力致贫"]), ("lack-of-skills", ["缺技术致贫"]),
    ("lack-of-funds", ["缺资金致贫"]), ("schooling", ["因学致贫"]), ("disaster", ["因灾致贫"]),
    ("lack-of-land", ["缺土地致贫"]), ("lack-of-water", ["缺水致贫"]),
    ("poor-transport", ["交通条件落后"]), ("lack-of-motivation", ["自身发展动力不足"]),
]
OTHER_CAUSE = ("other-cause", ["其他原因致贫"])

FACILITIES = [  # ruzhou: 55个贫困村全部实现通村公路硬化、通客车、…
    ("villages-paved-road", "通村公路硬化"), ("villages-with-buses", "通客车"),
    ("villages-safe-water", "完成安全饮水工程"), ("villages-electricity", "通电入户"),
    ("villages-broadcast", "广播全覆盖"), ("villages-broadband", "宽带全覆盖"),
]
POSTS = ["护林员", "保洁员", "安全巡逻员", "水管员", "河道管护员", "农村公路养护员", "村级信息员"]
DEPTS = ["民政", "教育", "卫生", "人社", "住建", "交通", "水利", "农业", "林业", "财政"]

FULL = {"c": "，", "s": "；", "k": "：", "l": "（", "r": "）"}
HALF = {"c": ",", "s": ";", "k": ":", "l": "(", "r": ")"}


def num(d) -> str:
    """A number as a report writes it: no exponent, no trailing zeros."""
    d = Decimal(str(d))
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


class _Doc:
    """One report under construction: its places, year, punctuation style and planted facts."""

    def __init__(self, rng: random.Random, county: str, year: int):
        self.rng = rng
        self.county = county
        self.level = county[-1]
        self.we = "我" + self.level
        self.whole = "全" + self.level
        self.year = year
        self.p = dict(FULL if rng.random() < 0.5 else HALF)
        self.facts: list[Planted] = []
        self.told: set[int] = set()         # narrative sentences already used
        self.n_villages = rng.randint(25, 130)   # poor villages of the county
        self.towns: list[tuple[str, list[str]]] = []
        used: set[str] = {county}
        for _ in range(rng.randint(3, 5)):
            town = self._name(TOWN_A, TOWN_B, rng.choice(["镇", "镇", "乡"]), REAL_TOWNS, used)
            villages = [self._name(VILLAGE_A, VILLAGE_B, "村", REAL_VILLAGES, used) for _ in range(rng.randint(2, 4))]
            self.towns.append((town, villages))

    def _name(self, first, second, suffix, real, used) -> str:
        rng = self.rng
        for _ in range(50):
            if rng.random() < REAL_SHARE:
                name = rng.choice(real)
            else:
                stem = rng.choice(first) + (rng.choice(first) if rng.random() < 0.15 else "") + rng.choice(second)
                name = stem + suffix
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError("name pool exhausted")

    # facts
    def fact(self, indicator, value, unit, period, *, place=None, breakdown="", kind="actual", shape="") -> str:
        """Record a planted fact; return the number as written."""
        v = num(value)
        self.facts.append(Planted(indicator, place or self.county, str(period), v, unit, breakdown, kind, shape))
        return v

    def village(self) -> tuple[str, str]:
        town, villages = self.rng.choice(self.towns)
        return town, self.rng.choice(villages)

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice([1, 2])))

    def past_year(self, lo=2014) -> int:
        return self.rng.randint(max(lo, self.year - 3), self.year)


# ----------------------------------------------------------------------------- number helpers

def pct(rng, lo, hi, places=2) -> Decimal:
    return Decimal(str(round(rng.uniform(lo, hi), places)))


def wan_yuan(rng, lo, hi) -> Decimal:
    """An amount in 万元, written with 0–2 decimals."""
    v = rng.uniform(lo, hi)
    return Decimal(str(round(v, rng.choice([0, 0, 1, 2]))))


def yi_yuan(rng, lo, hi) -> Decimal:
    return Decimal(str(round(rng.uniform(lo, hi), 2)))


def shares_to_100(rng, k: int) -> list[Decimal]:
    """k shares in hundredths of a percent, decreasing-ish, summing to exactly 100.00."""
    w = sorted((rng.uniform(0.2, 1.0) ** 2 for _ in range(k)), reverse=True)
    w[0] *= rng.uniform(1.5, 2.5)
    total = sum(w)
    cents = [max(50, int(x / total * 10000)) for x in w]
    cents[0] += 10000 - sum(cents)
    return [Decimal(c) / 100 for c in cents]


# ----------------------------------------------------------------------------- fact paragraphs
# Each returns text; facts are recorded on ``d`` as they are written.

def para_villages(d: _Doc) -> str:
    rng, p = d.rng, d.p
    c, s, k = p["c"], p["s"], p["k"]
    yend = d.year - 1
    provincial = rng.random() < 0.5
    n = d.n_villages
    years = list(range(2014, yend + 1))[-rng.randint(2, 4):]
    exits = [rng.randint(2, max(3, n // 8)) for _ in years]
    remaining = n - sum(exits)
    deep = rng.randint(1, max(1, remaining * 2 // 3))
    if provincial:
        head = f"{d.we}共有省定贫困村{d.fact('provincial-poor-villages', n, '个', d.year, shape='stock-villages')}个"
    elif rng.random() < 0.5:
        head = f"{d.we}共有贫困村{d.fact('poor-villages', n, '个', d.year, shape='stock-villages')}个"
    else:
        head = f"{d.we}有建档立卡贫困村{d.fact('poor-villages', n, '个', d.year, shape='stock-villages')}个"
    parts = [head]
    form = rng.randrange(3)
    for y, a in zip(years, exits):
        v = d.fact("exited-poor-villages", a, "个", y, shape="yearly-exits")
        parts.append([f"{y}年退出贫困村{v}个", f"{y}年{v}个贫困村出列", f"{y}年贫困村退出{v}个"][form])
    opener = rng.choice([f"截至{yend}年底", f"到{yend}年底", f"{yend}年底"])
    lbl = rng.choice(["省定未退出贫困村" if provincial else "未退出贫困村", "未出列贫困村"])
    parts.append(f"{opener}{c}共有{lbl}{d.fact('remaining-poor-villages', remaining, '个', f'{yend}-YE', shape='stock-villages-ye')}个")
    deep_lbl = "省定深度贫困村" if provincial else "深度贫困村"
    tail = f"其中{k}{deep_lbl}{d.fact('deep-poor-villages', deep, '个', f'{yend}-YE', shape='stock-villages-ye')}个"
    return c.join(parts) + c + tail + "。"


def para_population(d: _Doc) -> str:
    rng, p = d.rng, d.p
    c, s = p["c"], p["s"]
    yend = d.year - 1
    period = f"{yend}-YE"
    opener = rng.choice([f"截至{yend}年底", f"{yend}年底", f"到{yend}年底"])
    if rng.random() < 0.2:   # changshun: 现有贫困人口1.24万户4.09万人
        h = Decimal(rng.randint(50, 400)) / 100
        per = Decimal(str(round(float(h) * rng.uniform(3.0, 3.6), 2)))
        stock = (f"{d.we}现有贫困人口{d.fact('remaining-poor-population', h, '万户', period, shape='stock-population-wan')}万户"
                 f"{d.fact('remaining-poor-population', per, '万人', period, shape='stock-population-wan')}万人")
    else:
        h = rng.randint(1200, 16000)
        persons = int(h * rng.uniform(2.6, 3.6))
        lbl = rng.choice(["共有未脱贫贫困人口", "尚有贫困人口", "共有剩余贫困人口"])
        stock = (f"{d.we}{lbl}{d.fact('remaining-poor-population', h, '户', period, shape='stock-population')}户"
                 f"{d.fact('remaining-poor-population', persons, '人', period, shape='stock-population')}人")
    causes = rng.sample(CAUSES[2:], rng.randint(2, 5))
    causes = CAUSES[:2] + causes
    rng.shuffle(causes)
    causes.sort(key=lambda x: x[0] != "illness")   # illness first, as reports do
    if rng.random() < 0.6:
        causes.append(OTHER_CAUSE)
    shares = shares_to_100(rng, len(causes))
    items = []
    for (slug, labels), share in zip(causes, shares):
        v = d.fact("poverty-cause-share", share, "%", period, breakdown=slug, shape="cause-breakdown")
        zhan = "" if rng.random() < 0.15 else "占"
        items.append(f"{rng.choice(labels)}{zhan}{v}%")
    sep = s if rng.random() < 0.7 else "、"
    breakdown = "其中" + sep.join(items)
    r = pct(d.rng, 0.8, 12)
    form = rng.randrange(3)
    zh0, p0 = rng.choice([("2013年底", "2013-YE"), ("2014年", "2014")])   # the baseline of 精准扶贫
    if form == 0:
        inc = f"{d.whole}贫困发生率下降为{d.fact('poverty-incidence', r, '%', period, shape='incidence')}%"
    elif form == 1:   # 由2014年的12.5%下降到2017年底的1.31%
        r0 = pct(d.rng, 12, 30, 1)
        inc = (f"{d.whole}贫困发生率由{zh0}的{d.fact('poverty-incidence', r0, '%', p0, shape='incidence-from-to')}%"
               f"下降到{yend}年底的{d.fact('poverty-incidence', r, '%', period, shape='incidence-from-to')}%")
    else:             # 由…下降到… with the end point dated by the sentence's opener only
        r0 = pct(d.rng, 12, 30, 1)
        inc = (f"{d.whole}贫困发生率由{zh0}的{d.fact('poverty-incidence', r0, '%', p0, shape='incidence-from-to')}%"
               f"下降到{d.fact('poverty-incidence', r, '%', period, shape='incidence-from-to-implicit')}%")
    out = f"{opener}{c}{stock}{c}{breakdown}{c}{inc}。"
    if rng.random() < 0.5:
        h0 = rng.randint(5000, 30000)
        p0 = int(h0 * rng.uniform(2.8, 3.5))
        out = (f"2014年{c}{d.we}精准识别建档立卡贫困人口{d.fact('registered-poor-population', h0, '户', 2014, shape='registered')}户"
               f"{d.fact('registered-poor-population', p0, '人', 2014, shape='registered')}人。") + out
    return out


def para_reduction(d: _Doc) -> tuple[str, str]:
    """Yearly reductions and a headline total (a heading) equal to their sum: a span."""
    rng, p = d.rng, d.p
    c, s = p["c"], p["s"]
    yend = d.year - 1
    years = list(range(2014, yend + 1))[-rng.randint(2, 4):]
    verb = rng.choice(["减少贫困人口", "实现脱贫", "脱贫"])
    parts, tot_h, tot_p = [], 0, 0
    for y in years:
        h = rng.randint(600, 4000)
        n = int(h * rng.uniform(2.8, 4.2))
        tot_h, tot_p = tot_h + h, tot_p + n
        parts.append(f"{y}年{verb}{d.fact('poverty-reduction', h, '户', y, shape='yearly-reduction')}户"
                     f"{d.fact('poverty-reduction', n, '人', y, shape='yearly-reduction')}人")
    span = f"{years[0]}/{years[-1]}"
    heading = rng.choice(["成就辉煌", "成效显著", "攻坚成果"]) + p["k"] + \
        f"减少贫困人口{d.fact('poverty-reduction', tot_p, '人', span, shape='headline-span-total')}人"
    lead = rng.choice(["按照“三步走”的脱贫攻坚行动计划", "脱贫攻坚战打响以来", "近年来"])
    return heading, f"{lead}{c}" + s.join(parts) + "。"


def para_finance(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    fund = rng.randint(8, 120) * 100
    loans = yi_yuan(rng, 0.8, 9.5)
    out = (f"在金融扶贫方面{c}{d.we}累计注入风险补偿金{d.fact('risk-compensation-fund', fund, '万元', d.year, shape='finance')}万元"
           f"{c}发放扶贫小额信贷{d.fact('microcredit-loans', loans, '亿元', d.year, shape='finance')}亿元")
    if rng.random() < 0.6:
        out += f"{c}支持获贷贫困户{d.fact('microcredit-households', rng.randint(800, 12000), '户', d.year, shape='finance')}户"
    rate = rng.choice([100, rng.randint(45, 98)])
    out += f"{c}户贷率达到{d.fact('microcredit-coverage-rate', rate, '%', d.year, shape='finance')}%。"
    if rng.random() < 0.7:
        div = rng.choice([1200, 1500, 2000, 2400, 3000])
        out += (f"目前{c}已实现贫困户全覆盖{c}每户贫困户年分红"
                f"{d.fact('dividends', div, '元', d.year, breakdown='microfinance', shape='topic-dividend')}元。")
    return out


def para_pv(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y = d.past_year(2016)
    n = rng.randint(10, 90)
    out = f"在光伏扶贫方面{c}{y}年建成的{d.fact('pv-stations', n, '个', y, shape='pv')}个村级光伏电站已经全部并网发电"
    if rng.random() < 0.5:
        cap = n * rng.choice([60, 100, 200, 300])
        out += f"{c}总装机容量{d.fact('pv-capacity', cap, '千瓦', y, shape='pv')}千瓦"
    gen = rng.randint(120, 2500)
    rev = wan_yuan(rng, 60, 1200)
    out += (f"{c}共发电约{d.fact('pv-generation', gen, '万度', y, shape='pv')}万度"
            f"{c}实现电费收入{d.fact('pv-revenue', rev, '万元', y, shape='pv')}万元")
    if rng.random() < 0.7:
        out += f"{c}让贫困户每年获得{d.fact('household-income-gain', rng.choice([1000, 2000, 3000]), '元', y, shape='pv')}元以上收入"
    return out + "。"


def para_crops(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    fruits = rng.sample(FRUITS, 3)
    herbs = rng.sample(HERBS, 3)
    enum = "、".join(rng.sample(fruits[:2] + herbs[:2], 4))
    out = f"以龙头企业、家庭农场等新型农业经营主体为载体{c}积极培育{enum}等特色种植业。"
    area = rng.randint(2, 15)
    hh = rng.randint(8, 60) * 100
    area2 = rng.randint(8, 60) * 100
    hh2 = rng.randint(10, 90) * 10
    out += (f"目前{c}{d.whole}种植{fruits[0]}、{fruits[1]}等林果规模达"
            f"{d.fact('planting-area', area, '万亩', d.year, breakdown='fruit-trees', shape='category-area')}万余亩"
            f"{c}带动受益贫困户约{d.fact('beneficiary-households', hh, '户', d.year, breakdown='fruit-trees-households', shape='category-area')}户"
            f"{c}种植{herbs[0]}、{herbs[1]}、{herbs[2]}等中药材"
            f"{d.fact('planting-area', area2, '亩', d.year, breakdown='herbal-medicine', shape='category-area')}余亩"
            f"{c}带动受益贫困户约{d.fact('beneficiary-households', hh2, '户', d.year, breakdown='herbal-medicine-households', shape='category-area')}户。")
    return out


def para_village(d: _Doc) -> str:
    """A named village's project: the facts are the village's."""
    rng, c = d.rng, d.p["c"]
    town, vil = d.village()
    crop = rng.choice(FRUITS + HERBS + VEG)
    area = rng.randint(3, 40) * 50
    hh = rng.randint(3, 30) * 10
    form = rng.randrange(3)
    if form == 0:   # ruzhou
        gain = rng.choice([("1", "万元"), ("8000", "元"), ("5000", "元"), ("3000", "元")])
        return (f"比如{c}{town}{vil}通过土地流转种植{crop}{d.fact('planting-area', area, '亩', d.year, place=vil, shape='village-fact')}余亩"
                f"{c}带动{d.fact('beneficiary-households', hh, '户', d.year, place=vil, shape='village-fact')}多户贫困户年均增收"
                f"{d.fact('household-income-gain', gain[0], gain[1], d.year, place=vil, shape='village-fact')}{gain[1]}以上。")
    if form == 1:
        return (f"{town}{vil}流转土地{d.fact('land-transfer-area', area, '亩', d.year, place=vil, shape='village-fact')}亩"
                f"{c}发展{crop}种植{c}吸纳{d.fact('poor-employed', hh // 10 + 8, '名', d.year, place=vil, shape='village-fact')}名贫困群众就近务工。")
    y = d.past_year(2016)
    return (f"{y}年{c}{town}建成{crop}种植基地{d.fact('industry-bases', rng.randint(2, 9), '个', y, place=town, shape='town-fact')}个"
            f"{c}带动{d.fact('beneficiary-households', hh, '户', y, place=town, shape='town-fact')}户贫困户增收。")


def para_workshops(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y = d.past_year(2016)
    inv = rng.randint(3, 30) * 100
    towns = rng.randint(3, 12)
    shops = towns + rng.randint(0, 8)
    return (f"在特色加工业方面{c}成立特色加工产业扶贫指挥部{c}{y}年投入"
            f"{d.fact('workshop-investment', inv, '万元', y, shape='workshops')}多万元{c}在{d.whole}"
            f"{d.fact('workshop-townships', towns, '个', y, shape='workshops')}个乡镇建成"
            f"{d.fact('poverty-workshops', shops, '个', y, shape='workshops')}个扶贫车间{c}带动"
            f"{d.fact('poor-employed', rng.randint(5, 60) * 10, '名', y, shape='workshops')}余名贫困群众务工。")


def para_coops(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y = d.past_year(2016)
    m = rng.randint(3, 11)
    label = f"{y}-{m:02d}"
    n = rng.randint(5, 40)
    out = (f"{y}年{m}月{c}{d.whole}{d.fact('poverty-cooperatives', n, '个', label, shape='coops-month')}个扶贫合作社全部注册到位"
           f"{c}注册资金{d.fact('registered-capital', wan_yuan(rng, 300, 6000), '万元', label, shape='coops-month')}万元。")
    if rng.random() < 0.5:
        a, sp = rng.choice(ANIMALS)
        out += (f"{d.whole}{a}存栏{d.fact('livestock', Decimal(rng.randint(5, 150)) / 10, '万' + sp, d.year, shape='livestock')}万{sp}"
                f"{c}产业扶贫资金投入{d.fact('industry-funds', wan_yuan(rng, 500, 9000), '万元', d.year, shape='livestock')}万元。")
    return out


def para_employment(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y0 = d.past_year(2016)
    posts = "、".join(rng.sample(POSTS, 3))
    out = (f"{y0}年以来{c}围绕建档立卡贫困户{c}开发出{posts}等公益性岗位"
           f"{d.fact('public-welfare-posts', rng.randint(300, 5000), '个', f'{y0}/', shape='since')}个{c}稳定增加群众收入。")
    y = d.past_year(2015)
    out += (f"{y}年{c}{d.whole}实现贫困劳动力转移就业{d.fact('transfer-employment', rng.randint(2000, 40000), '人', y, shape='employment')}人"
            f"{c}培训贫困劳动力{d.fact('skills-training', rng.randint(500, 9000), '人次', y, shape='employment')}人次"
            f"{c}建档立卡贫困劳动力培训率达到{d.fact('training-rate', rng.randint(60, 99), '%', y, shape='employment')}%")
    if rng.random() < 0.6:
        out += (f"{c}组织开展专场招聘会{d.fact('job-fairs', rng.randint(4, 40), '场', y, shape='employment')}场"
                f"{c}提供就业岗位{d.fact('jobs-offered', rng.randint(800, 9000), '个', y, shape='employment')}个")
    return out + "。"


def para_cadres(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y = d.past_year(2015)
    depts = "、".join(rng.sample(DEPTS, 3))
    yt = y
    abbr = d.county[:1]
    out = (f"{y}年{c}{d.we}印发《{d.county}{yt}年脱贫攻坚工作要点》{d.p['l']}{abbr}脱贫组〔{y}〕{rng.randint(5, 120)}号{d.p['r']}"
           f"{c}抽调{depts}等{d.fact('participating-departments', rng.randint(12, 45), '个', y, shape='after-title')}个部门"
           f"{c}组建成立{d.fact('special-command-posts', rng.randint(5, 15), '个', y, shape='after-title')}个专项指挥部。")
    y2 = d.past_year(2015)
    out += (f"{y2}年选派{d.fact('first-secretaries', rng.randint(20, 150), '名', y2, shape='cadres')}名第一书记和"
            f"{d.fact('resident-cadres', rng.randint(100, 900), '名', y2, shape='cadres')}名驻村干部{c}"
            f"组建{d.fact('resident-work-teams', d.n_villages + rng.randint(0, 20), '个', y2, shape='cadres')}个驻村工作队{c}实现贫困村全覆盖。")
    return out


def para_health(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y = d.past_year(2016)
    out = (f"{y}年{c}{d.whole}投入{d.fact('accident-insurance-funds', wan_yuan(rng, 20, 400), '万元', y, shape='health')}万元"
           f"为{d.fact('accident-insurance-insured', rng.randint(5000, 60000), '名', y, shape='health')}名贫困人口购买人身意外伤害保险"
           f"{c}医疗救助贫困患者{d.fact('medical-assistance-cases', rng.randint(800, 20000), '人次', y, shape='health')}人次"
           f"{c}发放医疗救助资金{d.fact('medical-assistance-funds', wan_yuan(rng, 50, 3000), '万元', y, shape='health')}万元。")
    if rng.random() < 0.6:
        out += (f"贫困人口住院费用实际报销比例达到{d.fact('medical-reimbursement-rate', rng.randint(85, 92), '%', d.year, shape='health-rate')}%"
                f"{c}家庭医生签约率达到{d.fact('family-doctor-contract-rate', rng.choice([100, rng.randint(80, 99)]), '%', d.year, shape='health-rate')}%。")
    return out


def para_education(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y = d.past_year(2015)
    out = (f"{y}年{c}累计资助贫困家庭学生{d.fact('education-aid-students', rng.randint(2000, 40000), '人次', y, shape='education')}人次"
           f"{c}发放资助资金{d.fact('education-aid-funds', wan_yuan(rng, 200, 5000), '万元', y, shape='education')}万元。")
    if rng.random() < 0.6:   # 雨露计划 is a programme's name, not a plan
        out += (f"落实雨露计划补助{d.fact('education-aid-funds', wan_yuan(rng, 30, 600), '万元', d.year, shape='yulu-plan')}万元"
                f"{c}惠及{d.fact('yulu-plan-beneficiaries', rng.randint(200, 4000), '名', d.year, shape='yulu-plan')}名贫困家庭学生。")
    return out


def para_housing(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    h = rng.randint(500, 6000)
    persons = int(h * rng.uniform(3.2, 4.2))
    if d.year == 2020 and rng.random() < 0.6:
        lead, period = "“十三五”期间", "2016/2020"
    else:
        y = d.past_year(2016)
        lead, period = f"{y}年", str(y)
    out = (f"{lead}{c}{d.whole}共实施易地扶贫搬迁{d.fact('relocation-population', h, '户', period, shape='relocation')}户"
           f"{d.fact('relocation-population', persons, '人', period, shape='relocation')}人"
           f"{c}建成集中安置点{d.fact('relocation-sites', rng.randint(3, 30), '个', period, shape='relocation')}个"
           f"{c}安置住房{d.fact('resettlement-housing', h + rng.randint(0, 200), '套', period, shape='relocation')}套。")
    y2 = d.past_year(2015)
    out += f"{y2}年{c}完成农村危房改造{d.fact('dilapidated-house-renovation', rng.randint(300, 5000), '户', y2, shape='housing')}户。"
    return out


def para_infrastructure(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    n = rng.randint(d.n_villages // 2, d.n_villages)
    chosen = sorted(rng.sample(range(len(FACILITIES)), rng.randint(3, 6)))
    names = []
    for i in chosen:
        slug, label = FACILITIES[i]
        d.fact(slug, n, "个", d.year, shape="count-over-enumeration")
        names.append(label)
    out = f"目前{c}{n}个贫困村全部实现" + "、".join(names) + "。"
    y = d.past_year(2016)
    km = Decimal(str(round(rng.uniform(40, 900), rng.choice([0, 1, 2]))))
    out += (f"{y}年{c}实施通组公路硬化{d.fact('rural-road-length', km, '公里', y, shape='roads')}公里"
            f"{c}实现{d.fact('village-groups-paved-road', rng.randint(30, 400), '个', y, shape='roads')}个村民组通硬化路。")
    return out


def para_social(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y = d.past_year(2016)
    out = (f"{y}年{c}{d.fact('assisting-enterprises', rng.randint(20, 160), '家', y, shape='social')}家爱心企业定点帮扶{d.whole}"
           f"{d.fact('enterprise-assisted-villages', rng.randint(d.n_villages // 2, d.n_villages), '个', y, shape='social')}个贫困村"
           f"{c}社会各界捐款捐物折合{d.fact('donations', wan_yuan(rng, 100, 3000), '万元', y, shape='social')}万元。")
    if rng.random() < 0.5:
        out += f"目前{c}{d.whole}{d.fact('love-supermarkets', rng.randint(20, 120), '个', d.year, shape='social')}个爱心超市已全部建成投用。"
    return out


def para_funds(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y = d.past_year(2015)
    total = yi_yuan(rng, 1.2, 15)
    out = f"{y}年{c}{d.whole}共投入各类扶贫资金{d.fact('poverty-alleviation-funds', total, '亿元', y, shape='money')}亿元"
    if rng.random() < 0.6:
        part = Decimal(int(float(total) * 10000 * rng.uniform(0.3, 0.7)))
        out += f"{c}其中统筹整合涉农资金{d.fact('integrated-agri-funds', part, '万元', y, shape='money')}万元"
    return out + "。"


def para_income(d: _Doc) -> str:
    rng, c = d.rng, d.p["c"]
    y = d.past_year(2015)
    inc = rng.randint(6500, 14000)
    out = f"{y}年{c}{d.whole}农村居民人均可支配收入达到{d.fact('rural-per-capita-income', inc, '元', y, shape='income')}元"
    out += f"{c}贫困人口人均纯收入{d.fact('poor-per-capita-income', rng.randint(3500, 9000), '元', y, shape='income')}元。"
    return out


def para_targets(d: _Doc) -> str:
    """Plans and targets, for a report written before 2020."""
    rng, c = d.rng, d.p["c"]
    ny = d.year + 1
    out = ""
    members = [v for _, vs in d.towns for v in vs]
    listed = rng.sample(members, min(len(members), rng.randint(2, 4)))
    n_exit = len(listed) + rng.randint(0, 9)
    if rng.random() < 0.3:   # changshun: 计划实现0.6万贫困人口脱贫 (a bare scale word)
        v = Decimal(rng.randint(3, 25)) / 10
        people = f"{d.fact('poverty-reduction', v, '万', ny, kind='target', shape='target-bare-wan')}万贫困人口脱贫"
    else:
        people = f"{d.fact('poverty-reduction', rng.randint(800, 15000), '名', ny, kind='target', shape='target-plan')}名贫困人口脱贫"
    out += (f"{ny}年{c}{d.whole}计划实现{people}{c}" + "、".join(listed) +
            f"等{d.fact('exited-poor-villages', n_exit, '个', ny, kind='target', shape='target-plan')}个贫困村出列。")
    out += (f"确保2020年实现建成{d.fact('industry-bases', rng.randint(20, 90), '个', 2020, kind='target', shape='target-ensure')}个产业扶贫基地"
            f"{c}每户有{d.fact('income-projects', rng.randint(2, 4), '个', 2020, kind='target', shape='target-ensure')}个以上增收项目"
            f"{c}贫困户人均增收{d.fact('household-income-gain', rng.choice([2000, 3000, 4000, 4500, 5000]), '元', 2020, kind='target', shape='target-ensure')}元以上。")
    if rng.random() < 0.5:
        out += (f"到2020年{c}{d.whole}农村居民人均可支配收入达到"
                f"{d.fact('rural-per-capita-income', rng.randint(10000, 16000), '元', 2020, kind='target', shape='target-by-year')}元以上"
                f"{c}贫困人口全部脱贫。")
    return out


# ----------------------------------------------------------------------------- narrative

def narrative(d: _Doc, k: int) -> str:
    """k sentences of narrative with no statistics (slogans with numerals, quotes, policies)."""
    rng, c = d.rng, d.p["c"]
    town, vil = d.village()
    fruit, herb = rng.choice(FRUITS), rng.choice(HERBS)
    bank = [
        f"{d.we}坚持把脱贫攻坚作为重大的政治任务和第一位民生工程{c}按照“精准扶贫、不落一人”的要求{c}向绝对贫困发起总攻。",
        f"严格落实“两不愁、三保障”标准{c}做到扶真贫、真扶贫、真脱贫。",
        f"各级层层部署、传导压力{c}持续用力、精准发力{c}脱贫攻坚取得显著成效。",
        f"确立了{d.level}级抓推进、乡镇抓重点、村级抓落实的工作机制{c}形成了强大合力。",
        f"从机关干部中选派优秀干部{c}开展“一对一”结对精准帮扶{c}做到不脱贫不脱钩。",
        f"{d.level}委每月召开一次党政联席会议{c}听取脱贫攻坚推进情况汇报{c}并组织观摩评比{c}实行奖优罚劣。",
        f"采取“一进、二看、三算、四比、五议、六定”的识别方法{c}确保建档立卡贫困户精准精确。",
        f"做到人口底数、致贫原因、帮扶需求、动态管理“四个清楚”{c}切实提高靶向施策精准度。",
        f"每村制定一个产业脱贫计划{c}实现由“输血式”扶贫向“造血式”扶贫转变。",
        f"先后出台《{d.county}产业扶贫实施方案》《{d.county}转移就业脱贫实施方案》等扶持政策{c}整合相关部门政策资源。",
        f"印发了《关于进一步明确脱贫攻坚各级职责任务的通知》{c}明确各级各部门责任{c}压紧压实。",
        f"“原来的烂泥路{c}现在修成了宽敞的柏油马路。”{town}{vil}贫困户{d.person()}说。",
        f"“以前靠天吃饭{c}现在旱涝保收{c}也有产业收入了。”{vil}脱贫户{d.person()}高兴地向记者讲述。",
        f"着力构建专项扶贫、行业扶贫、社会扶贫“三位一体”大扶贫格局。",
        f"改革开放40年来{c}{d.county}干部群众牢记嘱托、感恩奋进{c}在青山绿水间唱响新时代脱贫攻坚的最强音。",
        f"依托{fruit}、{herb}等特色资源{c}以龙头企业为引领{c}按照“公司+合作社+农户”模式带动贫困户稳定增收。",
        f"推进农村最低生活保障与脱贫攻坚“两线合一”{c}将符合条件的贫困户全部纳入低保范围{c}做到应保尽保。",
        f"落实县域内医疗机构“先诊疗后付费”和“一站式”结算{c}确保贫困人口看得起病、看得好病。",
        f"把培训班办到贫困乡镇{c}送到农民家门口{c}让贫困群众掌握一技之长。",
        f"坚持扶贫与扶志扶智相结合{c}激发贫困群众内生动力{c}营造勤劳致富光荣的浓厚氛围。",
        f"严格执行“两评议两公示一比对一公告”等工作程序{c}对初步录入系统的人员进行复核。",
        f"脱贫攻坚的最终成效是让群众得到更多看得见、摸得着的实惠{c}拥有更多的获得感、幸福感。",
        f"基础实{c}才会行得稳{c}动力足{c}方能走得远。",
        f"按照“六通四有”硬性指标{c}深入推进基础设施工程项目建设{c}补齐贫困村发展短板。",
        f"加强贫困户信息审计{c}通过房产清查、车辆核查、税务查询等多种手段进行复核{c}确保贫困人员信息的精准性。",
        f"建立由人社、财政、扶贫等部门共同参与的转移就业专项扶贫工作机制{c}推动转移就业脱贫工作取得实效。",
    ]
    fresh = [i for i in range(len(bank)) if i not in d.told]
    picked = rng.sample(fresh, min(k, len(fresh)))
    d.told.update(picked)
    return "".join(bank[i] for i in picked)


SECTIONS = [  # (headings, fact paragraph builders)
    (["压实责任{k}积极履行工作职责", "强化领导{k}构建责任体系", "组织保障"], [para_cadres]),
    (["发展产业{k}增强脱贫内驱力", "产业扶贫", "产业带动{k}拓宽增收渠道"], [para_crops, para_village, para_workshops, para_coops]),
    (["金融扶贫{k}破解资金难题", "资金保障"], [para_funds, para_finance]),
    (["光伏扶贫{k}点亮致富路", "资产收益扶贫"], [para_pv]),
    (["就业扶贫{k}增加贫困群众收入", "转移就业"], [para_employment]),
    (["健康扶贫{k}防止因病返贫", "健康扶贫"], [para_health]),
    (["教育扶贫{k}阻断贫困代际传递", "教育扶贫"], [para_education]),
    (["安居工程{k}挪穷窝换穷业", "易地扶贫搬迁"], [para_housing]),
    (["基础设施{k}“六通四有”全覆盖", "补齐短板"], [para_infrastructure]),
    (["社会扶贫{k}凝聚攻坚合力", "社会帮扶"], [para_social, para_income]),
]
ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]


def _report(rng: random.Random, county: str, doc: str, seed: int) -> tuple[str, str, dict, list[Planted]]:
    year = rng.choice([2016, 2017, 2018, 2018, 2019, 2019, 2020])
    d = _Doc(rng, county, year)
    k = d.p["k"]
    budget = rng.randint(MIN_BYTES + 400, MAX_BYTES - 700)
    markdown = rng.random() < 0.5
    title = rng.choice([f"{county}{year}年脱贫攻坚工作总结", f"{county}精准扶贫工作情况汇报",
                        f"决战脱贫攻坚 {county}交出亮眼答卷", f"{county}{year}年扶贫开发工作报告",
                        f"脱贫攻坚摘穷帽 {county}奋力赶超奔小康"])
    head = [title, f"□文/图 {d.person()}", narrative(d, 3)]
    blocks: list[tuple[str, list[str]]] = []
    blocks.append(("基本情况", [para_villages(d), para_population(d)]))
    chosen = rng.sample(SECTIONS, len(SECTIONS))

    def size(bs) -> int:
        return len("\n\n".join(head + [h + "\n\n" + "\n\n".join(ps) for h, ps in bs]).encode("utf-8"))

    for headings, builders in chosen:
        mark = len(d.facts)
        heading = rng.choice(headings).format(k=k)
        paras = [narrative(d, rng.randint(1, 3))] + [b(d) for b in rng.sample(builders, rng.randint(1, len(builders)))]
        if size(blocks + [(heading, paras)]) > budget:
            del d.facts[mark:]   # drop the facts of a section that is not written
            continue
        blocks.append((heading, paras))
    mark = len(d.facts)
    h, p = para_reduction(d)
    if size(blocks + [(h, [p])]) <= MAX_BYTES - 600:
        blocks.append((h, [p]))
    else:
        del d.facts[mark:]
    if year <= 2019:
        mark = len(d.facts)
        t = ("下一步工作打算", [para_targets(d)])
        if size(blocks + [t]) <= MAX_BYTES - 300:
            blocks.append(t)
        else:
            del d.facts[mark:]
    while size(blocks) < MIN_BYTES + 200:         # pad with narrative
        more = narrative(d, 2)
        if not more:                              # every narrative sentence is used
            break
        blocks[rng.randrange(len(blocks))][1].insert(0, more)
    parts = list(head)
    for i, (heading, paras) in enumerate(blocks):
        parts.append(f"## {heading}" if markdown else f"{ORDINALS[i]}、{heading}")
        parts.extend(paras)
    text = "\n\n".join(parts) + "\n"
    captions = [f"{d.village()[1]}易地搬迁新址", f"贫困户种植{rng.choice(FRUITS)}喜获丰收",
                f"{d.towns[0][0]}扶贫车间内贫困群众务工"]
    for cap in rng.sample(captions, rng.randint(0, 2)):     # photo captions, as in the seed report
        if len((text + "\n\n\n" + cap + "\n").encode("utf-8")) <= MAX_BYTES:
            text += "\n\n\n" + cap + "\n"
    meta = {"title": title, "place": county, "date": str(year),
            "source": f"synthetic report (bench/synth.py, seed {seed})"}
    return doc, text, meta, list(d.facts)


def _counties(seed: int, k: int = 600) -> list[str]:
    rng = random.Random(f"kg-synth-counties:{seed}")
    out: list[str] = []
    seen: set[str] = set()
    levels = [lvl for lvl, w in COUNTY_LEVELS for _ in range(w)]
    while len(out) < k:
        name = rng.choice(COUNTY_A) + rng.choice(COUNTY_B) + rng.choice(levels)
        if name not in seen and name[0] != name[1]:
            seen.add(name)
            out.append(name)
    return out


def generate_with_truth(n: int, seed: int = 0) -> list[tuple[str, str, dict, list[Planted]]]:
    """``n`` reports as (doc id, text, metadata, planted facts); report i depends only on (seed, i)."""
    counties = _counties(seed)
    out = []
    for i in range(n):
        rng = random.Random(f"kg-synth:{seed}:{i}")
        out.append(_report(rng, rng.choice(counties), f"synth-{seed}-{i:05d}", seed))
    return out


def generate(n: int, seed: int = 0) -> list[tuple[str, str, dict]]:
    """``n`` reports as (doc id, text, metadata)."""
    return [(doc, text, meta) for doc, text, meta, _ in generate_with_truth(n, seed)]


def write_corpus(folder, n: int, seed: int = 0, truth: str | Path | None = None) -> list[Path]:
    """Write ``<doc>.txt`` and ``<doc>.meta.json`` for ``n`` reports; optionally the planted
    facts as JSON lines (one object per fact, with its ``doc``). Returns the text files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    lines = []
    for doc, text, meta, facts in generate_with_truth(n, seed):
        path = folder / f"{doc}.txt"
        path.write_text(text, encoding="utf-8")
        (folder / f"{doc}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
        lines.extend(json.dumps({"doc": doc, **f._asdict()}, ensure_ascii=False) for f in facts)
    if truth is not None:
        Path(truth).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write synthetic poverty-alleviation reports (with their planted facts).")
    ap.add_argument("out_dir", help="folder to write <doc>.txt and <doc>.meta.json into")
    ap.add_argument("-n", type=int, default=100, help="number of reports (default 100)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--truth", help="also write the planted facts as JSON lines to this file")
    args = ap.parse_args(argv)
    paths = write_corpus(args.out_dir, args.n, args.seed, args.truth)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} reports ({size / 1024:.0f} KB) to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
