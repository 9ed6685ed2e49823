"""Write every output of a build into one directory, all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kg.model import Event

OUTPUTS = {
    "events": "events.jsonl",
    "turtle": "graph.ttl",
    "graphml": "graph.graphml",
    "html": "graph.html",
}


def write_all(events: Sequence[Event], out: Path) -> dict[str, Path]:
    """Write events.jsonl, graph.ttl, graph.graphml and graph.html into ``out``.

    Every file is first written into a scratch folder inside ``out``; only when all of them are
    complete are they moved into place, so an interrupted or failed build leaves the previous
    outputs as they were and no half-written file behind.

    Returns:
        The path of each output by kind.
    """
    from kg.export.graphml import write_graphml
    from kg.export.html import write_html
    from kg.export.jsonl import write_events
    from kg.export.turtle import write_turtle
    from kg.graph import to_networkx
    from kg.rdf.build import to_rdf

    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out))
    try:
        tmp = {kind: scratch / name for kind, name in OUTPUTS.items()}
        write_events(events, tmp["events"])
        write_turtle(to_rdf(events), tmp["turtle"])
        write_graphml(to_networkx(events), tmp["graphml"])
        write_html(events, tmp["html"])
        final = {kind: out / name for kind, name in OUTPUTS.items()}
        for kind in OUTPUTS:
            os.replace(tmp[kind], final[kind])
        return final
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


__all__ = ["OUTPUTS", "write_all"]
