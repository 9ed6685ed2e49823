"""Extraction on several processes of one machine, results in input order.

The worker function, :func:`extract_chunk`, lives here so that worker processes (of a
``ProcessPoolExecutor`` or of a Dask cluster, see :mod:`kg.distributed`) can import it. Each
process builds its language pipelines once (``kg.nlp.pipeline.make_annotator`` caches them per
process) and keeps them for every chunk it is given.

Reading, the language check, counting, progress and warnings stay in the calling process, so a
bad input is reported with its ``file:line`` whatever the number of workers; only the articles to
extract travel to the workers, a few chunks at a time (memory stays bounded), and results come
back in input order, so a build with N workers gives exactly the output of a build with one.

>>> from kg.model import Article
>>> import datetime as dt
>>> a = Article("a1", "Prabowo Subianto met Shigeru Ishiba in Bogor on Saturday.", lang="en",
...             published=dt.date(2025, 1, 12))
>>> [(n, [sorted(p.name for p in e.participants) for e in evs]) for n, evs, _ in extract_chunk([a])]
[(1, [['Prabowo Subianto', 'Shigeru Ishiba']])]
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from kg.model import Article, Event

if TYPE_CHECKING:
    from kg.extractor import Extractor

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

Runner = Callable[[Iterable[list[Article]]], Iterator[list["Extracted | Failure"]]]
"""Extracts chunks of articles somewhere; gives back, in order, one entry per article."""

CHUNK_SIZE = 32
"""Articles per task: large enough to amortise the trip to a worker, small enough to keep the
progress bar moving and memory bounded (at most ``IN_FLIGHT * workers`` chunks are out)."""
IN_FLIGHT = 3


@dataclass(frozen=True)
class Failure:
    """An article whose extraction raised: the exception when it survives pickling, else its repr."""

    error: BaseException | None
    text: str

    @classmethod
    def of(cls, err: BaseException) -> Failure:
        try:
            pickle.loads(pickle.dumps(err))
        except Exception:  # noqa: BLE001 - any exception that cannot travel back keeps its text only
            return cls(None, repr(err))
        return cls(err, repr(err))


class Extracted(NamedTuple):
    """What one article gave."""

    found: int
    """The number of mentions extraction found."""
    events: list[Event]
    """The mentions (resolved when asked: resolution may drop one whose participants turn out to
    be the same person)."""
    notes: tuple[str, ...] = ()
    """What a bound of :mod:`kg.nlp.limits` changed, for the build's warning."""


def extract_chunk(articles: list[Article], extractor: Extractor | None = None,
                  resolved: bool = False) -> list[Extracted | Failure]:
    """The mentions of each article (as the extractor gives them, within the bounds of
    :func:`kg.nlp.limits.extract_bounded`), or its failure.

    Args:
        articles: articles whose language has a pack.
        extractor: what extracts (:mod:`kg.extractor`; default the rules).
        resolved: also resolve them (``kg.pipeline.resolve_mentions``: canonical actors and
            places, roles per source), which is per mention and so belongs on the worker too.

    Returns:
        One entry per article, in order: an :class:`Extracted`, or a :class:`Failure`.
    """
    from kg.extractor import get_extractor
    from kg.nlp.limits import extract_bounded
    from kg.pipeline import resolve_mentions

    extractor = extractor or get_extractor()
    out: list[Extracted | Failure] = []
    prefetch = getattr(extractor, "prefetch", None)
    if prefetch is not None:  # an extractor that asks a server sends the chunk's requests at once
        try:
            prefetch(articles)
        except Exception as err:  # noqa: BLE001 - then each article fails (or not) on its own below
            log.debug("prefetch failed: %r", err)
    for article in articles:
        try:
            events, notes = extract_bounded(article, extractor.extract)
            out.append(Extracted(len(events), list(resolve_mentions(events)) if resolved else events, tuple(notes)))
        except Exception as err:  # noqa: BLE001 - one broken article must not sink the chunk
            out.append(Failure.of(err))
    return out


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` consecutive items (the last one shorter).

    >>> list(chunked(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ordered_map(submit: Callable[[T], Future[R]], items: Iterable[T], window: int) -> Iterator[R]:
    """Results of ``submit(item)`` in the order of the items, with at most ``window`` pending.

    The items are consumed lazily: the next one is submitted only when a slot frees up, so
    neither the input nor the results are ever all in memory.
    """
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(submit(item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()


_start_guard = threading.RLock()


@contextmanager
def safe_import_path() -> Iterator[None]:
    """New Python processes started inside the block never import from the working folder.

    multiprocessing starts its fork server (and resource tracker, and the processes of the
    "spawn" method) as ``python -c ...``, which puts the working folder first on the import
    path: a ``pyoxigraph.py``, ``concurrent.py`` or ``kg/`` in the folder where ``kg build`` runs
    (a downloaded corpus, the folder above a clone) would be imported there instead of the
    installed module. ``PYTHONSAFEPATH`` (Python's ``-P``) makes those processes leave the
    working folder out; it is set only while the block starts them.
    """
    with _start_guard:
        before = os.environ.get("PYTHONSAFEPATH")
        os.environ["PYTHONSAFEPATH"] = "1"
        try:
            yield
        finally:
            if before is None:
                del os.environ["PYTHONSAFEPATH"]
            else:
                os.environ["PYTHONSAFEPATH"] = before


def _forkserver() -> Any:
    import multiprocessing as mp

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.rdf.store", "kg.rdf.text", "kg.export.turtle_stream", "kg.export.graphml",
                                "kg.export.html", "kg.rdf.remote"])
    return ctx


def _ensure_server() -> None:
    from multiprocessing import forkserver

    _forkserver()
    with safe_import_path():
        forkserver.ensure_running()


def start_beside_server() -> None:
    """Start the fork server the processes of :func:`beside` come from, without waiting for it.

    It imports the writers once (about a second) before it forks the first process; started
    while this process does something else (``kg build``: when every mention is in, before the
    merge, which leaves the other cores idle), that second is not waited for later. Does nothing
    if it runs already.
    """
    _ensure_server()


class Beside:
    """A function running in another process while this one goes on (:func:`beside`).

    A thread of this process reads what the process sends (progress reports, then its end) as it
    comes, so that the process never waits on a full pipe while this one is busy elsewhere.
    """

    def __init__(self, fn: Callable[..., object], args: tuple[object, ...], kwargs: dict[str, object],
                 progress: Callable[[int], object] | None = None) -> None:
        ctx = _forkserver()
        recv, send = ctx.Pipe(duplex=False)
        self._end: Failure | None = None
        self.done = threading.Event()
        """Set when the function has ended (well or not)."""
        self._proc = ctx.Process(target=_run_beside, args=(send, fn, args, kwargs, progress is not None), daemon=True)
        _ensure_server()
        with safe_import_path():  # should the server have died meanwhile, it is started the same way
            self._proc.start()
        send.close()
        self._reader = threading.Thread(target=self._read, args=(recv, progress), daemon=True,
                                        name="kg-beside-reader")
        self._reader.start()

    def _read(self, recv: Any, progress: Callable[[int], object] | None) -> None:
        from kg.errors import KgError

        try:
            while True:
                try:
                    message = recv.recv()
                except EOFError:
                    self._proc.join()
                    message = Failure(KgError("a process writing beside this one died "
                                              f"(exit code {self._proc.exitcode})"), "")
                if isinstance(message, tuple):  # ("progress", n)
                    if progress is not None:
                        try:
                            progress(message[1])
                        except Exception:  # a progress display that fails must not lose the result
                            log.exception("progress report failed")
                    continue
                self._end = message
                return
        except BaseException as err:  # noqa: BLE001 - a message that cannot be read is a failure, not a success
            self._end = Failure.of(err)
        finally:
            recv.close()
            self.done.set()

    def result(self) -> None:
        """Wait for the function; raise what it raised (or a KgError when the process died)."""
        from kg.errors import KgError

        self._reader.join()
        self._proc.join()
        if self._end is not None:
            raise self._end.error or KgError(self._end.text)

    def cancel(self) -> None:
        """Interrupt the function (as Ctrl-C would: its ``finally`` blocks run) and wait for it."""
        import os
        import signal

        if self._proc.is_alive() and self._proc.pid is not None:
            os.kill(self._proc.pid, signal.SIGINT)
        self._proc.join()
        self._reader.join()


def wait_all(jobs: Iterable[Beside]) -> None:
    """Wait for every job; raise the first failure as soon as it comes, whichever job it is from
    (the others go on: cancel them)."""
    pending = list(jobs)
    while pending:
        for job in list(pending):
            if job.done.wait(0.05):
                job.result()
                pending.remove(job)


def _run_beside(send: Any, fn: Callable[..., object], args: tuple[object, ...], kwargs: dict[str, object],
                report: bool) -> None:
    ending = _die_with_reader(send)
    try:
        if report:  # the function reports its progress through the pipe its result goes through
            kwargs = {**kwargs, "progress": partial(_report, send)}
        fn(*args, **kwargs)
    except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent
        ending.set()
        try:
            send.send(Failure.of(err))
        except OSError:  # the parent is gone
            pass
        raise SystemExit(1) from None
    ending.set()
    send.send(None)


def _die_with_reader(send: Any) -> Any:
    """Kill this process as soon as the process reading ``send`` (the parent) is gone, unless it
    has ended by then (the returned event is set): a writer whose parent was killed must not
    go on and switch in outputs nobody asked for any more. Its scratch folder, whose lock dies
    with it, is removed by the next run (:func:`kg.export.atomic.sweep`).

    The process comes from the fork server, not from the parent, so the kernel's "parent died"
    signal would be about the server; the pipe to the parent is what tells: its write end
    reports an error (``POLLERR``) once no process has its read end open.
    """
    import select
    import signal

    ending = threading.Event()
    if not hasattr(select, "poll"):  # pragma: no cover - not on Linux or macOS
        return ending

    def watch() -> None:
        poll = select.poll()
        poll.register(send.fileno(), 0)  # errors and hang-ups only
        while not poll.poll():
            pass
        if not ending.is_set():
            os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True, name="kg-parent-watch").start()
    return ending


def _die_with_parent(parent: int) -> None:
    """A pool worker's initializer: die when the parent does (Linux; elsewhere a worker notices
    when its queue breaks). A worker left behind would hold on to its chunk, its memory and
    the parent's open files."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        zero = ctypes.c_ulong(0)
        libc.prctl(ctypes.c_int(1), ctypes.c_ulong(signal.SIGKILL), zero, zero, zero)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl
        return
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _report(send: Any, n: int) -> None:
    send.send(("progress", n))


def beside(fn: Callable[..., object], *args: object, progress: Callable[[int], object] | None = None,
           **kwargs: object) -> Beside:
    """Run ``fn(*args, **kwargs)`` in another process while this one goes on (on a second core):
    ``kg build`` writes its store beside its files, and graph.ttl beside the other files.

    With ``progress``, ``fn`` is also given a ``progress`` argument; what it is called with
    there is passed to ``progress`` here while :meth:`Beside.result` or :func:`wait_all` waits.

    The process comes from multiprocessing's fork server (a clean process started once, with
    kg's writers imported), not from forking this one: a process that has opened an on-disk
    pyoxigraph store runs RocksDB threads that a forked child would wait for forever. So ``fn``
    and its arguments are pickled: pass paths and re-readable streams
    (:class:`kg.spill.SpilledEvents`), not open files.

    >>> import os, tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "note.txt"
    >>> beside(Path.write_text, path, "written beside").result()
    >>> path.read_text()
    'written beside'
    >>> beside(int, "not a number").result()
    Traceback (most recent call last):
    ValueError: invalid literal for int() with base 10: 'not a number'
    """
    return Beside(fn, args, kwargs, progress)


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pool_runner(workers: int, extractor: Extractor | None = None, resolved: bool = False) -> Runner:
    """A chunk runner over a pool of ``workers`` processes (the platform's start method: on Linux
    they are forked and inherit any pipeline this process has built already).

    Returns:
        A function from chunks of articles to their results, in order; the pool lives as long
        as the iteration.
    """

    def run(chunks: Iterable[list[Article]]) -> Iterator[list[Extracted | Failure]]:
        import multiprocessing as mp

        # forked workers (Linux) start no new interpreter, and die with this process; others
        # (spawn, forkserver) are new interpreters, which must not import from the working folder
        forked = mp.get_start_method() == "fork"
        options: dict[str, Any] = {"initializer": _die_with_parent, "initargs": (os.getpid(),)} if forked else {}
        with safe_import_path() if not forked else nullcontext(), \
                ProcessPoolExecutor(max_workers=workers, **options) as pool:
            task = partial(extract_chunk, extractor=extractor, resolved=resolved)
            yield from ordered_map(lambda chunk: pool.submit(task, chunk), chunks, IN_FLIGHT * workers)

    return run


def local_runner(extractor: Extractor | None = None, resolved: bool = False) -> Runner:
    """The same contract in this process, chunk by chunk (``workers=1``)."""

    def run(chunks: Iterable[list[Article]]) -> Iterator[list[Extracted | Failure]]:
        for chunk in chunks:
            yield extract_chunk(chunk, extractor=extractor, resolved=resolved)

    return run


__all__ = ["CHUNK_SIZE", "Beside", "beside", "Extracted", "Failure", "Runner", "chunked", "default_workers", "extract_chunk", "local_runner", "ordered_map", "wait_all",
           "pool_runner", "safe_import_path", "start_beside_server"]
