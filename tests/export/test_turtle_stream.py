"""graph.ttl written batch by batch holds the same graph as rdflib's whole-graph build."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from kg.export.turtle import write_turtle
from kg.export.turtle_stream import write_turtle_stream
from kg.ingest import read_articles
from kg.pipeline import build
from kg.rdf.build import to_rdf

ROOT = Path(__file__).resolve().parents[2]


def test_batches_give_the_graph_of_to_rdf_with_shared_actors_described_once(tmp_path: Path) -> None:
    events = build(read_articles([ROOT / "data"]))
    assert len(events) > 3
    path = tmp_path / "graph.ttl"
    write_turtle_stream(events, path, batch=2)
    text = path.read_text(encoding="utf-8")
    assert text.count("@prefix kg:") == 1
    write_turtle(to_rdf(events), tmp_path / "whole.ttl")  # the whole graph at once, as before
    got, want = Graph().parse(path), Graph().parse(tmp_path / "whole.ttl")
    _, only_got, only_want = graph_diff(got, want)
    assert isomorphic(got, want), (sorted(only_got)[:5], sorted(only_want)[:5])
    assert len(got) == len(want)


def test_no_meetings_is_an_empty_graph(tmp_path: Path) -> None:
    write_turtle_stream([], tmp_path / "g.ttl")
    assert len(Graph().parse(tmp_path / "g.ttl")) == 0


def test_parts_written_apart_join_into_the_whole_graph(tmp_path: Path, monkeypatch) -> None:
    import kg.export.outputs as outputs
    from kg.spill import merge_spilled

    events = build(read_articles([ROOT / "data"]))
    write_turtle(to_rdf(events), tmp_path / "whole.ttl")
    want = Graph().parse(tmp_path / "whole.ttl")
    write_turtle_stream(events, tmp_path / "a.ttl", batch=2, part=(0, 4))
    write_turtle_stream(events, tmp_path / "b.ttl", batch=2, part=(4, len(events)))
    b = (tmp_path / "b.ttl").read_text(encoding="utf-8")
    assert "@prefix" not in b and "PREFIX" not in b  # the second part leans on the first's prefixes
    joined = (tmp_path / "a.ttl").read_text(encoding="utf-8") + b
    assert isomorphic(Graph().parse(data=joined, format="turtle"), want)

    monkeypatch.setattr(outputs, "TURTLE_SPLIT", 2)  # write_all: two processes, joined
    reported: list[int] = []
    with merge_spilled(events, folder=tmp_path, in_memory=0) as spilled:  # read back by position
        outputs.write_all(spilled, tmp_path / "out", progress=reported.append)
    # the two halves' reports (one a batch), summed as they come: up to every meeting
    assert reported[-1] == len(events) and reported == sorted(reported) and len(reported) >= 2
    got = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert isomorphic(got, want) and len(got) == len(want)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["events.jsonl", "graph.graphml", "graph.html",
                                                                     "graph.ttl"]
    monkeypatch.setattr(outputs, "TURTLE_SPLIT", 10**9)  # graph.graphml and graph.html written here instead
    outputs.write_all(events, tmp_path / "here")
    for name in ("events.jsonl", "graph.graphml", "graph.html"):  # beside or here, the same files
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "here" / name).read_bytes(), name


def test_a_writer_failing_beside_keeps_the_previous_outputs(tmp_path: Path, monkeypatch) -> None:
    import pytest

    import kg.export.outputs as outputs

    events = build(read_articles([ROOT / "data"]))
    out = tmp_path / "out"
    outputs.write_all(events, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(outputs, "TURTLE_SPLIT", 2)  # every file but events.jsonl written by processes beside
    bad = [*events[:-1], events[-1].with_(id="https://example.org/meeting#1")]  # graph.ttl's writer refuses it
    with pytest.raises(ValueError, match="fragment"):
        outputs.write_all(bad, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no scratch folder, nothing changed


def test_text_and_iris_that_need_escaping_survive_the_turtle_writer(tmp_path: Path) -> None:
    """graph.ttl's Turtle is written by kg from N-Triples terms: quotes, backslashes, line breaks,
    non-Latin text, language tags and IRIs whose local names cannot be prefixed names all read
    back (with rdflib and with pyoxigraph) as the graph of to_rdf."""
    import pyoxigraph as ox

    from kg.model import Actor, Event, Mention, PartialDate, Place

    text = 'Lavrov said "we met" \\ then:\nline two\ttab – Лавров, 拉夫罗夫 😀'
    ids = ["https://w3id.org/kg/id/meeting/ends-with-dot.", "https://w3id.org/kg/id/meeting/a(b)~c%20d",
           "https://w3id.org/kg/id/meeting/-leading-dash", "https://example.org/other/x", "urn:kg:meeting:1"]
    events = [
        Event((Actor("Sergei Lavrov", country="RU", role='Minister "of" Foreign Affairs'), Actor("Marco Rubio")),
              Place("New York", country="US", lat=40.7128, lon=-74.006, aliases=("NYC", "Nueva York")),
              PartialDate(2025, 9, i + 1) if i % 2 else PartialDate(2025, 9), "occurred", "in-person",
              evidence=(Mention(f"article {i}/é", i, i + 5, text, lang="ru" if i % 2 else "EN-gb",
                                url=f"https://example.org/news?id={i}&x=\"y\"", published="2025-09-24",
                                roles=(("Sergei Lavrov", "Foreign Minister"),)),),
              id=iri)
        for i, iri in enumerate(ids)
    ]
    path = tmp_path / "g.ttl"
    write_turtle_stream(events, path, batch=2)
    want = to_rdf(events)
    got = Graph().parse(path)
    assert isomorphic(got, want) and len(got) == len(want)
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(want)
    assert {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/kg/ontology#text"), None)} == {text}
    assert "meeting:ends-with-dot." not in path.read_text(encoding="utf-8")  # written in full, not as a prefixed name
