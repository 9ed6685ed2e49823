"""kg.export.atomic: all or nothing, never a half-written file, never a stray temp file."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.export.atomic import DirLock, ScratchFolder, atomic_write, recover, settle, sweep, writer_locks


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


# --------------------------------------------------------------------------- locks, scratch, commit

_HOLD = ("import fcntl, os, sys, time\n"
         "fd = os.open(sys.argv[1], os.O_RDONLY)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\n"
         "time.sleep(300)\n")


def _holder(folder: Path) -> subprocess.Popen[str]:
    p = subprocess.Popen([sys.executable, "-c", _HOLD, str(folder)], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "locked"
    return p


def test_a_lock_is_free_again_when_its_holder_dies(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    try:
        assert not DirLock(tmp_path).acquire()
        with pytest.raises(KgError, match="another kg process .* is writing here"):
            with writer_locks(tmp_path):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    lock = DirLock(tmp_path)
    assert lock.acquire()
    assert DirLock(tmp_path).acquire()  # this process may take its own lock again
    lock.release()


def test_sweep_removes_dead_scratch_folders_and_keeps_live_and_foreign_ones(tmp_path: Path) -> None:
    dead = [tmp_path / ".kg-merge-dead1234", tmp_path / ".kg-build-dead1234", tmp_path / ".news-new-dead1234",
            tmp_path / ".news-old-dead1234"]
    for d in dead:
        (d / "sub").mkdir(parents=True)
        (d / "sub" / "mentions.pickle").write_bytes(b"x")
    other_store = tmp_path / ".other-new-dead1234"  # the scratch of a store not named here
    user = tmp_path / ".kg-merge-my-own-notes"  # not a name kg makes
    for d in (other_store, user):
        d.mkdir()
    mine = ScratchFolder(tmp_path, ".kg-build-")  # this process works in it
    live = tmp_path / ".kg-merge-live1234"
    live.mkdir()
    holder = _holder(live)  # another process works in it
    try:
        assert sorted(sweep(tmp_path, stores=["news"])) == sorted(dead)
        assert mine.path.is_dir() and live.is_dir() and other_store.is_dir() and user.is_dir()
    finally:
        holder.kill()
        holder.wait()
    assert sweep(tmp_path) == [live]
    mine.remove()
    assert not mine.path.exists()


_COMMIT = """
import os, signal, sys
from pathlib import Path
from kg.export.atomic import DirLock, Move, commit

out, scratch, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
real, calls = os.replace, [0]

def replace(src, dst):
    calls[0] += 1
    if calls[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)

os.replace = replace
assert DirLock(out).acquire()
commit([Move(scratch / "a.txt", out / "a.txt"), Move(scratch / "b.txt", out / "b.txt"),
        Move(scratch / "store", out / "store", aside=scratch / "old")], journals=[out], lock=out)
"""


def _outputs(out: Path) -> tuple[str, str, str]:
    return ((out / "a.txt").read_text(), (out / "b.txt").read_text(),
            (out / "store" / "data").read_text() if (out / "store").is_dir() else "missing")


@pytest.mark.parametrize("kill_at", range(1, 8))
def test_outputs_switch_together_when_the_committing_process_is_killed(tmp_path: Path, kill_at: int) -> None:
    out, scratch = tmp_path / "out", tmp_path / "out" / ".kg-build-abcd1234"
    (out / "store").mkdir(parents=True)
    (scratch / "store").mkdir(parents=True)
    for folder, text in ((out, "old"), (scratch, "new")):
        (folder / "a.txt").write_text(text)
        (folder / "b.txt").write_text(text)
        (folder / "store" / "data").write_text(text)
    # renames: the journal (written, moved in place), a.txt, b.txt, the old store aside, the new
    # store in; 7 is past the end
    res = subprocess.run([sys.executable, "-c", _COMMIT, str(out), str(scratch), str(kill_at)], timeout=120)
    assert res.returncode == (-signal.SIGKILL if kill_at <= 6 else 0)
    pending = sorted(p.name for p in out.glob(".kg-commit-*.json"))
    as_left = _outputs(out)
    if kill_at <= 2:  # before the journal was in place: nothing moved
        assert pending == [] and as_left == ("old", "old", "old")
    elif kill_at <= 6:  # half-way: the journal says what is left to do
        assert len(pending) == 1 and as_left != ("new", "new", "new")
    settle(out)  # what the next kg writer does first (the killed process's lock died with it)
    want = "old" if kill_at <= 2 else "new"
    assert _outputs(out) == (want, want, want)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no journal, no scratch


def test_recovery_leaves_the_commit_of_a_live_process_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (tmp_path / "s").mkdir(parents=True)
    out.mkdir()
    (tmp_path / "s" / "a.txt").write_text("new")
    journal = out / ".kg-commit-000000000000.json"
    journal.write_text(json.dumps({"moves": [[str(tmp_path / "s" / "a.txt"), str(out / "a.txt"), None]],
                                   "journals": [str(journal)], "lock": str(out)}))
    holder = _holder(out)  # the committing process, still at work
    try:
        assert recover(out) == 0 and journal.exists() and not (out / "a.txt").exists()
    finally:
        holder.kill()
        holder.wait()
    assert recover(out) == 1 and (out / "a.txt").read_text() == "new" and not journal.exists()


def test_ctrl_c_during_a_commit_waits_for_its_end(tmp_path: Path) -> None:
    script = _COMMIT.replace("    real(src, dst)", "    time.sleep(0.3)\n    real(src, dst)").replace(
        "import os, signal, sys", "import os, signal, sys, time\nprint('go', flush=True)")
    out, scratch = tmp_path / "out", tmp_path / "out" / ".kg-build-abcd1234"
    (scratch / "store").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "store/data"):
        (scratch / name).write_text("new")
    p = subprocess.Popen([sys.executable, "-c", script, str(out), str(scratch), "0"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "go"
    deadline = time.monotonic() + 60
    while not list(out.glob(".kg-commit-*.json")) and time.monotonic() < deadline:
        time.sleep(0.01)
    p.send_signal(signal.SIGINT)  # between two renames
    _, err = p.communicate(timeout=60)
    assert p.returncode == -signal.SIGINT and "KeyboardInterrupt" in err  # interrupted, after the last move
    assert _outputs(out) == ("new", "new", "new") and not list(out.glob(".kg-commit-*"))
