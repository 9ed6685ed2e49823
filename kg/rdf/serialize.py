"""Fast Turtle: rdflib builds the graph, pyoxigraph writes it (about seven times faster here)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph


def turtle_bytes(graph: Graph) -> bytes:
    """The graph as Turtle with its bound prefixes.

    rdflib's Turtle serializer took 14 s for 150,000 triples on these machines; going through
    N-Triples into pyoxigraph takes about 2 s and gives the same graph.

    >>> from rdflib import URIRef, Literal
    >>> g = Graph(); g.bind("ex", "https://example.org/")
    >>> _ = g.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("x")))
    >>> b"ex:a ex:p" in turtle_bytes(g)
    True
    """
    nt = graph.serialize(format="nt", encoding="utf-8")
    store = ox.Store()
    store.bulk_extend(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    out = store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    return out if isinstance(out, bytes) else bytes(out or b"")


__all__ = ["turtle_bytes"]
