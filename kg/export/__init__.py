"""The writers: every file kg produces is written by a module of this package.

Each writer goes through :func:`kg.export.atomic.atomic_write`, so a failed run never
leaves a half-written file behind. Names are imported lazily (``kg.export.jsonl`` alone
does not pull in networkx, rdflib or pyvis).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_API = {
    "atomic_write": "kg.export.atomic",
    "generate_events": "kg.export.jsonl",
    "parse_events": "kg.export.jsonl",
    "read_events": "kg.export.jsonl",
    "write_events": "kg.export.jsonl",
    "write_turtle": "kg.export.turtle",
    "write_graphml": "kg.export.graphml",
    "render_html": "kg.export.html",
    "write_html": "kg.export.html",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'kg.export' has no attribute {name!r}")
