"""Any string → a well-formed answer or refusal; user text never becomes query text."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.qa import ask, queries
from kg.qa.parse import parse_question

FIELDS = {"question", "answered", "answer", "values", "evidence", "sparql", "suggestions"}
VALUE_FIELDS = {"value", "unit", "base_value", "base_unit", "qualifier", "place", "period", "indicator", "label"}
PREPARED = {getattr(queries, n) for n in dir(queries) if n.isupper() and isinstance(getattr(queries, n), str)}


def well_formed(result: dict, question: str) -> None:
    assert FIELDS <= set(result)
    assert result["question"] == question
    assert isinstance(result["answered"], bool)
    assert isinstance(result["answer"], str) and result["answer"]
    assert isinstance(result["values"], list) and isinstance(result["evidence"], list)
    assert isinstance(result["suggestions"], list)
    for v in result["values"]:
        assert VALUE_FIELDS <= set(v)
        for k in ("value", "base_value"):
            assert v[k] is None or isinstance(v[k], (int, float))
    for e in result["evidence"]:
        assert set(e) >= {"doc", "sentence", "start", "end"}
        assert isinstance(e["start"], int) and isinstance(e["end"], int) and e["start"] < e["end"]
    if result["answered"]:
        assert result["values"] and result["evidence"]
    else:
        assert not result["values"]
    assert result["sparql"] is None or result["sparql"] in PREPARED
    json.dumps(result, ensure_ascii=False)


CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))
HANZI = st.sampled_from(list("年退出多少贫困村户人口脱贫减少个省定深度未计划哪一最共比每有哪些汝州市的了吗？,。0123456789二〇一五"))
QUESTIONISH = st.lists(st.one_of(HANZI, st.sampled_from(["2015年", "多少", "贫困村", "{", "}", "?x", "'", '"', "SELECT",
                                                           "UNION", "哪一年", "最多", "比", "2014年到2017年", "桑坪村"])),
                       max_size=20).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(CHARS, max_size=60), QUESTIONISH))
def test_any_string_gets_an_answer_or_a_refusal(seed_store, question):
    well_formed(ask(question, seed_store), question)


@settings(max_examples=300, deadline=None)
@given(st.text(CHARS, max_size=400))
def test_parser_never_raises(question):
    from kg.lexicon import load_lexicon
    from kg.qa.parse import Vocabulary
    global _VOCAB
    try:
        vocab = _VOCAB
    except NameError:
        vocab = _VOCAB = Vocabulary(load_lexicon())
    p = parse_question(question, vocab)
    assert not any(x.startswith("internal") for x in p.problems), p.problems


INJECTIONS = [
    "2015年退出多少贫困村\"} } DROP ALL; SELECT * WHERE { ?s ?p ?o",
    "2015年退出多少贫困村' . ?s ?p ?o . FILTER(true) #",
    "} INSERT DATA { <urn:a> <urn:b> <urn:c> } {",
    "2015年退出多少贫困村 UNION { ?obs ?p ?o }",
    "<https://w3id.org/fupin/indicator/exited-poor-villages> 2015年退出多少",
    "退出贫困村\\\" ) } LIMIT 1",
    "2015年退出多少贫困村 # }",
    "汝州市\"@zh } 2015年退出多少贫困村",
]


@pytest.mark.parametrize("question", INJECTIONS)
def test_question_text_never_becomes_query_text(seed_store, question):
    before = len(seed_store)
    result = ask(question, seed_store)
    well_formed(result, question)
    if result["sparql"] is not None:
        assert result["sparql"] in PREPARED           # a constant query …
        for value in (result.get("bindings") or {}).values():
            assert value.startswith("https://w3id.org/fupin/")   # … bound only to IRIs of the graph
    assert len(seed_store) == before


def test_clean_question_uses_prepared_query_and_bindings(seed_store):
    result = ask("2015年退出多少贫困村", seed_store)
    assert result["answered"]
    assert result["sparql"] == queries.OBSERVATIONS
    assert "2015" not in result["sparql"] and "退出" not in result["sparql"]
    assert result["bindings"]["ind"] == "https://w3id.org/fupin/indicator/exited-poor-villages"
    assert set(result["bindings"]) <= {"ind", "area", "period"}
    assert all(v.startswith("https://w3id.org/fupin/") for v in result["bindings"].values())
