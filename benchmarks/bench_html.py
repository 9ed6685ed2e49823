"""Size and speed of graph.html: generation time, file size and time-to-interactive in Chromium.

Generates N meetings among A actors (a few hubs meet often, most actors rarely; about 150
countries; every meeting with a source sentence, at one of 300 places with coordinates),
renders the explorer page with ``kg.export.html.render_html`` and reports:

- generation time (events in, HTML text out) and the file size;
- in headless Chromium (``/usr/bin/chromium`` through playwright, see :func:`in_browser`):
  the time to interactive, whether any node moves after it, the time a date filter takes
  to lay out what is left and redraw (and whether anything moves after that), and the time
  to expand a country in the aggregated view.

By default it runs 4,000 meetings among 1,000 actors, then 20,000 among 5,000.

Usage: python benchmarks/bench_html.py [--meetings 4000 20000] [--actors 1000 5000]
       [--aggregate auto|yes|no] [--json]
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
    # 300 cities somewhere on land or sea, from a generator of their own (the meetings stay
    # those of earlier runs of the benchmark).
    spots = random.Random(seed + 1)
    cities = [(round(spots.uniform(-50, 65), 4), round(spots.uniform(-170, 170), 4)) for _ in range(300)]
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
            location=Place(f"City {k % 300}", country=rng.choice(codes), lat=cities[k % 300][0], lon=cities[k % 300][1]),
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


_FRAME = "new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(r); }); })"
_POSITIONS = "JSON.stringify(kgExplorer.network.getPositions())"


def _moved(before: str, after: str) -> int:
    """How many nodes are at another place (or appeared, or went) between two reads."""
    a, b = json.loads(before), json.loads(after)
    return sum(1 for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def in_browser(path: Path, still_wait_s: float = 1.0) -> dict:
    """Open the page in headless Chromium and time what a person waits for.

    - ``tti_s``: navigation start to the first frame vis-network draws with the page's data
      parsed and its controls wired (the page sets ``window.kgReady`` then);
    - ``moved_after_ready``: nodes whose position changed between that moment and
      ``still_wait_s`` later (0: the layout stays still);
    - ``filter_s``: one year picked with the date sliders, to the second frame after it (the
      filter, the re-layout of what is left and the redraw); ``layout_ms`` is the page's own
      time for the re-layout alone, ``moved_after_filter`` as above;
    - ``expand_country_s``: in the aggregated view, a country expanded, to the next frame.
    """
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
        page.wait_for_function("window.kgReady !== undefined", timeout=120_000, polling=10)
        wall = time.perf_counter() - start
        ready = page.evaluate("window.kgReady")
        first = page.evaluate(_POSITIONS)
        time.sleep(still_wait_s)
        moved = _moved(first, page.evaluate(_POSITIONS))
        shown = page.evaluate("[kgExplorer.nodes.length, kgExplorer.edges.length]")

        lo = page.evaluate("parseInt(document.getElementById('kg-from').min, 10)")
        year = lo // 12 + 1  # the second year of the data
        t = time.perf_counter()
        page.evaluate(
            "k => { const f = document.getElementById('kg-from'), t = document.getElementById('kg-to');"
            " t.value = k + 11; f.value = k; f.dispatchEvent(new Event('input', {bubbles: true})); }",
            year * 12,
        )
        page.evaluate(_FRAME)
        filtered = time.perf_counter() - t
        layout_ms = page.evaluate("window.kgLayoutMs")
        after = page.evaluate(_POSITIONS)
        shown_filtered = page.evaluate("[kgExplorer.nodes.length, kgExplorer.edges.length]")
        time.sleep(still_wait_s)
        moved_filtered = _moved(after, page.evaluate(_POSITIONS))
        page.click("#kg-reset")

        click = None
        group = page.evaluate(
            "(kgExplorer.nodes.getIds().filter(function (i) { return i[0] === 'g'; })[0]) || null"
        )
        if group:
            t = time.perf_counter()
            page.evaluate(f"kgExplorer.expand({json.dumps(group)})")
            page.evaluate(_FRAME)
            click = time.perf_counter() - t
        browser.close()
    return {
        "tti_s": round(wall, 2),
        "script_to_first_draw_s": round(ready / 1000, 2),
        "drawn_nodes": shown[0],
        "drawn_edges": shown[1],
        "moved_after_ready": moved,
        "filter_year": year,
        "filter_s": round(filtered, 2),
        "layout_ms": round(layout_ms),
        "drawn_after_filter": shown_filtered,
        "moved_after_filter": moved_filtered,
        "expand_country_s": round(click, 2) if click is not None else None,
        "external_requests": external,
    }


def run(meetings: int, actors: int, aggregate: bool | None) -> dict:
    from kg.export.html import render_html

    events = synthetic_events(meetings, actors)
    start = time.perf_counter()
    page = render_html(events, aggregate=aggregate)
    generate = time.perf_counter() - start
    result = {
        "meetings": meetings,
        "actors": actors,
        "generate_s": round(generate, 2),
        "size_mb": round(len(page.encode("utf-8")) / 1e6, 2),
        "aggregated": '"aggregate":true' in page,
    }
    if shutil.which(CHROMIUM):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "graph.html"
            path.write_text(page, encoding="utf-8")
            result.update(in_browser(path))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, nargs="+", default=[4_000, 20_000],
                    help="meetings of each run (default: 4000 20000)")
    ap.add_argument("--actors", type=int, nargs="+", default=[1_000, 5_000],
                    help="actors of each run, paired with --meetings (default: 1000 5000)")
    ap.add_argument("--aggregate", choices=["auto", "yes", "no"], default="auto",
                    help="start grouped by country: auto (above 1,500 actors), yes or no")
    ap.add_argument("--json", action="store_true", help="one JSON object per run")
    args = ap.parse_args()
    if len(args.meetings) != len(args.actors):
        ap.error("give as many --meetings as --actors")
    aggregate = {"auto": None, "yes": True, "no": False}[args.aggregate]
    for meetings, actors in zip(args.meetings, args.actors, strict=True):
        result = run(meetings, actors, aggregate)
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            for key, value in result.items():
                print(f"{key:24} {value}")
            print(flush=True)


if __name__ == "__main__":
    main()
