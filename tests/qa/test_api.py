"""kg.qa.ask as an API: fields, evidence offsets, several places, the cached catalogue."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.qa import ask
from kg.qa.catalog import get_catalog

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "corpus" / "ruzhou-2018-poverty-alleviation"


def test_value_answer_fields(seed_store, seed_text):
    r = ask("发放小额信贷多少", seed_store)
    assert r["answered"]
    v = r["values"][0]
    assert (v["value"], v["unit"], v["base_value"], v["base_unit"]) == (4.86, "亿元", 486000000, "元")
    assert v["place"] == "汝州市" and v["indicator"]
    e = r["evidence"][0]
    assert e["doc"] == "ruzhou-2018-poverty-alleviation"
    assert seed_text[e["start"]:e["end"]] == "4.86亿元"
    assert "4.86亿元" in e["sentence"] and e["sentence"] in seed_text
    assert "4.86亿元" in r["answer"]


def test_answer_sentence(seed_store):
    assert ask("2015年退出多少贫困村", seed_store)["answer"] == "2015年汝州市退出贫困村6个。"


def test_refusal_has_explanation_and_answerable_suggestions(seed_store):
    r = ask("2019年退出多少贫困村", seed_store)
    assert not r["answered"] and r["values"] == [] and "2019" in r["answer"]
    assert r["suggestions"]
    for s in r["suggestions"]:
        assert ask(s, seed_store)["answered"], s


def test_superlative_first_row_is_the_winner(seed_store):
    r = ask("哪一年减少贫困人口最多", seed_store)
    assert r["values"][0]["year"] == 2014
    assert "2014" in r["answer"]


def test_sum_equals_the_yearly_values(seed_store):
    r = ask("2014年到2017年共减少贫困人口多少人", seed_store)
    v = r["values"][0]
    assert v["value"] == 27747 and v["unit"] == "人"
    assert sum(p["value"] for p in v["parts"]) == 27747
    assert len(r["evidence"]) >= 4


def test_list_answer_labels(seed_store):
    r = ask("汝州市有哪些特色种植产业", seed_store)
    assert {v["label"] for v in r["values"]} >= {"连翘", "艾草", "核桃", "花椒"}
    assert r["evidence"]


def test_series_is_one_value_per_period(seed_store):
    r = ask("每年退出多少个贫困村", seed_store)
    assert [v["period"] for v in r["values"]] == ["2014年", "2015年", "2016年"]


def test_json_serialisable(seed_store):
    for q in ["2015年退出多少贫困村", "哪一年减少贫困人口最多", "2019年退出多少贫困村", ""]:
        json.dumps(ask(q, seed_store), ensure_ascii=False)


# ------------------------------------------------------------------ several reports, cache


def _copy_report(folder: Path, doc: str, old: str, new: str) -> None:
    text = SEED.with_suffix(".txt").read_text(encoding="utf-8").replace(old, new)
    (folder / f"{doc}.txt").write_text(text, encoding="utf-8")
    meta = json.loads(SEED.with_suffix(".meta.json").read_text(encoding="utf-8"))
    meta = {k: (v.replace(old, new) if isinstance(v, str) else v) for k, v in meta.items()}
    (folder / f"{doc}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


@pytest.fixture()
def two_report_store(tmp_path):
    from kg.ingest import ingest
    from kg.store import LocalStore

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED.with_suffix(".txt"), corpus)
    shutil.copy(SEED.with_suffix(".meta.json"), corpus)
    store = LocalStore(tmp_path / "store")
    ingest([corpus], store, progress=False)
    other = tmp_path / "other"
    other.mkdir()
    _copy_report(other, "pingan-2018", "汝州", "平安")
    yield store, other
    store.close()


def test_catalogue_is_rebuilt_when_the_store_changes(two_report_store):
    from kg.ingest import ingest

    store, other = two_report_store
    first = ask("2015年退出多少贫困村", store)
    assert [v["place"] for v in first["values"]] == ["汝州市"]
    cat = get_catalog(store)
    assert get_catalog(store) is cat                      # cached
    assert ask("平安市2015年退出多少贫困村", store)["answered"] is False
    ingest([other], store, progress=False)
    assert get_catalog(store) is not cat                  # rebuilt: a report was added
    both = ask("2015年退出多少贫困村", store)
    assert sorted(v["place"] for v in both["values"]) == ["平安市", "汝州市"]
    assert "平安市" in both["answer"] and "汝州市" in both["answer"]
    assert {e["doc"] for e in both["evidence"]} == {"ruzhou-2018-poverty-alleviation", "pingan-2018"}
    one = ask("平安2015年退出多少贫困村", store)
    assert [v["place"] for v in one["values"]] == ["平安市"]
