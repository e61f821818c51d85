"""Place names found by their administrative suffix, with their hierarchy.

``石门镇柳树村`` gives a town and a village in it; ``我市``/``全县``/``本区`` are deictic
and are resolved by the caller to the report's own place. Rules only: no gazetteer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# suffix → level (the level is the Chinese word used as fp:adminLevel)
SUFFIXES = {"自治区": "省", "省": "省", "自治州": "市", "市": "市", "州": "市", "自治县": "县", "县": "县",
            "旗": "县", "区": "区", "街道": "街道", "办事处": "街道", "乡": "乡", "镇": "镇", "村": "村", "社区": "村"}
SUFFIX_RE = re.compile("|".join(sorted(map(re.escape, SUFFIXES), key=len, reverse=True)))
HAN = re.compile(r"[\u4e00-\u9fff]")
NUMERALS_ONLY = re.compile(r"[一二三四五六七八九十百千万两几]+")

DEICTIC_RE = re.compile(r"(?:我|本|全|该)(?:市|县|区|旗|州)")

# characters and words that end a name on its left (prepositions, verbs of place, determiners)
LEFT_STOP_CHARS = set("在的对于到从与及为是原全我本该各每等个了以把被将由向给至往距共有这那其此另即含年月日")
LEFT_STOP_WORDS = ("地处", "位于", "比如", "例如", "包括", "其中", "现有", "共有", "通过", "来自", "覆盖", "涉及", "实现", "全部", "会同", "完成", "明确",
                   "随访", "分别", "吸纳", "配有", "低于", "高于")
# a stem containing one of these is a common noun, not a name
BAD_STEM = ("贫困", "乡镇", "城市", "城区", "城镇", "城乡", "县城", "非", "深度", "示范", "重点", "行政", "自然", "试点", "整", "通", "驻", "包",
            "帮", "进", "入", "下", "返", "撤", "建", "超", "地", "园", "库", "景", "片",
            "聚居", "开发", "试验", "市场", "社会", "区域", "农", "多", "出列", "退出", "脱贫", "各", "所有", "相关", "周边", "附近", "当地", "本地", "外地", "机关", "街")
# a suffix followed by one of these is part of a common word (村级, 市场, 县域 …)
BAD_NEXT = set("级民委场域内外里部长直属中务庄医定镇")


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    name: str
    level: str
    parent: str | None = None   # the name of the place written just before it (石门镇 for 柳树村)


def _stem_start(text: str, end: int, floor: int) -> int:
    """Where a name ending at ``end`` (exclusive, before the suffix) starts."""
    i = end
    while i > floor and end - i < 4 and HAN.match(text[i - 1]) and text[i - 1] not in LEFT_STOP_CHARS:
        i -= 1
    stem = text[i:end]
    while stem:
        word = next((w for w in LEFT_STOP_WORDS if stem.startswith(w)), None)
        if word:
            stem, i = stem[len(word):], i + len(word)
        else:
            break
    return i


def find_places(text: str) -> list[Place]:
    out: list[Place] = []
    floor = 0
    for m in SUFFIX_RE.finditer(text):
        s, e = m.start(), m.end()
        if s < floor:
            continue
        if e < len(text) and text[e] in BAD_NEXT and m.group() in ("村", "市", "县", "区", "镇", "乡"):
            continue
        start = _stem_start(text, s, floor)
        stem = text[start:s]
        name = text[start:e]
        if (not 2 <= len(stem) <= 4 or any(b in stem for b in BAD_STEM) or name.endswith("乡镇")
                or NUMERALS_ONLY.fullmatch(stem)
                or any(w in stem for w in LEFT_STOP_WORDS)):
            continue
        if DEICTIC_RE.fullmatch(text[s - 1 : e]):
            continue
        parent = out[-1].name if out and out[-1].end == start else None
        out.append(Place(start, e, name, SUFFIXES[m.group()], parent))
        floor = e
    return out


def find_deictic(text: str) -> list[tuple[int, int]]:
    """Spans of 我市/全县/本区 …: the report's own place."""
    return [(m.start(), m.end()) for m in DEICTIC_RE.finditer(text)]


def short_name(name: str) -> str:
    """平安县 → 平安 (for matching short mentions); names too short to shorten stay whole."""
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
