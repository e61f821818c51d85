"""Questions the lexicon cannot read, answered from the whole graph when the answer is clear:

* a quantity (多少/几/比例 …): the best-ranked observation of the graph (kg.qa.open_answer,
  ranking by kg.qa.retrieve), when it clears ``open_answer.THRESHOLD``;
* a name (哪个乡/哪家企业/谁/叫什么/哪些): a name from the best-matching sentence of the
  reports (kg.qa.entity_answer), when it clears ``entity_answer.THRESHOLD``.

The rankers are passed in by ``Answerer.run`` (kg.qa.answer's ``best_rows`` and
``answer_entity``, looked up there at call time: bench/bench_ask.py times them by patching
those two names of kg.qa.answer).
"""

from __future__ import annotations

from .. import entity_answer, open_answer
from ..entity_answer import SentenceIndex
from ..open_answer import answer_rows
from ..parse import short_name
from ..render import Render, value_text


class OpenWorld(Render):
    """``answer_open`` (a quantity) and ``answer_which`` (a name); None when nothing fits."""

    def answer_which(self, find_name) -> dict | None:
        """A which-one question (哪个乡/哪家企业/谁/叫什么/哪些) answered by a name from the best
        matching sentence of the reports (``find_name``: kg.qa.entity_answer.answer_entity); None
        when none fits."""
        cat = self.cat
        texts = {doc: self.text_of(doc) for doc in cat.reports}
        index = cat.memo.get("sentences")
        if index is None:
            index = cat.memo["sentences"] = SentenceIndex(texts)
        docs = None
        if self.p.places:
            names = {x for pl in self.p.places for x in (pl, short_name(pl)) if len(x) >= 2}
            docs = {d for d, t in texts.items() if any(n in t for n in names)}
        own = [x for pl in cat.report_places() for x in (pl, short_name(pl)) if len(x) >= 2]
        found = find_name(self.p.text, own, index, docs)
        if found is None:
            return None
        name, sent, score = found
        place = cat.report_place_of(sent.doc) or ""
        values = [{"label": name, "value": None, "place": place, "doc": sent.doc, "score": round(score, 3)}]
        out = self.finish(True, f"{name}。", values, [self.evidence_item(sent.doc, sent.start, sent.end, sent.text)])
        out["reading"] = {"method": "sentence", "score": round(score, 3), "threshold": entity_answer.THRESHOLD}
        return out

    def answer_open(self, rank) -> dict | None:
        """The best-ranked observation of the whole graph (``rank``: kg.qa.open_answer.best_rows),
        when it clears the threshold; None otherwise."""
        ranked, terms = rank(self.cat, self.p)
        chosen = answer_rows(ranked)
        if not chosen or chosen[0][0] < open_answer.THRESHOLD:
            return None
        values, parts = [], []
        for s, r in chosen:
            v = self.open_value(r)
            v["score"] = round(s, 3)
            values.append(v)
            target = "计划" if r.kind == "target" else ""
            parts.append(f"{r.period_zh if r.dated else ''}{r.place}{target}{r.phrase}{value_text(r)}")
        out = self.result("；".join(parts) + "。", values, [r for _, r in chosen])
        out["reading"] = {"method": "open", "terms": terms, "phrase": chosen[0][1].phrase,
                          "score": round(chosen[0][0], 3), "threshold": open_answer.THRESHOLD}
        return out
