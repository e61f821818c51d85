"""Several places asked side by side, and 城乡 (towns and countryside).

* two or more places named side by side (甲县和乙村, A、B各…), none within another and not
  written together (石门县太平镇): each is asked on its own and the answers given one after
  the other, grouped, each with its evidence; 哪里高/哪个更高 (更低/更少) names the place of
  the largest (smallest) value first; places without a value are named;
* 城乡…分别/各是多少: the question asked for 城镇 and for 农村, side by side.

The parts are asked with a new answerer of the same class (``type(self)``), so this module
does not import kg.qa.answer.
"""

from __future__ import annotations

from ..parse import parse_question, short_name
from ..render import Render
from ..words import pattern

URBAN_RURAL_Q = pattern("urban-rural")
HIGHER_Q = pattern("higher")
LOWER_Q = pattern("lower")


#: 分别/各: the part's question asks one value
EACH_WORD = pattern("each")


class SeveralPlaces(Render):
    """``separate_places``, ``per_place`` and ``urban_and_rural``."""

    def separate_places(self) -> list[str]:
        """Two or more places named side by side (甲县和乙村, A、B各…), none within another:
        each is asked on its own; [] otherwise."""
        places, cat = self.p.places, self.cat
        if len(places) < 2:
            return []
        text = self.p.text
        for a in places:
            for b in places:
                if a != b and (b in cat.ancestors(a) or a in cat.descendants(b)):
                    return []
                # written together (石门县太平镇): one place named with the one it lies in
                if a != b and any(x + y in text for x in (a, short_name(a)) for y in (b, short_name(b))):
                    return []
        return list(places)

    def urban_and_rural(self) -> dict:
        """城乡…分别/各是多少: the towns' (城镇) and the countryside's (农村) figures, side by side."""
        results = [type(self)(self.store, self.cat, parse_question(q, self.cat.vocab)).run() for q in
                   (EACH_WORD.sub("", self.p.question.replace("城乡", part, 1)) for part in ("城镇", "农村"))]
        got = [r for r in results if r["answered"]]
        if not got:
            return results[-1]
        return self.finish(True, "；".join(r["answer"].rstrip("。") for r in got) + "。",
                           [v for r in got for v in r["values"][:1]], [e for r in got for e in r["evidence"]])

    def per_place(self) -> dict:
        """One answer per place named, side by side; 哪里高/哪个更高 names the place of the
        largest (最低/更少: the smallest) first."""
        import copy
        results = []
        for place in self.separate_places():
            q = copy.copy(self.p)
            q.places, q.qtype = [place], "value"
            results.append(type(self)(self.store, self.cat, q).run())
        got = [r for r in results if r["answered"] and r["values"]]
        if not got:
            return results[0]
        values = [v for r in got for v in r["values"][:1]]
        evidence = [e for r in got for e in r["evidence"]]
        answer = "；".join(r["answer"].rstrip("。") for r in got) + "。"
        if HIGHER_Q.search(self.p.text) or LOWER_Q.search(self.p.text):
            numbers = [v for v in values if v.get("base_value") is not None]
            if len(numbers) >= 2 and len({v.get("base_unit") for v in numbers}) == 1:
                pick = (min if LOWER_Q.search(self.p.text) else max)(numbers, key=lambda v: v["base_value"])
                values = [pick] + [v for v in values if v is not pick]
                answer = f"{pick['place']}{'更低' if LOWER_Q.search(self.p.text) else '更高'}。"    # the rest: values
        if len(got) < len(results):
            missing = [pl for pl, r in zip(self.separate_places(), results) if not (r["answered"] and r["values"])]
            answer += f"（图中没有{'、'.join(missing)}的数据）"
        return self.finish(True, answer, values, evidence)
