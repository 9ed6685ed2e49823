"""Events to a NetworkX who-met-whom graph: actors as nodes, one edge per pair per meeting.

A meeting of three actors gives three edges (one per pair), all keyed by the meeting's
IRI. Every attribute is a plain ``str``, ``int`` or ``bool`` (missing values are left out
rather than set to ``None``), so the graph can be written as GraphML as it is.

>>> from kg.model import Actor, Event, Mention
>>> G = to_networkx([Event((Actor("A B"), Actor("C D"), Actor("E F")), None, None,
...                        evidence=(Mention("a1", 0, 9, "They met."),))])
>>> G.number_of_nodes(), G.number_of_edges()
(3, 3)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.ids import actor_iri, event_iri, place_iri
from kg.model import Actor, Event, Place


def meeting_id(event: Event) -> str:
    """The meeting's identifier: ``event.id`` when merge set it, else the derived IRI.

    Args:
        event: The event.

    Returns:
        An IRI string (the same one :func:`kg.rdf.build.to_rdf` uses for the meeting node).
    """
    return event.id or event_iri(event)


def place_label(place: Place) -> str:
    """A short human-readable name for a place: ``"venue, name"`` or ``"name"``.

    Args:
        place: The place.

    Returns:
        The label.

    >>> place_label(Place("New York City", venue="UN Headquarters"))
    'UN Headquarters, New York City'
    """
    if place.venue and place.venue != place.name:
        return f"{place.venue}, {place.name}"
    return place.name


def _put(attrs: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != "":
        attrs[key] = value


def to_networkx(events: Iterable[Event]) -> nx.MultiGraph:
    """Build the who-met-whom multigraph of a set of meetings.

    Args:
        events: The meetings, merged (one ``Event`` per real-world meeting).

    Returns:
        An undirected ``nx.MultiGraph``. Nodes are actor IRIs (``kg.ids.actor_iri``) in
        order of first appearance, with ``label`` (the name first seen), ``kind``
        (``person``, ``country`` or ``organization``), ``country`` and ``role`` (first seen,
        when known), ``wikidata`` (when known) and ``meetings`` (the number of distinct
        meetings). Each pair of participants of a meeting gets one edge whose key is the
        meeting IRI, with ``meeting``, ``date`` (ISO, when known), ``precision``,
        ``place`` and ``place_id`` (when known), ``status``, ``mode``, ``participants``
        (the meeting's size), ``sources`` (the number of source sentences), and ``sentence``
        and ``article`` (the first source's text and article id, when there is one). A
        second event with the same meeting IRI adds its sources to the same edges.
        ``G.graph["meetings"]`` is the number of distinct meetings.
    """
    G = nx.MultiGraph()
    meetings_of: dict[str, set[str]] = {}
    all_meetings: set[str] = set()
    actors = ActorNodes()

    for event in events:
        mid, ids, edge, n_sources = meeting_edges(event, actors)
        all_meetings.add(mid)
        for node in ids:
            if node not in G:
                G.add_node(node)  # nodes in order of first appearance
            meetings_of.setdefault(node, set()).add(mid)
        for i, u in enumerate(ids):
            for v in ids[i + 1 :]:
                if G.has_edge(u, v, key=mid):
                    G.edges[u, v, mid]["sources"] += n_sources
                else:
                    G.add_edge(u, v, key=mid, **edge)

    for node, attrs in actors.attrs.items():
        G.nodes[node].update(attrs)
    for node, mids in meetings_of.items():
        G.nodes[node]["meetings"] = len(mids)
    G.graph["meetings"] = len(all_meetings)
    return G


class ActorNodes:
    """The actors met so far, each once: its IRI and node attributes (``label``, ``kind``, and
    ``country``, ``role``, ``wikidata`` when known; later mentions fill what earlier ones lacked)."""

    def __init__(self) -> None:
        self.attrs: dict[str, dict[str, Any]] = {}
        self._iris: dict[Actor, str] = {}  # slugging names is the costly part; actors recur

    def node(self, actor: Actor) -> str:
        node = self._iris.get(actor) or self._iris.setdefault(actor, actor_iri(actor))
        data = self.attrs.get(node)
        if data is None:
            data = self.attrs[node] = {"label": actor.name, "kind": actor.type}
            _put(data, "country", actor.country)
            _put(data, "role", actor.role)
            _put(data, "wikidata", actor.wikidata)
        else:  # fill what the first mention of this actor did not know
            for key, value in (("country", actor.country), ("role", actor.role)):
                if key not in data:
                    _put(data, key, value)
        return node


def meeting_edges(event: Event, actors: ActorNodes) -> tuple[str, list[str], dict[str, Any], int]:
    """One meeting as graph edges: its id, its participants' nodes (in order, each once), the
    attributes of the edge every pair of them gets, and its number of distinct sources."""
    mid = meeting_id(event)
    ids: list[str] = []
    for actor in event.participants:
        node = actors.node(actor)
        if node not in ids:
            ids.append(node)
    sources = []
    seen: set[tuple[str, int, int]] = set()
    for m in event.evidence:
        if (m.article_id, m.start, m.end) not in seen:
            seen.add((m.article_id, m.start, m.end))
            sources.append(m)
    edge: dict[str, Any] = {
        "meeting": mid,
        "status": event.status,
        "mode": event.mode,
        "participants": len(ids),
        "sources": len(sources),
    }
    if event.date is not None:
        edge["date"] = event.date.iso()
        edge["precision"] = event.date.precision
    if event.location is not None:
        edge["place"] = place_label(event.location)
        edge["place_id"] = place_iri(event.location)
    if sources:
        edge["sentence"] = sources[0].text
        edge["article"] = sources[0].article_id
    return mid, ids, edge, len(sources)


__all__ = ["ActorNodes", "meeting_edges", "meeting_id", "place_label", "to_networkx"]
