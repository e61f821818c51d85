"""`kg ask`: answer Chinese questions from the graph (registered on the `kg` group)."""

from __future__ import annotations

import json
import sys

import click


def _render(result: dict) -> str:
    lines = [result["answer"]]
    if result["answered"]:
        grouped: dict[tuple[str, str], list[str]] = {}
        for e in result["evidence"]:
            grouped.setdefault((e["doc"], e["sentence"]), []).append(f"{e['start']}–{e['end']}")
        for (doc, sentence), spans in list(grouped.items())[:6]:
            sentence = sentence.replace("\n", " ")
            if len(sentence) > 160:
                sentence = sentence[:157] + "…"
            lines.append(f"  出处 {doc} [{', '.join(spans)}]：{sentence}")
    elif result.get("suggestions"):
        lines.append("可以这样问：")
        lines.extend(f"  · {s}" for s in result["suggestions"])
    return "\n".join(lines)


def _dump(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, default=str)


@click.command(name="ask")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per question.")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0),
              help="An answer listing many places lists ten of them: from this one (see its \"total\").")
@click.pass_context
def ask(ctx, question, as_json, offset):
    """Answer a Chinese question from the graph, with the sentence it came from.

    QUESTION is a question such as "2015年退出多少贫困村"; use - to read questions from
    standard input, one per line (with --json: one JSON object per line, in the same order).
    A question naming no place over many reports is answered ten places at a time: the JSON
    says "truncated", "total" and "offset"; --offset 10 gives the next ten.
    """
    from ..paths import default_store
    from ..store import StoreError, open_store
    from .answer import ask as answer

    location = (ctx.obj or {}).get("store") if ctx.obj is not None else None
    try:
        store = open_store(location or default_store(), read_only=True)
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    try:
        if question == "-":
            for line in sys.stdin:
                q = line.rstrip("\r\n")
                result = answer(q, store, offset=offset)
                click.echo(_dump(result) if as_json else _render(result) + "\n")
                sys.stdout.flush()
        else:
            result = answer(question, store, offset=offset)
            click.echo(_dump(result) if as_json else _render(result))
    finally:
        store.close()
