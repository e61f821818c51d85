"""The members of a category (有哪些扶贫产业/…的名单): the members the reports name
(``Q.CATEGORY_MEMBERS``), one list per report place, with the mentions as evidence; a place
asked (or 我市/全县) keeps the reports of that place or of a place within it.
"""

from __future__ import annotations

from collections import OrderedDict

from .. import queries as Q
from ..choose import Choose
from ..refusal import Refusal


class Lists(Choose):
    """``list_members``: answers a list question whose category the parser found."""

    def list_members(self) -> dict:
        p, cat = self.p, self.cat
        label = p.category[0]
        iri = cat.categories[label]
        self.sparql.append(Q.CATEGORY_MEMBERS)
        self.bindings.append({"cat": iri})
        members = self.store.select(Q.CATEGORY_MEMBERS, {"cat": iri})
        mentions = self.store.select(Q.CATEGORY_MENTIONS, {"cat": iri})
        docs = {m["doc"] for m in mentions if m["doc"]} | {m["doc"] for m in members if m["doc"]}
        if p.places or p.deictic:
            wanted = set(p.places) if p.places else self.own_places()
            ok = set()
            for d in docs:
                rp = cat.reports.get(d).place if d in cat.reports else None
                if rp and (rp in wanted or any(w in cat.descendants(rp) for w in wanted)):
                    ok.add(d)
            if not ok:
                raise Refusal(f"图中没有{'、'.join(wanted)}的“{label}”。")
            docs = ok
        # one list per report place (the members each report names)
        report_place = {d: (cat.reports[d].place or "") if d in cat.reports else "" for d in docs}
        places_named = sorted(set(report_place.values()))
        names: "OrderedDict[str, list[str]]" = OrderedDict()
        for m in members:
            if m["doc"] is None or m["doc"] in docs:
                if m["doc"] is not None:
                    where = report_place[m["doc"]]
                else:
                    where = places_named[0] if len(places_named) == 1 else ""
                group = names.setdefault(where, [])
                if m["memberLabel"] not in group:
                    group.append(m["memberLabel"])
        if not names:
            raise Refusal(f"图中没有“{label}”的成员。")
        evidence = []
        for m in sorted(mentions, key=lambda m: (m["doc"], m["start"])):
            if m["doc"] in docs:
                evidence.append(self.evidence_item(m["doc"], int(m["start"]), int(m["end"])))
        if not evidence:
            for m in members:
                if m["doc"] in docs and m["start"] is not None:
                    evidence.append(self.evidence_item(m["doc"], int(m["start"]), int(m["end"])))
        if len(names) == 1:
            # one list: under every place of the reports naming it
            place = "、".join(p_ for p_ in places_named if p_)
            names = OrderedDict([(place, next(iter(names.values())))])
        order = sorted(names, key=lambda x: (x not in cat.own, x))
        values = [{"value": None, "unit": None, "base_value": None, "base_unit": None, "qualifier": None,
                   "place": where, "period": None, "indicator": label, "label": n}
                  for where in order for n in names[where]]
        answer = "；".join(f"{where}{label}有：{'、'.join(names[where])}" for where in order) + "。"
        return self.finish(True, answer, values, evidence)
