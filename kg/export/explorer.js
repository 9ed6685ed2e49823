// kg's explorer: the script of graph.html (inlined by kg.export.html after `var data` and `var world`).
//
// Every text that comes from an article reaches the page through textContent, a plain-text
// title or a canvas label (fillText), never as HTML. The page makes no request.
(function () {
  "use strict";
  var t0 = performance.now();
  var meetings = data.meetings, actors = data.actors, edgeMeetings = data.edgeMeetings;
  var baseNodes = data.nodes, baseEdges = data.edges, groups = data.groups;
  var MAX_LISTED = 200;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function button(text, onClick, cls) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }  // 12,345 (quicker than the Intl formatter)
  function plural(n, word) { return thousands(n) + " " + word + (n === 1 ? "" : "s"); }
  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function byId(id) { return document.getElementById(id); }

  // ------------------------------------------------------------------ months
  // The timeline's range is that of the dated meetings inside Tukey's far-out fences (three
  // interquartile ranges, and at least three years, beyond the quartiles): one meeting dated
  // 2000 among those of 2023-2025 cannot stretch it. Meetings outside are counted apart,
  // shown while all dates are and left out once the dates are narrowed.
  function monthIndex(iso) { return parseInt(iso.slice(0, 4), 10) * 12 + (iso.length >= 7 ? parseInt(iso.slice(5, 7), 10) - 1 : 0); }
  function monthLabel(k) { var y = Math.floor(k / 12), mo = k - y * 12 + 1; return y + "-" + (mo < 10 ? "0" : "") + mo; }
  var dated = [], undatedCount = 0;
  meetings.forEach(function (m) {
    if (!m.date) { m.lo = m.hi = null; undatedCount++; return; }
    m.lo = monthIndex(m.date);
    m.hi = m.date.length === 4 ? m.lo + 11 : m.lo;
    dated.push(m.lo);
  });
  dated.sort(function (a, b) { return a - b; });
  var hasDates = dated.length > 0, minMonth = 0, maxMonth = 0, outliers = [0, 0];
  function quantile(q) {
    var p = (dated.length - 1) * q, i = Math.floor(p), j = Math.min(i + 1, dated.length - 1);
    return dated[i] + (dated[j] - dated[i]) * (p - i);
  }
  if (hasDates) {
    var q1 = quantile(0.25), q3 = quantile(0.75), iqr = Math.max(q3 - q1, 12);
    var fenceLo = q1 - 3 * iqr, fenceHi = q3 + 3 * iqr;
    minMonth = Infinity; maxMonth = -Infinity;
    meetings.forEach(function (m) {
      if (m.lo === null) return;
      m.out = m.lo < fenceLo ? -1 : m.lo > fenceHi ? 1 : 0;
      if (m.out) { outliers[m.out < 0 ? 0 : 1]++; return; }
      if (m.lo < minMonth) minMonth = m.lo;
      if (m.lo > maxMonth) maxMonth = m.lo;
    });
  }
  // Bars of a month, a quarter or a year, so that there are at most about 72 of them.
  var span = maxMonth - minMonth + 1;
  var BIN = span <= 72 ? 1 : span <= 216 ? 3 : 12;
  var firstBin = Math.floor(minMonth / BIN), nBins = hasDates ? Math.floor(maxMonth / BIN) - firstBin + 1 : 0;
  function binOf(month) { return Math.floor(month / BIN) - firstBin; }
  function binFrom(b) { return Math.max(minMonth, (firstBin + b) * BIN); }
  function binTo(b) { return Math.min(maxMonth, (firstBin + b + 1) * BIN - 1); }
  function binLabel(b) {
    var k = (firstBin + b) * BIN, y = Math.floor(k / 12);
    return BIN === 12 ? String(y) : BIN === 3 ? y + " Q" + (Math.floor((k - y * 12) / 3) + 1) : monthLabel(k);
  }

  // ------------------------------------------------------------------ actors and groups
  var groupOf = new Array(actors.length), groupById = {};
  groups.forEach(function (g) { groupById[g.id] = g; g.members.forEach(function (i) { groupOf[i] = g; }); });
  var meetingsOf = actors.map(function () { return []; });
  meetings.forEach(function (m, k) { m.actors.forEach(function (i) { meetingsOf[i].push(k); }); });
  var nameIndex = [];
  actors.forEach(function (a, i) {
    var seen = {};
    [baseNodes[i].label].concat(a.names).forEach(function (n) {
      var f = fold(n);
      if (f && !seen[f]) { seen[f] = 1; nameIndex.push([f, i, n]); }
    });
  });
  function nameOf(id) {
    if (id.charAt(0) === "g") return groupById[id].label;
    return baseNodes[parseInt(id.slice(1), 10)].label;
  }

  // ------------------------------------------------------------------ filter state
  var state = { from: minMonth, to: maxMonth, undated: true,
                status: { occurred: true, planned: true, cancelled: true },
                mode: { "in-person": true, remote: true }, country: "" };
  var expanded = {};
  var active = new Uint8Array(meetings.length);
  function narrowed() { return hasDates && (state.from > minMonth || state.to < maxMonth); }
  function passesExceptDate(m) {
    if (!state.status[m.status] || !state.mode[m.mode]) return false;
    if (state.country) {
      for (var j = 0; j < m.actors.length; j++) if (actors[m.actors[j]].country === state.country) return true;
      return false;
    }
    return true;
  }
  function passesDate(m, cut) {
    if (m.lo === null) return state.undated;
    if (!cut) return true;
    return m.hi >= state.from && m.lo <= state.to;
  }
  function computeActive() {
    var cut = narrowed(), n = 0;
    for (var k = 0; k < meetings.length; k++) {
      active[k] = passesExceptDate(meetings[k]) && passesDate(meetings[k], cut) ? 1 : 0;
      n += active[k];
    }
    return n;
  }

  // ------------------------------------------------------------------ network
  // An actor's dot grows with its meetings the same way on every page (vis-network's own
  // scaling would stretch each page's min..max instead). Names are not vis-network's labels:
  // the page draws them itself, only where they fit (see placeLabels).
  function nodeSize(n) { return Math.min(60, 7 + 5 * Math.sqrt(Math.max(0, n - 1))); }
  data.options.nodes.scaling.customScalingFunction = function (min, max, total, value) { return (nodeSize(value) - 7) / 53; };
  var nodes = new vis.DataSet([]), edges = new vis.DataSet([]);
  var container = byId("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var visEdgeMeetings = {};  // vis edge id -> meeting indices
  var note = byId("kg-note"), empty = byId("kg-empty");

  function visId(i) {
    var g = groupOf[i];
    return g && !expanded[g.id] ? g.id : "n" + i;
  }
  // Change only what changed: vis-network redoes work for every item it is given.
  function sync(ds, items, shown) {
    var want = {}, fresh = [], changed = [];
    items.forEach(function (it) {
      var sig = [it.title, it.size, it.width, it.dashes, it.color, it.from, it.to, it.x, it.y, it.borderWidth].join("\u0001");
      want[it.id] = true;
      if (!(it.id in shown)) fresh.push(it);
      else if (shown[it.id] !== sig) changed.push(it);
      shown[it.id] = sig;
    });
    var gone = Object.keys(shown).filter(function (id) { return !want[id]; });
    gone.forEach(function (id) { delete shown[id]; });
    if (gone.length) ds.remove(gone);
    if (fresh.length) ds.add(fresh);
    if (changed.length) ds.update(changed);
  }

  // ------------------------------------------------------------------ layout
  // Positions: kg computes each connected part's shape beforehand (seeded, in Python); the
  // page packs the parts to the shape of the view when it opens, so the picture fills it at
  // any window size. A filter then keeps every node that stays where it is (nothing jumps);
  // "Re-layout" lays out what is shown again (the same bounded force-directed steps from
  // the current places, parts packed again) and moves the nodes there in a short animation.
  var UNIT = 110, GAP = 0.8 * UNIT, SPIRAL = 40, STEPS = 50, PAIR_BUDGET = 1.5e7, SEPARATE_BUDGET = 5e6;
  var place = {};      // vis id -> [x, y]: where each node is (or would be) drawn in the network view
  var home = {};       // vis id -> [x, y]: the first picture, given back by Reset
  function viewAspect() {
    return Math.min(3, Math.max(0.4, (container.clientWidth || 4) / (container.clientHeight || 3)));
  }
  // Boxes (largest first, [w, h]) packed into a rectangle as close to `aspect` as can be: the
  // first at the top left, the others in rows beside it while they fit its height, then in
  // rows under it. Returns the top-left corners and the size.
  function packBoxes(dims, aspect) {
    var area = 0, sumW = 0, maxW = 0;
    dims.forEach(function (d) { area += d[0] * d[1]; sumW += d[0]; maxW = Math.max(maxW, d[0]); });
    function shelf(width) {
      var xy = [[0, 0]], x = dims[0][0], y = 0, rh = 0, wmax = dims[0][0], top = dims[0][1], beside = true;
      for (var i = 1; i < dims.length; i++) {
        var d = dims[i];
        if (x + d[0] > width + 1e-6) {  // next row
          y += rh; rh = 0;
          if (beside && y + d[1] > top) { beside = false; y = Math.max(y, top); }
          x = beside ? dims[0][0] : 0;
          if (x + d[0] > width + 1e-6 && x > 0) { beside = false; y = Math.max(y, top); x = 0; }
        }
        xy.push([x, y]); x += d[0]; rh = Math.max(rh, d[1]); wmax = Math.max(wmax, x);
      }
      return { xy: xy, w: wmax, h: Math.max(top, y + rh) };
    }
    var best = null;
    for (var t = 0; t <= 24; t++) {
      var s = shelf(maxW * Math.pow(Math.max(1, sumW / maxW), t / 24));
      var W = Math.max(s.w, s.h * aspect);
      s.score = area / (W * W / aspect);
      if (!best || s.score > best.score + 1e-9) best = s;
    }
    return best;
  }
  // Lay out items (with x, y and size) joined by links (from, to, n): each connected part
  // keeps the shape its nodes have (after `steps` force-directed steps), parts packed to the
  // view's shape. Writes items[i].x / .y. Bounded: STEPS steps, PAIR_BUDGET node pairs.
  function layoutParts(items, links, steps) {
    var n = items.length, at = {}, adj = [];
    if (!n) return;
    items.forEach(function (it, i) { at[it.id] = i; adj.push([]); });
    links.forEach(function (l) {
      var a = at[l.from], b = at[l.to];
      if (a === undefined || b === undefined || a === b) return;
      var w = 1 + 0.3 * Math.log(l.n || 1);
      adj[a].push(b, w); adj[b].push(a, w);
    });
    var comp = new Int32Array(n).fill(-1), comps = [];
    for (var s = 0; s < n; s++) {
      if (comp[s] >= 0) continue;
      var members = [s];
      comp[s] = comps.length;
      for (var q = 0; q < members.length; q++) {
        var nb = adj[members[q]];
        for (var j = 0; j < nb.length; j += 2) if (comp[nb[j]] < 0) { comp[nb[j]] = comps.length; members.push(nb[j]); }
      }
      comps.push(members);
    }
    comps.sort(function (a, b) { return b.length - a.length || a[0] - b[0]; });
    var budget = { pairs: PAIR_BUDGET, separate: SEPARATE_BUDGET };
    var sides = comps.map(function (ms) {
      var r = 0;
      ms.forEach(function (i) { r += items[i].size || 10; });
      // Pairs and threes need little room; a bigger part more per node, for its names.
      return ms.length <= 3 ? 0.75 * (UNIT * Math.sqrt(ms.length) + GAP) : Math.max(1.5 * UNIT, 4 * r / ms.length) * Math.sqrt(ms.length) + GAP;
    });
    var aspect = viewAspect(), best = null;
    // The biggest part may take a box wider (or taller) than square, when that fills the view better.
    [1, 1.3, 1.7, 2.2].forEach(function (r) {
      if (r > 1 && comps[0].length < 6) return;
      var ratio = aspect >= 1 ? r : 1 / r;
      var dims = sides.map(function (side, c) {
        if (!c) return [side * Math.sqrt(ratio), side / Math.sqrt(ratio)];
        return comps[c].length <= 3 ? [1.35 * side, side] : [side, side];  // room for the names beside
      });
      var packed = packBoxes(dims, aspect);
      if (!best || packed.score > best.score + 1e-9) { best = packed; best.dims = dims; }
    });
    comps.forEach(function (ms, c) {
      var d = best.dims[c], hx = (d[0] - GAP) * 0.42, hy = (d[1] - GAP) * 0.42, p = shape(ms, items, adj, steps, budget);
      if (ms.length === 2) hy *= 0.6;  // a pair stands upright, short, its names above and below
      // (At the start, steps is 0: the places are kg's, whose dots are apart already up to
      // kg.export.html.SEPARATE_MAX_NODES actors.)
      if (ms.length > 5 && steps) separate(p, ms.map(function (i) { return ((items[i].size || 10) + 4) / Math.min(hx, hy); }), budget);
      var cx = best.xy[c][0] + d[0] / 2, cy = best.xy[c][1] + d[1] / 2;
      ms.forEach(function (i, j) { items[i].x = Math.round(cx + p[2 * j] * hx); items[i].y = Math.round(cy + p[2 * j + 1] * hy); });
    });
    // Then stretched along its shorter side (up to half as much again) to the view's shape:
    // distances only grow, so no two dots come to overlap.
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    items.forEach(function (it) { x0 = Math.min(x0, it.x); x1 = Math.max(x1, it.x); y0 = Math.min(y0, it.y); y1 = Math.max(y1, it.y); });
    var w = x1 - x0 + 2 * UNIT, h = y1 - y0 + 2 * UNIT;  // (room for the dots and names at the edges)
    var sx = Math.min(1.5, Math.max(1, aspect * h / w)), sy = Math.min(1.5, Math.max(1, w / (aspect * h)));
    if (sx > 1 || sy > 1) items.forEach(function (it) { it.x = Math.round(x0 + (it.x - x0) * sx); it.y = Math.round(y0 + (it.y - y0) * sy); });
    window.kgLayoutPairs = PAIR_BUDGET - budget.pairs;  // node pairs looked at (for the benchmark)
  }
  // One part's shape in [-1, 1]: a polygon up to five nodes (in the order they stood around
  // their centre), else the places they have, relaxed by `steps` force-directed steps
  // (Fruchterman-Reingold, repulsion between near nodes only, through a grid).
  function shape(ms, items, adj, steps, budget) {
    var k = ms.length, p = new Float64Array(2 * k), j, m;
    if (k === 1) return p;
    var cx = 0, cy = 0;
    ms.forEach(function (i) { cx += items[i].x; cy += items[i].y; });
    cx /= k; cy /= k;
    if (k <= 5) {
      var order = ms.map(function (i, j) { return [Math.atan2(items[i].y - cy, items[i].x - cx), j]; });
      order.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      order.forEach(function (o, r) {  // from the top, as kg.export.html._polygon
        var a = -Math.PI / 2 + 2 * Math.PI * r / k;
        p[2 * o[1]] = Math.cos(a); p[2 * o[1] + 1] = Math.sin(a);
      });
      return p;
    }
    var local = {};
    ms.forEach(function (i, j) { local[i] = j; p[2 * j] = items[i].x; p[2 * j + 1] = items[i].y; });
    normalise(p);
    var kd = 1.4 / Math.sqrt(k), kd2 = kd * kd, cell = 2 * kd, dx = new Float64Array(k), dy = new Float64Array(k);
    var grid = new Map(), key = new Float64Array(k);
    for (var step = 0; step < steps && budget.pairs > 0; step++) {
      dx.fill(0); dy.fill(0);
      // Repulsion from the nodes in the 3x3 cells around.
      budget.pairs -= nearPairs(p, k, cell, grid, key, function (j, m) {
        var ex = p[2 * j] - p[2 * m], ey = p[2 * j + 1] - p[2 * m + 1], d2 = ex * ex + ey * ey;
        if (d2 < 1e-12) { ex = 1e-4 * (1 + (j + m) % 7); ey = 1e-4 * (1 + (j * m) % 5); d2 = ex * ex + ey * ey; }
        if (d2 > cell * cell) return;
        var f = kd2 / d2;
        dx[j] += ex * f; dy[j] += ey * f; dx[m] -= ex * f; dy[m] -= ey * f;
      });
      for (j = 0; j < k; j++) {  // attraction along the edges
        var nb = adj[ms[j]];
        for (var e = 0; e < nb.length; e += 2) {
          m = local[nb[e]];
          if (m <= j) continue;
          var ax = p[2 * j] - p[2 * m], ay = p[2 * j + 1] - p[2 * m + 1], g = Math.sqrt(ax * ax + ay * ay) / kd * nb[e + 1];
          dx[j] -= ax * g; dy[j] -= ay * g; dx[m] += ax * g; dy[m] += ay * g;
        }
      }
      var limit = 0.08 * (1 - step / steps);
      for (j = 0; j < k; j++) {
        var len = Math.sqrt(dx[j] * dx[j] + dy[j] * dy[j]);
        if (len > 0) { var sc = Math.min(len, limit) / len; p[2 * j] += dx[j] * sc; p[2 * j + 1] += dy[j] * sc; }
      }
    }
    normalise(p);
    return p;
  }
  // Then no two dots overlap (a hub's big dot would hide the nodes drawn to it): overlapping
  // pairs move apart, in at most 30 rounds and SEPARATE_BUDGET node pairs.
  function separate(p, rad, budget) {
    var k = rad.length, cell = 2 * Math.max.apply(null, rad), grid = new Map(), key = new Float64Array(k);
    for (var round = 0; round < 30 && budget.separate > 0; round++) {
      var moved = false;
      budget.separate -= nearPairs(p, k, cell, grid, key, function (j, m) {
        var ex = p[2 * j] - p[2 * m], ey = p[2 * j + 1] - p[2 * m + 1], d = Math.sqrt(ex * ex + ey * ey), need = rad[j] + rad[m];
        if (d >= need) return;
        if (d < 1e-9) { ex = 1; ey = 0; d = 1; }
        var push = (need - d) / 2 / d;
        p[2 * j] += ex * push; p[2 * j + 1] += ey * push; p[2 * m] -= ex * push; p[2 * m + 1] -= ey * push;
        moved = true;
      });
      if (!moved) break;
    }
  }
  // Calls visit(j, m) for each pair of points j < m in neighbouring cells of a grid (points
  // [x0, y0, x1, y1, ...]); returns the number of pairs looked at.
  function nearPairs(p, k, cell, grid, key, visit) {
    var j, looked = 0;
    grid.clear();
    for (j = 0; j < k; j++) {
      key[j] = Math.floor(p[2 * j] / cell) * 1048576 + Math.floor(p[2 * j + 1] / cell);
      var list = grid.get(key[j]);
      if (list) list.push(j); else grid.set(key[j], [j]);
    }
    for (j = 0; j < k; j++) {
      for (var gx = -1; gx <= 1; gx++) for (var gy = -1; gy <= 1; gy++) {
        var near = grid.get(key[j] + gx * 1048576 + gy);
        if (!near) continue;
        looked += near.length;
        for (var t = 0; t < near.length; t++) if (near[t] > j) visit(j, near[t]);
      }
    }
    return looked;
  }
  function normalise(p) {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, j;
    for (j = 0; j < p.length; j += 2) {
      x0 = Math.min(x0, p[j]); x1 = Math.max(x1, p[j]); y0 = Math.min(y0, p[j + 1]); y1 = Math.max(y1, p[j + 1]);
    }
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, half = Math.max(x1 - x0, y1 - y0) / 2 || 1;
    for (j = 0; j < p.length; j += 2) { p[j] = (p[j] - cx) / half; p[j + 1] = (p[j + 1] - cy) / half; }
  }
  // The grouped view: countries keep their discs (kg placed them apart); their centres are
  // spread along the longer side of the view (distances only grow, so no disc comes to
  // overlap another), and each country's actors move with it.
  function stretchGroups() {
    var xs = groups.map(function (g) { return g.x; }), ys = groups.map(function (g) { return g.y; });
    var w = Math.max.apply(null, xs) - Math.min.apply(null, xs) || 1, h = Math.max.apply(null, ys) - Math.min.apply(null, ys) || 1;
    var want = viewAspect(), sx = Math.min(2, Math.max(1, want * h / w)), sy = Math.min(2, Math.max(1, w / (want * h)));
    groups.forEach(function (g) {
      var gx = Math.round(g.x * sx), gy = Math.round(g.y * sy);
      home[g.id] = [gx, gy];
      g.members.forEach(function (i) { var b = baseNodes[i]; home["n" + i] = [b.x + gx - g.x, b.y + gy - g.y]; });
    });
  }
  function homeLayout() {
    home = {};
    if (groups.length) { stretchGroups(); return; }
    var items = baseNodes.map(function (b) { return { id: b.id, x: b.x, y: b.y, size: nodeSize(b.value) }; });
    layoutParts(items, baseEdges.map(function (e) { return { from: e.from, to: e.to, n: e.value }; }), 0);
    items.forEach(function (it) { home[it.id] = [it.x, it.y]; });
  }

  // Moving nodes to new places: a short animation (up to ANIMATE_MAX nodes), then the new
  // places are theirs.
  var ANIMATE_MS = 300, ANIMATE_MAX = 3000, animation = 0;
  function moveTo(target, then) {
    var ids = Object.keys(target).filter(function (id) { return network.body.nodes[id]; });
    var from = {};
    ids.forEach(function (id) { var n = network.body.nodes[id]; from[id] = [n.x, n.y]; });
    if (animation) cancelAnimationFrame(animation);
    function finish() {
      animation = 0;
      nodes.update(ids.map(function (id) { return { id: id, x: target[id][0], y: target[id][1] }; }));
      ids.forEach(function (id) { shownNodes[id] = null; });  // re-sent at the next sync
      geometry++;
      if (then) then();
    }
    if (ids.length > ANIMATE_MAX) { finish(); return; }
    var start = performance.now();
    function frame(now) {
      var t = Math.min(1, (now - start) / ANIMATE_MS), e = t * t * (3 - 2 * t);
      ids.forEach(function (id) {
        var n = network.body.nodes[id];
        n.x = from[id][0] + (target[id][0] - from[id][0]) * e;
        n.y = from[id][1] + (target[id][1] - from[id][1]) * e;
      });
      geometry++;
      network.redraw();
      if (t < 1) animation = requestAnimationFrame(frame); else finish();
    }
    animation = requestAnimationFrame(frame);
  }

  // ------------------------------------------------------------------ names on the canvas
  // Names are drawn by the page after vis-network has drawn the dots and edges, in screen
  // pixels (the same size at every zoom): the most connected first, each at the first of
  // eight places around its dot where it stays inside the view and covers no dot and no
  // other name; the rest are left out (zoom in, or point at a dot, to see them).
  var LABEL_FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var GROUP_FONT = "bold 13px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var LABEL_H = 16, LABEL_PAD = 3, MAX_LABEL_CHARS = 30;
  var widths = new Map(), measureCtx = document.createElement("canvas").getContext("2d");
  function textWidth(text, font) {
    var key = font + "\u0001" + text, w = widths.get(key);
    if (w === undefined) { measureCtx.font = font; w = measureCtx.measureText(text).width; widths.set(key, w); }
    return w;
  }
  function shortName(s) { s = String(s); return s.length <= MAX_LABEL_CHARS ? s : s.slice(0, MAX_LABEL_CHARS - 1) + "\u2026"; }
  // Greedy placement over a grid. items: [{x, y, r, text, font}] most important first;
  // dots: [{x, y, r}] every dot drawn. Returns the placed names [{x, y, w, h, text, font, i}].
  var SIDES = [[0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [1, -1], [-1, 1], [-1, -1]];
  function placeLabels(items, dots, W, H) {
    var CELL = 48, dotCells = new Map(), labelCells = new Map(), out = [];
    function cellKeys(x0, y0, x1, y1, f) {
      for (var cx = Math.floor(x0 / CELL); cx <= Math.floor(x1 / CELL); cx++)
        for (var cy = Math.floor(y0 / CELL); cy <= Math.floor(y1 / CELL); cy++) f(cx * 65536 + cy);
    }
    function add(map, key, v) { var l = map.get(key); if (l) l.push(v); else map.set(key, [v]); }
    dots.forEach(function (d) {
      cellKeys(d.x - d.r, d.y - d.r, d.x + d.r, d.y + d.r, function (key) { add(dotCells, key, d); });
    });
    function free(x, y, w, h) {
      if (x < 1 || y < 1 || x + w > W - 1 || y + h > H - 1) return false;
      var ok = true;
      cellKeys(x, y, x + w, y + h, function (key) {
        if (!ok) return;
        var ds = dotCells.get(key), j;
        if (ds) for (j = 0; j < ds.length; j++) {
          var d = ds[j], px = Math.max(x, Math.min(d.x, x + w)) - d.x, py = Math.max(y, Math.min(d.y, y + h)) - d.y;
          if (px * px + py * py < d.r * d.r) { ok = false; return; }
        }
        var ls = labelCells.get(key);
        if (ls) for (j = 0; j < ls.length; j++) {
          var l = ls[j];
          if (x < l.x + l.w + 2 && l.x < x + w + 2 && y < l.y + l.h + 1 && l.y < y + h + 1) { ok = false; return; }
        }
      });
      return ok;
    }
    var far = Math.max(5, Math.ceil(items.length / 10));
    items.forEach(function (it, i) {
      if (it.x < -it.r || it.y < -it.r || it.x > W + it.r || it.y > H + it.r) return;
      var w = textWidth(it.text, it.font) + 2 * LABEL_PAD, h = LABEL_H, r = it.r + 1, d = r * 0.72;
      var spots = [];
      // Beside the dot first, then (for a dot among many) a little further out; the names
      // of the best connected may go further still, with a line to their dot.
      // Around it, the sides away from its partners first (a pair's names then stand apart).
      var sides = SIDES.slice();
      if (it.away) sides.sort(function (a, b) { return (b[0] * it.away[0] + b[1] * it.away[1]) - (a[0] * it.away[0] + a[1] * it.away[1]); });
      (i < far ? [0, 7, 15, 26, 40, 56] : [0, 7, 15]).forEach(function (o) {
        sides.forEach(function (sd) {
          var ox = sd[0], oy = sd[1], diag = ox && oy;
          var x = ox > 0 ? it.x + (diag ? d : r + 1) + o : ox < 0 ? it.x - (diag ? d : r + 1) - o - w : it.x - w / 2;
          var y = oy > 0 ? it.y + (diag ? d : r) + o : oy < 0 ? it.y - (diag ? d : r) - o - h : it.y - h / 2;
          spots.push([x, y]);
        });
      });
      for (var s = 0; s < spots.length; s++) {
        var x = spots[s][0], y = spots[s][1];
        if (!free(x, y, w, h)) continue;
        var l = { x: x, y: y, w: w, h: h, text: it.text, font: it.font, i: i };
        if (s >= 16) l.from = [it.x, it.y, it.r];
        out.push(l);
        cellKeys(x, y, x + w, y + h, function (key) { add(labelCells, key, l); });
        return;
      }
    });
    return out;
  }
  function drawLabel(ctx, l, strong) {
    if (l.from) {  // a line from the dot's edge to the name's nearest point
      var cx = Math.max(l.x, Math.min(l.from[0], l.x + l.w)), cy = Math.max(l.y, Math.min(l.from[1], l.y + l.h));
      var dx = cx - l.from[0], dy = cy - l.from[1], d = Math.sqrt(dx * dx + dy * dy) || 1;
      ctx.strokeStyle = "#52606d"; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(l.from[0] + dx / d * l.from[2], l.from[1] + dy / d * l.from[2]); ctx.lineTo(cx, cy); ctx.stroke();
    }
    ctx.fillStyle = strong ? "rgba(255,255,224,0.95)" : "rgba(255,255,255,0.82)";
    ctx.fillRect(l.x, l.y, l.w, l.h);
    ctx.fillStyle = "#1f2933";
    ctx.font = l.font;
    ctx.fillText(l.text, l.x + LABEL_PAD, l.y + l.h / 2 + 0.5);
  }
  var geometry = 0, labelOrder = [], drawnName = {}, placed = [], placedKey = "", hoverId = null, hoverLabel = null;
  function screenDots() {
    var scale = network.getScale(), tr = network.body.view.translation, out = [], byVisId = {};
    network.body.nodeIndices.forEach(function (id) {
      var n = network.body.nodes[id];
      if (!n) return;
      var size = n.options.size || 10, shapeName = n.options.shape;
      var r = (shapeName === "dot" ? size : size * 1.25) * scale + (n.options.borderWidth || 1) + 1;
      var d = { x: n.x * scale + tr.x, y: n.y * scale + tr.y, r: r };
      out.push(d); byVisId[id] = d;
    });
    return { dots: out, byId: byVisId };
  }
  // The direction from the mean of a node's partners to the node (unit vector), or null.
  function away(id) {
    var n = network.body.nodes[id], sx = 0, sy = 0, k = 0;
    n.edges.forEach(function (e) {
      if (!e.connected) return;
      var o = e.fromId === id ? e.to : e.from;
      if (o) { sx += o.x; sy += o.y; k++; }
    });
    if (!k) return null;
    var dx = n.x - sx / k, dy = n.y - sy / k, len = Math.sqrt(dx * dx + dy * dy);
    return len > 1e-6 ? [dx / len, dy / len] : null;
  }
  function drawNames(ctx) {
    var W = container.clientWidth, H = container.clientHeight, scale = network.getScale(), tr = network.body.view.translation;
    var selected = network.getSelectedNodes();
    var key = [scale, tr.x, tr.y, W, H, geometry, selected.join(",")].join("|");
    var sd = null;
    if (key !== placedKey) {
      sd = screenDots();
      var first = {};
      selected.forEach(function (id) { first[id] = 1; });
      var order = selected.filter(function (id) { return sd.byId[id]; }).concat(labelOrder.filter(function (id) { return !first[id]; }));
      var items = [];
      order.forEach(function (id) {
        var d = sd.byId[id];
        if (d) items.push({ x: d.x, y: d.y, r: d.r, text: shortName(drawnName[id] || nameOf(id)), font: id.charAt(0) === "g" ? GROUP_FONT : LABEL_FONT, id: id, away: away(id) });
      });
      placed = placeLabels(items, sd.dots, W, H);
      placed.forEach(function (l) { l.id = items[l.i].id; });
      placedKey = key;
    }
    ctx.save();
    var ratio = network.canvas.pixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    placed.forEach(function (l) { drawLabel(ctx, l, selected.indexOf(l.id) >= 0); });  // the chosen one stands out
    hoverLabel = null;
    if (hoverId && network.body.nodes[hoverId] && !placed.some(function (l) { return l.id === hoverId; })) {
      var n = network.body.nodes[hoverId];
      var text = shortName(drawnName[hoverId] || nameOf(hoverId)), font = hoverId.charAt(0) === "g" ? GROUP_FONT : LABEL_FONT;
      var w = textWidth(text, font) + 2 * LABEL_PAD, r = (n.options.size || 10) * scale + 2;
      var x = Math.max(1, Math.min(W - w - 1, n.x * scale + tr.x - w / 2)), y = n.y * scale + tr.y + r;
      if (y + LABEL_H > H) y = n.y * scale + tr.y - r - LABEL_H;
      hoverLabel = { x: x, y: y, w: w, h: LABEL_H, text: text, font: font, id: hoverId };
      drawLabel(ctx, hoverLabel, true);
    }
    ctx.restore();
  }
  network.on("afterDrawing", drawNames);
  if (data.options.physics.enabled) network.on("beforeDrawing", function () { geometry++; });  // nodes may move
  network.on("hoverNode", function (p) { hoverId = String(p.node); network.redraw(); });
  network.on("blurNode", function () { hoverId = null; network.redraw(); });
  network.on("dragging", function (p) { if (p.nodes.length) geometry++; });
  network.on("dragEnd", function (p) {
    if (!p.nodes.length) return;
    var at = network.getPositions(p.nodes);
    p.nodes.forEach(function (id) {
      var xy = [at[id].x, at[id].y];
      if (view === "ego") ego.pos[id] = xy; else place[id] = xy;
      shownNodes[id] = null;
    });
    geometry++;
  });

  // ------------------------------------------------------------------ drawing the network
  var view = "network", ego = null, shownNodes = {}, shownEdges = {}, shownCount = 0;
  // Where a node that had no place in the view goes: its place in the first picture while
  // nothing was laid out again; after a re-layout, beside the nodes it is drawn to.
  var relaidOut = false;
  function placeFor(id, links) {
    if (!relaidOut && home[id]) return home[id];
    var sx = 0, sy = 0, k = 0;
    (links[id] || []).forEach(function (other) { var p = place[other]; if (p) { sx += p[0]; sy += p[1]; k++; } });
    if (!k) return home[id] || [0, 0];
    var h = 0;
    for (var j = 0; j < id.length; j++) h = (h * 31 + id.charCodeAt(j)) % 360;
    var a = h * Math.PI / 180;
    return [Math.round(sx / k + 60 * Math.cos(a)), Math.round(sy / k + 60 * Math.sin(a))];
  }
  function graphItems() {
    var count = new Array(actors.length).fill(0);
    for (var k = 0; k < meetings.length; k++) if (active[k]) meetings[k].actors.forEach(function (i) { count[i]++; });
    var nodeItems = [], groupActors = {}, inEgo = view === "ego" ? egoMembers(count) : null;
    actors.forEach(function (a, i) {
      if (!count[i]) return;
      if (inEgo && !inEgo[i]) return;
      var g = groupOf[i];
      if (!inEgo && g && !expanded[g.id]) { groupActors[g.id] = (groupActors[g.id] || 0) + 1; return; }
      var b = baseNodes[i];
      nodeItems.push({ id: b.id, name: b.label, title: b.title, shape: b.shape, color: b.color, value: count[i], size: nodeSize(count[i]),
                       borderWidth: inEgo && (ego.centre === i || ego.open.indexOf(i) >= 0) ? 3 : 1 });
    });
    var agg = {}, aggList = [];
    baseEdges.forEach(function (e, i) {
      var ms = edgeMeetings[i], on = [];
      for (var j = 0; j < ms.length; j++) if (active[ms[j]]) on.push(ms[j]);
      if (!on.length) return;
      var u = parseInt(e.from.slice(1), 10), v = parseInt(e.to.slice(1), 10);
      if (inEgo && !(inEgo[u] && inEgo[v])) return;
      var a = inEgo ? "n" + u : visId(u), b = inEgo ? "n" + v : visId(v);
      if (a === b) return;  // inside a collapsed country
      var key = a < b ? a + "|" + b : b + "|" + a;
      var item = agg[key];
      if (!item) {
        item = agg[key] = { id: a.charAt(0) === "n" && b.charAt(0) === "n" ? e.id : "a:" + key, from: a, to: b, ms: {}, n: 0, title: e.title };
        aggList.push(item);
      }
      on.forEach(function (k) { if (!item.ms[k]) { item.ms[k] = 1; item.n++; } });
    });
    // Meetings per collapsed group (for its size): distinct meetings with a member inside.
    groups.forEach(function (g) {
      if (inEgo || expanded[g.id] || !groupActors[g.id]) return;
      var seen = {}, n = 0;
      g.members.forEach(function (i) { meetingsOf[i].forEach(function (k) { if (active[k] && !seen[k]) { seen[k] = 1; n++; } }); });
      var disc = SPIRAL * Math.sqrt(groupActors[g.id]);
      nodeItems.push({ id: g.id, name: g.label + " (" + groupActors[g.id] + ")", shape: "dot", color: g.color, value: n,
                       // Countries stand apart (room for their actors when expanded): the dot grows
                       // with the disc their actors (those matching) would take.
                       size: Math.max(nodeSize(n), 0.5 * disc * nodeSize(n) / 60),
                       title: g.label + "\n" + plural(groupActors[g.id], "actor") + ", " + plural(n, "meeting") + "\nclick to show its actors",
                       borderWidth: 3 });
    });
    visEdgeMeetings = {};
    var edgeItems = aggList.map(function (it) {
      var ks = Object.keys(it.ms).map(Number).sort(function (x, y) { return x - y; });
      visEdgeMeetings[it.id] = ks;
      var occurred = ks.some(function (k) { return meetings[k].status === "occurred"; });
      var title = it.id.charAt(0) === "e" ? it.title.split("\n")[0] : nameOf(it.from) + " \u2013 " + nameOf(it.to);
      return { id: it.id, from: it.from, to: it.to, n: ks.length, width: Math.min(12, 1 + 1.5 * Math.log2(ks.length)), dashes: !occurred, title: title + "\n" + plural(ks.length, "meeting") + " (click for the list)" };
    });
    return { nodes: nodeItems, edges: edgeItems };
  }
  function drawGraph(fit) {
    var g = graphItems(), links = {};
    g.edges.forEach(function (e) { (links[e.from] = links[e.from] || []).push(e.to); (links[e.to] = links[e.to] || []).push(e.from); });
    var where = view === "ego" ? egoPlaces(g.nodes, links) : null;
    var moving = data.options.physics.enabled;  // physics moved the nodes: where they are now
    g.nodes.forEach(function (it) {
      var now = moving && network.body.nodes[it.id];
      if (now && !where) place[it.id] = [now.x, now.y];
      var p = where ? where[it.id] : place[it.id] || (place[it.id] = placeFor(it.id, links));
      it.x = p[0]; it.y = p[1];
    });
    drawnName = {};
    g.nodes.forEach(function (it) { drawnName[it.id] = it.name; });
    labelOrder = g.nodes.slice().sort(function (a, b) {
      var ga = a.id.charAt(0) === "g", gb = b.id.charAt(0) === "g";
      return (gb - ga) || (b.borderWidth - a.borderWidth) || (b.value - a.value) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    }).map(function (it) { return it.id; });
    sync(nodes, g.nodes, shownNodes);
    sync(edges, g.edges, shownEdges);
    geometry++;
    window.kgLayoutMs = 0;
    if (fit && g.nodes.length) fitView(fit === "animate");
    return g;
  }
  function fitView(animate) {
    network.fit({ animation: false });
    var scale = network.getScale() * 0.95, at = network.getViewPosition();
    if (animate) {
      // Animate from where the view was (fit moved it already: go back first).
      network.moveTo({ position: at, scale: scale, animation: { duration: ANIMATE_MS, easingFunction: "easeInOutQuad" } });
    } else {
      network.moveTo({ position: at, scale: scale, animation: false });
    }
  }
  function relayoutShown() {
    var items = nodes.get().map(function (n) { var b = network.body.nodes[n.id]; return { id: n.id, x: b.x, y: b.y, size: n.size }; });
    var links = edges.get().map(function (e) { return { from: e.from, to: e.to, n: e.n }; });
    var t = performance.now();
    layoutParts(items, links, STEPS);
    window.kgLayoutMs = performance.now() - t;
    var target = {};
    items.forEach(function (it) { target[it.id] = [it.x, it.y]; if (view === "ego") ego.pos[it.id] = [it.x, it.y]; else place[it.id] = [it.x, it.y]; });
    if (view !== "ego") relaidOut = true;
    moveTo(target, function () { fitView(true); settle(); });
  }
  function settle() { window.kgStill = true; }

  // ------------------------------------------------------------------ ego view
  // One actor and their partners (under the filters); clicking a partner opens theirs too;
  // "Step back" undoes the last step. Places are kept from step to step.
  function egoMembers(count) {
    var inEgo = {};
    [ego.centre].concat(ego.open).forEach(function (i) {
      inEgo[i] = 1;
      meetingsOf[i].forEach(function (k) { if (active[k]) meetings[k].actors.forEach(function (j) { inEgo[j] = 1; }); });
    });
    return inEgo;
  }
  function egoPlaces(items, links) {
    var pos = ego.pos, shown = {};
    items.forEach(function (it) { shown[it.id] = it; });
    var centreId = "n" + ego.centre;
    if (!pos[centreId]) pos[centreId] = [0, 0];
    [ego.centre].concat(ego.open).forEach(function (i) {
      var id = "n" + i, at = pos[id];
      if (!at || !shown[id]) return;
      var fresh = (links[id] || []).filter(function (o) { return !pos[o] && shown[o]; });
      fresh.sort(function (a, b) { return shown[b].value - shown[a].value || (a < b ? -1 : 1); });
      if (!fresh.length) return;
      var away = id === centreId ? null : Math.atan2(at[1], at[0]);
      var arc = away === null ? 2 * Math.PI : Math.min(2 * Math.PI, Math.max(Math.PI / 2, fresh.length * 0.45));
      var radius = Math.max(away === null ? 170 : 130, fresh.length * 46 / arc);
      fresh.forEach(function (o, j) {
        var a = away === null ? -Math.PI / 2 + arc * j / fresh.length : away - arc / 2 + arc * (j + 0.5) / fresh.length;
        var r = radius, x, y, tries = 0;
        do {  // outwards until it is clear of the nodes already placed
          x = at[0] + r * Math.cos(a); y = at[1] + r * Math.sin(a); r += 40; tries++;
        } while (tries < 30 && Object.keys(pos).some(function (q) {
          var p = pos[q], s = shown[q] ? shown[q].size : 10;
          return shown[q] && Math.hypot(p[0] - x, p[1] - y) < s + shown[o].size + 24;
        }));
        pos[o] = [Math.round(x), Math.round(y)];
      });
    });
    items.forEach(function (it) { if (!pos[it.id]) pos[it.id] = placeFor(it.id, links); });
    return pos;
  }
  var egobar = byId("kg-egobar");
  function startEgo(i) {
    ego = { centre: i, open: [], pos: {}, history: [] };
    setView("ego");
  }
  function openInEgo(i) {
    if (i === ego.centre || ego.open.indexOf(i) >= 0) return;
    ego.history.push({ open: ego.open.slice(), pos: Object.assign({}, ego.pos) });
    ego.open.push(i);
    render("animate");
  }
  function stepBack() {
    var last = ego.history.pop();
    if (!last) return;
    ego.open = last.open; ego.pos = last.pos;
    render("animate");
  }
  function drawEgobar() {
    egobar.hidden = view !== "ego" || !ego;
    if (egobar.hidden) return;
    egobar.textContent = "";
    var line = el("span");
    line.appendChild(el("strong", "Partners of " + baseNodes[ego.centre].label));
    if (ego.open.length) line.appendChild(document.createTextNode(" and of " + ego.open.map(function (i) { return baseNodes[i].label; }).join(", ")));
    egobar.appendChild(line);
    egobar.appendChild(el("span", "click a partner to show theirs", "kg-more"));
    var back = button("Step back", stepBack);
    back.id = "kg-ego-back";
    back.disabled = !ego.history.length;
    egobar.appendChild(back);
    var leave = button("Whole network", function () { setView("network"); });
    leave.id = "kg-ego-leave";
    egobar.appendChild(leave);
  }

  // ------------------------------------------------------------------ render
  function render(fit) {
    window.kgRenders = (window.kgRenders || 0) + 1;
    shownCount = computeActive();
    if (view === "map") {
      drawMap();
    } else if (view === "ego" && !ego) {
      sync(nodes, [], shownNodes); sync(edges, [], shownEdges);
    } else {
      drawEgobar();
      network.setSize();  // the view's size may have changed (the partners' bar, back from the map)
      drawGraph(fit);
    }
    if (view !== "ego") drawEgobar();
    drawTimeline();
    showState();
    if (again) again();
  }
  function showState() {
    var total = meetings.length, msg = "", reset = false;
    empty.textContent = "";
    if (!total) {
      msg = "No meetings: the articles read gave no meeting to show.";
    } else if (!shownCount) {
      msg = "No meetings match the filters."; reset = true;
    } else if (view === "ego" && !ego) {
      msg = "Find an actor (the box above) or click one in the network to see them with their partners.";
    } else if (view === "ego" && !nodes.length) {
      msg = "No meeting of " + baseNodes[ego.centre].label + " matches the filters."; reset = true;
    } else if (view === "map" && !mapState.located) {
      msg = "No meeting matching the filters has a known place."; reset = shownCount < total;
    }
    if (msg) {
      empty.appendChild(el("p", msg));
      if (reset) empty.appendChild(button("Reset the filters", resetAll));
    }
    var parts = [];
    if (shownCount < total) parts.push(plural(shownCount, "meeting") + " of " + thousands(total) + " match the filters");
    if (view === "map" && mapState.unlocated) parts.push(plural(mapState.unlocated, "meeting") + " without a known place, not on the map");
    note.textContent = total ? parts.join("; ") : "";
  }

  // ------------------------------------------------------------------ side panel
  var details = byId("kg-details");
  function actorButton(i) { return button(baseNodes[i].label, function () { focusActor(i); }, "kg-link"); }
  function meetingItem(k, except) {
    var m = meetings[k];
    var box = el("div", null, "kg-meeting kg-" + m.status);
    box.appendChild(el("div", [m.date || "date unknown", m.place || "place unknown", m.status, m.mode].join(" \u00b7 "), "kg-facts"));
    var others = m.actors.filter(function (i) { return except.indexOf(i) < 0; });
    if (others.length) {
      var w = el("div", except.length ? "with " : "");
      others.forEach(function (i, j) { if (j) w.appendChild(document.createTextNode(", ")); w.appendChild(actorButton(i)); });
      box.appendChild(w);
    }
    var ul = el("ul");
    m.sources.forEach(function (s) {
      var li = el("li");
      li.appendChild(el("q", s.sentence));
      li.appendChild(document.createTextNode(" "));
      if (s.url && /^https?:\/\//i.test(s.url)) {
        var a = el("a", s.article, "kg-article");
        a.href = s.url; a.target = "_blank"; a.rel = "noopener noreferrer";
        li.appendChild(a);
      } else {
        li.appendChild(el("span", "[" + s.article + "]", "kg-article"));
      }
      if (s.status) li.appendChild(el("span", " (reported as " + s.status + ")", "kg-more"));
      ul.appendChild(li);
    });
    if (m.more) ul.appendChild(el("li", "and " + plural(m.more, "more source"), "kg-more"));
    box.appendChild(ul);
    return box;
  }
  function showMeetings(heading, sub, all, except, extra) {
    details.textContent = "";
    var on = all.filter(function (k) { return active[k]; });
    details.appendChild(el("h2", heading));
    var line = plural(on.length, "meeting") + (on.length < all.length ? " matching the filters (of " + all.length + ")" : "");
    details.appendChild(el("p", sub ? sub + " \u00b7 " + line : line, "kg-sub"));
    if (extra) details.appendChild(extra);
    var list = el("div", null, "kg-meetings");
    on.slice(0, MAX_LISTED).forEach(function (k) { list.appendChild(meetingItem(k, except)); });
    if (on.length > MAX_LISTED) list.appendChild(el("p", "and " + (on.length - MAX_LISTED) + " more", "kg-more"));
    details.appendChild(list);
  }
  // What the panel shows is shown again after each filter change, with the new filter.
  var again = null;
  function showActor(i) {
    var a = actors[i], facts = [a.role, a.kind, a.country].filter(Boolean).join(" \u00b7 ");
    var tools = el("p");
    if (!(view === "ego" && ego && ego.centre === i)) {
      var b = button("Show with their partners", function () { startEgo(i); });
      b.className = "kg-ego";
      tools.appendChild(b);
    }
    showMeetings(baseNodes[i].label, facts, meetingsOf[i], [i], tools);
    var names = a.names.filter(function (n) { return n !== baseNodes[i].label; });
    if (names.length) details.insertBefore(el("p", "also: " + names.join(", "), "kg-more"), details.children[2]);
    var drawnHere = view === "map" || nodes.get("n" + i) || (view === "network" && groupOf[i] && !expanded[groupOf[i].id]);
    if (!drawnHere) {
      var none = meetingsOf[i].every(function (k) { return !active[k]; });
      details.insertBefore(el("p", none ? "Not drawn: no meeting of this actor matches the filters." : "Not drawn in this view.", "kg-more"), details.children[1]);
    }
    again = function () { showActor(i); };
  }
  function showEdge(id) {
    var e = edges.get(id);
    var ends = [e.from, e.to].filter(function (x) { return x.charAt(0) === "n"; }).map(function (x) { return parseInt(x.slice(1), 10); });
    var all = id.charAt(0) === "e" ? edgeMeetings[parseInt(id.slice(1), 10)] : (visEdgeMeetings[id] || []);
    var heading = nameOf(e.from) + " \u2013 " + nameOf(e.to);
    showMeetings(heading, "", all, ends);
    again = function () { showMeetings(heading, "", all, ends); };
  }

  // ------------------------------------------------------------------ expand, focus
  function expand(gid) {
    expanded[gid] = true;
    byId("kg-collapse").hidden = false;
    render();
  }
  function focusActor(i) {
    if (view === "map") setView("network");
    if (view === "ego" && ego && ego.centre !== i && !nodes.get("n" + i)) { startEgo(i); return showActor(i); }
    var g = groupOf[i];
    if (view === "network" && g && !expanded[g.id]) expand(g.id);
    showActor(i);
    var id = "n" + i;
    if (nodes.get(id)) {
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    } else {
      network.unselectAll();  // showActor said why
    }
  }
  network.on("click", function (p) {
    if (p.nodes.length) {
      var id = String(p.nodes[0]);
      if (id.charAt(0) === "g") {
        var g = groupById[id];
        expand(id);
        var all = {};
        g.members.forEach(function (i) { meetingsOf[i].forEach(function (k) { all[k] = 1; }); });
        var ks = Object.keys(all).map(Number).sort(function (a, b) { return a - b; });
        showMeetings(g.label, plural(g.members.length, "actor"), ks, g.members);
        again = function () { showMeetings(g.label, plural(g.members.length, "actor"), ks, g.members); };
      } else {
        var i = parseInt(id.slice(1), 10);
        if (view === "ego") openInEgo(i);
        showActor(i);
      }
    } else if (p.edges.length) {
      showEdge(String(p.edges[0]));
    }
  });

  // ------------------------------------------------------------------ views
  var mapBox = byId("kg-mapbox");
  function setView(v) {
    view = v;
    ["network", "ego", "map"].forEach(function (name) { byId("kg-view-" + name).setAttribute("aria-pressed", String(name === v)); });
    container.hidden = v === "map";
    container.style.display = v === "map" ? "none" : "";
    mapBox.hidden = v !== "map";
    byId("kg-relayout").disabled = v === "map";
    if (v !== "map") { shownNodes = {}; shownEdges = {}; nodes.clear(); edges.clear(); network.unselectAll(); }
    render(v === "ego" || v === "network" ? true : undefined);
  }
  byId("kg-view-network").addEventListener("click", function () { setView("network"); });
  byId("kg-view-map").addEventListener("click", function () { setView("map"); });
  byId("kg-view-ego").addEventListener("click", function () {
    var sel = network.getSelectedNodes().filter(function (id) { return id.charAt(0) === "n"; });
    if (!ego && sel.length) { startEgo(parseInt(sel[0].slice(1), 10)); return; }
    setView("ego");
  });

  // ------------------------------------------------------------------ search
  var search = byId("kg-search"), results = byId("kg-results");
  function matches(q) {
    var f = fold(q), out = [], seen = {};
    if (!f) return out;
    [true, false].forEach(function (prefix) {
      for (var j = 0; j < nameIndex.length && out.length < 12; j++) {
        var r = nameIndex[j], pos = r[0].indexOf(f);
        if (seen[r[1]] || pos < 0 || (prefix ? !(pos === 0 || r[0].charAt(pos - 1) === " ") : false)) continue;
        seen[r[1]] = 1; out.push(r);
      }
    });
    return out;
  }
  function choose(r) {
    results.textContent = "";
    search.value = baseNodes[r[1]].label;
    if (view === "ego") { startEgo(r[1]); showActor(r[1]); return; }
    focusActor(r[1]);
  }
  search.addEventListener("input", function () {
    results.textContent = "";
    matches(search.value).forEach(function (r, j) {
      var li = el("li", baseNodes[r[1]].label, j === 0 ? "kg-active" : "");
      if (fold(r[2]) !== fold(baseNodes[r[1]].label)) li.appendChild(el("small", " (" + r[2] + ")"));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(r); });
      results.appendChild(li);
    });
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var r = matches(search.value); if (r.length) choose(r[0]); }
    if (ev.key === "Escape") results.textContent = "";
  });
  search.addEventListener("blur", function () { setTimeout(function () { results.textContent = ""; }, 150); });

  // ------------------------------------------------------------------ controls
  // The date range lives in two range inputs (for the keyboard) that the timeline's brush sets.
  var from = byId("kg-from"), to = byId("kg-to"), undatedBox = byId("kg-undated");
  var fromLabel = byId("kg-from-label"), toLabel = byId("kg-to-label");
  [from, to].forEach(function (r) { r.min = minMonth; r.max = maxMonth; });
  from.value = minMonth; to.value = maxMonth;
  byId("kg-undated-label").textContent = "undated (" + thousands(undatedCount) + ")";
  if (!hasDates && !undatedCount) byId("kg-dates").hidden = true;
  if (!hasDates) { byId("kg-timeline").hidden = true; from.disabled = to.disabled = true; }
  if (!undatedCount) undatedBox.parentNode.hidden = true;
  var wasNarrowed = false;
  function readControls(ev) {
    var a = parseInt(from.value, 10), b = parseInt(to.value, 10);
    if (a > b) { if (ev && ev.target === from) { to.value = a; b = a; } else { from.value = b; a = b; } }
    state.from = a; state.to = b;
    fromLabel.textContent = hasDates ? monthLabel(a) : "no dates";
    toLabel.textContent = hasDates ? monthLabel(b) : "";
    // Undated meetings go once the dates are narrowed, and come back with all dates.
    var now = narrowed();
    if (now !== wasNarrowed && !(ev && ev.target === undatedBox)) undatedBox.checked = !now;
    wasNarrowed = now;
    state.undated = undatedBox.checked;
    document.querySelectorAll("#kg-controls input[name=status]").forEach(function (c) { state.status[c.value] = c.checked; });
    document.querySelectorAll("#kg-controls input[name=mode]").forEach(function (c) { state.mode[c.value] = c.checked; });
    state.country = byId("kg-country").value;
    // A checkbox fires "input" and "change": draw once. A range dragged fires "input" at every
    // step: draw at most once a frame, and at once when it is let go ("change").
    if (ev && ev.type === "input" && ev.target.type === "range") {
      drawTimeline();
      if (!pending) pending = requestAnimationFrame(function () { pending = 0; apply(); });
    } else {
      apply();
    }
  }
  var drawnFor = null, pending = 0;
  function apply() {
    var now = JSON.stringify([state, expanded]);
    if (now === drawnFor) return;
    drawnFor = now;
    render();
  }
  function setDates(a, b) {
    from.value = Math.min(a, b); to.value = Math.max(a, b);
    readControls();
  }
  var select = byId("kg-country");
  data.countries.forEach(function (c) { var o = el("option", c[1] + " (" + c[0] + ")"); o.value = c[0]; select.appendChild(o); });
  byId("kg-controls").addEventListener("input", readControls);
  byId("kg-controls").addEventListener("change", readControls);
  function resetAll() {
    byId("kg-controls").reset();
    from.value = minMonth; to.value = maxMonth;
    if (view === "network") {
      // The first picture again: the places kg gave, in a short move.
      var target = {};
      Object.keys(place).forEach(function (id) { if (home[id]) target[id] = home[id]; });
      place = Object.assign({}, home);
      relaidOut = false;
      readControls();
      moveTo(target, function () { fitView(true); });
    } else {
      readControls();
    }
  }
  byId("kg-reset").addEventListener("click", resetAll);
  byId("kg-relayout").addEventListener("click", relayoutShown);
  byId("kg-collapse").addEventListener("click", function () {
    expanded = {};
    this.hidden = true;
    render(true);
  });

  // ------------------------------------------------------------------ timeline
  // Bars per month (or quarter, or year) for the meetings matching the other filters; year
  // ticks; the chosen range brushed on it (drag to choose, drag the range to move it, its
  // edges to widen it, click a bar for it alone, double-click for all dates).
  var canvas = document.querySelector("#kg-timeline canvas"), tl = { x0: 0, bw: 1 };
  function drawTimeline() {
    if (!hasDates) return;
    var w = canvas.clientWidth || 600, h = canvas.clientHeight || 50, dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) { canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr); }
    var ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    var counts = new Array(nBins).fill(0), year = 0, before = 0, after = 0;
    meetings.forEach(function (m) {
      if (m.lo === null || !passesExceptDate(m)) return;
      if (m.out) { if (m.out < 0) before++; else after++; return; }
      if (m.hi > m.lo && BIN < 12) { year++; return; }  // known to the year only: not drawn as a month
      counts[binOf(m.lo)]++;
    });
    // The scale: the highest bar, unless one bar towers over the rest (then the tallest are cut,
    // with a mark, at three times the 90th percentile).
    var sorted = counts.slice().sort(function (a, b) { return a - b; });
    var p90 = sorted[Math.floor(0.9 * (sorted.length - 1))] || 0, top = Math.max(1, sorted[sorted.length - 1] || 0);
    if (p90 > 0 && top > 3 * p90 && top > 6) top = 3 * p90;
    var side = 34, x0 = before ? side : 2, x1 = w - (after ? side : 2), bw = (x1 - x0) / nBins, base = h - 14;
    tl = { x0: x0, bw: bw };
    var cut = narrowed(), lo = binOf(state.from), hi = binOf(state.to);
    if (cut) {
      ctx.fillStyle = "rgba(31,95,168,0.10)";
      ctx.fillRect(x0 + lo * bw, 0, (hi - lo + 1) * bw, base);
    }
    for (var j = 0; j < nBins; j++) {
      ctx.fillStyle = !cut || (j >= lo && j <= hi) ? "#4e79a7" : "#c5ccd4";
      var bh = counts[j] ? Math.max(1, Math.round((base - 4) * Math.min(counts[j], top) / top)) : 0;
      ctx.fillRect(x0 + j * bw + (bw > 3 ? 0.5 : 0), base - bh, Math.max(1, bw - (bw > 3 ? 1 : 0)), bh);
      if (counts[j] > top) { ctx.fillStyle = "#e15759"; ctx.fillRect(x0 + j * bw, base - bh, Math.max(1, bw - 1), 2); }
    }
    if (cut) {  // the brush: its edges as handles
      ctx.strokeStyle = "#1f5fa8"; ctx.lineWidth = 2;
      ctx.strokeRect(x0 + lo * bw + 1, 1, (hi - lo + 1) * bw - 2, base - 1);
    }
    // Year ticks (every year, or every 2nd, 5th, 10th when they would crowd).
    ctx.fillStyle = "#555"; ctx.strokeStyle = "#888"; ctx.lineWidth = 1;
    ctx.font = "10px system-ui, sans-serif"; ctx.textBaseline = "bottom"; ctx.textAlign = "left";
    var y0 = Math.floor(minMonth / 12), y1 = Math.floor(maxMonth / 12), perYear = 12 / BIN * bw;
    var every = [1, 2, 5, 10, 20, 50].filter(function (s) { return s * perYear >= 34; })[0] || 100;
    var ticks = [];
    for (var y = y0; y <= y1; y++) {
      var bx = x0 + (y * 12 / BIN - firstBin) * bw;
      if (y * 12 < minMonth) bx = x0;
      ctx.beginPath(); ctx.moveTo(Math.round(bx) + 0.5, base); ctx.lineTo(Math.round(bx) + 0.5, base + 4); ctx.stroke();
      if ((y - y0) % every === 0 || y === y0) {
        var label = String(y), lw = ctx.measureText(label).width;
        var tx = Math.min(bx + 2, w - lw - 1);
        if (ticks.length && tx < ticks[ticks.length - 1] + 4) continue;
        ctx.fillText(label, tx, h);
        ticks.push(tx + lw);
      }
    }
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    if (before) { ctx.fillText("\u25c2" + before, side / 2, base / 2); }
    if (after) { ctx.fillText(after + "\u25b8", w - side / 2, base / 2); }
    canvas.kgCounts = counts;
    canvas.kgBins = counts.map(function (c, j) { return { label: binLabel(j), from: monthLabel(binFrom(j)), to: monthLabel(binTo(j)), count: c, x: x0 + j * bw, w: bw }; });
    var tip = "Meetings matching the other filters, by " + (BIN === 1 ? "month" : BIN === 3 ? "quarter" : "year") +
      " (peak " + Math.max.apply(null, counts.concat([0])) + ")";
    if (year) tip += "; " + plural(year, "meeting") + " dated to the year only";
    if (before || after) tip += "; outside the range shown: " + before + " earlier, " + after + " later (shown while all dates are)";
    tip += ". Drag to pick a range, click a bar for it alone, double-click for all dates.";
    canvas.title = tip;
  }
  function binAt(clientX) {
    var r = canvas.getBoundingClientRect();
    return Math.max(0, Math.min(nBins - 1, Math.floor((clientX - r.left - tl.x0) / tl.bw)));
  }
  var brush = null;
  canvas.addEventListener("pointerdown", function (ev) {
    if (!hasDates) return;
    var b = binAt(ev.clientX), lo = binOf(state.from), hi = binOf(state.to), r = canvas.getBoundingClientRect();
    var x = ev.clientX - r.left, loX = tl.x0 + lo * tl.bw, hiX = tl.x0 + (hi + 1) * tl.bw;
    var mode = "new";
    if (narrowed()) {
      if (Math.abs(x - loX) <= 6) mode = "lo";
      else if (Math.abs(x - hiX) <= 6) mode = "hi";
      else if (x > loX && x < hiX) mode = "move";
    }
    brush = { mode: mode, start: b, lo: lo, hi: hi, moved: false };
    canvas.setPointerCapture(ev.pointerId);
  });
  canvas.addEventListener("pointermove", function (ev) {
    if (!brush) return;
    var b = binAt(ev.clientX), lo, hi;
    if (b !== brush.start) brush.moved = true;
    if (!brush.moved) return;
    if (brush.mode === "new") { lo = Math.min(brush.start, b); hi = Math.max(brush.start, b); }
    else if (brush.mode === "lo") { lo = Math.min(b, brush.hi); hi = brush.hi; }
    else if (brush.mode === "hi") { lo = brush.lo; hi = Math.max(b, brush.lo); }
    else {
      var shift = Math.max(-brush.lo, Math.min(nBins - 1 - brush.hi, b - brush.start));
      lo = brush.lo + shift; hi = brush.hi + shift;
    }
    from.value = binFrom(lo); to.value = binTo(hi);
    readControls({ type: "input", target: from });
  });
  canvas.addEventListener("pointerup", function (ev) {
    if (!brush) return;
    var b = brush;
    brush = null;
    if (!b.moved) {
      var k = binAt(ev.clientX);
      setDates(binFrom(k), binTo(k));  // one bar
    } else {
      readControls();
    }
  });
  canvas.addEventListener("dblclick", function () { setDates(minMonth, maxMonth); });
  window.addEventListener("resize", function () { drawTimeline(); if (view === "map") drawMap(); });

  // ------------------------------------------------------------------ map
  // Countries from Natural Earth (world-atlas' TopoJSON, inlined), Equal Earth projection.
  // Meetings sit at their places, one circle per place (area by meetings); places closer
  // than a circle's reach on the screen are drawn as one cluster with the number of their
  // meetings. Wheel or buttons zoom, drag pans, a click on a circle lists its meetings.
  var mapCanvas = byId("kg-map"), mapState = { located: 0, unlocated: 0, markers: [] }, mapT = { k: 1, x: 0, y: 0 };
  var worldPath = null, worldBox = null;
  function equalEarth(lon, lat) {
    var A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, M = Math.sqrt(3) / 2;
    var l = lon * Math.PI / 180, t = Math.asin(M * Math.sin(lat * Math.PI / 180)), t2 = t * t, t6 = t2 * t2 * t2;
    return [l * Math.cos(t) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2))),
            -t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))];
  }
  function worldOutline() {
    if (worldPath) return;
    var tf = world.transform, arcs = world.arcs.map(function (arc) {
      var x = 0, y = 0;
      return arc.map(function (p) { x += p[0]; y += p[1]; return [x * tf.scale[0] + tf.translate[0], y * tf.scale[1] + tf.translate[1]]; });
    });
    worldPath = new Path2D();
    worldBox = [Infinity, Infinity, -Infinity, -Infinity];
    function draw(piece) {
      piece.forEach(function (ll, j) {
        var p = equalEarth(ll[0], ll[1]);
        if (j === 0) worldPath.moveTo(p[0], p[1]); else worldPath.lineTo(p[0], p[1]);
        worldBox[0] = Math.min(worldBox[0], p[0]); worldBox[1] = Math.min(worldBox[1], p[1]);
        worldBox[2] = Math.max(worldBox[2], p[0]); worldBox[3] = Math.max(worldBox[3], p[1]);
      });
      worldPath.closePath();
    }
    // A ring that crosses the antimeridian is cut there into pieces, each closed along the
    // map's edge (else it would be drawn as a line across the whole map).
    function ring(indices) {
      var pts = [];
      indices.forEach(function (a) {
        var arc = a >= 0 ? arcs[a] : arcs[~a].slice().reverse();
        arc.forEach(function (p, j) { if (j || !pts.length) pts.push(p); });
      });
      var pieces = [[]], cuts = 0;
      pts.forEach(function (p, j) {
        var q = pts[j - 1];
        if (q && Math.abs(p[0] - q[0]) > 180) {
          var edge = q[0] > 0 ? 180 : -180, far = p[0] + (q[0] > 0 ? 360 : -360);
          var lat = q[1] + (p[1] - q[1]) * (edge - q[0]) / (far - q[0] || 1);
          pieces[pieces.length - 1].push([edge, lat]);
          pieces.push([[-edge, lat]]);
          cuts++;
        }
        pieces[pieces.length - 1].push(p);
      });
      if (cuts && pieces.length > 1) pieces[0] = pieces.pop().concat(pieces[0]);
      pieces.forEach(function (piece) {
        if (cuts) {  // along the edge, from where the piece ends back to where it starts
          var a = piece[piece.length - 1], b = piece[0];
          if (Math.abs(a[0]) === 180 && a[0] === b[0]) {
            for (var t = 1; t < 8; t++) piece.push([a[0], a[1] + (b[1] - a[1]) * t / 8]);
          }
        }
        draw(piece);
      });
    }
    world.objects.countries.geometries.forEach(function (g) {
      if (g.type === "Polygon") g.arcs.forEach(ring);
      else if (g.type === "MultiPolygon") g.arcs.forEach(function (poly) { poly.forEach(ring); });
    });
  }
  function mapBase() {  // projected units -> CSS pixels, the whole world in view
    var w = mapCanvas.clientWidth || 600, h = mapCanvas.clientHeight || 400, pad = 12;
    var s = Math.min((w - 2 * pad) / (worldBox[2] - worldBox[0]), (h - 2 * pad) / (worldBox[3] - worldBox[1]));
    return { s: s, x: (w - s * (worldBox[0] + worldBox[2])) / 2, y: (h - s * (worldBox[1] + worldBox[3])) / 2, w: w, h: h };
  }
  function toScreen(b, p) { return [(b.x + b.s * p[0]) * mapT.k + mapT.x, (b.y + b.s * p[1]) * mapT.k + mapT.y]; }
  function markerRadius(n) { return Math.min(28, 4 + 3 * Math.sqrt(n)); }
  function drawMap() {
    worldOutline();
    var b = mapBase(), dpr = window.devicePixelRatio || 1;
    if (mapCanvas.width !== Math.round(b.w * dpr) || mapCanvas.height !== Math.round(b.h * dpr)) {
      mapCanvas.width = Math.round(b.w * dpr); mapCanvas.height = Math.round(b.h * dpr);
    }
    var ctx = mapCanvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#eef3f8"; ctx.fillRect(0, 0, b.w, b.h);
    var s = b.s * mapT.k;
    ctx.setTransform(dpr * s, 0, 0, dpr * s, dpr * (b.x * mapT.k + mapT.x), dpr * (b.y * mapT.k + mapT.y));
    ctx.fillStyle = "#fbfaf6"; ctx.fill(worldPath, "evenodd");
    ctx.strokeStyle = "#b9c0c8"; ctx.lineWidth = 0.7 / s; ctx.stroke(worldPath);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Places of the meetings shown.
    var places = {}, list = [], unlocated = 0, located = 0;
    for (var k = 0; k < meetings.length; k++) {
      if (!active[k]) continue;
      var m = meetings[k];
      if (!m.at) { unlocated++; continue; }
      located++;
      var key = m.at[0] + "," + m.at[1], p = places[key];
      if (!p) { p = places[key] = { at: m.at, names: {}, meetings: [] }; list.push(p); }
      p.meetings.push(k);
      if (m.place) p.names[m.place] = 1;
    }
    list.forEach(function (p) { var xy = toScreen(b, equalEarth(p.at[1], p.at[0])); p.x = xy[0]; p.y = xy[1]; });
    list.sort(function (a, c) { return c.meetings.length - a.meetings.length || a.x - c.x || a.y - c.y; });
    // Clusters: each place joins the first (bigger) cluster whose circle it would touch.
    var clusters = [], CELL = 64, grid = new Map();
    list.forEach(function (p) {
      var hit = null, cx = Math.floor(p.x / CELL), cy = Math.floor(p.y / CELL);
      for (var gx = -1; gx <= 1 && !hit; gx++) for (var gy = -1; gy <= 1 && !hit; gy++) {
        (grid.get((cx + gx) * 65536 + cy + gy) || []).some(function (c) {
          if (Math.hypot(c.x - p.x, c.y - p.y) < markerRadius(c.n) + markerRadius(p.meetings.length) + 2) { hit = c; return true; }
          return false;
        });
      }
      if (hit) { hit.places.push(p); hit.n += p.meetings.length; return; }
      var c = { x: p.x, y: p.y, n: p.meetings.length, places: [p] };
      clusters.push(c);
      var key = cx * 65536 + cy;
      if (grid.has(key)) grid.get(key).push(c); else grid.set(key, [c]);
    });
    var markers = [];
    clusters.forEach(function (c) {
      var r = markerRadius(c.n), ks = [];
      c.places.forEach(function (p) { ks = ks.concat(p.meetings); });
      var names = [];
      c.places.forEach(function (p) { Object.keys(p.names).forEach(function (n) { if (names.indexOf(n) < 0) names.push(n); }); });
      markers.push({ x: c.x, y: c.y, r: r, meetings: ks.sort(function (a, d) { return a - d; }), places: names, cluster: c.places.length > 1 });
    });
    markers.sort(function (a, c) { return c.r - a.r; });  // small ones on top
    markers.forEach(function (mk) {
      ctx.beginPath(); ctx.arc(mk.x, mk.y, mk.r, 0, 2 * Math.PI);
      ctx.fillStyle = mk.cluster ? "rgba(176,122,161,0.85)" : "rgba(225,87,89,0.8)"; ctx.fill();
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 1.2; ctx.stroke();
      if (mk.meetings.length > 1 && mk.r >= 9) {
        ctx.fillStyle = "#fff"; ctx.font = "bold 11px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
        ctx.fillText(String(mk.meetings.length), mk.x, mk.y + 0.5);
      }
    });
    // Place names where they fit, the busiest first.
    ctx.textAlign = "left"; ctx.textBaseline = "middle";
    var named = placeLabels(markers.slice().sort(function (a, c) { return c.meetings.length - a.meetings.length; }).map(function (mk) {
      var text = mk.places.length ? shortName(mk.places[0]) + (mk.places.length > 1 ? " +" + (mk.places.length - 1) : "") : plural(mk.meetings.length, "meeting");
      return { x: mk.x, y: mk.y, r: mk.r + 1, text: text, font: LABEL_FONT };
    }), markers.map(function (mk) { return { x: mk.x, y: mk.y, r: mk.r + 1 }; }), b.w, b.h);
    named.forEach(function (l) { drawLabel(ctx, l, false); });
    mapState = { located: located, unlocated: unlocated, markers: markers, names: named };
  }
  function markerAt(ev) {
    var r = mapCanvas.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top, best = null;
    mapState.markers.forEach(function (mk) { if (Math.hypot(mk.x - x, mk.y - y) <= mk.r + 2 && (!best || mk.r < best.r)) best = mk; });
    return best;
  }
  function showPlace(mk) {
    var heading = mk.places.length ? mk.places.slice(0, 3).join("; ") + (mk.places.length > 3 ? " and " + (mk.places.length - 3) + " more places" : "") : "A place without a name";
    var ks = mk.meetings.slice();
    var sub = mk.cluster ? plural(mk.places.length, "place") + " drawn as one (zoom in to split them)" : "";
    showMeetings(heading, sub, ks, []);
    again = function () { showMeetings(heading, sub, ks, []); };
  }
  var drag = null;
  mapCanvas.addEventListener("pointerdown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, tx: mapT.x, ty: mapT.y, moved: false }; mapCanvas.setPointerCapture(ev.pointerId); });
  mapCanvas.addEventListener("pointermove", function (ev) {
    if (drag) {
      if (Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 3) drag.moved = true;
      if (drag.moved) { mapT.x = drag.tx + ev.clientX - drag.x; mapT.y = drag.ty + ev.clientY - drag.y; drawMap(); }
      return;
    }
    var mk = markerAt(ev);
    mapCanvas.title = mk ? (mk.places.join("; ") || "place without a name") + "\n" + plural(mk.meetings.length, "meeting") + " (click for the list)" : "";
    mapCanvas.style.cursor = mk ? "pointer" : "grab";
  });
  mapCanvas.addEventListener("pointerup", function (ev) {
    var d = drag;
    drag = null;
    if (d && !d.moved) { var mk = markerAt(ev); if (mk) showPlace(mk); }
  });
  mapCanvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = mapCanvas.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
    var k = Math.max(1, Math.min(60, mapT.k * Math.exp(-ev.deltaY * 0.0015))), f = k / mapT.k;
    mapT.x = x - (x - mapT.x) * f; mapT.y = y - (y - mapT.y) * f; mapT.k = k;
    if (k === 1) { mapT.x = 0; mapT.y = 0; }
    drawMap();
  }, { passive: false });
  mapCanvas.addEventListener("dblclick", function () { mapT = { k: 1, x: 0, y: 0 }; drawMap(); });

  // ------------------------------------------------------------------ start
  if (data.aggregate) {
    byId("kg-stats").appendChild(document.createTextNode(" \u00b7 grouped by country: click a country to show its actors"));
  } else {
    groups.forEach(function (g) { expanded[g.id] = true; });
  }
  if (!meetings.length) {
    byId("kg-controls").hidden = true;
    byId("kg-views").hidden = true;
    byId("kg-find").hidden = true;
  }
  homeLayout();
  place = Object.assign({}, home);
  readControls();
  window.kgExplorer = {
    network: network, nodes: nodes, edges: edges, state: state,
    edgeMeetings: function (id) { return visEdgeMeetings[id] || []; },
    meetings: meetings, focusActor: focusActor, expand: expand, setDates: setDates, setView: setView,
    startEgo: startEgo, stepBack: stepBack, relayout: relayoutShown,
    active: function () { var out = []; for (var k = 0; k < active.length; k++) if (active[k]) out.push(k); return out; },
    name: function (id) { return drawnName[id] || nameOf(id); },
    labels: function () { return placed.map(function (l) { return { id: l.id, text: l.text, x: l.x, y: l.y, w: l.w, h: l.h }; }); },
    map: function () { return mapState; },
    timeline: function () { return { bins: canvas.kgBins || [], first: monthLabel(minMonth), last: monthLabel(maxMonth), outside: outliers, undated: undatedCount }; },
    view: function () { return view; },
    ego: function () { return ego && { centre: ego.centre, open: ego.open.slice(), steps: ego.history.length }; }
  };
  window.kgNetwork = network;
  // kgReady: milliseconds from the script's start to the first frame; kgStill: nothing moves.
  network.once("afterDrawing", function () {
    window.kgReady = performance.now() - t0;
    fitView(false);  // now that the canvas has its size
    if (!data.options.physics.enabled) window.kgStill = true;
  });
  if (!meetings.length) window.kgReady = performance.now() - t0, window.kgStill = true;
  network.on("stabilized", function () {
    if (!window.kgStill) fitView(false);
    window.kgStill = true;
  });
})();
