"""Write a file all at once or not at all.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_write(d / "out.txt") as f:
...     _ = f.write("hello\\n")
>>> (d / "out.txt").read_text()
'hello\\n'
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

WriteMode = Literal["w", "wt", "wb"]


def _open_temp(target: Path) -> tuple[Path, int]:
    """Create a new, empty temp file beside ``target`` (``O_EXCL``, umask-respecting)."""
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
        return tmp, fd
    raise FileExistsError(f"could not create a temporary file beside {target}")  # pragma: no cover


@contextmanager
def atomic_write(
    path: str | os.PathLike[str], mode: WriteMode = "w", *, encoding: str = "utf-8"
) -> Iterator[IO[Any]]:
    """Open a temp file beside ``path``; on success move it over ``path`` in one step.

    The temp file lives in the same directory (so ``os.replace`` is an atomic rename on
    the same file system), is flushed and fsynced before the rename, and gets the mode of
    the file it replaces (or the usual umask-derived mode for a new file). If the block
    raises, anything at all, the temp file is removed and ``path`` is left as it was:
    no half-written output ever exists under the final name.

    Args:
        path: The file to write. Its directory must exist.
        mode: ``"w"``/``"wt"`` for text (newlines written as ``"\\n"`` on every platform)
            or ``"wb"`` for bytes.
        encoding: The text encoding (ignored for ``"wb"``).

    Returns:
        A context manager yielding the open temp file.

    Raises:
        ValueError: ``mode`` is not a write mode.
        FileNotFoundError: The directory of ``path`` does not exist.
    """
    if mode not in ("w", "wt", "wb"):
        raise ValueError(f"atomic_write mode must be 'w', 'wt' or 'wb', got {mode!r}")
    target = Path(path)
    tmp, fd = _open_temp(target)
    try:
        if mode == "wb":
            f: IO[Any] = os.fdopen(fd, "wb")
        else:
            f = os.fdopen(fd, "w", encoding=encoding, newline="")
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    try:
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        except FileNotFoundError:
            pass
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


__all__ = ["WriteMode", "atomic_write"]
