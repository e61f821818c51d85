"""Tests for kg.text.modality (made-up report clauses)."""

import pytest

from kg.text.modality import TARGET_CUES, target_cue


@pytest.mark.parametrize(
    ("clause", "cue"),
    [
        ("2019年确保15个贫困村全部退出", "确保"),
        ("2019年计划再投入800万元", "计划"),
        ("计划于年底前建成20个扶贫车间", "计划"),
        ("力争全年实现脱贫3000人", "力争"),
        ("争取早日实现整村脱贫", "争取"),
        ("全力争取项目资金支持", "争取"),
        ("预计全年发电1000万度", "预计"),
        ("拟投入资金500万元新建车间", "拟"),
        ("到2020年,实现贫困人口全部脱贫", "到2020年"),
        ("到２０２０年全部脱贫", "到2020年"),
        ("贫困户人均增收4500元以上的发展目标", "目标"),
        ("全县将于明年全面完成易地搬迁", "将于"),
        ("下一步将继续加大投入力度", "下一步"),
        ("我县将进一步完善帮扶机制", "将进一步"),
        ("规划建设10个产业基地", "规划建设"),
        ("确保年底前完成", "确保"),
        # achieved or plain statements
        ("将帮扶企业增加至157个", None),
        ("争取到县里财政支持，投入700多万元", None),    # obtained, not striven for
        ("2018年上半年1000元分红已发放到位", None),
        ("目前已经全部建成投用", None),
        ("目标任务已圆满完成", None),
        ("全年实现了脱贫1500人", None),
        ("到2017年底,共有未脱贫人口4557户", None),
        ("坚持计划生育基本国策", None),
        ("按照“三步走”的行动计划,全县减少贫困人口", None),
        ("每村制定一个产业脱贫计划;", None),
        ("草拟了实施方案", None),
        ("主要领导亲自部署", None),
        ("全市贫困发生率下降为1.31%", None),
        ("", None),
    ],
)
def test_modality_target_cue(clause, cue):
    assert target_cue(clause) == cue


def test_modality_cues_exclude_bare_ambiguous_words():
    assert "将" not in TARGET_CUES
    assert "要" not in TARGET_CUES
    assert "确保" in TARGET_CUES
