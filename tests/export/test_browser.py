"""The explorer page in a real headless Chromium: what a person sees and does.

Chromium is Debian's (``/usr/bin/chromium``), driven by playwright-python; nothing
downloads a browser. Every request the page makes is routed through the test, which
fails on anything but the page's own file. What the page paints on its canvases
(``fillText``, ``fillRect``, ``arc``) is recorded by a script the test puts in the page before
it loads, so the checks of names and dots are made on what was drawn, not on what the page
says it drew.
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
from export_samples import HOSTILE, dev_events

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

    def __init__(self, browser: Any, path: Path, viewport: tuple[int, int] = (1300, 850)) -> None:
        self.external: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.page.add_init_script(RECORDER)
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
        """Each node drawn: its id and name."""
        return dict(self.js("Object.fromEntries(kgExplorer.nodes.get().map(n => [n.id, kgExplorer.name(n.id)]))"))

    def painted(self, canvas: str, redraw: str = "kgExplorer.network.redraw()") -> list[dict[str, Any]]:
        """What one frame painted on a canvas ("network", "map" or "timeline"), in CSS pixels."""
        return list(self.js(f"() => {{ window.kgPainted = []; {redraw}; return kgPainted.filter(p => p.canvas === {canvas!r}); }}"))

    def dots(self) -> dict[str, tuple[float, float, float]]:
        """Each node's dot on the screen: centre and radius in CSS pixels, from vis-network's state."""
        return {
            k: tuple(v)
            for k, v in self.js(
                """() => { const net = kgExplorer.network, s = net.getScale(), out = {};
                for (const id of net.body.nodeIndices) { const n = net.body.nodes[id], p = net.canvasToDOM({x: n.x, y: n.y});
                  const r = n.options.size * (n.options.shape === 'dot' ? 1 : 1.2) * s + n.options.borderWidth / 2;
                  out[id] = [p.x, p.y, r]; }
                return out; }"""
            ).items()
        }

    def wait_still(self) -> None:
        """Until no animation is running (moves last a third of a second)."""
        self.page.wait_for_timeout(700)

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


#: Put in the page before its own scripts: records what is painted on each canvas (in CSS
#: pixels: the canvas' transform applied, the device pixel ratio taken out).
RECORDER = """
window.kgPainted = [];
(() => {
  const P = CanvasRenderingContext2D.prototype, fillText = P.fillText, fillRect = P.fillRect, arc = P.arc;
  function where(ctx) {
    const c = ctx.canvas;
    return c.closest && c.closest('#kg-network') ? 'network' : c.id === 'kg-map' ? 'map'
      : c.closest && c.closest('#kg-timeline') ? 'timeline' : 'other';
  }
  function at(ctx, x, y) {
    const t = ctx.getTransform(), r = window.devicePixelRatio || 1;
    return [(t.a * x + t.c * y + t.e) / r, (t.b * x + t.d * y + t.f) / r, t.a / r];
  }
  P.fillText = function (text, x, y) {
    const m = this.measureText(text), p = at(this, x, y), k = p[2];
    const left = this.textAlign === 'center' ? -m.width / 2 : this.textAlign === 'right' || this.textAlign === 'end' ? -m.width : 0;
    kgPainted.push({ canvas: where(this), kind: 'text', text: String(text), x: p[0] + left * k, y: p[1] - m.actualBoundingBoxAscent * k,
                     w: m.width * k, h: (m.actualBoundingBoxAscent + m.actualBoundingBoxDescent) * k });
    return fillText.apply(this, arguments);
  };
  P.fillRect = function (x, y, w, h) {
    const p = at(this, x, y), k = p[2];
    kgPainted.push({ canvas: where(this), kind: 'rect', x: p[0], y: p[1], w: w * k, h: h * k, style: String(this.fillStyle) });
    return fillRect.apply(this, arguments);
  };
  P.arc = function (x, y, r) {
    const p = at(this, x, y), k = p[2];
    kgPainted.push({ canvas: where(this), kind: 'arc', x: p[0], y: p[1], r: r * k });
    return arc.apply(this, arguments);
  };
})();
"""


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages: list[Page] = []

    def opener(events: list[Event], viewport: tuple[int, int] = (1300, 850), **options: Any) -> Page:
        path = tmp_path / f"graph{len(pages)}.html"
        path.write_text(render_html(events, **options), encoding="utf-8")
        pages.append(Page(browser, path, viewport))
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


def test_a_filter_keeps_the_nodes_that_stay_and_relayout_fills_the_view(open_page: Any) -> None:
    events = _web()
    page = open_page(events)
    before = _positions(page)
    _set_months(page, "2024-03", "2024-05")
    in_range = [e for e in events if e.date and e.date.year == 2024 and 3 <= (e.date.month or 0) <= 5]
    labels = page.labels()
    assert sorted(labels.values()) == sorted({a.name for e in in_range for a in e.participants})
    assert page.drawn_pairs() == {frozenset(a.name for a in e.participants) for e in in_range}
    after = _positions(page)
    assert 0 < len(after) < len(before) / 2
    assert after == {k: before[k] for k in after}  # what stays keeps its place
    # "Re-layout": what is left is laid out again, in a short move; each connected part then
    # has a region of its own (in the old places they were all mixed together).
    page.page.click("#kg-relayout")
    page.wait_still()
    relaid = _positions(page)
    moved = [k for k in relaid if relaid[k] != before[k]]
    assert len(moved) > 0.9 * len(relaid)
    drawn = nx.Graph([(e["from"], e["to"]) for e in page.js("kgExplorer.edges.get()")])
    parts = [_box([relaid[k] for k in c]) for c in nx.connected_components(drawn)]
    assert len(parts) > 3
    assert not any(_overlap(a, b) for i, a in enumerate(parts) for b in parts[i + 1 :])
    assert [_overlap(_box([before[k] for k in c]), _box([before[k] for k in d]))
            for c, d in itertools.combinations(nx.connected_components(drawn), 2)].count(True) > 0
    # Every node is in view and has a place of its own.
    box = page.page.locator("#kg-network canvas").bounding_box()
    dom = page.js("ids => ids.map(id => kgExplorer.network.canvasToDOM(kgExplorer.network.getPositions([id])[id]))", list(relaid))
    assert all(0 <= p["x"] <= box["width"] and 0 <= p["y"] <= box["height"] for p in dom)
    size = {n["id"]: n["size"] for n in page.js("kgExplorer.nodes.get()")}
    for a, b in itertools.combinations(relaid, 2):  # no dot hides another
        assert math.dist(relaid[a], relaid[b]) >= size[a] + size[b] - 1, (labels[a], labels[b])
    # A filter after that keeps those places; Reset gives the first picture back.
    page.page.uncheck("#kg-controls input[value=cancelled]")
    assert all(_positions(page)[k] == relaid[k] for k in _positions(page))
    page.page.click("#kg-reset")
    page.wait_still()
    assert _positions(page) == before


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


def test_grouped_view_keeps_the_countries_left_in_place(open_page: Any) -> None:
    events = _web()
    page = open_page(events, aggregate=True)
    before = _positions(page)
    assert set(before) == {f"g{k}" for k in range(6)}  # six countries
    page.page.select_option("#kg-country", "RU")
    after = _positions(page)
    ru = {a.country for e in events if any(p.country == "RU" for p in e.participants) for a in e.participants}
    assert len(after) == len(ru)  # the countries that met Russia
    assert after == {k: before[k] for k in after}
    size = {n["id"]: n["size"] for n in page.js("kgExplorer.nodes.get()")}
    for a, b in itertools.combinations(after, 2):
        assert math.dist(after[a], after[b]) >= size[a] + size[b] - 1
    (russia,) = [k for k, v in page.labels().items() if v.startswith("Russia (")]
    page.click_node(page.labels()[russia])  # its actors where it was; the others stay
    expanded = _positions(page)
    assert russia not in expanded and len(expanded) > len(after)
    assert all(expanded[k] == after[k] for k in after if k != russia)
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


def test_node_sizes(open_page: Any, events: list[Event]) -> None:
    def drawn(page: Page) -> dict[str, tuple[int, float]]:
        return {
            page.labels()[k]: tuple(v)
            for k, v in page.js(
                "Object.fromEntries(kgExplorer.nodes.get().map(d => [d.id, [d.value, kgExplorer.network.body.nodes[d.id].options.size]]))"
            ).items()
        }

    small = drawn(open_page(events))
    assert small["Sergei Lavrov"] == (2, 12.0) and small["Marco Rubio"] == (1, 7.0)
    for meetings, size in drawn(open_page(_web())).values():  # sizes by meetings, the same on every page
        assert size == pytest.approx(kg_html.node_size(meetings))


# --------------------------------------------------------------------------- a dev-size graph


def _dev_meetings(page: Page) -> list[dict[str, Any]]:
    return list(page.js("kgExplorer.meetings.map(m => ({date: m.date, at: m.at || null, status: m.status}))"))


def _label_boxes(painted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The names painted: each name's background box, with its text."""
    boxes = [p for p in painted if p["kind"] == "rect"]
    texts = [p for p in painted if p["kind"] == "text"]
    assert len(boxes) == len(texts)  # one box behind each name
    for b, t in zip(boxes, texts, strict=True):  # the text inside its box
        assert b["x"] <= t["x"] and t["x"] + t["w"] <= b["x"] + b["w"] + 0.5
        assert b["y"] <= t["y"] + 0.5 and t["y"] + t["h"] <= b["y"] + b["h"] + 0.5
        b["text"] = t["text"]
    return boxes


def _covers(box: dict[str, Any], dot: tuple[float, float, float]) -> bool:
    x, y, r = dot
    dx = max(box["x"], min(x, box["x"] + box["w"])) - x
    dy = max(box["y"], min(y, box["y"] + box["h"])) - y
    return dx * dx + dy * dy < r * r


def _meets(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


@pytest.mark.parametrize("viewport", [(1440, 900), (1024, 700)])
def test_names_never_overlap_nor_cover_a_dot_and_the_view_is_filled(open_page: Any, viewport: tuple[int, int]) -> None:
    events = dev_events()
    page = open_page(events, viewport=viewport)
    dots = page.dots()
    assert len(dots) == len({a for e in events for a in e.participants})  # about 76 actors
    names = _label_boxes(page.painted("network"))
    canvas = page.page.locator("#kg-network canvas").bounding_box()
    assert len(names) >= 0.5 * len(dots)  # most actors are named at once
    for a, b in itertools.combinations(names, 2):
        assert not _meets(a, b), (a["text"], b["text"])
    for box in names:
        assert 0 <= box["x"] and box["x"] + box["w"] <= canvas["width"] and 0 <= box["y"] and box["y"] + box["h"] <= canvas["height"]
        for nid, dot in dots.items():
            assert not _covers(box, dot), (box["text"], page.js("id => kgExplorer.name(id)", nid))
    # The best connected are named first.
    value = {n["id"]: n["value"] for n in page.js("kgExplorer.nodes.get()")}
    busiest = sorted(value, key=lambda k: -value[k])[:5]
    assert {page.labels()[k] for k in busiest} <= {b["text"] for b in names}
    # The picture takes the whole view: the dots span most of its width and of its height.
    xs = [d[0] for d in dots.values()]
    ys = [d[1] for d in dots.values()]
    assert max(xs) - min(xs) > 0.8 * canvas["width"] and max(ys) - min(ys) > 0.75 * canvas["height"]
    _screenshot(page, f"graph-{viewport[0]}.png")
    # Zoomed in, names left out before are drawn; and a dot pointed at shows its name.
    unnamed = sorted(set(page.labels().values()) - {b["text"] for b in names})
    page.js("kgExplorer.network.moveTo({scale: kgExplorer.network.getScale() * 2.5, animation: false})")
    zoomed = _label_boxes(page.painted("network"))
    for a, b in itertools.combinations(zoomed, 2):
        assert not _meets(a, b)
    assert set(unnamed) & {b["text"] for b in zoomed}
    page.js("kgExplorer.network.fit({animation: false})")
    names = {b["text"] for b in _label_boxes(page.painted("network"))}
    (hidden, xy) = next((k, d) for k, d in page.dots().items() if page.labels()[k] not in names)
    box = page.page.locator("#kg-network canvas").bounding_box()
    page.page.mouse.move(box["x"] + xy[0], box["y"] + xy[1])
    page.page.wait_for_function("id => kgExplorer.network.body.nodes[id].hover", arg=hidden)
    assert page.labels()[hidden] in {p["text"] for p in page.painted("network") if p["kind"] == "text"}


def test_kept_nodes_stay_put_under_filters(open_page: Any) -> None:
    page = open_page(dev_events(), viewport=(1440, 900))
    before = page.dots()
    page.page.uncheck("#kg-controls input[value=planned]")
    page.page.uncheck("#kg-controls input[value=remote]")
    _set_months(page, "2024-01", "2025-06")
    page.wait_still()
    after = page.dots()
    assert 10 < len(after) < len(before)
    assert max(math.dist(before[k][:2], after[k][:2]) for k in after) <= 2.0  # on the screen, in pixels
    for a, b in itertools.combinations(_label_boxes(page.painted("network")), 2):
        assert not _meets(a, b)


def test_timeline_range_holds_against_an_outlier_and_is_brushed(open_page: Any) -> None:
    events = dev_events()
    page = open_page(events, viewport=(1440, 900))
    months = sorted(f"{e.date.year}-{e.date.month:02d}" for e in events if e.date and e.date.month)
    assert months[0] == "2000-03"  # the outlier, twenty years before the rest
    real = [m for m in months if m >= "2023"]
    timeline = page.js("kgExplorer.timeline()")
    bins = timeline["bins"]
    assert (bins[0]["from"], bins[-1]["to"]) == (real[0], real[-1])
    assert timeline["outside"] == [1, 0] and timeline["undated"] == sum(e.date is None for e in events)
    painted = page.painted("timeline", "window.dispatchEvent(new Event('resize'))")
    bars = [p for p in painted if p["kind"] == "rect" and p["style"] == "#4e79a7"]
    canvas = page.page.locator("#kg-timeline canvas").bounding_box()
    assert min(b["x"] for b in bars) < 0.06 * canvas["width"]  # the bars span the strip,
    assert max(b["x"] + b["w"] for b in bars) > 0.94 * canvas["width"]  # not the right tenth of it
    ticks = {p["text"] for p in painted if p["kind"] == "text"}
    assert {"2023", "2024", "2025"} <= ticks and "2000" not in ticks
    everything = page.js("kgExplorer.nodes.length")

    def bar_x(month: str) -> float:
        (b,) = [b for b in page.js("kgExplorer.timeline().bins") if b["from"] == month]
        return canvas["x"] + b["x"] + b["w"] / 2

    # Drag on the timeline: one range; undated meetings and the outlier go.
    y = canvas["y"] + canvas["height"] / 2
    page.page.mouse.move(bar_x("2024-01"), y)
    page.page.mouse.down()
    page.page.mouse.move(bar_x("2024-04"), y, steps=3)
    page.page.mouse.move(bar_x("2024-06"), y, steps=3)
    page.page.mouse.up()
    assert (page.page.inner_text("#kg-from-label"), page.page.inner_text("#kg-to-label")) == ("2024-01", "2024-06")
    assert not page.page.is_checked("#kg-undated")
    shown = [page.js(f"kgExplorer.meetings[{k}].date") for k in page.js("kgExplorer.active()")]
    assert shown and all(d is not None and ("2024-01" <= d[:7] <= "2024-06" or d == "2024") for d in shown)
    # Drag the range along; click one bar; double-click for all dates again.
    page.page.mouse.move(bar_x("2024-03"), y)
    page.page.mouse.down()
    page.page.mouse.move(bar_x("2024-05"), y, steps=3)
    page.page.mouse.up()
    assert (page.page.inner_text("#kg-from-label"), page.page.inner_text("#kg-to-label")) == ("2024-03", "2024-08")
    page.page.mouse.click(bar_x("2025-02"), y)
    assert (page.page.inner_text("#kg-from-label"), page.page.inner_text("#kg-to-label")) == ("2025-02", "2025-02")
    page.page.mouse.dblclick(bar_x("2025-02"), y)
    assert (page.page.inner_text("#kg-from-label"), page.page.inner_text("#kg-to-label")) == (real[0], real[-1])
    assert page.page.is_checked("#kg-undated") and page.js("kgExplorer.nodes.length") == everything


def test_map_draws_every_located_meeting_and_shares_the_filters(open_page: Any) -> None:
    events = dev_events()
    page = open_page(events, viewport=(1440, 900))
    page.page.click("#kg-view-map")
    assert page.page.is_visible("#kg-map") and not page.page.is_visible("#kg-network")
    meetings = _dev_meetings(page)

    def check(expected: set[int]) -> list[dict[str, Any]]:
        markers = page.js("kgExplorer.map().markers")
        drawn = [k for m in markers for k in m["meetings"]]
        assert sorted(drawn) == sorted(expected)  # each located meeting once, no other
        arcs = [p for p in page.painted("map", "kgExplorer.setView('map')") if p["kind"] == "arc"]
        box = page.page.locator("#kg-map").bounding_box()
        for m in page.js("kgExplorer.map().markers"):
            assert 0 <= m["x"] <= box["width"] and 0 <= m["y"] <= box["height"]
            assert any(abs(a["x"] - m["x"]) < 0.5 and abs(a["y"] - m["y"]) < 0.5 and abs(a["r"] - m["r"]) < 0.5 for a in arcs)
        return list(markers)

    located = {k for k, m in enumerate(meetings) if m["at"]}
    assert len(located) > 60 and len(located) < len(meetings)
    assert sum(e.location is not None and e.location.lat is not None for e in events) == len(located)
    markers = check(located)
    assert any(m["cluster"] for m in markers)  # nearby capitals drawn as one
    assert "without a known place" in page.page.inner_text("#kg-note")
    _screenshot(page, "map-1440.png")
    # A click on a place lists its meetings.
    (biggest,) = sorted(markers, key=lambda m: -len(m["meetings"]))[:1]
    box = page.page.locator("#kg-map").bounding_box()
    page.page.mouse.click(box["x"] + biggest["x"], box["y"] + biggest["y"])
    assert page.page.locator("#kg-details .kg-meeting").count() == len(biggest["meetings"])
    # The filters are the graph's.
    page.page.uncheck("#kg-controls input[value=planned]")
    check({k for k in located if meetings[k]["status"] != "planned"})
    assert page.page.locator("#kg-details .kg-meeting").count() == sum(
        meetings[k]["status"] != "planned" for k in biggest["meetings"])
    # Zoomed in on Europe, the cluster splits.
    page.page.mouse.move(box["x"] + biggest["x"], box["y"] + biggest["y"])
    for _ in range(6):
        page.page.mouse.wheel(0, -300)
    page.page.wait_for_timeout(100)
    assert len(page.js("kgExplorer.map().markers")) > len(markers)  # places drawn as one before, apart now
    # One click back to the network, filters kept.
    page.page.click("#kg-view-network")
    assert page.page.is_visible("#kg-network") and not page.page.is_visible("#kg-map")
    assert not page.page.is_checked("#kg-controls input[value=planned]") and page.drawn()[0] > 0


def test_partners_view_expands_and_steps_back(open_page: Any) -> None:
    events = dev_events()
    page = open_page(events, viewport=(1440, 900))

    def partners(name: str) -> set[str]:
        return {a.name for e in events if name in {p.name for p in e.participants} for a in e.participants}

    page.page.click("#kg-view-ego")
    assert "Find an actor" in page.page.inner_text("#kg-empty")
    busiest = max({a.name for e in events for a in e.participants}, key=lambda n: len(partners(n)))
    page.page.fill("#kg-search", busiest)
    page.page.press("#kg-search", "Enter")
    assert set(page.labels().values()) == partners(busiest)
    assert page.page.inner_text("#kg-egobar").startswith(f"Partners of {busiest}")
    first = _positions(page)
    for a, b in itertools.combinations(_label_boxes(page.painted("network")), 2):
        assert not _meets(a, b)
    other = next(n for n in sorted(partners(busiest)) if partners(n) - partners(busiest))
    page.click_node(other)
    page.wait_still()
    assert set(page.labels().values()) == partners(busiest) | partners(other)
    second = _positions(page)
    assert all(second[k] == first[k] for k in first)  # those shown stay
    assert page.page.inner_text("#kg-details h2") == other
    page.page.click("#kg-ego-back")
    assert set(page.labels().values()) == partners(busiest) and _positions(page) == first
    page.page.click("#kg-ego-leave")
    assert page.js("kgExplorer.view()") == "network" and page.drawn()[0] == len({a for e in events for a in e.participants})


def test_empty_page_says_so(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(render_html([]), encoding="utf-8")
    page = Page(browser, path)
    assert page.page.is_visible("#kg-empty")
    assert page.page.inner_text("#kg-empty").startswith("No meetings")
    assert not page.page.is_visible("#kg-timeline") and not page.page.is_visible("#kg-controls")
    assert page.page.inner_text("#kg-stats").startswith("0 actors, 0 meetings")
    page.close()


def test_no_match_says_so(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)
    assert not page.page.is_visible("#kg-empty")
    for status in ("occurred", "planned", "cancelled"):
        page.page.uncheck(f"#kg-controls input[value={status}]")
    assert page.page.inner_text("#kg-empty").startswith("No meetings match the filters")
    page.page.click("#kg-empty button")
    assert not page.page.is_visible("#kg-empty") and page.drawn() == (6, 5)


def test_names_are_painted_as_text(open_page: Any, events: list[Event]) -> None:
    page = open_page(events)
    texts = {p["text"] for p in page.painted("network") if p["kind"] == "text"}
    assert HOSTILE in texts and "Sergei Lavrov" in texts


@pytest.mark.slow
def test_a_5000_actor_build_in_every_view(browser: Any, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_html import synthetic_events

    events = synthetic_events(10_000, 5_000)
    path = tmp_path / "big.html"
    path.write_text(render_html(events), encoding="utf-8")
    page = Page(browser, path, (1440, 900))
    assert page.js("kgExplorer.nodes.length") == 150  # grouped by country
    names = _label_boxes(page.painted("network"))
    for a, b in itertools.combinations(names, 2):
        assert not _meets(a, b)
    assert len(names) > 20
    page.page.click("#kg-view-map")
    markers = page.js("kgExplorer.map().markers")
    assert sorted(k for m in markers for k in m["meetings"]) == list(range(10_000))  # every meeting has a place
    page.page.click("#kg-view-ego")
    page.page.fill("#kg-search", "Person 00000")
    page.page.press("#kg-search", "Enter")
    assert page.js("kgExplorer.nodes.length") > 100
    page.page.click("#kg-view-network")
    page.close()
