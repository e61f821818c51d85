"""kg.text.entities._ending_at: organisations and government bodies searched only before each
of their suffixes are the matches of searching every position (test reports, random strings)."""

import random
from pathlib import Path

import pytest

from kg.corpus import read_report, report_files
from kg.text import entities as E

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "corpus", ROOT / "tests" / "dev" / "docs", ROOT / "tests" / "multi" / "data"]
CASES = [
    (E.ORG_RE, E.ORG_SUFFIX_RE, E.ORG_NAME_MAX, "有限责任公司股份集团合作社联协会基金银行研究院医（）()，。 12ab甲乙丙",
     ["公司", "有限公司", "合作社", "集团"]),
    (E.GOV_RE, E.GOV_SUFFIX_RE, 7, "市县区省乡镇扶贫办领导小组指挥部委员会人民政府财政局，。 12a甲乙",
     ["扶贫办", "人民政府", "委员会", "财政局"]),
]


def spans(matches):
    return [(m.start(), m.end()) for m in matches]


@pytest.mark.parametrize("regex, ends, reach, chars, words", CASES)
def test_search_before_suffixes_is_searching_everywhere(regex, ends, reach, chars, words):
    texts = [read_report(p).text for p in report_files([str(f) for f in FOLDERS if f.exists()])]
    rng = random.Random(5)
    alphabet = list(chars) + words
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(5000)]
    found = 0
    for text in texts:
        expected = spans(regex.finditer(text))
        assert spans(E._ending_at(regex, ends, reach, text)) == expected, text
        found += len(expected)
    assert found > 1000
