"""The writers: every file kg produces is written by a module of this package.

Each writer goes through :func:`kg.export.atomic.atomic_write`, so a failed run never
leaves a half-written file behind. Names are imported lazily (``kg.export.jsonl`` alone
does not pull in networkx, rdflib or pyvis).
"""

from __future__ import annotations

from kg._lazy import lazy_exports

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


__getattr__ = lazy_exports('kg.export', _API)
