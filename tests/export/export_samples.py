"""Strings for the export tests."""

from __future__ import annotations

#: A participant name that would run script if pasted into HTML unescaped.
HOSTILE = "<img src=x onerror=alert(1)>"
