#!/usr/bin/env python3
"""Check the fr/es/pt held-out articles and gold (standard library only).

Usage: python3 check_fr_es_pt.py   (run from anywhere)
"""
import datetime
import json
import os
import re
import sys
from collections import defaultdict

BASE = os.path.dirname(os.path.abspath(__file__))
LANGS = ['fr', 'es', 'pt']
STATUS = {'occurred', 'planned', 'cancelled'}
MODE = {'in-person', 'remote'}
TYPES = {'person', 'country', 'organization'}
ART_KEYS = {'id', 'lang', 'published', 'source', 'title', 'text'}
MEET_KEYS = {'event', 'participants', 'location', 'date', 'status', 'mode'}

errors = []
def err(msg):
    errors.append(msg)

def parse_date(s):
    """Return (precision, first_day, last_day) for YYYY, YYYY-MM, YYYY-MM-DD."""
    if re.fullmatch(r'\d{4}-\d{2}-\d{2}', s):
        d = datetime.date.fromisoformat(s)
        return 'day', d, d
    if re.fullmatch(r'\d{4}-\d{2}', s):
        y, m = map(int, s.split('-'))
        first = datetime.date(y, m, 1)
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
        return 'month', first, nxt - datetime.timedelta(days=1)
    if re.fullmatch(r'\d{4}', s):
        y = int(s)
        return 'year', datetime.date(y, 1, 1), datetime.date(y, 12, 31)
    raise ValueError(s)

def read_jsonl(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                err(f'{path}:{n}: empty line')
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f'{path}:{n}: invalid JSON: {e}')
    return rows

def appears(form, text):
    return re.search(r'(?<!\w)' + re.escape(form) + r'(?!\w)', text) is not None

events = defaultdict(list)   # key -> [(article id, frozenset(names), date)]
stats = defaultdict(int)

for lang in LANGS:
    apath = os.path.join(BASE, lang, 'articles.jsonl')
    gpath = os.path.join(BASE, lang, 'gold.jsonl')
    arts = read_jsonl(apath)
    golds = read_jsonl(gpath)
    expected = [f'{lang}-h-{i:03d}' for i in range(1, 16)]
    aids = [a.get('id') for a in arts]
    gids = [g.get('id') for g in golds]
    if aids != expected:
        err(f'{lang}: article ids {aids} != expected {expected}')
    if gids != aids:
        err(f'{lang}: gold ids do not match article ids')
    texts = {}
    pubs = {}
    for a in arts:
        aid = a.get('id')
        if set(a) != ART_KEYS:
            err(f'{aid}: article keys {sorted(a)}')
        if a.get('lang') != lang:
            err(f'{aid}: lang {a.get("lang")}')
        try:
            prec, pub, _ = parse_date(a['published'])
            assert prec == 'day'
            pubs[aid] = pub
        except Exception:
            err(f'{aid}: bad published {a.get("published")}')
        text = a.get('text', '')
        texts[aid] = text
        for fld in ('source', 'title', 'text'):
            if not isinstance(a.get(fld), str) or not a.get(fld).strip():
                err(f'{aid}: empty {fld}')
        if '\n\n' not in text or re.search(r'\n{3,}', text) or re.search(r'(?<!\n)\n(?!\n)', text):
            err(f'{aid}: paragraphs must be separated by exactly one blank line')
        nw = len(text.split())
        if not 200 <= nw <= 450:
            err(f'{aid}: {nw} words (want 200-450)')
    for g in golds:
        gid = g.get('id')
        if set(g) != {'id', 'meetings'}:
            err(f'{gid}: gold keys {sorted(g)}')
        text = texts.get(gid, '')
        pub = pubs.get(gid)
        seen = set()
        for i, m in enumerate(g.get('meetings', [])):
            where = f'{gid} meeting {i} ({m.get("event")})'
            if set(m) != MEET_KEYS:
                err(f'{where}: keys {sorted(m)}')
                continue
            if m['status'] not in STATUS:
                err(f'{where}: status {m["status"]}')
            if m['mode'] not in MODE:
                err(f'{where}: mode {m["mode"]}')
            stats[(m['status'], m['mode'])] += 1
            # date
            date = m['date']
            rng = None
            if date is not None:
                try:
                    rng = parse_date(date)
                except Exception:
                    err(f'{where}: bad date {date}')
            # date vs publication
            if rng and pub:
                if m['status'] == 'occurred' and rng[1] > pub and rng[0] > pub:
                    err(f'{where}: occurred after publication {pub}')
                if m['status'] == 'planned' and rng[0] == rng[1] and rng[1] < pub:
                    err(f'{where}: planned but dated before publication {pub}')
            # participants
            parts = m['participants']
            if len(parts) < 2:
                err(f'{where}: fewer than two participants')
            names = []
            for p in parts:
                if set(p) != {'name', 'aliases', 'type', 'country'}:
                    err(f'{where}: participant keys {sorted(p)}')
                    continue
                names.append(p['name'])
                if p['type'] not in TYPES:
                    err(f'{where}: type {p["type"]}')
                if not re.fullmatch(r'[A-Z]{2}', p['country'] or ''):
                    err(f'{where}: country {p["country"]}')
                if not p['aliases']:
                    err(f'{where}: {p["name"]} has no alias found in text')
                for al in p['aliases']:
                    if not appears(al, text):
                        err(f'{where}: alias {al!r} of {p["name"]} not in text')
            if len(set(names)) != len(names):
                err(f'{where}: duplicate participant')
            # location
            loc = m['location']
            if loc is not None:
                if set(loc) != {'name', 'aliases', 'country'}:
                    err(f'{where}: location keys {sorted(loc)}')
                else:
                    if not loc['aliases']:
                        err(f'{where}: location without aliases')
                    for al in loc['aliases']:
                        if not appears(al, text):
                            err(f'{where}: location alias {al!r} not in text')
                    if not re.fullmatch(r'[A-Z]{2}', loc['country'] or ''):
                        err(f'{where}: location country {loc["country"]}')
            # event key
            key = m['event']
            suffix = date if date is not None else 'undated'
            if not key.endswith('-' + suffix):
                err(f'{where}: event key does not end with date {suffix}')
            head = key[:-(len(suffix) + 1)]
            if not re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', head):
                err(f'{where}: event key not lowercase ascii tokens')
            toks = head.split('-')
            if toks != sorted(toks):
                err(f'{where}: event key tokens not sorted')
            if len(toks) != len(parts):
                err(f'{where}: {len(toks)} key tokens for {len(parts)} participants')
            if key in seen:
                err(f'{where}: same event listed twice in one article')
            seen.add(key)
            events[key].append((gid, frozenset(names), date))

# cross-article consistency
shared = {k: v for k, v in events.items() if len({a for a, _, _ in v}) > 1}
for k, v in shared.items():
    if len({n for _, n, _ in v}) != 1:
        err(f'event {k}: participant sets differ: ' + '; '.join(f'{a}={sorted(n)}' for a, n, _ in v))
    if len({d for _, _, d in v}) != 1:
        err(f'event {k}: dates differ')

print('meetings by status/mode:')
for (s, mo), n in sorted(stats.items()):
    print(f'  {s:10s} {mo:10s} {n}')
print(f'total meetings: {sum(stats.values())}')
print(f'events shared by 2+ articles: {len(shared)}')
for k, v in sorted(shared.items()):
    print(f'  {k}: {", ".join(a for a, _, _ in v)}')
if errors:
    print(f'\n{len(errors)} problem(s):')
    for e in errors:
        print('  ' + e)
    sys.exit(1)
print('\nOK')
