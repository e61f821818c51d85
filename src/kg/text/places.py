"""Place names, their levels and hierarchy, from a gazetteer and from the text's own words.

- A name at county level or above (…省/自治区/市/州/盟/地区/县/旗/区) is a place when the
  gazetteer (kg.text.gazetteer: China's divisions down to the county) knows it, by its full
  name or a variant (融水县, 广西区): the longest known name ending at the suffix wins
  (广西崇左市 → 崇左市). A name it does not know passes only strict rules: 2–4 characters
  before 市/县/区/旗 that jieba's dictionary has as names, or one adjective (安平市, 白水区,
  平安县); 代表区, 保护区, 结合区, 情况汇报县, 三区三州, 深山区 are no places.
- Towns and villages (乡/镇/街道/村/社区) come from the text: the stem is the words right
  before the suffix, ending at a verb, preposition, number, another place or punctuation
  (加快某某镇 → 某某镇, 引导某某村 → 某某村), and not a common noun (乡村, 小区, 村规民约).
- A gazetteer short form written without its suffix (瑞金, 宁夏, 融水) is a place when it
  names one division, jieba's segmentation keeps it as one word of a proper-noun kind, and the
  division is a province or the text names it or its parent otherwise too (天山, 大田: no).

Every place found in the gazetteer is named by its full name (宁夏 → 宁夏回族自治区), has
the gazetteer's level and, as parent, the nearest containing division the text names (else
the one containing it directly); a town or village has as parent the place written right
before it (石门镇柳树村). ``我市``/``全县``/``本区`` are deictic and are resolved by the caller.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import ahocorasick_rs

from . import gazetteer as gz
from .place_words import (HAN, NUMERAL_CHARS, PIECE, PROPER_TAGS, Words, bad_stem, glued_right, local_stem,
                          unknown_stem)

# suffix → level (the level is the Chinese word used as fp:adminLevel)
SUFFIXES = {"自治区": "省", "省": "省", "自治州": "市", "市": "市", "州": "市", "盟": "市", "地区": "市",
            "自治县": "县", "县": "县", "旗": "县", "区": "区", "街道": "街道", "办事处": "街道", "乡": "乡",
            "镇": "镇", "村": "村", "社区": "村"}
SUFFIX_RE = re.compile("|".join(sorted(map(re.escape, SUFFIXES), key=len, reverse=True)))
SUFFIX_STARTS = {x[0] for x in SUFFIXES}
LOCAL_SUFFIXES = {"街道", "办事处", "乡", "镇", "村", "社区"}
#: suffixes a name the gazetteer does not know may have (all 省, 自治…, 地区, 盟 are known)
UNKNOWN_OK = {"市", "县", "区", "旗"}

DEICTIC_RE = re.compile(r"(?:我|本|全|该)(?:市|县|区|旗|州)")

# a suffix followed by one of these is part of a common word (村级, 市场, 县域 …)
BAD_NEXT = set("级民委场域内外里部长直属中务庄医定镇")
#: after a name the gazetteer knows, only these make a common word (和平区域, 南阳市场)
BAD_NEXT_KNOWN = set("场域")
#: kinds of area written X区 (深山区, 石山区 are mountain areas): no name the gazetteer lacks ends so
GENERIC_AREAS = set("山林牧库景园城郊矿老新片小街垦灾湖沙边辖市县湾灌厂营校港学选产疫战防禁特试")
OPEN_QUOTES, CLOSE_QUOTES = set("“\"「『‘"), set("”\"」』’")
MAX_KNOWN_STEM = 12


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    name: str
    level: str
    parent: str | None = None   # the containing place: the gazetteer's, or the one written just before it


def _known_at(ws: Words, text: str, s: int, e: int, floor: int):
    """(start, end, divisions) of the longest gazetteer name ending at ``e`` (or one more suffix on)."""
    full_names = gz.full_names()
    for end in (e + 1, e) if e < len(text) and text[e] in "市县区" else (e,):
        for start in range(max(floor, s - MAX_KNOWN_STEM), s):
            name = text[start:end]
            divs = full_names.get(name)
            if not divs:
                continue
            k = ws.at[start]
            if ws.starts[k] < start and ws.known[k] and ws.ends[k] <= s:
                continue                            # 长|江北区: starts inside a word
            k = ws.at[end - 1]
            if ws.known[k] and ws.starts[k] <= start and ws.ends[k] == end and ws.tags[k] not in PROPER_TAGS \
                    and not _after_parent(text, start, divs):
                continue                            # 平房区, 城区: a common noun
            if _stem_len(name) < 2 and not _after_parent(text, start, divs) \
                    and start > 0 and HAN.match(text[start - 1]):
                continue                            # 礼县, 城区 only after their parent or alone
            if end < len(text) and text[end] in BAD_NEXT_KNOWN:
                continue
            return start, end, divs
    return None


def _stem_len(name: str) -> int:
    return len(name) - max((len(e) for e in gz.ENDINGS if name.endswith(e)), default=0)


def _after_parent(text: str, start: int, divs) -> bool:
    """The name is written right after a division containing it (陇南市礼县, 阳泉市城区)."""
    before = text[max(0, start - 12):start]
    for d in divs:
        for a in gz.ancestors(d.code):
            if before.endswith(a.name) or before.endswith(gz.short_form(a.name)):
                return True
    return False


# ------------------------------------------------------------------ places


def _short_forms(ws: Words, text: str, suffixes: list[re.Match],
                 hits: dict | None = None) -> tuple[list[tuple[int, int, gz.Division]], set[str]]:
    """Gazetteer short forms written alone (瑞金, 宁夏): one word of a proper-noun kind, not
    followed by a suffix (融水县 is a full name, 石水村 a village), naming one division that is
    a province, or whose own name or containing division the text names too (天山深处, 大田:
    no places). With the codes of the divisions the text names; ``suffixes`` are the text's
    matches of SUFFIX_RE, and ``hits`` gets the gazetteer name ending at each (:func:`_known_at`
    with no floor), by the suffix's start."""
    found = []
    unique_short = gz.unique_shorts().get
    known, starts, ends, tags = ws.known, ws.starts, ws.ends, ws.tags
    for i in chain.from_iterable(range(*r) for r in ws.tagged):
        a, b, tag = starts[i], ends[i], tags[i]
        if b - a < 2:
            continue
        d = unique_short(text[a:b])
        if d is None or tag not in PROPER_TAGS and known[i] or text[b:b + 1] in SUFFIX_STARTS:
            continue
        found.append((a, b, d))
    named = set()
    for m in suffixes:
        if m.group() not in LOCAL_SUFFIXES:
            hit = _known_at(ws, text, m.start(), m.end(), 0)
            if hits is not None:
                hits[m.start()] = hit
            if hit:
                named.update(d.code for d in hit[2])
    confirmed: list[tuple[int, int, gz.Division]] = []
    for _ in range(3):
        for a, b, d in found:
            if (a, b, d) not in confirmed and (d.rank == "province" or d.code in named or d.parent in named):
                confirmed.append((a, b, d))
                named.add(d.code)
    return sorted(confirmed), named


def _cut_known(text: str, start: int, s: int, named: set[str]) -> tuple[int, int]:
    """A local stem that begins with the name of a division the text names, or of one within
    such a division (融水|桃源镇): (where the stem starts after it, where that name starts),
    else (start, -1)."""
    for p in range(start + 1, s - 1):
        for x in range(max(0, p - 8), start + 1):
            if p - x >= 2 and any(d.code in named or d.parent in named for d in _written(text[x:p])):
                return p, x
    return start, -1


def _written(name: str) -> tuple[gz.Division, ...]:
    """The divisions a name written in full or short names (one, or none)."""
    return gz.full_name(name) or tuple(d for d in [gz.unique_short(name)] if d)


@lru_cache(maxsize=1)
def _shorts() -> ahocorasick_rs.AhoCorasick:
    """The short forms that name one division, as one Aho-Corasick automaton (ahocorasick_rs)."""
    return ahocorasick_rs.AhoCorasick(list(gz.unique_shorts()))


def _place_pieces(text: str, suffixes: list[re.Match]) -> list[tuple[int, int]]:
    """The pieces of a text between punctuation (kg.text.place_words.PIECE) that can hold a
    place read by its words: with a suffix (``suffixes``: the text's matches of SUFFIX_RE, where
    the rules below look), or a short form (the rest of the text is not segmented)."""
    spans = [m.span() for m in PIECE.finditer(text)]
    starts = [a for a, _ in spans]
    kept = set()
    # a suffix as the rules find it, or the first two characters of a short form, in a piece
    for p in chain((m.start() for m in suffixes),
                   (start + 1 for _, start, _ in _shorts().find_matches_as_indexes(text, overlapping=True))):
        i = bisect_right(starts, p) - 1
        if i >= 0 and p < spans[i][1]:
            kept.add(i)
    return [spans[i] for i in sorted(kept)]


def find_places(text: str) -> list[Place]:
    """The places a text names, in text order (a report's text is read twice: for its own place
    and by the pipeline, so the last few texts' places are kept)."""
    return list(_places_of(text))


@lru_cache(maxsize=8)
def _places_of(text: str) -> tuple[Place, ...]:
    if not text or not HAN.search(text):
        return ()
    suffixes = list(SUFFIX_RE.finditer(text))
    ws = Words(text, _place_pieces(text, suffixes))
    at_zero: dict[int, tuple | None] = {}      # _known_at with no floor, by suffix start
    shorts, named = _short_forms(ws, text, suffixes, at_zero)
    short_ends = sorted(b for _, b, _ in shorts)
    hits: list[tuple[int, int, str, str, tuple]] = []     # start, end, name, level, divisions
    floor = 0
    for m in suffixes:
        s, e = m.start(), m.end()
        if s < floor:
            continue
        suffix = m.group()
        known = None
        if suffix not in LOCAL_SUFFIXES:
            # the hit with no floor is the hit when it starts at or after the floor (or there is none)
            known = at_zero.get(s, ())
            if known == () or known is not None and known[0] < floor:
                known = _known_at(ws, text, s, e, floor)
        if known:
            start, end, divs = known
            hits.append((start, end, text[start:end], "", divs))
            floor = end
            continue
        if e < len(text) and text[e] in BAD_NEXT and suffix in ("村", "市", "县", "区", "镇", "乡"):
            continue
        if suffix in ("乡", "镇") and text[e:e + 1] == "村" or glued_right(ws, s, e):
            continue
        stem_floor = max([floor] + [b for b in short_ends if b <= s])
        lead_common = True
        if suffix in LOCAL_SUFFIXES:
            start = local_stem(ws, s, e, stem_floor, village=suffix in ("村", "社区"))
            if start is not None:
                k = ws.at[start]
                lead_common = ws.known[k] and ws.starts[k] == start and ws.tags[k] not in PROPER_TAGS
                start, x = _cut_known(text, start, s, named)
                if x >= floor:          # and the place named before it is a place too
                    hits.append((x, start, text[x:start], "", _written(text[x:start])))
        elif suffix in UNKNOWN_OK:
            if suffix == "区" and text[s - 1:s] in GENERIC_AREAS:
                continue
            start = unknown_stem(ws, s, e, stem_floor)
        else:
            continue
        if start is None:
            continue
        stem = text[start:s]
        if suffix in LOCAL_SUFFIXES and text[start - 1:start] in OPEN_QUOTES and text[e:e + 1] in CLOSE_QUOTES:
            continue                                # “百企帮百村”: a slogan
        if bad_stem(stem, lead_common) or any(c in NUMERAL_CHARS for c in stem) and suffix in UNKNOWN_OK \
                or text[start:e].endswith("乡镇") or DEICTIC_RE.fullmatch(text[s - 1:e]):
            continue
        hits.append((start, e, text[start:e], SUFFIXES[suffix], ()))
        floor = e
    taken = [(h[0], h[1]) for h in hits]
    for a, b, d in shorts:
        if not any(x < b and a < y for x, y in taken):
            hits.append((a, b, d.name, d.level, (d,)))
    hits.sort()
    return tuple(_resolve(hits))


def _resolve(hits) -> list[Place]:
    """Places with the gazetteer's division chosen (by the divisions the text names), its
    level and the containing place."""
    sure = {h[4][0].code for h in hits if len(h[4]) == 1}
    chosen: list[gz.Division | None] = []
    for h in hits:
        divs = h[4]
        if len(divs) > 1:
            near = [d for d in divs if any(a.code in sure for a in gz.ancestors(d.code))
                    or any(d.code in {a.code for a in gz.ancestors(c)} for c in sure)]
            divs = tuple(near) if near else divs
        chosen.append(divs[0] if len(divs) == 1 else None)
    named = {d.code for d in chosen if d is not None}
    out: list[Place] = []
    for h, d in zip(hits, chosen):
        start, end, name, level, divs = h
        before = out[-1].name if out and out[-1].end == start else None
        if d is not None:
            ups = gz.ancestors(d.code)
            parent = next((a.name for a in ups if a.code in named), ups[0].name if ups else None)
            out.append(Place(start, end, d.name, d.level, parent))
        else:
            lvl = level or (divs[0].level if divs and len({x.level for x in divs}) == 1 else _suffix_level(name))
            out.append(Place(start, end, name, lvl, before))
    return out


def _suffix_level(name: str) -> str:
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return SUFFIXES[suffix]
    return ""


def place_level(name: str) -> str:
    """The level of a place name: the gazetteer's when it knows the name, else its suffix's."""
    divs = gz.full_name(name)
    if divs and len({d.level for d in divs}) == 1:
        return divs[0].level
    return _suffix_level(name)


def find_deictic(text: str) -> list[tuple[int, int]]:
    """Spans of 我市/全县/本区 …: the report's own place."""
    return [(m.start(), m.end()) for m in DEICTIC_RE.finditer(text)]


def short_name(name: str) -> str:
    """平安县 → 平安, 融水苗族自治县 → 融水 (for matching short mentions); names too short
    to shorten stay whole."""
    if gz.full_name(name):
        return gz.short_form(name)
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
