"""The `kg` command line: ingest, export, check, query, serve (and more, see `kg --help`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .corpus import CorpusError
from .paths import default_corpus, default_store
from .store import StoreError, open_store


class KgError(click.ClickException):
    exit_code = 2


def _store(ctx, read_only: bool = False):
    try:
        return open_store(ctx.obj["store"], read_only=read_only)
    except StoreError as e:
        raise KgError(str(e)) from None


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())


class KgGroup(click.Group):
    """Turns the errors kg expects (a bad file, an unreachable store) into clear messages, exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (StoreError, CorpusError) as e:
            raise KgError(_one_line(e)) from None


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="KG_STORE", default=None, metavar="DIR",
              help="Where the graph lives: a folder (default: $KG_STORE or ./data).")
@click.version_option(__version__, prog_name="kg")
@click.pass_context
def main(ctx, store):
    """kg: a knowledge graph of Chinese poverty-alleviation reports.

    Build the graph with `kg ingest`, then ask it questions, query it with SPARQL,
    export it, or serve the web UI. Every fact keeps the sentence and character
    offsets it came from.
    """
    ctx.ensure_object(dict)
    ctx.obj["store"] = store or default_store()


def _index(store, full: bool = False) -> None:
    """The question index beside the store, brought up to date after a write (kg.qa.index_file);
    a failure is a warning, not an error: the store is written, and questions index it later."""
    from .qa.index_file import after_write

    problem = after_write(store, full=full)
    if problem:
        click.echo(f"warning: {problem}", err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", default=1, show_default=True, help="Processes to extract with.")
@click.option("--dask", metavar="ADDRESS", default=None,
              help="Extract on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); needs kg[dask].")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@click.pass_context
def ingest(ctx, paths, jobs, dask, quiet):
    """Extract reports and store their graphs (default: the corpus/ folder).

    PATHS are report files (.txt, .md, UTF-8) or folders of them; each report's
    metadata is read from <name>.meta.json beside it. Every report is read before
    anything is written, so a bad file leaves the store as it was. A store folder
    gets its new version built beside it (<store>.kg-new) and swapped in at the
    end: interrupted, the store is as it was. With --dask, the reports are
    extracted on the workers of a Dask cluster (kg installed on each) and written
    here as with --jobs.
    """
    from .cluster import ClusterError        # Dask itself is imported only with --dask
    from .ingest import ingest as run

    if dask is not None and jobs != 1:
        raise KgError("--jobs and --dask: give one (with --dask the cluster's workers extract)")
    paths = list(paths) or [default_corpus()]
    store = _store(ctx)
    try:
        summary = run(paths, store, jobs=jobs, progress=not quiet, dask=dask)
        _index(store, full=True)
    except CorpusError as e:
        raise KgError(f"{e}\nNothing was written: the store is as it was.") from None
    except ClusterError as e:
        raise KgError(f"{e} Nothing was written: the store is as it was.") from None
    finally:
        store.close()
    if not quiet:
        click.echo(f"ingested {summary}")


@main.command()
@click.option("--format", "-f", "fmt", required=True,
              type=click.Choice(["ttl", "nt", "nq", "jsonld", "trig", "csv", "graphml"]),
              help="ttl/nt/nq/jsonld/trig: RDF (nq and trig keep the named graphs); csv: tidy table of observations; graphml: entity graph (Gephi).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@click.option("--bom", is_flag=True, help="CSV only: start with a UTF-8 byte order mark, for Excel.")
@click.pass_context
def export(ctx, fmt, output, bom):
    """Export the whole graph."""
    from .export import export as run

    store = _store(ctx, read_only=True)
    try:
        data = run(store, fmt, bom=bom)
    finally:
        store.close()
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@click.option("--verbose", "-v", is_flag=True, help="Print the full SHACL report.")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: each shape's constraints run as queries in the store (seconds for a thousand "
                   "reports); pyshacl: the reference validator, on a copy of the graph in memory (minutes).")
@click.pass_context
def check(ctx, verbose, engine):
    """Validate the graph (SHACL) and check totals against their parts.

    Exits 1 when SHACL finds violations; consistency disagreements are reported
    but are facts about the reports, not errors of the graph.
    """
    from .check import run_checks

    store = _store(ctx, read_only=True)
    try:
        report = run_checks(store, engine)
    finally:
        store.close()
    click.echo(f"SHACL: {'conforms' if report.conforms else f'{report.violations} violation(s)'}")
    if verbose or not report.conforms:
        click.echo(report.shacl_text)
    for c in report.checks:
        click.echo(f"{c.status:9} {c.name:11} {c.detail}")
    if not report.checks:
        click.echo("no totals with their parts to compare")
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.argument("sparql")
@click.option("--format", "-f", "fmt", default="table", type=click.Choice(["table", "json", "csv"]), show_default=True)
@click.pass_context
def query(ctx, sparql, fmt):
    """Run a SPARQL query (the default graph is the union of all graphs).

    Use - to read the query from standard input.
    """
    from .queryfmt import QueryError, run_query

    if sparql == "-":
        sparql = sys.stdin.read()
    store = _store(ctx, read_only=True)
    try:
        click.echo(run_query(store, sparql, fmt), nl=False)
    except QueryError as e:
        raise KgError(str(e)) from None
    finally:
        store.close()


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--place", help="The report's place (default: inferred from its title and text).")
@click.option("--title", help="Its title (default: its first line).")
@click.option("--date", help="Its date, e.g. 2018 or 2018-06 (default: inferred from the text).")
@click.option("--source", help="Where it came from (a URL or a note).")
@click.option("--id", "doc", help="The document id (default: from the file name). Adding the same id again replaces it.")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The corpus folder the text is kept in (default: $KG_CORPUS or ./corpus).")
@click.option("--max-bytes", type=int, envvar="KG_MAX_BYTES", default=None,
              help="Largest file accepted, in bytes (default 20 MB; also KG_MAX_BYTES).")
@click.option("--allow-empty", is_flag=True, help="Add a report even if no statistic is found in it.")
@click.pass_context
def add(ctx, files, place, title, date, source, doc, corpus, max_bytes, allow_empty):
    """Add reports (or replace them): text, Markdown, HTML or PDF; UTF-8, UTF-16 or GB18030.

    The text is kept in the corpus folder as <id>.txt with <id>.meta.json, extracted, and
    stored as its own named graph. Every file is read and extracted before anything is
    written: one bad file and nothing changes.
    """
    from .library import add as run

    store = _store(ctx)
    meta = {k: v for k, v in {"place": place, "title": title, "date": date, "source": source}.items() if v}
    try:
        added = run(list(files), store, corpus or default_corpus(), meta, doc, max_bytes, allow_empty)
        _index(store)
    except CorpusError as e:
        raise KgError(f"{_one_line(e)} (nothing was written: the store and the corpus are as they were)") from None
    finally:
        store.close()
    for a in added:
        click.echo(f"{'replaced' if a.replaced else 'added'} {a.doc}: {a.place or '?'} {a.date or '?'}, {a.facts} facts")


@main.command()
@click.argument("doc")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The corpus folder (default: $KG_CORPUS or ./corpus).")
@click.option("--keep-file", is_flag=True, help="Remove the graph only; keep the text in the corpus.")
@click.pass_context
def remove(ctx, doc, corpus, keep_file):
    """Remove one document (by its id, see `kg list`) from the store and the corpus."""
    from .library import remove as run

    store = _store(ctx)
    try:
        run(doc, store, corpus or default_corpus(), keep_file)
        _index(store)
    except CorpusError as e:
        raise KgError(str(e)) from None
    finally:
        store.close()
    click.echo(f"removed {doc}")


@main.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@click.pass_context
def list_(ctx, as_json):
    """List the documents in the store with place, date and fact counts."""
    from .queries import DOCUMENTS

    store = _store(ctx, read_only=True)
    try:
        rows = store.select(DOCUMENTS)
    finally:
        store.close()
    for r in rows:
        if as_json:
            click.echo(json.dumps({k: r[k] for k in ("doc", "title", "place", "date", "facts")}, ensure_ascii=False))
        else:
            click.echo(f"{r['doc']}\t{r['place'] or ''}\t{r['date'] or ''}\t{r['facts']} facts\t{r['title'] or ''}")
    if not rows and not as_json:
        click.echo("the store holds no documents: run `kg ingest`", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Flask's development server with reloading, instead of waitress.")
@click.option("--query-timeout", default=10.0, show_default=True, help="Seconds a SPARQL query may run.")
@click.option("--max-rows", default=10000, show_default=True, help="Rows a SPARQL result may hold.")
@click.option("--write-token", envvar="KG_WRITE_TOKEN", default=None,
              help="Enable adding/removing reports on /add for whoever types this token "
                   "(16+ characters; also KG_WRITE_TOKEN). Without it the site is read-only.")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where reports added on /add are kept (default: $KG_CORPUS or ./corpus).")
@click.option("--max-upload-bytes", type=int, envvar="KG_MAX_UPLOAD_BYTES", default=None,
              help="Largest upload on /add (default 5 MiB).")
@click.pass_context
def serve(ctx, host, port, debug, query_timeout, max_rows, write_token, corpus, max_upload_bytes):
    """Serve the web UI and the SPARQL endpoint (read-only unless --write-token is given)."""
    from .web.app import create_app
    from .web.security import SettingsError

    try:
        app = create_app({"STORE": ctx.obj["store"], "QUERY_TIMEOUT": query_timeout, "MAX_ROWS": max_rows,
                          "WRITE_TOKEN": write_token, "CORPUS": str(corpus) if corpus else None,
                          "MAX_UPLOAD_BYTES": max_upload_bytes})
    except SettingsError as e:
        raise KgError(str(e)) from None
    click.echo(f"kg serving on http://{host}:{port}/ (SPARQL: /sparql)", err=True)
    if debug:
        app.run(host=host, port=port, debug=True)
    else:
        import waitress
        waitress.serve(app, host=host, port=port, threads=8,
                       max_request_body_size=app.config["MAX_UPLOAD_BYTES"] + 65536)


from .qa.command import ask as ask_command  # noqa: E402  (the question-answering command)

main.add_command(ask_command)


if __name__ == "__main__":
    main()
