"""graph.graphml streamed from the meetings is the graph networkx would write."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
from export_samples import HOSTILE

from kg.export.graphml import write_graphml, write_graphml_events
from kg.graph import to_networkx
from kg.model import Actor, Event, Mention, PartialDate, Place


def events(seed: int) -> list[Event]:
    rng = random.Random(seed)
    people = [Actor(f"Person {i}", country=rng.choice(["US", "ID", None]), role=rng.choice([None, "President"]))
              for i in range(12)] + [Actor(HOSTILE, country="RU")]
    out = []
    for i in range(60):
        who = tuple(rng.sample(people, rng.choice([2, 2, 3, 4])))
        out.append(Event(who, rng.choice([None, Place("Geneva", country="CH", venue=HOSTILE)]),
                         rng.choice([None, PartialDate(2025, 2), PartialDate(2025, 2, rng.randint(1, 9))]),
                         rng.choice(["occurred", "planned"]), "in-person",
                         evidence=tuple(Mention(f"a{i}-{k}", k, k + 5, f"{HOSTILE} met {i}") for k in range(rng.randint(0, 3)))))
    out.append(out[3])  # a meeting given twice: its edges gain the sources
    return out


def read(path: Path) -> nx.MultiGraph:
    return nx.read_graphml(path, force_multigraph=True)


def test_streamed_graphml_reads_back_as_the_networkx_one(tmp_path: Path) -> None:
    for seed in (1, 2):
        evs = events(seed)
        write_graphml_events(iter(evs), tmp_path / "stream.graphml")
        write_graphml(to_networkx(evs), tmp_path / "nx.graphml")
        a, b = read(tmp_path / "stream.graphml"), read(tmp_path / "nx.graphml")
        assert a.number_of_edges() > 60 and a.graph["meetings"] == b.graph["meetings"] >= 55
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        key = lambda u, v, k: (min(u, v), max(u, v), k)  # noqa: E731
        assert ({key(u, v, k): d for u, v, k, d in a.edges(keys=True, data=True)}
                == {key(u, v, k): d for u, v, k, d in b.edges(keys=True, data=True)})
        assert any(HOSTILE in d.get("sentence", "") for *_, d in a.edges(data=True))


def test_no_meetings_is_an_empty_graph(tmp_path: Path) -> None:
    write_graphml_events([], tmp_path / "g.graphml")
    g = read(tmp_path / "g.graphml")
    assert g.number_of_nodes() == 0 and g.graph["meetings"] == 0


def test_control_characters_are_dropped_not_fatal(tmp_path: Path) -> None:
    # lxml, under nx.write_graphml, refuses them outright; an article may hold one
    evs = [Event((Actor("Ann\x01 Lee"), Actor("Bo Tan")), None, None, evidence=(Mention("a", 0, 3, "met\x0b\x00"),))]
    write_graphml_events(evs, tmp_path / "g.graphml")
    g = read(tmp_path / "g.graphml")
    assert sorted(d["label"] for _, d in g.nodes(data=True)) == ["Ann Lee", "Bo Tan"]
    assert [d["sentence"] for *_, d in g.edges(data=True)] == ["met"]


def test_meetings_sharing_an_id_read_back_from_disk_in_another_process(tmp_path: Path) -> None:
    """Undated meetings of the same two people in different articles are kept apart with one id.
    The merge notes such ids while merging (as hashes that every process computes alike), so
    the writer tracks only those: the file written beside the main process from the merge's
    scratch files is the one written here from a list, where every id is tracked."""
    from kg.parallel import beside
    from kg.spill import merge_spilled

    ann, bo, cy = Actor("Ann Lee", country="US"), Actor("Bo Tan", country="ID"), Actor("Cy Ray")
    mentions = [Event((ann, bo), None, None, evidence=(Mention(f"u{i}", 0, 12, "Ann met Bo."),)) for i in range(3)]
    mentions += [Event((ann, cy), None, PartialDate(2025, 3, i + 1), evidence=(Mention(f"v{i}", 0, 12, "Ann met Cy."),))
                 for i in range(5)]
    with merge_spilled(iter(mentions), folder=tmp_path, in_memory=0) as spilled:
        listed = list(spilled)
        assert len(listed) > len({e.id for e in listed}) and spilled.shared_id_hashes()  # some ids are shared
        write_graphml_events(listed, tmp_path / "list.graphml")
        beside(write_graphml_events, spilled, tmp_path / "beside.graphml").result()
    assert (tmp_path / "beside.graphml").read_bytes() == (tmp_path / "list.graphml").read_bytes()
    assert read(tmp_path / "list.graphml").graph["meetings"] == len({e.id for e in listed})
