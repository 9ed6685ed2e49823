"""graph.ttl written batch by batch, so the RDF of a big build is never all in memory.

``write_turtle(to_rdf(events))`` holds every triple in an rdflib graph (about 800 bytes each,
300 MB for 12,000 meetings) and then twice more while pyoxigraph writes it. Here the meetings
go through :func:`kg.rdf.build.ox_event_triples` (pyoxigraph terms) a batch at a time; each
batch is written as Turtle text by :func:`_turtle` (each subject once, prefixed names where a
local name needs no escaping, N-Triples terms otherwise), and the batches follow each other in
one file with the prefixes declared once. Actors, places and articles are described once (the
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
import re
from collections.abc import Callable, Hashable, Iterable

from kg.export.atomic import atomic_write
from kg.model import Event

BATCH = 1000
"""Meetings per batch: about 30,000 triples, some 40 MB while a batch is written (190 MB at 5,000,
for no gain in speed)."""


_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
"""A local name that needs no escaping in a prefixed name (a subset of Turtle's PN_LOCAL)."""
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


class _Names:
    """Turtle's short form of N-Triples terms: ``prefix:local`` for an IRI in a known namespace
    whose local name needs no escaping, ``^^xsd:date`` for a datatype; other terms as they are
    (N-Triples terms are Turtle terms). Remembers what it has worked out until :meth:`clear`."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self._by_namespace = {ns: prefix for prefix, ns in prefixes.items()}
        self._known: dict[str, str] = {}

    def __call__(self, term: str) -> str:
        known = self._known.get(term)
        if known is None:
            known = self._known[term] = self._short(term)
        return known

    def clear(self) -> None:
        self._known.clear()

    def _iri(self, iri: str) -> str | None:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self._by_namespace.get(iri[:cut])
        return f"{prefix}:{iri[cut:]}" if prefix is not None and _LOCAL.fullmatch(iri, cut) else None

    def _short(self, term: str) -> str:
        if term.startswith("<"):
            return self._iri(term[1:-1]) or term
        if term.endswith(">"):  # "lexical"^^<datatype>
            lexical, _, datatype = term.rpartition("^^")
            name = self._iri(datatype[1:-1])
            return f"{lexical}^^{name}" if name else term
        return term


def _turtle(triples: Iterable[tuple[str, str, str]], names: _Names) -> str:
    """Triples of N-Triples terms as Turtle: each subject once, with its predicates (``;``) and
    the objects of a predicate (``,``); duplicates dropped.

    pyoxigraph's writer takes its own term objects (``ox.parse`` of the N-Triples, then
    ``ox.serialize``: 3 µs a triple, more than making the triples); writing the text here from
    the N-Triples terms takes about a third of that.
    """
    subjects: dict[str, dict[tuple[str, str], None]] = {}
    for s, p, o in triples:
        subjects.setdefault(s, {})[p, o] = None
    out: list[str] = []
    for s, links in subjects.items():
        out.append(names(s))
        last = None
        for p, o in sorted(links, key=_order):  # stable: a predicate's objects in the order made
            if p == last:
                out.append(f" ,\n\t\t{names(o)}")
                continue
            out.append(f"{' ;' if last is not None else ''}\n\t{'a' if p == _RDF_TYPE else names(p)} {names(o)}")
            last = p
        out.append(" .\n\n")
    names.clear()
    return "".join(out)


def _order(link: tuple[str, str]) -> tuple[bool, str]:
    return link[0] != _RDF_TYPE, link[0]  # the types first


def _prefix_lines(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in prefixes.items()) + "\n"


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
    from kg.rdf.build import ox_event_triples
    from kg.rdf.namespaces import PREFIXES

    batch = batch or BATCH
    seen: set[Hashable] = set()
    names = _Names(PREFIXES)
    with atomic_write(path, "w", encoding="utf-8") as f:
        if not skip_prefixes:
            f.write(_prefix_lines(PREFIXES))
        done = 0
        for chunk in chunked(events, batch):
            f.write(_turtle(((str(s), str(p), str(o)) for event in chunk
                             for s, p, o in ox_event_triples(event, seen=seen)), names))
            done += len(chunk)
            if progress is not None:
                progress(done)

__all__ = ["BATCH", "write_turtle_stream"]
