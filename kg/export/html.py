"""A self-contained, offline HTML page of who met whom (vis-network, through pyvis).

Actors are nodes, sized by their number of meetings, coloured by country (or by type) and
shaped by type. Each pair of actors who met is one edge (a meeting of three is three
edges), as wide as their number of meetings, dashed when none of them is known to have
occurred; its tooltip lists each meeting's date, place, status and mode with its source
sentences and article ids.

The page loads nothing: vis-network's JavaScript and CSS, which pyvis ships in its package,
are inlined, and pyvis' own template (which links Bootstrap from a CDN) is not used. Texts
from articles are escaped for where they land: HTML-escaped in tooltips and the legend
(a tooltip becomes a DOM element when first hovered), and JSON-encoded with ``<`` and
``>`` as ``\\u003c``/``\\u003e`` in the script data (node labels are drawn on a canvas as
text, where an entity would show literally).
Node and edge lists are sorted and positions are precomputed with a seeded layout, so the
same events always give the same file.
"""

from __future__ import annotations

import colorsys
import hashlib
import html
import json
import math
import os
import random
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import pyvis
from pyvis.network import Network

from kg.errors import BugError
from kg.export.atomic import atomic_write
from kg.graph import meeting_id, place_label, to_networkx
from kg.ids import actor_iri
from kg.model import Actor, Event, Mention

ColorBy = Literal["country", "type"]

#: Above this many actors the page starts with physics off (positions are precomputed).
PHYSICS_MAX_NODES = 200
#: Largest connected component laid out by one dense spring layout; bigger ones get a
#: spring-laid backbone of their best-connected actors, the rest placed beside neighbours.
#: Kept under 500, where networkx switches to a SciPy-only algorithm.
DENSE_LAYOUT_MAX = 400
#: A tooltip lists at most this many meetings, and this many sources per meeting.
MAX_MEETINGS_PER_TIP = 20
MAX_SOURCES_PER_MEETING = 3
#: Sentences longer than this are cut (with an ellipsis) in tooltips.
MAX_SENTENCE_CHARS = 400
#: Pixels per square root of a component's size.
_UNIT = 110.0

TYPE_COLORS: dict[str, str] = {"person": "#4e79a7", "country": "#e15759", "organization": "#59a14f"}
TYPE_SHAPES: dict[str, str] = {"person": "dot", "country": "diamond", "organization": "triangle"}
_TYPE_SYMBOLS: dict[str, str] = {"person": "\u25cf", "country": "\u25c6", "organization": "\u25b2"}
NO_COUNTRY_COLOR = "#9e9e9e"
#: Colours for the most frequent countries of a page (Tableau 10 without its grey, and three more).
PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#8cd17d", "#d37295", "#499894",
)  # fmt: skip

_TEMPLATE_PATH = Path(__file__).resolve().parent / "network.html"
_VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"


def country_color(code: str | None) -> str:
    """A colour of its own for a country code, the same in every run and every page.

    Used for countries beyond :data:`PALETTE` (see :func:`country_colors`).

    Args:
        code: An ISO 3166-1 alpha-2 code, or ``None``.

    Returns:
        A ``#rrggbb`` colour; grey for ``None``.

    >>> country_color("RU") == country_color("RU") != country_color("US")
    True
    """
    if not code:
        return NO_COUNTRY_COLOR
    h = int(hashlib.sha1(code.encode("utf-8")).hexdigest()[:8], 16)
    hue = (h % 360) / 360.0
    light = 0.45 + ((h >> 9) % 3) * 0.08
    r, g, b = colorsys.hls_to_rgb(hue, light, 0.62)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def country_colors(counts: Counter[str]) -> dict[str, str]:
    """Colours for the countries of one page: the most frequent get :data:`PALETTE`'s.

    Distinct colours matter more within a page than across pages, so countries are ranked
    by their number of actors (then by code) and take the palette in order; any beyond it
    get :func:`country_color`. Actors without a country (key ``""``) are grey.

    Args:
        counts: Country code (``""`` for unknown) to number of actors.

    Returns:
        Country code to ``#rrggbb`` colour.

    >>> country_colors(Counter({"RU": 3, "US": 2, "": 1}))
    {'RU': '#4e79a7', 'US': '#f28e2b', '': '#9e9e9e'}
    """
    ranked = sorted((c for c in counts if c), key=lambda c: (-counts[c], c))
    colours = {c: PALETTE[i] if i < len(PALETTE) else country_color(c) for i, c in enumerate(ranked)}
    if "" in counts:
        colours[""] = NO_COUNTRY_COLOR
    return colours


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _script_json(obj: Any) -> str:
    """JSON safe inside a <script> element: no ``<``/``>`` (so no ``</script>``, no ``<!--``)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _cut(text: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# --------------------------------------------------------------------------- layout


def _polygon(nodes: Sequence[str]) -> dict[str, tuple[float, float]]:
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    step = 2 * math.pi / len(nodes)
    return {n: (math.cos(math.pi + i * step), math.sin(math.pi + i * step)) for i, n in enumerate(nodes)}


def _spring(G: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    pos = nx.spring_layout(G, seed=seed, weight="weight")
    return {n: (float(p[0]), float(p[1])) for n, p in pos.items()}


def _normalise(pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {n: ((x - cx) / half, (y - cy) / half) for n, (x, y) in pos.items()}


def _component_layout(G: nx.Graph, nodes: list[str], seed: int) -> dict[str, tuple[float, float]]:
    if len(nodes) <= 5:
        return _polygon(nodes)
    if len(nodes) <= DENSE_LAYOUT_MAX:
        return _normalise(_spring(G.subgraph(nodes), seed))
    # Backbone: the best-connected actors, laid out by a dense spring layout.
    ranked = sorted(nodes, key=lambda n: (-G.degree(n, weight="weight"), n))
    backbone = set(ranked[:DENSE_LAYOUT_MAX])
    pos = _spring(G.subgraph([n for n in nodes if n in backbone]), seed)
    # Everyone else goes beside the neighbours already placed, breadth first.
    rng = random.Random(seed)
    frontier = sorted(backbone)
    placed = set(backbone)
    spread = 2.0 / math.sqrt(len(nodes))
    while frontier:
        following: list[str] = []
        for u in frontier:
            for v in sorted(G.neighbors(u)):
                if v in placed:
                    continue
                near = [pos[w] for w in G.neighbors(v) if w in placed]
                x = sum(p[0] for p in near) / len(near)
                y = sum(p[1] for p in near) / len(near)
                angle = rng.uniform(0, 2 * math.pi)
                radius = spread * (0.5 + rng.random())
                pos[v] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
                placed.add(v)
                following.append(v)
        frontier = following
    return _normalise(pos)


def compute_positions(G: nx.Graph, *, seed: int = 42) -> dict[str, tuple[int, int]]:
    """Pixel positions for every node, reproducible for a given graph and seed.

    Each connected component is laid out on its own (a seeded ``nx.spring_layout``; small
    ones as a polygon, big ones around a backbone) and the components are packed in rows,
    biggest first, each in a square whose side grows with the square root of its size. No
    SciPy needed.

    Args:
        G: An undirected graph; an edge's ``weight`` pulls its ends closer.
        seed: The random seed of the layout.

    Returns:
        Node to ``(x, y)`` in pixels.
    """
    comps = sorted((sorted(c) for c in nx.connected_components(G)), key=lambda c: (-len(c), c[0]))
    boxes = [(nodes, _UNIT * math.sqrt(len(nodes))) for nodes in comps]
    row_width = math.sqrt(sum(side * side for _, side in boxes)) * 1.3 if boxes else 0.0
    out: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0.0
    for nodes, side in boxes:
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        local = _component_layout(G, nodes, seed)
        cx, cy, half = x + side / 2, y + side / 2, side * 0.42
        for n, (px, py) in local.items():
            out[n] = (round(cx + px * half), round(cy + py * half))
        x += side
        row_height = max(row_height, side)
    return out


# --------------------------------------------------------------------------- tooltips


def _sources_html(sources: Sequence[Mention]) -> str:
    items = [
        f'<li><q>{_esc(_cut(m.text))}</q> <span class="kg-article">[{_esc(m.article_id)}]</span></li>'
        for m in sources[:MAX_SOURCES_PER_MEETING]
    ]
    if len(sources) > MAX_SOURCES_PER_MEETING:
        items.append(f'<li class="kg-more">and {len(sources) - MAX_SOURCES_PER_MEETING} more sources</li>')
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _unique_sources(event: Event) -> list[Mention]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for m in event.evidence:
        if (m.article_id, m.start, m.end) not in seen:
            seen.add((m.article_id, m.start, m.end))
            out.append(m)
    return out


def _meeting_html(event: Event) -> str:
    when = event.date.iso() if event.date else "date unknown"
    where = place_label(event.location) if event.location else "place unknown"
    facts = f"<b>{_esc(when)}</b> \u00b7 {_esc(where)} \u00b7 {_esc(event.status)} \u00b7 {_esc(event.mode)}"
    others = ""
    if len(event.participants) > 2:
        others = "<br>with " + _esc(", ".join(sorted({a.name for a in event.participants})))
    return f'<div class="kg-meeting">{facts}{others}{_sources_html(_unique_sources(event))}</div>'


def _edge_html(a_label: str, b_label: str, meetings: list[Event]) -> str:
    n = len(meetings)
    head = f"<h3>{_esc(a_label)} \u2013 {_esc(b_label)} ({n} meeting{'s' if n != 1 else ''})</h3>"
    body = "".join(_meeting_html(e) for e in meetings[:MAX_MEETINGS_PER_TIP])
    if n > MAX_MEETINGS_PER_TIP:
        body += f'<div class="kg-more">and {n - MAX_MEETINGS_PER_TIP} more meetings</div>'
    return head + body


def _node_html(data: dict[str, Any]) -> str:
    facts = [str(data["kind"])]
    if data.get("role"):
        facts.insert(0, str(data["role"]))
    if data.get("country"):
        facts.append(str(data["country"]))
    n = int(data.get("meetings", 0))
    return f"<h3>{_esc(data['label'])}</h3>{_esc(' · '.join(facts))}<br>{n} meeting{'s' if n != 1 else ''}"


# --------------------------------------------------------------------------- page


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    js_path, css_path = _VIS_DIR / "vis-network.min.js", _VIS_DIR / "vis-network.css"
    if not js_path.is_file() or not css_path.is_file():
        raise FileNotFoundError(
            f"vis-network not found in pyvis' package at {_VIS_DIR}; kg needs pyvis 0.3.2"
        )
    js = js_path.read_text(encoding="utf-8")
    css = css_path.read_text(encoding="utf-8")
    if "</script" in js.lower() or "<!--" in js or "</style" in css.lower():
        raise BugError("vis-network's files cannot be inlined as they are")
    return js, css, _TEMPLATE_PATH.read_text(encoding="utf-8")


def _legend(G: nx.MultiGraph, color_by: ColorBy) -> str:
    kinds = Counter(str(d["kind"]) for _, d in G.nodes(data=True))
    shape_items = "".join(
        f"<li>{_TYPE_SYMBOLS[k]} {_esc(k)} ({kinds[k]})</li>" for k in TYPE_SHAPES if kinds.get(k)
    )
    if color_by == "type":
        colour_items = "".join(
            f'<li><span class="kg-swatch" style="background:{TYPE_COLORS[k]}"></span>{_esc(k)} ({kinds[k]})</li>'
            for k in TYPE_COLORS
            if kinds.get(k)
        )
        title = "Colour: type"
    else:
        countries = Counter(str(d.get("country") or "") for _, d in G.nodes(data=True))
        colours = country_colors(countries)
        colour_items = "".join(
            f'<li><span class="kg-swatch" style="background:{colours[c]}"></span>'
            f"{_esc(c or 'unknown')} ({countries[c]})</li>"
            for c in sorted(countries, key=lambda c: (c == "", c))
        )
        title = "Colour: country"
    return (
        f"<h2>Shape: type</h2><ul>{shape_items}</ul>"
        f"<h2>{title}</h2><ul>{colour_items}</ul>"
        "<h2>Edges</h2><ul><li>width: number of meetings</li>"
        "<li>dashed: none known to have occurred</li></ul>"
    )


def _options(physics: bool, n_nodes: int) -> dict[str, Any]:
    large = n_nodes > PHYSICS_MAX_NODES
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": physics, "iterations": 150, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "system-ui, sans-serif"},
            "scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 12, "max": 26}},
        },
        "edges": {
            "color": {"color": "#9aa5b1", "highlight": "#1f2933", "hover": "#1f2933", "opacity": 0.8},
            "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "scaling": {"min": 1, "max": 8},
        },
    }


def build_network(
    events: Iterable[Event], *, color_by: ColorBy = "country", physics: bool | None = None, seed: int = 42
) -> Network:
    """The pyvis network of who met whom, with node and edge lists assigned directly.

    (``add_node``/``add_edge``/``from_nx`` take tens of seconds at 20k actors; assigning
    the lists takes a fraction of a second.)

    Args:
        events: The meetings, merged.
        color_by: Colour actors by ``"country"`` (see :func:`country_colors`; grey when
            unknown) or by ``"type"`` (person, country, organization).
        physics: Let vis-network's physics move the nodes. ``None``: only for graphs of at
            most :data:`PHYSICS_MAX_NODES` actors.
        seed: The layout's random seed.

    Returns:
        A ``pyvis.network.Network`` whose ``nodes`` are sorted by actor IRI (with ids
        ``n0``, ``n1``... in that order) and ``edges`` by pair; each node and edge ``title``
        is tooltip HTML with article texts escaped. ``net.options`` is a plain dict.

    Raises:
        ValueError: ``color_by`` is neither ``"country"`` nor ``"type"``.
    """
    return _build(events, color_by=color_by, physics=physics, seed=seed)[0]


def _build(
    events: Iterable[Event], *, color_by: ColorBy, physics: bool | None, seed: int
) -> tuple[Network, nx.MultiGraph]:
    if color_by not in ("country", "type"):
        raise ValueError(f"color_by must be 'country' or 'type', got {color_by!r}")
    events = list(events)
    G = to_networkx(events)

    pairs: dict[tuple[str, str], list[tuple[str, str, Event]]] = {}
    iris: dict[Actor, str] = {}
    for event in events:
        ids = sorted({iris.get(a) or iris.setdefault(a, actor_iri(a)) for a in event.participants})
        key = (event.date.iso() if event.date else "~", meeting_id(event))
        for i, u in enumerate(ids):
            for v in ids[i + 1 :]:
                pairs.setdefault((u, v), []).append((*key, event))

    simple = nx.Graph()
    simple.add_nodes_from(sorted(G.nodes))
    simple.add_weighted_edges_from(sorted((u, v, len(ms)) for (u, v), ms in pairs.items()))
    positions = compute_positions(simple, seed=seed)
    if physics is None:
        physics = simple.number_of_nodes() <= PHYSICS_MAX_NODES

    # Short ids keep the page small and free of IRIs (nothing in it looks like a link).
    short = {node: f"n{i}" for i, node in enumerate(sorted(G.nodes))}
    colours = country_colors(Counter(str(d.get("country") or "") for _, d in G.nodes(data=True)))
    nodes: list[dict[str, Any]] = []
    for node in sorted(G.nodes):
        data = G.nodes[node]
        kind = str(data["kind"])
        colour = TYPE_COLORS[kind] if color_by == "type" else colours[str(data.get("country") or "")]
        x, y = positions[node]
        nodes.append(
            {
                "id": short[node],
                "label": str(data["label"]),
                "title": _node_html(data),
                "shape": TYPE_SHAPES[kind],
                "color": colour,
                "value": int(data.get("meetings", 1)),
                "x": x,
                "y": y,
                "group": kind,
            }
        )

    edges: list[dict[str, Any]] = []
    for i, ((u, v), items) in enumerate(sorted(pairs.items())):
        meetings = [e for *_, e in sorted(items, key=lambda t: (t[0], t[1]))]
        edges.append(
            {
                "id": f"e{i}",
                "from": short[u],
                "to": short[v],
                "value": len(meetings),
                "title": _edge_html(str(G.nodes[u]["label"]), str(G.nodes[v]["label"]), meetings),
                "dashes": not any(e.status == "occurred" for e in meetings),
            }
        )

    net = Network(height="100%", width="100%", cdn_resources="in_line")
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.options = _options(physics, len(nodes))
    return net, G


def render_html(
    events: Iterable[Event],
    *,
    title: str = "Who met whom",
    color_by: ColorBy = "country",
    physics: bool | None = None,
    seed: int = 42,
) -> str:
    """Render the who-met-whom network as one self-contained HTML page.

    Args:
        events: The meetings, merged.
        title: The page title (escaped).
        color_by: ``"country"`` or ``"type"`` (see :func:`build_network`).
        physics: Animate the layout in the browser; ``None`` decides by size.
        seed: The layout's random seed.

    Returns:
        The HTML text: valid HTML5 that loads no external resource.

    Raises:
        ValueError: ``color_by`` is neither ``"country"`` nor ``"type"``.
    """
    net, G = _build(events, color_by=color_by, physics=physics, seed=seed)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    js, css, template = _assets()
    n_meetings = int(G.graph.get("meetings", 0))
    stats = (
        f"{len(nodes)} actor{'s' if len(nodes) != 1 else ''}, {n_meetings} meeting{'s' if n_meetings != 1 else ''}"
        f", {len(edges)} pair{'s' if len(edges) != 1 else ''}"
    )
    data = {"nodes": nodes, "edges": edges, "options": json.loads(options)}
    return string.Template(template).substitute(
        title=_esc(title),
        stats=_esc(stats),
        legend=_legend(G, color_by),
        vis_css=css,
        vis_js=js,
        data=_script_json(data),
    )


def write_html(
    events: Iterable[Event],
    path: str | os.PathLike[str],
    *,
    title: str = "Who met whom",
    color_by: ColorBy = "country",
    physics: bool | None = None,
    seed: int = 42,
) -> None:
    """Write the page of :func:`render_html` to a file, atomically.

    Args:
        events: The meetings, merged.
        path: The ``.html`` file to write.
        title: The page title.
        color_by: ``"country"`` or ``"type"``.
        physics: Animate the layout in the browser; ``None`` decides by size.
        seed: The layout's random seed.
    """
    page = render_html(events, title=title, color_by=color_by, physics=physics, seed=seed)
    with atomic_write(path, "w") as f:
        f.write(page)


__all__ = [
    "NO_COUNTRY_COLOR",
    "PALETTE",
    "PHYSICS_MAX_NODES",
    "TYPE_COLORS",
    "TYPE_SHAPES",
    "build_network",
    "compute_positions",
    "country_color",
    "country_colors",
    "render_html",
    "write_html",
]
