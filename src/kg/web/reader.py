"""The document reader: a report's text as HTML with every extracted fact highlighted and every
entity mention underlined, each piece of text knowing its character offsets (``data-s``,
``data-e``) in the text as stored, so that ``#char=start,end`` finds the right characters.

Plain text is shown as it is (line breaks kept). A report written in Markdown (headings, lists,
tables) is rendered by markdown-it-py (CommonMark and tables; raw HTML off) and sanitised by
construction: only the tags written here are emitted, every piece of text is escaped, links are
shown as their text and images as their description (the page never loads anything). Each text
piece of the rendered document is located in the source, so the highlights stay on the
characters the offsets name; the Markdown markers themselves (``#``, ``|``, ``**``) are not shown.
"""

from __future__ import annotations

import bisect
import re

from markupsafe import Markup, escape

from .data import segments

_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", re.M)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+\S", re.M)


def is_markdown(text: str) -> bool:
    """Whether the report is written in Markdown: a heading, a table, or a list of two items or more."""
    if "\r" in text or "\0" in text:
        return False            # markdown-it rewrites these, which would move the offsets
    return bool(_HEADING.search(text) or _TABLE_RULE.search(text) or len(_LIST_ITEM.findall(text)) >= 2)


def _attr(v) -> str:
    return str(escape(str(v)))


def segment_html(seg: dict, start: int, end: int, text: str) -> str:
    """One piece [start, end) of a segment of kg.web.data.segments as HTML."""
    piece = _attr(text[start:end])
    pos = f'data-s="{start}" data-e="{end}"'
    f = seg.get("fact")
    if f is not None:
        ident = f' id="char={seg["span"][0]},{seg["span"][1]}"' if start == seg["span"][0] else ""
        multi = " multi" if len(seg.get("facts") or ()) > 1 else ""
        return (f'<a class="fact{multi}" href="{_attr(f["url"])}"{ident} {pos} title="{_attr(f.get("label") or "")}">'
                f"{piece}</a>")
    e = seg.get("entity")
    if e is not None:
        return (f'<a class="entity type-{_attr(e["type"])}" href="{_attr(e["url"])}" {pos} '
                f'title="{_attr(e["type_label"])}：{_attr(e["label"])}">{piece}</a>')
    return f"<span {pos}>{piece}</span>"


class _Pieces:
    """Text ranges [a, b) of the source as HTML, cut where the segments are cut."""

    def __init__(self, text: str, segs: list[dict]):
        self.text, self.segs = text, segs
        self.ends = [s["end"] for s in segs]

    def html(self, a: int, b: int) -> str:
        out = []
        i = bisect.bisect_right(self.ends, a)
        while i < len(self.segs) and self.segs[i]["start"] < b:
            s = self.segs[i]
            lo, hi = max(a, s["start"]), min(b, s["end"])
            if lo < hi:
                out.append(segment_html(s, lo, hi, self.text))
            i += 1
        return "".join(out)


def render_plain(text: str, spans, facts_by_iri: dict, entities_by_iri: dict) -> Markup:
    segs = segments(text, spans, facts_by_iri, entities_by_iri)
    return Markup("".join(segment_html(s, s["start"], s["end"], text) for s in segs))


def render(text: str, spans, facts_by_iri: dict, entities_by_iri: dict) -> Markup:
    """A Markdown report as HTML (see the module's description)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(text)
    pieces = _Pieces(text, segments(text, spans, facts_by_iri, entities_by_iri))
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)] + [len(text)]

    def at_line(n: int) -> int:
        return line_starts[min(n, len(line_starts) - 1)]

    out: list[str] = []
    for tok in tokens:
        t = tok.type
        if t == "inline":
            out.append(_inline(tok, text, pieces, at_line(tok.map[0]) if tok.map else 0,
                               at_line(tok.map[1]) if tok.map else len(text)))
        elif t in ("code_block", "fence"):
            a, b = at_line(tok.map[0] + (1 if t == "fence" else 0)), at_line(tok.map[1] - (1 if t == "fence" else 0))
            out.append(f'<pre class="md-code">{pieces.html(a, b)}</pre>')
        elif t == "hr":
            out.append("<hr>")
        elif t.endswith("_open") or t.endswith("_close"):
            if tok.hidden:
                continue
            tag = tok.tag
            if tag.startswith("h") and tag[1:].isdigit():
                tag = f"h{min(6, int(tag[1:]) + 1)}"       # the page's own title is the h1
            if t.endswith("_open"):
                extra = ""
                if tag == "ol" and tok.attrGet("start") not in (None, 1, "1"):
                    extra = f' start="{_attr(tok.attrGet("start"))}"'
                if tag == "table":
                    out.append('<div class="table-wrap md-table-wrap">')
                align = re.search(r"text-align:\s*(left|right|center)", tok.attrGet("style") or "")
                if align:                                    # a class, not markdown-it's inline style
                    extra += f' class="align-{align.group(1)}"'
                out.append(f'<{tag} class="md"{extra}>' if tag in ("table", "p") else f"<{tag}{extra}>")
            else:
                out.append(f"</{tag}>")
                if tag == "table":
                    out.append("</div>")
        elif t == "html_block":           # not produced (html off), but never emitted raw
            out.append(f"<p>{_attr(tok.content)}</p>")
    return Markup("".join(out))


def _inline(tok, text: str, pieces: _Pieces, lo: int, hi: int) -> str:
    out, cursor = [], lo
    for c in tok.children or []:
        ct = c.type
        if ct in ("text", "code_inline"):
            content = c.content
            if not content:
                continue
            pos = text.find(content, cursor, hi)
            html = pieces.html(pos, pos + len(content)) if pos >= 0 else _attr(content)
            if pos >= 0:
                cursor = pos + len(content)
            out.append(f"<code>{html}</code>" if ct == "code_inline" else html)
        elif ct == "softbreak":
            pos = text.find("\n", cursor, hi)
            if pos >= 0:
                out.append(pieces.html(pos, pos + 1))
                cursor = pos + 1
            else:
                out.append("\n")
        elif ct == "hardbreak":
            out.append("<br>")
        elif ct in ("strong_open", "em_open", "s_open"):
            out.append({"strong_open": "<strong>", "em_open": "<em>", "s_open": "<s>"}[ct])
        elif ct in ("strong_close", "em_close", "s_close"):
            out.append({"strong_close": "</strong>", "em_close": "</em>", "s_close": "</s>"}[ct])
        elif ct == "image":                 # its description, never the picture (no outside request)
            out.append(_inline(c, text, pieces, cursor, hi))
        # link_open / link_close: the link's text is shown, not the link
    return "".join(out)
