#!/usr/bin/env python3
"""Validate the Indonesian held-out split (standard library only).

Usage: python3 check_id.py [DIR]   (DIR defaults to ./id next to this script)

Checks
  * both files are valid JSON Lines with the fields FORMAT.md requires
  * ids are unique, well formed and identical (same order) in both files
  * every participant alias and location alias occurs verbatim in the article text
  * dates are valid (YYYY, YYYY-MM, YYYY-MM-DD or null); published is YYYY-MM-DD
  * status / mode / type values are valid; country codes look like ISO alpha-2
  * event key = sorted surname tokens + date (or 'undated'), one token per participant
  * the same event key used in several places always has the same participant set
  * extras: weekday names next to "(d/m)" dates agree with the calendar; planned
    meetings are not before publication and occurred ones are not after it;
    article length 200-450 words.
Exit status 1 if any error was found (warnings do not fail).
"""
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "id")

STATUS = {"occurred", "planned", "cancelled"}
MODE = {"in-person", "remote"}
TYPES = {"person", "country", "organization"}
DAYS = {"Senin": 0, "Selasa": 1, "Rabu": 2, "Kamis": 3, "Jumat": 4, "Sabtu": 5, "Minggu": 6}

errors, warnings = [], []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                err(f"{os.path.basename(path)}:{n}: empty line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f"{os.path.basename(path)}:{n}: invalid JSON ({e})")
    return rows


def parse_date(s):
    """Return (lo, hi) datetime.date bounds for YYYY / YYYY-MM / YYYY-MM-DD, or None if invalid."""
    if not isinstance(s, str):
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            d = datetime.date.fromisoformat(s)
            return d, d
        if re.fullmatch(r"\d{4}-\d{2}", s):
            y, m = map(int, s.split("-"))
            lo = datetime.date(y, m, 1)
            hi = (datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1))
            return lo, hi
        if re.fullmatch(r"\d{4}", s):
            y = int(s)
            return datetime.date(y, 1, 1), datetime.date(y, 12, 31)
    except ValueError:
        return None
    return None


def check_articles(arts):
    ids = []
    for a in arts:
        aid = a.get("id")
        ids.append(aid)
        for k in ("id", "lang", "published", "source", "title", "text"):
            if not isinstance(a.get(k), str) or not a.get(k).strip():
                err(f"{aid}: article field '{k}' missing or empty")
        if not re.fullmatch(r"id-h-\d{3}", str(aid)):
            err(f"{aid}: malformed id")
        if a.get("lang") != "id":
            err(f"{aid}: lang must be 'id'")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(a.get("published"))) or parse_date(a.get("published")) is None:
            err(f"{aid}: bad published date {a.get('published')!r}")
        text = a.get("text", "")
        n = len(text.split())
        if not 200 <= n <= 450:
            warn(f"{aid}: {n} words (expected 200-450)")
        if "\n\n" not in text:
            warn(f"{aid}: text has no paragraph breaks")
        check_weekdays(a)
    if len(set(ids)) != len(ids):
        err("duplicate article ids")
    return ids


def check_weekdays(a):
    """'Rabu (3/9)' or 'Senin (12/8/2024)': weekday must match the calendar."""
    pub = datetime.date.fromisoformat(a["published"])
    for m in re.finditer(r"\b(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu)\b[^()\n]{0,12}\((\d{1,2})/(\d{1,2})(?:/(\d{4}))?\)", a["text"]):
        day, d, mo, y = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
        if y:
            years = [int(y)]
        else:  # nearest year to publication
            years = [pub.year - 1, pub.year, pub.year + 1]
        cands = []
        for yy in years:
            try:
                cands.append(datetime.date(yy, mo, d))
            except ValueError:
                pass
        if not cands:
            err(f"{a['id']}: impossible date '{m.group(0)}'")
            continue
        best = min(cands, key=lambda c: abs((c - pub).days))
        if best.weekday() != DAYS[day]:
            err(f"{a['id']}: '{m.group(0)}' -> {best} is a {best.strftime('%A')}")


def check_gold(golds, arts_by_id):
    key_sets = {}
    for g in golds:
        gid = g.get("id")
        art = arts_by_id.get(gid)
        if art is None:
            err(f"{gid}: gold id has no article")
            continue
        text = art["text"]
        pub = datetime.date.fromisoformat(art["published"])
        meetings = g.get("meetings")
        if not isinstance(meetings, list):
            err(f"{gid}: 'meetings' must be a list")
            continue
        seen = set()
        for i, m in enumerate(meetings):
            where = f"{gid} meeting {i + 1}"
            for k in ("event", "participants", "location", "date", "status", "mode"):
                if k not in m:
                    err(f"{where}: missing '{k}'")
            ev = m.get("event", "")
            if ev in seen:
                err(f"{where}: event key {ev} listed twice in the same article")
            seen.add(ev)
            if m.get("status") not in STATUS:
                err(f"{where}: bad status {m.get('status')!r}")
            if m.get("mode") not in MODE:
                err(f"{where}: bad mode {m.get('mode')!r}")
            date = m.get("date")
            bounds = None
            if date is not None:
                bounds = parse_date(date)
                if bounds is None:
                    err(f"{where}: bad date {date!r}")
            if bounds:
                lo, hi = bounds
                if m.get("status") == "occurred" and lo > pub:
                    err(f"{where}: occurred meeting dated {date} after publication {pub}")
                if m.get("status") == "planned" and hi < pub:
                    err(f"{where}: planned meeting dated {date} before publication {pub}")
            parts = m.get("participants") or []
            if len(parts) < 2:
                err(f"{where}: fewer than two participants")
            names = []
            for p in parts:
                nm = p.get("name")
                if not isinstance(nm, str) or not nm.strip():
                    err(f"{where}: participant without name")
                    continue
                names.append(nm)
                if p.get("type") not in TYPES:
                    err(f"{where}: {nm}: bad type {p.get('type')!r}")
                if not re.fullmatch(r"[A-Z]{2}", str(p.get("country"))):
                    err(f"{where}: {nm}: bad country {p.get('country')!r}")
                al = p.get("aliases")
                if not isinstance(al, list):
                    err(f"{where}: {nm}: aliases must be a list")
                    continue
                for a in al:
                    if a not in text:
                        err(f"{where}: alias {a!r} of {nm} not in text")
                if nm not in text and not any(a in text for a in al):
                    err(f"{where}: {nm} is not mentioned in the text under any listed form")
            if len(set(names)) != len(names):
                err(f"{where}: duplicate participant")
            loc = m.get("location")
            if loc is not None:
                if not isinstance(loc, dict) or not isinstance(loc.get("name"), str):
                    err(f"{where}: bad location")
                else:
                    if not re.fullmatch(r"[A-Z]{2}", str(loc.get("country"))):
                        err(f"{where}: location {loc['name']}: bad country {loc.get('country')!r}")
                    la = loc.get("aliases")
                    if not isinstance(la, list):
                        err(f"{where}: location aliases must be a list")
                        la = []
                    for a in la:
                        if a not in text:
                            err(f"{where}: location alias {a!r} not in text")
                    if loc["name"] not in text and not any(a in text for a in la):
                        err(f"{where}: location {loc['name']!r} not mentioned in text under any listed form")
            # event key shape
            want_date = date if date is not None else "undated"
            if not ev.endswith("-" + want_date):
                err(f"{where}: event key {ev} does not end with its date {want_date}")
            else:
                stem = ev[: -(len(want_date) + 1)]
                toks = stem.split("-")
                if toks != sorted(toks):
                    err(f"{where}: event key tokens not sorted: {ev}")
                if len(toks) != len(parts):
                    err(f"{where}: event key {ev} has {len(toks)} tokens for {len(parts)} participants")
                if not re.fullmatch(r"[a-z]+(-[a-z]+)*", stem):
                    err(f"{where}: event key {ev} not lowercase ASCII")
            key_sets.setdefault(ev, []).append((gid, frozenset(names)))
    # shared keys must have identical participant sets
    shared = {k: v for k, v in key_sets.items() if len(v) > 1}
    for k, v in shared.items():
        sets = {s for _, s in v}
        if len(sets) != 1:
            err(f"event {k}: differing participant sets: " + "; ".join(f"{g}={sorted(s)}" for g, s in v))
    return key_sets


def main():
    arts = load(os.path.join(DIR, "articles.jsonl"))
    golds = load(os.path.join(DIR, "gold.jsonl"))
    ids = check_articles(arts)
    gids = [g.get("id") for g in golds]
    if ids != gids:
        err(f"article ids and gold ids differ: only in articles {sorted(set(ids) - set(gids))}, "
            f"only in gold {sorted(set(gids) - set(ids))}, order equal: {ids == gids}")
    arts_by_id = {a["id"]: a for a in arts if "id" in a}
    key_sets = check_gold(golds, arts_by_id)

    # summary
    n_meet = sum(len(g.get("meetings", [])) for g in golds)
    by = {}
    for g in golds:
        for m in g.get("meetings", []):
            by[(m.get("status"), m.get("mode"))] = by.get((m.get("status"), m.get("mode")), 0) + 1
    print(f"{len(arts)} articles, {len(golds)} gold lines, {n_meet} meetings")
    for k in sorted(by):
        print(f"  {k[0]:9s} {k[1]:9s} {by[k]}")
    shared = {k: v for k, v in key_sets.items() if len({g for g, _ in v}) > 1}
    print(f"{len(shared)} event keys shared across articles:")
    for k in sorted(shared):
        print(f"  {k}: {', '.join(sorted({g for g, _ in shared[k]}))}")
    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
