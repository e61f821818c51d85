"""China's administrative divisions down to the county: names, short forms, levels, containment.

The data is ``ontology/gazetteer.tsv`` (made once by ``tools/make_gazetteer.py`` from the
adcodes table of the MIT-licensed package cpca; read once). A division is known by

- its full name (瑞金市, 融水苗族自治县, 宁夏回族自治区);
- its name with a shortened autonomous suffix (融水县, 广西区, 湘西州): a *variant*;
- its *short form*: the name without its administrative suffix (省/市/县/区/旗/盟/地区/
  自治区/自治州/自治县 …) and, for an autonomous one, without the peoples named before 自治…
  (融水苗族自治县 → 融水, 宁夏回族自治区 → 宁夏, 内蒙古自治区 → 内蒙古). A short form
  keeps at least 2 characters.

:func:`lookup` gives every division a name may be; :func:`unique_short` only a short form
that names one division (吉安 is 吉安市 and 吉安县: none). Pure: no network, no state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import PACKAGE_DIR, REPO_DIR, ontology_dir

#: administrative endings taken off for a short form, longest first
ENDINGS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区",
           "省", "市", "县", "区", "旗", "盟")
#: an autonomous ending → the ending its variant is written with (融水苗族自治县 → 融水县)
VARIANT_ENDINGS = {"自治区": "区", "自治州": "州", "自治县": "县", "自治旗": "旗"}
#: China's 56 peoples, as named before 自治… (维吾尔, 毛南族, 蒙古族 …)
PEOPLES = ("汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
           "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 "
           "乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
# a people at the end of a stem: with 族 always; a name of 2+ characters also without it (维吾尔)
_PEOPLE_RE = re.compile("(?:" + "|".join(sorted((p + "族" for p in PEOPLES), key=len, reverse=True)) + "|"
                        + "|".join(sorted((p for p in PEOPLES if len(p) >= 2), key=len, reverse=True)) + ")$")
MIN_SHORT = 2


@dataclass(frozen=True)
class Division:
    code: str                 # 6 digits: 150702
    name: str                 # 吉州区
    level: str                # 省 | 市 | 县 | 区 (a county-level city: 市)
    parent: str | None        # the containing division's code

    @property
    def rank(self) -> str:
        """province | prefecture | county (瑞金市 is a county-level 市)."""
        return "province" if self.code[2:] == "0000" else "prefecture" if self.code[4:] == "00" else "county"


def gazetteer_path() -> Path:
    """ontology/gazetteer.tsv: of the ontology folder in use, else the one kg ships."""
    candidates = [REPO_DIR / "ontology", PACKAGE_DIR / "_ontology"]
    try:
        candidates.insert(0, ontology_dir())
    except FileNotFoundError:
        pass
    for folder in candidates:
        if (folder / "gazetteer.tsv").is_file():
            return folder / "gazetteer.tsv"
    raise FileNotFoundError("gazetteer.tsv not found in the ontology folder (see tools/make_gazetteer.py)")


def short_form(name: str) -> str:
    """The name without its administrative ending and, before 自治…, its peoples (2+ characters
    kept); a name with no ending it can lose is returned whole."""
    for ending in ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= MIN_SHORT:
            stem = name[: -len(ending)]
            if ending.startswith("自治"):
                while (m := _PEOPLE_RE.search(stem)) and m.start() >= MIN_SHORT:
                    stem = stem[: m.start()]
            return stem
    return name


def variants(name: str) -> list[str]:
    """Names with a shortened autonomous ending: 融水苗族自治县 → [融水县]."""
    for ending, short_ending in VARIANT_ENDINGS.items():
        if name.endswith(ending):
            stem = short_form(name)
            return [stem + short_ending] if stem != name else []
    return []


@dataclass(frozen=True)
class _Data:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]      # full names
    by_variant: dict[str, tuple[Division, ...]]   # 融水县, 广西区
    by_short: dict[str, tuple[Division, ...]]     # 融水, 宁夏, 吉安 (two)


@lru_cache(maxsize=4)
def _load(path: str | None = None) -> _Data:
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    by_variant: dict[str, list[Division]] = {}
    by_short: dict[str, list[Division]] = {}
    with open(path or gazetteer_path(), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            code, name, level, parent = (line.rstrip("\n").split("\t") + [""])[:4]
            d = Division(code, name, level, parent or None)
            by_code[code] = d
            by_name.setdefault(name, []).append(d)
            for v in variants(name):
                by_variant.setdefault(v, []).append(d)
            s = short_form(name)
            if s != name:
                by_short.setdefault(s, []).append(d)
    freeze = lambda m: {k: tuple(v) for k, v in m.items()}  # noqa: E731
    return _Data(by_code, freeze(by_name), freeze(by_variant), freeze(by_short))


def division(code: str) -> Division | None:
    return _load().by_code.get(code)


def full_name(name: str) -> tuple[Division, ...]:
    """The divisions of this full name, else of this variant (融水县): written with a suffix."""
    data = _load()
    return data.by_name.get(name) or data.by_variant.get(name, ())


def lookup(name: str) -> tuple[Division, ...]:
    """Every division ``name`` may be: by full name, else variant, else short form."""
    return full_name(name) or _load().by_short.get(name, ())


@lru_cache(maxsize=1)
def full_names() -> dict[str, tuple[Division, ...]]:
    """:func:`full_name` as one table, for callers that look up many names in a row."""
    data = _load()
    return {**data.by_variant, **{k: v for k, v in data.by_name.items() if v}}


@lru_cache(maxsize=1)
def unique_shorts() -> dict[str, Division]:
    """:func:`unique_short` as one table: each short form that names one division."""
    return {k: v[0] for k, v in _load().by_short.items() if len(v) == 1}


def unique_short(name: str) -> Division | None:
    """The one division whose short form ``name`` is (None when several or none are)."""
    found = _load().by_short.get(name, ())
    return found[0] if len(found) == 1 else None


def is_known(name: str) -> bool:
    return bool(lookup(name))


def ancestors(code: str) -> list[Division]:
    """The divisions containing ``code``'s, nearest first (吉州区 → 吉安市, 江西省)."""
    out: list[Division] = []
    d = division(code)
    while d is not None and d.parent and len(out) < 4:
        d = division(d.parent)
        if d is not None:
            out.append(d)
    return out


def contains(outer: str, inner: str) -> bool:
    """Whether division ``outer`` contains division ``inner`` (codes; not itself)."""
    return any(a.code == outer for a in ancestors(inner))
