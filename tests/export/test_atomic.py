"""kg.export.atomic: all or nothing, never a half-written file, never a stray temp file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kg.export.atomic import atomic_write


def _listing(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def test_writes_text(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    with atomic_write(path) as f:
        f.write("première ligne\n")
        f.write("second\n")
    assert path.read_text(encoding="utf-8") == "première ligne\nsecond\n"
    assert _listing(tmp_path) == ["out.txt"]


def test_writes_bytes(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    with atomic_write(path, "wb") as f:
        f.write(b"\x00\x01\r\n")
    assert path.read_bytes() == b"\x00\x01\r\n"


def test_nothing_visible_until_done(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    with atomic_write(path) as f:
        f.write("new")
        f.flush()
        assert path.read_text(encoding="utf-8") == "old"
        temps = [n for n in _listing(tmp_path) if n != "out.txt"]
        assert len(temps) == 1 and temps[0].startswith(".out.txt.") and temps[0].endswith(".tmp")
    assert path.read_text(encoding="utf-8") == "new"
    assert _listing(tmp_path) == ["out.txt"]


def test_exception_mid_write_keeps_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("previous content\n", encoding="utf-8")
    with pytest.raises(ValueError, match="boom"):
        with atomic_write(path) as f:
            f.write("half of the new")
            raise ValueError("boom")
    assert path.read_text(encoding="utf-8") == "previous content\n"
    assert _listing(tmp_path) == ["graph.ttl"]


def test_exception_on_new_file_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with atomic_write(tmp_path / "new.txt", "wb") as f:
            f.write(b"partial")
            raise RuntimeError
    assert _listing(tmp_path) == []


def test_keyboard_interrupt_also_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(path) as f:
            f.write("new")
            raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == "old"
    assert _listing(tmp_path) == ["out.txt"]


def test_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o640)
    with atomic_write(path) as f:
        f.write("new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_file_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "out.txt") as f:
            f.write("x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o644


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        with atomic_write(tmp_path / "missing" / "out.txt") as f:
            f.write("x")
    assert _listing(tmp_path) == []


@pytest.mark.parametrize("mode", ["r", "a", "w+", "x"])
def test_rejects_non_write_modes(tmp_path: Path, mode: str) -> None:
    with pytest.raises(ValueError, match="mode must be"):
        with atomic_write(tmp_path / "out.txt", mode):  # type: ignore[arg-type]
            pass
    assert _listing(tmp_path) == []
