"""kg.export.html: an offline, escaped, reproducible who-met-whom page."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from export_samples import HOSTILE

from kg.export import html as kg_html
from kg.export.html import TYPE_COLORS, build_network, compute_positions, render_html, write_html
from kg.ids import actor_iri
from kg.model import Actor, Event, Mention, PartialDate

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL_ATTRS = {"src", "href", "action", "formaction", "data", "poster", "srcset", "background", "xlink:href"}


class _Checker(HTMLParser):
    """Collects tags and checks that non-void elements nest and close properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.doctypes: list[str] = []
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctypes.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] not in ("script", "style"):
            self.text.append(data)


def _check(page: str) -> _Checker:
    c = _Checker()
    c.feed(page)
    c.close()
    return c


def _data(page: str) -> dict[str, Any]:
    start = page.rindex("var data = ") + len("var data = ")
    obj: dict[str, Any]
    obj, _ = json.JSONDecoder().raw_decode(page, start)
    return obj


def _vis_js() -> str:
    return (kg_html._VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")


@pytest.fixture
def page(events: list[Event]) -> str:
    return render_html(events)


# --------------------------------------------------------------------------- offline


def test_loads_no_external_resource(page: str) -> None:
    c = _check(page)
    for tag, attrs in c.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), tag
        for name, value in attrs:
            if name in URL_ATTRS or (name == "style" and "url(" in (value or "")):
                pytest.fail(f"<{tag} {name}={value!r}> may load a resource")
    assert not re.search(r"(?i)<(script|link|img|iframe)[^>]*\s(src|href)\s*=", page)
    assert not re.search(r"(?i)@import", page)
    for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", page):
        assert url.startswith("data:"), url  # vis-network's CSS icons are inline data: URIs


def test_no_url_outside_the_inlined_vis_network_code(page: str) -> None:
    js = _vis_js()
    assert js in page  # inlined verbatim, licence header included
    rest = page.replace(js, "")
    assert "http://" not in rest and "https://" not in rest and "//cdn" not in rest
    # The only URLs left are vis-network's own (licence header, SVG namespace, docs
    # links in error messages), none of them loaded.
    assert set(re.findall(r"https?://[^\s\"')]+", page)) == set(re.findall(r"https?://[^\s\"')]+", js))


# --------------------------------------------------------------------------- escaping


def test_hostile_strings_appear_only_escaped(page: str) -> None:
    for raw in (
        HOSTILE,
        "<b>boss</b>",
        "<script>alert('place')</script>",
        "</script><script>alert(2)",
        "id-<script>",
    ):
        assert raw not in page, raw
    assert html.escape(HOSTILE) in page  # in the node and edge tooltips
    assert html.escape("<b>boss</b>") in page
    assert html.escape("<script>alert('place')</script>") in page
    assert html.escape("id-<script>") in page
    # Two script elements, vis-network's and kg's own (vis-network's code itself contains
    # the string "<script>" harmlessly: there is no "<!--" before it).
    assert len(re.findall(r"(?i)<script", page.replace(_vis_js(), ""))) == 2


def test_canvas_label_is_the_real_name(page: str) -> None:
    labels = {n["label"] for n in _data(page)["nodes"]}
    assert HOSTILE in labels  # drawn as text on the canvas, so not HTML-escaped there


def test_html_is_well_formed(page: str) -> None:
    c = _check(page)
    assert c.doctypes == ["DOCTYPE html"]
    assert c.errors == []
    assert c.stack == []
    names = [t for t, _ in c.tags]
    for tag in ("html", "head", "body", "title"):
        assert names.count(tag) == 1, tag
    assert ("meta", [("charset", "utf-8")]) in c.tags
    assert "Who met whom" in "".join(c.text)


def test_title_is_escaped(events: list[Event]) -> None:
    page = render_html(events, title="A & B <i>")
    assert "<title>A &amp; B &lt;i&gt;</title>" in page
    assert _check(page).errors == []


# --------------------------------------------------------------------------- content


def _labels(page: str) -> dict[str, str]:
    return {n["id"]: n["label"] for n in _data(page)["nodes"]}


def _edge(page: str, a: str, b: str) -> dict[str, Any]:
    labels = _labels(page)
    found = [e for e in _data(page)["edges"] if {labels[e["from"]], labels[e["to"]]} == {a, b}]
    assert len(found) == 1, found
    return found[0]


def test_a_meeting_of_three_is_three_edges(page: str) -> None:
    labels = _labels(page)
    pairs = {frozenset((labels[e["from"]], labels[e["to"]])) for e in _data(page)["edges"]}
    assert pairs == {
        frozenset({"Sergei Lavrov", "Marco Rubio"}),
        frozenset({"Sergei Lavrov", "Wang Yi"}),
        frozenset({"Sergei Lavrov", "China"}),
        frozenset({"Wang Yi", "China"}),
        frozenset({HOSTILE, "ASEAN"}),
    }


def test_edge_tooltip_lists_date_place_and_sources(page: str) -> None:
    title = _edge(page, "Sergei Lavrov", "Marco Rubio")["title"]
    assert html.escape("Pertemuan keduanya berlangsung di New York City pada Rabu (24/9).") in title
    assert "[headline-2025-09-25]" in title
    assert "2025-09-24" in title and "New York City" in title and "occurred" in title
    hostile = _edge(page, HOSTILE, "ASEAN")["title"]
    assert html.escape('He said "</script><script>alert(2)</script>" & left.') in hostile
    assert "cancelled" in hostile
    assert _edge(page, "Wang Yi", "China")["dashes"] is True  # planned, not occurred
    assert _edge(page, "Sergei Lavrov", "Marco Rubio")["dashes"] is False


def test_repeated_meetings_share_one_edge_listing_each(events: list[Event]) -> None:
    again = events[0].with_(
        date=PartialDate(2025, 2, 18),
        location=None,
        evidence=(Mention("riyadh-1", 0, 30, "Lavrov and Rubio met in Riyadh.", status="occurred"),),
    )
    page = render_html([*events, again])
    edge = _edge(page, "Sergei Lavrov", "Marco Rubio")
    assert edge["value"] == 2
    assert "(2 meetings)" in edge["title"]
    assert edge["title"].index("2025-02-18") < edge["title"].index("2025-09-24")  # by date
    assert "Lavrov and Rubio met in Riyadh." in edge["title"]


def test_nodes_sorted_sized_and_coloured(events: list[Event], page: str) -> None:
    nodes = _data(page)["nodes"]
    iris = sorted({actor_iri(a) for e in events for a in e.participants})
    names = {actor_iri(a): a.name for e in events for a in e.participants}
    assert [n["label"] for n in nodes] == [names[i] for i in iris]
    assert [n["id"] for n in nodes] == [f"n{i}" for i in range(len(nodes))]
    by_label = {n["label"]: n for n in nodes}
    assert by_label["Sergei Lavrov"]["value"] == 2 and by_label["Marco Rubio"]["value"] == 1
    assert by_label["China"]["shape"] == "diamond" and by_label["ASEAN"]["shape"] == "triangle"
    assert by_label["Wang Yi"]["color"] == by_label["China"]["color"]  # both CN
    assert by_label["Wang Yi"]["color"] != by_label["Sergei Lavrov"]["color"]
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    by_type = {n["label"]: n["color"] for n in _data(render_html(events, color_by="type"))["nodes"]}
    assert by_type["China"] == TYPE_COLORS["country"] and by_type["ASEAN"] == TYPE_COLORS["organization"]
    with pytest.raises(ValueError, match="color_by"):
        render_html(events, color_by="size")  # type: ignore[arg-type]


def test_reproducible(events: list[Event], page: str) -> None:
    assert render_html(events) == page
    assert render_html(list(reversed(events))) == page


def test_physics_off_for_large_graphs(events: list[Event], page: str) -> None:
    assert _data(page)["options"]["physics"]["enabled"] is True
    many = [
        Event(
            (Actor(f"Person {i:03d}"), Actor(f"Person {i + 1:03d}")),
            None,
            None,
            evidence=(Mention(f"a{i}", 0, 5, "met."),),
        )
        for i in range(0, 300, 2)
    ] + [Event((Actor("Hub"), Actor(f"Spoke {i}")), None, None) for i in range(60)]
    data = _data(render_html(many))
    assert len(data["nodes"]) == 361
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"] is False
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 361  # everyone has a place of their own
    assert _data(render_html(many, physics=True))["options"]["physics"]["enabled"] is True


def test_positions_for_a_component_too_big_for_one_dense_layout() -> None:
    G = nx.Graph()
    n = kg_html.DENSE_LAYOUT_MAX + 150
    G.add_edges_from((f"a{i:04d}", f"a{i + 1:04d}") for i in range(n - 1))
    G.add_edges_from((f"a{i:04d}", f"a{(i * 7 + 1) % n:04d}") for i in range(0, n, 5))
    G.add_edges_from(("hub", f"a{i:04d}") for i in range(0, n, 3))
    assert nx.is_connected(G)
    pos = compute_positions(G, seed=1)
    assert set(pos) == set(G.nodes)
    assert compute_positions(G, seed=1) == pos
    assert len(set(pos.values())) > 0.95 * len(pos)


def test_write_html(events: list[Event], page: str, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write_html(events, path)
    assert path.read_text(encoding="utf-8") == page
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_build_network_assigns_lists(events: list[Event]) -> None:
    net = build_network(events)
    assert len(net.nodes) == 6 and len(net.edges) == 5
    assert net.node_ids == [n["id"] for n in net.nodes]
    assert isinstance(net.options, dict)


def test_empty(tmp_path: Path) -> None:
    page = render_html([])
    assert _data(page)["nodes"] == [] and _data(page)["edges"] == []
    assert _check(page).errors == []


# --------------------------------------------------------------------------- browser

_PROBE = """
<script>
window.alert = function (m) { document.body.setAttribute("data-alert", String(m)); };
(function () {
  var net = window.kgNetwork, out = {};
  function hover(point) {
    var dom = net.canvasToDOM(point);
    var canvas = document.querySelector("#kg-network canvas");
    var rect = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new MouseEvent("mousemove",
      { clientX: rect.left + dom.x, clientY: rect.top + dom.y, bubbles: true }));
  }
  function tooltip() {
    var t = document.querySelector("div.vis-tooltip");
    return t && t.style.visibility === "visible" ? t.innerText : null;
  }
  setTimeout(function () {
    net.stopSimulation();
    net.setOptions({ physics: false });
    var edge = net.body.data.edges.get(EDGE_ID);
    var p = net.getPositions([edge.from, edge.to]);
    hover({ x: (p[edge.from].x + p[edge.to].x) / 2, y: (p[edge.from].y + p[edge.to].y) / 2 });
    setTimeout(function () {
      out.edgeTooltip = tooltip();
      out.nodes = net.body.data.nodes.length;
      out.edges = net.body.data.edges.length;
      out.resources = performance.getEntriesByType("resource").map(function (r) { return r.name; });
      out.imgs = document.getElementsByTagName("img").length;
      out.alert = document.body.getAttribute("data-alert");
      var pre = document.createElement("pre");
      pre.id = "probe";
      pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    }, 1500);
  }, 2000);
})();
</script>
</body>"""


@pytest.mark.browser
def test_draws_offline_and_shows_escaped_tooltip_in_chromium(events: list[Event], tmp_path: Path) -> None:
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("headless chromium not installed")
    page = render_html(events)
    hostile_edge = _edge(page, HOSTILE, "ASEAN")["id"]
    path = tmp_path / "probe.html"
    path.write_text(
        page.replace("</body>", _PROBE.replace("EDGE_ID", json.dumps(hostile_edge))), encoding="utf-8"
    )
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--virtual-time-budget=30000",
    ]  # fmt: skip
    done = subprocess.run(
        [chromium, *flags, "--dump-dom", path.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    m = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert m, f"the page did not run to the end: {done.stderr[-2000:]}"
    out = json.loads(html.unescape(m.group(1)))
    assert out["resources"] == []  # nothing fetched, from anywhere
    assert (out["nodes"], out["edges"]) == (6, 5)
    assert out["imgs"] == 0 and out["alert"] is None  # the hostile name stayed text
    assert out["edgeTooltip"] is not None
    assert HOSTILE in out["edgeTooltip"]  # shown as the literal characters
    assert 'He said "</script><script>alert(2)</script>" & left.' in out["edgeTooltip"]


def test_each_country_of_a_page_gets_its_own_colour() -> None:
    codes = ["RU", "US", "CN", "ID", "FR", "DE", "IN", "BR", "JP", "ZA", "TR", "EG"]
    events = [Event((Actor(f"A {c}", country=c), Actor(f"B {c}", country=c)), None, None) for c in codes] + [
        Event((Actor("Nobody"), Actor("Somebody")), None, None)
    ]
    nodes = _data(render_html(events))["nodes"]
    colour_of = {n["label"]: n["color"] for n in nodes}
    assert len({colour_of[f"A {c}"] for c in codes}) == len(codes)
    assert all(colour_of[f"A {c}"] == colour_of[f"B {c}"] for c in codes)
    assert colour_of["Nobody"] == kg_html.NO_COUNTRY_COLOR
    assert kg_html.NO_COUNTRY_COLOR not in {colour_of[f"A {c}"] for c in codes}
