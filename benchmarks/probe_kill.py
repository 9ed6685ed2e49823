"""Kill `kg build`, `kg add` and `kg remove` at random moments and check what they leave.

Each run starts one command on a small synthetic corpus (``benchmarks/corpus.py``) and sends it
SIGKILL or SIGINT (Ctrl-C) after a random delay, anywhere from start-up to the end of the
command. Half of the runs slow every rename of the main process (0.15 s each, in the launcher,
not in kg) so that kills land while the outputs are being switched in, the moment a build is
most fragile; half of the slowed builds are killed at a random moment of that switch (from the
appearance of its journal on). After each kill it checks:

- the processes kg started are gone within 10 s (writers die with their parent);
- as left by the kill (read without kg, before any recovery): for a build, the files
  (events.jsonl) and the store hold the same meetings, from the previous build or from the new
  one; for an add or a remove, the store holds the articles and meetings from before or from
  after, nothing in between; a commit caught half-way is counted apart (its journal is there);
- then the next kg command on the same folder (a ``kg remove`` of an id that is not there, which
  finishes a commit a kill left half-made and sweeps the scratch folders of dead processes): the
  same agreement, and no ``.kg-merge-*``, ``.kg-build-*``, ``.kg-commit-*`` or ``.store-new-*``
  folder left;
- after SIGINT: the command exits by itself within 60 s, without a traceback.

Builds alternate between two inputs (A, and A plus more articles); adds and removes alternate on
a second folder (adding articles C to the store of A, then removing them again), so every run
changes something.

Usage: python benchmarks/probe_kill.py [--runs 60] [--articles 40] [--seed 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

MEETINGS = "https://w3id.org/kg/id/graph/meetings"
SCRATCH = (".kg-merge-", ".kg-build-", ".kg-commit-", ".store-new-", ".store-old-")
ABSENT = "probe-absent-id"

LAUNCHER = """
import os, sys, time
slow = float(os.environ.get("PROBE_SLOW_RENAMES") or 0)
if slow:  # every rename of this process takes longer: kills land while outputs are switched in
    real_replace, real_rename = os.replace, os.rename
    def replace(*a, **k):
        time.sleep(slow)
        return real_replace(*a, **k)
    def rename(*a, **k):
        time.sleep(slow)
        return real_rename(*a, **k)
    os.replace, os.rename = replace, rename
from kg.cli import main
if __name__ == "__main__":
    sys.exit(main())
"""


# --------------------------------------------------------------------------- reading what is left


def file_meetings(out: Path) -> frozenset[str] | None:
    try:
        text = (out / "events.jsonl").read_text(encoding="utf-8")
    except OSError:
        return None
    return frozenset(json.loads(line)["id"] for line in text.splitlines() if line.strip())


def store_state(store: Path) -> tuple[frozenset[str], frozenset[str]] | None:
    """(meeting IRIs, article identifiers) of a store, read with pyoxigraph alone (no recovery)."""
    import pyoxigraph as ox

    if not store.is_dir():
        return None
    try:
        s = ox.Store.read_only(str(store))
    except OSError:
        return None
    meetings = frozenset(r["m"].value for r in s.query(
        f"SELECT ?m WHERE {{ GRAPH <{MEETINGS}> {{ ?m a <https://w3id.org/kg/ontology#Meeting> }} }}"))
    articles = frozenset(r["id"].value for r in s.query(
        "SELECT ?id WHERE { GRAPH ?g { ?a <https://w3id.org/kg/ontology#loadOrder> ?o ; "
        "<https://schema.org/identifier> ?id } }"))
    del s
    return meetings, articles


def scratch_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(SCRATCH) and p.is_dir())


def journals_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".kg-commit-*.json"))


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux: from /proc)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for c in children.get(stack.pop(), []):
            if c not in found:
                found.add(c)
                stack.append(c)
    return found


def alive(pid: int) -> bool:
    """True for a process that runs (not a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


# --------------------------------------------------------------------------- running kg


class Kg:
    def __init__(self, work: Path) -> None:
        self.work = work
        bin_dir = work / "bin"
        bin_dir.mkdir(parents=True, exist_ok=True)
        self.launcher = bin_dir / "kg_launch.py"
        self.launcher.write_text(LAUNCHER, encoding="utf-8")

    def cmd(self, *args: str) -> list[str]:
        return [sys.executable, str(self.launcher), *args]

    def run(self, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
        t = time.perf_counter()
        res = subprocess.run(self.cmd(*args), cwd=self.work, capture_output=True, text=True, timeout=900)
        return time.perf_counter() - t, res

    def killed(self, args: list[str], delay: float, sig: int, slow: float,
               after: Path | None = None) -> dict[str, Any]:
        """Run kg and send it ``sig`` ``delay`` seconds after it starts, or, with ``after`` (a
        folder), ``delay`` seconds after a commit journal appears there."""
        env = {**os.environ, "PROBE_SLOW_RENAMES": str(slow) if slow else ""}
        p = subprocess.Popen(self.cmd(*args), cwd=self.work, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        t0 = time.monotonic()
        children: set[int] = set()
        while after is not None and p.poll() is None and not journals_in(after):
            children |= descendants(p.pid)
            time.sleep(0.005)
        t0 = time.monotonic() if after is not None else t0
        while time.monotonic() - t0 < delay and p.poll() is None:
            children |= descendants(p.pid)
            time.sleep(0.005 if after is not None else 0.02)
        result: dict[str, Any] = {"finished_first": p.poll() is not None, "ran_s": time.monotonic() - t0}
        children |= descendants(p.pid) if p.poll() is None else set()
        if p.poll() is None:
            os.kill(p.pid, sig)
        try:
            _, err = p.communicate(timeout=60)
            result["exited_in_time"] = True
        except subprocess.TimeoutExpired:  # Ctrl-C not heeded within a minute
            p.kill()
            _, err = p.communicate()
            result["exited_in_time"] = False
        result["returncode"] = p.returncode
        result["traceback"] = "Traceback" in (err or "")
        result["stderr_tail"] = (err or "")[-600:]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(c) for c in children):
            time.sleep(0.05)
        result["left_alive"] = sorted(c for c in children if alive(c))
        for c in result["left_alive"]:  # not to disturb the next runs
            try:
                os.kill(c, signal.SIGKILL)
            except OSError:
                pass
        return result


# --------------------------------------------------------------------------- the probe


def write_corpus(work: Path, n: int) -> dict[str, Path]:
    from corpus import articles

    rows = list(articles(n + n // 2, repeat=2))
    paths = {}
    for name, part in (("A", rows[:n]), ("B", rows), ("C", rows[n:])):
        paths[name] = work / f"{name}.jsonl"
        paths[name].write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=60, help="Killed runs in all (half builds, half adds/removes).")
    ap.add_argument("--articles", type=int, default=40, help="Articles in input A (B has half as many more).")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--slow", type=float, default=0.15, help="Seconds added to each rename in half the runs.")
    ap.add_argument("--work", type=Path, default=None, help="Where to work (default: a temporary folder).")
    ap.add_argument("--json", action="store_true", help="Print the summary as JSON.")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-probe-kill-"))
    work.mkdir(parents=True, exist_ok=True)
    kg = Kg(work)
    inputs = write_corpus(work, args.articles)
    c_ids = [json.loads(line)["id"] for line in inputs["C"].read_text(encoding="utf-8").splitlines()]

    # references: every command once, not killed (and how long each takes)
    ref = work / "ref"
    t_build, res = kg.run("build", str(inputs["A"]), "--out", str(ref / "A"), "--quiet")
    assert res.returncode == 0, res.stderr
    kg.run("build", str(inputs["B"]), "--out", str(ref / "B"), "--quiet")
    shutil.copytree(ref / "A", ref / "AC")
    t_add, res = kg.run("add", str(inputs["C"]), "--store", str(ref / "AC" / "store"), "--quiet")
    assert res.returncode == 0, res.stderr
    shutil.copytree(ref / "AC", ref / "AC-C")
    t_remove, res = kg.run("remove", *c_ids, "--store", str(ref / "AC-C" / "store"))
    assert res.returncode == 0, res.stderr
    files = {k: file_meetings(ref / k) for k in ("A", "B")}
    stores = {k: store_state(ref / k / "store") for k in ("A", "B", "AC", "AC-C")}
    assert files["A"] != files["B"] and stores["A"] != stores["AC"]
    assert stores["A"] is not None and files["A"] == stores["A"][0] and files["B"] == stores["B"][0]
    assert stores["AC-C"] == stores["A"]  # removing C gives the store of A again

    builds, changes = work / "builds", work / "changes"
    shutil.copytree(ref / "A", builds)
    shutil.copytree(ref / "A", changes)

    tally: Counter[str] = Counter({k: 0 for k in (
        "signalled: survived, files and store agreeing", "processes left alive 10 s after the kill",
        "scratch folders left after the next run", "half-made commits left (journal)", "Ctrl-C: tracebacks")})
    failures: list[dict[str, Any]] = []
    spans = {"build": t_build, "add": t_add, "remove": t_remove}  # shortened to what a run took, if less
    for n in range(args.runs):
        sig = rng.choice([signal.SIGKILL, signal.SIGKILL, signal.SIGINT])
        slow = args.slow if rng.random() < 0.5 else 0.0
        if n % 2 == 0:  # a build, from A to B or back
            op, folder = "build", builds
            target = "B" if file_meetings(builds) == files["A"] else "A"
            cmd = ["build", str(inputs[target]), "--out", str(builds), "--quiet"]
        else:  # an add of C, or its removal
            folder = changes
            state = store_state(changes / "store")
            op = "remove" if state == stores["AC"] else "add"
            cmd = (["add", str(inputs["C"]), "--store", str(changes / "store"), "--quiet"] if op == "add"
                   else ["remove", *c_ids, "--store", str(changes / "store")])
        span = spans[op]
        before = (file_meetings(folder), store_state(folder / "store"))
        # slowed builds: half are killed while they switch their outputs in (at a random moment
        # in the renames, from the journal's appearance on); the others anywhere in the run
        in_commit = op == "build" and slow and rng.random() < 0.5
        delay = rng.uniform(0, 6 * slow) if in_commit else rng.uniform(0.05, 0.97) * span
        got = kg.killed(cmd, delay, sig, slow, after=folder if in_commit else None)
        signalled = not got["finished_first"]
        if not signalled and not slow and not in_commit:  # the machine is faster now: aim shorter
            spans[op] = min(spans[op], got["ran_s"])
        tally["runs"] += 1
        tally[f"runs {op}"] += 1
        tally["slowed renames"] += bool(slow)
        tally["ended before the signal"] += not signalled
        if signalled:
            tally["signalled: SIGKILL" if sig == signal.SIGKILL else "signalled: SIGINT"] += 1
            tally[f"signalled: {op}"] += 1
            tally["signalled while switching in (aimed)"] += bool(in_commit)
        tally["processes left alive 10 s after the kill"] += len(got["left_alive"])
        if sig == signal.SIGINT and not got["finished_first"]:
            tally["Ctrl-C"] += 1
            tally["Ctrl-C: exited within 60 s"] += got["exited_in_time"]
            tally["Ctrl-C: tracebacks"] += got["traceback"]

        def agrees(op: str = op, folder: Path = folder, before: Any = before) -> bool:
            fm, st = file_meetings(folder), store_state(folder / "store")
            if op == "build":  # files and store from one build, the previous one or the new one
                return st is not None and fm == st[0] and fm in (files["A"], files["B"])
            # the files are not the command's; the store is as before or as after, nothing between
            return fm == before[0] and st in (stores["A"], stores["AC"])

        as_left = agrees()
        pending = journals_in(folder)
        left = scratch_in(folder)
        if signalled:
            tally["signalled: agree as left"] += as_left
        tally["half-made commits left (journal)"] += bool(pending)
        tally["runs leaving scratch folders"] += bool(left)
        tally["scratch folders left by the kill"] += len(left)
        # the next kg command on the folder: finishes a half-made commit, sweeps dead scratch folders
        _, nxt = kg.run("remove", ABSENT, "--store", str(folder / "store"))
        after = agrees()
        survived = after and nxt.returncode == 0 and "Traceback" not in nxt.stderr
        tally["signalled: survived, files and store agreeing" if signalled else "ended first: agreeing"] += survived
        still = scratch_in(folder) + journals_in(folder)
        tally["scratch folders left after the next run"] += len(still)
        if not survived or still or got["left_alive"] or (sig == signal.SIGINT and got["traceback"]):
            failures.append({"run": n, "op": op, "signal": int(sig), "delay": round(delay, 2), "slow": slow,
                             "as_left": as_left, "after": after, "left": still, "pending": pending,
                             "next_rc": nxt.returncode, "next_err": nxt.stderr[-400:], **got})
        if not args.json:
            print(f"run {n:3} {op:6} {'KILL' if sig == signal.SIGKILL else 'INT ':4} "
                  f"{'in the switch' if in_commit else 'after':13} {delay:5.2f} s"
                  f"{' (slow renames)' if slow else '':16} as left {'ok' if as_left else 'NO'}"
                  f"{' +journal' if pending else '':9} scratch {len(left)}  after next run "
                  f"{'ok' if survived else 'NO'}, scratch {len(still)}", flush=True)

    summary = {
        "corpus": {"A": args.articles, "B": args.articles + args.articles // 2, "C": len(c_ids)},
        "unkilled seconds": {"build": round(t_build, 1), "add": round(t_add, 1), "remove": round(t_remove, 1)},
        **dict(sorted(tally.items())),
        "failures": failures,
        "work": str(work),
    }
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print()
        for k, v in summary.items():
            if k != "failures":
                print(f"{k:45} {v}")
        for f in failures:
            print("FAILED", json.dumps(f))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
