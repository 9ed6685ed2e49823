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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kg.errors import MSG_NO_LANG, MSG_NO_PACK, InputError, KgError, UnknownLanguage
from kg.langs import available_packs
from kg.merge import merge
from kg.model import Article, Event
from kg.nlp.extract import extract_article
from kg.resolve import resolve

log = logging.getLogger(__name__)

OnError = Literal["skip", "raise"]


@dataclass
class BuildStats:
    """What a build read, skipped and produced."""

    articles: int = 0
    words: int = 0
    mentions: int = 0
    problems: list[InputError] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.problems)


def _check_language(article: Article, stats: BuildStats, on_error: OnError) -> bool:
    packs = available_packs()
    if article.lang in packs:
        return True
    origin = article.origin or article.id
    path, _, line = origin.rpartition(":") if ":" in origin and origin.rsplit(":", 1)[-1].isdigit() else (origin, "", "")
    msg = (MSG_NO_LANG.format(id=article.id) if not article.lang
           else MSG_NO_PACK.format(lang=article.lang, available=", ".join(packs), id=article.id))
    err = InputError(path, int(line) if line else None, msg)
    if on_error == "raise":
        raise err from UnknownLanguage(article.lang, packs)
    stats.problems.append(err)
    log.debug("%s", err)
    return False


def extract_all(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    on_error: OnError = "skip",
    stats: BuildStats | None = None,
    progress: Callable[[Article], None] | None = None,
) -> Iterator[Event]:
    """Stream the meeting mentions of every article that has a language pack.

    Args:
        articles: input articles (streamed, never held all at once).
        model: an installed spaCy pipeline to use as an extra signal.
        on_error: "skip" records a problem for an article with no pack; "raise" raises it.
        stats: counters and problems, filled in as the stream is consumed.
        progress: called once per article read.
    """
    stats = stats if stats is not None else BuildStats()
    for article in articles:
        if progress is not None:
            progress(article)
        stats.articles += 1
        stats.words += len(article.text.split())
        if not _check_language(article, stats, on_error):
            continue
        try:
            events = extract_article(article, model=model)
        except KgError:
            raise
        except Exception as err:  # noqa: BLE001 - one broken article must not sink the batch
            if on_error == "raise":
                raise
            stats.problems.append(InputError(article.origin or article.id, None, f"extraction failed: {err!r}"))
            log.exception("extraction failed for %s", article.id)
            continue
        stats.mentions += len(events)
        yield from events


def build(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    on_error: OnError = "skip",
    stats: BuildStats | None = None,
    progress: Callable[[Article], None] | None = None,
    events: Iterable[Event] = (),
) -> list[Event]:
    """Articles (and already extracted events) in, merged meetings out.

    Args:
        articles: input articles.
        model: an installed spaCy pipeline to use as an extra signal.
        on_error: what to do with an article that cannot be processed.
        stats: counters and problems, filled in during the build.
        progress: called once per article read.
        events: extracted mentions from an earlier ``kg extract`` run, merged with the rest.

    Returns:
        One event per real-world meeting, each with every source that reports it.
    """
    return merge(mentions(articles, model=model, on_error=on_error, stats=stats, progress=progress, events=events))


def mentions(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    on_error: OnError = "skip",
    stats: BuildStats | None = None,
    progress: Callable[[Article], None] | None = None,
    events: Iterable[Event] = (),
) -> Iterator[Event]:
    """Resolved meeting mentions, merged within each article but not across: what ``build``
    merges, and what ``kg extract`` and the store keep per article.

    Given ``events`` (from an earlier ``kg extract``) come first, then the articles' mentions.
    """
    extracted = extract_all(articles, model=model, on_error=on_error, stats=stats, progress=progress)
    return resolve(_chain(events, extracted))


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
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False


__all__ = ["BuildStats", "build", "extract_all", "is_events_file", "mentions"]
