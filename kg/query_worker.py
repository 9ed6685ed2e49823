"""SPARQL queries in worker processes that a runaway or a crash cannot take down with the server.

``kg serve`` runs each query in one of a few worker processes (:class:`QueryPool`). A query that
passes its time limit has its process killed, so it stops at once and frees its slot (pyoxigraph
cannot cancel a running query in place); a process that dies (a stack overflow in the parser, an
allocation past its memory cap) costs only its own query. A dead or killed process is replaced.

Each worker:

- is started with ``python -P`` (the working folder never comes first on its import path, so a
  ``pyoxigraph.py`` lying there is not imported) and opens the store itself, read-only: the
  server process never opens it (forking a process that has an on-disk pyoxigraph store open
  can hang on RocksDB's threads, and a process started afresh needs no fork);
- caps its address space (``RLIMIT_AS``) at what it uses once the store is open plus
  ``memory_mb``, so a query that grows past the cap fails inside its own process;
- runs queries on a thread with a deep stack (:func:`kg.rdf.query.on_deep_stack`);
- dies with the server (Linux: ``PR_SET_PDEATHSIG``; elsewhere when its pipe closes).
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.errors import KgError

log = logging.getLogger(__name__)

#: What a query answers: HTTP status, content type, body.
Reply = tuple[int, str, bytes]

_MEMORY_SIGNS = ("memory allocation of", "MemoryError", "Cannot allocate memory", "out of memory")


def _out_of_memory(memory_mb: int) -> Reply:
    return 503, "text/plain", f"the query needed more than the {memory_mb:,} MB memory cap and was stopped\n".encode()


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, store: Path, memory_mb: int) -> None:
        parent, child = socket.socketpair()
        root = str(Path(__file__).resolve().parent.parent)  # where kg is, should it not be installed
        code = (f"import sys; sys.path.append({root!r}); from kg.query_worker import main; "
                f"main({child.fileno()}, {str(store)!r}, {memory_mb}, {os.getpid()})")
        self.proc = subprocess.Popen([sys.executable, "-P", "-c", code], pass_fds=(child.fileno(),),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, close_fds=True)
        child.close()
        self.conn = Connection(parent.detach())
        self.ready = False
        self.stderr: deque[str] = deque(maxlen=20)
        threading.Thread(target=self._read_stderr, daemon=True, name="kg-query-worker-stderr").start()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                self.stderr.append(line)
                log.warning("query worker %d: %s", self.proc.pid, line)

    def wait_ready(self, timeout: float) -> str | None:
        """Wait for the worker's first message: None once it has the store open, else its error."""
        if not self.conn.poll(timeout):
            return f"the query worker did not start within {timeout:g} s"
        try:
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            return self.death()
        if kind != "ready":
            return str(detail)
        self.ready = True
        return None

    def death(self) -> str:
        """Why the process ended, in one line (it is waited for first)."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        time.sleep(0.05)  # the reader thread's last lines
        said = " ".join(self.stderr)
        if any(sign in said for sign in _MEMORY_SIGNS):
            return "memory"
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit status {code}"
        return f"the query stopped its worker process ({how}); the server goes on"

    def kill(self) -> None:
        """Stop the process at once and reap it."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.conn.close()


class QueryPool:
    """A few worker processes over one read-only store, each running one query at a time.

    Args:
        store: The store directory.
        workers: Processes, hence queries run at once; a query waits for a free one (at most
            ``timeout`` plus ``start_timeout`` seconds, then 503).
        timeout: Seconds a query may run; then its process is killed (503).
        memory_mb: Memory a query may add to its process; past it the query fails (503).
        max_bytes: The largest result sent; larger ones get 400.
        start_timeout: Seconds a worker may take to start and open the store.

    The workers answer with :func:`kg.server.evaluate`.

    Raises:
        KgError: The store cannot be opened (the first worker's message).
    """

    def __init__(self, store: str | os.PathLike[str], *, workers: int = 2, timeout: float = 30.0,
                 memory_mb: int = 2048, max_bytes: int = 50_000_000, start_timeout: float = 60.0) -> None:
        self.store = Path(store).resolve()
        self.workers = workers
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        self.start_timeout = start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._busy: set[int] = set()
        started = [self._start() for _ in range(workers)]
        for w in started:
            problem = w.wait_ready(start_timeout)
            if problem is not None:
                self.close()
                raise KgError(f"{self.store}: {problem}")
            self._idle.put(w)

    def _start(self) -> _Worker:
        w = _Worker(self.store, self.memory_mb)
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, w: _Worker) -> _Worker:
        w.kill()
        with self._lock:
            self._all.discard(w)
        return w if self._closed else self._start()

    @property
    def pids(self) -> list[int]:
        """The process ids of the workers alive now."""
        with self._lock:
            return [w.proc.pid for w in self._all if w.proc.poll() is None]

    @property
    def running(self) -> list[int]:
        """The process ids of the workers running a query now."""
        with self._lock:
            return sorted(self._busy)

    def run(self, text: str, accept: str, fmt: str | None) -> Reply:
        """Run one query in a free worker under the limits: ``(status, content type, body)``."""
        pid = -1
        try:  # a worker is free at the latest when the queries before have run out of time
            w = self._idle.get(timeout=self.timeout + self.start_timeout)
        except queue.Empty:
            return 503, "text/plain", f"all {self.workers} query workers are busy; try again shortly\n".encode()
        try:
            if w.proc.poll() is not None:  # died while idle
                w = self._replace(w)
            if not w.ready:
                problem = w.wait_ready(self.start_timeout)
                if problem is not None:
                    w = self._replace(w)
                    return 503, "text/plain", f"the query worker could not start: {problem}\n".encode()
            remaining = self.timeout
            pid = w.proc.pid
            try:
                w.conn.send((text, accept, fmt, self.max_bytes, remaining))
                with self._lock:
                    self._busy.add(pid)
                if not w.conn.poll(remaining):
                    w = self._replace(w)
                    return 503, "text/plain", f"the query ran longer than {self.timeout:g} s and was stopped\n".encode()
                reply: Reply = w.conn.recv()
                return reply
            except (EOFError, OSError):
                why = w.death()
                w = self._replace(w)
                if why == "memory":
                    return _out_of_memory(self.memory_mb)
                return 500, "text/plain", f"{why}\n".encode()
        finally:
            with self._lock:
                self._busy.discard(pid)
            if self._closed:
                w.kill()
            else:
                self._idle.put(w)

    def close(self) -> None:
        """Kill every worker (running queries included) and reap them."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()


# ----------------------------------------------------------------- in the worker process


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


def _address_space() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _cap_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return
    used = _address_space()
    if used is None:
        return
    limit = used + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(fd: int, store: str, memory_mb: int, parent: int) -> None:
    """The worker process: open the store read-only, then answer queries until the pipe closes."""
    from kg.rdf.query import on_deep_stack

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the server stops us
    _die_with_parent(parent)
    conn = Connection(fd)
    on_deep_stack(_serve, conn, store, memory_mb)


def _serve(conn: Connection, store: str, memory_mb: int) -> None:
    from kg.rdf.store import KgStore
    from kg.server import evaluate

    try:
        ks = KgStore(store, read_only=True)
    except KgError as err:
        conn.send(("error", str(err)))
        return
    _cap_memory(memory_mb)
    conn.send(("ready", None))
    while True:
        try:
            text, accept, fmt, max_bytes, timeout = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: Any = evaluate(ks, text, accept, fmt, max_bytes=max_bytes, timeout=timeout)
        except MemoryError:
            reply = _out_of_memory(memory_mb)
        conn.send(reply)


__all__ = ["QueryPool", "Reply"]
