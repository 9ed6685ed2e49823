#!/usr/bin/env python3
"""Validate the English held-out set (standard library only).

Usage: python3 check_en.py [dir]   (default: ./en next to this script)
"""
import json, os, re, sys, unicodedata, datetime
from collections import defaultdict, Counter

D = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "en")
problems, warnings = [], []
def bad(msg): problems.append(msg)
def warn(msg): warnings.append(msg)

def fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()

def has_word(text, w):
    return re.search(r'(?<!\w)' + re.escape(fold(w)) + r'(?!\w)', fold(text)) is not None

def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                bad(f"{os.path.basename(path)}:{i}: empty line"); continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                bad(f"{os.path.basename(path)}:{i}: invalid JSON ({e})")
    return rows

def valid_date(s):
    if not isinstance(s, str): return False
    try:
        if re.fullmatch(r"\d{4}", s): return True
        if re.fullmatch(r"\d{4}-\d{2}", s): datetime.date(int(s[:4]), int(s[5:7]), 1); return True
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s): datetime.date.fromisoformat(s); return True
    except ValueError:
        return False
    return False

arts = load(os.path.join(D, "articles.jsonl"))
gold = load(os.path.join(D, "gold.jsonl"))
A = {a.get("id"): a for a in arts}
G = {g.get("id"): g for g in gold}
if len(A) != len(arts): bad("duplicate ids in articles.jsonl")
if len(G) != len(gold): bad("duplicate ids in gold.jsonl")
if set(A) != set(G): bad(f"id mismatch: only articles {sorted(set(A)-set(G))}, only gold {sorted(set(G)-set(A))}")
if [a.get("id") for a in arts] != [g.get("id") for g in gold]: warn("files are not in the same order")

for a in arts:
    aid = a.get("id", "?")
    for k in ("id", "lang", "published", "source", "title", "text"):
        if not isinstance(a.get(k), str) or not a.get(k).strip(): bad(f"{aid}: missing/empty field {k}")
    if not re.fullmatch(r"en-h-\d{3}", aid): bad(f"{aid}: bad id format")
    if a.get("lang") != "en": bad(f"{aid}: lang is not en")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.get("published", "")) or not valid_date(a.get("published")):
        bad(f"{aid}: bad published date")
    text = a.get("text", "")
    if "\n\n" not in text: bad(f"{aid}: no paragraph breaks")
    if re.search(r"\n{3,}", text) or re.search(r"(?<!\n)\n(?!\n)", text): bad(f"{aid}: paragraphs must be separated by exactly one blank line")
    n = len(text.split())
    if not 200 <= n <= 500: bad(f"{aid}: {n} words (want 200-500)")

STATUS = {"occurred", "planned", "cancelled"}
MODE = {"in-person", "remote"}
TYPES = {"person", "country", "organization"}
by_key = defaultdict(list)
stats = Counter()
for g in gold:
    gid = g.get("id", "?")
    a = A.get(gid)
    if a is None: continue
    text, pub = a["text"], a["published"]
    ms = g.get("meetings")
    if not isinstance(ms, list): bad(f"{gid}: meetings is not a list"); continue
    seen = set()
    for i, m in enumerate(ms):
        tag = f"{gid}#{i} {m.get('event')}"
        for k in ("event", "participants", "location", "date", "status", "mode"):
            if k not in m: bad(f"{tag}: missing key {k}")
        parts = m.get("participants") or []
        if len(parts) < 2: bad(f"{tag}: fewer than 2 participants")
        names = []
        for p in parts:
            nm = p.get("name", "")
            names.append(nm)
            if p.get("type") not in TYPES: bad(f"{tag}: bad type for {nm}")
            if not re.fullmatch(r"[A-Z]{2}", p.get("country") or ""): bad(f"{tag}: bad country for {nm}")
            al = p.get("aliases")
            if not isinstance(al, list): bad(f"{tag}: aliases of {nm} not a list"); al = []
            for x in al:
                if x not in text: bad(f"{tag}: alias '{x}' of {nm} not in text")
            if len(set(al)) != len(al): bad(f"{tag}: duplicate aliases for {nm}")
            if p.get("type") == "person":
                if not has_word(text, nm.split()[-1]): bad(f"{tag}: surname of {nm} not in text")
            elif nm not in text and not al:
                bad(f"{tag}: {nm} not named in text")
        if len(set(names)) != len(names): bad(f"{tag}: duplicate participant")
        loc = m.get("location")
        if loc is not None:
            if not isinstance(loc, dict) or not loc.get("name"): bad(f"{tag}: bad location")
            else:
                if not re.fullmatch(r"[A-Z]{2}", loc.get("country") or ""): bad(f"{tag}: bad location country")
                la = loc.get("aliases", [])
                for x in la:
                    if x not in text: bad(f"{tag}: location alias '{x}' not in text")
                if loc["name"] not in text and not la: bad(f"{tag}: location {loc['name']} not in text")
        d = m.get("date")
        if d is not None and not valid_date(d): bad(f"{tag}: bad date {d}")
        st, mo = m.get("status"), m.get("mode")
        if st not in STATUS: bad(f"{tag}: bad status {st}")
        if mo not in MODE: bad(f"{tag}: bad mode {mo}")
        if d:
            if st == "occurred" and d > pub[:len(d)]: bad(f"{tag}: occurred after publication {pub}")
            if st == "planned" and d < pub[:len(d)]: bad(f"{tag}: planned before publication {pub}")
        if mo == "remote" and loc is not None: warn(f"{tag}: remote meeting with a location")
        ev = m.get("event", "")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-(undated|\d{4}(-\d{2}(-\d{2})?)?)", ev):
            bad(f"{tag}: malformed event key")
        else:
            suffix = d if d else "undated"
            if not ev.endswith("-" + suffix): bad(f"{tag}: event key date does not match date {d}")
            toks = ev[: -len(suffix) - 1].split("-")
            if len(toks) != len(parts): bad(f"{tag}: {len(toks)} key tokens for {len(parts)} participants")
            if toks != sorted(toks): bad(f"{tag}: key tokens not sorted")
            for t, nm in zip(sorted(toks), sorted(names)):
                pass
            folded = [re.sub(r"[^a-z0-9]", "", fold(n)) for n in names]
            for t in toks:
                if not any(t in f for f in folded): bad(f"{tag}: key token '{t}' matches no participant name")
        if ev in seen: bad(f"{tag}: event key repeated within article")
        seen.add(ev)
        by_key[ev].append((gid, frozenset(names), d))
        stats[(st, mo)] += 1

shared = {k: v for k, v in by_key.items() if len({x[0] for x in v}) > 1}
for k, v in shared.items():
    if len({x[1] for x in v}) > 1: bad(f"shared event {k}: participant sets differ across {[x[0] for x in v]}")
    if len({x[2] for x in v}) > 1: bad(f"shared event {k}: dates differ")
# same participants+date under different keys in different articles would be a merge error
sig = defaultdict(set)
for k, v in by_key.items():
    for gid, names, d in v: sig[(names, d)].add(k)
for s, ks in sig.items():
    if len(ks) > 1: bad(f"same participants/date under different keys: {sorted(ks)}")

print(f"articles: {len(arts)}  meetings: {sum(stats.values())}")
for (st, mo), c in sorted(stats.items()): print(f"  {st:9s} {mo:9s} {c}")
print(f"events shared across articles: {len(shared)}")
for k, v in sorted(shared.items()): print(f"  {k}: {', '.join(x[0] for x in v)}")
for w in warnings: print("WARNING:", w)
for p in problems: print("PROBLEM:", p)
print("OK" if not problems else f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
