"""A build's files and its store agree, whatever happens to the processes that write them.

Killed builds, writers left running, scratch folders left behind, two writers at once, a build
with nothing usable, and the commands that need a store when none is given.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from probe_kill import alive, descendants  # noqa: E402 - the kill probe's view of a process tree (/proc)

SAMPLES = ROOT / "tests" / "data" / "sample" / "samples.jsonl"
MEETINGS = "https://w3id.org/kg/id/graph/meetings"


# --------------------------------------------------------------------------- helpers


def file_meetings(out: Path) -> set[str]:
    return {json.loads(line)["id"] for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()}


def store_meetings(store: Path) -> set[str]:
    from kg.rdf.store import KgStore

    with KgStore(store, read_only=True) as ks:
        return {r["m"] for r in ks.rows(f"SELECT ?m WHERE {{ GRAPH <{MEETINGS}> {{ ?m a kg:Meeting }} }}")}


def scratch_left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".kg-", ".store-")))


def write_first(src: Path, dst: Path, n: int) -> Path:
    dst.write_text("".join(src.read_text(encoding="utf-8").splitlines(keepends=True)[:n]), encoding="utf-8")
    return dst


def kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def still_alive_after(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return set()
        time.sleep(0.05)
    return {p for p in pids if alive(p)}


def hold_lock(folder: Path) -> subprocess.Popen[str]:
    """Another process holding kg's writer lock on ``folder`` (a flock on the directory)."""
    code = ("import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDONLY)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(300)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


# --------------------------------------------------------------------------- section 1: required --store


@pytest.mark.parametrize("args", [["export"], ["serve"], ["add", "x.jsonl"], ["remove", "x-1"]])
def test_commands_that_need_a_store_say_so_without_a_traceback(args: list[str]) -> None:
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    assert "Missing option '--store'" in res.output
    assert isinstance(res.exception, SystemExit)  # a usage error, not a crash


# --------------------------------------------------------------------------- a build with nothing usable


@pytest.mark.slow
def test_a_build_whose_every_article_is_skipped_fails_and_keeps_the_outputs(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(main, ["build", str(SAMPLES), "--out", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    meetings = store_meetings(out / "store")
    assert meetings == file_meetings(out) and len(meetings) > 0

    bad = tmp_path / "no-pack.jsonl"
    bad.write_text("".join(json.dumps({"id": f"sw-{i}", "lang": "sw", "published": "2024-07-27",
                                       "text": "Rais alikutana na waziri mkuu jana."}) + "\n" for i in range(2)),
                   encoding="utf-8")
    res = runner.invoke(main, ["build", str(bad), "--out", str(out), "--quiet"])
    assert res.exit_code == 1, res.output
    errors = [line for line in res.output.splitlines() if line.startswith("Error:")]
    assert errors == [errors[0]] and errors[0].startswith("Error: all 2 articles read were skipped (first: ")
    assert "nothing was written" in errors[0]
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert store_meetings(out / "store") == meetings
    assert scratch_left(out) == []


# --------------------------------------------------------------------------- one writer at a time


def test_a_second_writer_is_refused_clearly_while_the_store_is_locked(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    first_two = write_first(SAMPLES, tmp_path / "two.jsonl", 2)
    res = runner.invoke(main, ["build", str(first_two), "--out", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    meetings = store_meetings(out / "store")
    holder = hold_lock(out / "store")  # as `kg build` or `kg add` would while they run
    try:
        for args in (["add", str(SAMPLES), "--store", str(out / "store"), "--quiet"],
                     ["remove", "sample-en-001", "--store", str(out / "store")],
                     ["build", str(SAMPLES), "--out", str(out), "--quiet"]):
            res = runner.invoke(main, args)
            assert res.exit_code == 1, (args, res.output)
            assert "another kg process (kg build, add or remove) is writing here" in res.output, args
            assert isinstance(res.exception, SystemExit) and "Traceback" not in res.output
    finally:
        holder.kill()
        holder.wait()
    assert store_meetings(out / "store") == meetings == file_meetings(out)  # nothing was changed
    res = runner.invoke(main, ["add", str(SAMPLES), "--store", str(out / "store"), "--quiet"])
    assert res.exit_code == 0 and "2 added" in res.output  # the lock died with its holder


def test_a_build_refuses_an_output_folder_another_build_writes_into(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = hold_lock(out)
    try:
        res = CliRunner().invoke(main, ["build", str(SAMPLES), "--out", str(out), "--quiet", "--no-store"])
    finally:
        holder.kill()
        holder.wait()
    assert res.exit_code == 1 and "is writing here" in res.output
    assert list(out.iterdir()) == []


# --------------------------------------------------------------------------- scratch folders


def test_the_next_build_removes_the_scratch_folders_of_dead_processes_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = [out / ".kg-merge-abcd1234", out / ".kg-build-abcd1234", out / ".store-new-abcd1234"]
    for d in dead:
        (d / "inside").mkdir(parents=True)
        (d / "inside" / "mentions.pickle").write_bytes(b"x" * 1000)
    live = out / ".kg-build-live1234"
    live.mkdir()
    not_ours = out / ".kg-build-notascratchfolder"  # not a name kg makes
    not_ours.mkdir()
    holder = hold_lock(live)  # a process still working in it
    try:
        res = CliRunner().invoke(main, ["build", str(SAMPLES), "--out", str(out), "--quiet"])
        assert res.exit_code == 0, res.output
        assert scratch_left(out) == sorted([live.name, not_ours.name])
    finally:
        holder.kill()
        holder.wait()
    assert store_meetings(out / "store") == file_meetings(out)


# --------------------------------------------------------------------------- writers die with their parent


_BESIDE = """
import sys, time
from kg.parallel import beside
if __name__ == "__main__":
    job = beside(time.sleep, 120)
    print(job._proc.pid, flush=True)
    time.sleep(120)
"""

_POOL = """
import sys, time
import kg.parallel as parallel

def slow(articles, extractor=None, resolved=False):
    time.sleep(120)
    return []

if __name__ == "__main__":
    parallel.extract_chunk = slow
    run = parallel.pool_runner(2)
    chunks = iter([[1], [2], [3], [4]])
    results = run(chunks)
    import threading
    threading.Timer(2.0, lambda: print("busy", flush=True)).start()
    next(results)
"""


@pytest.mark.parametrize("body", [_BESIDE, _POOL], ids=["beside", "extraction-pool"])
def test_processes_started_by_kg_die_when_it_is_killed(tmp_path: Path, body: str) -> None:
    script = tmp_path / "parent.py"
    script.write_text(body, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert parent.stdout is not None
        parent.stdout.readline()  # the job is running
        children = descendants(parent.pid)
        assert children
    finally:
        parent.kill()
        parent.wait()
    assert still_alive_after(children, 10) == set()


@pytest.mark.slow
def test_a_killed_build_leaves_files_and_store_that_agree(tmp_path: Path) -> None:
    """Killed once its store is being written (the worst moment before the fix: the writer went
    on and switched its store in beside the old files), a build leaves the previous files and
    store, no process behind, and scratch folders the next build removes."""
    out = tmp_path / "out"
    first_two = write_first(SAMPLES, tmp_path / "two.jsonl", 2)
    res = kg("build", str(first_two), "--out", str(out), "--quiet", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    before = file_meetings(out)
    assert store_meetings(out / "store") == before

    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(SAMPLES), "--out", str(out), "--quiet"],
                             cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not list(out.glob(".store-new-*")) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert build.poll() is None, "the build ended before its store was being written"
        children = descendants(build.pid)
        os.kill(build.pid, signal.SIGKILL)
    finally:
        build.kill()
        build.wait()
    assert still_alive_after(children, 10) == set()
    time.sleep(1)  # what a writer left running would have done by now
    assert file_meetings(out) == before and store_meetings(out / "store") == before

    res = kg("build", str(SAMPLES), "--out", str(out), "--quiet", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert scratch_left(out) == []
    assert store_meetings(out / "store") == file_meetings(out) != before
