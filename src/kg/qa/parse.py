"""The question parser: a Chinese question → slots (pure: no store, no SPARQL).

What a question is about is recognised from general rules and from the vocabulary, never
from known wordings:

* **indicator / breakdown** — the ontology's SKOS labels (``kg.lexicon``), matched exactly or
  loosely: a label whose character bigrams all occur in the question matches even when its
  words are reordered (贫困村退出了几个 ~ 退出贫困村), and the question and the labels are put
  into one canonical form first (没有/尚未 → 未, 贫困户 → 贫困人口 …). Labels the question
  only partly contains are penalised per missing character; nothing matches when the best
  reading scores too low, or when more of the question is unexplained than explained;
* **time** — ``kg.text.timex`` (years, year ends, months, spans …), after Chinese and
  two-digit years are rewritten as Arabic four-digit years;
* **place** — any place the graph knows, at any level, by full or short name (平安 → 平安县;
  not a township's or village's short name that is a common word); a short name of several
  places is reported as ambiguous (桃源 → 桃源县, 桃源镇); 我市/全县 → the reports' own places
  of that level; an administrative name or a jieba place word the graph does not know is
  reported as unknown;
* **unit asked** — 多少户/几人/多少亩/多少钱/占比 …; **modality** — 计划/目标/要/确保 … ask
  for targets; **question type** — value, sum, max/min (over years or places), difference,
  list, series.

:func:`parse_question` never raises on any string.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal

from ..lexicon import Concept, Lexicon
from ..text.modality import is_achieved, target_cue
from ..text.normalize import normalize_width
from ..text.numerals import NumberParseError, parse_number
from ..text import gazetteer
from ..text.places import DEICTIC_RE, find_places
from ..text.places import place_level as text_place_level
from ..text.places import short_name as places_short_name
from ..text.timex import TimeExpr, find_times
from ..text.units import TIME_UNITS, UNITS, longest_unit_at, unit_class, units_flagged

MAX_QUESTION = 300

# ------------------------------------------------------------------ units asked

#: units that say little about what is counted (个 follows almost anything): ontology/units.tsv
WEAK_UNITS = units_flagged("weak")


def base_slug(base: str) -> str | None:
    u = UNITS.get(base)
    return u.slug if u else None


# ------------------------------------------------------------------ canonical form

#: the same rewriting is applied to the question and to every label (longest first)
CANONICAL = [
    ("还没有", "未"), ("还未", "未"), ("尚未", "未"), ("没有", "未"), ("还没", "未"), ("没", "未"),
    ("贫困群众", "贫困人口"), ("贫困人员", "贫困人口"), ("贫困群体", "贫困人口"), ("贫困户", "贫困人口"),
    ("脱贫户", "脱贫人口"), ("人数", "人口"), ("户数", "户"), ("村子", "村"), ("村庄", "村"),
    ("还剩下", "剩余"), ("剩下", "剩余"), ("还剩", "剩余"), ("仍有", "剩余"), ("尚有", "剩余"), ("几率", "率"), ("百分率", "率"), ("比率", "率"),
]
_CANON_RE = re.compile("|".join(re.escape(a) for a, _ in sorted(CANONICAL, key=lambda x: -len(x[0]))))
_CANON = dict(CANONICAL)


def canonical(text: str) -> str:
    return _CANON_RE.sub(lambda m: _CANON[m.group()], text)


# ------------------------------------------------------------------ cue words

QWORD_RE = re.compile(r"(?:是|(?<![还现尚共仍])有|为|达|约|大约|大概)?(?:多少|几|若干|啥|什么)")
PERCENT_Q_RE = re.compile(r"百分之(?:几|多少)|几成|多少%|多大比例|多大比重|百分比")
TARGET_RE = re.compile(r"计划|目标|打算|准备|预计|预期|拟|力争|争取|确保|规划|任务|"
                       r"(?<![需主重只必想])要(?![求点素闻是么])|将要|将会|将于|将在|即将")
ACHIEVED_Q_RE = re.compile(r"实际|已经|已|完成了|实现了")
SUM_RE = re.compile(r"一共|总共|共计|合计|总计|累计|加起来|总和|之和|总数|总量|共")
SERIES_RE = re.compile(r"每年|每一年|各年|历年|逐年|分年度|各年度|年度变化|分别|各是|变化趋势|趋势|哪些年|哪几年|每个年度")
LIST_RE = re.compile(r"哪些|有什么|包括什么|包含什么|都有啥|有啥|列举|列出|是什么|包括哪|都是什么")
MAX_RE = re.compile(r"最多|最高|最大|最快|最长|最好|峰值")
MIN_RE = re.compile(r"最少|最低|最小|最慢|最短")
#: a superlative that describes a noun (全国最大的易地搬迁安置县) rather than asks which one ranks
#: first: 最X的 before a noun other than what is ranked (一年, 村, 是 …)
DESCRIBING_SUPERLATIVE = re.compile(
    r"(?:最多|最高|最大|最快|最长|最好|最少|最低|最小|最慢|最短)的"
    r"(?!一?年|年份|时候|是|一个|一|那|哪|村|镇|乡|县|市|区|地方|地区|街道|企业|项目|产业)")
CLAUSE_SPLIT = re.compile(r"[，,；;：:。]")
QUESTION_WORD = re.compile(r"哪|几|多少|什么|谁|如何|怎样")


def ranks(text: str) -> bool:
    """Whether the question asks which one ranks first or last (哪一年减少最多), not a value of a
    thing it describes by a superlative (作为全国最大的移民安置县，共安置了多少移民)."""
    for clause in CLAUSE_SPLIT.split(text):
        if not (MAX_RE.search(clause) or MIN_RE.search(clause)):
            continue
        plain = DESCRIBING_SUPERLATIVE.sub("", clause)
        if (MAX_RE.search(plain) or MIN_RE.search(plain)) and (
                QUESTION_WORD.search(clause) or not QUESTION_WORD.search(text)):
            return True
    return False
WHICH_YEAR_RE = re.compile(r"哪一?年|哪个年份|什么年份|哪一个年份|那一年|年份")
WHICH_PLACE_RE = re.compile(r"哪(?:一个|个|一)?(?:乡镇|街道|地方|地区|村|镇|乡|县|市|区)|哪里|哪儿|何地")
COMPARE_RE = re.compile(r"比|较|相比|相较|相差|差距|差多少|差了|增减|变化")
DIRECTION_RE = re.compile(r"(?:比|较)[0-9年底末]*(多|少|增加|减少|增长|下降|高|低|上升)")
PER_RE = re.compile(r"每户|每人|每名|人均|户均|每个|每村|每月|平均每|平均")
COUNTED_PERSON_RE = re.compile(r"贫困人口|人口|贫困群众|群众|贫困人员|人员|劳动力|学生|干部|农民|村民|名|人")
COUNTED_HOUSEHOLD_RE = re.compile(r"贫困户|脱贫户|农户|户")
QUERY_SYNTAX_RE = re.compile(r"[{}]|\?[a-z](?![a-z])|(?<![a-z])(?:select|where|union|insert|delete|drop|graph|filter|prefix|"
                             r"optional|construct|describe|ask|load|clear|create|service|bind|values|or|and|limit|from|"
                             r"into|table|data)(?![a-z])|--|;|=")
#: 哪个县/哪个乡镇 …: the level of the places ranked
RANK_LEVELS = [("乡镇", ("乡", "镇")), ("街道", ("街道",)), ("村", ("村",)), ("镇", ("镇",)), ("乡", ("乡",)),
               ("县", ("县",)), ("市", ("市",)), ("区", ("区",))]
WHICH_KIND_RE = re.compile(r"哪(?:一|个|一个)?(?:种|类|项|方面|原因|部分)|什么原因|哪个原因")
RELATIVE_TIME_RE = re.compile(r"今年|去年|前年|明年|后年|上一年|下一年|本年度|近几年|近年|这几年")
PARTICLES = set("的了过着呢吗嘛啊呀吧么哦呃哈")
#: generic words of questions and of the domain: neither evidence for nor against a reading
FILLER = {
    "贫困村", "贫困人口", "贫困", "扶贫", "脱贫攻坚", "精准扶贫", "全市", "全县", "全区", "我市", "我县",
    "村", "户", "人", "个", "人口", "共", "一共", "总共", "合计", "全部", "实现", "完成", "达到", "为", "有", "是",
    "还有", "还", "截至", "截止", "目前", "现在", "当年", "年度", "其中", "总数", "数量", "情况", "规模", "共有",
    "新增", "新", "建成", "建设", "建", "开发", "发放", "提供", "带动", "吸纳", "投入", "注入", "增加", "增加至",
    "增加到", "下降", "下降为", "下降到", "减少", "提高", "提升", "达", "获得", "拥有", "已经", "已", "都", "总",
    "市级", "县级", "村级", "乡镇", "地区", "请问", "一下", "告诉", "我", "你", "知道", "想", "问", "查询", "查",
    "统计", "数据", "报告", "中", "里", "上", "年份", "多", "少", "最", "那", "这", "该", "此", "年", "底", "末",
    "时候", "期间", "以来", "到", "至", "在", "从", "自", "于", "和", "与", "及", "或", "比", "较", "相比", "相差",
    "差", "多少", "几", "一", "各", "每", "所有", "全", "总共", "到底", "究竟", "大概", "大约", "约", "左右",
    "计划", "目标", "打算", "准备", "预计", "要", "将", "确保", "力争", "争取", "任务", "实际", "分别", "历年",
    "每年", "各年", "逐年", "哪", "哪些", "哪个", "哪一年", "哪年", "最多", "最少", "最高", "最低", "最大", "最小",
    "累计", "合计", "总计", "加起来", "总和", "之和", "总量", "共计", "有关", "关于", "方面", "工作", "成效",
    "情形", "状况", "水平", "程度", "比例", "占比", "比重", "百分比", "金额", "资金", "钱", "面积", "人次",
    "能", "可以", "请", "帮", "帮我", "给", "看看", "说说", "呢", "吗", "啥", "什么", "怎样", "如何", "多大",
    "市", "县", "镇", "乡", "区", "省", "政府", "当地", "本地", "全省", "全国", "变化", "增减", "名", "家",
    "贫困户", "群众", "农户", "农民", "居民", "单位", "万", "亿", "万元", "亿元", "元", "亩", "度", "率",
    "多多少", "少多少", "差多少", "到了", "截止到", "截至到", "底时", "年末", "年底", "一年", "那年",
}
#: jieba place words that are not names of one place
GENERIC_PLACES = {"山区", "地区", "农村", "城乡", "城市", "乡村", "乡镇", "全国", "全省", "全市", "全县", "国家",
                  "边区", "老区", "库区", "牧区", "平原", "高原", "盆地", "东部", "西部", "中部", "南方", "北方"}

_CN_YEAR_RE = re.compile(r"([零〇○一二两三四五六七八九十百千]{3,9})(?=年)")
_SHORT_YEAR_RE = re.compile(r"(?<![0-9０-９.])([0-2][0-9])(?=年(?!代|来|间|前|后|内|里|以来|多|左右|半|的时间))")
_NON_CONTENT_RE = re.compile(r"[\s\u3000,，。.!！?？;；:：、'\"“”‘’()（）\[\]【】{}<>《》「」『』`~·…\-—_=+*/\\|@#$%^&]")


# ------------------------------------------------------------------ vocabulary


@dataclass(frozen=True)
class PlaceInfo:
    label: str
    level: str = ""
    parent: str | None = None
    is_report_place: bool = False


_TOKENIZER = None
_TOKENIZER_LOCK = threading.Lock()
_NS_WORDS: set[str] | None = None


def tokenizer():
    """A private jieba tokenizer (the extractor's global one is left alone)."""
    global _TOKENIZER
    with _TOKENIZER_LOCK:
        if _TOKENIZER is None:
            import jieba
            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            _TOKENIZER = tk
    return _TOKENIZER


def ns_words() -> set[str]:
    """Place names in jieba's own dictionary (tag ns): to notice places the graph lacks."""
    global _NS_WORDS
    if _NS_WORDS is None:
        out: set[str] = set()
        try:
            import jieba
            path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
            with open(path, encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3 and parts[2] == "ns" and len(parts[0]) >= 2:
                        out.add(parts[0])
        except OSError:
            pass
        _NS_WORDS = out - GENERIC_PLACES
    return _NS_WORDS


def short_name(name: str) -> str:
    """平安县 → 平安, 石门镇 → 石门: the name without its administrative suffix (stem of 2+);
    of a division the gazetteer knows, its short form (宁夏回族自治区 → 宁夏, 融水苗族自治县 → 融水)."""
    return places_short_name(name)


#: levels below the county: their short names are used only when they are not common words
LOCAL_LEVELS = {"乡", "镇", "街道", "村"}
#: the level a deictic names: 我市/全州 → 市, 本县/该旗 → 县, 全区 → 区
DEICTIC_LEVELS = {"市": "市", "州": "市", "县": "县", "旗": "县", "区": "区"}

_JIEBA_TAGS: dict[str, str] | None = None


def jieba_tags() -> dict[str, str]:
    """word → part-of-speech tag of jieba's own dictionary."""
    global _JIEBA_TAGS
    if _JIEBA_TAGS is None:
        out: dict[str, str] = {}
        try:
            import jieba
            path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
            with open(path, encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3:
                        out[parts[0]] = parts[2]
        except OSError:
            pass
        _JIEBA_TAGS = out
    return _JIEBA_TAGS


def place_level(label: str, info: "PlaceInfo | None" = None) -> str:
    """A place's administrative level: the graph's, else the gazetteer's, else its suffix's (平安县 → 县)."""
    if info is not None and info.level:
        return info.level
    return text_place_level(label)


def place_surfaces(label: str, level: str = "") -> tuple[list[str], list[tuple[str, bool]]]:
    """(full names, [(short name, usable)]) a place may be written as: 平安县 → ([平安县],
    [(平安, True)]); a name made of several (某省平安县, a report's place as its metadata gives
    it) also by its last part (平安县, 平安); a division of the gazetteer also by its official
    name, variants and short form (融水苗族自治县: 融水县, 融水). A short name of a township or
    village that is a common word (热水村 → 热水) is not usable on its own — the full name is needed — but still
    makes the short name of another place (桃源县, 桃源镇 → 桃源) ambiguous."""
    full = [label]
    parts = find_places(label)
    if len(parts) >= 2 and parts[-1].end == len(label) and parts[-1].name != label:
        full.append(parts[-1].name)
    # a division of the gazetteer also by its official name and variants (融水县, 融水苗族自治县)
    division = gazetteer.full_name(label) or gazetteer.full_name(full[-1]) or gazetteer.lookup(label)
    if len(division) == 1:
        full += [n for n in (division[0].name, *gazetteer.variants(division[0].name)) if n not in full]
    short = []
    for name in full:
        s = short_name(name)
        if s == name or len(s) < 2:
            continue
        lvl = level if name == label and level else place_level(name)
        tag = jieba_tags().get(s)
        short.append((s, not (lvl in LOCAL_LEVELS and tag is not None and tag != "ns")))
    return full, short


def _bigrams(s: str) -> list[str]:
    return [s[i:i + 2] for i in range(len(s) - 1)]


@dataclass
class LabelEntry:
    text: str          # the label as written
    canon: str         # its canonical form
    concept: Concept


class Vocabulary:
    """What the parser may recognise: the lexicon's labels, the graph's places and names."""

    def __init__(self, lexicon: Lexicon, places: dict[str, PlaceInfo] | None = None,
                 known_words: set[str] | None = None, categories: dict[str, str] | None = None,
                 extra_terms: dict[str, list[Concept]] | None = None, present: set[str] | None = None,
                 aliases: dict[str, str] | None = None):
        self.lexicon = lexicon
        self.present = present          # indicator IRIs with facts in the store (None: unknown)
        self.places = dict(places or {})
        self.categories = dict(categories or {})      # label → IRI
        self.entries: dict[str, list[LabelEntry]] = {}  # canonical label → entries
        for text, terms in lexicon.terms.items():
            c = canonical(text)
            for t in terms:
                self.entries.setdefault(c, []).append(LabelEntry(text, c, t.concept))
        for text, concepts in (extra_terms or {}).items():
            c = canonical(text)
            for concept in concepts:
                if all(e.concept.iri != concept.iri for e in self.entries.get(c, [])):
                    self.entries.setdefault(c, []).append(LabelEntry(text, c, concept))
        self.max_len = max((len(c) for c in self.entries), default=0)
        self.bigram_index: dict[str, set[str]] = {}
        self.label_bigrams: dict[str, list[str]] = {}
        self.label_generic: dict[str, frozenset[int]] = {}
        for c in self.entries:
            self.label_bigrams[c] = _bigrams(c)
            self.label_generic[c] = frozenset(j for j in range(len(c)) if _in_generic(c, j))
            for bg in self.label_bigrams[c]:
                self.bigram_index.setdefault(bg, set()).add(c)
        # places by every surface: full name, short name; a short name of several places is
        # ambiguous (桃源 → 桃源县 and 桃源镇): the question must say which
        self.place_surfaces: dict[str, str] = {}
        self.ambiguous: dict[str, list[str]] = {}
        shorts: dict[str, set[str]] = {}
        usable: set[str] = set()
        alternates: dict[str, set[str]] = {}
        aliases = aliases or {}             # 平安县 → 某省平安县: one place, named by the second
        for label, info in self.places.items():
            full, short = place_surfaces(label, info.level)
            self.place_surfaces[label] = aliases.get(label, label)
            for f in full[1:]:
                alternates.setdefault(f, set()).add(aliases.get(label, label))
                usable.add(f)
            for s, ok in short:
                shorts.setdefault(s, set()).add(aliases.get(label, label))
                if ok:
                    usable.add(s)
        for surface, labels in [*alternates.items(), *shorts.items()]:
            if surface in self.place_surfaces or surface in self.entries or surface not in usable:
                continue
            if surface in self.ambiguous:
                self.ambiguous[surface] = sorted(set(self.ambiguous[surface]) | labels)
            elif len(labels) == 1:
                self.place_surfaces[surface] = next(iter(labels))
            else:
                self.ambiguous[surface] = sorted(labels)
        for surface in list(self.ambiguous):
            self.place_surfaces.pop(surface, None)
        self.place_max = max((len(s) for s in [*self.place_surfaces, *self.ambiguous]), default=0)
        self.report_places = {p for p, info in self.places.items() if info.is_report_place}
        self.known_words = {w for w in (known_words or set()) if len(w) >= 2} | set(self.categories)
        tk = tokenizer()
        for w in [*self.entries, *self.place_surfaces, *self.ambiguous, *self.known_words]:
            if 2 <= len(w) <= 12:
                tk.add_word(w, freq=3000)
        self.ns = ns_words()


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class TimeSlot:
    kind: str           # year | year_end | half_year | quarter | month | date | span | since | plan_period
    start_year: int
    end_year: int
    label: str          # 2015, 2017-YE, 2018-05, 2014/2017 …
    zh: str
    month: int | None = None

    @property
    def single_year(self) -> bool:
        return self.start_year == self.end_year and self.kind not in ("since",)


@dataclass
class Match:
    concept: Concept
    label: str                 # the label as written in the ontology
    positions: frozenset[int]  # positions of the content it covers
    exact: bool
    score: float
    missing: int


@dataclass
class Reading:
    indicator: Concept
    breakdown: Concept | None
    score: float
    covered: frozenset[int]
    matches: list[Match]

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.indicator.iri, self.breakdown.iri if self.breakdown else None)


@dataclass
class Parsed:
    question: str
    text: str = ""                       # normalised question
    content: str = ""                    # what is left to name the indicator
    times: list[TimeSlot] = field(default_factory=list)
    places: list[str] = field(default_factory=list)       # graph places named, in order
    deictic: bool = False                # 我市/全市 …
    deictic_levels: set[str] = field(default_factory=set)   # 我县 → {县}
    ambiguous_places: list[tuple[str, list[str]]] = field(default_factory=list)  # (桃源, [桃源县, 桃源镇])
    unknown_places: list[str] = field(default_factory=list)
    place_words: list[str] = field(default_factory=list)   # 北山片区, 城镇: named regions, not divisions
    relative_time: str | None = None     # 今年/去年 … (no anchor: refused)
    unit: str | None = None              # base unit asked (人, 户, 个, 元, %, 亩 …)
    unit_written: str | None = None      # as written (万元, 名 …)
    unit_strength: str | None = None     # strong | soft
    target: bool = False
    qtype: str = "value"                 # value | sum | max | min | diff | list | series
    rank_over: str | None = None         # year | place (max/min)
    rank_levels: set[str] = field(default_factory=set)      # 哪个县 → {县}: the places ranked
    direction: str = "more"              # diff: more | less | abs
    per: bool = False                    # a rate is asked (每户/人均)
    sum_cue: bool = False
    readings: list[Reading] = field(default_factory=list)
    category: tuple[str, float] | None = None   # (category label, similarity)
    categories: list[tuple[str, float]] = field(default_factory=list)
    known: list[str] = field(default_factory=list)        # known entity words named
    unknown_words: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def reading(self) -> Reading | None:
        return self.readings[0] if self.readings else None

    def slots(self) -> dict:
        """A plain view of the slots (for tests and debugging)."""
        r = self.reading
        return {
            "indicator": r.indicator.slug if r else None,
            "breakdown": r.breakdown.slug if r and r.breakdown else None,
            "years": [t.label for t in self.times], "places": list(self.places), "unit": self.unit,
            "target": self.target, "qtype": self.qtype, "rank_over": self.rank_over,
            "category": self.category[0] if self.category else None,
            "unknown_places": list(self.unknown_places), "problems": list(self.problems),
            "ambiguous_places": {s: list(ls) for s, ls in self.ambiguous_places},
        }


# ------------------------------------------------------------------ parsing steps


def normalise(question: str) -> str:
    """Width-normalised, without blanks, Chinese and two-digit years as Arabic four digits."""
    t = normalize_width(str(question))[:MAX_QUESTION]
    t = re.sub(r"\s+", "", t).lower()

    def cn_year(m: re.Match) -> str:
        s = m.group(1)
        if all(ch in "零〇○一二三四五六七八九" for ch in s):
            return s                      # digit-by-digit years: timex reads them
        try:
            v = parse_number(s)
        except NumberParseError:
            return s
        return str(int(v)) if v == int(v) and 1900 <= v <= 2100 else s

    t = _CN_YEAR_RE.sub(cn_year, t)
    t = _SHORT_YEAR_RE.sub(lambda m: "20" + m.group(1) if int(m.group(1)) <= 30 else m.group(1), t)
    return t


def _slot(t: TimeExpr) -> TimeSlot:
    return TimeSlot(t.kind, t.start_year, t.end_year, t.label, t.zh, t.month)


def _find_places(vocab: Vocabulary, t: str, blocked: list[bool]) -> list[tuple[int, int, str | list[str]]]:
    """(start, end, place label) of every place named, longest surface first; an ambiguous
    short name gives the list of the places it may be."""
    out = []
    i, n = 0, len(t)
    while i < n:
        hit = None
        if not blocked[i]:
            for length in range(min(vocab.place_max, n - i), 1, -1):
                surface = t[i:i + length]
                label = vocab.place_surfaces.get(surface) or vocab.ambiguous.get(surface)
                if label and not any(blocked[i:i + length]):
                    hit = (i, i + length, label)
                    break
        if hit:
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


def place_spans(vocab: Vocabulary, text: str) -> list[tuple[int, int]]:
    """(start, end) of every place ``text`` names, as the parser finds them."""
    return [(a, b) for a, b, _ in _find_places(vocab, text, [False] * len(text))]


def _unit_after(t: str, k: int) -> tuple[str, str, int] | None:
    """(written unit, base unit, end) of a measure word right after a question word."""
    if t.startswith("钱", k):
        return "元", "元", k + 1
    u = longest_unit_at(t, k)
    if u is None or not u.base or u.name in TIME_UNITS or u.base in TIME_UNITS:
        return None
    end = k + len(u.name)
    if u.base == "人" and t.startswith("口", end):
        end += 1
    if u.name == "度" and t.startswith("电", end):
        pass
    return u.name, u.base, end


class _Content:
    """The question minus times, places, question words and particles, with positions."""

    def __init__(self, t: str, removed: list[bool]):
        self.chars: list[str] = []
        self.origin: list[int] = []
        for i, ch in enumerate(t):
            if removed[i] or ch in PARTICLES or _NON_CONTENT_RE.match(ch):
                continue
            self.chars.append(ch)
            self.origin.append(i)
        self.text = "".join(self.chars)

    def position_of(self, orig: int) -> int:
        """The content index at or after original position ``orig``."""
        for k, o in enumerate(self.origin):
            if o >= orig:
                return k
        return len(self.origin)


def _token_bounds(text: str) -> set[int]:
    bounds = {0, len(text)}
    pos = 0
    for tok in tokenizer().cut(text, HMM=False):
        pos += len(tok)
        bounds.add(pos)
    return bounds


def _match_labels(vocab: Vocabulary, c: str, bounds: set[int], qpos: int | None) -> dict[str, list[Match]]:
    """Every label that matches the content ``c`` (exactly or loosely), by concept IRI."""
    n = len(c)
    found: dict[str, list[Match]] = {}
    seen: set[str] = set()
    # exact
    for i in range(n):
        for length in range(2, min(vocab.max_len, n - i) + 1):
            s = c[i:i + length]
            entries = vocab.entries.get(s)
            if not entries:
                continue
            score = float(length)
            if length <= 2 and not (i in bounds and i + length in bounds):
                score = 1.6            # a two-character label inside a longer word: weaker
            seen.add(s)
            pos = frozenset(range(i, i + length))
            for e in entries:
                found.setdefault(e.concept.iri, []).append(Match(e.concept, e.text, pos, True, score, 0))
    # loose: labels sharing bigrams with the content
    cb: dict[str, list[int]] = {}
    for i, bg in enumerate(_bigrams(c)):
        cb.setdefault(bg, []).append(i)
    candidates: set[str] = set()
    for bg in cb:
        candidates |= vocab.bigram_index.get(bg, set())
    for label in candidates - seen:
        if len(label) < 3:
            continue
        covered_l: set[int] = set()
        hits = []
        for j, bg in enumerate(vocab.label_bigrams[label]):
            if bg in cb:
                covered_l.add(j)
                covered_l.add(j + 1)
                hits.append(bg)
        missing = len(label) - len(covered_l)
        if 0.7 * len(covered_l) - 0.5 * missing <= 0.5:
            continue
        generic = len(vocab.label_generic[label] - covered_l)
        score = 0.7 * len(covered_l) - 1.5 * (missing - generic) - 0.5 * generic
        if score <= 0.5:
            continue
        covered_c: set[int] = set()
        for bg in hits:
            p = min(cb[bg], key=lambda x: abs(x - (qpos or 0)))
            covered_c.add(p)
            covered_c.add(p + 1)
        for e in vocab.entries[label]:
            found.setdefault(e.concept.iri, []).append(
                Match(e.concept, e.text, frozenset(covered_c), False, score, missing))
    return found


GENERIC_PARTS = ("贫困", "扶贫")


def _in_generic(label: str, j: int) -> bool:
    return any(label[k:k + len(g)] == g for g in GENERIC_PARTS for k in range(max(0, j - len(g) + 1), j + 1))


def _concept_match(matches: list[Match]) -> tuple[float, frozenset[int], list[Match]]:
    """The best label of a concept, plus other exact labels of it that cover new characters."""
    best = max(matches, key=lambda m: (m.score, m.exact, len(m.positions)))
    covered = set(best.positions)
    used = [best]
    score = best.score
    for m in sorted(matches, key=lambda m: -m.score):
        if m is best or not m.exact:
            continue
        new = m.positions - covered
        if len(new) == len(m.positions):
            covered |= new
            score += len(new)
            used.append(m)
    return score, frozenset(covered), used


NEGATIONS = ("未", "剩余", "尚", "现有", "还有", "仍有")


def _readings(vocab: Vocabulary, p: Parsed, c: str, found: dict[str, list[Match]], qpos: int | None) -> list[Reading]:
    lex = vocab.lexicon
    per_concept = {iri: _concept_match(ms) for iri, ms in found.items()}
    readings: list[Reading] = []
    for iri, (score, covered, used) in per_concept.items():
        concept = used[0].concept
        if concept.kind == "indicator":
            readings.append(Reading(concept, None, score, covered, used))
        else:
            parent = lex.indicators.get(concept.indicator or "")
            if parent is None:
                continue
            total, cov, ms = score, covered, list(used)
            if parent.iri in per_concept:
                ps, pc, pu = per_concept[parent.iri]
                new = pc - covered
                if new:
                    total += ps * len(new) / max(1, len(pc))
                    cov = covered | pc
                    ms += pu
            readings.append(Reading(parent, concept, total, frozenset(cov), ms))
    negated = "未" in c
    slug = base_slug(p.unit) if p.unit else None
    cls = unit_class(p.unit)
    for r in readings:
        labels = "".join(m.label for m in r.matches)
        if negated and not any(w in labels for w in NEGATIONS):
            r.score -= 2.0
        units = r.indicator.units
        if p.unit and units:
            if slug in units:
                r.score += 1.5 if p.unit_strength == "strong" else 0.5
            elif any(unit_class(UNIT_NAME_BY_SLUG.get(u)) == cls for u in units):
                r.score += 0.3 if p.unit_strength == "strong" else 0.0
            elif p.unit_strength == "strong":
                r.score -= 3.0
        if qpos is not None and any(min(m.positions) == qpos or max(m.positions) + 1 == qpos for m in r.matches):
            r.score += 0.5
        r.score += 0.01 * max(max(m.positions) for m in r.matches) / max(1, len(c))
        if r.breakdown is not None:
            r.score += 0.05
    readings.sort(key=lambda r: -r.score)
    return readings


UNIT_NAME_BY_SLUG = {u.slug: u.name for u in UNITS.values() if u.base == u.name}


def _category_scores(vocab: Vocabulary, c: str) -> list[tuple[str, float]]:
    cb = set(_bigrams(c))
    out = []
    for label in vocab.categories:
        if not label:
            continue
        if label in c:
            out.append((label, 1.0 + len(label) / 100))
            continue
        lb = set(_bigrams(label))
        if not lb:
            continue
        dice = 2 * len(lb & cb) / (len(lb) + len(cb)) if cb else 0.0
        chars = sum(1 for ch in label if ch in c) / len(label)
        sim = 0.5 * dice + 0.5 * chars if lb & cb else 0.0
        if sim >= 0.55:
            out.append((label, sim))
    out.sort(key=lambda x: -x[1])
    return out


def parse_question(question: str, vocab: Vocabulary) -> Parsed:
    """Slots of ``question``. Never raises: on a failure the result carries a problem."""
    p = Parsed(question=question if isinstance(question, str) else str(question))
    try:
        _parse(p, vocab)
    except Exception as e:  # noqa: BLE001 - a question must always get an answer or a refusal
        p.problems.append(f"internal: {type(e).__name__}")
        p.readings = []
    return p


def _parse(p: Parsed, vocab: Vocabulary) -> None:
    t = normalise(p.question)
    p.text = t
    n = len(t)
    removed = [False] * n
    blocked = [False] * n

    def remove(a: int, b: int) -> None:
        for k in range(max(0, a), min(n, b)):
            removed[k] = True

    # times
    rel = RELATIVE_TIME_RE.search(t)
    if rel:
        p.relative_time = rel.group()
        remove(rel.start(), rel.end())
    for te in find_times(t):
        p.times.append(_slot(te))
        remove(te.start, te.end)
        for k in range(te.start, te.end):
            blocked[k] = True
    for m in re.finditer(r"截至|截止|截止到|截至到|到|至|从|自|在|于|年底|年末|年度|以来|当年|底", t):
        # time cue words next to a removed time
        if (m.end() < n and removed[m.end()]) or (m.start() > 0 and removed[m.start() - 1]):
            remove(m.start(), m.end())

    # places
    for m in DEICTIC_RE.finditer(t):
        p.deictic = True
        p.deictic_levels.add(DEICTIC_LEVELS.get(m.group()[-1], ""))
        remove(m.start(), m.end())
        for k in range(m.start(), m.end()):
            blocked[k] = True
    at_place = [False] * n
    for a, b, label in _find_places(vocab, t, blocked):
        if isinstance(label, list):
            p.ambiguous_places.append((t[a:b], label))
        elif label not in p.places:
            p.places.append(label)
        remove(a, b)
        for k in range(a, b):
            blocked[k] = at_place[k] = True

    # question words and the unit asked
    qpos_orig = None
    implied = None
    for m in PERCENT_Q_RE.finditer(t):
        p.unit, p.unit_written, p.unit_strength = "%", "%", "strong"
        remove(m.start(), m.end())
        qpos_orig = qpos_orig if qpos_orig is not None else m.start()
    for m in QWORD_RE.finditer(t):
        if any(removed[m.start():m.end()]):
            continue
        end = m.end()
        # 多少户, 几个: a count in a unit; 什么名字, 啥人: a name asked, not a count
        unit = None if m.group().endswith(("什么", "啥")) else _unit_after(t, end)
        first = qpos_orig is None
        if unit and p.unit is None:
            p.unit_written, p.unit, end = unit[0], unit[1], unit[2]
            p.unit_strength = "strong"
            if first and p.unit in ("人", "户"):
                implied = p.unit          # 减少多少人: the measure word names what is counted
        elif unit:
            end = unit[2]
        if p.unit is None and not m.group().endswith(("什么", "啥")):
            noun = (COUNTED_PERSON_RE.match(t, end) and "人") or (COUNTED_HOUSEHOLD_RE.match(t, end) and "户")
            if noun:
                p.unit, p.unit_written, p.unit_strength = noun, noun, "strong"
        remove(m.start(), end)
        if first:
            qpos_orig = m.start()
    if p.unit is None:
        if re.search(r"占比|比例|比重|百分比|百分之", t):
            p.unit, p.unit_written, p.unit_strength = "%", "%", "strong"
        elif re.search(r"人数|人次", t):
            p.unit, p.unit_written, p.unit_strength = "人", "人", "strong"
        elif re.search(r"户数", t):
            p.unit, p.unit_written, p.unit_strength = "户", "户", "strong"
        elif re.search(r"金额|资金|钱|费用|经费|收入|投资", t):
            p.unit, p.unit_written, p.unit_strength = "元", "元", "soft"
        elif re.search(r"面积", t):
            p.unit, p.unit_written, p.unit_strength = "亩", "亩", "soft"
        elif re.search(r"率", t):
            # 就业率有多高, 贫困发生率是多少: a rate is asked; …率的贫困村有几个: soft
            strong = re.search(r"率(?:是|为|有|达到?|降到了?|降至|降低到|提高到|增长到)?(?:多少|多高|几)", t)
            p.unit, p.unit_written, p.unit_strength = "%", "%", "strong" if strong else "soft"
        elif re.search(r"人口|群众|人员|劳动力", t):
            p.unit, p.unit_written, p.unit_strength = "人", "人", "soft"

    # modality, per, type
    untimed = list(t)
    for te in find_times(t):
        if te.kind != "year":          # 到2020年 is a target cue; 2014年到2017年 is not
            untimed[te.start:te.end] = " " * (te.end - te.start)
    untimed = "".join(untimed)
    p.target = bool(TARGET_RE.search(untimed) or target_cue(untimed)) and not (
        ACHIEVED_Q_RE.search(t) or is_achieved(t))
    p.per = bool(PER_RE.search(t))
    p.sum_cue = bool(SUM_RE.search(t))
    years = [s for s in p.times if s.single_year]
    if ranks(t):
        p.qtype = "max" if MAX_RE.search(t) else "min"
        p.rank_over = ("place" if WHICH_PLACE_RE.search(t) and not WHICH_YEAR_RE.search(t)
                       else "breakdown" if WHICH_KIND_RE.search(t) else "year")
        if p.rank_over == "place":
            which = WHICH_PLACE_RE.search(t).group()
            p.rank_levels = next((set(levels) for word, levels in RANK_LEVELS if which.endswith(word)), set())
    elif len(years) >= 2 and COMPARE_RE.search(t):
        p.qtype = "diff"
        d = DIRECTION_RE.search(t)
        p.direction = "abs" if not d else "less" if d.group(1) in ("少", "减少", "下降", "低") else "more"
    elif SERIES_RE.search(t):
        p.qtype = "series"
    elif any(s.kind == "span" for s in p.times) or (len(years) >= 2 and p.sum_cue):
        p.qtype = "sum"
    elif len(years) >= 2:
        p.qtype = "series"
    elif LIST_RE.search(t):
        p.qtype = "list"
    for rx in (MAX_RE, MIN_RE, WHICH_YEAR_RE, WHICH_PLACE_RE, WHICH_KIND_RE, SERIES_RE, LIST_RE):
        for m in rx.finditer(t):
            remove(m.start(), m.end())
            if qpos_orig is None:
                qpos_orig = m.start()
    for m in re.finditer(r"一共|总共|共计|合计|总计|加起来|总和|之和|相比|相较|相差|差距|比|较|请问|告诉我|是不是|是否", t):
        remove(m.start(), m.end())

    content = _Content(t, removed)
    raw = content.text
    if implied and qpos_orig is not None:
        # 减少多少人 → 减少人口, 脱贫多少户 → 脱贫户: the unit names what is counted
        k = content.position_of(qpos_orig)
        raw = raw[:k] + ("人口" if implied == "人" else "户") + raw[k:]
    c = canonical(raw)
    p.content = c
    qpos = len(canonical(raw[:content.position_of(qpos_orig)])) if qpos_orig is not None else None
    bounds = _token_bounds(c)
    found = _match_labels(vocab, c, bounds, qpos)
    p.readings = [r for r in _readings(vocab, p, c, found, qpos) if r.score > 0]
    if not p.readings:
        p.readings = _unit_readings(vocab, p, c)

    if p.qtype == "list" or LIST_RE.search(t):
        p.categories = _category_scores(vocab, c)
        p.category = p.categories[0] if p.categories else None

    # what is left unexplained: not the reading, not another label, not a name the graph knows
    explained: set[int] = set(p.reading.covered) if p.reading else set()
    for ms in found.values():
        for m in ms:
            if m.exact:
                explained |= m.positions
    if p.category:
        lab = p.category[0]
        for i in range(len(c)):
            if c[i] in lab:
                explained.add(i)
    for w in vocab.known_words:
        start = c.find(w)
        while start >= 0:
            explained |= set(range(start, start + len(w)))
            p.known.append(w)
            start = c.find(w, start + 1)
    pieces: list[tuple[int, str]] = []
    run_start, run = 0, ""
    for i, ch in enumerate(c):
        if i in explained:
            if run:
                pieces.append((run_start, run))
            run = ""
        else:
            if not run:
                run_start = i
            run += ch
    if run:
        pieces.append((run_start, run))
    unknown: list[str] = []
    object_unknown = None
    for pos, piece in pieces:
        k = pos
        for tok in tokenizer().cut(piece, HMM=True):
            at = k
            k += len(tok)
            if len(tok) < 2 or tok in FILLER or tok.isdigit() or re.fullmatch(r"[0-9.]+", tok):
                continue
            if tok in vocab.ns and tok not in vocab.place_surfaces:
                if gazetteer.lookup(tok):
                    p.unknown_places.append(tok)        # a division the graph lacks
                else:
                    # jieba's other place words (城镇, 深度, 后山) are words of what is
                    # asked that the facts' sentences must say
                    p.place_words.append(tok)
            unknown.append(tok)
            if qpos is not None and at == qpos and object_unknown is None:
                object_unknown = tok        # 多少所学校: what is counted is unknown
    p.unknown_words = unknown

    # administrative names the graph does not know (北京市, 某某县 …), unless right before a known one
    for pl in find_places(t):
        name = pl.name
        if name in vocab.places or name in vocab.place_surfaces or any(blocked[pl.start:pl.end]):
            continue
        if pl.end < n and at_place[pl.end]:
            continue                       # 某省平安县: a parent of a known place
        if re.search(r"[哪几多每各该本全我其某]", name):
            continue
        if any(name in e for e in vocab.entries) or any(name in w for w in vocab.known_words):
            continue
        if name not in p.unknown_places:
            p.unknown_places.append(name)
    # a jieba place word right before a known place is its parent (某省平安)
    if p.unknown_places:
        surfaces = [s for s, label in vocab.place_surfaces.items() if label in p.places]
        p.unknown_places = [u for u in p.unknown_places if not any(u + k in t for k in surfaces)]

    spaced = normalize_width(p.question)[:MAX_QUESTION].lower()
    if QUERY_SYNTAX_RE.search(spaced) and len(re.findall(r"[a-z]", spaced)) >= 3 or re.search(r"[{}]", spaced):
        p.problems.append("query_syntax")
    if p.relative_time:
        p.problems.append("relative_time")
    if p.unknown_places:
        p.problems.append("unknown_place")
    if p.ambiguous_places:
        p.problems.append("ambiguous_place")
    if not p.reading and not (p.qtype == "list" and p.category):
        p.problems.append("no_indicator")
    elif p.reading and not (p.qtype == "list" and p.category and _category_beats(p)):
        strength = len(p.reading.covered) * (1.0 if any(m.exact for m in p.reading.matches) else 0.8)
        if p.unit and p.unit_strength == "strong" and p.unit not in WEAK_UNITS:
            if base_slug(p.unit) in p.reading.indicator.units:
                strength += 2
        unknown_len = sum(len(w) for w in unknown if w not in p.unknown_places)
        if p.reading.score < 1.9:
            p.problems.append("weak_indicator")
        elif object_unknown and (qpos not in p.reading.covered):
            p.problems.append("unexplained_words")
        elif unknown_len > 2 * strength:
            p.problems.append("unexplained_words")


def _unit_readings(vocab: Vocabulary, p: Parsed, c: str) -> list[Reading]:
    """No label matched: a distinctive unit asked (株, 度, 亩 …) may name the indicator, when
    exactly one indicator with facts is measured in it and shares a character with the question."""
    if not p.unit or p.unit_strength != "strong" or p.unit in WEAK_UNITS or p.unit in ("人", "户", "元", "%"):
        return []
    slug = base_slug(p.unit)
    fits = [ind for ind in vocab.lexicon.indicators.values()
            if slug in ind.units and (vocab.present is None or ind.iri in vocab.present)]
    if len(fits) != 1:
        return []
    ind = fits[0]
    shared = frozenset(i for i, ch in enumerate(c) if any(ch in label for label in ind.labels))
    if not shared:
        return []
    m = Match(ind, ind.label, shared, False, 2.0, 0)
    return [Reading(ind, None, 2.0, shared, [m])]


def _category_beats(p: Parsed) -> bool:
    return bool(p.category and p.category[1] >= 0.55)


# ------------------------------------------------------------------ convenience


def decimal_or_none(v) -> Decimal | None:
    try:
        return Decimal(str(v))
    except Exception:  # noqa: BLE001
        return None
