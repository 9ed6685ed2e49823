"""The who-met-whom explorer: one self-contained, offline HTML page (vis-network, through pyvis).

Actors are nodes, sized by their number of meetings (matching the filters), coloured by
country (or by type) and shaped by type; each pair of actors who met is one edge (a meeting
of three is three edges), as wide as their number of meetings, dashed when none of them is
known to have occurred. Clicking a node or an edge lists its meetings in a side panel (date,
place, other participants, status, mode, source sentences with a link to the article when it
has an http(s) URL).

The page's own script (``explorer.js``, inlined) packs the connected parts, whose shapes are
precomputed here with a seeded layout, to the shape of the window, and draws the names
itself: the best connected first, each where it covers no dot and no other name, the rest
on zoom or when pointed at. Filters (status, mode, country, and a date range brushed on the
timeline) hide what does not match; what stays keeps its place, and "Re-layout" lays out
what is shown again in a short animation (a bounded number of force-directed steps, parts
packed again). The timeline's range holds against outliers (Tukey's far-out fences), with
year ticks; undated meetings are counted apart and left out once the dates are narrowed. A
map view draws the meetings at their places on Natural Earth's countries (world-atlas'
TopoJSON, vendored under ``vendor/world-atlas`` and inlined), clustered when close; a
partners view shows one actor with their partners, opens a partner's on click and steps
back. Above :data:`AGGREGATE_MIN_NODES` actors the page starts with one node per country,
expanded on click.

The page loads nothing: vis-network's JavaScript and CSS, which pyvis ships in its package,
are inlined, and pyvis' own template (which links Bootstrap from a CDN) is not used. Texts
from articles travel only as JSON in the script (``<`` and ``>`` as ``\\u003c``/``\\u003e``)
and reach the page through ``textContent``, plain-text tooltips or canvas text, never as
HTML. Node and edge lists are sorted and positions are precomputed with a seeded layout, so
the same events always give the same file.
"""

from __future__ import annotations

import colorsys
import hashlib
import heapq
import html
import json
import math
import os
import random
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
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
from kg.names import actor_names
from kg.names import country_name as _country_name

ColorBy = Literal["country", "type"]

#: Above this many actors edges are hidden while dragging or zooming.
LARGE_GRAPH_NODES = 200
#: Up to this many actors, dots that the layout made overlap are moved apart beforehand.
SEPARATE_MAX_NODES = 500
#: Largest connected component laid out by one dense spring layout; bigger ones get a
#: spring-laid backbone of their best-connected actors, the rest placed beside neighbours.
#: Kept under 500, where networkx switches to a SciPy-only algorithm.
DENSE_LAYOUT_MAX = 400
#: Above this many actors the page starts aggregated: one node per country, expanded on click.
AGGREGATE_MIN_NODES = 1500
#: A meeting carries at most this many sources into the page (the rest are counted).
MAX_SOURCES_PER_MEETING = 5
MAX_MEETINGS = 20_000
"""Meetings a page shows at most: beyond, the most reported ones (most sources), so that the page
stays usable in a browser (20,000 meetings of 5,000 actors load in 3-4 s) and its writer's memory
stays bounded whatever the size of the build; events.jsonl and graph.ttl have every meeting."""
#: Sentences longer than this are cut (with an ellipsis).
MAX_SENTENCE_CHARS = 400
#: The search box knows at most this many names per actor.
MAX_NAMES_PER_ACTOR = 40
#: Pixels per square root of a component's size.
_UNIT = 110.0
#: Pixels between the boxes of two components (room for the labels under the nodes).
_GAP = 0.8 * _UNIT
#: Pixels between neighbours on a country's spiral in the grouped view (room for a node of
#: about 30 px and its label).
_SPIRAL = 40.0

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
_SCRIPT_PATH = Path(__file__).resolve().parent / "explorer.js"
#: Natural Earth's 1:110m countries as TopoJSON, from the npm package world-atlas 2.0.2 (see
#: vendor/world-atlas/SOURCE.md): the map view's outline, inlined into the page.
_WORLD_PATH = Path(__file__).resolve().parent / "vendor" / "world-atlas" / "countries-110m.json"
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
    # From the top, clockwise: a pair stands upright, so that its labels (drawn under the
    # nodes) do not run into those of the pair packed beside it.
    step = 2 * math.pi / len(nodes)
    return {n: (math.cos(-math.pi / 2 + i * step), math.sin(-math.pi / 2 + i * step)) for i, n in enumerate(nodes)}


def _spring(G: nx.Graph, nodes: Iterable[str], seed: int) -> dict[str, tuple[float, float]]:
    # The layout depends on the order of the nodes and edges it is given: a subgraph view of a
    # few nodes iterates them in the order of a set, which changes with PYTHONHASHSEED, so the
    # layout gets a graph of the nodes and edges in sorted order (graph.html: the same bytes for
    # the same input in every run).
    keep = set(nodes)
    H = nx.Graph()
    H.add_nodes_from(sorted(keep))
    H.add_weighted_edges_from(sorted((min(u, v), max(u, v), w) for u, v, w in G.edges(keep, data="weight", default=1)
                                     if u in keep and v in keep))
    pos = nx.spring_layout(H, seed=seed, weight="weight")
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
        return _normalise(_spring(G, nodes, seed))
    # Backbone: the best-connected actors, laid out by a dense spring layout.
    ranked = sorted(nodes, key=lambda n: (-G.degree(n, weight="weight"), n))
    backbone = set(ranked[:DENSE_LAYOUT_MAX])
    pos = _spring(G, backbone, seed)
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


def node_size(meetings: int) -> float:
    """The radius in pixels the page draws an actor with, for its number of meetings.

    The same in every page (``nodeSize`` in ``explorer.js``): it grows with the square root.

    >>> node_size(1), node_size(5)
    (7.0, 17.0)
    """
    return min(60.0, 7 + 5 * math.sqrt(max(0, meetings - 1)))


def _separate_nodes(pos: dict[str, list[float]], radius: dict[str, float], rounds: int = 100) -> None:
    """Move overlapping dots apart in place, in bounded rounds (like ``separate`` in the page).

    Each round finds the pairs closer than their radii through a grid (vectorised with
    numpy), then moves both of each pair apart by half the overlap, pair after pair in a
    fixed order, so the result is reproducible.
    """
    import numpy as np  # a dependency of spaCy

    keys = sorted(pos)
    if len(keys) < 2:
        return
    p = np.array([pos[k] for k in keys], dtype=float)
    r_array = np.array([radius[k] for k in keys], dtype=float)
    r = r_array.tolist()
    cell = 2 * float(r_array.max()) or 1.0
    every = np.arange(len(keys))
    for _ in range(rounds):
        c = np.floor(p / cell).astype(np.int64)
        c -= c.min(axis=0) - 1
        width = int(c[:, 1].max()) + 3
        key = c[:, 0] * width + c[:, 1]
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        firsts, seconds = [], []
        for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):  # each pair of cells once
            target = key + dx * width + dy
            lo = np.searchsorted(sorted_key, target, "left")
            count = np.searchsorted(sorted_key, target, "right") - lo
            first = np.repeat(every, count)
            step = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
            second = order[np.repeat(lo, count) + step]
            keep = second > first if (dx, dy) == (0, 0) else slice(None)
            firsts.append(first[keep])
            seconds.append(second[keep])
        i, j = np.concatenate(firsts), np.concatenate(seconds)
        d = p[i] - p[j]
        hit = np.hypot(d[:, 0], d[:, 1]) < r_array[i] + r_array[j] - 1e-6
        if not hit.any():
            break
        # The overlapping pairs, one after the other from the current places (Gauss-Seidel:
        # it settles in far fewer rounds than moving all at once).
        xy = p.tolist()
        for a, b in zip(i[hit].tolist(), j[hit].tolist(), strict=True):
            pa, pb = xy[a], xy[b]
            ex, ey = pa[0] - pb[0], pa[1] - pb[1]
            dist, need = math.hypot(ex, ey), r[a] + r[b]
            if dist >= need:
                continue
            if dist < 1e-9:
                ex, ey, dist = 1.0, 0.0, 1.0
            push = (need - dist) / 2 / dist
            pa[0] += ex * push
            pa[1] += ey * push
            pb[0] -= ex * push
            pb[1] -= ey * push
        p = np.array(xy)
    for k, (x, y) in zip(keys, p.tolist(), strict=True):
        pos[k][0], pos[k][1] = x, y


def compute_positions(
    G: nx.Graph, *, seed: int = 42, radius: dict[str, float] | None = None
) -> dict[str, tuple[int, int]]:
    """Pixel positions for every node, reproducible for a given graph and seed.

    Each connected component is laid out on its own (a seeded ``nx.spring_layout``; small
    ones as a polygon, big ones around a backbone) and the components are packed in rows,
    biggest first, each in a square whose side grows with the square root of its size, with
    a gap between squares. No SciPy needed. The page keeps each part's shape and packs the
    parts again to the shape of the window (``layoutParts`` in ``explorer.js``), and lays out
    what is shown the same way on "Re-layout".

    Args:
        G: An undirected graph; an edge's ``weight`` pulls its ends closer.
        seed: The random seed of the layout.
        radius: The radius each node is drawn with, in pixels: dots that would overlap are
            then moved apart (in bounded rounds). ``None``: positions as laid out.

    Returns:
        Node to ``(x, y)`` in pixels.
    """
    comps = sorted((sorted(c) for c in nx.connected_components(G)), key=lambda c: (-len(c), c[0]))
    boxes = [(nodes, _UNIT * math.sqrt(len(nodes)) + _GAP) for nodes in comps]
    row_width = math.sqrt(sum(side * side for _, side in boxes)) * 1.3 if boxes else 0.0
    placed: dict[str, list[float]] = {}
    x = y = row_height = 0.0
    for nodes, side in boxes:
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        local = _component_layout(G, nodes, seed)
        cx, cy, half = x + side / 2, y + side / 2, (side - _GAP) * 0.42
        for n, (px, py) in local.items():
            placed[n] = [cx + px * half, cy + py * half]
        x += side
        row_height = max(row_height, side)
    if radius:
        _separate_nodes(placed, {n: radius.get(n, 0.0) + 4 for n in placed})
    return {n: (round(p[0]), round(p[1])) for n, p in placed.items()}


def group_radii(sizes: dict[str, int]) -> dict[str, float]:
    """The radius of the disc a group's members fill on their spiral (:func:`cluster_positions`).

    >>> group_radii({"RU": 4})
    {'RU': 80.0}
    """
    return {g: _SPIRAL * math.sqrt(n) for g, n in sizes.items()}


def _separate(
    centres: dict[str, tuple[float, float]], radius: dict[str, float], gap: float, rounds: int = 300
) -> dict[str, tuple[float, float]]:
    """Push discs apart until no two overlap (with ``gap`` between them), in bounded rounds.

    Deterministic: each round moves every overlapping pair apart by half the overlap each,
    along the line between their centres (coincident centres along x, by key order).
    """
    import numpy as np  # a dependency of spaCy

    keys = sorted(centres)
    if len(keys) < 2:
        return dict(centres)
    p = np.array([centres[k] for k in keys], dtype=float)
    r = np.array([radius[k] for k in keys], dtype=float)
    need = r[:, None] + r[None, :] + gap
    order = np.sign(np.arange(len(keys))[:, None] - np.arange(len(keys))[None, :]).astype(float)
    for _ in range(rounds):
        d = p[:, None, :] - p[None, :, :]
        dist = np.hypot(d[..., 0], d[..., 1])
        over = np.where(order != 0, need - dist, 0.0)
        if not (over > 1e-6).any():
            break
        apart = dist > 1e-9
        safe = np.where(apart, dist, 1.0)
        push = np.where(over > 1e-6, over / 2, 0.0)
        p[:, 0] += (push * np.where(apart, d[..., 0] / safe, order)).sum(axis=1)
        p[:, 1] += (push * np.where(apart, d[..., 1] / safe, 0.0)).sum(axis=1)
    return {k: (float(p[i, 0]), float(p[i, 1])) for i, k in enumerate(keys)}


def cluster_positions(
    G: nx.Graph, groups: dict[str, str], *, seed: int = 42
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Positions that keep each group (country) together: for the aggregated view.

    The groups are laid out as one weighted graph (:func:`compute_positions`), spread so
    their discs barely touch; each group's members sit on a sunflower spiral around the
    group's place, the most connected in the middle. Expanding a group then shows its
    actors where the group was.

    Args:
        G: An undirected graph of actors; ``weight`` is the number of meetings.
        groups: Actor to group key (every node of ``G``).
        seed: The random seed of the group layout.

    Returns:
        ``(actor positions, group positions)`` in pixels.
    """
    members: dict[str, list[str]] = {}
    for n in sorted(G.nodes):
        members.setdefault(groups[n], []).append(n)
    between = nx.Graph()
    between.add_nodes_from(members)
    for u, v, w in G.edges(data="weight", default=1):
        gu, gv = groups[u], groups[v]
        if gu != gv:
            old = between.get_edge_data(gu, gv, {"weight": 0})["weight"]
            between.add_edge(gu, gv, weight=old + w)
    radius = group_radii({g: len(ms) for g, ms in members.items()})
    centres = compute_positions(between, seed=seed)
    # compute_positions gives a component of k nodes about _UNIT * sqrt(k) pixels: scale so
    # that the mean distance between groups is about twice the mean disc radius, then push
    # apart the discs that still overlap.
    mean_r = sum(radius.values()) / len(radius) if radius else 0.0
    scale = max(1.0, 2.0 * mean_r / (_UNIT * 0.42))
    spread = _separate({g: (x * scale, y * scale) for g, (x, y) in centres.items()}, radius, _SPIRAL)
    gpos = {g: (round(x), round(y)) for g, (x, y) in spread.items()}
    golden = math.pi * (3 - math.sqrt(5))
    out: dict[str, tuple[int, int]] = {}
    for g, ms in members.items():
        cx, cy = gpos[g]
        ranked = sorted(ms, key=lambda n: (-G.degree(n, weight="weight"), n))
        for k, n in enumerate(ranked):
            r = _SPIRAL * math.sqrt(k + 0.5)
            out[n] = (round(cx + r * math.cos(k * golden)), round(cy + r * math.sin(k * golden)))
    return out, gpos


# --------------------------------------------------------------------------- data


def _url(url: str | None) -> str | None:
    """A link target only when it is a plain http(s) URL (never ``javascript:``)."""
    if url and re.match(r"(?i)^https?://[^\s<>\"']+$", url):
        return url
    return None


def _unique_sources(event: Event) -> list[Mention]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for m in event.evidence:
        if (m.article_id, m.start, m.end) not in seen:
            seen.add((m.article_id, m.start, m.end))
            out.append(m)
    return out


def _meeting(event: Event, ids: list[int]) -> dict[str, Any]:
    sources = _unique_sources(event)
    out: dict[str, Any] = {
        "date": event.date.iso() if event.date else None,
        "status": event.status,
        "mode": event.mode,
        "place": place_label(event.location) if event.location else None,
        "actors": ids,
        "sources": [],
    }
    loc = event.location
    if loc is not None and loc.lat is not None and loc.lon is not None:
        out["at"] = [round(loc.lat, 4), round(loc.lon, 4)]  # the map's place (about 10 m)
    for m in sources[:MAX_SOURCES_PER_MEETING]:
        src: dict[str, Any] = {"article": m.article_id, "sentence": _cut(m.text)}
        if _url(m.url):
            src["url"] = m.url
        if m.status and m.status != event.status:
            src["status"] = m.status
        out["sources"].append(src)
    if len(sources) > MAX_SOURCES_PER_MEETING:
        out["more"] = len(sources) - MAX_SOURCES_PER_MEETING
    return out


def _plain_title(data: dict[str, Any]) -> str:
    facts = [str(data["kind"])]
    if data.get("role"):
        facts.insert(0, str(data["role"]))
    if data.get("country"):
        facts.append(str(data["country"]))
    n = int(data.get("meetings", 0))
    return f"{data['label']}\n{' · '.join(facts)}\n{n} meeting{'s' if n != 1 else ''} (click for the list)"


def most_reported(events: Iterable[Event], limit: int | None) -> tuple[list[Event], int]:
    """The ``limit`` meetings with the most sources (ties: the first read), in their order, and
    how many meetings there were; read once, holding at most ``limit`` meetings.

    >>> from kg.model import Actor, Mention
    >>> evs = [Event((Actor("A B"), Actor("C D")), None, None, evidence=(Mention(str(i), 0, 1, "x"),) * n)
    ...        for i, n in enumerate([1, 3, 2, 3])]
    >>> shown, total = most_reported(evs, 2)
    >>> [len(e.evidence) for e in shown], total
    ([3, 3], 4)
    """
    if limit is None:
        shown = list(events)
        return shown, len(shown)
    if hasattr(events, "most_reported"):  # kg.spill.SpilledEvents: ranked without reading every meeting
        return events.most_reported(limit)  # type: ignore[no-any-return]
    total = 0

    def ranked() -> Iterator[tuple[int, int, Event]]:
        nonlocal total
        for i, e in enumerate(events):
            total += 1
            yield len(e.evidence), -i, e

    top = heapq.nlargest(limit, ranked(), key=lambda t: (t[0], t[1]))
    return [e for _, _, e in sorted(top, key=lambda t: -t[1])], total


def _build(
    events: Iterable[Event], *, color_by: ColorBy, physics: bool | None, seed: int, aggregate: bool | None
) -> tuple[Network, nx.MultiGraph, dict[str, Any]]:
    if color_by not in ("country", "type"):
        raise ValueError(f"color_by must be 'country' or 'type', got {color_by!r}")
    keyed = sorted(((e.date.iso() if e.date else "~", meeting_id(e), e) for e in events), key=lambda t: t[:2])
    events = [e for _, _, e in keyed]
    G = to_networkx(e.with_(id=mid) if e.id is None else e for _, mid, e in keyed)

    order = sorted(G.nodes)
    index = {node: i for i, node in enumerate(order)}
    iris: dict[Actor, str] = {}
    names: dict[str, dict[str, None]] = {node: {} for node in order}
    meetings: list[dict[str, Any]] = []
    pairs: dict[tuple[int, int], list[int]] = {}
    seen_ids: dict[str, int] = {}
    for _, mid, event in keyed:
        nodes_here: dict[str, None] = {}
        for a in event.participants:
            node = iris.get(a) or iris.setdefault(a, actor_iri(a))
            nodes_here[node] = None
            names[node][a.name] = None
        ids = sorted(index[n] for n in nodes_here)
        if mid in seen_ids:  # the same meeting given twice: one entry, sources added
            m = meetings[seen_ids[mid]]
            m["sources"] = (m["sources"] + _meeting(event, ids)["sources"])[:MAX_SOURCES_PER_MEETING]
            continue
        seen_ids[mid] = len(meetings)
        meetings.append(_meeting(event, ids))
        for i, u in enumerate(ids):
            for v in ids[i + 1 :]:
                pairs.setdefault((u, v), []).append(seen_ids[mid])

    simple = nx.Graph()
    simple.add_nodes_from(order)
    simple.add_weighted_edges_from((order[u], order[v], len(ms)) for (u, v), ms in sorted(pairs.items()))
    if aggregate is None:
        aggregate = len(order) > AGGREGATE_MIN_NODES
    group_of = {node: str(G.nodes[node].get("country") or "") for node in order}
    if aggregate:
        positions, group_pos = cluster_positions(simple, group_of, seed=seed)
    else:
        sizes = None
        if len(order) <= SEPARATE_MAX_NODES:  # beyond, a dense core takes too long to spread
            sizes = {node: node_size(int(G.nodes[node].get("meetings", 1))) for node in order}
        positions, group_pos = compute_positions(simple, seed=seed, radius=sizes), {}
    if physics is None:
        physics = False  # positions are precomputed (packed to the window in the page)

    colours = country_colors(Counter(group_of.values()))
    nodes: list[dict[str, Any]] = []
    actors: list[dict[str, Any]] = []
    for i, node in enumerate(order):
        data = G.nodes[node]
        kind = str(data["kind"])
        country = group_of[node]
        x, y = positions[node]
        nodes.append(
            {
                "id": f"n{i}",
                "label": str(data["label"]),
                "title": _plain_title(data),
                "shape": TYPE_SHAPES[kind],
                "color": TYPE_COLORS[kind] if color_by == "type" else colours[country],
                "value": int(data.get("meetings", 1)),
                "x": x,
                "y": y,
            }
        )
        all_names = actor_names(str(data["label"]), wikidata=str(data.get("wikidata") or ""), written=names[node])
        actors.append(
            {
                "kind": kind,
                "country": country or None,
                "role": data.get("role"),
                "names": all_names[:MAX_NAMES_PER_ACTOR],
            }
        )

    edges: list[dict[str, Any]] = []
    edge_meetings: list[list[int]] = []
    for i, ((u, v), ms) in enumerate(sorted(pairs.items())):
        n = len(ms)
        edges.append(
            {
                "id": f"e{i}",
                "from": f"n{u}",
                "to": f"n{v}",
                "value": n,
                "title": f"{nodes[u]['label']} \u2013 {nodes[v]['label']}\n{n} meeting{'s' if n != 1 else ''} (click for the list)",
                "dashes": not any(meetings[k]["status"] == "occurred" for k in ms),
            }
        )
        edge_meetings.append(ms)

    groups = []
    if aggregate:
        members: dict[str, list[int]] = {}
        for i, node in enumerate(order):
            members.setdefault(group_of[node], []).append(i)
        for k, (code, ms) in enumerate(sorted(members.items(), key=lambda t: (t[0] == "", t[0]))):
            x, y = group_pos[code]
            groups.append(
                {
                    "id": f"g{k}",
                    "code": code or None,
                    "label": _country_name(code) if code else "no country known",
                    "color": colours[code],
                    "x": x,
                    "y": y,
                    "members": ms,
                }
            )

    net = Network(height="100%", width="100%", cdn_resources="in_line")
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.options = _options(physics, len(nodes))
    extra = {
        "actors": actors,
        "meetings": meetings,
        "edgeMeetings": edge_meetings,
        "groups": groups,
        "aggregate": aggregate,
        "countries": [[c, _country_name(c)] for c in sorted({c for c in group_of.values() if c})],
    }
    return net, G, extra


def build_network(
    events: Iterable[Event],
    *,
    color_by: ColorBy = "country",
    physics: bool | None = None,
    seed: int = 42,
    aggregate: bool | None = False,
) -> Network:
    """The pyvis network of who met whom, with node and edge lists assigned directly.

    (``add_node``/``add_edge``/``from_nx`` take tens of seconds at 20k actors; assigning
    the lists takes a fraction of a second.)

    Args:
        events: The meetings, merged.
        color_by: Colour actors by ``"country"`` (see :func:`country_colors`; grey when
            unknown) or by ``"type"`` (person, country, organization).
        physics: Let vis-network's physics move the nodes. ``None`` (the default): no,
            the precomputed positions stay, and the page lays out again what a filter leaves.
        seed: The layout's random seed.
        aggregate: Lay actors out grouped by country (see :func:`cluster_positions`);
            ``None`` decides by size (:data:`AGGREGATE_MIN_NODES`).

    Returns:
        A ``pyvis.network.Network`` whose ``nodes`` are sorted by actor IRI (with ids
        ``n0``, ``n1``... in that order) and ``edges`` by pair; each node and edge ``title``
        is a plain-text tooltip (vis-network shows a string as text). ``net.options`` is a
        plain dict.

    Raises:
        ValueError: ``color_by`` is neither ``"country"`` nor ``"type"``.
    """
    return _build(events, color_by=color_by, physics=physics, seed=seed, aggregate=aggregate)[0]


# --------------------------------------------------------------------------- page


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str, str, str]:
    """vis-network's JavaScript and CSS, the page template, its script and the world outline."""
    js_path, css_path = _VIS_DIR / "vis-network.min.js", _VIS_DIR / "vis-network.css"
    if not js_path.is_file() or not css_path.is_file():
        raise FileNotFoundError(
            f"vis-network not found in pyvis' package at {_VIS_DIR}; kg needs pyvis 0.3.2"
        )
    js = js_path.read_text(encoding="utf-8")
    css = css_path.read_text(encoding="utf-8")
    app = _SCRIPT_PATH.read_text(encoding="utf-8")
    for text in (js, app):
        if "</script" in text.lower() or "<!--" in text:
            raise BugError("a script cannot be inlined as it is")
    if "</style" in css.lower():
        raise BugError("vis-network's CSS cannot be inlined as it is")
    return js, css, _TEMPLATE_PATH.read_text(encoding="utf-8"), app, _world()


def _world() -> str:
    """The countries of world-atlas' TopoJSON as JSON for the page's script.

    Without the ``land`` object (the page draws countries) and without Antarctica (no meeting
    there, and it would take a fifth of the map's height).
    """
    topo = json.loads(_WORLD_PATH.read_text(encoding="utf-8"))
    countries = topo["objects"]["countries"]
    countries["geometries"] = [
        g for g in countries["geometries"] if g.get("properties", {}).get("name") != "Antarctica"
    ]
    return _script_json({"type": topo["type"], "transform": topo["transform"], "arcs": topo["arcs"],
                         "objects": {"countries": countries}})


def _legend(G: nx.MultiGraph, color_by: ColorBy) -> str:
    """Every colour the page uses, with what it means (every country, none left out)."""
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
        listing = "<ul>"
    else:
        countries = Counter(str(d.get("country") or "") for _, d in G.nodes(data=True))
        colours = country_colors(countries)
        ranked = sorted(countries, key=lambda c: (c == "", -countries[c], c))
        colour_items = "".join(
            f'<li><span class="kg-swatch" style="background:{colours[c]}"></span>'
            f"{_esc(_country_name(c) if c else 'no country known')} ({countries[c]})</li>"
            for c in ranked
        )
        title = "Colour: country (its actors)"
        listing = '<ul class="kg-countries">'
    if not kinds:
        return "<h2>Legend</h2><p>Nothing drawn: no meetings.</p>"
    return (
        f"<h2>Shape: type</h2><ul>{shape_items}</ul>"
        f"<h2>{title}</h2>{listing}{colour_items}</ul>"
        "<h2>Lines and sizes</h2><ul><li>node: meetings matching the filters</li>"
        '<li><span class="kg-line"></span>a pair that met (width: their meetings)</li>'
        '<li><span class="kg-line kg-dashed"></span>none of them known to have occurred</li>'
        "<li>names: the best connected that fit; zoom in or point at a dot for the others</li></ul>"
        "<h2>Timeline</h2><ul>"
        '<li><span class="kg-bar" style="background:#4e79a7"></span>meetings in the dates chosen</li>'
        '<li><span class="kg-bar" style="background:#c5ccd4"></span>outside the dates chosen</li>'
        '<li><span class="kg-bar" style="background:#e15759;height:0.2rem"></span>a bar cut to keep the others readable</li>'
        "</ul><h2>Map</h2><ul>"
        '<li><span class="kg-swatch" style="background:#e15759"></span>a place (area: its meetings)</li>'
        '<li><span class="kg-swatch" style="background:#b07aa1"></span>places too close to draw apart (zoom in)</li>'
        "</ul>"
    )


def _options(physics: bool, n_nodes: int) -> dict[str, Any]:
    large = n_nodes > LARGE_GRAPH_NODES
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
            # Sizes from node_size (see customScalingFunction in explorer.js). Names are not
            # vis-network's labels: the page places them itself, where they fit.
            "scaling": {"min": 7, "max": 60},
        },
        "edges": {
            "color": {"color": "#9aa5b1", "highlight": "#1f2933", "hover": "#1f2933", "opacity": 0.8},
            "smooth": False,  # straight: the layout does not move, curves only bent the picture
            "scaling": {"min": 1, "max": 8},
        },
    }


def render_html(
    events: Iterable[Event],
    *,
    title: str = "Who met whom",
    color_by: ColorBy = "country",
    physics: bool | None = None,
    seed: int = 42,
    aggregate: bool | None = None,
    max_meetings: int | None = MAX_MEETINGS,
) -> str:
    """Render the who-met-whom explorer as one self-contained HTML page.

    The page draws the network (names where they fit), a map of the meetings' places and a
    partners view of one actor, with a side panel (click a node, an edge or a place for its
    meetings with their sources), filters shared by the three (status, mode, country, and a
    date range brushed on a timeline of meetings per month), a search box over every name of
    an actor and a legend of every colour used.

    Args:
        events: The meetings, merged.
        title: The page title (escaped).
        color_by: ``"country"`` or ``"type"`` (see :func:`build_network`).
        physics: Animate the layout in the browser (vis-network's physics); ``None``: off.
        seed: The layout's random seed.
        aggregate: Start with one node per country, expanded on click; ``None``: above
            :data:`AGGREGATE_MIN_NODES` actors.
        max_meetings: Show at most this many meetings, those with the most sources (see
            :func:`most_reported`); ``None``: all of them.

    Returns:
        The HTML text: valid HTML5 that loads no external resource.

    Raises:
        ValueError: ``color_by`` is neither ``"country"`` nor ``"type"``.

    >>> "kg-search" in render_html([])
    True
    """
    shown, total = most_reported(events, max_meetings)
    net, G, extra = _build(shown, color_by=color_by, physics=physics, seed=seed, aggregate=aggregate)
    js, css, template, app, world = _assets()
    n_meetings = len(extra["meetings"])
    n_nodes, n_edges = len(net.nodes), len(net.edges)
    of = f" of {total:,} (the most reported)" if total > len(shown) else ""
    stats = (
        f"{n_nodes} actor{'s' if n_nodes != 1 else ''}, {n_meetings} meeting{'s' if n_meetings != 1 else ''}{of}"
        f", {n_edges} pair{'s' if n_edges != 1 else ''}"
    )
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, **extra}
    return string.Template(template).substitute(
        title=_esc(title),
        stats=_esc(stats),
        legend=_legend(G, color_by),
        vis_css=css,
        vis_js=js,
        data=_script_json(data),
        world=world,
        app_js=app,
    )


def write_html(
    events: Iterable[Event],
    path: str | os.PathLike[str],
    *,
    title: str = "Who met whom",
    color_by: ColorBy = "country",
    physics: bool | None = None,
    seed: int = 42,
    aggregate: bool | None = None,
    max_meetings: int | None = MAX_MEETINGS,
) -> None:
    """Write the page of :func:`render_html` to a file, atomically.

    Args:
        events: The meetings, merged.
        path: The ``.html`` file to write.
        title: The page title.
        color_by: ``"country"`` or ``"type"``.
        physics: Animate the layout in the browser; ``None``: off.
        seed: The layout's random seed.
        aggregate: Start aggregated by country; ``None`` decides by size.
        max_meetings: Show at most this many meetings, the most reported; ``None``: all.
    """
    page = render_html(
        events, title=title, color_by=color_by, physics=physics, seed=seed, aggregate=aggregate,
        max_meetings=max_meetings,
    )
    with atomic_write(path, "w") as f:
        f.write(page)


class NotebookView:
    """The explorer page shown inline in Jupyter, in a sandboxed ``<iframe srcdoc>``."""

    def __init__(self, page: str, *, height: int = 640) -> None:
        self.page = page
        self.height = height

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{_esc(self.page)}" sandbox="allow-scripts allow-popups" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd"></iframe>'
        )


def notebook_view(events: Iterable[Event], *, height: int = 640, **options: Any) -> NotebookView:
    """The explorer for a notebook cell: ``notebook_view(events)`` as the cell's last line.

    Args:
        events: The meetings, merged.
        height: The frame's height in pixels.
        **options: Passed to :func:`render_html`.

    Returns:
        An object Jupyter displays as the interactive page.
    """
    return NotebookView(render_html(events, **options), height=height)


__all__ = [
    "AGGREGATE_MIN_NODES",
    "LARGE_GRAPH_NODES",
    "MAX_MEETINGS",
    "NO_COUNTRY_COLOR",
    "PALETTE",
    "SEPARATE_MAX_NODES",
    "TYPE_COLORS",
    "TYPE_SHAPES",
    "NotebookView",
    "build_network",
    "cluster_positions",
    "compute_positions",
    "country_color",
    "country_colors",
    "group_radii",
    "most_reported",
    "node_size",
    "notebook_view",
    "render_html",
    "write_html",
]
