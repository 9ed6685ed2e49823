"""The cross-article merge with the mentions on disk: memory holds keys and offsets, not events.

``kg build`` merges every mention of the input. Kept in memory, that costs a few kilobytes per
meeting (participants, places, every source sentence), so the memory of a build would grow with
its input. :func:`merge_spilled` gives exactly :func:`kg.merge.merge`'s meetings, in the same
order, but holds only, per mention, two integers (its offset in a scratch file and its
component) and, per participant pair, one dictionary entry:

1. Each mention is written to a scratch file as it streams past (pickled: twice as fast to
   write and to read back as a JSON line, and the file is kg's own, in a private scratch
   folder, gone when the build ends), and its
   participant pairs (:func:`kg.merge.blocking_keys`) go into a union-find: two mentions can be
   one meeting only if they are joined through shared pairs (:class:`kg.merge.Components`).
2. Component by component (mentions of different components never affect each other's merge),
   the component's mentions are read back and merged by :func:`kg.merge.merge_numbered`; each
   meeting is written to a second scratch file with the number of its first mention.
3. :class:`SpilledEvents` reads the meetings back in the order of their first mention, as many
   times as the writers need (events.jsonl, graph.ttl, graph.graphml, graph.html).

Up to ``in_memory`` mentions (:data:`IN_MEMORY`), nothing goes to disk: the mentions are merged
in memory as :func:`kg.merge.merge` does, which is three to four times faster than writing them
out and reading them back. Beyond, the memory of the merge stays flat as the input grows; what
is then still in memory at once is the largest component's mentions (a multilateral summit links
many pairs, so a corpus of summits makes bigger components than one of bilateral visits).

>>> from kg.model import Actor, Event, Mention, PartialDate
>>> from kg.merge import merge
>>> a, b, c = Actor("Sergei Lavrov"), Actor("Marco Rubio"), Actor("Wang Yi")
>>> ms = [Event((a, b), None, PartialDate(2025, 9, 24), evidence=(Mention("x", 0, 3, "met"),)),
...       Event((a, c), None, PartialDate(2025, 9, 1), evidence=(Mention("y", 0, 3, "met"),)),
...       Event((b, a), None, PartialDate(2025, 9), evidence=(Mention("z", 0, 3, "met"),))]
>>> with merge_spilled(ms, in_memory=0) as spilled:
...     list(spilled) == merge(ms), len(spilled), spilled.on_disk
(True, 2, True)
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import pickle
from array import array
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import IO

from kg.export.atomic import ScratchFolder
from kg.merge import Components, blocking_keys, merge, merge_numbered
from kg.model import Event

IN_MEMORY = 20_000
"""Mentions merged in memory before the merge goes to disk (a real article's mention, with its
sentence, takes a few kilobytes: some 100 MB here)."""

PROGRESS_EVERY = 10_000
"""Mentions merged between two progress reports."""


def id_hash(value: str | None) -> int:
    """Eight bytes of a meeting id's BLAKE2 digest: the same in every process (Python's ``hash``
    of a string is not: the writers beside the main process compare ids the main one noted).

    >>> id_hash("https://w3id.org/kg/id/meeting/x") == id_hash("https://w3id.org/kg/id/meeting/x")
    True
    """
    return int.from_bytes(hashlib.blake2b((value or "").encode(), digest_size=8).digest(), "little", signed=True)


def _line(event: Event) -> bytes:
    # the same text as an events.jsonl line (kg.export.jsonl.generate_events)
    return json.dumps(event.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n"


def _record(event: Event) -> bytes:
    return pickle.dumps(event, protocol=pickle.HIGHEST_PROTOCOL)


def _load(f: IO[bytes], offset: int) -> Event:
    f.seek(offset)
    event: Event = pickle.load(f)
    return event


def _read(f: IO[bytes], offset: int) -> Event:
    f.seek(offset)
    return Event.from_dict(json.loads(f.readline()))


def _read_records(path: Path) -> Iterator[Event]:
    with path.open("rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return


class _Reread:
    def __init__(self, read: Callable[[], Iterator[Event]], count: int | None = None) -> None:
        self._read = read
        self._count = count

    def __iter__(self) -> Iterator[Event]:
        return self._read()

    def __len__(self) -> int:
        if self._count is None:
            raise TypeError("the number of mentions is not known here")
        return self._count


class SpilledEvents:
    """Merged meetings, read back in order on every iteration (from a scratch file, or from memory
    for a small input). Use it as a context manager (or call :meth:`close`): the scratch folder
    goes away with it.
    """

    def __init__(self, folder: Path | ScratchFolder, firsts: array[int] | None = None,
                 offsets: array[int] | None = None, *, events: list[Event] | None = None,
                 mentions: list[Event] | None = None, sources: array[int] | None = None,
                 id_hashes: array[int] | None = None) -> None:
        self._scratch = folder if isinstance(folder, ScratchFolder) else None
        self._folder = folder.path if isinstance(folder, ScratchFolder) else folder
        self._events, self._mentions = events, mentions
        firsts, offsets, sources = firsts or array("q"), offsets or array("q"), sources or array("q")
        order = sorted(range(len(firsts)), key=firsts.__getitem__)
        self._offsets = array("q", (offsets[i] for i in order))
        self._sources = array("q", (sources[i] for i in order)) if sources else None
        self._id_hashes = id_hashes

    @property
    def on_disk(self) -> bool:
        """True when the input was larger than the in-memory budget."""
        return self._events is None

    def __len__(self) -> int:
        return len(self._offsets) if self._events is None else len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return self.range(0, len(self))

    def range(self, start: int, stop: int) -> Iterator[Event]:
        """The meetings at positions ``start`` to ``stop`` (excluded), read without the others."""
        if self._events is not None:
            yield from self._events[start:stop]
            return
        with (self._folder / "meetings.jsonl").open("rb") as f:
            for offset in self._offsets[start:stop]:
                yield _read(f, offset)

    def lines(self) -> Iterator[bytes]:
        """The meetings as events.jsonl lines, in order: on disk, the scratch file's own lines,
        copied without being parsed."""
        if self._events is not None:
            yield from map(_line, self._events)
            return
        with (self._folder / "meetings.jsonl").open("rb") as f:
            for offset in self._offsets:
                f.seek(offset)
                yield f.readline()

    def most_reported(self, limit: int) -> tuple[list[Event], int]:
        """:func:`kg.export.html.most_reported`: the ``limit`` meetings with the most sources (ties:
        the first), in their order, and the number of meetings; on disk, ranked by the number of
        sources noted while merging, so that only the meetings kept are read back."""
        if self._sources is None:
            from kg.export.html import most_reported

            return most_reported(iter(self), limit)
        sources = self._sources
        top = sorted(heapq.nlargest(limit, range(len(sources)), key=lambda i: (sources[i], -i)))
        with (self._folder / "meetings.jsonl").open("rb") as f:
            return [_read(f, self._offsets[i]) for i in top], len(sources)

    def shared_id_hashes(self) -> set[int]:
        """:func:`id_hash` of each id that more than one meeting may have (the merge keeps apart
        meetings of the same people on the same day in places it cannot tell are one): usually
        none. A hash in the set may also be that of two different ids, so the set is for
        finding the meetings to look at together, not for telling them apart. Noted while
        merging (eight bytes a meeting), so nothing is read back."""
        hashes = self._id_hashes if self._id_hashes is not None else array("q", (id_hash(e.id) for e in self._events or ()))
        ordered = sorted(hashes)
        return {h for h, after in zip(ordered, ordered[1:], strict=False) if h == after}

    def mentions(self) -> Iterable[Event]:
        """The mentions that were merged, in input order (what the store keeps per article); each
        iteration reads them again."""
        return _Reread(self._read_mentions)

    def _read_mentions(self) -> Iterator[Event]:
        if self._mentions is not None:
            yield from self._mentions
            return
        yield from _read_records(self._folder / "mentions.pickle")

    def close(self) -> None:
        self._events = self._mentions = None
        if self._scratch is not None:
            self._scratch.remove()
        else:
            import shutil

            shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> SpilledEvents:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Spill:
    """The merge fed one mention at a time (:meth:`add`), then :meth:`finish`: for a writer that
    goes through the mentions for its own purpose and merges them on the way (the store)."""

    def __init__(self, folder: str | os.PathLike[str] | None = None, in_memory: int | None = None) -> None:
        # locked while this process lives: kg.export.atomic.sweep removes it once it is dead
        self._folder = ScratchFolder(folder, ".kg-merge-")
        self._scratch = self._folder.path
        self._in_memory = IN_MEMORY if in_memory is None else in_memory
        self._first: list[Event] = []
        self._file: IO[bytes] | None = None
        self._comps = Components()
        self._offsets = array("q")  # per mention: where its line starts
        self._keys = array("q")  # per mention: the union-find id of one of its pairs

    def add(self, event: Event) -> None:
        if self._file is None:
            self._first.append(event)
            if len(self._first) <= self._in_memory:
                return
            self._file = (self._scratch / "mentions.pickle").open("wb")
            first, self._first = self._first, []
            for e in first:  # from here on, one mention at a time
                self._put(e)
            return
        self._put(event)

    def _put(self, event: Event) -> None:
        assert self._file is not None
        self._offsets.append(self._file.tell())
        self._file.write(_record(event))
        self._keys.append(self._comps.add(blocking_keys(event)))

    def mentions(self) -> Iterable[Event]:
        """The mentions added so far, re-readable, as :meth:`SpilledEvents.mentions` gives them
        after :meth:`finish` (another process may read them while this one merges; add no more)."""
        if self._file is None:
            return list(self._first)
        self._file.flush()
        return _Reread(partial(_read_records, self._scratch / "mentions.pickle"), len(self._offsets))

    def finish(self, progress: Callable[[int], object] | None = None) -> SpilledEvents:
        """The meetings, in the order :func:`kg.merge.merge` gives them; close them when done.

        Args:
            progress: Called now and then with the number of mentions merged so far.
        """
        try:
            if self._file is None:  # small enough: merged in memory
                events = merge(self._first)
                if progress is not None:
                    progress(len(self._first))
                return SpilledEvents(self._folder, events=events, mentions=self._first)
            self._file.close()
            return self._merge(progress)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Give up: remove the scratch folder."""
        if self._file is not None:
            self._file.close()
        self._folder.remove()

    def _merge(self, progress: Callable[[int], object] | None) -> SpilledEvents:
        roots = array("q", (self._comps.find(k) for k in self._keys))
        del self._keys, self._comps
        offsets = self._offsets
        by_component = sorted(range(len(roots)), key=roots.__getitem__)  # stable: input order inside
        firsts, out_offsets, sources = array("q"), array("q"), array("q")
        id_hashes = array("q")
        pos = 0
        with (self._scratch / "mentions.pickle").open("rb") as f, (self._scratch / "meetings.jsonl").open("wb") as out:
            start = 0
            while start < len(by_component):
                root = roots[by_component[start]]
                end = start
                while end < len(by_component) and roots[by_component[end]] == root:
                    end += 1
                group = ((n, _load(f, offsets[n])) for n in by_component[start:end])
                for n, meeting in merge_numbered(group):
                    line = _line(meeting)
                    out.write(line)
                    firsts.append(n)
                    out_offsets.append(pos)
                    sources.append(len(meeting.evidence))
                    id_hashes.append(id_hash(meeting.id))
                    pos += len(line)
                if progress is not None and (end // PROGRESS_EVERY != start // PROGRESS_EVERY
                                             or end == len(by_component)):
                    progress(end)  # component by component: one that links everyone comes at once
                start = end
        return SpilledEvents(self._folder, firsts, out_offsets, sources=sources, id_hashes=id_hashes)


def merge_spilled(
    mentions: Iterable[Event], *, folder: str | os.PathLike[str] | None = None, in_memory: int | None = None,
    extracted: Callable[[Iterable[Event]], object] | None = None, merging: Callable[[int], object] | None = None,
) -> SpilledEvents:
    """:func:`kg.merge.merge` with the mentions and meetings kept on disk beyond ``in_memory`` mentions.

    Args:
        mentions: Resolved meeting mentions, in input order (streamed: read once).
        folder: Where to make the scratch folder (default: the system's temporary folder; kg
            build uses the output folder, as the temporary folder may be in memory).
        in_memory: Mentions merged in memory when the input has no more (default :data:`IN_MEMORY`).
        extracted: Called with the mentions (re-readable) once all are in, before the merge
            (``kg build`` starts writing its store then, in another process).
        merging: Called now and then with the number of mentions merged so far.

    Returns:
        The meetings, in the order :func:`kg.merge.merge` gives them; close it when done.
    """
    spill = Spill(folder, in_memory)
    try:
        for event in mentions:
            spill.add(event)
        if extracted is not None:
            extracted(spill.mentions())
    except BaseException:
        spill.discard()
        raise
    return spill.finish(merging)


__all__ = ["IN_MEMORY", "Spill", "SpilledEvents", "id_hash", "merge_spilled"]
