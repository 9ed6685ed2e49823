"""The command line: thin wrappers over the library (each command parses, calls, writes)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.errors import InputError, KgError

log = logging.getLogger("kg")

_INPUT_HELP = ".txt, .jsonl, .html files, directories of them, or - for JSON Lines on stdin"


def _fail(err: KgError) -> click.ClickException:
    return click.ClickException(str(err))


def _read_inputs(
    inputs: tuple[str, ...], published: dt.date | None, lang: str | None, strict: bool, problems: list[InputError]
) -> tuple[Iterator[Any], list[Any]]:
    """Articles from the inputs, plus events from any events.jsonl given (re-merged without NLP)."""
    from kg.export.jsonl import read_events
    from kg.ingest import read_articles
    from kg.pipeline import is_events_file

    events: list[Any] = []
    article_inputs = []
    for p in inputs:
        if p != "-" and is_events_file(p):
            events.extend(read_events(p))
        else:
            article_inputs.append(p)
    articles = read_articles(
        article_inputs, published=published, lang=lang, on_error="raise" if strict else "skip", problems=problems
    )
    return articles, events


def _progress(quiet: bool, desc: str) -> Any:
    from tqdm import tqdm

    return tqdm(desc=desc, unit=" articles", disable=quiet or None, file=sys.stderr, leave=False)


def _report(problems: list[InputError], strict: bool) -> None:
    if not problems:
        return
    for p in problems[:20]:
        click.echo(f"warning: {p}", err=True)
    if len(problems) > 20:
        click.echo(f"warning: ... and {len(problems) - 20} more", err=True)
    click.echo(f"warning: skipped {len(problems)} input(s) with problems", err=True)
    if strict:
        raise click.ClickException(f"{len(problems)} problem(s) in the input (--strict)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail to stderr.")
def main(verbose: bool) -> None:
    """Build knowledge graphs of diplomatic meetings (who met whom, where, when) from news articles.

    Example: kg build data/ --out out/
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _reading_options(f: Any) -> Any:
    """The options every command that reads articles shares."""
    for opt in reversed([
        click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                     help="Reference date (YYYY-MM-DD) for .txt files without metadata."),
        click.option("--lang", default=None, help="Language of articles that do not say (otherwise detected)."),
        click.option("--model", default=None,
                     help="An installed spaCy pipeline to use as an extra signal, e.g. en_core_web_sm."),
        click.option("--strict", is_flag=True, help="Fail on the first bad input instead of skipping it with a warning."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, no summary."),
    ]):
        f = opt(f)
    return f


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Directory for events.jsonl, graph.ttl, graph.html and graph.graphml.")
@_reading_options
def build(inputs: tuple[str, ...], out: Path, published: dt.datetime | None, lang: str | None, model: str | None,
          strict: bool, quiet: bool) -> None:
    """Read articles, extract and merge meetings, and write the graph files into OUT.

    INPUTS are .txt, .jsonl, .html files, directories of them, - for JSON Lines on stdin, or
    events.jsonl files from `kg extract` (merged again without NLP).

    Example: kg build data/ --out out/
    """
    from kg.export.outputs import write_all
    from kg.pipeline import BuildStats
    from kg.pipeline import build as run_build

    problems: list[InputError] = []
    stats = BuildStats(problems=problems)
    try:
        articles, events = _read_inputs(inputs, published.date() if published else None, lang, strict, problems)
        with _progress(quiet, "building") as bar:
            merged = run_build(articles, model=model, on_error="raise" if strict else "skip", stats=stats,
                               progress=lambda a: bar.update(1), events=events)
        if stats.articles == 0 and not events:
            _report(problems, False)
            raise click.ClickException(f"no articles read from {' '.join(inputs)}; nothing written to {out}")
        paths = write_all(merged, out)
    except KgError as err:
        raise _fail(err) from err
    _report(problems, strict)
    if not quiet:
        click.echo(f"{stats.articles} articles, {stats.mentions} meeting mentions, {len(merged)} meetings", err=True)
    for kind, path in paths.items():
        click.echo(f"{kind:8} {path}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Where to write the events (JSON Lines); - is stdout.")
@_reading_options
def extract(inputs: tuple[str, ...], output: str, published: dt.datetime | None, lang: str | None,
            model: str | None, strict: bool, quiet: bool) -> None:
    """Extract meeting mentions per article, without merging across articles.

    Example: kg extract data/articles.jsonl -o mentions.jsonl
    """
    from kg.export.jsonl import generate_events, write_events
    from kg.pipeline import BuildStats, extract_all
    from kg.resolve import resolve

    problems: list[InputError] = []
    try:
        articles, _ = _read_inputs(inputs, published.date() if published else None, lang, strict, problems)
        with _progress(quiet, "extracting") as bar:
            stream = resolve(extract_all(articles, model=model, on_error="raise" if strict else "skip",
                                         stats=BuildStats(problems=problems), progress=lambda a: bar.update(1)))
            if output == "-":
                for line in generate_events(stream):
                    click.echo(line)
            else:
                write_events(stream, Path(output))
    except KgError as err:
        raise _fail(err) from err
    _report(problems, strict)


@main.command()
@click.option("--gold", "gold", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold annotations (JSON Lines, one article per line); may be repeated.")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Reference date for .txt files without metadata.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def evaluate(gold: tuple[str, ...], inputs: tuple[str, ...], as_json: bool, published: dt.datetime | None,
             quiet: bool) -> None:
    """Build the articles and score the meetings against hand annotations.

    Example: kg evaluate --gold gold.jsonl articles.jsonl
    """
    from kg.evaluate import format_scores, score
    from kg.ingest import read_articles
    from kg.pipeline import BuildStats
    from kg.pipeline import build as run_build

    problems: list[InputError] = []
    gold_rows: list[dict[str, Any]] = []
    for g in gold:
        with open(g, encoding="utf-8") as f:
            for n, line in enumerate(f, start=1):
                if line.strip():
                    try:
                        gold_rows.append(json.loads(line))
                    except json.JSONDecodeError as err:
                        raise click.ClickException(f"{g}:{n}: not JSON: {err.msg}") from err
    texts: dict[str, str] = {}

    def keep(articles: Any) -> Iterator[Any]:
        for a in articles:
            texts[a.id] = a.text
            yield a

    try:
        arts = read_articles(list(inputs), published=published.date() if published else None, problems=problems)
        with _progress(quiet, "evaluating") as bar:
            merged = run_build(keep(arts), stats=BuildStats(problems=problems), progress=lambda a: bar.update(1))
    except KgError as err:
        raise _fail(err) from err
    _report(problems, False)
    result = score(gold_rows, [e.to_dict() for e in merged], texts)
    click.echo(json.dumps(result) if as_json else format_scores(result))


@main.command()
def langs() -> None:
    """List the installed language packs with their versions and sizes.

    Example: kg langs
    """
    from kg.langs import iter_packs

    click.echo(f"{'code':6}{'name':14}{'version':10}{'size':>10}")
    for p in iter_packs():
        click.echo(f"{p.code:6}{p.name:14}{p.version:10}{p.size():>10,}")


@main.command()
@click.argument("graph_file", type=click.Path(exists=True, dir_okay=False))
@click.argument("query")
@click.option("--bind", "binds", multiple=True, help="NAME=VALUE, passed to the query as a bound literal.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def query(graph_file: str, query: str, binds: tuple[str, ...], fmt: str) -> None:
    """Run a SPARQL query (text, a .rq file, or a named query) over a Turtle graph.

    Example: kg query out/graph.ttl actor-meetings --bind actor_name="Sergei Lavrov"
    """
    import csv

    import rdflib

    from kg.rdf.query import run_query

    g = rdflib.Graph()
    try:
        g.parse(graph_file)
    except Exception as err:  # noqa: BLE001 - rdflib raises many kinds; show its message
        raise click.ClickException(f"{graph_file}: cannot parse: {err}") from err
    text = Path(query).read_text(encoding="utf-8") if query.endswith(".rq") and Path(query).is_file() else query
    bindings: dict[str, str] = {}
    for b in binds:
        name, sep, value = b.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {b!r}", param_hint="--bind")
        bindings[name] = value
    try:
        rows = run_query(g, text, bindings)
    except KgError as err:
        raise _fail(err) from err
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    elif fmt == "csv":
        if rows:
            w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    else:
        if rows:
            cols = list(rows[0])
            click.echo("\t".join(cols))
            for r in rows:
                click.echo("\t".join(str(r.get(c, "")) for c in cols))
        click.echo(f"({len(rows)} rows)", err=True)


@main.command()
@click.argument("graph_file", type=click.Path(exists=True, dir_okay=False))
def validate(graph_file: str) -> None:
    """Check a Turtle graph against kg's SHACL shapes (ontologies/shapes.ttl).

    Example: kg validate out/graph.ttl
    """
    import rdflib

    from kg.rdf.shacl import validate as shacl_validate

    g = rdflib.Graph()
    try:
        g.parse(graph_file)
    except Exception as err:  # noqa: BLE001
        raise click.ClickException(f"{graph_file}: cannot parse: {err}") from err
    ok, report = shacl_validate(g)
    click.echo(report if not ok else f"{graph_file}: valid ({len(g)} triples)")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
