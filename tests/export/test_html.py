"""kg.export.html: an offline, escaped, reproducible who-met-whom page."""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections import Counter
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


def test_no_url_outside_the_inlined_vis_network_code_but_source_links(events: list[Event], page: str) -> None:
    js = _vis_js()
    assert js in page  # inlined verbatim, licence header included
    data_text = page[page.rindex("var data = ") :].split(";\n", 1)[0]
    rest = page.replace(js, "").replace(data_text, "")
    assert "http://" not in rest and "https://" not in rest and "//cdn" not in rest
    # In the data, the only URLs are the articles' (link targets, never loaded).
    urls = {s.get("url") for m in _data(page)["meetings"] for s in m["sources"]} - {None}
    assert urls == {m.url for e in events for m in e.evidence if m.url}
    assert set(re.findall(r"https?://[^\s\"')]+", page)) == set(re.findall(r"https?://[^\s\"')]+", js)) | urls


def test_only_http_urls_become_links(events: list[Event]) -> None:
    bad = events[0].with_(
        id="kg:bad",
        evidence=(
            Mention("a", 0, 5, "met.", url="javascript:alert(1)"),
            Mention("b", 0, 5, "met.", url="ftp://x/y"),
        ),
    )
    sources = _data(render_html([bad]))["meetings"][0]["sources"]
    assert [s.get("url") for s in sources] == [None, None]


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
        assert raw.replace("<", "\\u003c").replace(">", "\\u003e") in page  # JSON in the script data
    # Two script elements, vis-network's and kg's own (vis-network's code itself contains
    # the string "<script>" harmlessly: there is no "<!--" before it).
    assert len(re.findall(r"(?i)<script", page.replace(_vis_js(), ""))) == 2
    # kg's script puts data into the page only as text.
    app = page.replace(_vis_js(), "")
    assert "innerHTML" not in app and "insertAdjacentHTML" not in app and "document.write" not in app


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


def _meetings_of_edge(page: str, a: str, b: str) -> list[dict[str, Any]]:
    data = _data(page)
    edge = _edge(page, a, b)
    return [data["meetings"][k] for k in data["edgeMeetings"][data["edges"].index(edge)]]


def test_edge_lists_its_meetings_with_date_place_and_sources(page: str) -> None:
    (m,) = _meetings_of_edge(page, "Sergei Lavrov", "Marco Rubio")
    assert (m["date"], m["place"], m["status"], m["mode"]) == (
        "2025-09-24",
        "New York City",
        "occurred",
        "in-person",
    )
    assert m["sources"] == [
        {
            "article": "headline-2025-09-25",
            "sentence": "Pertemuan keduanya berlangsung di New York City pada Rabu (24/9).",
            "url": "https://example.org/news/1",
        }
    ]
    (h,) = _meetings_of_edge(page, HOSTILE, "ASEAN")
    assert h["sources"][0]["sentence"] == 'He said "</script><script>alert(2)</script>" & left.'
    assert h["status"] == "cancelled" and h["place"] == "<script>alert('place')</script>"
    (w,) = _meetings_of_edge(page, "Wang Yi", "China")
    assert (w["date"], w["mode"], w["place"]) == ("2025-10", "remote", "Diaoyutai, Beijing")
    assert len(w["actors"]) == 3  # the other participant is listed too
    assert _edge(page, "Wang Yi", "China")["dashes"] is True  # planned, not occurred
    assert _edge(page, "Sergei Lavrov", "Marco Rubio")["dashes"] is False
    assert "\n1 meeting" in _edge(page, "Sergei Lavrov", "Marco Rubio")["title"]  # a plain-text tooltip


def test_repeated_meetings_share_one_edge_listing_each(events: list[Event]) -> None:
    again = events[0].with_(
        date=PartialDate(2025, 2, 18),
        location=None,
        evidence=(Mention("riyadh-1", 0, 30, "Lavrov and Rubio met in Riyadh.", status="occurred"),),
    )
    page = render_html([*events, again])
    edge = _edge(page, "Sergei Lavrov", "Marco Rubio")
    assert edge["value"] == 2
    listed = _meetings_of_edge(page, "Sergei Lavrov", "Marco Rubio")
    assert [m["date"] for m in listed] == ["2025-02-18", "2025-09-24"]  # by date
    assert listed[0]["sources"][0]["sentence"] == "Lavrov and Rubio met in Riyadh."


def test_search_knows_every_name_of_an_actor(events: list[Event]) -> None:
    renamed = events[0].with_(
        participants=(Actor("Sergey Lavrov", country="RU", wikidata="Q48828"), Actor("Marco Rubio"))
    )
    data = _data(render_html([*events, renamed]))
    lavrov = data["actors"][[n["label"] for n in data["nodes"]].index("Sergei Lavrov")]
    assert "Sergey Lavrov" in lavrov["names"]  # as written in an article
    assert "Сергей Лавров" in lavrov["names"]  # from the curated list


def test_big_graphs_start_aggregated_by_country() -> None:
    many = [
        Event(
            (Actor(f"P{i}", country=("RU", "US", "CN")[i % 3]), Actor(f"Q{i}")),
            None,
            PartialDate(2025, 1 + i % 12),
        )
        for i in range(30)
    ]
    data = _data(render_html(many, aggregate=True))
    assert data["aggregate"] is True
    codes = [g["code"] for g in data["groups"]]
    assert codes == ["CN", "RU", "US", None]  # no country known last
    assert sorted(i for g in data["groups"] for i in g["members"]) == list(range(60))
    assert data["options"]["physics"]["enabled"] is False
    assert _data(render_html(many))["aggregate"] is False  # small: not aggregated by default
    assert _data(render_html(many))["groups"] == []


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


def test_physics_off_at_every_size(events: list[Event], page: str) -> None:
    # Positions are precomputed (and laid out again in the page when filtered): nothing moves.
    assert _data(page)["options"]["physics"]["enabled"] is False
    assert _data(page)["options"]["edges"]["smooth"] is False  # straight lines
    assert _data(page)["options"]["interaction"]["hideEdgesOnDrag"] is False  # small: edges stay
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
    assert data["options"]["interaction"]["hideEdgesOnDrag"] is True  # large: edges hidden while dragging
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


def test_grouped_view_gives_each_country_a_disc_of_its_own() -> None:
    # Countries of very different sizes, most meeting the biggest: their discs of actors
    # (the room an expanded country takes) must not overlap, nor its actors leave it.
    rng = random.Random(5)
    codes = [f"C{i:02d}" for i in range(40)]
    G = nx.Graph()
    groups = {}
    for i, code in enumerate(codes):
        for k in range(1 + (i * 7) % 30):
            groups[f"{code}-{k}"] = code
    names = sorted(groups)
    for _ in range(600):
        a, b = rng.choice(names), rng.choice(names[:40] + names)
        if a != b:
            G.add_edge(a, b, weight=1)
    G.add_nodes_from(names)
    actors, centres = kg_html.cluster_positions(G, groups, seed=1)
    radius = kg_html.group_radii(Counter(groups.values()))
    for g, h in itertools.combinations(codes, 2):
        assert math.dist(centres[g], centres[h]) >= radius[g] + radius[h] - 1, (g, h)
    for n, code in groups.items():
        assert math.dist(actors[n], centres[code]) <= radius[code] + 1
    assert kg_html.cluster_positions(G, groups, seed=1) == (actors, centres)  # reproducible


def test_positions_keep_dots_apart_when_told_their_sizes() -> None:
    # A few actors meet very often (big dots in the middle of the layout): told the radius
    # each is drawn with, compute_positions moves apart the dots that would overlap.
    rng = random.Random(3)
    G = nx.Graph()
    weights = [1 / (1 + i) ** 0.7 for i in range(300)]
    for _ in range(900):
        a, b = rng.choices(range(300), weights, k=2)
        if a != b:
            old = G.get_edge_data(f"p{a:03d}", f"p{b:03d}", {"weight": 0})["weight"]
            G.add_edge(f"p{a:03d}", f"p{b:03d}", weight=old + 1)
    radius = {v: kg_html.node_size(int(G.degree(v, weight="weight"))) for v in G}

    def overlapping(pos: dict[str, tuple[int, int]]) -> int:
        return sum(math.dist(pos[a], pos[b]) < radius[a] + radius[b] - 1 for a, b in itertools.combinations(pos, 2))

    assert overlapping(compute_positions(G, seed=1)) > 100  # as laid out: a crowded middle
    apart = compute_positions(G, seed=1, radius=radius)
    assert overlapping(apart) == 0
    assert compute_positions(G, seed=1, radius=radius) == apart  # reproducible


# --------------------------------------------------------------------------- size cap


def test_a_big_build_shows_the_most_reported_meetings_and_says_how_many_there_are() -> None:
    a, b, c, d = (Actor(n) for n in ("Ann Lee", "Bo Tan", "Cy Ray", "Di Fox"))
    def meeting(x: Actor, y: Actor, day: int, sources: int) -> Event:
        return Event((x, y), None, PartialDate(2025, 3, day),
                     evidence=tuple(Mention(f"art-{day}-{k}", 0, 4, "met.") for k in range(sources)))
    events = [meeting(a, b, 1, 1), meeting(c, d, 2, 4), meeting(a, c, 3, 2), meeting(b, d, 4, 4)]
    data_all = _data(render_html(events, max_meetings=None))
    page = render_html(events, max_meetings=2)
    data = _data(page)
    assert len(data_all["meetings"]) == 4 and len(data["meetings"]) == 2
    shown = {tuple(sorted(data["actors"][i]["names"][0] for i in m["actors"])) for m in data["meetings"]}
    assert shown == {("Cy Ray", "Di Fox"), ("Bo Tan", "Di Fox")}  # the two with four sources
    assert "2 meetings of 4 (the most reported)" in page
    assert "meetings of" not in render_html(events, max_meetings=4)


_WRITE_PAGE = """
import sys
from kg.export.html import write_html
from kg.model import Actor, Event, Mention, PartialDate

def chain(names, month):
    people = [Actor(n) for n in names]
    return [Event((a, b), None, PartialDate(2025, month, 1 + i % 27),
                  evidence=(Mention(f"{a.name}-{i}", 0, 3, "met"),))
            for i, (a, b) in enumerate(zip(people, people[1:]))]

# a component of 8 actors beside one of 40: the small one is laid out from a subgraph of a few nodes
events = chain([f"Minister {c}" for c in "ABCDEFGH"], 3) + chain([f"Envoy {i}" for i in range(40)], 5)
write_html(events, sys.argv[1])
"""


def test_the_page_is_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    """graph.html depends on the meetings only: not on PYTHONHASHSEED (the order of sets), which
    differs from run to run unless fixed."""
    import os
    import subprocess
    import sys

    pages = []
    for seed in ("1", "2", "3"):
        path = tmp_path / f"page-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", _WRITE_PAGE, str(path)], check=True, env=env, timeout=300)
        pages.append(path.read_bytes())
    assert pages[0] == pages[1] == pages[2]


# --------------------------------------------------------------------------- legend, map


def test_legend_lists_every_colour_the_page_uses() -> None:
    rng = random.Random(5)
    codes = [f"{a}{b}" for a in "ABCDEFGH" for b in "ABCDE"][:33]  # more countries than the palette
    events = [
        Event((Actor(f"Person {i:02d}", country=codes[i % 33]), Actor(f"Other {i:02d}", country=rng.choice(codes))), None, None)
        for i in range(60)
    ] + [Event((Actor("Nobody Known"), Actor("Person 00", country=codes[0])), None, None)]
    page = render_html(events)
    legend = page[page.index('<section id="kg-legend">') : page.index("</section>", page.index('<section id="kg-legend">'))]
    swatches = set(re.findall(r'class="kg-swatch" style="background:(#[0-9a-f]{6})"', legend))
    used = {n["color"] for n in _data(page)["nodes"]}
    assert len(used) > len(kg_html.PALETTE) and used <= swatches
    assert "more countries" not in legend
    assert "no country known (1)" in legend
    by_type = render_html(events, color_by="type")
    legend = by_type[by_type.index('<section id="kg-legend">') :]
    assert {n["color"] for n in _data(by_type)["nodes"]} <= set(re.findall(r'background:(#[0-9a-f]{6})', legend))


def test_meetings_carry_their_coordinates_for_the_map(events: list[Event], page: str) -> None:
    meetings = _data(page)["meetings"]
    assert [m.get("at") for m in meetings] == [None, [40.7143, -74.006], None]  # by date: 2024, 2025-09, 2025-10
    assert all(m["place"] for m in meetings)


def test_the_world_outline_is_inlined_from_the_vendored_file(page: str) -> None:
    vendor = Path(kg_html.__file__).parent / "vendor" / "world-atlas"
    assert (vendor / "LICENSE").read_text(encoding="utf-8").startswith("Copyright 2013-2019 Michael Bostock")
    assert "public domain" in (vendor / "SOURCE.md").read_text(encoding="utf-8")
    start = page.index("var world = ") + len("var world = ")
    world, _ = json.JSONDecoder().raw_decode(page, start)
    original = json.loads((vendor / "countries-110m.json").read_text(encoding="utf-8"))
    assert world["arcs"] == original["arcs"] and world["transform"] == original["transform"]
    names = {g["properties"]["name"] for g in world["objects"]["countries"]["geometries"]}
    assert len(names) == 176 and "Antarctica" not in names and "Indonesia" in names


def test_the_page_script_is_inlined_once(page: str) -> None:
    script = (Path(kg_html.__file__).parent / "explorer.js").read_text(encoding="utf-8")
    assert page.count(script) == 1  # as it is: string.Template substitutes it, never parses it
