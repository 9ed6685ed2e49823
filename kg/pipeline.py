"""The stage order, in one place: read → extract → resolve → merge.

>>> from kg.model import Article
>>> import datetime as dt
>>> text = "Indonesian President Prabowo Subianto met Japanese Prime Minister Shigeru Ishiba in Bogor on Saturday."
>>> events = build([Article("a1", text, lang="en", published=dt.date(2025, 1, 12))])
>>> [(sorted(a.name for a in e.participants), str(e.date)) for e in events]
[(['Prabowo Subianto', 'Shigeru Ishiba'], '2025-01-11')]
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kg.errors import MSG_NO_LANG, MSG_NO_PACK, InputError, KgError, UnknownLanguage, shown
from kg.extractor import Extractor, coerce
from kg.langs import available_packs
from kg.merge import merge
from kg.model import Article, Event
from kg.resolve import resolve

if TYPE_CHECKING:
    from kg.parallel import Runner
    from kg.spill import SpilledEvents

log = logging.getLogger(__name__)

OnError = Literal["skip", "raise"]


@dataclass
class BuildStats:
    """What a build read, skipped and produced."""

    articles: int = 0
    words: int = 0
    mentions: int = 0
    problems: list[InputError] = field(default_factory=list)
    skipped_ids: set[str] = field(default_factory=set)  #: articles read but not extracted (never stored)
    extracted: int = 0
    """Articles whose extraction ran (with or without a meeting found): not skipped."""
    notices: list[InputError] = field(default_factory=list)
    """Input read, but not whole: a bound of :mod:`kg.nlp.limits` applied (a meeting's
    participants capped), with the article's ``file:line``."""

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def check_any_extracted(self) -> None:
        """Raise :class:`KgError` when articles were read but every one was skipped (no language
        pack, extraction failed): a build must not replace good outputs with empty ones.

        >>> BuildStats(articles=2, problems=[InputError("a.jsonl", 1, "no language pack for 'xx'")]).check_any_extracted()
        Traceback (most recent call last):
        kg.errors.KgError: all 2 articles read were skipped (first: a.jsonl:1: no language pack for 'xx'); nothing was written
        """
        if self.articles and not self.extracted:
            first = f" (first: {str(self.problems[0]).splitlines()[0][:200]})" if self.problems else ""
            raise KgError(f"all {self.articles} article{'s' if self.articles != 1 else ''} read were skipped{first}; "
                          "nothing was written")

    def notice(self, article: Article | None, notes: Iterable[str], where: str = "") -> None:
        """Record what the bounds changed in an article (or in an event read from ``where``)."""
        for note in notes:
            if article is not None:
                path, line = _origin(article)
                self.notices.append(InputError(path, line, f"article {shown(article.id)}: {note}"))
            else:
                self.notices.append(InputError(where or "<events>", None, note))

    def warn_notices(self) -> None:
        """Log one warning for the notices recorded so far (if any), with the first of them."""
        if self.notices:
            log.warning("%d meeting(s) over the bounds of kg.nlp.limits, the first: %s", len(self.notices), self.notices[0])


def _origin(article: Article) -> tuple[str, int | None]:
    """The file and line an article came from (``origin`` is ``path:line``, or a path)."""
    origin = article.origin or article.id
    path, _, line = origin.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (origin, None)


def check_language(article: Article, stats: BuildStats, on_error: OnError) -> bool:
    """True when the article's language has a pack; otherwise record (or raise) the problem,
    naming the article's ``file:line``."""
    packs = available_packs()
    if article.lang in packs:
        return True
    path, line = _origin(article)
    msg = (MSG_NO_LANG.format(id=article.id) if not article.lang
           else MSG_NO_PACK.format(lang=article.lang, available=", ".join(packs), id=article.id))
    err = InputError(path, line, msg)
    if on_error == "raise":
        raise err from UnknownLanguage(article.lang, packs)
    stats.problems.append(err)
    stats.skipped_ids.add(article.id)
    log.debug("%s", err)
    return False


def extract_all(
    articles: Iterable[Article],
    *,
    extractor: Extractor | str | None = None,
    model: str | Mapping[str, str] | None = None,
    on_error: OnError = "skip",
    stats: BuildStats | None = None,
    progress: Callable[[Article], None] | None = None,
    workers: int = 1,
    runner: Runner | None = None,
    resolved: bool = False,
) -> Iterator[Event]:
    """Stream the meeting mentions of every article that has a language pack, in input order.

    Args:
        articles: input articles (streamed, never held all at once).
        extractor: what extracts: an :class:`kg.extractor.Extractor` or a registered name
            (default ``"rules"``).
        model: for the rules, an installed spaCy pipeline (or language -> pipeline) to use as
            extra evidence.
        on_error: "skip" records a problem for an article with no pack; "raise" raises it.
        stats: counters and problems, filled in as the stream is consumed.
        progress: called once per article, when its extraction is done.
        workers: processes extracting at once (``kg.parallel``); 1 extracts in this process.
            The output is the same whatever the number.
        runner: where chunks of articles are extracted (a ``kg.parallel.Runner`` such as
            ``pool_runner``); overrides ``workers``.
        resolved: resolve the mentions too (:func:`resolve_mentions`, where they are extracted:
            on the workers).
    """
    from kg.parallel import CHUNK_SIZE, Failure, chunked, local_runner, pool_runner

    ex = coerce(extractor, model)
    stats = stats if stats is not None else BuildStats()
    # one by one in this process (as streamed as before), unless the extractor wants batches (kg.extractor)
    size = max(1, int(getattr(ex, "batch_size", 1))) if runner is None and workers <= 1 else CHUNK_SIZE
    if runner is None:
        runner = local_runner(ex, resolved) if workers <= 1 else pool_runner(workers, ex, resolved)
    sent: deque[list[tuple[Article, bool]]] = deque()

    def admitted() -> Iterator[list[Article]]:
        def checked() -> Iterator[tuple[Article, bool]]:
            for article in articles:
                stats.articles += 1
                stats.words += len(article.text.split())
                yield article, check_language(article, stats, on_error)

        for chunk in chunked(checked(), size):
            sent.append(chunk)
            yield [a for a, ok in chunk if ok]

    for results in runner(admitted()):
        chunk = sent.popleft()
        found = iter(results)
        for article, ok in chunk:
            result = next(found) if ok else None
            if isinstance(result, Failure):
                if isinstance(result.error, KgError) or on_error == "raise":
                    raise result.error or RuntimeError(f"extraction failed for {article.id}: {result.text}")
                stats.problems.append(InputError(article.origin or article.id, None, f"extraction failed: {result.text}"))
                stats.skipped_ids.add(article.id)
                log.error("extraction failed for %s: %s", article.id, result.text)
            if progress is not None:  # after any skip is recorded: the caller stores only the others
                progress(article)
            if result is None or isinstance(result, Failure):
                continue
            stats.extracted += 1
            stats.mentions += result.found
            stats.notice(article, result.notes)
            yield from result.events
    stats.warn_notices()


def build(
    articles: Iterable[Article],
    *,
    extractor: Extractor | str | None = None,
    model: str | Mapping[str, str] | None = None,
    on_error: OnError = "skip",
    stats: BuildStats | None = None,
    progress: Callable[[Article], None] | None = None,
    events: Iterable[Event] = (),
    workers: int = 1,
    dask: Any = None,
    keep: list[Event] | None = None,
) -> list[Event]:
    """Articles (and already extracted events) in, merged meetings out.

    Args:
        articles: input articles.
        extractor: what extracts (:mod:`kg.extractor`): an Extractor or a registered name;
            default the rules.
        model: for the rules, an installed spaCy pipeline (or language -> pipeline) to use as
            extra evidence.
        on_error: what to do with an article that cannot be processed.
        stats: counters and problems, filled in during the build.
        progress: called once per article, when its extraction is done.
        events: extracted mentions from an earlier ``kg extract`` run, merged with the rest.
        workers: processes extracting at once on this machine (same output for any number).
        dask: a Dask scheduler address (``tcp://host:8786``) or ``distributed.Client``: extract
            there partition by partition and merge there, grouped by blocking key
            (:mod:`kg.distributed`); the same output as a local build.
        keep: a list that receives every resolved mention, in the order they were merged (what
            the store keeps per article); ``None`` keeps nothing, so memory does not grow with
            the number of mentions beyond what the merged meetings hold.

    Returns:
        One event per real-world meeting, each with every source that reports it, in the order
        their first mention was read.
    """
    if dask is not None:
        from kg.distributed import build_on_dask

        return build_on_dask(articles, dask, extractor=coerce(extractor, model), on_error=on_error, stats=stats,
                             progress=progress,
                             events=events, keep=keep)
    found = mentions(articles, extractor=extractor, model=model, on_error=on_error, stats=stats, progress=progress,
                     events=events, workers=workers)
    return merge(found if keep is None else _kept(found, keep))


def build_spilled(articles: Iterable[Article], *, folder: str | Path | None = None,
                  extracted: Callable[[Iterable[Event]], object] | None = None,
                  merging: Callable[[int], object] | None = None, **options: Any) -> SpilledEvents:
    """:func:`build` with the mentions and meetings kept in scratch files, not in memory
    (:mod:`kg.spill`): what ``kg build`` runs, so that its memory does not grow with the input.

    Args:
        articles: input articles.
        folder: Where to make the scratch folder (default: the system's temporary folder).
        extracted: Called with the resolved mentions (re-readable) once all are extracted, before
            they are merged (:func:`kg.spill.merge_spilled`).
        merging: Called now and then with the number of mentions merged so far.
        options: ``extractor``, ``model``, ``on_error``, ``stats``, ``progress``, ``events``, ``workers``, as
            in :func:`build` (not ``dask`` or ``keep``).

    Returns:
        The same meetings in the same order as :func:`build`, read back from disk on each
        iteration; ``.mentions()`` gives the merged mentions again. Close it when done.
    """
    from kg.spill import merge_spilled

    return merge_spilled(mentions(articles, **options), folder=folder, extracted=extracted, merging=merging)


def _kept(events: Iterable[Event], keep: list[Event]) -> Iterator[Event]:
    for e in events:
        keep.append(e)
        yield e


def mentions(
    articles: Iterable[Article],
    *,
    extractor: Extractor | str | None = None,
    model: str | Mapping[str, str] | None = None,
    on_error: OnError = "skip",
    stats: BuildStats | None = None,
    progress: Callable[[Article], None] | None = None,
    events: Iterable[Event] = (),
    workers: int = 1,
    runner: Runner | None = None,
) -> Iterator[Event]:
    """Resolved meeting mentions, merged within each article but not across: what ``build``
    merges, and what ``kg extract`` and the store keep per article.

    Given ``events`` (from an earlier ``kg extract``) come first, then the articles' mentions.
    ``extractor``, ``model``, ``workers`` and ``runner`` are as in :func:`extract_all`.
    """
    stats = stats if stats is not None else BuildStats()
    extracted = extract_all(articles, extractor=extractor, model=model, on_error=on_error, stats=stats, progress=progress,
                            workers=workers, runner=runner, resolved=True)
    return _chain(resolve_mentions(capped(events, stats)), extracted)


def capped(events: Iterable[Event], stats: BuildStats) -> Iterator[Event]:
    """Events read from an events.jsonl, each with at most ``MAX_PARTICIPANTS`` participants (as
    extraction gives them: :func:`kg.nlp.limits.cap_participants`); ``stats`` notes the others."""
    from kg.nlp.limits import MAX_PARTICIPANTS, cap_participants

    for event in events:
        event, n = cap_participants(event)
        if n > MAX_PARTICIPANTS:
            article = event.evidence[0].article_id if event.evidence else "?"
            stats.notice(None, [f"a meeting with {n} participants (article {shown(article)}) kept the first "
                                f"{MAX_PARTICIPANTS}"], where="events")
        yield event


def resolve_mentions(events: Iterable[Event]) -> Iterator[Event]:
    """What happens to extracted mentions before they are merged, one mention at a time (so it
    runs wherever extraction runs: here, on a worker process, on a Dask worker): canonical actors
    and places, then each source keeps the roles its article stated."""
    from kg.nlp.roles import stated_roles

    return map(stated_roles, resolve(events))


def _chain(*streams: Iterable[Event]) -> Iterator[Event]:
    for s in streams:
        yield from s


def is_events_file(path: str | Path) -> bool:
    """True for a JSON Lines file of events (``kg extract`` output) rather than articles."""
    p = Path(path)
    if p.suffix not in (".jsonl", ".json") or not p.is_file():
        return False
    try:
        with p.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    return isinstance(row, dict) and "participants" in row
    except (OSError, ValueError, RecursionError):  # not JSON, not UTF-8, a 5,000-digit number, nested too deep
        return False
    return False


__all__ = ["BuildStats", "build", "build_spilled", "check_language", "extract_all", "is_events_file", "mentions", "resolve_mentions"]
