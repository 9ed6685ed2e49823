"""The explorer page in a real headless Chromium: what a person sees and does.

Chromium is Debian's (``/usr/bin/chromium``), driven by playwright-python; nothing
downloads a browser. Every request the page makes is routed through the test, which
fails on anything but the page's own file.
"""

from __future__ import annotations

import itertools
import math
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from export_samples import HOSTILE

from kg.export import html as kg_html
from kg.export.html import render_html
from kg.model import Actor, Event, Mention, PartialDate

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
#: Where to keep a screenshot of the page (for a person to look at); unset: not taken.
SCREENSHOT_DIR = os.environ.get("KG_SCREENSHOTS")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"headless chromium not installed at {CHROMIUM} (Debian package: chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Page:
    """One explorer page open in Chromium, with every request and dialog recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.external: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1300, "height": 850})
        self.page.route("**/*", self._route)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgReady !== undefined && window.kgStill === true", timeout=60_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def js(self, expr: str, arg: Any = None) -> Any:
        return self.page.evaluate(expr, arg)

    def drawn(self) -> tuple[int, int]:
        return tuple(self.js("[kgExplorer.nodes.length, kgExplorer.edges.length]"))

    def labels(self) -> dict[str, str]:
        return dict(self.js("Object.fromEntries(kgExplorer.nodes.get().map(n => [n.id, n.label]))"))

    def node_id(self, label: str) -> str:
        (found,) = [i for i, name in self.labels().items() if name == label]
        return found

    def edge_id(self, a: str, b: str) -> str:
        ends = {self.node_id(a), self.node_id(b)}
        (found,) = [e["id"] for e in self.js("kgExplorer.edges.get()") if {e["from"], e["to"]} == ends]
        return found

    def drawn_pairs(self) -> set[frozenset[str]]:
        labels = self.labels()
        return {frozenset((labels[e["from"]], labels[e["to"]])) for e in self.js("kgExplorer.edges.get()")}

    def click_canvas(self, point: dict[str, float]) -> None:
        dom = self.js("p => kgExplorer.network.canvasToDOM(p)", point)
        box = self.page.locator("#kg-network canvas").bounding_box()
        self.page.mouse.click(box["x"] + dom["x"], box["y"] + dom["y"])

    def click_node(self, label: str) -> None:
        nid = self.node_id(label)
        self.click_canvas(self.js("id => kgExplorer.network.getPositions([id])[id]", nid))

    def click_edge(self, a: str, b: str) -> None:
        eid = self.edge_id(a, b)
        self.click_canvas(self.js("id => kgExplorer.network.body.edges[id].edgeType.getPoint(0.5)", eid))

    def close(self) -> None:
        assert self.errors == []
        assert self.external == []  # no request left the machine
        assert self.js("performance.getEntriesByType('resource').map(r => r.name)") == []
        assert self.dialogs == []  # no alert ran
        assert self.js("document.images.length") == 0
        self.page.close()


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages: list[Page] = []

    def opener(events: list[Event], **options: Any) -> Page:
        path = tmp_path / f"graph{len(pages)}.html"
        path.write_text(render_html(events, **options), encoding="utf-8")
        pages.append(Page(browser, path))
        return pages[-1]

    yield opener
    for p in pages:
        p.close()


def _screenshot(page: Page, name: str) -> None:
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(Path(SCREENSHOT_DIR) / name))


def test_draws_every_actor_and_pair(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)
    assert page.drawn() == (6, 5)
    assert page.page.locator("#kg-network canvas").count() == 1
    assert page.page.inner_text("#kg-stats").startswith("6 actors, 3 meetings, 5 pairs")
    _screenshot(page, "explorer.png")


def test_search_by_another_name_focuses_the_actor(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)
    page.page.fill("#kg-search", "Сергей Лавров")  # the curated list's Russian spelling
    assert page.page.inner_text("#kg-results li").startswith("Sergei Lavrov")
    page.page.press("#kg-search", "Enter")
    lavrov = page.node_id("Sergei Lavrov")
    assert page.js("kgExplorer.network.getSelectedNodes()") == [lavrov]
    view = page.js("kgExplorer.network.getViewPosition()")
    pos = page.js("id => kgExplorer.network.getPositions([id])[id]", lavrov)
    assert abs(view["x"] - pos["x"]) < 1 and abs(view["y"] - pos["y"]) < 1  # centred on it
    assert page.page.inner_text("#kg-details h2") == "Sergei Lavrov"
    assert page.page.locator("#kg-details .kg-meeting").count() == 2


def test_date_filter_removes_the_edges_outside_the_range(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)
    first = page.js("parseInt(document.getElementById('kg-from').min, 10)")
    assert page.page.inner_text("#kg-from-label") == "2024-01"  # the 2024 meeting, dated to the year
    page.page.locator("#kg-from").fill(str(first + 12))  # from 2025-01
    assert page.page.inner_text("#kg-from-label") == "2025-01"
    assert page.drawn_pairs() == {
        frozenset({"Sergei Lavrov", "Marco Rubio"}),
        frozenset({"Sergei Lavrov", "Wang Yi"}),
        frozenset({"Sergei Lavrov", "China"}),
        frozenset({"Wang Yi", "China"}),
    }
    assert page.drawn() == (4, 4)  # the 2024 meeting's actors have nothing left to show
    page.page.locator("#kg-to").fill(str(first + 12 + 8))  # ... to 2025-09: the planned October call goes
    assert page.drawn_pairs() == {frozenset({"Sergei Lavrov", "Marco Rubio"})}
    page.page.uncheck("#kg-controls input[value=occurred]")
    assert page.drawn() == (0, 0)
    page.page.click("#kg-reset")
    assert page.drawn() == (6, 5)


def test_clicking_an_edge_lists_its_meetings(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)
    page.click_edge("Sergei Lavrov", "Marco Rubio")
    details = page.page.inner_text("#kg-details")
    assert "Sergei Lavrov \u2013 Marco Rubio" in details or "Marco Rubio \u2013 Sergei Lavrov" in details
    assert page.page.locator("#kg-details .kg-meeting").count() == 1
    assert "2025-09-24 \u00b7 New York City \u00b7 occurred \u00b7 in-person" in details
    assert "Pertemuan keduanya berlangsung di New York City pada Rabu (24/9)." in details
    link = page.page.locator("#kg-details a")
    assert link.get_attribute("href") == "https://example.org/news/1"
    assert link.inner_text() == "headline-2025-09-25"
    page.click_edge("Wang Yi", "China")
    details = page.page.inner_text("#kg-details")
    assert "2025-10 \u00b7 Diaoyutai, Beijing \u00b7 planned \u00b7 remote" in details
    assert "with Sergei Lavrov" in details  # the third participant


def test_hostile_name_renders_as_text(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)
    page.click_node(HOSTILE)
    assert page.page.inner_text("#kg-details h2") == HOSTILE
    page.click_edge(HOSTILE, "ASEAN")
    details = page.page.inner_text("#kg-details")
    assert HOSTILE in details
    assert "<script>alert('place')</script>" in details
    assert 'He said "</script><script>alert(2)</script>" & left.' in details
    assert "[id-<script>]" in details
    page.page.fill("#kg-search", "onerror")
    assert page.page.inner_text("#kg-results li") == HOSTILE
    # Page.close checks: no <img> anywhere, no alert, no request.


def test_aggregated_view_expands_a_country_on_click(open_page: Any, events: list[Event]) -> None:
    page = open_page(events, aggregate=True)
    labels = sorted(page.labels().values())
    assert labels == ["China (2)", "France (1)", "Russia (1)", "United States (1)", "no country known (1)"]
    page.click_node("China (2)")
    assert {"Wang Yi", "China"} <= set(page.labels().values())
    assert "China (2)" not in page.labels().values()
    page.page.fill("#kg-search", "Rubio")
    page.page.press("#kg-search", "Enter")  # searching expands the actor's country
    assert page.js("kgExplorer.network.getSelectedNodes()") == [page.node_id("Marco Rubio")]


# --------------------------------------------------------------------------- layout and timeline


def _web(n_actors: int = 300, n_meetings: int = 900, seed: int = 3) -> list[Event]:
    """A seeded web of meetings over 2023-2025, a few actors meeting often: one big component."""
    rng = random.Random(seed)
    people = [Actor(f"Person {i:03d}", country=rng.choice(["RU", "US", "CN", "ID", "FR", "BR"])) for i in range(n_actors)]
    weights = [1.0 / (1 + i) ** 0.7 for i in range(n_actors)]
    out = []
    for k in range(n_meetings):
        a, b = rng.choices(people, weights, k=2)
        if a == b:
            continue
        date = PartialDate(rng.choice((2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
        out.append(Event((a, b), None, date, evidence=(Mention(f"a{k}", 0, 5, "met."),)))
    return out


def _positions(page: Page) -> dict[str, tuple[float, float]]:
    return {k: (p["x"], p["y"]) for k, p in page.js("kgExplorer.network.getPositions()").items()}


def _set_months(page: Page, first: str, last: str) -> None:
    lo = page.js("parseInt(document.getElementById('kg-from').min, 10)")
    index = {page.js(f"(() => {{ const y = Math.floor({k} / 12), m = {k} % 12 + 1; return y + '-' + String(m).padStart(2, '0'); }})()"): k
             for k in range(lo, page.js("parseInt(document.getElementById('kg-to').max, 10)") + 1)}
    page.page.locator("#kg-to").fill(str(index[last]))
    page.page.locator("#kg-from").fill(str(index[first]))
    assert (page.page.inner_text("#kg-from-label"), page.page.inner_text("#kg-to-label")) == (first, last)


def _box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def test_positions_stay_still_after_load_and_after_filtering(open_page: Any, events: list[Event]) -> None:
    for page in (open_page(events), open_page(_web())):
        first = _positions(page)
        page.page.wait_for_timeout(400)
        assert _positions(page) == first  # nothing moves once the page is ready
        page.page.uncheck("#kg-controls input[value=planned]")
        filtered = _positions(page)
        page.page.wait_for_timeout(400)
        assert _positions(page) == filtered  # nor after a filter laid it out again


def test_filtering_lays_out_the_rest_again(open_page: Any) -> None:
    events = _web()
    page = open_page(events)
    before = _positions(page)
    base = {n["id"]: (n["x"], n["y"]) for n in page.js("kgExplorer.nodes.get()")}
    assert before == base  # unfiltered: the precomputed places
    _set_months(page, "2024-03", "2024-05")
    in_range = [e for e in events if e.date and e.date.year == 2024 and 3 <= (e.date.month or 0) <= 5]
    labels = page.labels()
    assert sorted(labels.values()) == sorted({a.name for e in in_range for a in e.participants})
    assert page.drawn_pairs() == {frozenset(a.name for a in e.participants) for e in in_range}
    after = _positions(page)
    assert 0 < len(after) < len(before) / 2
    # Re-laid out, not the old places with holes: most nodes moved, and each connected part of
    # what is left has a region of its own (in the old places they were all mixed together).
    moved = [k for k in after if after[k] != before[k]]
    assert len(moved) > 0.9 * len(after)
    drawn = nx.Graph([(e["from"], e["to"]) for e in page.js("kgExplorer.edges.get()")])
    parts = [_box([after[k] for k in c]) for c in nx.connected_components(drawn)]
    assert len(parts) > 3
    assert not any(_overlap(a, b) for i, a in enumerate(parts) for b in parts[i + 1 :])
    assert [_overlap(_box([before[k] for k in c]), _box([before[k] for k in d]))
            for c, d in itertools.combinations(nx.connected_components(drawn), 2)].count(True) > 0
    # Every node is in view and has a place of its own.
    box = page.page.locator("#kg-network canvas").bounding_box()
    dom = page.js("ids => ids.map(id => kgExplorer.network.canvasToDOM(kgExplorer.network.getPositions([id])[id]))", list(after))
    assert all(0 <= p["x"] <= box["width"] and 0 <= p["y"] <= box["height"] for p in dom)
    size = {n["id"]: n["size"] for n in page.js("kgExplorer.nodes.get()")}
    for a, b in itertools.combinations(after, 2):  # no dot hides another
        assert math.dist(after[a], after[b]) >= size[a] + size[b] - 1, (labels[a], labels[b])
    # The same filter gives the same picture; no filter gives the precomputed places back.
    page.page.click("#kg-reset")
    assert _positions(page) == before
    _set_months(page, "2024-03", "2024-05")
    assert _positions(page) == after


def test_timeline_follows_the_filters(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)

    def timeline() -> tuple[dict[str, int], str]:
        counts = page.js("document.querySelector('#kg-timeline canvas').kgCounts")
        lo = page.js("parseInt(document.getElementById('kg-from').min, 10)")
        months = {f"{(lo + j) // 12}-{(lo + j) % 12 + 1:02d}": c for j, c in enumerate(counts) if c}
        return months, page.js("document.querySelector('#kg-timeline canvas').toDataURL()")

    counts, image = timeline()
    assert counts == {"2025-09": 1, "2025-10": 1}  # the 2024 meeting is dated to the year only
    page.page.uncheck("#kg-controls input[value=occurred]")
    counts2, image2 = timeline()
    assert counts2 == {"2025-10": 1} and image2 != image
    page.page.check("#kg-controls input[value=occurred]")
    assert timeline() == (counts, image)
    page.page.select_option("#kg-country", "US")
    counts3, image3 = timeline()
    assert counts3 == {"2025-09": 1} and image3 != image
    page.page.select_option("#kg-country", "")
    _set_months(page, "2025-10", "2025-10")  # the range is drawn in another colour; counts stay
    counts4, image4 = timeline()
    assert counts4 == counts and image4 != image


def test_side_panel_follows_the_filters(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)
    page.click_node("Sergei Lavrov")
    assert page.page.locator("#kg-details .kg-meeting").count() == 2
    page.page.uncheck("#kg-controls input[value=planned]")  # the October call goes from the list
    assert page.page.locator("#kg-details .kg-meeting").count() == 1
    assert "1 meeting matching the filters (of 2)" in page.page.inner_text("#kg-details .kg-sub")
    page.page.uncheck("#kg-controls input[value=occurred]")
    assert page.page.locator("#kg-details .kg-meeting").count() == 0
    assert "Not drawn: no meeting of this actor matches the filters." in page.page.inner_text("#kg-details")
    page.page.click("#kg-reset")
    assert page.page.locator("#kg-details .kg-meeting").count() == 2
    assert "Not drawn" not in page.page.inner_text("#kg-details")


def test_grouped_view_lays_out_the_countries_left(open_page: Any) -> None:
    events = _web()
    page = open_page(events, aggregate=True)
    before = _positions(page)
    assert set(before) == {f"g{k}" for k in range(6)}  # six countries
    page.page.select_option("#kg-country", "RU")
    after = _positions(page)
    ru = {a.country for e in events if any(p.country == "RU" for p in e.participants) for a in e.participants}
    assert len(after) == len(ru)  # the countries that met Russia
    assert after != {k: before[k] for k in after}
    size = {n["id"]: n["size"] for n in page.js("kgExplorer.nodes.get()")}
    for a, b in itertools.combinations(after, 2):
        assert math.dist(after[a], after[b]) >= size[a] + size[b] - 1
    (russia,) = [k for k, v in page.labels().items() if v.startswith("Russia (")]
    page.click_node(page.labels()[russia])  # expanding a country while filtered lays it all out again
    expanded = _positions(page)
    assert russia not in expanded and len(expanded) > len(after)
    page.page.wait_for_timeout(300)
    assert _positions(page) == expanded


def test_each_change_draws_once(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)
    renders = page.js("kgRenders")
    page.page.uncheck("#kg-controls input[value=planned]")  # "input" and "change" both fire
    assert page.js("kgRenders") == renders + 1
    page.page.select_option("#kg-country", "")  # no change: nothing to draw again
    assert page.js("kgRenders") == renders + 1
    # Dragging a slider: many "input" events in one go are drawn once, at the next frame.
    during = page.js("""() => { const f = document.getElementById('kg-from');
        for (let k = +f.min + 1; k <= +f.min + 12; k++) { f.value = k; f.dispatchEvent(new Event('input', {bubbles: true})); }
        return [kgRenders, document.getElementById('kg-from-label').textContent]; }""")
    assert during == [renders + 1, "2025-01"]  # not drawn yet; the label follows at once
    page.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.js("kgRenders") == renders + 2
    assert page.drawn_pairs() == {
        frozenset({"Sergei Lavrov", "Marco Rubio"}),
    }


def test_node_sizes_and_name_sizes(open_page: Any, events: list[Event]) -> None:
    def drawn(page: Page) -> dict[str, tuple[int, float, float]]:
        return {
            page.labels()[k]: tuple(v)
            for k, v in page.js(
                "Object.fromEntries(kgExplorer.nodes.get().map(d => { const n = kgExplorer.network.body.nodes[d.id];"
                " return [d.id, [d.value, n.options.size, n.labelModule.fontOptions.size]]; }))"
            ).items()
        }

    small = drawn(open_page(events))
    assert small["Sergei Lavrov"] == (2, 12.0, 14) and small["Marco Rubio"] == (1, 7.0, 14)  # same names
    big = drawn(open_page(_web()))
    for meetings, size, _ in big.values():  # sizes by meetings, the same on every page
        assert size == pytest.approx(kg_html.node_size(meetings))
    names = sorted(big.values())
    assert names[0][2] < 11 and names[-1][2] > 16  # a busy actor's name is larger than a quiet one's
