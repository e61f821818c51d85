"""Tables become observations: every numeric cell of a table is one open fact whose phrase comes
from its column header (and its row header when that names no place or time; a 增长 column's
value is a change of what it names), with its row's
place and time, the unit of the cell or of its header or caption, and the cell's number as its
mention; the sentence rules do not read a table's rows again.

- a made-up report with a Markdown table (乡镇 rows, units in the headers, a 合计 row, a
  增长 column) and a tab table (year rows, 单位 in the caption) through kg.extract.extract_report;
- the 环江 dev report's 表1 (序号 | 乡镇 | 项目名称): a table with its twelve rows, and its row
  numbers are no observations.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.corpus import Report, read_report
from kg.extract import extract_report
from kg.text.table_cells import numeric_cells
from kg.text.tables import find_tables

DOCS = Path(__file__).resolve().parent.parent / "dev" / "docs"

TEXT = """某某县2019年脱贫攻坚工作总结

2019年，全县脱贫攻坚取得决定性进展，全年减少贫困人口3200人。

表1 各乡镇脱贫情况
| 乡镇 | 脱贫户数（户） | 脱贫人数（人） | 人均纯收入增长（%） |
|---|---|---|---|
| 城关镇 | 120 | 450 | 12.5 |
| 河口乡 | 80 | 300 | 9.8 |
| 合计 | 200 | 750 | 11.2 |

表2 历年扶贫资金投入（单位：万元）
年度\t财政专项扶贫资金\t整合涉农资金
2016年\t1200\t3500
2017年\t1500\t4200
2018年\t1800\t5100

下一步，全县将继续巩固脱贫成果，确保贫困群众稳定增收。
"""

# (phrase, place, period label, value, unit, base value, measure) of each numeric cell, in order
EXPECTED = [
    ("脱贫户数", "城关镇", "2019", "120", "户", "120", "level"),
    ("脱贫人数", "城关镇", "2019", "450", "人", "450", "level"),
    ("人均纯收入", "城关镇", "2019", "12.5", "%", "12.5", "change"),
    ("脱贫户数", "河口乡", "2019", "80", "户", "80", "level"),
    ("脱贫人数", "河口乡", "2019", "300", "人", "300", "level"),
    ("人均纯收入", "河口乡", "2019", "9.8", "%", "9.8", "change"),
    ("脱贫户数", "某某县", "2019", "200", "户", "200", "level"),
    ("脱贫人数", "某某县", "2019", "750", "人", "750", "level"),
    ("人均纯收入", "某某县", "2019", "11.2", "%", "11.2", "change"),
    ("财政专项扶贫资金", "某某县", "2016", "1200", "万元", "12000000", "level"),
    ("整合涉农资金", "某某县", "2016", "3500", "万元", "35000000", "level"),
    ("财政专项扶贫资金", "某某县", "2017", "1500", "万元", "15000000", "level"),
    ("整合涉农资金", "某某县", "2017", "4200", "万元", "42000000", "level"),
    ("财政专项扶贫资金", "某某县", "2018", "1800", "万元", "18000000", "level"),
    ("整合涉农资金", "某某县", "2018", "5100", "万元", "51000000", "level"),
]


@pytest.fixture(scope="module")
def extraction():
    return extract_report(Report(doc="t", text=TEXT, place="某某县", date="2019"))


def in_tables(facts, tables):
    spans = [(t.start, t.end) for t in tables]
    return [f for f in facts if any(a <= m.start < b for m in f.mentions for a, b in spans)]


def test_one_observation_per_numeric_cell(extraction):
    tables = find_tables(TEXT)
    assert [t.kind for t in tables] == ["markdown", "tab"]
    facts = in_tables(extraction.facts, tables)
    got = [(f.phrase, f.place.name, f.period.label, str(f.value), f.unit, str(f.base_value), f.measure)
           for f in facts]
    assert got == EXPECTED
    assert all(f.is_open and f.kind == "actual" for f in facts)


def test_provenance_is_the_cell_number(extraction):
    tables = find_tables(TEXT)
    cells = [n for t in tables for n in numeric_cells(t)]
    facts = in_tables(extraction.facts, tables)
    assert len(facts) == len(cells)
    for f, n in zip(facts, cells):
        assert len(f.mentions) == 1
        m = f.mentions[0]
        assert (m.start, m.end) == (n.quantity.start, n.quantity.end)
        assert TEXT[m.start:m.end] == m.surface and Decimal(m.surface) == f.value
        # the sentence is the row's line
        assert m.sentence == TEXT[m.sent_start:m.sent_end] and m.sentence == TEXT[n.row.start:n.row.end]


def test_no_sentence_fact_reads_a_table_again(extraction):
    tables = find_tables(TEXT)
    spans = [(m.start, m.end) for f in extraction.facts for m in f.mentions]
    assert len(spans) == len(set(spans))             # no number is two observations
    cells = {(n.quantity.start, n.quantity.end) for t in tables for n in numeric_cells(t)}
    inside = {s for s in spans if any(t.start <= s[0] < t.end for t in tables)}
    assert inside == cells
    # the prose outside the tables still gives its facts
    assert any(TEXT[m.start:m.end] == "3200人" for f in extraction.facts for m in f.mentions)


def test_table_observations_are_in_the_graph(extraction):
    nq = extraction.nquads.decode("utf-8")
    assert nq.count("财政专项扶贫资金") >= 3
    assert '"12000000"' in nq or "12000000" in nq


def test_huanjiang_table_has_rows_but_no_values():
    report = read_report(DOCS / "18_huanjiang.txt")
    tables = find_tables(report.text)
    assert len(tables) == 1
    t = tables[0]
    assert t.kind == "markdown" and t.caption is not None and t.caption.text.startswith("表1")
    assert [h.text for h in t.header] == ["序号", "乡镇", "项目名称"]
    assert len(t.rows) == 12
    assert [r.cells[0].text for r in t.rows] == [str(k) for k in range(1, 13)]
    assert all(r.cells[1].text[-1] in "乡镇" for r in t.rows)
    assert numeric_cells(t) == []
    facts = extract_report(report).facts
    assert in_tables(facts, tables) == []            # row numbers are no observations


def test_a_cell_of_words_is_read_as_a_sentence_of_its_row():
    text = ("某某县2019年产业扶贫情况\n\n| 乡镇 | 主要成效 | 投入资金（万元） |\n|---|---|---|\n"
            "| 城关镇 | 建成特色产业基地500亩，带动贫困户120户增收 | 300 |\n"
            "| 河口乡 | 发展生态养殖，新建养殖场8个 | 150 |\n")
    facts = extract_report(Report(doc="t", text=text, place="某某县", date="2019")).facts
    got = {(text[f.mentions[0].start:f.mentions[0].end], f.place.name) for f in facts}
    assert got == {("500亩", "城关镇"), ("120户", "城关镇"), ("300", "城关镇"), ("8个", "河口乡"), ("150", "河口乡")}
    money = [f for f in facts if f.unit == "万元"]
    # the prose cell is no row header: the value is of its column
    assert [f.phrase for f in money] == ["投入资金", "投入资金"]
    assert [f.base_value for f in money] == [Decimal(3000000), Decimal(1500000)]


def test_an_html_table_through_the_converter():
    from kg.formats import html_text

    html = ("<html><body><article><h1>某某县脱贫攻坚情况</h1>"
            "<p>2018年，全县脱贫攻坚取得决定性进展，全年减少贫困人口3200人，群众满意度持续提升。</p>"
            "<p>表1 各乡镇脱贫情况（单位：户）</p><table><tr><th>乡镇</th><th>脱贫户数</th><th>脱贫人数（人）</th></tr>"
            "<tr><td>城关镇</td><td>120</td><td>450</td></tr><tr><td>河口乡</td><td>80</td><td>300</td></tr></table>"
            "<p>全县上下齐心协力，扎实推进各项工作，为全面建成小康社会打下坚实基础。</p></article></body></html>")
    text = html_text(html.encode("utf-8"), "t.html")
    tables = find_tables(text)
    assert len(tables) == 1 and tables[0].caption.text.startswith("表1")
    facts = in_tables(extract_report(Report(doc="t", text=text, place="某某县", date="2018")).facts, tables)
    assert [(f.phrase, f.place.name, f.period.label, str(f.value), f.unit) for f in facts] == [
        ("脱贫户数", "城关镇", "2018", "120", "户"), ("脱贫人数", "城关镇", "2018", "450", "人"),
        ("脱贫户数", "河口乡", "2018", "80", "户"), ("脱贫人数", "河口乡", "2018", "300", "人")]


def test_year_columns_and_a_change_column():
    text = ("某某县2018年工作总结\n| 指标 | 2018年 | 比上年增长（%） |\n|---|---|---|\n"
            "| 农村居民人均可支配收入（元） | 9800 | 10.2 |\n| 贫困发生率（%） | 1.5 | -2.3 |\n")
    facts = extract_report(Report(doc="t", text=text, place="某某县", date="2018")).facts
    assert [(f.phrase, f.measure, f.period.label, str(f.value), f.unit, f.mentions[0].surface) for f in facts] == [
        ("农村居民人均可支配收入", "level", "2018", "9800", "元", "9800"),
        ("农村居民人均可支配收入", "change", "2018", "10.2", "%", "10.2"),
        ("贫困发生率", "level", "2018", "1.5", "%", "1.5"),
        ("贫困发生率", "change", "2018", "-2.3", "%", "-2.3"),
    ]
