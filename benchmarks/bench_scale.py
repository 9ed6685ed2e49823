"""kg build at scale: throughput, peak memory and the share of each stage, with 1 and 2 workers.

For each corpus size (synthetic articles from ``benchmarks/corpus.py``, written to a JSON Lines
file first, streamed), each run in a fresh process:

- ``cli``: ``kg build FILE --out DIR --no-store --quiet --workers N`` itself, for its wall time
  and peak RSS (``ru_maxrss`` of the main process and of the largest worker), and, sampled every
  second, the RSS of all its processes together (workers, the fork server and the processes
  writing beside the main one) and of the largest one besides the main process;
- ``stages``: the same library calls (``read_articles`` → ``extract_all`` → ``resolve_mentions`` →
  ``merge`` → ``write_all``) with a timer around each stage's generator, for the share of time
  per stage (exclusive times: a stage's time without the stages it pulls from). With more than
  one worker, resolution runs on the workers (as in ``kg.build``) and "extract" is the time the
  main process waits for them.

- ``phases``: ``kg build`` itself again, with a timer at each boundary between its phases: start
  (up to the first mention), extraction (up to the last), merge, writing the files. With
  ``--rounds R`` every size runs R times, the workers alternating within a round, and the
  median and range of each phase is printed at the end (these virtual cores change speed from
  minute to minute, so one run of each says little).

Then ``--merge-sizes`` times ``kg.merge.merge`` alone on synthetic mentions (random pairs of
the curated actors, dates over six years, a third of them repeats of an earlier meeting) to show
how merging grows with the number of mentions.

Usage:
    python benchmarks/bench_scale.py --sizes 10000 100000 --workers 1 2
    python benchmarks/bench_scale.py --sizes 2000 --workers 1 2 --runs cli --store   # with the store
    python benchmarks/bench_scale.py --sizes 0 --merge-sizes 100000 400000 1600000
    python benchmarks/bench_scale.py --sizes 10000 --workers 2 1 --runs phases --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import lexicons, write_jsonl  # noqa: E402

CLI_RUN = """
import json, resource, sys, time
from kg.cli import main
t = time.perf_counter()
try:
    main(sys.argv[1:])
except SystemExit as e:
    if e.code:
        raise
wall = time.perf_counter() - t
print(json.dumps({"wall_s": wall, "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  **(phases() if "phases" in globals() else {})}))
"""

STAGES_RUN = """
import json, resource, sys, time
from pathlib import Path
from kg.export.outputs import write_all
from kg.ingest import read_articles
from kg.merge import merge
from kg.pipeline import BuildStats, extract_all, resolve_mentions

src, out, workers = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
total = {"read": 0.0, "extract": 0.0, "resolve": 0.0}

def timed(it, key):
    it = iter(it)
    while True:
        t = time.perf_counter()
        try:
            x = next(it)
        except StopIteration:
            total[key] += time.perf_counter() - t
            return
        total[key] += time.perf_counter() - t
        yield x

t0 = time.perf_counter()
stats = BuildStats()
# one worker: each stage on its own; more: resolution happens on the workers, as in kg.build
extracted = timed(extract_all(timed(read_articles([src]), "read"), stats=stats, workers=workers,
                              resolved=workers > 1), "extract")
found = timed(resolve_mentions(extracted) if workers == 1 else extracted, "resolve")
t = time.perf_counter()
events = merge(found)
merge_incl = time.perf_counter() - t
t = time.perf_counter()
write_all(events, out)
write = time.perf_counter() - t
wall = time.perf_counter() - t0
stages = {"read": total["read"], "extract": total["extract"] - total["read"],
          "resolve": total["resolve"] - total["extract"], "merge": merge_incl - total["resolve"], "write": write}
print(json.dumps({"wall_s": wall, "stages_s": stages, "articles": stats.articles, "words": stats.words,
                  "mentions": stats.mentions, "meetings": len(events),
                  "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


PHASES_RUN = """
import time
import kg.export.outputs as outputs
import kg.spill as spill

t0 = time.perf_counter()
marks = {}
first_add, finish, stage_all = spill.Spill.add, spill.Spill.finish, outputs.stage_all

def add(self, event):
    marks.setdefault("first_mention", time.perf_counter() - t0)
    return first_add(self, event)

def timed_finish(self, *a, **k):
    marks["extracted"] = time.perf_counter() - t0
    try:
        return finish(self, *a, **k)
    finally:
        marks["merged"] = time.perf_counter() - t0

def timed_stage_all(*a, **k):  # kg build writes its files with stage_all, then switches them in
    marks["write_start"] = time.perf_counter() - t0
    try:
        return stage_all(*a, **k)
    finally:
        marks["written"] = time.perf_counter() - t0

def phases():
    return {"phases_s": {"start": marks["first_mention"], "extraction": marks["extracted"] - marks["first_mention"],
                         "merge": marks["merged"] - marks["extracted"],
                         "writing": marks["written"] - marks["write_start"]}}

spill.Spill.add, spill.Spill.finish, outputs.stage_all = add, timed_finish, timed_stage_all
""" + CLI_RUN
"""CLI_RUN with a timer at each phase boundary (its result line gets ``phases_s``)."""


PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss_mb(root: int) -> tuple[float, float]:
    """The RSS of process ``root`` and all its descendants (the extraction workers, the fork server
    and the processes it starts beside the main one): their sum and the largest one but the root's."""
    parent: dict[int, int] = {}
    rss: dict[int, float] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            parent[int(d.name)] = int(fields[1])
            rss[int(d.name)] = int(fields[21]) * PAGE / 2**20
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {root}, True
    while grew:
        new = {pid for pid, pp in parent.items() if pp in tree and pid not in tree}
        tree |= new
        grew = bool(new)
    others = [rss.get(pid, 0.0) for pid in tree if pid != root]
    return sum(rss.get(pid, 0.0) for pid in tree), max(others, default=0.0)


def run(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; sample the memory of its process tree every second."""
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    peaks = [0.0, 0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            total, other = tree_rss_mb(proc.pid)
            peaks[0], peaks[1] = max(peaks[0], total), max(peaks[1], other)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode:
        raise RuntimeError(err[-3000:])
    result = json.loads(out.strip().splitlines()[-1])
    result["rss_all_processes_mb"] = round(peaks[0])  # sampled: the largest sum seen at one moment
    result["rss_largest_other_mb"] = round(peaks[1])
    return result


def load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def bench_size(n: int, workers: list[int], runs: list[str], repeat: int, store: bool, tmp: Path,
               rounds: int = 1) -> list[dict]:
    src = tmp / f"corpus-{n}.jsonl"
    words = write_jsonl(src, n, repeat=repeat)
    rows = []
    for w in [w for _ in range(rounds) for w in workers]:
        for kind in runs:
            out = tmp / f"out-{n}-{w}-{kind}"
            before = load()
            if kind in ("cli", "phases"):
                args = ["build", str(src), "--out", str(out), "--quiet", "--workers", str(w)]
                r = run(CLI_RUN if kind == "cli" else PHASES_RUN, *(args if store else [*args, "--no-store"]))
            else:
                r = run(STAGES_RUN, str(src), str(out), str(w))
            r.update(kind=kind, articles=n, words=words, workers=w, store=store and kind == "cli",
                     load_before=before, load_after=load(), repeat=repeat)
            r["articles_per_s"] = n / r["wall_s"]
            r["words_per_s"] = words / r["wall_s"]
            if "stages_s" in r:
                s = sum(r["stages_s"].values())
                r["stage_share"] = {k: round(v / s, 3) for k, v in r["stages_s"].items()}
            rows.append(r)
            print(json.dumps(r), flush=True)
    src.unlink()
    return rows


def summary(rows: list[dict]) -> list[dict]:
    """The median and range of each phase and of the whole build, per size and number of workers."""
    import statistics

    out = []
    for key in sorted({(r["articles"], r["workers"]) for r in rows if r["kind"] == "phases"}):
        runs = [r for r in rows if r["kind"] == "phases" and (r["articles"], r["workers"]) == key]
        values = {name: [r["phases_s"][name] for r in runs] for name in runs[0]["phases_s"]}
        values["whole"] = [r["wall_s"] for r in runs]
        out.append({"kind": "phases-summary", "articles": key[0], "workers": key[1], "runs": len(runs),
                    **{name: {"median": round(statistics.median(v), 1), "min": round(min(v), 1),
                              "max": round(max(v), 1)} for name, v in values.items()}})
    return out


def synthetic_mentions(n: int, seed: int = 3) -> list[Any]:
    import datetime as dt

    from kg.model import Actor, Event, Mention, PartialDate

    people, _ = lexicons()
    actors = [Actor(p) for p in people]
    rnd = random.Random(seed)
    start = dt.date(2020, 1, 1)
    facts: list[tuple[Actor, Actor, PartialDate]] = []
    out = []
    for i in range(n):
        if facts and rnd.random() < 1 / 3:
            a, b, d = rnd.choice(facts)  # another report of a meeting already seen
        else:
            a, b = rnd.sample(actors, 2)
            day = start + dt.timedelta(days=rnd.randrange(6 * 365))
            d = PartialDate(day.year, day.month, day.day)
            facts.append((a, b, d))
        out.append(Event((a, b), None, d, evidence=(Mention(f"m{i}", 0, 10, "A sentence."),)))
    return out


def bench_merge(sizes: list[int]) -> list[dict]:
    from kg.merge import merge

    rows = []
    for n in sizes:
        mentions = synthetic_mentions(n)
        t = time.perf_counter()
        events = merge(mentions)
        el = time.perf_counter() - t
        r = {"kind": "merge", "mentions": n, "meetings": len(events), "merge_s": el, "us_per_mention": 1e6 * el / n,
             "load_before": load()}
        rows.append(r)
        print(json.dumps(r), flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--runs", nargs="+", choices=["cli", "stages", "phases"], default=["cli", "stages"])
    ap.add_argument("--rounds", type=int, default=1, help="run each size this many times, the workers alternating")
    ap.add_argument("--repeat", type=int, default=1, help="articles per meeting (1: every article reports new ones)")
    ap.add_argument("--store", action="store_true", help="let the cli runs write the store too")
    ap.add_argument("--merge-sizes", type=int, nargs="*", default=[])
    ap.add_argument("--json", type=Path, help="also write every result to this JSON file")
    args = ap.parse_args()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-scale-") as d:
        for n in args.sizes:
            if n > 0:
                rows += bench_size(n, args.workers, args.runs, args.repeat, args.store, Path(d), args.rounds)
    for row in summary(rows):
        rows.append(row)
        print(json.dumps(row), flush=True)
    rows += bench_merge(args.merge_sizes)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
