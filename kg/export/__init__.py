"""The writers: every file kg produces is written by a module of this package.

Each writer goes through :func:`kg.export.atomic.atomic_write`, so a failed run never
leaves a half-written file behind.
"""

from __future__ import annotations

from kg.export.atomic import atomic_write
from kg.export.graphml import write_graphml
from kg.export.html import render_html, write_html
from kg.export.jsonl import generate_events, parse_events, read_events, write_events
from kg.export.turtle import write_turtle

__all__ = [
    "atomic_write",
    "generate_events",
    "parse_events",
    "read_events",
    "render_html",
    "write_events",
    "write_graphml",
    "write_html",
    "write_turtle",
]
