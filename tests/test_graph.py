"""kg.graph: the who-met-whom multigraph, and its GraphML export."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.export.graphml import write_graphml
from kg.graph import meeting_id, to_networkx
from kg.ids import actor_iri, event_iri, place_iri
from kg.model import Actor, Event, Mention, PartialDate, Place

LAVROV = Actor("Sergei Lavrov", country="RU", role="Foreign Minister")
RUBIO = Actor("Marco Rubio", country="US")
WANG = Actor("Wang Yi", country="CN")
UN = Actor("United Nations", type="organization")


def _event(*who: Actor, date: PartialDate | None = None, **kw: object) -> Event:
    kw.setdefault("evidence", (Mention("art-1", 0, 20, f"{who[0].name} met {who[1].name}."),))
    return Event(participants=who, location=kw.pop("location", None), date=date, **kw)  # type: ignore[arg-type]


def test_a_meeting_of_three_is_three_edges() -> None:
    e = _event(LAVROV, RUBIO, WANG, date=PartialDate(2025, 9, 24))
    G = to_networkx([e])
    assert isinstance(G, nx.MultiGraph) and not G.is_directed()
    assert set(G.nodes) == {actor_iri(LAVROV), actor_iri(RUBIO), actor_iri(WANG)}
    assert G.number_of_edges() == 3
    assert {frozenset((u, v)) for u, v in G.edges()} == {
        frozenset((actor_iri(LAVROV), actor_iri(RUBIO))),
        frozenset((actor_iri(LAVROV), actor_iri(WANG))),
        frozenset((actor_iri(RUBIO), actor_iri(WANG))),
    }
    assert {k for *_, k in G.edges(keys=True)} == {event_iri(e)}
    assert all(d["participants"] == 3 for *_, d in G.edges(data=True))


def test_node_attributes_and_meeting_counts() -> None:
    events = [
        _event(LAVROV, RUBIO, date=PartialDate(2025, 9, 24)),
        _event(LAVROV, WANG, date=PartialDate(2025, 10)),
        _event(LAVROV, UN, date=PartialDate(2024)),
    ]
    G = to_networkx(events)
    lavrov = G.nodes[actor_iri(LAVROV)]
    assert lavrov == {
        "label": "Sergei Lavrov",
        "kind": "person",
        "country": "RU",
        "role": "Foreign Minister",
        "meetings": 3,
    }
    assert G.nodes[actor_iri(RUBIO)]["meetings"] == 1
    assert G.nodes[actor_iri(UN)] == {"label": "United Nations", "kind": "organization", "meetings": 1}
    assert G.graph["meetings"] == 3


def test_repeated_meetings_are_parallel_edges() -> None:
    events = [
        _event(LAVROV, RUBIO, date=PartialDate(2025, 2, 18)),
        _event(LAVROV, RUBIO, date=PartialDate(2025, 9, 24)),
    ]
    G = to_networkx(events)
    assert G.number_of_edges(actor_iri(LAVROV), actor_iri(RUBIO)) == 2
    assert sorted(d["date"] for *_, d in G.edges(data=True)) == ["2025-02-18", "2025-09-24"]
    assert G.nodes[actor_iri(RUBIO)]["meetings"] == 2


def test_edge_attributes_are_plain_values() -> None:
    place = Place("New York City", country="US", geonames=5128581)
    e = _event(
        LAVROV,
        RUBIO,
        date=PartialDate(2025, 9),
        location=place,
        status="planned",
        mode="remote",
        evidence=(
            Mention("art-1", 0, 30, "Lavrov will call Rubio next month."),
            Mention("art-2", 5, 40, "A call between them is planned."),
            Mention("art-1", 0, 30, "Lavrov will call Rubio next month."),
        ),
    )
    G = to_networkx([e])
    ((_, _, data),) = G.edges(data=True)
    assert data == {
        "meeting": event_iri(e),
        "date": "2025-09",
        "precision": "month",
        "place": "New York City",
        "place_id": place_iri(place),
        "status": "planned",
        "mode": "remote",
        "participants": 2,
        "sources": 2,
        "sentence": "Lavrov will call Rubio next month.",
        "article": "art-1",
    }
    for _, attrs in G.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in attrs.values())


def test_missing_values_are_left_out_not_none() -> None:
    G = to_networkx([_event(Actor("A B"), Actor("C D"), evidence=())])
    ((_, _, data),) = G.edges(data=True)
    assert "date" not in data and "place" not in data and "sentence" not in data
    assert data["sources"] == 0
    assert all(v is not None for _, d in G.nodes(data=True) for v in d.values())


def test_duplicate_participant_makes_no_self_loop() -> None:
    G = to_networkx([_event(LAVROV, RUBIO, LAVROV)])
    assert nx.number_of_selfloops(G) == 0
    assert G.number_of_edges() == 1
    assert G.nodes[actor_iri(LAVROV)]["meetings"] == 1


def test_meeting_id_prefers_event_id() -> None:
    e = _event(LAVROV, RUBIO)
    assert meeting_id(e) == event_iri(e)
    assert meeting_id(e.with_(id="https://w3id.org/kg/id/meeting/x")) == "https://w3id.org/kg/id/meeting/x"


def test_graphml_round_trip(tmp_path: Path) -> None:
    events = [
        _event(LAVROV, RUBIO, WANG, date=PartialDate(2025, 9, 24), location=Place("New York City")),
        _event(LAVROV, UN, evidence=()),
    ]
    G = to_networkx(events)
    path = tmp_path / "graph.graphml"
    write_graphml(G, path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(G.nodes)
    assert back.number_of_edges() == G.number_of_edges() == 4
    assert dict(back.nodes[actor_iri(LAVROV)]) == dict(G.nodes[actor_iri(LAVROV)])
    assert sorted(d.get("date", "") for *_, d in back.edges(data=True)) == [
        "",
        "2025-09-24",
        "2025-09-24",
        "2025-09-24",
    ]
    assert back.graph["meetings"] == 2


def test_graphml_drops_none_and_rejects_nothing_else(tmp_path: Path) -> None:
    G = nx.MultiGraph()
    G.add_node("a", label="A", country=None)
    G.add_edge("a", "b", date=None, status="occurred")
    write_graphml(G, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert dict(back.nodes["a"]) == {"label": "A"}
    assert G.nodes["a"]["country"] is None  # the caller's graph is not changed


@pytest.mark.parametrize("n", [0, 1])
def test_empty_inputs(n: int) -> None:
    G = to_networkx([_event(LAVROV, RUBIO)] * n)
    assert G.number_of_nodes() == 2 * n
    assert G.graph["meetings"] == n
