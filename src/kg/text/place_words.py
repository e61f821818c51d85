"""The words of a text around an administrative suffix, for kg.text.places: where a place
name written before 乡/镇/村/县 … starts, by jieba's words and tags (its dictionary alone, so
that the same text always gives the same words).

A word jieba's dictionary has keeps its tag (a verb, adjective or common noun ends a name); a
word jieba only guessed (its HMM stage) is a possible name, of which only the part after a stop
character (在, 的 …) counts. Pure functions of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate, chain, repeat

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMERAL_CHARS = set("一二三四五六七八九十百千万两几")
#: the first characters of the administrative suffixes (a word ending in one is another name)
SUFFIX_CHARS = set("自省市州盟地县旗区街办乡镇村社")

# characters and words that end a name on its left (prepositions, verbs of place, determiners)
LEFT_STOP_CHARS = set("在的对于到从与及为是原全我本该各每等个了以把被将由向给至往距共有这那其此另即含年月日")
LEFT_STOP_WORDS = ("地处", "位于", "比如", "例如", "包括", "其中", "现有", "共有", "通过", "来自", "覆盖", "涉及", "实现", "全部", "会同", "完成", "明确",
                   "随访", "分别", "吸纳", "配有", "低于", "高于")
# a stem containing one of these is a common noun, not a name
BAD_STEM = ("贫困", "乡镇", "城市", "城区", "城镇", "城乡", "县城", "非", "深度", "示范", "重点", "行政", "自然", "试点", "整", "通", "驻", "包",
            "帮", "进", "入", "下", "返", "撤", "建", "超", "地", "园", "库", "景", "片",
            "聚居", "开发", "试验", "市场", "社会", "区域", "农", "多", "出列", "退出", "脱贫", "各", "所有", "相关", "周边", "附近", "当地", "本地", "外地", "机关", "街",
            "老区", "小山", "中心", "移民", "安置", "搬迁", "民族", "特色", "先进", "文明", "美丽", "旅游", "生态", "集体", "产业", "保护")

#: jieba tags of proper names (places, persons, other names, abbreviations)
PROPER_TAGS = {"ns", "nr", "nrt", "nrfg", "nz", "nt", "j"}
#: jieba tags that end a name on its left: prepositions, conjunctions, pronouns, numbers,
#: measure words, particles, adverbs, times, directions, punctuation
STOP_TAGS = {"p", "c", "r", "rr", "rz", "m", "mq", "q", "u", "uj", "ul", "ug", "uz", "uv", "ud", "y", "e", "o",
             "d", "df", "dg", "t", "tg", "f", "x", "w", "l", "i", "zg"}
VERB_TAGS = {"v", "vd", "vn", "vg", "vi", "vq"}
ADJ_TAGS = {"a", "ad", "an", "ag"}
#: tags of one-character words that end a name on its left (和, 都, 不, 三, 个)
SINGLE_STOP_TAGS = {"p", "c", "r", "rr", "rz", "m", "mq", "q", "u", "uj", "ul", "ug", "uz", "uv", "ud", "y", "e", "o", "d"}
GOV_NEXT = ("政府", "党委")
MAX_STEM = 4


@lru_cache(maxsize=1)
def _segmenter():
    """jieba's own dictionary, without the words kg's pipeline adds: the same words every time."""
    from .segmenter import Segmenter
    return Segmenter()


#: characters jieba never puts inside a block it segments (whitespace, punctuation: its blocks are
#: runs of ideographs, ASCII letters, digits and +#&._%-): a text's words are the words of the
#: pieces between them, segmented one by one (tests/text/test_place_words.py checks it)
PIECE = re.compile(r"[^\s\u2000-\u206f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
                   r"!\"$'()*,/:;<=>?@\[\\\]^`{|}~]+")


class Words:
    """jieba's words of a text, by position: word i spans starts[i]..ends[i] with tag tags[i];
    ``known[i]`` whether it is a word of jieba's dictionary of two characters or more (looked up
    when asked); ``at[p]`` the word holding character p.

    With ``pieces`` (spans of :data:`PIECE` matches, in order), only those pieces are segmented, and each stretch of text between them is one word
    tagged "x" that is not known: rules that read only the words of such pieces (a place's
    suffix and the words before it) save the segmentation of the rest. ``tagged`` lists the
    (first, end) word indices of the segmented pieces."""

    def __init__(self, text: str, pieces: Iterable[tuple[int, int]] | None = None):
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.tags: list[str] = []
        self.at: list[int] = []
        self.tagged: list[tuple[int, int]] = []
        self._words: list[str] = []
        tag = _segmenter().tag
        pos = 0
        for a, b in (pieces if pieces is not None else (m.span() for m in PIECE.finditer(text))):
            piece = text[a:b]
            self._unsegmented(pos, a)
            pairs = tag(piece)
            words, tags = [w for w, _ in pairs], [t for _, t in pairs]
            lengths = list(map(len, words))
            if sum(lengths) != len(piece):          # the words do not give the piece back: one a character
                for c in range(a, b):
                    self._unsegmented(c, c + 1)
            else:
                first = len(self.starts)
                self.ends.extend(accumulate(lengths, initial=a))
                del self.ends[first]                # accumulate's initial value: the first start
                self.starts.append(a)
                self.starts.extend(self.ends[first:-1])
                self.tags.extend(tags)
                self._words.extend(words)
                self.at.extend(chain.from_iterable(map(repeat, range(first, first + len(words)), lengths)))
                self.tagged.append((first, len(self.starts)))
            pos = b
        self._unsegmented(pos, len(text))
        self.at.append(len(self.starts))
        self.known: _Known = _Known(self._words, _segmenter().has_word)

    def _unsegmented(self, a: int, b: int) -> None:
        """Characters a..b as one word tagged "x" that is not known: a stretch between kept
        pieces (the characters next to them are punctuation, which ends every rule's walk from a
        suffix), or one character of a piece whose words do not give it back."""
        if a >= b:
            return
        self.at.extend(repeat(len(self.starts), b - a))
        self.starts.append(a)
        self.ends.append(b)
        self.tags.append("x")
        self._words.append("")

    def word(self, i: int) -> str:
        return self.text[self.starts[i]:self.ends[i]]


class _Known:
    """``known[i]`` of :class:`Words`: a dictionary look-up made only for the words a rule reads."""

    __slots__ = ("_words", "_has_word")

    def __init__(self, words: list[str], has_word):
        self._words, self._has_word = words, has_word

    def __getitem__(self, i: int) -> bool:
        w = self._words[i]
        return len(w) > 1 and self._has_word(w)


# ------------------------------------------------------------------ stems


def _stop_word(text: str, a: int, b: int) -> bool:
    w = text[a:b]
    return (not all(HAN.match(c) for c in w) or (len(w) == 1 and w in LEFT_STOP_CHARS) or w in LEFT_STOP_WORDS)


def local_stem(ws: Words, s: int, e: int, floor: int, village: bool) -> int | None:
    """Where a town's or village's name ending at ``s`` (its suffix's start) starts, by words:
    the words before it, up to a dictionary verb or adjective (a verb or common noun right
    before a village's suffix: 发展村), a preposition, number, punctuation or another place.
    Of a word jieba only guessed (not in its dictionary; its tag is a guess too), the part
    after such a character or place."""
    text = ws.text
    i = ws.at[s]
    first = True
    start = s
    if ws.starts[i] < s:                            # the suffix inside a word: 石门镇, 岗村, 关村
        if ws.known[i] and (ws.ends[i] != e or ws.tags[i] not in PROPER_TAGS and s - ws.starts[i] >= 2):
            return None                             # 小山村, 村容村貌: a common noun
        start, first = _guessed_part(text, max(ws.starts[i], floor), s), False
        if start == s:
            return None
        if start > max(ws.starts[i], floor):
            return start if s - start >= 2 else None
    j = i - 1
    while j >= 0:
        a, b = ws.starts[j], ws.ends[j]
        known, tag = ws.known[j], ws.tags[j]
        if b <= floor or s - max(a, floor) > MAX_STEM or _stop_word(text, max(a, floor), b):
            break
        if b - a == 1:
            if tag in SINGLE_STOP_TAGS:
                break                               # 和, 都, 三
        elif text[b - 1] in SUFFIX_CHARS and not first:
            break                                   # 南乡|石塘村: another name
        elif not known:
            if a < floor or any(c in LEFT_STOP_CHARS for c in text[a:b]):
                start = _guessed_part(text, max(a, floor), b)    # 县石|门村 after 融水县, 局在桃|源镇
                break
        elif tag in STOP_TAGS or tag in VERB_TAGS and (village or not first) or tag in ADJ_TAGS and not first:
            break                                   # 加快|某某镇, 引导|某某村, 发展村
        if a < floor:
            start = floor                           # 大峪镇西|范庄村: the word's part after the town
            break
        start, first, j = a, False, j - 1
    return start if s - start >= 2 else None


def _guessed_part(text: str, a: int, b: int) -> int:
    """Where the name part of text[a:b] starts: after its last stop character or non-Han one."""
    k = b
    while k > a and HAN.match(text[k - 1]) and text[k - 1] not in LEFT_STOP_CHARS:
        k -= 1
    return k


def unknown_stem(ws: Words, s: int, e: int, floor: int) -> int | None:
    """Where a county-level or higher name the gazetteer lacks starts: words of the dictionary
    that are names (安平市, 白水区), or one adjective right before the suffix (平安市)."""
    i = ws.at[s]
    if ws.starts[i] < s:                            # one dictionary word: 平安县
        a = ws.starts[i]
        ok = ws.known[i] and ws.ends[i] == e and ws.tags[i] == "ns" and s - a >= 2 and a >= floor
        return a if ok else None
    start, j = s, i - 1
    while j >= 0:
        a = ws.starts[j]
        if a < floor or s - a > MAX_STEM or not ws.known[j] \
                or not (ws.tags[j] in PROPER_TAGS or ws.tags[j] in ADJ_TAGS and start == s):
            break
        start, j = a, j - 1
    return start if s - start >= 2 else None


def glued_right(ws: Words, s: int, e: int) -> bool:
    """The suffix starts a longer common word of the dictionary (乡村, 村规民约, 县城, 区域; not
    镇政府, nor a name: 某某镇某某庄村)."""
    i = ws.at[s]
    if ws.starts[i] != s or ws.ends[i] <= e or not ws.known[i] or ws.tags[i] in PROPER_TAGS:
        return False
    return not any(ws.word(i)[e - s:] == g for g in GOV_NEXT)


def bad_stem(stem: str, lead_common: bool = False) -> bool:
    """A common noun: a word of BAD_STEM in it; a one-character one (驻, 进, 下 …) only right
    before the suffix, or opening a stem that starts with a common word (下辖镇; not 下南乡)."""
    return (not 2 <= len(stem) <= MAX_STEM
            or any(b in stem if len(b) > 1 else stem.endswith(b) or lead_common and stem.startswith(b) for b in BAD_STEM)
            or all(c in NUMERAL_CHARS for c in stem) or any(w in stem for w in LEFT_STOP_WORDS))
