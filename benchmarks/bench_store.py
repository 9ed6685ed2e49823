"""kg's pyoxigraph store against rdflib's in-memory graph at about a million triples.

Generates N synthetic meetings (one article, one mention each; 5,000 people, 300 places,
dates over three years), then for each side measures:

- load: the store built from the mentions (merge, triples, bulk load to disk) / ``to_rdf``
  into an in-memory ``rdflib.Graph``;
- who-met-whom: the named aggregation query over every meeting (the 500 most frequent pairs;
  on the store also every pair, the same query with its LIMIT removed, and the occurred
  meetings only, which ``kg query`` counts by default);
- top-actors: the 100 actors in the most occurred meetings (store only);
- actor-meetings: one actor's meetings (the median of 20 actors);
- pair-timeline: two actors' meetings (the median of 20 pairs that met);
- add 1,000 articles: ``KgStore.add`` (merge again, diff, one transaction) / merging again and
  adding the new meetings' triples to the rdflib graph.

Usage: python benchmarks/bench_store.py [--meetings 100000] [--add 1000] [--skip-rdflib] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.merge import merge  # noqa: E402
from kg.model import Actor, Event, Mention, PartialDate, Place  # noqa: E402


def synthetic(n: int, *, start: int = 0, seed: int = 7) -> list[Event]:
    """n mention events, one per article ``syn-<i>``, each a meeting of two or three people."""
    rng = random.Random(seed + start)
    people = [Actor(f"Person {i:04d}", country="ID" if i % 2 else "US") for i in range(5000)]
    places = [Place(f"City {i:03d}", country="FR", lat=rng.uniform(-60, 60), lon=rng.uniform(-170, 170))
              for i in range(300)]
    base = dt.date(2023, 1, 1)
    out = []
    for i in range(start, start + n):
        who = tuple(rng.sample(people, 3 if i % 10 == 0 else 2))
        day = base + dt.timedelta(days=rng.randrange(3 * 365))
        text = f"{who[0].name} met {who[1].name} in talks described as constructive."
        out.append(Event(who, rng.choice(places), PartialDate(day.year, day.month, day.day),
                         "planned" if i % 7 == 0 else "occurred", "remote" if i % 11 == 0 else "in-person",
                         evidence=(Mention(f"syn-{i}", 0, len(text), text, lang="en"),)))
    return out


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - t


def capped(fn, limit: float) -> float | None:
    """Seconds ``fn()`` takes in a forked child, or None when it passes ``limit`` (the child is killed)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def child() -> None:
        _, s = timed(fn)
        send.send(s)

    p = ctx.Process(target=child)
    p.start()
    got = recv.poll(limit)
    value = recv.recv() if got else None
    p.kill()
    p.join()
    return value


def median_ms(fn, names: list) -> float:
    times = []
    for name in names:
        _, s = timed(fn, name)
        times.append(s * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=100_000)
    ap.add_argument("--add", type=int, default=1000)
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--rdflib-limit", type=float, default=300.0,
                    help="Seconds after which an rdflib query is stopped and reported as over the limit.")
    args = ap.parse_args()

    from kg.rdf.build import to_rdf
    from kg.rdf.query import iri, query_text, run_query
    from kg.rdf.store import KgStore, Run, build_store

    mentions = synthetic(args.meetings)
    extra = synthetic(args.add, start=args.meetings)
    names = [f"Person {i:04d}" for i in range(0, 5000, 250)]
    pairs = [(e.participants[0].name, e.participants[1].name) for e in mentions[: args.meetings : max(1, args.meetings // 20)]]
    run = Run("bench", "bench")
    results: dict[str, dict[str, float | None]] = {"pyoxigraph store": {}, "rdflib memory": {}}

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        _, s = timed(build_store, path, mentions, run=run)
        r = results["pyoxigraph store"]
        r["load s"] = s
        store = KgStore(path)
        r["triples"] = len(store)
        top, r["who-met-whom s"] = timed(store.rows, "who-met-whom")
        r["who-met-whom rows"] = len(top)
        occurred = {"status": iri("kg:Occurred")}  # what kg query counts unless --status says otherwise
        _, r["who-met-whom, occurred s"] = timed(store.rows, "who-met-whom", occurred)
        _, r["top-actors, occurred s"] = timed(store.rows, "top-actors", occurred)
        every = query_text("who-met-whom").replace("LIMIT 500\n", "")
        assert every != query_text("who-met-whom"), "who-met-whom.rq has no LIMIT 500 line any more"
        everything, r["who-met-whom, all pairs s"] = timed(store.rows, every)
        r["who-met-whom, all pairs rows"] = len(everything)
        r["actor-meetings ms"] = median_ms(lambda n: store.rows("actor-meetings", {"actor_name": n}), names)
        r["pair-timeline ms"] = median_ms(
            lambda p: store.rows("pair-timeline", {"a_name": p[0], "b_name": p[1]}), pairs)
        change, r[f"add {args.add} articles s"] = timed(store.add, extra, run=run)
        r["meetings"] = change.meetings
        store.close()
    print(f"store done; peak RSS so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
          file=sys.stderr)

    if not args.skip_rdflib:
        r = results["rdflib memory"]
        merged, s1 = timed(merge, mentions)
        g, s2 = timed(to_rdf, merged)
        r["load s"] = s1 + s2
        r["triples"] = len(g)
        r["who-met-whom s"] = capped(lambda: run_query(g, "who-met-whom"), args.rdflib_limit)
        # one actor only: rdflib evaluates the bound actor-meetings query very slowly
        ms = capped(lambda: run_query(g, "actor-meetings", {"actor_name": names[1]}), args.rdflib_limit)
        r["actor-meetings ms"] = None if ms is None else ms * 1000
        ms = capped(lambda: run_query(g, "pair-timeline", {"a_name": pairs[0][0], "b_name": pairs[0][1]}),
                    args.rdflib_limit)
        r["pair-timeline ms"] = None if ms is None else ms * 1000

        def add_rdflib() -> None:
            old = {e.id for e in merged}
            new = merge(mentions + extra)
            to_rdf([e for e in new if e.id not in old], graph=g)
            r["meetings"] = len(new)

        _, r[f"add {args.add} articles s"] = timed(add_rdflib)
    results["peak RSS MB (whole run)"] = {"": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}

    if args.json:
        print(json.dumps(results, indent=1))
        return
    keys = [k for k in results["pyoxigraph store"]]
    print(f"{'':32}{'pyoxigraph store':>18}{'rdflib memory':>18}")
    for k in keys:
        a = results["pyoxigraph store"].get(k)
        b = results["rdflib memory"].get(k)
        fa = f"{a:,.3f}" if isinstance(a, float) else f"{a:,}"
        if k not in results["rdflib memory"] or (b is None and args.skip_rdflib):
            fb = "-"  # not measured
        elif b is None:
            fb = f"> {args.rdflib_limit:g} s"
        else:
            fb = f"{b:,.3f}" if isinstance(b, float) else f"{b:,}"
        print(f"{k:32}{fa:>18}{fb:>18}")
    print(f"peak RSS {results['peak RSS MB (whole run)']['']:.0f} MB")


if __name__ == "__main__":
    main()
