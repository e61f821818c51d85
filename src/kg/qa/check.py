"""Judging an answer against a gold row (used by the tests and the benchmark).

Gold rows (JSON lines): ``{"q", "answered", "value", "unit", "base_value"?}`` for one number;
``"unit": "年"`` for which-year questions (values[0] must be that year's row);
``"unit": "label"`` for which-item questions (values[0]["label"]); ``"values": [names]`` for
lists (every name must be given); ``"series": [numbers]`` for a series (in order of periods);
``"answered": false`` for questions that must be refused.
"""

from __future__ import annotations

from ..text.units import UNITS

#: the units of one person (人, 名): a gold row's 名 is the answer's 人
PERSON_UNITS = {u.name for u in UNITS.values() if u.base == "人" and u.factor == 1}


def _num_eq(a, b) -> bool:
    try:
        return a is not None and abs(float(a) - float(b)) < 1e-9 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def _unit_ok(v: dict, unit: str) -> bool:
    units = {v.get("unit"), v.get("base_unit")}
    if unit in units:
        return True
    return unit in PERSON_UNITS and bool(units & PERSON_UNITS)


def value_matches(v: dict, gold: dict) -> bool:
    want = gold["value"]
    if not (_num_eq(v.get("value"), want) or _num_eq(v.get("base_value"), want)
            or ("base_value" in gold and _num_eq(v.get("base_value"), gold["base_value"]))):
        return False
    return _unit_ok(v, gold["unit"])


def judge(result: dict, gold: dict) -> tuple[bool, str]:
    """(correct?, why not)."""
    if not gold.get("answered", True):
        return (not result.get("answered"), "should have been refused")
    if not result.get("answered"):
        return False, "refused: " + str(result.get("answer"))
    values = result.get("values") or []
    if "values" in gold:
        labels = {v.get("label") for v in values}
        missing = [x for x in gold["values"] if x not in labels]
        return (not missing, f"missing items {missing}")
    if "series" in gold:
        got = [v.get("value") for v in values if _unit_ok(v, gold["unit"])]
        ok = len(got) == len(gold["series"]) and all(_num_eq(a, b) for a, b in zip(got, gold["series"]))
        return ok, f"series {got}"
    if not values:
        return False, "no values"
    if gold["unit"] == "年":
        first = values[0]
        ok = first.get("year") == gold["value"] or str(gold["value"]) in str(first.get("period") or "")
        return ok, f"first row period {first.get('period')}"
    if gold["unit"] == "label":
        return values[0].get("label") == gold["value"], f"first label {values[0].get('label')}"
    # a single value: the first value in the unit asked
    in_unit = [v for v in values if _unit_ok(v, gold["unit"])]
    if not in_unit:
        return False, f"no value in {gold['unit']}: {[(v.get('value'), v.get('unit')) for v in values]}"
    return value_matches(in_unit[0], gold), f"got {[(v.get('value'), v.get('unit')) for v in in_unit[:3]]}"
