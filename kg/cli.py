"""The command line: thin wrappers over the library (each command parses, calls, writes)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
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
) -> tuple[Iterator[Any], _Events]:
    """Articles from the inputs, plus events from any events.jsonl given (re-merged without NLP)."""
    from kg.export.jsonl import read_events
    from kg.ingest import read_articles
    from kg.pipeline import is_events_file

    event_files = []
    article_inputs = []
    for p in inputs:
        if p != "-" and is_events_file(p):
            event_files.append(p)
        else:
            article_inputs.append(p)
    try:
        articles = read_articles(
            article_inputs, published=published, lang=lang, on_error="raise" if strict else "skip", problems=problems
        )
    except ValueError as err:  # --lang or --published that kg cannot use
        raise click.UsageError(str(err)) from err
    skip_bad_lines = None if strict else problems  # one bad line of an events.jsonl is skipped like an article's
    return articles, _Events(lambda f: read_events(f, problems=skip_bad_lines), event_files)


class _Events:
    """The events of the events.jsonl inputs, read lazily (never all in memory), counted as they go."""

    def __init__(self, read: Any, files: list[str]) -> None:
        self.read, self.files, self.count = read, files, 0

    def __iter__(self) -> Iterator[Any]:
        for f in self.files:
            for e in self.read(f):
                self.count += 1
                yield e


def _progress(quiet: bool, desc: str, unit: str = " articles", total: int | None = None) -> Any:
    from tqdm import tqdm

    return tqdm(desc=desc, unit=unit, total=total, disable=quiet or None, file=sys.stderr, leave=False)


class _Counter:
    """A count reported now and then (by a thread, or before its bar is open), shown on the bar
    given to :meth:`show` from then on."""

    def __init__(self) -> None:
        self.n = 0
        self.bar: Any = None

    def __call__(self, n: int) -> None:
        self.n = n
        if self.bar is not None:
            self.bar.update(n - self.bar.n)

    def show(self, bar: Any) -> Any:
        self.bar = bar
        bar.update(self.n - bar.n)
        return bar


def _write_store_beside(store: str | None, store_dir: Path | None, mentions: Any, ids: list[str],
                        progress: _Counter | None = None) -> tuple[Any, Any]:
    """Start writing the store of ``kg build`` (a directory, or a server's URL) in a process of
    its own (:func:`kg.parallel.beside`); ``.result()`` waits for it, ``.cancel()`` stops it.
    A directory is written into a scratch folder beside it (returned too), switched in with the
    files. ``progress`` counts the quads made (a directory) or sent (a server)."""
    from kg.export.atomic import ScratchFolder, store_scratch_prefix
    from kg.parallel import beside
    from kg.rdf.remote import build_remote
    from kg.rdf.store import write_store

    if store_dir is None:
        return beside(build_remote, store, mentions, articles=ids, progress=progress), None
    scratch = ScratchFolder(store_dir.parent, store_scratch_prefix(store_dir.name))
    try:
        return beside(write_store, scratch.path / store_dir.name, mentions, articles=ids, keep=False,
                      progress=progress), scratch
    except BaseException:
        scratch.remove()
        raise


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


def _mentions(articles: Any, events: Iterable[Any], extractor: Any, strict: bool, stats: Any,
              bar: Any) -> tuple[list[Any], list[str]]:
    """Resolved, unmerged mention events (given events first, as kg.pipeline.build orders them)
    and the id of every article read. The store keeps the mentions per article so that it can
    merge again when articles are added or removed."""
    from kg.pipeline import mentions

    ids: list[str] = []

    def seen(article: Any) -> None:
        if article.id not in stats.skipped_ids:  # a skipped article is not stored
            ids.append(article.id)
        bar.update(1)

    found = list(mentions(articles, extractor=extractor, on_error="raise" if strict else "skip", stats=stats,
                          progress=seen, events=events))
    return found, ids


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail to stderr.")
@click.option("--packs", "packs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of language packs (DIR/en/pack.toml) or one pack, used before the installed ones "
                   "(repeatable; adds to KG_PACKS).")
def main(verbose: bool, packs: tuple[Path, ...]) -> None:
    """Build knowledge graphs of diplomatic meetings (who met whom, where, when) from news articles.

    Example: kg build data/ --out out/   (kg --packs my-packs/ build data/ to use your own pack edits)
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if packs:
        import os

        from kg.langs import PACKS_ENV

        os.environ[PACKS_ENV] = os.pathsep.join([*map(str, packs), *filter(None, [os.environ.get(PACKS_ENV)])])


def _make_extractor(name: str, models: tuple[str, ...], llm: dict[str, Any], *, only_llm_options: bool = True) -> Any:
    """The extractor ``name`` with the options meant for it: ``--model`` for the rules, the
    ``--llm-*`` options for the llm extractor (given to another extractor, an error, unless
    ``only_llm_options`` is false: ``kg evaluate`` scores several extractors at once)."""
    from kg.extractor import get_extractor

    given = {k: v for k, v in llm.items() if v is not None}
    if given and name != "llm" and only_llm_options:
        raise KgError("--llm-url, --llm-model and --llm-max-calls go with --extractor llm")
    options: dict[str, Any] = dict(given) if name == "llm" else {}
    if models and (name != "llm" or only_llm_options):
        options["models"] = list(models)
    return get_extractor(name, **options)


def _llm_options(f: Any) -> Any:
    for opt in reversed([
        click.option("--llm-url", default=None, metavar="URL",
                     help="With --extractor llm: the OpenAI-compatible base URL, e.g. http://localhost:11434/v1 "
                          "(Ollama); else KG_LLM_URL or the config file. The key comes from KG_LLM_API_KEY or "
                          "OPENAI_API_KEY."),
        click.option("--llm-model", default=None, metavar="NAME", help="With --extractor llm: the model's name "
                                                                       "on that server (else KG_LLM_MODEL)."),
        click.option("--llm-max-calls", default=None, type=click.IntRange(min=0), metavar="N",
                     help="With --extractor llm: send at most N requests (0: cached answers only)."),
    ]):
        f = opt(f)
    return f


def _usage_report(extractor: Any, quiet: bool) -> None:
    """An extractor's own report after a run (the llm extractor: calls, tokens, cache hits, time,
    what grounding dropped) and its warnings (an answer still invalid after a retry)."""
    usage = getattr(extractor, "usage", None)
    if usage is None:
        return
    report = usage()
    warnings = list(report.warnings)
    for w in warnings[:20]:
        click.echo(f"warning: {w}", err=True)
    if len(warnings) > 20:
        click.echo(f"warning: ... and {len(warnings) - 20} more", err=True)
    if not quiet:
        for line in report.summary():
            click.echo(line, err=True)


def _extractor_options(f: Any) -> Any:
    """``--extractor NAME``, ``--model LANG=PIPELINE`` and the ``--llm-*`` options, given to the
    command as one ``extractor``."""

    @functools.wraps(f)
    def wrapped(*args: Any, extractor_name: str, models: tuple[str, ...], llm_url: str | None,
                llm_model: str | None, llm_max_calls: int | None, **kwargs: Any) -> Any:
        try:
            ex = _make_extractor(extractor_name, models, {"url": llm_url, "model": llm_model,
                                                          "max_calls": llm_max_calls})
        except KgError as err:
            raise _fail(err) from err
        return f(*args, extractor=ex, **kwargs)

    for opt in reversed([
        click.option("--extractor", "extractor_name", default="rules", show_default=True, metavar="NAME",
                     help="What extracts the meetings: rules (kg's packs, no model needed), spacy (the rules helped "
                          "by an installed spaCy pipeline), llm (a language model server, see --llm-url), or one "
                          "another package registers."),
        click.option("--model", "models", multiple=True, metavar="[LANG=]PIPELINE",
                     help="An installed spaCy pipeline whose entities and parse are extra evidence, e.g. "
                          "en=en_core_web_sm (repeatable; no LANG= for every language)."),
    ]):
        wrapped = opt(wrapped)
    return _llm_options(wrapped)


def _reading_options(f: Any) -> Any:
    """The options every command that reads articles shares."""
    for opt in reversed([
        click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                     help="Reference date (YYYY-MM-DD) for .txt files without metadata."),
        click.option("--lang", default=None, help="Language of articles that do not say (otherwise detected)."),
        click.option("--strict", is_flag=True, help="Fail on the first bad input instead of skipping it with a warning."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bars, no summary."),
    ]):
        f = opt(f)
    return _extractor_options(f)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Directory for events.jsonl, graph.ttl, graph.html and graph.graphml.")
@click.option("--store", "store", default=None, metavar="PATH|URL",
              help="Where to write the persistent store (default: OUT/store), or the URL of a SPARQL 1.1 server's "
                   "dataset (http://host:7878, http://host:3030/ds) to write into with batched SPARQL Update.")
@click.option("--no-store", is_flag=True, help="Write only the files, no store.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes extracting at once on this machine (same output for any number).")
@click.option("--dask", "dask", default=None, metavar="ADDRESS",
              help="Extract and merge on an existing Dask cluster, e.g. tcp://scheduler:8786 (pip install 'kg[dask]').")
@_reading_options
def build(inputs: tuple[str, ...], out: Path, store: str | None, no_store: bool, workers: int, dask: str | None,
          published: dt.datetime | None, lang: str | None, extractor: Any, strict: bool, quiet: bool) -> None:
    """Read articles, extract and merge meetings, and write the graph files into OUT.

    INPUTS are .txt, .jsonl, .html files, directories of them, - for JSON Lines on stdin, or
    events.jsonl files from `kg extract` (merged again without NLP).

    Example: kg build data/ --out out/
    """
    from kg.export.atomic import Move, commit, settle, writer_locks
    from kg.export.outputs import stage_all
    from kg.parallel import start_beside_server
    from kg.pipeline import BuildStats, build_spilled
    from kg.pipeline import build as run_build
    from kg.rdf.remote import is_remote

    problems: list[InputError] = []
    stats = BuildStats(problems=problems)
    writing_store: Any = None  # the store's process, beside the merge and the files
    store_scratch: Any = None  # the folder it writes a store directory in
    merging, quads = _Counter(), _Counter()  # after the articles: mentions merged, the store's quads
    store_dir = None if no_store or (store and is_remote(store)) else (Path(store) if store else out / "store")
    made_out = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        if store_dir is not None:
            store_dir.parent.mkdir(parents=True, exist_ok=True)
        # one writer at a time: the outputs and the store stay locked until they are switched in;
        # first, what a killed build left: a switch half-made is finished, dead scratch folders go
        with writer_locks(out), ExitStack() as locked:
            settle(out, stores=[store_dir.name] if store_dir is not None and store_dir.parent == out else ())
            if store_dir is not None and store_dir.parent != out:
                settle(store_dir.parent, stores=[store_dir.name])
            locked.enter_context(writer_locks(store_dir))
            articles, events = _read_inputs(inputs, published.date() if published else None, lang, strict, problems)
            mentions: list[Any] | None = None if no_store or not dask else []  # Dask: the store needs them here
            ids: list[str] = []
            with _progress(quiet, "building") as bar:
                def seen(article: Any) -> None:
                    if not no_store and article.id not in stats.skipped_ids:  # a skipped article is not stored
                        ids.append(article.id)
                    bar.update(1)

                def all_extracted(stored: Any) -> None:  # the article bar ends, the store starts, then the merge
                    nonlocal writing_store, store_scratch
                    bar.close()
                    if not events.count:  # every article skipped: fail before anything is written
                        try:
                            stats.check_any_extracted()
                        except KgError:
                            _report(problems, False)
                            raise
                    if not no_store and (stats.articles or events.count):
                        writing_store, store_scratch = _write_store_beside(store, store_dir, stored, ids, quads)
                    if not dask:  # with Dask the merge is done by now
                        start_beside_server()  # its imports beside the merge, not before the files
                        merging.show(_progress(quiet, "merging", " mentions", total=len(stored)))

                on_error = "raise" if strict else "skip"
                if dask:
                    merged: Any = run_build(articles, extractor=extractor, on_error=on_error, stats=stats, progress=seen,
                                            events=events, dask=dask, keep=mentions)
                    all_extracted(mentions)
                else:  # mentions and meetings in scratch files beside the outputs: memory stays flat
                    # the store starts as soon as every mention is in, while they are merged here
                    try:
                        merged = build_spilled(articles, extractor=extractor, on_error=on_error, stats=stats, progress=seen,
                                               events=events, workers=workers, folder=out, extracted=all_extracted,
                                               merging=merging)
                    finally:
                        if merging.bar is not None:
                            merging.bar.close()
            try:
                if stats.articles == 0 and not events.count:
                    _report(problems, False)
                    raise click.ClickException(f"no articles read from {' '.join(inputs)}; nothing written to {out}")
                written = _Counter()
                with written.show(_progress(quiet, "writing files", " meetings", total=len(merged))):
                    staged = stage_all(merged, out, progress=written)
                with staged:
                    moves = staged.moves()
                    if writing_store is not None:
                        with quads.show(_progress(quiet, "writing the store", " quads")):
                            writing_store.result()
                    paths: dict[str, Any] = dict(staged.final)
                    if store_scratch is not None and store_dir is not None:
                        moves.append(Move(store_scratch.path / store_dir.name, store_dir, aside=store_scratch.path / "old"))
                        paths["store"] = store_dir
                    elif writing_store is not None:
                        paths["store"] = store
                    # the files and the store switch together, even if this process is killed half-way
                    commit(moves, journals=[out, *([store_dir.parent] if store_dir is not None else [])], lock=out)
            finally:
                if hasattr(merged, "close"):
                    merged.close()
    except BaseException as err:
        if writing_store is not None:  # the merge or the files failed: the store is left as it was
            writing_store.cancel()
        if made_out:  # nothing written: no empty output folder left behind either
            try:
                out.rmdir()
            except OSError:
                pass
        if isinstance(err, KgError):
            raise _fail(err) from err
        raise
    finally:
        if store_scratch is not None:
            store_scratch.remove()
    _report(problems, strict)
    _usage_report(extractor, quiet)
    if not quiet:
        n = sum(1 for _ in (out / "events.jsonl").open(encoding="utf-8"))
        click.echo(f"{stats.articles} articles, {stats.mentions} meeting mentions, {n} meetings", err=True)
    for kind, path in paths.items():
        click.echo(f"{kind:8} {path}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Where to write the events (JSON Lines); - is stdout.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes extracting at once (same output for any number).")
@_reading_options
def extract(inputs: tuple[str, ...], output: str, workers: int, published: dt.datetime | None, lang: str | None,
            extractor: Any, strict: bool, quiet: bool) -> None:
    """Extract meeting mentions per article, without merging across articles.

    Example: kg extract data/articles.jsonl -o mentions.jsonl
    """
    from kg.export.jsonl import generate_events, write_events
    from kg.pipeline import BuildStats, mentions

    problems: list[InputError] = []
    try:
        articles, _ = _read_inputs(inputs, published.date() if published else None, lang, strict, problems)
        with _progress(quiet, "extracting") as bar:
            stream = mentions(articles, extractor=extractor, on_error="raise" if strict else "skip",
                              stats=BuildStats(problems=problems), progress=lambda a: bar.update(1), workers=workers)
            if output == "-":
                for line in generate_events(stream):
                    click.echo(line)
            else:
                write_events(stream, Path(output))
    except KgError as err:
        raise _fail(err) from err
    _report(problems, strict)
    _usage_report(extractor, quiet)


@main.command()
@click.option("--gold", "gold", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold annotations (JSON Lines, one article per line); may be repeated.")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--extractor", "extractors", multiple=True, metavar="NAME",
              help="The extractor to score (default rules); repeat to score several side by side on the same gold.")
@click.option("--model", "models", multiple=True, metavar="[LANG=]PIPELINE",
              help="An installed spaCy pipeline as extra evidence for the rules, e.g. en=en_core_web_sm.")
@click.option("--by-rule", is_flag=True, help="Also print the precision of each rule (from the sources' rule ids).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Reference date for .txt files without metadata.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@_llm_options
def evaluate(gold: tuple[str, ...], inputs: tuple[str, ...], extractors: tuple[str, ...], models: tuple[str, ...],
             by_rule: bool, as_json: bool, published: dt.datetime | None, quiet: bool, llm_url: str | None,
             llm_model: str | None, llm_max_calls: int | None) -> None:
    """Build the articles and score the meetings against hand annotations.

    Example: kg evaluate --gold tests/data/cli/gold.jsonl tests/data/cli/articles.jsonl --by-rule
    """
    from kg.evaluate import by_rule as rule_rows
    from kg.evaluate import format_by_rule, format_scores, gold_row_problem, score
    from kg.ingest import read_articles
    from kg.pipeline import BuildStats
    from kg.pipeline import build as run_build

    gold_rows: list[dict[str, Any]] = []
    for g in gold:
        with open(g, encoding="utf-8") as f:
            for n, line in enumerate(f, start=1):
                if line.strip():
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as err:
                        raise click.ClickException(f"{g}:{n}: not JSON: {err.msg}") from err
                    problem = gold_row_problem(row)
                    if problem:
                        raise click.ClickException(f"{g}:{n}: {problem}")
                    gold_rows.append(row)
    results: dict[str, Any] = {}
    for name in extractors or ("rules",):
        problems: list[InputError] = []
        texts: dict[str, str] = {}

        def keep(articles: Any, texts: dict[str, str] = texts) -> Iterator[Any]:
            for a in articles:
                texts[a.id] = a.text
                yield a

        try:
            ex = _make_extractor(name, models, {"url": llm_url, "model": llm_model, "max_calls": llm_max_calls},
                                 only_llm_options=len(extractors) <= 1)
            arts = read_articles(list(inputs), published=published.date() if published else None, problems=problems)
            with _progress(quiet, f"evaluating {name}") as bar:
                merged = run_build(keep(arts), extractor=ex, stats=BuildStats(problems=problems),
                                   progress=lambda a, bar=bar: bar.update(1))
        except KgError as err:
            raise _fail(err) from err
        _report(problems, False)
        _usage_report(ex, quiet)
        rows = [e.to_dict() for e in merged]
        key = name if name not in results else f"{name}#{len(results) + 1}"
        results[key] = score(gold_rows, rows, texts)
        if by_rule:
            results[key]["by_rule"] = rule_rows(gold_rows, rows)
    if as_json:
        click.echo(json.dumps(results if len(results) > 1 else next(iter(results.values()))))
        return
    for name, result in results.items():
        if len(results) > 1:
            click.echo(f"== {name}")
        click.echo(format_scores(result))
        if by_rule:
            click.echo("")
            click.echo(format_by_rule(result["by_rule"]))


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article: its spans and meetings.")
@_reading_options
def explain(inputs: tuple[str, ...], as_json: bool, published: dt.datetime | None, lang: str | None, extractor: Any,
            strict: bool, quiet: bool) -> None:
    """Show what the extractor saw in each article: the spans it marked (people, titles, places,
    dates, meeting words and status cues, each with the rule and pack line behind it) and every
    meeting it made, with the decisions behind each.

    Example: kg explain data/lavrov-rubio-2025-09-24.id.txt
    """
    from kg.explain import explain, format_explanation

    problems: list[InputError] = []
    try:
        articles, _ = _read_inputs(inputs, published.date() if published else None, lang, strict, problems)
        for item in explain(articles, extractor=extractor, on_error="raise" if strict else "skip", problems=problems):
            click.echo(json.dumps(item.to_dict(), ensure_ascii=False) if as_json else format_explanation(item))
    except KgError as err:
        raise _fail(err) from err
    _report(problems, strict)
    _usage_report(extractor, quiet)


@main.command()
def langs() -> None:
    """List the installed language packs with their versions and sizes.

    Example: kg langs
    """
    from kg.langs import PACKS_DIR, iter_packs

    click.echo(f"{'code':6}{'name':14}{'version':10}{'size':>10}")
    for p in iter_packs():
        where = "" if p.path.parent == PACKS_DIR else f"  {p.path}"  # from --packs or KG_PACKS
        click.echo(f"{p.code:6}{p.name:14}{p.version:10}{p.size():>10,}{where}")


# required options get no default: click (8.2 and later) does not enforce required=True with default=None
_STORE_HELP = "The store directory: DIR/store after `kg build --out DIR` (or where `kg build --store PATH` put it)."


def _store_option() -> Any:
    return click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), required=True,
                        help=_STORE_HELP)


def _store_or_url_option(required: bool = True) -> Any:
    extra: dict[str, Any] = {} if required else {"default": None}
    return click.option("--store", "store", required=required, metavar="PATH|URL", **extra,
                        help=_STORE_HELP[:-1] + ", or the URL of a dataset on a SPARQL 1.1 server, as "
                             "`kg build --store URL` writes it (http://host:7878 for oxigraph serve, "
                             "http://host:3030/ds for Fuseki).")


def _store_at(store: str | Path, hint: str = "", *, existing: bool = True) -> str | Path:
    """A store's URL as given, or its directory, which must exist; a build folder (which holds
    the store in DIR/store) is named as such; with ``existing``, a directory that is not a
    store is refused too."""
    from kg.rdf.remote import is_remote

    if is_remote(store):
        return str(store)
    from kg.export.atomic import recover

    path = Path(store)
    recover(path.parent)  # a build killed while switching its store in is finished first
    if not path.is_dir():
        raise click.ClickException(f"{store}: no store here{hint}")
    if not (path / "CURRENT").is_file():
        if (path / "store" / "CURRENT").is_file():
            raise click.ClickException(f"{store} is a build folder; its store is {path / 'store'}: "
                                       f"use --store {path / 'store'}")
        if existing:
            raise click.ClickException(f"{store} is not a kg store{hint or '; kg build --out DIR writes one in DIR/store'}")
    return path


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_store_or_url_option()
@_reading_options
def add(inputs: tuple[str, ...], store: str, published: dt.datetime | None, lang: str | None, extractor: Any,
        strict: bool, quiet: bool) -> None:
    """Merge new articles into a store: a meeting already there gains sources, an article already there is skipped.

    Example: kg add new-articles.jsonl --store out/store
    """
    from kg.pipeline import BuildStats
    from kg.rdf.store import KgStore

    problems: list[InputError] = []
    stats = BuildStats(problems=problems)
    where = _store_at(store, "; build one first with `kg build INPUT --out DIR`", existing=False)
    try:
        with KgStore(where) as ks:  # locked from here on: one writer at a time
            articles, events = _read_inputs(inputs, published.date() if published else None, lang, strict, problems)
            with _progress(quiet, "adding") as bar:
                mentions, ids = _mentions(articles, events, extractor, strict, stats, bar)
            change = ks.add(mentions, articles=ids)
    except KgError as err:
        raise _fail(err) from err
    _report(problems, strict)
    _usage_report(extractor, quiet)
    click.echo(f"{len(change.added)} added, {len(change.replaced)} re-extracted, {len(change.unchanged)} unchanged; "
               f"{change.meetings} meetings in {store}")


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
@_store_or_url_option()
def remove(article_ids: tuple[str, ...], store: str) -> None:
    """Take articles out of a store and merge again the meetings they supported (an id that is not
    in the store is skipped, with a notice).

    Example: kg remove tass-42 --store out/store
    """
    from kg.rdf.store import KgStore

    where = _store_at(store)
    try:
        with KgStore(where) as ks:
            change = ks.remove(article_ids)
    except KgError as err:
        raise _fail(err) from err
    if change.missing:
        click.echo(f"notice: not in the store, nothing to remove: {', '.join(change.missing)}", err=True)
    click.echo(f"{len(change.removed)} removed; {change.meetings} meetings in {store}")


def _params(values: tuple[str, ...], hint: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for b in values:
        name, sep, value = b.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {b!r}", param_hint=hint)
        out[name] = value
    return out


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def _print_rows(rows: Any, fmt: str) -> None:
    from kg.export.rows import format_rows

    notes: list[str] = []
    click.echo(format_rows(rows, fmt, width=_width(), notes=notes), nl=False)
    if fmt == "table":
        more = (f"; {' and '.join(notes)} left out to fit {_width()} columns: --format csv shows "
                f"{'them' if len(notes) > 1 else 'it'}" if notes else "")
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{more})", err=True)


def _list_queries() -> str:
    """Each named query: its whole description, its parameters and an example, wrapped to the terminal."""
    import textwrap

    from kg.rdf.query import available_queries, named_query

    width = max(60, min(_width(), 100))
    blocks = []
    for name in available_queries():
        q = named_query(name)
        lines = [name]
        for para in q.description.split("\n\n"):
            lines += textwrap.wrap(para, width, initial_indent="  ", subsequent_indent="  ")
        if q.params:
            lines.append("  parameters:")
            for p in q.params:
                flags = "required" if p.required else "optional" + (f", default {p.default}" if p.default else "")
                lines += textwrap.wrap(f"{p.name} ({flags}): {p.help}", width, initial_indent="    ",
                                       subsequent_indent="      ")
        else:
            lines.append("  parameters: none")
        lines += [f"  example: {ex}" for ex in q.examples]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


@main.command()
@click.argument("args", nargs=-1, metavar="[GRAPH.ttl] QUERY")
@_store_or_url_option(required=False)
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Read the SPARQL query from this .rq file.")
@click.option("--param", "--bind", "params", multiple=True,
              help="NAME=VALUE for a named query's parameter (names of actors and places as you would search "
                   "them: any alias, case or script), or bound to ?NAME in your own SPARQL (a literal; <IRI> or a "
                   "CURIE such as kg:Planned for an IRI).")
@click.option("--status", type=click.Choice(["occurred", "planned", "cancelled", "all"]), default=None,
              help="For who-met-whom and top-actors: which meetings count (default: occurred).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True,
              help="table: for people, fitted to the terminal's width (COLUMNS); csv, tsv, json: every value in full.")
@click.option("--list", "list_queries", is_flag=True,
              help="Describe the named queries (what each answers, its parameters, an example) and exit.")
def query(args: tuple[str, ...], store: str | None, query_file: str | None, params: tuple[str, ...], status: str | None,
          fmt: str, list_queries: bool) -> None:
    """Run a named query (see --list), SPARQL text or a .rq file over a store or a Turtle graph.

    Answers use labels and plain words (occurred, in-person), dates at their precision (2024-03).

    Example: kg query actor-meetings --store out/store --param actor_name=Lavrov
    """
    from kg.rdf.query import on_deep_stack

    if list_queries:
        click.echo(_list_queries(), nl=False)
        return
    bindings = _params(params, "--param")
    if status is not None:
        bindings["status"] = status
    if store is not None:
        if query_file:
            args = (query_file, *args)
        if len(args) != 1:
            raise click.UsageError("with --store give one QUERY (a name from --list, SPARQL text or a .rq file) or --file")
        source: Any = _store_at(store, "; build one with `kg build INPUT --out DIR` (the store is DIR/store)")
        text = args[0]
    else:
        if len(args) != 2 and not (len(args) == 1 and query_file):
            raise click.UsageError("give --store DIR/store and a QUERY, or a GRAPH.ttl and a QUERY (see --list)")
        source, text = _graph_at(args[0], "query"), query_file or args[1]
    try:
        rows = on_deep_stack(_answer, source, text, bindings, status is not None)  # pyoxigraph recurses
    except KgError as err:
        raise _fail(err) from err
    _print_rows(rows, fmt)


def _answer(source: Any, text: str, bindings: dict[str, str], status_given: bool) -> Any:
    """Run a named query through kg.rdf.query.ask (names looked up, defaults applied), anything
    else as SPARQL with the values bound as given; vocabulary IRIs as plain words."""
    import re

    from kg.rdf.query import ask, named_query, plain_words, run_query

    name = text.strip()
    if re.fullmatch(r"[A-Za-z0-9_-]+", name):
        if status_given and "status" not in {p.name for p in named_query(name).params}:
            raise click.UsageError(f"--status works with who-met-whom and top-actors, not {name}")
        if isinstance(source, str | Path):
            from kg.rdf.store import KgStore

            with KgStore(source, read_only=True) as ks:
                return ask(ks, name, bindings)
        return ask(source, name, bindings)
    if text.endswith(".rq") and Path(text).is_file():
        text = Path(text).read_text(encoding="utf-8")
    if isinstance(source, str | Path):
        from kg.rdf.store import KgStore, value_term

        with KgStore(source, read_only=True) as ks:
            return plain_words(ks.rows(text, {k: value_term(v) for k, v in bindings.items()}))
    return plain_words(run_query(source, text, bindings))


def _graph_at(path: str, command: str) -> Any:
    """The rdflib graph of an RDF file, with a message that says what to give instead of a build
    folder, a store or a JSON Lines file."""
    import rdflib
    from rdflib.util import guess_format

    p = Path(path)
    if p.is_dir():
        if (p / "graph.ttl").is_file() or (p / "store" / "CURRENT").is_file():
            use = f"{p / 'graph.ttl'} or --store {p / 'store'}" if command == "query" else f"{p / 'graph.ttl'} or {p / 'store'}"
            raise click.ClickException(f"{path} is a build folder; give {use}")
        if (p / "CURRENT").is_file() and command == "query":
            raise click.ClickException(f"{path} is a store; give it as --store {path}")
        raise click.ClickException(f"{path} is a folder, not a graph; give graph.ttl or a store")
    if not p.is_file():
        raise click.ClickException(f"{path}: no such graph file (give graph.ttl or --store DIR/store)")
    if p.suffix.lower() in (".jsonl", ".json"):
        raise click.ClickException(f"{path} is JSON Lines (meetings or articles), not an RDF graph; give graph.ttl "
                                   "or a store, which kg build writes beside events.jsonl")
    g = rdflib.Graph()
    try:
        g.parse(path, format=guess_format(path) or "turtle")
    except Exception as err:  # noqa: BLE001 - rdflib raises many kinds; show the first line of its message
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise click.ClickException(f"{path}: not a readable RDF graph ({first[:200]}); give graph.ttl or a store") from err
    return g


EXPORT_FORMATS = ["ttl", "trig", "nq", "nt", "jsonld", "graphml", "gexf", "csv"]


@main.command()
@_store_or_url_option()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="ttl", show_default=True,
              help="RDF (ttl, trig, nq, nt, jsonld), a who-met-whom network (graphml, gexf) or a meetings table (csv).")
@click.option("-o", "--output", default="-", show_default=True, help="The file to write; - is stdout.")
def export(store: str, fmt: str, output: str) -> None:
    """Write a store as RDF, as a network for Gephi or yEd, or as a CSV table of meetings.

    Example: kg export --store out/store --format trig -o graph.trig
    """
    from kg.export.outputs import export_store

    where = _store_at(store)
    try:
        if output == "-":
            export_store(where, fmt, sys.stdout.buffer)  # type: ignore[arg-type]  # a URL works too
            sys.stdout.buffer.flush()
        else:
            export_store(where, fmt, Path(output))  # type: ignore[arg-type]
    except KgError as err:
        raise _fail(err) from err


@main.command()
@_store_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on (0: any free port).")
@click.option("--timeout", default=30.0, show_default=True, type=float,
              help="Seconds a query may run; then its worker process is killed (503).")
@click.option("--max-bytes", default=50_000_000, show_default=True, type=int, help="Largest result to send.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes, hence queries run at once.")
@click.option("--memory", "memory_mb", default=2048, show_default=True, type=click.IntRange(64),
              help="Megabytes one query may add to its worker process (503 past it).")
@click.option("--connections", default=100, show_default=True, type=click.IntRange(4),
              help="Connections open at once; more wait to be accepted.")
@click.option("--idle-timeout", default=10.0, show_default=True, type=click.FloatRange(1),
              help="Seconds a connection may send nothing before it is closed.")
@click.option("--allow-service", "allow_service", multiple=True, metavar="URL",
              help="An endpoint SERVICE may call (repeatable); SERVICE is refused by default.")
@click.option("--cors", multiple=True, metavar="ORIGIN",
              help="An origin whose web pages may read the results (repeatable; * for any); none by default.")
def serve(store: Path, host: str, port: int, timeout: float, max_bytes: int, workers: int, memory_mb: int,
          connections: int, idle_timeout: float, allow_service: tuple[str, ...], cors: tuple[str, ...]) -> None:
    """Serve a store read-only as a SPARQL 1.1 Protocol endpoint at /sparql, with a query page and graph.html.

    Example: kg serve --store out/store --port 8000
    """
    import signal

    from kg.server import make_server

    if not store.is_dir():
        raise click.ClickException(f"{store}: no store here")
    try:
        server = make_server(store, host=host, port=port, timeout=timeout, max_bytes=max_bytes, workers=workers,
                             memory_mb=memory_mb, connections=connections, idle_timeout=idle_timeout,
                             allow_service=allow_service, cors=cors)
    except (KgError, OSError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"serving {store} at http://{server.server_address[0]}:{server.server_address[1]}/sparql "
               "(Ctrl-C to stop)", err=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop as on Ctrl-C: the workers are killed
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.argument("graph_file", type=click.Path(exists=True))
def validate(graph_file: str) -> None:
    """Check a Turtle graph or a store directory against kg's SHACL shapes (ontologies/shapes.ttl).

    Example: kg validate out/graph.ttl
    """
    from kg.rdf.shacl import validate as shacl_validate

    if Path(graph_file).is_dir() and (Path(graph_file) / "CURRENT").is_file():
        from kg.rdf.store import KgStore

        try:
            with KgStore(graph_file, read_only=True) as ks:
                g = ks.to_rdflib()
        except KgError as err:
            raise _fail(err) from err
    else:
        g = _graph_at(graph_file, "validate")
    ok, report = shacl_validate(g)
    click.echo(report if not ok else f"{graph_file}: valid ({len(g)} triples)")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
