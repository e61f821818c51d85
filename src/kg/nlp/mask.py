"""Blanking out text that must not feed fact extraction (titles of policy documents)."""

import re

TITLE_RE = re.compile(r"《[^《》\n]*》(?:\s*[（(][^（）()\n]{0,40}[〔\[［]\d{4}[〕\]］][^（）()\n]{0,10}[）)])?")


def mask_titles(text: str) -> str:
    """Replace 《…》 titles (and a document number after them) by spaces; offsets are kept."""
    return TITLE_RE.sub(lambda m: " " * len(m.group()), text)
