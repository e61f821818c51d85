"""The ask page and /api/ask.

Tests named ``test_qa_*`` call the real question answering (kg.qa.ask); the others replace it with
a stub that returns the documented result structure, so they test the page alone.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest

from kg.web.blueprints import ask as ask_bp
from kg.web.examples import QUESTIONS

KEYS = {"question", "answered", "answer", "values", "evidence", "sparql", "suggestions"}
VALUE_KEYS = {"value", "unit", "base_value", "base_unit", "qualifier", "place", "period", "indicator", "label"}


# ---------------------------------------------------------------------- with kg.qa
def answered_example(client):
    for q in QUESTIONS:
        j = client.get("/api/ask?q=" + quote(q)).get_json()
        if j["answered"] and j["evidence"]:
            return q, j
    pytest.fail("none of the example questions is answered")


def test_qa_api_contract(client):
    for q in QUESTIONS[:3]:
        r = client.get("/api/ask?q=" + quote(q))
        assert r.status_code == 200 and r.mimetype == "application/json"
        j = r.get_json()
        assert KEYS <= set(j) and j["question"] == q
        for v in j["values"]:
            assert VALUE_KEYS <= set(v)
        for ev in j["evidence"]:
            assert {"doc", "sentence", "start", "end", "url"} <= set(ev)
    assert client.get("/ask.json?q=" + quote(QUESTIONS[0])).get_json()["question"] == QUESTIONS[0]


def test_qa_examples_mostly_answered(client):
    answered = [q for q in QUESTIONS if client.get("/api/ask?q=" + quote(q)).get_json()["answered"]]
    assert len(answered) >= len(QUESTIONS) // 2, answered


def test_qa_evidence_offsets_point_at_the_value(client):
    q, j = answered_example(client)
    for ev in j["evidence"]:
        text = client.get(f"/documents/{ev['doc']}.json").get_json()["text"]
        surface = text[ev["start"]:ev["end"]]
        assert surface and surface in ev["sentence"] and ev["sentence"] in text


def test_qa_page_shows_answer_evidence_and_sparql(client):
    q, j = answered_example(client)
    html = client.get("/?q=" + quote(q)).get_data(as_text=True)
    assert 'class="card answer-card answered"' in html
    assert j["answer"] in html
    ev = j["evidence"][0]
    text = client.get(f"/documents/{ev['doc']}.json").get_json()["text"]
    assert f'<mark class="hit">{text[ev["start"]:ev["end"]]}</mark>' in html
    assert f'href="/documents/{ev["doc"]}#char={ev["start"]},{ev["end"]}"' in html
    m = re.search(r'id="open-in-editor" href="([^"]+)"|href="([^"]+)" id="open-in-editor"', html) or \
        re.search(r'<a class="button" href="([^"]+)" id="open-in-editor">', html)
    href = next(g for g in m.groups() if g).replace("&amp;", "&")
    assert href.startswith("/query?query=")
    editor = client.get(href)
    assert editor.status_code == 200 and 'id="results-table"' in editor.get_data(as_text=True)


def test_qa_refusal_has_suggestions(client):
    j = client.get("/api/ask?q=" + quote("今天天气怎么样")).get_json()
    assert j["answered"] is False
    html = client.get("/?q=" + quote("今天天气怎么样")).get_data(as_text=True)
    assert "answer-card refused" in html
    for s in j["suggestions"]:
        assert f'href="/?q={quote(s)}"' in html or s in html


# ---------------------------------------------------------------------- with a stub
@pytest.fixture()
def fake_qa(monkeypatch, ids):
    f = ids["fact"]
    m = f["mentions"][0]
    results = {}

    def fake(question, offset=0):
        return results[question]
    monkeypatch.setattr(ask_bp, "qa_ask", fake)
    import kg.web.blueprints.api as api_bp
    monkeypatch.setattr(api_bp, "qa_ask", fake)
    value = {"value": f["value"], "unit": f["unit"], "base_value": f["base_value"], "base_unit": f["base_unit"],
             "qualifier": "lower_bound", "place": f["place"], "period": f["period"], "indicator": f["indicator"],
             "label": f["indicator_label"]}
    results["one"] = {"question": "one", "answered": True, "answer": f"{f['period']}{f['place']}……",
                      "values": [value],
                      "evidence": [{"doc": ids["doc"], "sentence": m["sentence"], "start": m["start"], "end": m["end"]}],
                      "sparql": "SELECT ?x WHERE { ?x a ?t }", "bindings": {"t": "https://w3id.org/fupin/ontology#Report"},
                      "suggestions": []}
    results["series"] = {"question": "series", "answered": True, "answer": "逐年……",
                         "values": [dict(value, period=f"{y}年", value=v, base_value=v, qualifier="exact")
                                    for y, v in ((2014, 8), (2015, 6), (2016, 4))],
                         "evidence": [], "sparql": None, "suggestions": []}
    results["no"] = {"question": "no", "answered": False, "answer": "图中没有这个数据。", "values": [], "evidence": [],
                     "sparql": None, "suggestions": ["2015年退出多少贫困村", "因病致贫占比多少"]}
    return {"fact": f, "mention": m, "value": value}


def test_page_single_value(client, fake_qa, ids):
    html = client.get("/?q=one").get_data(as_text=True)
    m = fake_qa["mention"]
    assert f'<mark class="hit">{m["surface"]}</mark>' in html
    before = m["sentence"][: m["start"] - m["sentence_start"]]
    assert before + f'<mark class="hit">' in html.replace("&#34;", '"').replace("&#39;", "'") or before == ""
    assert f'/documents/{ids["doc"]}#char={m["start"]},{m["end"]}' in html
    assert "以上/余" in html                           # the qualifier, in words
    assert fake_qa["value"]["place"] in html and fake_qa["value"]["period"] in html
    href = re.search(r'href="(/query\?query=[^"]+)" id="open-in-editor"', html).group(1).replace("&amp;", "&")
    query = unquote(href.split("query=", 1)[1].replace("+", " "))
    assert query.endswith("VALUES (?t) { (<https://w3id.org/fupin/ontology#Report>) }\n")
    page = client.get(href).get_data(as_text=True)
    assert "1 行" in page                              # the bindings make it the same query that was run


def test_page_series_table_and_chart(client, fake_qa):
    html = client.get("/?q=series").get_data(as_text=True)
    assert 'class="data series-table' in html
    assert "<svg" in html and "line-chart" in html and "2014年" in html and "2016年" in html
    assert html.count("<tr>") >= 4


def test_page_refusal(client, fake_qa):
    html = client.get("/?q=no").get_data(as_text=True)
    assert "图中没有这个数据。" in html and "answer-card refused" in html
    assert f'href="/?q={quote("2015年退出多少贫困村")}"' in html


def test_api_adds_links(client, fake_qa, ids):
    j = client.get("/api/ask?q=one").get_json()
    m = fake_qa["mention"]
    assert j["evidence"][0]["url"] == f"/documents/{ids['doc']}#char={m['start']},{m['end']}"
    assert j["editor_url"].startswith("/query?query=")


def test_qa_missing_is_a_clear_503(client, monkeypatch):
    def missing(q):
        raise ask_bp.QaMissing("问答模块 kg.qa 不可用")
    monkeypatch.setattr(ask_bp, "qa_ask", missing)
    r = client.get("/?q=x")
    assert r.status_code == 503 and "kg.qa" in r.get_data(as_text=True)


def test_question_length_limit(client):
    assert client.get("/?q=" + "问" * 500).status_code == 400
    assert client.get("/api/ask?q=" + "问" * 500).status_code == 400


def test_home_has_examples(client):
    html = client.get("/").get_data(as_text=True)
    for q in QUESTIONS:
        assert f'href="/?q={quote(q)}"' in html


@pytest.mark.parametrize("text,sentence,start,end,expected", [
    ("abcXYZdef", "XYZ", 3, 5, 3),
    ("XYZ..XYZ", "XYZ", 6, 7, 5),
    ("aaa", "zzz", 0, 1, None),
])
def test_sentence_offset(text, sentence, start, end, expected):
    assert ask_bp.sentence_offset(text, sentence, start, end) == expected
