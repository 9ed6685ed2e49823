"""Write the who-met-whom network as GraphML, atomically: from a NetworkX graph, or streamed
from the meetings without building one (:func:`write_graphml_events`, what ``kg build`` uses).

>>> import os, tempfile
>>> from kg.graph import to_networkx
>>> from kg.model import Actor, Event, Mention
>>> evs = [Event((Actor("A B"), Actor("C D"), Actor("E F")), None, None,
...              evidence=(Mention("a1", 0, 9, "They met <here> & there."),))]
>>> with tempfile.TemporaryDirectory() as d:
...     write_graphml_events(evs, os.path.join(d, "a.graphml"))
...     write_graphml(to_networkx(evs), os.path.join(d, "b.graphml"))
...     a, b = (nx.read_graphml(os.path.join(d, f), force_multigraph=True) for f in ("a.graphml", "b.graphml"))
>>> nx.utils.graphs_equal(a, b), sorted({d["sentence"] for *_, d in a.edges(data=True)})
(True, ['They met <here> & there.'])
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from kg.export.atomic import atomic_write
from kg.model import Event

NODE_KEYS = {"label": "string", "kind": "string", "country": "string", "role": "string", "wikidata": "string",
             "meetings": "long"}
EDGE_KEYS = {"meeting": "string", "status": "string", "mode": "string", "participants": "long", "sources": "long",
             "date": "string", "precision": "string", "place": "string", "place_id": "string", "sentence": "string",
             "article": "string"}
"""The attributes of :func:`kg.graph.to_networkx`, declared in every streamed file."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>]")
"""What :func:`_text` changes: characters XML does not allow, and those it escapes."""


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


def _text(value: object) -> str:
    text = str(value)
    if _SPECIAL.search(text) is None:  # most values: one search instead of a substitution and three replaces
        return text
    return escape(_NOT_XML.sub("", text))


def _data(f: IO[str], ids: dict[str, str], attrs: dict[str, Any], indent: str) -> None:
    for key, value in attrs.items():
        if value is not None:
            f.write(f'{indent}<data key="{ids[key]}">{_text(value)}</data>\n')


def write_graphml_events(events: Iterable[Event], path: str | os.PathLike[str]) -> None:
    """Write the GraphML of ``to_networkx(events)`` without holding the graph: the same nodes,
    edges and attributes (every attribute key is declared, used or not).

    Memory holds the actors, and the ids of meetings that may share one (all of them unless
    ``events`` is :class:`kg.spill.SpilledEvents`, which noted those while merging: usually
    none); each meeting's edges go to a scratch file beside ``path`` until the nodes, which come
    first in the file, are complete. A failure leaves any previous file intact.

    Args:
        events: The meetings, merged (iterated once).
        path: The ``.graphml`` file to write.
    """
    from kg.graph import ActorNodes, meeting_edges
    from kg.spill import id_hash

    target = Path(path)
    actors = ActorNodes()
    counts: dict[str, int] = {}  # meetings per node
    seen: set[str] = set()  # ids that may come twice
    shared = events.shared_id_hashes() if hasattr(events, "shared_id_hashes") else None
    meetings = 0
    extra: dict[str, int] = {}  # sources of a meeting given twice, added to its edges
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=target.parent) as edges:
        for event in events:
            mid, ids, edge, n_sources = meeting_edges(event, actors)
            if shared is None or event.id is None or id_hash(event.id) in shared:
                if mid in seen:
                    extra[mid] = extra.get(mid, 0) + n_sources
                    continue
                seen.add(mid)
            meetings += 1
            for node in ids:
                counts[node] = counts.get(node, 0) + 1
            for i, u in enumerate(ids):
                for v in ids[i + 1 :]:
                    edges.write(json.dumps([u, v, edge], ensure_ascii=False))
                    edges.write("\n")
        edges.seek(0)
        keys = [("graph", "meetings", "long")] + [("node", k, t) for k, t in NODE_KEYS.items()] + [
            ("edge", k, t) for k, t in EDGE_KEYS.items()]
        node_ids = {k: f"d{i}" for i, (kind, k, _) in enumerate(keys) if kind == "node"}
        edge_ids = {k: f"d{i}" for i, (kind, k, _) in enumerate(keys) if kind == "edge"}
        with atomic_write(target, "w") as f:
            f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
            for i, (kind, name, typ) in enumerate(keys):
                f.write(f'<key id="d{i}" for="{kind}" attr.name="{name}" attr.type="{typ}"/>\n')
            f.write(f'<graph edgedefault="undirected"><data key="d0">{meetings}</data>\n')
            for node, attrs in actors.attrs.items():
                f.write(f"<node id={quoteattr(_NOT_XML.sub('', node))}>\n")
                _data(f, node_ids, {**attrs, "meetings": counts.get(node)}, "  ")
                f.write("</node>\n")
            for line in edges:
                u, v, edge = json.loads(line)
                if edge["meeting"] in extra:
                    edge["sources"] += extra[edge["meeting"]]
                f.write(f"<edge source={quoteattr(u)} target={quoteattr(v)} id={quoteattr(edge['meeting'])}>\n")
                _data(f, edge_ids, edge, "  ")
                f.write("</edge>\n")
            f.write("</graph></graphml>\n")


__all__ = ["EDGE_KEYS", "NODE_KEYS", "write_graphml", "write_graphml_events"]
