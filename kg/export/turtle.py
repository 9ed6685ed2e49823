"""Write an RDF graph as Turtle, atomically."""

from __future__ import annotations

import os

from rdflib import Graph

from kg.export.atomic import atomic_write


def write_turtle(graph: Graph, path: str | os.PathLike[str]) -> None:
    """Serialise a graph to a Turtle file; a failure leaves any previous file intact.

    Args:
        graph: The graph (for example from :func:`kg.rdf.build.to_rdf`); its bound prefixes
            become the file's ``@prefix`` lines.
        path: The file to write.
    """
    from kg.rdf.serialize import turtle_bytes

    data = turtle_bytes(graph)
    with atomic_write(path, "wb") as f:
        f.write(data)


__all__ = ["write_turtle"]
