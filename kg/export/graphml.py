"""Write a NetworkX graph as GraphML, atomically."""

from __future__ import annotations

import os

import networkx as nx

from kg.export.atomic import atomic_write


def write_graphml(G: nx.Graph, path: str | os.PathLike[str]) -> None:
    """Write a graph (for example from :func:`kg.graph.to_networkx`) as GraphML.

    Attributes whose value is ``None`` are left out (GraphML has no null); every other
    value must be a ``str``, ``int``, ``float`` or ``bool``, as :func:`kg.graph.to_networkx`
    produces. A failure leaves any previous file intact.

    Args:
        G: The graph.
        path: The file to write.

    Raises:
        networkx.NetworkXError: An attribute value GraphML cannot hold (a list, a dict).
    """
    if _has_none(G):
        G = G.copy()
        for _, data in G.nodes(data=True):
            _drop_none(data)
        for *_, data in G.edges(data=True):
            _drop_none(data)
        _drop_none(G.graph)
    with atomic_write(path, "wb") as f:
        nx.write_graphml(G, f, encoding="utf-8")


def _has_none(G: nx.Graph) -> bool:
    return (
        any(v is None for v in G.graph.values())
        or any(v is None for _, d in G.nodes(data=True) for v in d.values())
        or any(v is None for *_, d in G.edges(data=True) for v in d.values())
    )


def _drop_none(data: dict[str, object]) -> None:
    for key in [k for k, v in data.items() if v is None]:
        del data[key]


__all__ = ["write_graphml"]
