"""kg build with several worker processes: the same output as one, bad input still reported."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from kg.cli import main
from kg.errors import KgError
from kg.ingest import read_articles
from kg.model import Article
from kg.parallel import CHUNK_SIZE, Failure, extract_chunk
from kg.pipeline import BuildStats, build, resolve_mentions

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(__file__).resolve().parent / "data" / "cli"


def corpus(n: int) -> list[Article]:
    """n articles: the small sample's articles again and again, each copy with its own id."""
    base = list(read_articles([ROOT / "tests" / "data" / "sample"]))
    return [dataclasses.replace(base[i % len(base)], id=f"{base[i % len(base)].id}#{i}") for i in range(n)]


def test_two_workers_give_the_same_meetings_in_the_same_order_as_one() -> None:
    articles = corpus(CHUNK_SIZE + 9)  # more than one chunk, the last one short
    one_stats, two_stats = BuildStats(), BuildStats()
    seen: list[str] = []
    one = build(articles, stats=one_stats)
    two = build(articles, stats=two_stats, workers=2, progress=lambda a: seen.append(a.id))
    assert [e.to_dict() for e in two] == [e.to_dict() for e in one]
    assert len(one) >= 5 and max(len(e.evidence) for e in one) >= 8  # copies merged across chunks
    assert (two_stats.articles, two_stats.words, two_stats.mentions) == (one_stats.articles, one_stats.words,
                                                                           one_stats.mentions)
    assert seen == [a.id for a in articles]  # progress once per article, in input order


def test_a_failing_article_is_skipped_and_reported_by_its_origin_with_workers() -> None:
    good = corpus(3)
    broken = Article("broken", b"Putin met Trump in Alaska.", lang="en", origin="in.jsonl:7")  # type: ignore[arg-type]
    stats = BuildStats()
    events = build([good[0], broken, good[1], good[2]], stats=stats, workers=2)
    assert events == build([good[0], good[1], good[2]])
    assert [str(p) for p in stats.problems][0].startswith("in.jsonl:7: extraction failed: ")
    assert stats.articles == 4
    with pytest.raises(Exception, match="extra data"):  # on_error="raise": the worker's own exception
        build([broken], on_error="raise", workers=2)


def test_a_kg_error_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(KgError, match="'no_such_pipeline' is not installed"):
        build(corpus(2), model="no_such_pipeline", workers=2)


def test_worker_function_returns_one_entry_per_article_and_keeps_failures() -> None:
    good = corpus(1)[0]
    results = extract_chunk([good, Article("x", b"Putin met Trump.", lang="en")])  # type: ignore[arg-type]
    assert isinstance(results[0], tuple) and results[0][0] == len(results[0][1]) > 0
    assert isinstance(results[1], Failure) and results[1].error is not None
    (n, resolved), _ = extract_chunk([good, good], resolved=True)
    assert n == len(results[0][1]) and list(resolve_mentions(results[0][1])) == resolved


def test_cli_workers_same_files_and_warnings_with_file_and_line(tmp_path: Path) -> None:
    runner = CliRunner()
    src = tmp_path / "in.jsonl"
    lines = (CLI / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.dumps(a.to_dict(), ensure_ascii=False) for a in corpus(40)]
    src.write_text("\n".join(rows[:20] + lines + rows[20:]) + "\n", encoding="utf-8")
    outs = {}
    for n in (1, 2):
        out = tmp_path / f"w{n}"
        res = runner.invoke(main, ["build", str(src), "--out", str(out), "--no-store", "-q", "--workers", str(n)])
        assert res.exit_code == 0, res.output
        assert f"{src}:22: not valid JSON" in res.output  # line numbers of the file, not of a chunk
        assert f"{src}:24:" in res.output and "'sw'" in res.output
        assert "skipped 3" in res.output
        outs[n] = out
    assert (outs[1] / "events.jsonl").read_bytes() == (outs[2] / "events.jsonl").read_bytes()
    g1, g2 = (Graph().parse(outs[n] / "graph.ttl") for n in (1, 2))
    if not isomorphic(g1, g2):
        _, only1, only2 = graph_diff(g1, g2)
        pytest.fail(f"graph.ttl differs:\n{only1.serialize(format='nt')}\n---\n{only2.serialize(format='nt')}")


def test_workers_read_ahead_only_a_few_chunks() -> None:
    from kg.parallel import IN_FLIGHT
    from kg.pipeline import extract_all

    articles = corpus(CHUNK_SIZE * (IN_FLIGHT * 2 + 3))
    pulled = 0

    def reading() -> Iterator[Article]:
        nonlocal pulled
        for a in articles:
            pulled += 1
            yield a

    stream = extract_all(reading(), workers=2)
    next(stream)  # the first mention is out ...
    assert pulled <= CHUNK_SIZE * (IN_FLIGHT * 2 + 1) < len(articles)  # ... long before the input is all read
    stream.close()  # stopping early cancels the chunks not started


def test_cli_extract_with_workers_writes_the_same_mentions(tmp_path: Path) -> None:
    runner = CliRunner()
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in corpus(12)), encoding="utf-8")
    for n in (1, 2):
        res = runner.invoke(main, ["extract", str(src), "-o", str(tmp_path / f"m{n}.jsonl"), "-q", "-w", str(n)])
        assert res.exit_code == 0, res.output
    assert (tmp_path / "m1.jsonl").read_bytes() == (tmp_path / "m2.jsonl").read_bytes()
    assert len((tmp_path / "m1.jsonl").read_text(encoding="utf-8").splitlines()) >= 12


def test_beside_passes_on_progress_and_a_failing_display_loses_no_result(tmp_path: Path) -> None:
    from kg.export.turtle_stream import write_turtle_stream
    from kg.parallel import beside, wait_all

    events = build(read_articles([ROOT / "data"]))
    events = events[: len(events) - 1 + len(events) % 2]  # an odd number: the last batch is smaller
    seen: list[int] = []
    beside(write_turtle_stream, events, tmp_path / "a.ttl", batch=2, progress=seen.append).result()
    assert seen == [*range(2, len(events), 2), len(events)]  # each batch, as the process wrote it

    def broken(n: int) -> None:
        raise RuntimeError("the terminal went away")

    beside(write_turtle_stream, events, tmp_path / "b.ttl", batch=2, progress=broken).result()
    assert (tmp_path / "b.ttl").read_bytes() == (tmp_path / "a.ttl").read_bytes()
    bad = [*events[:-1], events[-1].with_(id="https://example.org/meeting#1")]
    with pytest.raises(ValueError, match="fragment"):  # and a failure still comes through
        wait_all([beside(write_turtle_stream, bad, tmp_path / "c.ttl", batch=2, progress=broken)])
    assert not (tmp_path / "c.ttl").exists()


def test_the_beside_server_starts_ahead_without_waiting_and_then_serves_beside(tmp_path: Path) -> None:
    """kg build starts the fork server before the merge; here in a fresh interpreter, so that no
    earlier test has started it: the call returns with the server process running, and a
    function run beside afterwards gives its result."""
    import subprocess
    import sys

    code = """
import os
from pathlib import Path
from kg.parallel import beside, start_beside_server

def children():
    me = str(os.getpid())
    out = []
    for d in Path("/proc").iterdir():
        try:
            if d.name.isdigit() and (d / "stat").read_text().rsplit(")", 1)[1].split()[1] == me:
                out.append((d / "cmdline").read_bytes().replace(b"\\0", b" ").decode())
        except (OSError, IndexError):
            pass
    return out

assert not any("forkserver" in c for c in children())
start_beside_server()
start_beside_server()  # a second call changes nothing
servers = [c for c in children() if "multiprocessing.forkserver" in c]
assert len(servers) == 1, children()
import sys
beside(Path.write_text, Path(sys.argv[1]), "written beside").result()
"""
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out.txt")], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out.txt").read_text() == "written beside"
