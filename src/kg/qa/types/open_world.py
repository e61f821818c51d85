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

from .. import entity_answer, open_answer, table_answer
from ...text.quantities import find_quantities
from ..retrieve import content_terms
from ..table_answer import answer_from_tables
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
        index = cat.memo.get("sentences")
        if index is None:
            made = getattr(cat.index, "sentence_index", None)      # kept in the index file
            index = cat.memo["sentences"] = made() if made else \
                SentenceIndex({doc: self.text_of(doc) for doc in cat.reports})
        docs = None
        if self.p.places:
            docs = index.docs_naming({x for pl in self.p.places for x in (pl, short_name(pl)) if len(x) >= 2})
        own = cat.memo.get("own-names")
        if own is None:
            own = cat.memo["own-names"] = [x for pl in cat.report_places() for x in (pl, short_name(pl)) if len(x) >= 2]
        if entity_answer.AUTHOR_Q.search(self.p.text):
            author = self.answer_author({d: self.text_of(d) for d in (docs if docs is not None else cat.reports)})
            if author is not None:
                return author
        table = self.answer_from_table({d: self.text_of(d) for d in index.docs_with_tables(docs)}, own)
        if table is not None:
            return table
        found = find_name(self.p.text, own, index, docs)
        if found is None:
            return None
        name, sent, score = found
        place = cat.report_place_of(sent.doc) or ""
        values = [{"label": name, "value": None, "place": place, "doc": sent.doc, "score": round(score, 3)}]
        out = self.finish(True, f"{name}。", values, [self.evidence_item(sent.doc, sent.start, sent.end, sent.text)])
        out["reading"] = {"method": "sentence", "score": round(score, 3), "threshold": entity_answer.THRESHOLD}
        return out

    def answer_author(self, texts: dict[str, str]) -> dict | None:
        """这份报告是由谁作的: the person the report's opening lines sign it with, when the
        question asks who wrote or delivered the report and one report of those asked about has
        one (kg.qa.entity_answer.report_author)."""
        if not entity_answer.AUTHOR_Q.search(self.p.text):
            return None
        found = {doc: a for doc, a in ((d, entity_answer.report_author(t)) for d, t in texts.items()) if a}
        if len({a[2] for a in found.values()}) != 1:
            return None
        doc, (start, end, name) = next(iter(found.items()))
        place = self.cat.report_place_of(doc) or ""
        out = self.finish(True, f"{name}。", [{"label": name, "value": None, "place": place, "doc": doc}],
                          [self.evidence_item(doc, start, end)])
        out["reading"] = {"method": "author", "score": 1.0, "threshold": 1.0}
        return out

    def answer_from_table(self, texts: dict[str, str], own: list[str]) -> dict | None:
        """A which-one question about a report's table (kg.qa.table_answer); None when no table
        is about it."""
        content = self.p.text
        for name in sorted(own, key=len, reverse=True):
            content = content.replace(name, " ")
        terms = content_terms(content, entity_answer.question_words)
        tables = self.cat.memo.setdefault("tables", {})
        found = answer_from_tables(self.p.text, terms, texts, tables)
        if found is None:
            return None
        place = self.cat.report_place_of(found.doc) or ""
        values = [{"label": n, "value": None, "place": place, "doc": found.doc} for n in found.names]
        text = "、".join(found.names)
        out = self.finish(True, f"{text}。", values, [self.evidence_item(found.doc, found.start, found.end)])
        out["reading"] = {"method": "table", "score": round(found.score, 3), "threshold": table_answer.MIN_SHARED}
        return out

    def answer_when(self) -> dict | None:
        """哪一年…达到8000元: the time of the observation of the value the question gives, best
        matching its words (kg.qa.retrieve), when it clears the open threshold."""
        p, cat = self.p, self.cat
        given = [q for q in find_quantities(p.text) if q.base_unit and q.base_unit not in ("年", "月", "天")]
        if len(given) != 1:
            return None
        q = given[0]
        places = open_answer.asked_places(cat, p)
        rows = [r for r in cat.index.of_value(q.base_unit, q.base_value)
                if r.dated and (not places or r.place in places)]
        if not rows:
            return None
        best = max(rows, key=lambda r: (self.meaning(r), -r.pos[1] if r.pos else 0))
        score = self.meaning(best)
        if score < open_answer.THRESHOLD:
            return None
        v = self.open_value(best)
        v["score"] = round(score, 3)
        out = self.result(f"{best.period_zh}（{best.place}{best.phrase}{value_text(best)}）。", [v], [best])
        out["reading"] = {"method": "when", "phrase": best.phrase, "score": round(score, 3),
                          "threshold": open_answer.THRESHOLD}
        return out

    def answer_open(self, rank) -> dict | None:
        """The best-ranked observation of the whole graph (``rank``: kg.qa.open_answer.best_rows),
        when it clears the threshold; None otherwise."""
        ranked, terms = rank(self.cat, self.p)
        chosen = answer_rows(ranked)
        if not chosen or chosen[0][0] < open_answer.THRESHOLD:
            return None
        order = {place: k for k, place in enumerate(self.by_place([r for _, r in chosen]))}
        best = chosen[0]
        chosen = sorted(chosen, key=lambda x: order[x[1].place])       # the places in their order
        values, parts = [], []
        for s, r in chosen:
            v = self.open_value(r)
            v["score"] = round(s, 3)
            values.append(v)
            target = "计划" if r.kind == "target" else ""
            parts.append(f"{r.period_zh if r.dated else ''}{r.place}{target}{r.phrase}{value_text(r)}")
        out = self.result("；".join(parts) + "。", values, [r for _, r in chosen])
        out["reading"] = {"method": "open", "terms": terms, "phrase": best[1].phrase,
                          "score": round(best[0], 3), "threshold": open_answer.THRESHOLD}
        return out
