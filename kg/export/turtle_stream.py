"""graph.ttl written batch by batch, so the RDF of a big build is never all in memory.

``write_turtle(to_rdf(events))`` holds every triple in an rdflib graph (about 800 bytes each,
300 MB for 12,000 meetings) and then twice more while pyoxigraph writes it. Here the meetings
go through :func:`kg.rdf.build.event_triples` a batch at a time, each batch is written with the
same serialiser (:func:`kg.rdf.serialize.turtle_bytes`, fed N-Triples text rather than an rdflib
graph, which was most of the time), and the batches follow each other in one file with the
prefixes declared once. Actors, places and articles are described once (the
``seen`` set carries over from batch to batch), so the file holds the same graph as
``to_rdf(events)``; no blank nodes are involved, so batches cannot clash.

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
from collections.abc import Hashable, Iterable
from typing import Any

from kg.export.atomic import atomic_write
from kg.model import Event

BATCH = 1000
"""Meetings per batch: about 30,000 triples, some 40 MB while a batch is written (190 MB at 5,000,
for no gain in speed)."""


class _Batch:
    """Triples in N-Triples text: all :func:`kg.rdf.serialize.turtle_bytes` reads of a graph.

    Adding 150,000 triples to an rdflib graph costs about 10 s here (its store keeps three
    indexes and fires an event per triple); writing each triple's terms out costs a tenth of it.
    The serialiser then parses the text into pyoxigraph, which also drops duplicate triples.
    """

    def __init__(self, prefixes: list[tuple[str, Any]]) -> None:
        self.lines: list[str] = []
        self.prefixes = prefixes

    def add(self, triple: tuple[Any, Any, Any]) -> None:
        s, p, o = triple
        self.lines.append(f"{s.n3()} {p.n3()} {o.n3()} .\n")

    def serialize(self, *, format: str, encoding: str) -> bytes:  # noqa: A002 - rdflib's signature
        if format != "nt":
            raise ValueError(f"only N-Triples, not {format!r}")
        return "".join(self.lines).encode(encoding)

    def namespaces(self) -> list[tuple[str, Any]]:
        return self.prefixes


def _without_prefixes(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    i = 0
    while i < len(lines) and (lines[i].startswith((b"@prefix", b"PREFIX")) or not lines[i].strip()):
        i += 1
    return b"".join(lines[i:])


def write_turtle_stream(events: Iterable[Event], path: str | os.PathLike[str], *, batch: int | None = None,
                        part: tuple[int, int] | None = None) -> None:
    """Write the graph of ``events`` as Turtle, ``batch`` meetings at a time; atomic.

    Args:
        events: The meetings, merged (iterated once).
        path: The ``.ttl`` file to write.
        batch: Meetings per batch (default :data:`BATCH`).
        part: ``(start, stop)``: only the meetings at those positions, and no prefix
            declarations unless ``start`` is 0, so that parts written by separate processes
            concatenate into one file of the whole graph (an actor two parts share is described
            in both: the same triples twice, the same graph).
    """
    if part is not None:
        start, stop = part
        events = events.range(start, stop) if hasattr(events, "range") else itertools.islice(events, start, stop)
    skip_prefixes = part is not None and part[0] > 0
    from kg.parallel import chunked
    from kg.rdf.build import event_triples
    from kg.rdf.namespaces import new_graph
    from kg.rdf.serialize import turtle_bytes

    batch = batch or BATCH
    seen: set[Hashable] = set()
    first = not skip_prefixes
    prefixes = list(new_graph().namespaces())
    with atomic_write(path, "wb") as f:
        for chunk in chunked(events, batch):
            g = _Batch(prefixes)
            add = g.add
            for event in chunk:
                for triple in event_triples(event, seen=seen):
                    add(triple)
            data = turtle_bytes(g)  # type: ignore[arg-type]
            f.write(data if first else _without_prefixes(data))
            first = False
        if first and not skip_prefixes:  # no meetings: an empty graph with kg's prefixes, as write_turtle writes it
            f.write(turtle_bytes(new_graph()))


__all__ = ["BATCH", "write_turtle_stream"]
