"""Write every output of a build into one directory, each file atomically."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kg.model import Event


def write_all(events: Sequence[Event], out: Path) -> dict[str, Path]:
    """Write events.jsonl, graph.ttl, graph.graphml and graph.html into ``out``.

    Each file is written to a temporary file and renamed, so an interrupted build leaves the
    previous outputs intact.

    Returns:
        The path of each output by kind.
    """
    from kg.export.html import write_html

    from kg.export.graphml import write_graphml
    from kg.export.jsonl import write_events
    from kg.export.turtle import write_turtle
    from kg.graph import to_networkx
    from kg.rdf.build import to_rdf

    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "events": out / "events.jsonl",
        "turtle": out / "graph.ttl",
        "graphml": out / "graph.graphml",
        "html": out / "graph.html",
    }
    write_events(events, paths["events"])
    write_turtle(to_rdf(events), paths["turtle"])
    write_graphml(to_networkx(events), paths["graphml"])
    write_html(events, paths["html"])
    return paths
