"""The build on an existing Dask cluster (dask.distributed): ``kg build --dask tcp://host:8786``.

Needs the ``dask`` extra (``pip install 'kg[dask]'``); the workers need kg installed too.

1. **Extraction, partition by partition.** The client reads the articles, checks their language
   and cuts them into partitions of ``partition_size``; each partition is one task,
   :func:`extract_partition`, which extracts and resolves its mentions *on a worker* and keeps
   them there. Only a summary comes back (per article: its number of mentions or its failure;
   per mention: its blocking keys), so warnings, counters and the progress bar stay on the
   client, in input order. At most ``window`` partitions are pending at a time, so neither the
   client nor the scheduler ever holds the whole corpus.
2. **Merge, as a group-by on blocking keys.** Two mentions can be one meeting only if they share
   a participant pair (:func:`kg.merge.blocking_keys`). The client joins the pairs of every
   mention into connected components (union-find over the keys only, not the mentions); each
   component goes to one of ``buckets`` groups, every partition splits its mentions by group
   (:func:`split_partition`, on the worker that holds them), and each group is merged by
   :func:`merge_group` on some worker. Mentions of different components never interact in
   :func:`kg.merge.merge`, so sorting the groups' meetings by their first mention gives exactly
   the meetings, IRIs and order of a local build.
3. The meetings (and, for the store, the mentions) are gathered to the client and go through the
   normal writers.

Why no date window in the blocking key: an undated mention joins the same people at the same
place whatever the date, and a month- or year-precision date joins any day inside it, so a key
on (pair, date window) would keep apart mentions the local merge joins. Components of pairs keep
the output identical; a multilateral summit that links many pairs makes one bigger group.

Each worker process builds its language pipelines once (``make_annotator`` is cached per
process). Threads of one worker share them under a lock: run workers with one thread per process
(``dask worker ADDRESS --nworkers 2 --nthreads 1``) to use every core.
"""

from __future__ import annotations

import operator
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kg.merge import Components, blocking_keys, merge_numbered
from kg.model import Article, Event
from kg.parallel import Failure, chunked, extract_chunk, ordered_map

if TYPE_CHECKING:
    from distributed import Client, Future

    from kg.extractor import Extractor
    from kg.pipeline import BuildStats, OnError

PARTITION_SIZE = 256
"""Articles per extraction task."""

_LOCK = threading.Lock()

Summary = tuple[list["int | Failure"], list[list[frozenset[str]]]]
"""Per article, its number of mentions or its failure; per mention, its blocking keys."""


def extract_partition(articles: list[Article], extractor: Extractor | None = None) -> tuple[list[Event], Summary]:
    """Extract and resolve one partition on a worker: its mentions, and the summary for the client."""
    with _LOCK:  # the pipelines of a process are shared by its threads
        results = extract_chunk(articles, extractor=extractor, resolved=True)
    mentions: list[Event] = []
    outcome: list[int | Failure] = []
    for r in results:
        if isinstance(r, Failure):
            outcome.append(r)
            continue
        outcome.append(r[0])
        mentions.extend(r[1])
    return mentions, (outcome, [blocking_keys(e) for e in mentions])


def resolve_partition(events: list[Event]) -> tuple[list[Event], Summary]:
    """Resolve already extracted mentions (from ``kg extract`` files) on a worker."""
    from kg.pipeline import resolve_mentions

    mentions = list(resolve_mentions(events))
    return mentions, ([], [blocking_keys(e) for e in mentions])


def _mentions_of(part: tuple[list[Event], Summary]) -> list[Event]:
    return part[0]


def _summary_of(part: tuple[list[Event], Summary]) -> Summary:
    return part[1]


def split_partition(part: tuple[list[Event], Summary], start: int, groups: list[int],
                    buckets: int) -> list[list[tuple[int, Event]]]:
    """A partition's mentions, numbered from ``start``, sorted into their merge groups."""
    out: list[list[tuple[int, Event]]] = [[] for _ in range(buckets)]
    for i, (ev, g) in enumerate(zip(part[0], groups, strict=True)):
        out[g].append((start + i, ev))
    return out


def merge_group(pieces: list[list[tuple[int, Event]]]) -> list[tuple[int, Event]]:
    """Merge one group: its mentions from every partition, in input order."""
    return merge_numbered(x for piece in pieces for x in piece)  # partitions come in input order


def _groups(comps: Components, firsts: list[array[int]], buckets: int) -> list[list[int]]:
    """For every partition, the merge group of each of its mentions (components spread over
    ``buckets`` groups, biggest first into the lightest group).

    Args:
        comps: the union-find that every mention's keys went into.
        firsts: per partition, the id of each mention's first key in ``comps``.
    """
    roots = [array("q", (comps.find(i) for i in part)) for part in firsts]
    sizes: dict[int, int] = {}
    for part in roots:
        for r in part:
            sizes[r] = sizes.get(r, 0) + 1
    load = [0] * buckets
    group: dict[int, int] = {}
    for r, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        g = min(range(buckets), key=lambda b: (load[b], b))
        group[r] = g
        load[g] += n
    return [[group[r] for r in part] for part in roots]


def _client(scheduler: Any) -> tuple[Client, bool]:
    try:
        from distributed import Client
    except ImportError as err:
        from kg.errors import KgError

        raise KgError("--dask needs dask.distributed: pip install 'kg[dask]'") from err
    if isinstance(scheduler, Client):
        return scheduler, False
    return Client(scheduler, set_as_default=False), True


def build_on_dask(
    articles: Iterable[Article],
    scheduler: Any,
    *,
    extractor: Extractor | None = None,
    on_error: OnError = "skip",
    stats: BuildStats | None = None,
    progress: Callable[[Article], None] | None = None,
    events: Iterable[Event] = (),
    keep: list[Event] | None = None,
    partition_size: int = PARTITION_SIZE,
    buckets: int | None = None,
    window: int | None = None,
) -> list[Event]:
    """``kg.pipeline.build`` on a Dask cluster: the same meetings, in the same order.

    Args:
        articles: input articles (streamed; read on the client).
        scheduler: the scheduler's address (``tcp://host:8786``) or a ``distributed.Client``.
        extractor, on_error, stats, progress, events, keep: as in :func:`kg.pipeline.build`.
        partition_size: articles per extraction task.
        buckets: merge groups (default: twice the cluster's worker threads).
        window: partitions pending at once (default: four per worker thread).

    Returns:
        One event per real-world meeting, in the order of its first mention.
    """
    from kg.errors import InputError, KgError
    from kg.pipeline import BuildStats, check_language

    stats = stats if stats is not None else BuildStats()
    client, own = _client(scheduler)
    try:
        threads = max(1, sum(client.nthreads().values()))
        buckets = buckets or 2 * threads
        window = window or 4 * threads
        parts: list[Future] = []
        comps = Components()  # only the keys are kept on the client: distinct pairs, 8 bytes a mention
        firsts: list[array[int]] = []

        def keep_keys(summary: Summary) -> None:
            firsts.append(array("q", (comps.add(keys) for keys in summary[1])))

        given = list(events)
        if given:
            f = client.submit(resolve_partition, given, pure=False)
            parts.append(f)
            keep_keys(client.submit(_summary_of, f, pure=False).result())

        def checked() -> Iterator[tuple[Article, bool]]:
            for article in articles:
                stats.articles += 1
                stats.words += len(article.text.split())
                yield article, check_language(article, stats, on_error)

        sent: list[list[tuple[Article, bool]]] = []

        def submit(chunk: list[tuple[Article, bool]]) -> Future:
            sent.append(chunk)
            f = client.submit(extract_partition, [a for a, ok in chunk if ok], extractor, pure=False)
            parts.append(f)
            return client.submit(_summary_of, f, pure=False)

        for n, summary in enumerate(ordered_map(submit, chunked(checked(), partition_size), window)):
            chunk = sent[n]
            sent[n] = []
            outcome = iter(summary[0])
            for article, ok in chunk:
                r = next(outcome) if ok else None
                if isinstance(r, Failure):
                    if isinstance(r.error, KgError) or on_error == "raise":
                        raise r.error or RuntimeError(f"extraction failed for {article.id}: {r.text}")
                    stats.problems.append(InputError(article.origin or article.id, None, f"extraction failed: {r.text}"))
                    stats.skipped_ids.add(article.id)
                if progress is not None:  # after any skip is recorded: the caller stores only the others
                    progress(article)
                if r is None or isinstance(r, Failure):
                    continue
                stats.extracted += 1
                stats.mentions += r
            keep_keys(summary)
        if not parts:
            return []
        groups = _groups(comps, firsts, buckets)
        starts, n = [], 0
        for part in firsts:
            starts.append(n)
            n += len(part)
        pieces = [client.submit(split_partition, p, st, g, buckets, pure=False)
                  for p, st, g in zip(parts, starts, groups, strict=True)]
        merged = client.gather([
            client.submit(merge_group, [client.submit(operator.getitem, p, b, pure=False) for p in pieces], pure=False)
            for b in range(buckets)
        ])
        if keep is not None:
            for p in parts:
                keep.extend(client.submit(_mentions_of, p, pure=False).result())
        del pieces
        return [e for _, e in sorted((x for group in merged for x in group), key=lambda x: x[0])]
    finally:
        if own:
            client.close()


__all__ = ["PARTITION_SIZE", "build_on_dask", "extract_partition", "merge_group", "resolve_partition",
           "split_partition"]
