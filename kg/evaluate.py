"""Score merged events against hand annotations (the gold format of the evaluation set).

A gold file has one line per article: ``{"id": ..., "meetings": [{"event", "participants":
[{"name", "aliases"}], "location": {"name", "aliases"} | null, "date", "status", "mode"}]}``.

Metrics (per article, micro-averaged):
- pairs: unordered who-met-whom pairs of occurred meetings (precision, recall, F1);
- planned_pairs: the same for planned meetings;
- quads: an occurred meeting right in full: exactly its participants, its date (at the gold's
  precision or finer) and its place (any of the place's names, or both null);
- date_acc, loc_acc: over gold occurred meetings matched by participants;
- merge: pairs of gold mentions in different articles that the events put together exactly
  when they are the same real-world meeting.

>>> gold = [{"id": "a", "meetings": [{"event": "x", "participants": [{"name": "Ann Lee"}, {"name": "Bo Chan"}],
...          "location": None, "date": "2025-01", "status": "occurred", "mode": "in-person"}]}]
>>> ev = {"id": "e1", "participants": [{"name": "Ann Lee"}, {"name": "Bo Chan"}], "location": None,
...       "date": "2025-01-02", "status": "occurred", "sources": [{"article": "a"}]}
>>> score(gold, [ev])["quads"]["f1"]
1.0
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any


def _norm(s: Any) -> str:
    if s is None:
        return ""
    t = unicodedata.normalize("NFKD", str(s))
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w\s]", " ", t).split())


def gold_row_problem(row: Any) -> str | None:
    """What is wrong with one gold row (a line of gold.jsonl), or None when it can be scored: an
    object with an ``id`` and ``meetings``, each meeting with ``participants`` that have a ``name``.

    >>> gold_row_problem({"id": "a", "meetings": [{"participants": [{"name": "X"}], "status": "occurred"}]})
    >>> gold_row_problem({"id": "a", "meetings": [{"participants": ["3f2a"]}], "sealed": {}})
    'a sealed gold row (its names are hashes): kg evaluate needs readable gold'
    """
    if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not isinstance(row.get("meetings"), list):
        return "a gold row needs an id and a list of meetings"
    if "sealed" in row:
        return "a sealed gold row (its names are hashes): kg evaluate needs readable gold"
    for m in row["meetings"]:
        if not isinstance(m, dict) or not isinstance(m.get("participants"), list):
            return "a meeting needs a list of participants"
        if not all(isinstance(p, dict) and isinstance(p.get("name"), str) for p in m["participants"]):
            return "each participant needs a name"
    return None


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


class _Names:
    """Maps a system name onto a gold canonical name, leniently (aliases, surnames)."""

    def __init__(self, meetings: list[dict[str, Any]]) -> None:
        self.table: dict[str, str] = {}
        self.by_last: dict[str, set[str]] = defaultdict(set)
        self.canon: set[str] = set()
        for m in meetings:
            for p in m["participants"]:
                c = _norm(p["name"])
                self.canon.add(c)
                for form in [p["name"], *p.get("aliases", [])]:
                    self.table[_norm(form)] = c
                    toks = _norm(form).split()
                    if toks:
                        self.by_last[toks[-1]].add(c)

    def map(self, name: str) -> str:
        n = _norm(name)
        if n in self.table:
            return self.table[n]
        toks = n.split()
        if toks and len(self.by_last.get(toks[-1], ())) == 1:
            return next(iter(self.by_last[toks[-1]]))
        return n


def _pairs(names: Iterable[str]) -> set[frozenset[str]]:
    return {frozenset(p) for p in itertools.combinations(sorted(set(n for n in names if n)), 2)}


def _date_ok(gold: str | None, got: str | None) -> bool:
    if gold is None:
        return True
    return bool(got) and str(got).startswith(gold) and len(str(got)) >= len(gold)


def _loc_ok(gold: dict[str, Any] | None, got: dict[str, Any] | None) -> bool:
    if gold is None:
        return True
    if not got:
        return False
    forms = {_norm(gold["name"]), *(_norm(a) for a in gold.get("aliases", []))}
    names = [got.get(k) for k in ("name", "venue", "city", "region")] + list(got.get("aliases") or [])
    return any(_norm(n) in forms for n in names if n)


def _article_key(a: str, gold: dict[str, Any]) -> str:
    if a in gold:
        return a
    return a.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]


def score(gold_rows: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]],
          texts: dict[str, str] | None = None) -> dict[str, Any]:
    """Scores of events (``events.jsonl`` rows) against gold rows.

    Args:
        gold_rows: one row per article with its meetings.
        events: merged events as written to ``events.jsonl``.
        texts: article texts by id; lets a merged event be judged per article by keeping only the
            participants that article names.
    """
    gold = {g["id"]: g["meetings"] for g in gold_rows}
    norm_texts = {k: _norm(v) for k, v in (texts or {}).items()}
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        seen: set[str] = set()
        for s in e.get("sources", []):
            a = _article_key(s.get("article", ""), gold)
            if a in gold and a not in seen:
                seen.add(a)
                st = s.get("status")
                by_article[a].append({**e, "status": st} if st else e)
    c: dict[str, int] = defaultdict(int)
    mention_event: dict[tuple[str, str], Any] = {}
    for aid, meetings in gold.items():
        names = _Names(meetings)
        text = norm_texts.get(aid)
        tokens = set(text.split()) if text is not None else set()

        def named_here(p: str, names: _Names = names, text: str | None = text, tokens: set[str] = tokens) -> bool:
            if text is None or names.map(p) in names.canon:
                return True
            n = _norm(p)
            return bool(n) and (f" {n} " in f" {text} " or (len(n.split()[-1]) >= 3 and n.split()[-1] in tokens))

        mapped = [(e, {names.map(p["name"]) for p in e.get("participants", []) if named_here(p["name"])})
                  for e in by_article.get(aid, [])]
        for status, key in (("occurred", "pairs"), ("planned", "planned_pairs")):
            g = set().union(*[_pairs(_norm(p["name"]) for p in m["participants"]) for m in meetings
                              if m["status"] == status] or [set()])
            s = set().union(*[_pairs(ps) for e, ps in mapped if (e.get("status") or "occurred") == status] or [set()])
            c[key + "_tp"] += len(g & s)
            c[key + "_fp"] += len(s - g)
            c[key + "_fn"] += len(g - s)
        c["sys"] += sum(1 for e, _ in mapped if (e.get("status") or "occurred") == "occurred")
        for m in meetings:
            if m["status"] != "occurred":
                continue
            c["gold"] += 1
            gp = {_norm(p["name"]) for p in m["participants"]}
            best: tuple[Any, ...] | None = None
            for e, ps in mapped:
                if (e.get("status") or "occurred") != "occurred":
                    continue
                ov = len(gp & ps)
                if ov >= 2 or (ov == len(gp) and ov > 0):
                    rank = (ov, _date_ok(m.get("date"), e.get("date")), _loc_ok(m.get("location"), e.get("location")),
                            ps == gp)
                    if best is None or rank > best[0]:
                        best = (rank, e, ps)
            if best is None:
                continue
            _, e, ps = best
            mention_event[(aid, m["event"])] = e.get("id")
            d, loc = _date_ok(m.get("date"), e.get("date")), _loc_ok(m.get("location"), e.get("location"))
            c["date_ok"] += d
            c["loc_ok"] += loc
            c["quads_tp"] += ps == gp and d and loc
    out: dict[str, Any] = {
        "pairs": _prf(c["pairs_tp"], c["pairs_fp"], c["pairs_fn"]),
        "planned_pairs": _prf(c["planned_pairs_tp"], c["planned_pairs_fp"], c["planned_pairs_fn"]),
        "quads": _prf(c["quads_tp"], max(c["sys"] - c["quads_tp"], 0), c["gold"] - c["quads_tp"]),
        "gold_meetings": c["gold"],
        "date_acc": round(c["date_ok"] / c["gold"], 3) if c["gold"] else 0.0,
        "loc_acc": round(c["loc_ok"] / c["gold"], 3) if c["gold"] else 0.0,
    }
    tp = fp = fn = 0
    for (a1, k1), (a2, k2) in itertools.combinations(sorted(mention_event), 2):
        if a1 == a2:
            continue
        same_sys = mention_event[(a1, k1)] is not None and mention_event[(a1, k1)] == mention_event[(a2, k2)]
        tp += k1 == k2 and same_sys
        fp += same_sys and k1 != k2
        fn += k1 == k2 and not same_sys
    out["merge"] = _prf(tp, fp, fn)
    return out


def by_rule(gold_rows: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Precision per rule: of the who-met-whom pairs a rule took part in, how many the gold has.

    Each source of an event carries the extractor's decisions (``rules``: rule id and value). A
    pair of the event's participants counts for every meeting-level rule of the source (the
    meeting word, status, date, place, pairing rules) and, for a rule that found a person, only
    when that person is one of the two. A pair is right when the gold of the source's article
    has it, whatever the status (status has rules of its own: ``status.*`` rows count a pair right
    only when the gold meeting has that status).

    Returns:
        One row per rule id, most used first: ``{"rule", "pairs", "right", "precision"}``.

    >>> gold = [{"id": "a", "meetings": [{"event": "x", "participants": [{"name": "Ann Lee"}, {"name": "Bo Chan"}],
    ...          "location": None, "date": None, "status": "occurred", "mode": "in-person"}]}]
    >>> ev = {"participants": [{"name": "Ann Lee"}, {"name": "Bo Chan"}, {"name": "Cy Dow"}], "status": "occurred",
    ...       "sources": [{"article": "a", "rules": [{"rule": "meet en/cues.jsonl:1", "value": "met"},
    ...                                               {"rule": "person.full-name", "value": "Cy Dow"}]}]}
    >>> [(r["rule"], r["pairs"], r["right"]) for r in by_rule(gold, [ev])]
    [('meet en/cues.jsonl:1', 3, 1), ('person.full-name', 2, 0)]
    """
    gold = {g["id"]: g["meetings"] for g in gold_rows}
    names = {aid: _Names(meetings) for aid, meetings in gold.items()}
    gold_pairs = {aid: {(status, pair) for m in meetings for status in [m["status"]]
                        for pair in _pairs(_norm(p["name"]) for p in m["participants"])}
                  for aid, meetings in gold.items()}
    used: dict[str, int] = defaultdict(int)
    right: dict[str, int] = defaultdict(int)
    for e in events:
        for src in e.get("sources", []):
            rules = src.get("rules") or []
            aid = _article_key(src.get("article", ""), gold)
            if not rules or aid not in gold:
                continue
            status = src.get("status") or e.get("status") or "occurred"
            mapped = {p["name"]: names[aid].map(p["name"]) for p in e.get("participants", [])}
            pairs = _pairs(mapped.values())
            in_gold = {pair: any((st, pair) in gold_pairs[aid] for st in ("occurred", "planned", "cancelled"))
                       for pair in pairs}
            for r in rules:
                rule, value = r.get("rule", ""), r.get("value", "")
                mine = pairs
                if rule.startswith(("person.", "country.")) and value in mapped:
                    mine = {pair for pair in pairs if mapped[value] in pair}
                for pair in mine:
                    used[rule] += 1
                    ok = (status, pair) in gold_pairs[aid] if rule.startswith("status.") else in_gold[pair]
                    right[rule] += ok
    rows = [{"rule": k, "pairs": n, "right": right[k], "precision": round(right[k] / n, 3)} for k, n in used.items()]
    rows.sort(key=lambda r: (-r["pairs"], r["rule"]))
    return rows


def format_by_rule(rows: list[dict[str, Any]], limit: int | None = None) -> str:
    """The per-rule table as text, in the order given (most used first from :func:`by_rule`)."""
    shown = rows[:limit] if limit else rows
    width = max([len(r["rule"]) for r in shown] + [4])
    lines = [f"{'rule':{width}}  pairs  right  precision"]
    for r in shown:
        lines.append(f"{r['rule']:{width}}  {r['pairs']:5}  {r['right']:5}  {r['precision']:9.3f}")
    return "\n".join(lines)


def format_scores(scores: dict[str, Any]) -> str:
    """A small text table of the scores."""
    lines = []
    for key in ("pairs", "planned_pairs", "quads", "merge"):
        v = scores[key]
        lines.append(f"{key:14} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})")
    lines.append(f"{'date_acc':14} {scores['date_acc']:.3f}")
    lines.append(f"{'loc_acc':14} {scores['loc_acc']:.3f}")
    lines.append(f"{'gold_meetings':14} {scores['gold_meetings']}")
    return "\n".join(lines)


__all__ = ["by_rule", "format_by_rule", "format_scores", "gold_row_problem", "score"]
