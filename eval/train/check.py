#!/usr/bin/env python3
"""Check the training set in /work/train/<lang>/{articles,gold}.jsonl (standard library only).

Checks
  * every line is valid JSON with the fields of FORMAT.md; ids are `<lang>-t-NNN`, unique,
    and the same (in the same order) in articles.jsonl and gold.jsonl
  * published is a valid ISO date; text is 200-450 words, paragraphs separated by "\\n\\n"
  * every participant / location alias occurs verbatim in the article text
  * meeting date is YYYY, YYYY-MM or YYYY-MM-DD (valid) or null; status and mode valid;
    occurred meetings are not dated after publication; planned ones not dated before its month
  * event key = sorted lowercase ASCII surname tokens joined by "-" + "-" + (date or "undated"),
    each token matching a participant's name; no key twice within one article
  * a key used in several articles has identical participants (names) and date everywhere
Usage: python3 check.py [root]   (exit status 1 if any error)
"""
import collections
import datetime
import json
import os
import re
import sys
import unicodedata

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
LANGS = ["en", "id", "fr", "es", "pt", "de", "ru"]
EXPECTED = {"en": 20, "id": 16, "fr": 7, "es": 7, "pt": 7, "de": 7, "ru": 7}
STATUSES = {"occurred", "planned", "cancelled"}
MODES = {"in-person", "remote"}
TYPES = {"person", "organization", "country"}

errors = []
warnings = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def ascii_fold(s):
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


def name_tokens(name):
    toks = [t for t in re.split(r"[^a-z0-9]+", ascii_fold(name)) if t]
    out = set(toks)
    for i in range(len(toks)):          # also concatenations of consecutive tokens
        for j in range(i + 2, len(toks) + 1):
            out.add("".join(toks[i:j]))
    return out


def parse_date(s):
    """Return (start, end) dates covered by a YYYY / YYYY-MM / YYYY-MM-DD string, or None."""
    try:
        if re.fullmatch(r"\d{4}", s):
            y = int(s)
            return datetime.date(y, 1, 1), datetime.date(y, 12, 31)
        if re.fullmatch(r"\d{4}-\d{2}", s):
            y, m = map(int, s.split("-"))
            start = datetime.date(y, m, 1)
            nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
            return start, nxt - datetime.timedelta(days=1)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            d = datetime.date.fromisoformat(s)
            return d, d
    except ValueError:
        return None
    return None


def load(path):
    rows = []
    if not os.path.exists(path):
        err(path, "missing file")
        return rows
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                err(f"{path}:{n}", "blank line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f"{path}:{n}", f"invalid JSON: {e}")
    return rows


def check_alias_list(where, aliases, text):
    if not isinstance(aliases, list):
        err(where, "aliases must be a list")
        return
    if len(set(aliases)) != len(aliases):
        err(where, f"duplicate aliases {aliases}")
    for a in aliases:
        if not isinstance(a, str) or not a:
            err(where, f"bad alias {a!r}")
        elif a not in text:
            err(where, f"alias {a!r} not found verbatim in text")


def main():
    key_uses = collections.defaultdict(list)   # key -> [(id, names, date)]
    all_ids = set()
    n_meet = 0
    for lang in LANGS:
        arts = load(os.path.join(ROOT, lang, "articles.jsonl"))
        golds = load(os.path.join(ROOT, lang, "gold.jsonl"))
        if len(arts) != EXPECTED[lang]:
            err(lang, f"{len(arts)} articles, expected {EXPECTED[lang]}")
        if [a.get("id") for a in arts] != [g.get("id") for g in golds]:
            err(lang, "ids of articles.jsonl and gold.jsonl differ or are in a different order")
        texts = {}
        for i, a in enumerate(arts, 1):
            aid = a.get("id", f"{lang}#{i}")
            for k in ("id", "lang", "published", "source", "title", "text"):
                if not isinstance(a.get(k), str) or not a.get(k):
                    err(aid, f"article field {k!r} missing or empty")
            if set(a) - {"id", "lang", "published", "source", "title", "text"}:
                err(aid, f"unexpected article fields {set(a) - {'id','lang','published','source','title','text'}}")
            if not re.fullmatch(rf"{lang}-t-\d{{3}}", str(a.get("id"))):
                err(aid, "id not of the form <lang>-t-NNN")
            elif a["id"] != f"{lang}-t-{i:03d}":
                err(aid, f"id out of sequence (expected {lang}-t-{i:03d})")
            if aid in all_ids:
                err(aid, "duplicate id")
            all_ids.add(aid)
            if a.get("lang") != lang:
                err(aid, f"lang {a.get('lang')!r} != {lang!r}")
            try:
                datetime.date.fromisoformat(a.get("published", ""))
            except (ValueError, TypeError):
                err(aid, f"published {a.get('published')!r} is not YYYY-MM-DD")
            text = a.get("text", "")
            texts[aid] = text
            words = len(text.split())
            if not 200 <= words <= 450:
                err(aid, f"text has {words} words (want 200-450)")
            if "\n\n" not in text or re.search(r"\n{3,}", text) or re.search(r"(?<!\n)\n(?!\n)", text):
                err(aid, "paragraphs must be separated by exactly one blank line")
        pub = {a.get("id"): a.get("published") for a in arts}
        for g in golds:
            gid = g.get("id")
            if set(g) != {"id", "meetings"}:
                err(gid, f"gold fields {sorted(g)} != ['id', 'meetings']")
            text = texts.get(gid)
            if text is None:
                err(gid, "gold id has no article")
                continue
            meetings = g.get("meetings")
            if not isinstance(meetings, list) or not meetings:
                err(gid, "meetings must be a non-empty list")
                continue
            seen = set()
            for j, m in enumerate(meetings):
                n_meet += 1
                w = f"{gid} meeting {j} ({m.get('event')})"
                if set(m) != {"event", "participants", "location", "date", "status", "mode"}:
                    err(w, f"meeting fields {sorted(m)}")
                parts = m.get("participants") or []
                if len(parts) < 2:
                    err(w, "fewer than two participants")
                names = []
                for p in parts:
                    pw = f"{w} participant {p.get('name')!r}"
                    if set(p) != {"name", "aliases", "type", "country"}:
                        err(pw, f"participant fields {sorted(p)}")
                    if not isinstance(p.get("name"), str) or not p.get("name"):
                        err(pw, "empty name")
                    if p.get("type") not in TYPES:
                        err(pw, f"type {p.get('type')!r}")
                    if not re.fullmatch(r"[A-Z]{2}", str(p.get("country"))):
                        err(pw, f"country {p.get('country')!r} not ISO alpha-2")
                    check_alias_list(pw, p.get("aliases"), text)
                    if not p.get("aliases"):
                        err(pw, "no alias: participant not named in the text")
                    names.append(p.get("name"))
                if len(set(names)) != len(names):
                    err(w, "same participant twice")
                loc = m.get("location")
                if loc is not None:
                    if set(loc) != {"name", "aliases", "country"}:
                        err(w, f"location fields {sorted(loc)}")
                    if not re.fullmatch(r"[A-Z]{2}", str(loc.get("country"))):
                        err(w, f"location country {loc.get('country')!r}")
                    check_alias_list(w + " location", loc.get("aliases"), text)
                    if not loc.get("aliases"):
                        err(w, "location without alias")
                date = m.get("date")
                rng = None
                if date is not None:
                    rng = parse_date(date) if isinstance(date, str) else None
                    if rng is None:
                        err(w, f"bad date {date!r}")
                st, mode = m.get("status"), m.get("mode")
                if st not in STATUSES:
                    err(w, f"bad status {st!r}")
                if mode not in MODES:
                    err(w, f"bad mode {mode!r}")
                try:
                    pd = datetime.date.fromisoformat(pub.get(gid))
                except (TypeError, ValueError):
                    pd = None
                if rng and pd:
                    if st == "occurred" and rng[0] > pd:
                        err(w, f"occurred but dated after publication {pd}")
                    if st == "planned" and rng[1] < pd:
                        err(w, f"planned but dated before publication {pd}")
                # event key
                key = m.get("event", "")
                want_suffix = date if date else "undated"
                if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9-]+", key):
                    err(w, "event key must be lowercase ASCII")
                elif not key.endswith("-" + want_suffix):
                    err(w, f"event key does not end with -{want_suffix}")
                else:
                    toks = key[: -len(want_suffix) - 1].split("-")
                    if toks != sorted(toks):
                        err(w, "surname tokens in key not sorted")
                    if len(toks) != len(parts):
                        err(w, f"{len(toks)} key tokens for {len(parts)} participants")
                    pool = [name_tokens(p.get("name", "")) for p in parts]
                    for t in toks:
                        hit = [k for k, s in enumerate(pool) if t in s]
                        if not hit:
                            err(w, f"key token {t!r} matches no participant name")
                        else:
                            pool.pop(hit[0])
                if key in seen:
                    err(w, "event key repeated within the article")
                seen.add(key)
                key_uses[key].append((gid, tuple(sorted(names)), date))
    shared = 0
    for key, uses in sorted(key_uses.items()):
        arts = {u[0] for u in uses}
        if len(arts) > 1:
            shared += 1
        if len({u[1] for u in uses}) > 1:
            err(key, f"participants differ across articles: {uses}")
        if len({u[2] for u in uses}) > 1:
            err(key, f"dates differ across articles: {uses}")
    multi = sorted(k for k, u in key_uses.items() if len({x[0] for x in u}) > 1)
    print(f"{len(all_ids)} articles, {n_meet} meetings, {len(key_uses)} event keys, "
          f"{shared} keys shared by 2+ articles")
    for k in multi:
        print(f"  shared: {k}: {sorted({x[0] for x in key_uses[k]})}")
    for w in warnings:
        print("WARNING", w)
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
