"""Write every output of a build into one directory, all or nothing."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence, Sized
from functools import partial
from pathlib import Path
from typing import IO

from kg.export.atomic import Move, ScratchFolder, commit, settle, writer_locks
from kg.model import Event

TURTLE_SPLIT = 4000
"""From this many meetings on, graph.ttl is written in two halves by two processes at once, and
graph.graphml and graph.html each by a process of its own."""

OUTPUTS = {
    "events": "events.jsonl",
    "turtle": "graph.ttl",
    "graphml": "graph.graphml",
    "html": "graph.html",
}


class Staged:
    """A build's files, complete in a scratch folder inside the output folder, not yet in place.

    :meth:`moves` gives the renames that put them in place, for :func:`kg.export.atomic.commit`
    (with other moves: ``kg build`` switches its store in the same step). Use it as a context
    manager: the scratch folder goes away with it, moved or not.
    """

    def __init__(self, scratch: ScratchFolder, out: Path) -> None:
        self.scratch = scratch
        self.out = out
        self.files = {kind: scratch.path / name for kind, name in OUTPUTS.items()}
        """The staged path of each output by kind."""
        self.final = {kind: out / name for kind, name in OUTPUTS.items()}
        """The path each output takes by kind."""

    def moves(self) -> list[Move]:
        return [Move(self.files[kind], self.final[kind]) for kind in OUTPUTS]

    def discard(self) -> None:
        self.scratch.remove()

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def stage_all(events: Iterable[Event], out: Path, *, progress: Callable[[int], object] | None = None) -> Staged:
    """Write events.jsonl, graph.ttl, graph.graphml and graph.html into a scratch folder in ``out``.

    ``events`` is read once per output: a list, or :class:`kg.spill.SpilledEvents` (read back
    from disk each time).

    graph.ttl is written by one or two processes beside this one (other cores); from
    :data:`TURTLE_SPLIT` meetings on, graph.graphml and graph.html too. events.jsonl is written here.

    Args:
        events: The meetings.
        out: The output folder (created if missing).
        progress: Called now and then with the number of meetings whose RDF is in graph.ttl so
            far (the slowest file: when it is complete, the others mostly are too).

    Returns:
        The staged files; nothing in ``out`` has changed yet. If writing fails or is
        interrupted, the scratch folder is removed and the exception raised.
    """
    from kg.export.graphml import write_graphml_events
    from kg.export.html import write_html
    from kg.export.jsonl import write_events
    from kg.export.turtle_stream import write_turtle_stream
    from kg.parallel import beside, wait_all

    out.mkdir(parents=True, exist_ok=True)
    staged = Staged(ScratchFolder(out, ".kg-build-"), out)
    scratch = staged.scratch.path
    try:
        tmp = staged.files
        # graph.ttl, the slowest, in processes of their own, batch by batch (the RDF is never all in
        # memory): one part, or two halves written at once and joined when there are many meetings;
        # then graph.graphml and graph.html in processes of their own too, so that no one process
        # holds back the others
        n = len(events) if isinstance(events, Sized) else 0
        many = n >= TURTLE_SPLIT
        cut = n // 2 if many else n
        parts = [(0, cut), (cut, n)] if 0 < cut < n else [None]
        paths = [tmp["turtle"]] if len(parts) == 1 else [scratch / f"part{i}.ttl" for i in range(len(parts))]
        written = [0] * len(parts)

        def report(i: int, done: int) -> None:  # from a reader thread of each half
            written[i] = done
            if progress is not None:
                progress(sum(written))

        jobs = [beside(write_turtle_stream, events, path, part=part, progress=partial(report, i))
                for i, (path, part) in enumerate(zip(paths, parts, strict=True))]
        try:
            if many:
                jobs += [beside(write_graphml_events, events, tmp["graphml"]), beside(write_html, events, tmp["html"])]
            if hasattr(events, "lines"):  # kg.spill.SpilledEvents: its lines are events.jsonl's
                with open(tmp["events"], "wb") as f:
                    f.writelines(events.lines())
            else:
                write_events(events, tmp["events"])
            if not many:
                write_graphml_events(events, tmp["graphml"])  # streamed: no networkx graph of every meeting
                write_html(events, tmp["html"])
            wait_all(jobs)
        except BaseException:
            for job in jobs:
                job.cancel()
            raise
        if len(paths) > 1:
            with tmp["turtle"].open("wb") as whole:
                for path in paths:
                    with path.open("rb") as f:
                        shutil.copyfileobj(f, whole)
                    path.unlink()
    except BaseException:
        staged.discard()
        raise
    return staged


def write_all(events: Iterable[Event], out: Path, *, progress: Callable[[int], object] | None = None) -> dict[str, Path]:
    """Write events.jsonl, graph.ttl, graph.graphml and graph.html into ``out``, all or nothing.

    Every file is first written into a scratch folder inside ``out`` (:func:`stage_all`); only
    when all of them are complete are they moved into place, together
    (:func:`kg.export.atomic.commit`), so an interrupted or failed build leaves the previous
    outputs as they were and no half-written file behind. One writer at a time: if another kg
    process is writing into ``out``, :class:`~kg.errors.KgError` is raised before anything is done.

    Args:
        events: The meetings.
        out: The output folder.
        progress: As in :func:`stage_all`.

    Returns:
        The path of each output by kind.
    """
    out.mkdir(parents=True, exist_ok=True)
    with writer_locks(out):
        settle(out)
        with stage_all(events, out, progress=progress) as staged:
            commit(staged.moves(), journals=[out], lock=out)
            return dict(staged.final)


CSV_COLUMNS = ["id", "date", "status", "mode", "participants", "place", "country", "articles", "mentions"]

#: The first characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a string starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a leading single quote (as OWASP advises for CSV
    injection); anything else is returned as it is.

    >>> print(spreadsheet_safe("=1+1"), spreadsheet_safe("Lavrov"), spreadsheet_safe(-3))
    '=1+1 Lavrov -3
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_rows(events: Sequence[Event]) -> list[dict[str, object]]:
    rows = []
    for e in events:
        rows.append({
            "id": e.id,
            "date": e.date.iso() if e.date else "",
            "status": e.status,
            "mode": e.mode,
            "participants": "; ".join(a.name for a in e.participants),
            "place": (e.location.venue or e.location.name) if e.location else "",
            "country": (e.location.country or "") if e.location else "",
            "articles": len({m.article_id for m in e.evidence}),
            "mentions": len({(m.article_id, m.start, m.end) for m in e.evidence}),
        })
    return rows


def export_store(store: Path, fmt: str, output: Path | IO[bytes]) -> None:
    """Write a store (``kg build``'s DIR/store) in one format, to a file (atomically) or a stream.

    Args:
        store: The store directory.
        fmt: ``ttl``, ``nt`` (the union of its graphs), ``trig``, ``nq``, ``jsonld`` (every named
            graph), ``graphml``, ``gexf`` (the who-met-whom network) or ``csv`` (one row per meeting).
        output: A file path, or a binary stream such as ``sys.stdout.buffer``.
    """
    import csv
    import io

    import networkx as nx

    from kg.export.atomic import atomic_write
    from kg.graph import to_networkx
    from kg.rdf.store import KgStore

    with KgStore(store, read_only=True) as ks:
        if fmt in ("ttl", "nt", "trig", "nq", "jsonld"):
            data = ks.dump(None, fmt) or b""  # type: ignore[arg-type]
        else:
            events = ks.events()
            buf = io.BytesIO()
            if fmt in ("graphml", "gexf"):
                G = to_networkx(events)
                for _, d in G.nodes(data=True):
                    for k in [k for k, v in d.items() if v is None]:
                        del d[k]
                for *_, d in G.edges(data=True):
                    for k in [k for k, v in d.items() if v is None]:
                        del d[k]
                (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(G, buf)
            elif fmt == "csv":
                text = io.StringIO()
                w = csv.DictWriter(text, fieldnames=CSV_COLUMNS)  # RFC 4180: CRLF, so a CR in a cell is quoted too
                w.writeheader()
                w.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in _csv_rows(events))
                buf.write(text.getvalue().encode("utf-8"))
            else:
                raise ValueError(f"unknown export format {fmt!r}")
            data = buf.getvalue()
    if isinstance(output, Path):
        with atomic_write(output, "wb") as f:
            f.write(data)
    else:
        output.write(data)


__all__ = ["CSV_COLUMNS", "OUTPUTS", "Staged", "export_store", "spreadsheet_safe", "stage_all", "write_all"]
