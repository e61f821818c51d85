"""Questions across several reports: the place asked (at any level, by full or short name),
per-place answers when none is, 我市/我县 that never mix, one place's reports of several years.

The store holds the seed report and six others (tests/multi/corpus.py), all added through
kg.library.add.
"""

from __future__ import annotations

import pytest

from kg.qa import ask

from ..qa.conftest import ask_many
from .corpus import DOCS


def values_by_place(result: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for v in result["values"]:
        out.setdefault(v["place"], []).append(v)
    return out


def evidence_docs(result: dict) -> set[str]:
    return {e["doc"] for e in result["evidence"]}


# ------------------------------------------------------------------ one place asked, or none


def test_place_asked_answers_for_that_place_only(multi_store):
    r = ask("汝州市2015年退出多少贫困村", multi_store)
    assert r["answered"], r["answer"]
    assert [(v["place"], v["value"], v["unit"]) for v in r["values"]] == [("汝州市", 6, "个")]
    assert evidence_docs(r) == {DOCS["ruzhou"]}
    assert r["answer"] == "2015年汝州市退出贫困村6个。"


def test_no_place_answers_per_place(multi_store):
    r = ask("2015年退出多少贫困村", multi_store)
    assert r["answered"], r["answer"]
    got = {place: [v["value"] for v in vs] for place, vs in values_by_place(r).items()}
    # one value per place that has one; 长顺县 states no 2015 exits, so it is not there
    assert got == {"汝州市": [6], "安平市": [7], "白水区": [4], "石门县": [3], "桃源县": [5]}
    for place, value in (("汝州市", 6), ("安平市", 7), ("白水区", 4), ("石门县", 3), ("桃源县", 5)):
        assert f"2015年{place}退出贫困村{value}个" in r["answer"]
    # each value's evidence is in its own report
    assert {v["doc"] for v in r["values"]} == evidence_docs(r)
    place_of_doc = {DOCS["ruzhou"]: "汝州市", DOCS["anping17"]: "安平市", DOCS["baishui"]: "白水区",
                    DOCS["shimen"]: "石门县", DOCS["taoyuan"]: "桃源县"}
    assert all(place_of_doc[v["doc"]] == v["place"] for v in r["values"])


def test_answer_text_and_values_list_places_in_one_order(multi_store):
    r = ask("2015年退出多少贫困村", multi_store)
    places = [v["place"] for v in r["values"]]
    assert [p for p in sorted(places, key=r["answer"].index)] == places


def test_no_place_and_no_year_gives_each_place_its_latest_value(multi_store):
    r = ask("发放扶贫小额信贷多少", multi_store)
    got = {place: [(v["value"], v["unit"]) for v in vs] for place, vs in values_by_place(r).items()}
    assert got["汝州市"] == [(4.86, "亿元")] and got["桃源县"] == [(2.3, "亿元")] and got["石门县"] == [(0.8, "亿元")]
    assert got["安平市"] == [(2.1, "亿元")]                 # the 2019 report's, not the 2017 one's
    assert "安平市另有2017年的数值" in r["answer"]


# ------------------------------------------------------------------ every level, short names

LEVELS = [
    # question, place of the values, value, unit
    ("安平市2016年退出多少贫困村", "安平市", 9, "个"),               # 市
    ("安平2016年退出多少贫困村", "安平市", 9, "个"),
    ("汝州2014年有几个贫困村出列", "汝州市", 8, "个"),
    ("长顺县贫困发生率是多少", "长顺县", 16.68, "%"),               # 县 (a real report)
    ("长顺贫困发生率是多少", "长顺县", 16.68, "%"),
    ("长顺县有多少个贫困乡镇", "长顺县", 3, "个"),
    ("2017年长顺县计划搬迁多少户", "长顺县", 2294, "户"),
    ("石门县2016年退出多少贫困村", "石门县", 8, "个"),               # 县 named only in a title
    ("石门2016年退出多少贫困村", "石门县", 8, "个"),
    ("白水区2016年减少贫困人口多少人", "白水区", 4800, "人"),         # 区
    ("白水2016年减少贫困人口多少人", "白水区", 4800, "人"),
    ("代化镇贫困发生率是多少", "代化镇", 29, "%"),                    # 镇 (the real report)
    ("代化贫困发生率是多少", "代化镇", 29, "%"),
    ("枫林村种植了多少亩茶叶", "枫林村", 800, "亩"),                  # 村
    ("杏花村带动多少贫困户", "杏花村", 85, "户"),
    ("桃源县2016年出列多少个贫困村", "桃源县", 12, "个"),             # Chinese numerals in the report
    ("桃源县2015年有几个贫困村摘帽", "桃源县", 5, "个"),
    ("白水区２０１６年退出多少贫困村", "白水区", 6, "个"),             # full-width digits in both
    ("2018年桃源县脱贫人口有多少户", "桃源县", 4120, "户"),
]


@pytest.mark.parametrize("question,place,value,unit", LEVELS)
def test_places_at_every_level_and_by_short_name(multi_store, question, place, value, unit):
    r = ask(question, multi_store)
    assert r["answered"], r["answer"]
    assert {v["place"] for v in r["values"]} == {place}, r["answer"]
    first = next(v for v in r["values"] if v["unit"] == unit or v["base_unit"] == unit)
    assert first["value"] == value, r["answer"]


WITHIN = [
    # a place with no figure of its own, only places within it: refused, naming those places
    ("湖南省2018年出列多少个贫困村", "桃源县"),          # 省: the county in it
    ("湖南2018年出列多少个贫困村", "桃源县"),            # 省, short
    ("茶庵铺镇种植了多少亩", "枫林村"),                  # 镇: the village in it
    ("桃源镇带动多少贫困户", "杏花村"),                  # 镇 → its village
    ("白水区带动了多少贫困户", "杏花村"),                # 区 → the village named in its report
]


@pytest.mark.parametrize("question,within", WITHIN)
def test_a_place_within_does_not_answer_for_the_place_asked(multi_store, question, within):
    r = ask(question, multi_store)
    assert r["answered"] is False, r["answer"]
    assert within in r["answer"] and "不以下级地方的数代替" in r["answer"]


def test_catalogue_has_every_level_and_short_names(multi_catalog):
    levels = {info.level for info in multi_catalog.places.values()}
    assert {"省", "市", "县", "区", "镇", "乡", "村", "街道"} <= levels
    surfaces = multi_catalog.vocab.place_surfaces
    for short, full in (("汝州", "汝州市"), ("长顺", "长顺县"), ("石门", "石门县"), ("白水", "白水区"),
                        ("湖南", "湖南省"), ("代化", "代化镇"), ("茶庵铺", "茶庵铺镇"), ("枫林", "枫林村")):
        assert surfaces.get(short) == full, short
    assert multi_catalog.vocab.ambiguous["桃源"] == ["桃源县", "桃源镇"]
    assert multi_catalog.vocab.ambiguous["敦操"] == ["敦操乡", "敦操村"]     # in the real report


def test_short_names_that_are_common_words_are_not_places(multi_catalog):
    # 石板村 and 热水村 (changshun): 石板, 热水 are words; their full names still work
    surfaces = multi_catalog.vocab.place_surfaces
    assert "石板" not in surfaces and "热水" not in surfaces
    assert surfaces["石板村"] == "石板村" and surfaces["热水村"] == "热水村"


def test_ambiguous_short_name_is_a_clarifying_refusal(multi_store):
    r = ask("桃源2018年出列多少个贫困村", multi_store)
    assert not r["answered"] and r["values"] == []
    assert "桃源县" in r["answer"] and "桃源镇" in r["answer"] and "全称" in r["answer"]
    assert r["suggestions"] == ["桃源县2018年出列多少个贫困村"]       # 桃源镇 has no such fact
    assert ask(r["suggestions"][0], multi_store)["answered"]
    r = ask("桃源带动了多少贫困户", multi_store)      # neither has its own figure (杏花村 in 桃源镇 has)
    assert not r["answered"] and "桃源镇带动了多少贫困户" not in r["suggestions"]


def test_full_names_win_over_the_short_name(multi_store):
    assert {v["place"] for v in ask("桃源县2018年出列多少个贫困村", multi_store)["values"]} == {"桃源县"}
    r = ask("桃源镇带动了多少贫困户", multi_store)
    assert not r["answered"] and "杏花村" in r["answer"] and "桃源县" not in r["answer"]


def test_a_place_the_graph_lacks_is_refused(multi_store):
    r = ask("北京市2015年退出多少贫困村", multi_store)
    assert not r["answered"] and "北京市" in r["answer"]
    r = ask("桑坪村2015年退出多少贫困村", multi_store)        # a known village without that fact
    assert not r["answered"]


# ------------------------------------------------------------------ one name, two places


def test_a_town_named_in_two_reports_is_two_places(multi_store):
    r = ask("太平镇减少了多少贫困人口", multi_store)
    assert r["answered"], r["answer"]
    got = {place: [(v["value"], v["unit"]) for v in vs] for place, vs in values_by_place(r).items()}
    assert got == {"石门县太平镇": [(900, "人")], "桃源县太平镇": [(1600, "人")]}
    assert "2016年石门县太平镇减少贫困人口900人" in r["answer"] and "2018年桃源县太平镇减少贫困人口1600人" in r["answer"]
    r = ask("石门县太平镇减少了多少贫困人口", multi_store)
    assert {v["place"] for v in r["values"]} == {"石门县太平镇"} and evidence_docs(r) == {DOCS["shimen"]}
    r = ask("桃源县太平镇脱贫多少人", multi_store)
    assert [(v["place"], v["value"]) for v in r["values"]] == [("桃源县太平镇", 1600)]


# ------------------------------------------------------------------ 我市/我县/本区


def test_deictics_of_two_reports_never_mix(multi_store, multi_catalog):
    # the seed and anping-2017 both say 我市; their facts stay with their own report's place
    own = multi_catalog.own
    for r in multi_catalog.index.all_rows():
        if r.place in own:
            assert r.place == multi_catalog.report_place_of(r.doc), (r.place, r.doc)
    r = ask("安平市2015年退出多少贫困村", multi_store)
    assert [(v["place"], v["value"]) for v in r["values"]] == [("安平市", 7)]
    assert evidence_docs(r) == {DOCS["anping17"]}
    # 我县 in taoyuan and shimen: the same
    for q, place, value, doc in (("桃源县2016年出列多少个贫困村", "桃源县", 12, "taoyuan"),
                                 ("石门县2016年退出多少贫困村", "石门县", 8, "shimen")):
        r = ask(q, multi_store)
        assert [(v["place"], v["value"]) for v in r["values"]] == [(place, value)] and evidence_docs(r) == {DOCS[doc]}


@pytest.mark.parametrize("question,places", [
    ("我市2015年退出多少贫困村", {"汝州市", "安平市"}),
    ("我县2015年退出多少贫困村", {"桃源县", "石门县"}),
    ("本区2015年退出多少贫困村", {"白水区"}),
    ("全市2016年退出多少贫困村", {"汝州市", "安平市"}),
])
def test_a_deictic_question_asks_the_reports_places_of_its_level(multi_store, question, places):
    r = ask(question, multi_store)
    assert r["answered"], r["answer"]
    assert {v["place"] for v in r["values"]} == places


# ------------------------------------------------------------------ one place, reports of several years


def test_reports_of_one_place_and_other_years_are_kept_apart(multi_store):
    r = ask("安平市2017年有多少扶贫合作社", multi_store)
    assert [(v["value"], v["doc"]) for v in r["values"]] == [(120, DOCS["anping17"])]
    r = ask("安平市2019年有多少扶贫合作社", multi_store)
    assert [(v["value"], v["doc"]) for v in r["values"]] == [(185, DOCS["anping19"])]
    r = ask("安平市有多少扶贫合作社", multi_store)
    assert [v["value"] for v in r["values"]] == [185] and "2017" in r["answer"]
    assert not ask("安平市2018年有多少扶贫合作社", multi_store)["answered"]
    r = ask("2018年安平市减少贫困人口多少人", multi_store)
    assert [(v["value"], v["doc"]) for v in r["values"]] == [(3300, DOCS["anping19"])]
    r = ask("安平市每年减少贫困人口多少人", multi_store)
    assert [(v["period"], v["value"]) for v in r["values"]] == [("2016年", 7820), ("2018年", 3300)]


# ------------------------------------------------------------------ other question types, per place


def test_series_sum_and_superlative_across_places(multi_store):
    r = ask("白水区每年退出多少个贫困村", multi_store)
    assert [v["value"] for v in r["values"]] == [4, 6, 10]
    r = ask("2015年到2017年白水区共退出多少个贫困村", multi_store)
    assert r["values"][0]["value"] == 20
    r = ask("2016年哪个县退出贫困村最多", multi_store)
    assert r["values"][0]["place"] == "桃源县" and r["values"][0]["value"] == 12
    assert {v["place"] for v in r["values"]} == {"桃源县", "石门县"}      # 县 only
    r = ask("2016年哪个地方退出贫困村最多", multi_store)
    assert [v["place"] for v in r["values"]][:2] == ["桃源县", "安平市"]
    r = ask("每年退出多少个贫困村", multi_store)
    series = {place: [v["value"] for v in vs] for place, vs in values_by_place(r).items()}
    assert series["白水区"] == [4, 6, 10] and series["汝州市"] == [8, 6, 4] and series["桃源县"] == [5, 12, 9, 16]


def test_a_span_is_summed_per_place_that_has_every_year(multi_store):
    r = ask("2014年到2016年共退出多少个贫困村", multi_store)
    assert r["answered"], r["answer"]
    assert {v["place"]: v["value"] for v in r["values"]} == {"安平市": 21, "汝州市": 18}
    assert all(sum(p["value"] for p in v["parts"]) == v["value"] for v in r["values"])
    assert "石门县" in r["answer"] and "未合计" in r["answer"]        # named, not summed
    r = ask("2010年到2012年共退出多少个贫困村", multi_store)
    assert not r["answered"]


def test_lists_are_per_report_place(multi_store):
    r = ask("有哪些特色种植业", multi_store)
    assert r["answered"] and {v["place"] for v in r["values"]} == {"汝州市"}
    assert {v["label"] for v in r["values"]} >= {"连翘", "艾草", "核桃", "花椒"}
    assert not ask("桃源县有哪些特色种植业", multi_store)["answered"]


def test_through_the_kg_ask_command(multi_store_path):
    results = ask_many(multi_store_path, ["汝州市2015年退出多少贫困村", "2015年退出多少贫困村", "桃源2018年出列多少个贫困村"])
    assert [v["place"] for v in results[0]["values"]] == ["汝州市"]
    assert len(results[1]["values"]) == 5
    assert not results[2]["answered"] and results[2]["suggestions"]
