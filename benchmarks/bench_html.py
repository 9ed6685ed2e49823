"""Size and speed of graph.html: generation time, file size and time-to-interactive in Chromium.

Generates N meetings among A actors (a few hubs meet often, most actors rarely; about 150
countries; every meeting with a source sentence), renders the explorer page with
``kg.export.html.render_html`` and reports:

- generation time (events in, HTML text out) and the file size;
- time-to-interactive in headless Chromium (``/usr/bin/chromium`` through playwright):
  from navigation start to the first frame vis-network draws, with the page's own data
  parsed and its controls wired (the page sets ``window.kgReady`` then); and the time
  until the page answers a click (a country expanded, in the aggregated view).

Usage: python benchmarks/bench_html.py [--meetings 20000] [--actors 5000] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def synthetic_events(meetings: int, actors: int, seed: int = 7) -> list:
    """``meetings`` random meetings among ``actors`` actors, reproducible for a seed."""
    import pycountry

    from kg.ids import event_iri
    from kg.model import Actor, Event, Mention, PartialDate, Place

    rng = random.Random(seed)
    codes = sorted(c.alpha_2 for c in pycountry.countries)[:150]
    people = [Actor(f"Person {i:05d}", country=rng.choice(codes), role="Minister") for i in range(actors)]
    weights = [1.0 / (1 + i) ** 0.8 for i in range(actors)]  # a few hubs, a long tail
    out = []
    for k in range(meetings):
        size = 2 if rng.random() < 0.9 else 3
        who: set = set()
        while len(who) < size:
            who.add(rng.choices(people, weights)[0])
        year, month = rng.choice((2023, 2024, 2025)), rng.randint(1, 12)
        status = rng.choices(("occurred", "planned", "cancelled"), (0.8, 0.15, 0.05))[0]
        sentence = f"{' and '.join(sorted(a.name for a in who))} met in City {k % 300} to discuss trade."
        event = Event(
            participants=tuple(sorted(who, key=lambda a: a.name)),
            location=Place(f"City {k % 300}", country=rng.choice(codes)),
            date=PartialDate(year, month, rng.randint(1, 28)),
            status=status,
            mode="remote" if rng.random() < 0.1 else "in-person",
            evidence=(
                Mention(
                    f"article-{k}",
                    0,
                    len(sentence),
                    sentence,
                    status=status,
                    url=f"https://example.org/news/{k}",
                ),
            ),
        )
        out.append(event.with_(id=event_iri(event)))  # as merge leaves them
    return out


def time_to_interactive(path: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        external: list[str] = []
        page.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith("file:")
                else (external.append(r.request.url), r.abort())
            ),
        )
        start = time.perf_counter()
        page.goto(path.as_uri(), timeout=120_000)
        page.wait_for_function("window.kgReady !== undefined", timeout=120_000)
        wall = time.perf_counter() - start
        ready = page.evaluate("window.kgReady")
        shown = page.evaluate("[kgExplorer.nodes.length, kgExplorer.edges.length]")
        click = None
        group = page.evaluate(
            "(kgExplorer.nodes.getIds().filter(function (i) { return i[0] === 'g'; })[0]) || null"
        )
        if group:
            t = time.perf_counter()
            page.evaluate(f"kgExplorer.expand({json.dumps(group)})")
            page.evaluate("new Promise(function (r) { requestAnimationFrame(function () { r(); }); })")
            click = time.perf_counter() - t
        browser.close()
    return {
        "tti_s": round(wall, 2),
        "script_to_first_draw_s": round(ready / 1000, 2),
        "drawn_nodes": shown[0],
        "drawn_edges": shown[1],
        "expand_country_s": round(click, 2) if click is not None else None,
        "external_requests": external,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=20_000)
    ap.add_argument("--actors", type=int, default=5_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from kg.export.html import render_html

    events = synthetic_events(args.meetings, args.actors)
    start = time.perf_counter()
    page = render_html(events)
    generate = time.perf_counter() - start
    result = {
        "meetings": args.meetings,
        "actors": args.actors,
        "generate_s": round(generate, 2),
        "size_mb": round(len(page.encode("utf-8")) / 1e6, 2),
        "aggregated": '"aggregate":true' in page,
    }
    if shutil.which(CHROMIUM):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "graph.html"
            path.write_text(page, encoding="utf-8")
            result.update(time_to_interactive(path))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
