"""Named things other than places: policy documents, organisations, programmes, persons,
and enumerations (连翘、艾草、核桃、花椒等特色种植业 → four members of one category).

Rules only, on characters; each finder returns spans with offsets into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .segmenter import cut

HAN = r"\u4e00-\u9fff"


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    name: str
    kind: str                 # policy | organization | enterprise | cooperative | programme | person | category
    number: str | None = None  # a policy document's number (汝政〔2017〕1号)
    members: tuple[tuple[int, int, str], ...] = field(default=())  # a category's members (start, end, name)


POLICY_RE = re.compile(r"《([^《》\n]{2,80})》(?:\s*[（(]([^（）()\n]{0,30}?[〔\[［(（]?\d{4}[〕\]］)）]?\s*\d+\s*号)[）)])?")
ORG_SUFFIX = "有限责任公司|股份有限公司|有限公司|股份公司|公司|集团|合作社|合作联社|协会|基金会|银行|研究院|医院"
ORG_NAME_MAX = 20
ORG_RE = re.compile(rf"[{HAN}（）()]{{2,{ORG_NAME_MAX}}}?(?:{ORG_SUFFIX})")
ORG_SUFFIX_RE = re.compile(ORG_SUFFIX)
GOV_SUFFIX = "扶贫办|领导小组|指挥部|委员会|人民政府|财政局|人社局|住建局|民政局|教育局|卫健委|卫计委|发改委|国资委|工信委|工商联"
GOV_RE = re.compile(rf"(?<![{HAN}])(?:市|县|区|省|乡|镇)?[{HAN}]{{0,6}}?(?:{GOV_SUFFIX})")
GOV_SUFFIX_RE = re.compile(GOV_SUFFIX)
PROGRAMME_RE = re.compile(rf"[“\"]([{HAN}]{{2,14}}(?:工程|行动|计划|项目|模式|工作法))[”\"]|([{HAN}]{{2,10}}(?:提升工程|扶贫工程|扶贫行动|安居工程|扶贫项目))")
BYLINE_RE = re.compile(rf"(?:文/图|文／图|图/文|记者|通讯员|摄影)[\s：:]*([{HAN}]{{2,3}})(?![{HAN}])")
SPEAKER_RE = re.compile(rf"(?:贫困户|脱贫户|村民|书记|主任|村长|局长|县长|市长|老人|党员|社员|负责人)([{HAN}]{{2,3}}?)(?=说|表示|介绍|告诉记者)")
ENUM_RE = re.compile(rf"((?:[{HAN}“”]{{1,10}}、){{1,20}}[{HAN}“”]{{1,10}})等([{HAN}]{{2,12}}?)(?=[0-9，,。；;：:、)）\s]|$|的|为|和|与)")

INNER_BREAKS = re.compile("会同|注入|购买|坚持以|坚持|实施|推进|开展|通过|利用|带动|[0-9]+个|个")
CLASS_NOUNS = re.compile("产业|种植业|养殖业|加工业|作物|中草药|药材|林果|水果|果品|产品|品种|基地|主体|项目|资源|部门|企业|乡镇|合作社|方式|形式|技术|优势|保障|措施|政策")
LEFT_TRIM = ("积极培育", "培育", "种植", "发展", "建设了以", "建设", "以", "在", "有", "如", "包括", "主要有", "围绕",
             "购买", "注入", "会同", "出台", "印发", "由", "对", "向", "为", "和", "与", "是", "了", "把", "将")
CATEGORY_TRIM = ("多种", "各类", "各种", "一批", "多个", "特色的")
PERSON_STOP = set("说的了是在和与对也都就还")


def _last_phrase(s: str, start: int) -> tuple[str, int]:
    parts = list(INNER_BREAKS.finditer(s))
    if parts and parts[-1].end() < len(s):
        cut = parts[-1].end()
        return s[cut:], start + cut
    return s, start


def _first_tokens(part: str, min_len: int) -> int:
    """How many trailing characters of ``part`` form the shortest run of whole words of at least min_len."""
    words = cut(part)
    n = 0
    for w in reversed(words):
        n += len(w)
        if n >= min_len:
            break
    return n


def _trim_left(s: str, start: int) -> tuple[str, int]:
    s, start = _last_phrase(s, start)
    changed = True
    while changed and s:
        changed = False
        for w in LEFT_TRIM:
            if s.startswith(w) and len(s) > len(w):
                s, start, changed = s[len(w):], start + len(w), True
                break
    return s, start


def find_policies(text: str) -> list[Entity]:
    out = []
    for m in POLICY_RE.finditer(text):
        out.append(Entity(m.start(), m.end(), m.group(1).strip(), "policy", (m.group(2) or "").strip() or None))
    return out


def _ending_at(regex: re.Pattern, ends: re.Pattern, reach: int, text: str):
    """``regex.finditer(text)`` for a regex whose every match is a name of at most ``reach``
    characters, as short as can be (a lazy quantifier), then a match of ``ends``: searched only
    in the stretch of text before each match of ``ends`` (the regex alone tries every position
    of the text with every length of name). tests/text/test_entity_search.py holds it to
    ``finditer``."""
    pos = scan = 0
    while (e := ends.search(text, scan)) is not None:
        m = regex.search(text, max(pos, e.start() - reach), e.end())
        if m is None:
            scan = e.start() + 1            # no name ends there; a later one may start before it
            continue
        yield m
        pos = scan = m.end()


def find_organizations(text: str) -> list[Entity]:
    out = []
    for m in _ending_at(ORG_RE, ORG_SUFFIX_RE, ORG_NAME_MAX, text):
        name, start = _trim_left(m.group(), m.start())
        kind = "cooperative" if name.endswith(("合作社", "合作联社")) else "enterprise" if "公司" in name or name.endswith("集团") else "organization"
        if len(name) >= 3 and not name.startswith(("每个", "各", "该", "本")):
            out.append(Entity(start, m.end(), name, kind))
    for m in _ending_at(GOV_RE, GOV_SUFFIX_RE, 7, text):
        name, start = _trim_left(m.group(), m.start())
        if len(name) >= 3:
            out.append(Entity(start, m.end(), name, "organization"))
    return out


def find_programmes(text: str) -> list[Entity]:
    out = []
    for m in PROGRAMME_RE.finditer(text):
        if m.group(1):
            out.append(Entity(m.start(1), m.end(1), m.group(1), "programme"))
        else:
            name, start = _trim_left(m.group(2), m.start(2))
            out.append(Entity(start, m.end(2), name, "programme"))
    return out


def find_persons(text: str) -> list[Entity]:
    out = []
    for regex in (BYLINE_RE, SPEAKER_RE):
        for m in regex.finditer(text):
            name = m.group(1)
            if not (set(name) & PERSON_STOP):
                out.append(Entity(m.start(1), m.end(1), name, "person"))
    return out


def find_enumerations(text: str) -> list[Entity]:
    """``A、B、C等类别`` → a category entity with its members."""
    out = []
    for m in ENUM_RE.finditer(text):
        items_text, category = m.group(1), m.group(2)
        for w in CATEGORY_TRIM:
            if category.startswith(w) and len(category) > len(w) + 1:
                category = category[len(w):]
        pos = m.start(1)
        members = []
        parts = items_text.split("、")
        later = [len(p.strip("“”")) for p in parts[1:]]
        for k, part in enumerate(parts):
            start = pos
            name = part
            if k == 0:
                name, start = _trim_left(part, pos)
                keep = _first_tokens(name, min(later)) if later else len(name)
                start += len(name) - keep
                name = name[-keep:]
            name = name.strip("“”")
            if name:
                members.append((start, start + len(name), name))
            pos += len(part) + 1
        cls = CLASS_NOUNS.search(category)
        if not cls:
            continue
        category = category[: cls.end()]
        if len(members) >= 2 and category:
            out.append(Entity(m.start(2), m.start(2) + len(category), category, "category", members=tuple(members)))
    return out


def find_entities(text: str) -> list[Entity]:
    found = [*find_policies(text), *find_organizations(text), *find_programmes(text), *find_persons(text),
             *find_enumerations(text)]
    found.sort(key=lambda e: (e.start, -(e.end - e.start)))
    out: list[Entity] = []
    taken_end = -1
    for e in found:
        if e.kind == "category" or e.start >= taken_end:
            out.append(e)
            if e.kind != "category":
                taken_end = e.end
    return out
