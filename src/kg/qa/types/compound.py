"""Questions of several things at once (kg.qa.decompose): each part asked on its own, then
joined — every part's answer side by side, or, for 哪个更高, the part whose value is larger
named first. Answered only when every part is; otherwise the question goes its usual way."""

from __future__ import annotations

from ..decompose import Compound, decompose
from ..parse import parse_question, place_spans
from ..render import Render
from ..parse import unit_class


class Compounds(Render):
    """``answer_compound``: a question of several parts, or None when it is not one."""

    def answer_compound(self) -> dict | None:
        p = self.p
        c = decompose(p.text, place_spans(self.cat.vocab, p.text))
        if c is None:
            return None
        results = [type(self)(self.store, self.cat, parse_question(q, self.cat.vocab)).run() for q in c.parts]
        if not all(r["answered"] and r["values"] for r in results):
            return None
        if c.mode in ("max", "min"):
            return self.compared(c, results)
        answer = "；".join(r["answer"].rstrip("。") for r in results) + "。"
        out = self.finish(True, answer, [r["values"][0] for r in results], [e for r in results for e in r["evidence"]])
        out["parts"] = c.parts
        return out

    def compared(self, c: Compound, results: list[dict]) -> dict | None:
        """哪个更高: the part of the larger value (更低: the smaller) named, with both values."""
        firsts = [r["values"][0] for r in results]
        if any(v.get("base_value") is None for v in firsts):
            return None
        units = {unit_class(v.get("base_unit")) or v.get("base_unit") for v in firsts}
        if len(units) != 1:
            return None                 # 元 against 亩: not comparable
        pick = (min if c.mode == "min" else max)(range(len(firsts)), key=lambda i: firsts[i]["base_value"])
        word = "更低" if c.mode == "min" else "更高"
        answer = f"{c.labels[pick]}{word}。"
        values = [dict(firsts[pick], label=c.labels[pick])] + [dict(v, label=c.labels[i]) for i, v in enumerate(firsts)
                                                               if i != pick]
        out = self.finish(True, answer, values, [e for r in results for e in r["evidence"]])
        out["parts"] = c.parts
        return out
