"""Does a clause state a plan / target, or an achieved fact?

:func:`target_cue` returns the cue that marks a clause as a target ("确保",
"计划", "到2020年" ...) or ``None``.  Precision over recall:

* ambiguous characters are only cues in unambiguous contexts: 将 only as
  将于/将在/将要/将会/即将/将继续/将进一步 (bare 将 is usually the object
  marker 把: "将帮扶企业增加至120个" is an achieved fact); 计划 only when a
  verb or time follows ("计划再投入", "计划于") -- never 计划生育 or the noun
  ("行动计划,"); 拟 not in 草拟/模拟/虚拟; 规划 only as 规划建设/新建/投资/投入;
  bare 要 is not a cue (主要, 重要, 需要 ...); 力争 not inside 全力争取; 争取 not as
  争取到/争取了 (obtained);
* "到YYYY年" is a cue unless it is a year end ("到2017年底" usually reports
  a status);
* an explicit achievement marker anywhere in the clause wins and gives
  ``None``: 已 / 已经 / 业已, or a completed verb with 了 (实现了, 完成了,
  达到了, 建成了 ...).  Bare 完成 is *not* an achievement marker because
  targets routinely contain it ("确保年底前完成").
"""

from __future__ import annotations

import re

from kg.text.normalize import normalize_width

__all__ = ["TARGET_CUES", "target_cue", "is_achieved", "past_deadline"]

#: plain cue words (matched as substrings, longest first)
TARGET_CUES: tuple[str, ...] = (
    "确保", "力争", "争取", "力求", "预计", "预期", "有望", "目标", "下一步", "今后",
    "将于", "将在", "将要", "将会", "即将", "将继续", "将进一步",
    "规划建设", "规划新建", "规划投资", "规划投入", "计划", "拟",
)

_CUE_RE = re.compile(
    "|".join([
        r"到\d{4}年(?![底末初])",  # 到2020年 ...
        # 计划 + a verb or a time; not the nouns 计划生育/计划书/年度计划任务/行动计划,
        r"(?<!行动)(?<!年度)(?<!工作)计划(?!生育|书|任务|单列|内|外|经济|指标|表|[,，。;；、：:）)”\s]|$)(?=[\u4e00-\u9fff0-9])",
        r"(?<![草模虚比])拟(?=[\u4e00-\u9fff0-9])",
        r"力争(?!取)",  # 全力争取 is 全力 + 争取
        r"争取(?![到了得])",  # 争取到县里财政支持: obtained, not striven for
    ] + [re.escape(c) for c in sorted(TARGET_CUES, key=len, reverse=True)
         if c not in ("计划", "拟", "力争", "争取")])
)
_ACHIEVED_RE = re.compile(
    r"(?<![不而得])已(?!知)|业已|"
    r"(?:实现|完成|达到|建成|超过|超额完成|退出|脱贫|发放|落实|投入|增加|减少|下降|提高)了"
)


def is_achieved(clause: str) -> bool:
    """True when the clause carries an explicit achievement marker."""
    return bool(_ACHIEVED_RE.search(clause))


def target_cue(text: str) -> str | None:
    """The first target/plan cue of a clause, or ``None`` (no cue, or achieved).

    >>> target_cue("2018年确保20个贫困村全部退出")
    '确保'
    >>> target_cue("全市已完成年度计划任务") is None
    True
    """
    text = normalize_width(text)
    if is_achieved(text):
        return None
    m = _CUE_RE.search(text)
    return m.group() if m else None


def past_deadline(cue: str, report_year: int | None) -> bool:
    """Whether a 到YYYY年 cue names a year before the report's: 由1998年的350元提高到2006年的2100元,
    written in 2017, tells history, not a plan.

    >>> past_deadline("到2005年", 2017), past_deadline("到2020年", 2017), past_deadline("确保", 2017)
    (True, False, False)
    """
    m = re.fullmatch(r"到(\d{4})年", cue)
    return bool(m and report_year and int(m.group(1)) < report_year)
