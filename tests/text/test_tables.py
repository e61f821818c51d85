"""kg.text.tables on small made-up tables: Markdown, tab-separated and whitespace-aligned
layouts; units in cells, in header brackets and in a 单位 caption; captions; row numbers;
merged cells of a flattened table; and text that is no table.

Each case: the text, then per table its kind, caption, column headers and the numeric cells
as (row header, column header, surface, unit, base value, base unit).
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text.table_cells import header_phrase, label_time, numeric_cells, place_header_level
from kg.text.tables import find_tables

MARKDOWN_CAPTION_UNIT = """全县脱贫攻坚取得明显成效。
表1 各乡镇脱贫情况（单位：户）
| 乡镇 | 脱贫户数 | 脱贫人数（人） |
|---|---|---|
| 城关镇 | 120 | 450 |
| 河口乡 | 80 | 300 |
下一段正文。"""

TAB_CELL_UNITS = """表2：2017—2018年资金投入
项目\t2017年\t2018年
财政扶贫资金\t1.2亿元\t1.5亿元
易地搬迁\t350户\t420户
"""

ALIGNED = """类别      金额(万元)   占比
产业扶贫   3200        45.6%
教育扶贫   1800        25.3%
"""

ROW_NUMBERS = """| 序号 | 乡镇 | 项目名称 |
|---|---|---|
| 1 | 城关镇 | 特色水果种植示范 |
| 2 | 河口乡 | 生态养殖扶贫 |
| 3 | 石桥镇 | 乡村旅游提升 |
"""

COUNTING_FIRST_COLUMN = """|  | 村名 | 贫困户数 |
|---|---|---|
| 1 | 东山村 | 35 |
| 2 | 西岭村 | 42 |
| 3 | 南坪村 | 28 |
"""

# an HTML table flattened by the converter: a 2017 cell merged over two rows, 贫困人口 over two columns
MARKDOWN_MERGED = """| 年度 | 贫困人口 |  |
|  | 户 | 人 |
| 2017 | 120 | 450 |
|  | 80 | 300 |
"""

# a tab table copied from a page: merged cells lost, so rows are short at their left; a header
# spanning two columns over a row of units; a 合计 row spanning the label columns
TAB_MERGED = """某某县深度贫困村基本情况
乡镇\t贫困村\t贫困人口\t贫困发生率
户\t人\t%
城关镇\t东山村\t120\t450\t12.5%
西岭村\t80\t300\t9.8%
河口乡\t南坪村\t60\t210\t15.0%
合计\t260\t960\t11.6%
"""

CHANGE = """| 指标 | 2018年 | 比上年增长（%） |
|---|---|---|
| 农村居民人均可支配收入（元） | 9800 | 10.2 |
| 贫困发生率（%） | 1.5 | -2.3 |
"""


@pytest.mark.parametrize(("text", "kind", "caption", "header", "cells"), [
    (MARKDOWN_CAPTION_UNIT, "markdown", "表1 各乡镇脱贫情况（单位：户）", ["乡镇", "脱贫户数", "脱贫人数（人）"], [
        ("城关镇", "脱贫户数", "120", "户", "120", "户"),
        ("城关镇", "脱贫人数（人）", "450", "人", "450", "人"),
        ("河口乡", "脱贫户数", "80", "户", "80", "户"),
        ("河口乡", "脱贫人数（人）", "300", "人", "300", "人"),
    ]),
    (TAB_CELL_UNITS, "tab", "表2：2017—2018年资金投入", ["项目", "2017年", "2018年"], [
        ("财政扶贫资金", "2017年", "1.2亿元", "亿元", "120000000", "元"),
        ("财政扶贫资金", "2018年", "1.5亿元", "亿元", "150000000", "元"),
        ("易地搬迁", "2017年", "350户", "户", "350", "户"),
        ("易地搬迁", "2018年", "420户", "户", "420", "户"),
    ]),
    (ALIGNED, "aligned", None, ["类别", "金额(万元)", "占比"], [
        ("产业扶贫", "金额(万元)", "3200", "万元", "32000000", "元"),
        ("产业扶贫", "占比", "45.6%", "%", "45.6", "%"),
        ("教育扶贫", "金额(万元)", "1800", "万元", "18000000", "元"),
        ("教育扶贫", "占比", "25.3%", "%", "25.3", "%"),
    ]),
    (ROW_NUMBERS, "markdown", None, ["序号", "乡镇", "项目名称"], []),
    (COUNTING_FIRST_COLUMN, "markdown", None, ["", "村名", "贫困户数"], [
        ("东山村", "贫困户数", "35", "户", "35", "户"),
        ("西岭村", "贫困户数", "42", "户", "42", "户"),
        ("南坪村", "贫困户数", "28", "户", "28", "户"),
    ]),
    (MARKDOWN_MERGED, "markdown", None, ["年度", "贫困人口", "贫困人口"], [
        ("2017", "贫困人口", "120", "户", "120", "户"),
        ("2017", "贫困人口", "450", "人", "450", "人"),
        ("2017", "贫困人口", "80", "户", "80", "户"),
        ("2017", "贫困人口", "300", "人", "300", "人"),
    ]),
    (TAB_MERGED, "tab", "某某县深度贫困村基本情况", ["乡镇", "贫困村", "贫困人口", "贫困人口", "贫困发生率"], [
        ("城关镇", "贫困人口", "120", "户", "120", "户"),
        ("城关镇", "贫困人口", "450", "人", "450", "人"),
        ("城关镇", "贫困发生率", "12.5%", "%", "12.5", "%"),
        ("城关镇", "贫困人口", "80", "户", "80", "户"),
        ("城关镇", "贫困人口", "300", "人", "300", "人"),
        ("城关镇", "贫困发生率", "9.8%", "%", "9.8", "%"),
        ("河口乡", "贫困人口", "60", "户", "60", "户"),
        ("河口乡", "贫困人口", "210", "人", "210", "人"),
        ("河口乡", "贫困发生率", "15.0%", "%", "15.0", "%"),
        ("合计", "贫困人口", "260", "户", "260", "户"),
        ("合计", "贫困人口", "960", "人", "960", "人"),
        ("合计", "贫困发生率", "11.6%", "%", "11.6", "%"),
    ]),
    (CHANGE, "markdown", None, ["指标", "2018年", "比上年增长（%）"], [
        ("农村居民人均可支配收入（元）", "2018年", "9800", "元", "9800", "元"),
        ("农村居民人均可支配收入（元）", "比上年增长（%）", "10.2", "%", "10.2", "%"),
        ("贫困发生率（%）", "2018年", "1.5", "%", "1.5", "%"),
        ("贫困发生率（%）", "比上年增长（%）", "-2.3", "%", "-2.3", "%"),
    ]),
])
def test_one_table(text, kind, caption, header, cells):
    tables = find_tables(text)
    assert len(tables) == 1, tables
    t = tables[0]
    assert t.kind == kind
    assert (t.caption.text if t.caption else None) == caption
    assert [h.text for h in t.header] == header
    got = [(n.row_header.text if n.row_header else None, n.column_header.text, n.quantity.surface, n.unit,
            n.quantity.base_value, n.quantity.base_unit) for n in numeric_cells(t)]
    assert got == [(r, c, s, u, Decimal(b), bu) for r, c, s, u, b, bu in cells]
    for n in numeric_cells(t):
        # provenance: the number's offsets into the whole text, inside its cell and its row's line
        assert text[n.quantity.start:n.quantity.end] == n.quantity.surface
        assert n.cell.start <= n.quantity.start < n.quantity.end <= n.cell.end
        assert n.row.start <= n.cell.start and n.cell.end <= n.row.end
        assert "\n" not in text[n.row.start:n.row.end]


@pytest.mark.parametrize("text", [MARKDOWN_CAPTION_UNIT, TAB_CELL_UNITS, ALIGNED, ROW_NUMBERS,
                                  COUNTING_FIRST_COLUMN, MARKDOWN_MERGED, TAB_MERGED, CHANGE])
def test_cells_and_span_are_offsets(text):
    for t in find_tables(text):
        assert t.start < t.end and text[t.start:t.end].strip()
        for r in t.header_rows:
            assert len(r.cells) == t.width
            assert all(text[c.start:c.end] == c.text for c in r.cells)
        for r in t.rows:
            assert len(r.cells) == t.width
            for c in r.cells:
                assert text[c.start:c.end] == c.text       # a carried cell keeps the offsets of the one it repeats
                assert t.start <= c.start and c.end <= t.end
        if t.caption:
            assert text[t.caption.start:t.caption.end] == t.caption.text
            assert t.caption.end <= t.start


def test_merged_cells_are_repeated():
    t = find_tables(TAB_MERGED)[0]
    second = t.rows[1]
    assert [c.text for c in second.cells] == ["城关镇", "西岭村", "80", "300", "9.8%"]
    assert second.cells[0].carried and not second.cells[1].carried
    assert t.column_units == ("", "", "户", "人", "%")
    last = t.rows[-1]
    assert last.cells[0].text == "合计" and last.cells[2].text == "260"
    m = find_tables(MARKDOWN_MERGED)[0]
    assert [c.text for c in m.rows[1].cells] == ["2017", "80", "300"] and m.rows[1].cells[0].carried


def test_caption_unit_and_place_header():
    t = find_tables(MARKDOWN_CAPTION_UNIT)[0]
    assert t.unit == "户"
    assert place_header_level("乡镇") == "" and place_header_level("贫困村") == "村"
    assert place_header_level("脱贫户数") is None and place_header_level("项目名称") is None


@pytest.mark.parametrize(("header", "phrase"), [
    ("脱贫户数（户）", "脱贫户数"), ("金额(万元)", "金额"), ("2018年", ""), ("2018年脱贫人口", "脱贫人口"),
    ("人均收入（元/人）", "人均收入"),
])
def test_header_phrase(header, phrase):
    assert header_phrase(header) == phrase


def test_label_time():
    assert label_time("2017 （5个）").start_year == 2017
    assert label_time("2016—2018年").kind == "span"
    assert label_time("城关镇") is None


@pytest.mark.parametrize("text", [
    # prose, one sentence a line
    "全县脱贫1200人，贫困发生率降至1.2%。\n2019年，全县实现脱贫摘帽。\n",
    # words spaced out, numbered items: no values
    "1.  加强组织领导\n2.  强化资金保障\n3.  严格考核问责\n",
    # a signature block
    "某某县扶贫开发领导小组办公室    2019年3月5日\n联系人：张某    电话：12345678\n",
    # one tab-separated line is no table
    "全县\t脱贫1200人\n贫困发生率降至1.2%。\n",
    # a lone Markdown row
    "| 乡镇 | 户数 |\n正文继续。\n",
])
def test_no_table(text):
    assert find_tables(text) == []


def test_two_tables_and_text_between():
    text = MARKDOWN_CAPTION_UNIT + "\n\n" + TAB_CELL_UNITS
    tables = find_tables(text)
    assert [t.kind for t in tables] == ["markdown", "tab"]
    assert tables[0].end < tables[1].start
    assert sum(len(numeric_cells(t)) for t in tables) == 8


def test_adjacent_converted_tables_are_two():
    # what the HTML converter makes of two <table>s in a row (trailing blanks, no line between;
    # the second table's header made of <td>s, so no separator line)
    text = ("表1 各乡镇脱贫情况（单位：户）\n| 乡镇 | 脱贫户数 | 脱贫人数（人） | \n|---|---|---|\n"
            "| 城关镇 | 120 | 450 | \n| 河口乡 | 80 | 300 | \n"
            "| 年度 | 贫困人口 |  | \n|  | 户 | 人 | \n| 2017年 | 95 | 360 | \n")
    tables = find_tables(text)
    assert [len(t.rows) for t in tables] == [2, 1]
    assert tables[0].caption.text.startswith("表1") and tables[1].caption is None
    assert [(n.column_header.text, n.quantity.surface, n.unit) for n in numeric_cells(tables[1])] == [
        ("贫困人口", "95", "户"), ("贫困人口", "360", "人")]


_TABLE_ALPHABET = "|\t \n-:0123456789.%（）()户人万元年乡镇村合计序号单位：贫困人口增长表"


@given(st.one_of(st.text(max_size=120), st.text(alphabet=_TABLE_ALPHABET, max_size=120)))
@settings(max_examples=300, deadline=None)
def test_fuzz_tables_never_crash_and_stay_in_the_text(text):
    last = -1
    for t in find_tables(text):
        assert last <= t.start < t.end <= len(text)
        last = t.end
        for n in numeric_cells(t):
            assert t.start <= n.quantity.start < n.quantity.end <= t.end
            assert text[n.cell.start:n.cell.end] == n.cell.text
