"""kg.export.jsonl: events round-trip through JSON Lines; bad lines are named file:line."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.export.jsonl import generate_events, parse_events, read_events, write_events
from kg.model import Event


def test_round_trip(events: list[Event], tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    assert write_events(events, path) == 3
    back = list(read_events(path))
    assert back == events
    assert [e.evidence for e in back] == [e.evidence for e in events]


def test_one_object_per_line_unicode_kept(events: list[Event], tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_events(events, path)
    raw = path.read_bytes()
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 4  # newline-terminated, nothing else
    assert all(isinstance(json.loads(line), dict) for line in lines[:-1])
    assert "“segera”" in raw.decode("utf-8")  # not \u escaped


def test_generate_and_parse_without_files(events: list[Event]) -> None:
    lines = list(generate_events(events))
    assert len(lines) == 3 and not any("\n" in line for line in lines)
    assert list(parse_events(lines)) == events


def test_open_files(events: list[Event]) -> None:
    buf = io.StringIO()
    write_events(events, buf)
    buf.seek(0)
    assert list(read_events(buf)) == events


def test_blank_lines_skipped_and_numbers_kept(events: list[Event], tmp_path: Path) -> None:
    lines = list(generate_events(events[:2]))
    path = tmp_path / "events.jsonl"
    path.write_text(f'\n{lines[0]}\n   \n{lines[1]}\n{{"participants": []}}\n', encoding="utf-8")
    it = read_events(path)
    assert next(it) == events[0]
    assert next(it) == events[1]
    with pytest.raises(InputError) as err:
        next(it)
    assert str(err.value) == f"{path}:5: not a valid event: a meeting needs at least two participants"
    assert err.value.line == 5


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "{not json",
            "not valid JSON (Expecting property name enclosed in double quotes); expected JSON Lines",
        ),
        ('[{"participants": []}]', 'expected a JSON object with at least "participants", got a JSON array'),
        ("[1, 2", "expected JSON Lines, one event per line; is this a JSON array?"),
        ('"text"', 'expected a JSON object with at least "participants", got str'),
        ('{"id": "x"}', "not a valid event: missing field 'participants'"),
        (
            '{"participants": [{"name": "A"}, {"name": "B"}], "status": "maybe"}',
            "not a valid event: unknown status 'maybe'",
        ),
        ('{"participants": [{"name": "A"}, {"name": "B"}], "date": "24/9"}', "not a valid event: not a YYYY"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    good = '{"participants": [{"name": "A"}, {"name": "B"}]}'
    path.write_text(f"{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(read_events(path))
    assert str(err.value).startswith(f"{path}:2: {message}")


def test_failed_write_keeps_previous_file(events: list[Event], tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_events(events[:1], path)
    before = path.read_bytes()

    def broken() -> Iterator[Event]:
        yield events[1]
        raise RuntimeError("extraction crashed")

    with pytest.raises(RuntimeError, match="extraction crashed"):
        write_events(broken(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["events.jsonl"]
