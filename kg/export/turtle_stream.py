"""graph.ttl written batch by batch, so the RDF of a big build is never all in memory.

``write_turtle(to_rdf(events))`` holds every triple in an rdflib graph (about 800 bytes each,
300 MB for 12,000 meetings) and then twice more while pyoxigraph writes it. Here each meeting
is written as Turtle text by :func:`kg.rdf.text.event_turtle` (the triples of
:func:`kg.rdf.build.ox_event_triples`, without making pyoxigraph terms first: about 0.14 ms a
meeting instead of 0.4), a batch of meetings per write, with the prefixes declared once.
Actors, places and articles are described once (the ``seen`` set carries over from batch to
batch), so the file holds the same graph as ``to_rdf(events)``; no blank nodes are involved,
so batches cannot clash.

>>> import io, tempfile, os
>>> from kg.model import Actor, Event, PartialDate
>>> evs = [Event((Actor("A B"), Actor("C D")), None, PartialDate(2025, 1, i)) for i in range(1, 4)]
>>> evs = [e.with_(id=f"https://example.org/m{i}") for i, e in enumerate(evs)]
>>> with tempfile.TemporaryDirectory() as d:
...     write_turtle_stream(evs, os.path.join(d, "g.ttl"), batch=2)
...     text = open(os.path.join(d, "g.ttl"), encoding="utf-8").read()
>>> from rdflib import Graph
>>> from rdflib.compare import isomorphic
>>> from kg.rdf.build import to_rdf
>>> text.count("@prefix kg:"), isomorphic(Graph().parse(data=text, format="turtle"), to_rdf(evs))
(1, True)
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Hashable, Iterable

from kg.export.atomic import atomic_write
from kg.model import Event

BATCH = 1000
"""Meetings per write: about 3 MB of text."""


def write_turtle_stream(events: Iterable[Event], path: str | os.PathLike[str], *, batch: int | None = None,
                        part: tuple[int, int] | None = None, progress: Callable[[int], object] | None = None) -> None:
    """Write the graph of ``events`` as Turtle, ``batch`` meetings at a time; atomic.

    Args:
        events: The meetings, merged (iterated once).
        path: The ``.ttl`` file to write.
        batch: Meetings per batch (default :data:`BATCH`).
        part: ``(start, stop)``: only the meetings at those positions, and no prefix
            declarations unless ``start`` is 0, so that parts written by separate processes
            concatenate into one file of the whole graph (an actor two parts share is described
            in both: the same triples twice, the same graph).
        progress: Called with the number of meetings written so far, after each batch.
    """
    if part is not None:
        start, stop = part
        events = events.range(start, stop) if hasattr(events, "range") else itertools.islice(events, start, stop)
    skip_prefixes = part is not None and part[0] > 0
    from kg.parallel import chunked
    from kg.rdf.text import event_turtle, prefix_lines

    batch = batch or BATCH
    seen: set[Hashable] = set()
    with atomic_write(path, "w", encoding="utf-8") as f:
        if not skip_prefixes:
            f.write(prefix_lines())
        done = 0
        for chunk in chunked(events, batch):
            f.write("".join([event_turtle(event, seen=seen) for event in chunk]))
            done += len(chunk)
            if progress is not None:
                progress(done)

__all__ = ["BATCH", "write_turtle_stream"]
