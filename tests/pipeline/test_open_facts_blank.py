"""kg.nlp.open_facts._blanked: a clause's text with spans made spaces, as blanking each span in
turn over a list of its characters gives it (random texts, clauses and spans, overlapping ones too)."""

import random

from kg.nlp.open_facts import _blanked


def reference(text, start, end, spans):
    chars = list(text[start:end])
    for a, b in spans:
        chars[max(a, start) - start:max(min(b, end) - start, 0)] = " " * max(min(b, end) - max(a, start), 0)
    return "".join(chars)


def test_blanked_is_blanking_span_by_span():
    rng = random.Random(3)
    for _ in range(20000):
        n = rng.randint(0, 30)
        text = "".join(rng.choice("甲乙丙丁12") for _ in range(n))
        start = rng.randint(0, n)
        end = rng.randint(start, n)
        spans = [(a, a + rng.randint(0, 6)) for a in (rng.randint(max(0, start - 5), n + 2)
                                                      for _ in range(rng.randint(0, 4)))]
        assert _blanked(text, start, end, spans) == reference(text, start, end, spans)
