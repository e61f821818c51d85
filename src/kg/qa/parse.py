"""The question parser: a Chinese question → slots (pure: no store, no SPARQL).

What a question is about is recognised from general rules and from the vocabulary, never
from known wordings:

* **indicator / breakdown** — the ontology's SKOS labels (``kg.lexicon``), matched exactly or
  loosely: a label whose character bigrams all occur in the question matches even when its
  words are reordered (贫困村退出了几个 ~ 退出贫困村), and the question and the labels are put
  into one canonical form first (没有/尚未 → 未, 贫困户 → 贫困人口 …). Labels the question
  only partly contains are penalised per missing character; nothing matches when the best
  reading scores too low, or when more of the question is unexplained than explained
  (kg.qa.readings);
* **time** — ``kg.text.timex`` (years, year ends, months, spans …), after Chinese and
  two-digit years are rewritten as Arabic four-digit years;
* **place** — any place the graph knows, at any level, by full or short name (平安 → 平安县;
  not a township's or village's short name that is a common word); a short name of several
  places is reported as ambiguous (桃源 → 桃源县, 桃源镇); 我市/全县 → the reports' own places
  of that level; an administrative name or a jieba place word the graph does not know is
  reported as unknown (kg.qa.vocab knows the places);
* **unit asked** — 多少户/几人/多少亩/多少钱/占比 …; **modality** — 计划/目标/要/确保 … ask
  for targets; **question type** — value, sum, max/min (over years or places), difference,
  list, series (kg.qa.read).

:func:`parse_question` never raises on any string. The slots' classes and the vocabulary are
imported from here by the answerer (``from .parse import Parsed, Reading, Vocabulary …``).
"""

from __future__ import annotations

import re

from ..text import gazetteer
from ..text.normalize import normalize_width
from ..text.places import find_places
from ..text.units import unit_class
from .read import (LIST_RE, MAX_QUESTION, Content, Marks, Parsed, TimeSlot, normalise, place_spans, read_places,
                   read_times, read_type, read_unit)
from .readings import (WEAK_UNITS, Match, Reading, base_slug, category_scores, match_labels, score_readings,
                       token_bounds, unit_readings)
from .vocab import PlaceInfo, Vocabulary, canonical, place_level, short_name, tokenizer

__all__ = [
    "parse_question", "Parsed", "TimeSlot", "Reading", "Match", "Vocabulary", "PlaceInfo", "WEAK_UNITS",
    "canonical", "normalise", "place_level", "place_spans", "short_name", "tokenizer", "unit_class",
]

QUERY_SYNTAX_RE = re.compile(r"[{}]|\?[a-z](?![a-z])|(?<![a-z])(?:select|where|union|insert|delete|drop|graph|filter|prefix|"
                             r"optional|construct|describe|ask|load|clear|create|service|bind|values|or|and|limit|from|"
                             r"into|table|data)(?![a-z])|--|;|=")
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
    marks = Marks(t)
    read_times(p, marks)
    read_places(p, vocab, marks)
    read_unit(p, marks)
    read_type(p, marks)

    content = Content(t, marks.removed)
    raw = content.text
    qpos_orig = marks.qpos
    if marks.implied and qpos_orig is not None:
        # 减少多少人 → 减少人口, 脱贫多少户 → 脱贫户: the unit names what is counted
        k = content.position_of(qpos_orig)
        raw = raw[:k] + ("人口" if marks.implied == "人" else "户") + raw[k:]
    c = canonical(raw)
    p.content = c
    qpos = len(canonical(raw[:content.position_of(qpos_orig)])) if qpos_orig is not None else None
    bounds = token_bounds(c)
    found = match_labels(vocab, c, bounds, qpos)
    p.readings = [r for r in score_readings(vocab, p.unit, p.unit_strength, c, found, qpos) if r.score > 0]
    if not p.readings:
        p.readings = unit_readings(vocab, p.unit, p.unit_strength, c)

    if p.qtype == "list" or LIST_RE.search(t):
        p.categories = category_scores(vocab, c)
        p.category = p.categories[0] if p.categories else None

    unknown, object_unknown = _unexplained(p, vocab, c, found, qpos)
    _unknown_places(p, vocab, marks)
    _problems(p, unknown, object_unknown, qpos)


def _unexplained(p: Parsed, vocab: Vocabulary, c: str, found: dict[str, list[Match]],
                 qpos: int | None) -> tuple[list[str], str | None]:
    """The words of the content ``c`` left unexplained — not the reading, not another label, not a
    name the graph knows — and the one right at the question word (what is counted), if unknown;
    sets ``p.known``, ``p.unknown_words`` and notes jieba's place words."""
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
    return unknown, object_unknown


def _unknown_places(p: Parsed, vocab: Vocabulary, marks: Marks) -> None:
    """Administrative names the graph does not know (北京市, 某某县 …), unless right before a known one."""
    t, n, blocked, at_place = marks.text, len(marks.text), marks.blocked, marks.at_place
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


def _problems(p: Parsed, unknown: list[str], object_unknown: str | None, qpos: int | None) -> None:
    """Why the question may not be answered as read (``p.problems``)."""
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


def _category_beats(p: Parsed) -> bool:
    return bool(p.category and p.category[1] >= 0.55)
