"""Events as JSON Lines: one ``Event.to_dict()`` object per line, and back.

Writers and readers come in pairs, the networkx way: ``generate_events`` yields lines
under ``write_events``, and ``parse_events`` reads lines under ``read_events``.

>>> from kg.model import Actor, Event
>>> e = Event((Actor("A B"), Actor("C D")), None, None)
>>> list(parse_events(generate_events([e]))) == [e]
True
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from kg.export.atomic import atomic_write
from kg.ingest import json_int
from kg.model import Event

# Message templates (errors.py has the article ones; these are about events).
MSG_EVENT_NOT_JSON = "not valid JSON ({detail}); expected JSON Lines, one event object per line"
MSG_EVENT_JSON_ARRAY = "expected JSON Lines, one event per line; is this a JSON array?"
MSG_EVENT_NOT_OBJECT = 'expected a JSON object with at least "participants", got {kind}'
MSG_EVENT_INVALID = "not a valid event: {detail}"
_UNDECODED_RE = re.compile("[\udc80-\udcff]")  # bytes that are not UTF-8, under errors="surrogateescape"


def generate_events(events: Iterable[Event]) -> Iterator[str]:
    """Serialise events, one JSON object per line.

    Args:
        events: The events.

    Returns:
        An iterator of lines without the trailing newline; non-ASCII text is kept as is.

    >>> from kg.model import Actor
    >>> next(generate_events([Event((Actor("A B"), Actor("C D")), None, None)]))[:12]
    '{"id": null,'
    """
    for event in events:
        yield json.dumps(event.to_dict(), ensure_ascii=False)


def write_events(events: Iterable[Event], path: str | os.PathLike[str] | IO[str]) -> int:
    """Write events as JSON Lines, atomically when given a path.

    Args:
        events: The events.
        path: A file path (written through :func:`kg.export.atomic.atomic_write`, so a
            failure leaves any previous file intact) or an open text file.

    Returns:
        The number of events written.
    """
    if isinstance(path, (str, os.PathLike)):
        with atomic_write(path, "w") as f:
            return _write_lines(events, f)
    return _write_lines(events, path)


def _write_lines(events: Iterable[Event], f: IO[str]) -> int:
    n = 0
    for line in generate_events(events):
        f.write(line)
        f.write("\n")
        n += 1
    return n


def parse_events(lines: Iterable[str], *, source: str = "<events>",
                 problems: list[InputError] | None = None) -> Iterator[Event]:
    """Parse JSON Lines into events, skipping blank lines.

    Args:
        lines: The lines (with or without newlines).
        source: The name to put in error messages, usually the file's path.
        problems: When given, a bad line is added to it and skipped, and the lines after it are
            still read; when not, the first bad line is raised.

    Returns:
        An iterator of events, in file order.

    Raises:
        InputError: A line is not JSON, not an object, or not a valid event; the message
            is ``source:line: ...`` with the line number an editor shows.
    """
    for lineno, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            event = _parse_event(text, source, lineno)
        except InputError as err:
            if problems is None:
                raise
            problems.append(err)
            continue
        yield event


def _parse_event(text: str, source: str, lineno: int) -> Event:
    try:
        obj: Any = json.loads(text, parse_int=json_int)
    except json.JSONDecodeError as err:
        msg = MSG_EVENT_JSON_ARRAY if text.startswith("[") else MSG_EVENT_NOT_JSON.format(detail=err.msg)
        raise InputError(source, lineno, msg) from err
    except RecursionError as err:  # json's parser recurses once per [ or {
        raise InputError(source, lineno, MSG_EVENT_NOT_JSON.format(detail="nested too deeply")) from err
    if not isinstance(obj, dict):
        kind = "a JSON array" if isinstance(obj, list) else type(obj).__name__
        raise InputError(source, lineno, MSG_EVENT_NOT_OBJECT.format(kind=kind))
    if "\\u" in text:  # an escaped lone surrogate ("\\ud800") is valid JSON but no output can hold it
        try:
            json.dumps(obj, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as err:
            raise InputError(source, lineno, MSG_EVENT_INVALID.format(detail="a lone surrogate in a string")) from err
    try:
        return Event.from_dict(obj)
    except KeyError as err:
        raise InputError(source, lineno, MSG_EVENT_INVALID.format(detail=f"missing field {err}")) from err
    except (TypeError, ValueError, AttributeError, OverflowError) as err:
        raise InputError(source, lineno, MSG_EVENT_INVALID.format(detail=str(err)[:200])) from err


def read_events(path: str | os.PathLike[str] | IO[str], *, problems: list[InputError] | None = None) -> Iterator[Event]:
    """Read events from a JSON Lines file written by :func:`write_events`.

    Args:
        path: A file path or an open text file.
        problems: When given, bad lines are added to it and skipped (see :func:`parse_events`).

    Returns:
        An iterator of events (the file is read lazily and closed at the end).

    Raises:
        InputError: A bad line, as ``path:line: message`` (unless ``problems`` is given).
    """
    if isinstance(path, (str, os.PathLike)):
        with Path(path).open(encoding="utf-8", errors="surrogateescape") as f:
            yield from parse_events(_utf8_lines(f, str(path), problems), source=str(path), problems=problems)
    else:
        yield from parse_events(path, source=getattr(path, "name", "<events>"), problems=problems)


def _utf8_lines(lines: Iterable[str], source: str, problems: list[InputError] | None) -> Iterator[str]:
    """The lines, with each one holding bytes that are not UTF-8 reported (and left out)."""
    for lineno, line in enumerate(lines, start=1):
        if _UNDECODED_RE.search(line):
            err = InputError(source, lineno, MSG_EVENT_NOT_JSON.format(detail="not valid UTF-8 text"))
            if problems is None:
                raise err
            problems.append(err)
            yield ""  # keeps the line numbers
            continue
        yield line


__all__ = ["generate_events", "parse_events", "read_events", "write_events"]
