"""Write a file, or a set of files and folders, all at once or not at all.

- :func:`atomic_write`: one file, written beside its place and moved over it in one step.
- :func:`commit`: several moves (a build's files and its store) made as one step: a journal
  is written first, and whoever next opens the folder (:func:`recover`) finishes the moves of
  a process killed half-way, so the outputs are all from one build.
- :class:`DirLock`: one writer at a time: an exclusive lock on a directory that the kernel
  drops when its holder dies; a lock that can be taken proves its last holder is gone.
- :class:`ScratchFolder` and :func:`sweep`: work in progress lives in a locked scratch folder;
  a scratch folder whose lock is free belongs to a dead process and is removed.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_write(d / "out.txt") as f:
...     _ = f.write("hello\\n")
>>> (d / "out.txt").read_text()
'hello\\n'
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import secrets
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from kg.errors import KgError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locks, so nothing is ever proved dead
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

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


# --------------------------------------------------------------------------- locks

MSG_BUSY = ("{path}: another kg process (kg build, add or remove) is writing here; "
            "wait for it to finish, then run this again")


class _Held:
    def __init__(self, fd: int) -> None:
        self.fd, self.count = fd, 1


_held: dict[str, _Held] = {}
"""The directories this process holds a lock on (by real path), with the lock's descriptor:
taking a lock this process already holds succeeds (a build's commit takes its own locks again)."""
_held_guard = threading.Lock()


def _forget_locks_in_child() -> None:
    # A forked child (an extraction worker) must not keep its parent's locks alive: if the
    # parent is killed, its locks must go with it, whatever the child does.
    global _held_guard
    _held_guard = threading.Lock()  # another thread may have held it at the fork
    for h in list(_held.values()):
        try:
            os.close(h.fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


def _flock(fd: int) -> bool | None:
    """True: the lock is ours; False: another process holds it; None: this file system has no locks."""
    if fcntl is None:  # pragma: no cover
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EACCES):
            return False
        return None  # ENOLCK, EINVAL...: locks are not supported here
    return True


class DirLock:
    """An exclusive lock on a directory, for one writer at a time (``flock`` on the directory
    itself: no lock file, and the kernel releases it when the holding process dies, however it dies).

    Taking it never waits: :meth:`acquire` says whether it was free. A process may take a lock it
    already holds (it is counted). Forked children do not inherit it. Where the file system has no
    locks, :meth:`acquire` succeeds without excluding anyone and :meth:`proves_dead` is False.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> with DirLock(d, what="the outputs"):
    ...     held_elsewhere("the same folder", d)
    False
    """

    def __init__(self, path: str | os.PathLike[str], *, what: str | None = None) -> None:
        self.path = Path(path)
        self.what = what
        self._key: str | None = None
        self.supported = True

    def acquire(self) -> bool:
        """Take the lock if it is free (or already this process's); the directory must exist."""
        key = os.path.realpath(self.path)
        with _held_guard:
            if key in _held:
                _held[key].count += 1
                self._key = key
                return True
            fd = os.open(key, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            got = _flock(fd)
            if got is False:
                os.close(fd)
                return False
            self.supported = got is True
            _held[key] = _Held(fd)
            self._key = key
            return True

    def release(self) -> None:
        if self._key is None:
            return
        with _held_guard:
            h = _held.get(self._key)
            if h is not None:
                h.count -= 1
                if h.count == 0:
                    del _held[self._key]
                    os.close(h.fd)  # closing the descriptor releases the lock
        self._key = None

    def __enter__(self) -> DirLock:
        if not self.acquire():
            raise KgError(MSG_BUSY.format(path=self.what or self.path))
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def held_elsewhere(what: str, path: str | os.PathLike[str]) -> bool:
    """True when another live process holds the lock of ``path`` (``what`` names it in logs)."""
    lock = DirLock(path)
    if lock.acquire():
        lock.release()
        return False
    log.debug("%s is locked by another process", what)
    return True


@contextmanager
def writer_locks(*paths: str | os.PathLike[str] | None) -> Iterator[None]:
    """Hold the locks of every existing directory among ``paths`` (None and missing ones are
    skipped), or raise :class:`~kg.errors.KgError` naming the first one another process holds."""
    taken: list[DirLock] = []
    try:
        for p in dict.fromkeys(Path(p) for p in paths if p is not None):
            if not p.is_dir():
                continue
            lock = DirLock(p)
            if not lock.acquire():
                raise KgError(MSG_BUSY.format(path=p))
            taken.append(lock)
        yield
    finally:
        for lock in reversed(taken):
            lock.release()


# --------------------------------------------------------------------------- scratch folders

SCRATCH_PREFIXES = (".kg-merge-", ".kg-build-", ".kg-commit-")
"""Scratch folders of kg's own in an output folder: mentions and meetings being merged
(:mod:`kg.spill`), files being written (:func:`kg.export.outputs.stage_all`), a commit's journal
being written (:func:`commit`). A store is built in ``.<name>-new-*`` beside it
(:func:`store_scratch_prefix`)."""

_SUFFIX = re.compile(r"[A-Za-z0-9_]{8}")  # tempfile.mkdtemp's (and token_hex(4)'s) eight characters


def store_scratch_prefix(name: str) -> str:
    """The prefix of the scratch folder a store called ``name`` is built in, beside it.

    >>> store_scratch_prefix("store")
    '.store-new-'
    """
    return f".{name}-new-"


class ScratchFolder:
    """A new private folder for work in progress, locked by this process until :meth:`remove`
    (so that :func:`sweep` can tell it from one whose process is dead).

    >>> import tempfile
    >>> with ScratchFolder(tempfile.mkdtemp(), ".kg-build-") as s:
    ...     s.path.is_dir(), s.path.name.startswith(".kg-build-")
    (True, True)
    >>> s.path.exists()
    False
    """

    def __init__(self, folder: str | os.PathLike[str] | None, prefix: str) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=folder))
        self._lock = DirLock(self.path)
        self._lock.acquire()

    def remove(self) -> None:
        """Remove the folder and everything in it, and let go of its lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        self._lock.release()

    def __enter__(self) -> ScratchFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def sweep(folder: str | os.PathLike[str], *, stores: Iterable[str] = ()) -> list[Path]:
    """Remove the scratch folders in ``folder`` whose process is provably dead: their lock is
    free (a live kg process holds the lock of each scratch folder it works in), and no
    unfinished commit (:func:`recover`) needs them.

    Args:
        folder: An output folder, or the folder a store is in.
        stores: Names of stores in ``folder`` (their ``.<name>-new-*`` scratch folders are swept
            too; and, from earlier kg versions, ``.<name>-old-*``).

    Returns:
        The folders removed.
    """
    folder = Path(folder)
    prefixes = [*SCRATCH_PREFIXES, *(store_scratch_prefix(n) for n in stores), *(f".{n}-old-" for n in stores)]
    needed = _pending_paths(folder)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        prefix = next((p for p in prefixes if entry.name.startswith(p)), None)
        if prefix is None or not _SUFFIX.fullmatch(entry.name[len(prefix):]):
            continue
        path = Path(entry.path)
        if not entry.is_dir(follow_symlinks=False) or any(path == n or path in n.parents for n in needed):
            continue
        if os.path.realpath(path) in _held:
            continue  # this process works in it
        lock = DirLock(path)
        try:
            if not lock.acquire():
                continue  # a live process works in it
        except OSError:
            continue
        try:
            if not lock.supported:
                continue  # no locks here: nothing can be proved
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                removed.append(path)
                log.info("removed %s, left by a process that died", path)
        finally:
            lock.release()
    return removed


# --------------------------------------------------------------------------- commit

JOURNAL_PREFIX = ".kg-commit-"


@dataclass(frozen=True)
class Move:
    """One rename of a commit: ``src`` becomes ``dst``. A directory cannot replace another in
    one rename, so an existing directory at ``dst`` is first moved to ``aside`` (inside the
    scratch folder, which is removed afterwards)."""

    src: Path
    dst: Path
    aside: Path | None = None


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM wait until the block is done, then act (main thread only:
    elsewhere Python delivers no signals anyway)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[int] = []
    sigs = [signal.SIGINT, signal.SIGTERM]
    old = {s: signal.signal(s, lambda signum, frame: got.append(signum)) for s in sigs}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        if got:
            signal.raise_signal(got[0])


def commit(moves: Iterable[Move], *, journals: Iterable[str | os.PathLike[str]],
           lock: str | os.PathLike[str]) -> None:
    """Make every move, as one step: after a crash or a kill at any point, either none of them is
    made, or all of them are once :func:`recover` has run on one of the ``journals`` folders.

    The moves are first written down, in a journal file in each of the ``journals`` folders
    (atomically); the moves follow; then the journals are removed. Ctrl-C waits for the end.

    Args:
        moves: The renames, each within one file system (a scratch folder beside its target).
        journals: Folders where whoever comes next looks (the output folder, the store's folder).
        lock: A directory whose lock (:class:`DirLock`) the caller holds from before the
            commit until after it: :func:`recover` finishes the moves only when it can take
            it, that is when the committing process is dead.
    """
    token = secrets.token_hex(6)
    paths = [Path(j) / f"{JOURNAL_PREFIX}{token}.json" for j in dict.fromkeys(os.path.abspath(j) for j in journals)]
    plan = {
        "moves": [[os.path.abspath(m.src), os.path.abspath(m.dst), m.aside and os.path.abspath(m.aside)]
                  for m in moves],
        "journals": [str(p) for p in paths],
        "lock": os.path.abspath(lock),
    }
    with _interrupts_deferred():
        try:
            for p in paths:
                # written in a scratch folder of its own (swept if this process dies meanwhile),
                # then moved in place whole
                with ScratchFolder(p.parent, JOURNAL_PREFIX) as staging:
                    with atomic_write(staging.path / "journal.json") as f:
                        json.dump(plan, f)
                    os.replace(staging.path / "journal.json", p)
        except BaseException:
            for p in paths:
                p.unlink(missing_ok=True)
            raise
        _apply(plan)


def _apply(plan: dict[str, Any]) -> None:
    for src, dst, aside in plan["moves"]:
        if not os.path.lexists(src):
            continue  # made already
        if aside and os.path.lexists(dst):
            os.replace(dst, aside)
        os.replace(src, dst)
    for j in plan["journals"]:
        Path(j).unlink(missing_ok=True)


def _journals(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    try:
        names = sorted(n for n in os.listdir(folder) if n.startswith(JOURNAL_PREFIX) and n.endswith(".json")
                       and (folder / n).is_file())
    except OSError:
        return out
    for name in names:
        try:
            plan = json.loads((folder / name).read_text(encoding="utf-8"))
            if isinstance(plan, dict) and {"moves", "journals", "lock"} <= plan.keys():
                out.append((folder / name, plan))
        except (OSError, ValueError):
            continue  # written atomically: an unreadable one is not kg's
    return out


def _pending_paths(folder: Path) -> list[Path]:
    return [Path(p) for _, plan in _journals(folder) for src, _, aside in plan["moves"]
            for p in (src, aside) if p]


def recover(folder: str | os.PathLike[str]) -> int:
    """Finish the commits (:func:`commit`) whose process died half-way, journalled in ``folder``.

    A commit is finished only when its lock can be taken (its process is dead); one still in
    progress elsewhere is left to that process.

    Returns:
        The number of commits finished.
    """
    done = 0
    for path, plan in _journals(Path(folder)):
        lock = DirLock(plan["lock"])
        try:
            if not lock.acquire():
                continue
        except OSError:  # the lock's folder is gone: nobody can hold it
            lock = None  # type: ignore[assignment]
        try:
            if path.exists():  # not finished meanwhile from another of its journals
                _apply(plan)
                done += 1
                log.info("finished the outputs' switch that a killed kg process left half-made (%s)", path)
        finally:
            if lock is not None:
                lock.release()
    return done


def settle(folder: str | os.PathLike[str], *, stores: Iterable[str] = ()) -> None:
    """:func:`recover`, then :func:`sweep`: what a kg writer does first in each folder it writes in."""
    try:
        recover(folder)
        sweep(folder, stores=stores)
    except OSError as err:  # a folder kg cannot write in: the writer itself will say so
        log.debug("cannot tidy %s: %s", folder, err)


__all__ = ["DirLock", "JOURNAL_PREFIX", "MSG_BUSY", "Move", "SCRATCH_PREFIXES", "ScratchFolder", "WriteMode",
           "atomic_write", "commit", "held_elsewhere", "recover", "settle", "store_scratch_prefix", "sweep",
           "writer_locks"]
