"""group_by_sentence gives each sentence the items a filter over all items would give it."""

import pytest

from kg.nlp.sections import group_by_sentence, join_broken_lines
from kg.text.places import find_deictic, find_places
from kg.text.quantities import find_quantities
from kg.text.segments import sentences
from kg.text.timex import find_times


@pytest.mark.parametrize("text", [
    "", "没有数字", "2017年底,我县共有贫困村63个。2018年退出8个!\n\n## 成就:减少贫困人口27747人\n石门镇柳树村种植花椒1500余亩",
    "带动150多户贫\n\n困户年均增收1万元以上,全县2016年退出贫困村5个(其中深度贫困村3个)。我市、本县",
    "  表格\t2015\t6个\n2016年\t8个。。。\n\n",
])
def test_group_by_sentence_matches_filtering_every_item(text):
    sents = join_broken_lines(text, sentences(text))
    for items, span in ((find_quantities(text), lambda x: (x.start, x.end)), (find_times(text), lambda x: (x.start, x.end)),
                        (find_places(text), lambda x: (x.start, x.end)), (find_deictic(text), lambda x: x)):
        expected = [[x for x in items if s.start <= span(x)[0] and span(x)[1] <= s.end] for s in sents]
        assert group_by_sentence(sents, items, span) == expected
