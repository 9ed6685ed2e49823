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
