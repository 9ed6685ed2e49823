#!/usr/bin/env python3
"""Check the German and Russian held-out files (standard library only).

Usage: python3 check_de_ru.py [--others]
  --others  also compare shared event keys against the other languages' gold in this folder
"""
import datetime
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = ['de', 'ru']
STATUS = {'occurred', 'planned', 'cancelled'}
MODE = {'in-person', 'remote'}
TYPES = {'person', 'country', 'organization'}
errors, warnings = [], []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


def load(path):
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


def parse_date(s):
    """Return (precision, first day, last day) or None if invalid."""
    if not isinstance(s, str):
        return None
    try:
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
    except ValueError:
        return None
    return None


events = {}  # key -> list of (article id, frozenset of participant names)
counts = {}
for lang in LANGS:
    apath = os.path.join(HERE, lang, 'articles.jsonl')
    gpath = os.path.join(HERE, lang, 'gold.jsonl')
    arts = load(apath)
    gold = load(gpath)
    aids = [a.get('id') for a in arts]
    gids = [g.get('id') for g in gold]
    expected = [f'{lang}-h-{i:03d}' for i in range(1, 17)]
    if aids != expected:
        err(f'{lang}: article ids {aids} != expected {expected}')
    if gids != aids:
        err(f'{lang}: gold ids differ from article ids')
    texts = {}
    for a in arts:
        aid = a.get('id')
        for k in ('id', 'lang', 'published', 'source', 'title', 'text'):
            if not isinstance(a.get(k), str) or not a.get(k):
                err(f'{aid}: missing/empty field {k}')
        if a.get('lang') != lang:
            err(f'{aid}: lang {a.get("lang")} != {lang}')
        pd = parse_date(a.get('published'))
        if not pd or pd[0] != 'day':
            err(f'{aid}: published is not a YYYY-MM-DD date')
        text = a.get('text', '')
        texts[aid] = (text, pd[1] if pd else None)
        paras = text.split('\n\n')
        if any(not p.strip() for p in paras):
            err(f'{aid}: empty paragraph')
        if re.search(r'(?<!\n)\n(?!\n)', text):
            err(f'{aid}: single newline inside text')
        words = len(re.findall(r'\w+(?:[-’\']\w+)*', text))
        if not 200 <= words <= 450:
            err(f'{aid}: {words} words (want 200-450)')
    for g in gold:
        aid = g.get('id')
        if aid not in texts:
            continue
        text, pub = texts[aid]
        ms = g.get('meetings')
        if not isinstance(ms, list):
            err(f'{aid}: meetings is not a list')
            continue
        seen = set()
        for i, m in enumerate(ms):
            tag = f'{aid}#{i}'
            for k in ('event', 'participants', 'location', 'date', 'status', 'mode'):
                if k not in m:
                    err(f'{tag}: missing key {k}')
            if m.get('status') not in STATUS:
                err(f'{tag}: bad status {m.get("status")}')
            if m.get('mode') not in MODE:
                err(f'{tag}: bad mode {m.get("mode")}')
            counts[(m.get('status'), m.get('mode'))] = counts.get((m.get('status'), m.get('mode')), 0) + 1
            ps = m.get('participants') or []
            if len(ps) < 2:
                err(f'{tag}: fewer than two participants')
            names = []
            for p in ps:
                if not p.get('name'):
                    err(f'{tag}: participant without name')
                names.append(p.get('name'))
                if p.get('type') not in TYPES:
                    err(f'{tag}: bad type {p.get("type")}')
                if not re.fullmatch(r'[A-Z]{2}', str(p.get('country'))):
                    err(f'{tag}: bad country {p.get("country")} for {p.get("name")}')
                al = p.get('aliases')
                if not isinstance(al, list) or not al:
                    err(f'{tag}: no aliases for {p.get("name")}')
                    continue
                for x in al:
                    if x not in text:
                        err(f'{tag}: alias {x!r} of {p.get("name")} not in text')
                if len(set(al)) != len(al):
                    err(f'{tag}: duplicate aliases for {p.get("name")}')
            if len(set(names)) != len(names):
                err(f'{tag}: duplicate participant')
            loc = m.get('location')
            if loc is not None:
                if not loc.get('name'):
                    err(f'{tag}: location without name')
                if not re.fullmatch(r'[A-Z]{2}', str(loc.get('country'))):
                    err(f'{tag}: bad location country {loc.get("country")}')
                for x in loc.get('aliases') or []:
                    if x not in text:
                        err(f'{tag}: place alias {x!r} not in text')
                if not loc.get('aliases'):
                    err(f'{tag}: location without aliases')
            if m.get('mode') == 'remote' and loc is not None:
                warn(f'{tag}: remote meeting with a location')
            date = m.get('date')
            ev = m.get('event', '')
            if not re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', ev or ''):
                err(f'{tag}: event key {ev!r} is not lowercase ascii')
            if date is None:
                if not ev.endswith('-undated'):
                    err(f'{tag}: null date but key {ev} does not end with -undated')
            else:
                pdm = parse_date(date)
                if not pdm:
                    err(f'{tag}: invalid date {date!r}')
                else:
                    if not ev.endswith('-' + date):
                        err(f'{tag}: key {ev} does not end with date {date}')
                    _, first, last = pdm
                    if pub:
                        if m.get('status') == 'occurred' and first > pub:
                            err(f'{tag}: occurred meeting dated after publication')
                        if m.get('status') == 'planned' and last < pub:
                            err(f'{tag}: planned meeting dated before publication')
            if ev in seen:
                err(f'{tag}: event {ev} listed twice in one article')
            seen.add(ev)
            events.setdefault(ev, []).append((aid, frozenset(names)))

for ev, lst in events.items():
    sets = {s for _, s in lst}
    if len(sets) > 1:
        err(f'event {ev}: participant sets differ across articles: ' +
            '; '.join(f'{a}={sorted(s)}' for a, s in lst))

if '--others' in sys.argv:
    for path in glob.glob(os.path.join(HERE, '*', 'gold*.jsonl')):
        if os.path.basename(os.path.dirname(path)) in LANGS:
            continue
        for g in load(path):
            for m in g.get('meetings', []):
                ev = m.get('event')
                if ev in events:
                    other = frozenset(p.get('name') for p in m.get('participants', []))
                    mine = {s for _, s in events[ev]}
                    if other not in mine:
                        warn(f'event {ev}: {g.get("id")} names {sorted(other)}, de/ru name {sorted(next(iter(mine)))}')

shared = {ev: lst for ev, lst in events.items() if len({a for a, _ in lst}) > 1}
print('meetings by (status, mode):', dict(sorted(counts.items())))
print('events in more than one de/ru article:')
for ev, lst in sorted(shared.items()):
    print('  ', ev, '->', ', '.join(a for a, _ in lst))
for w in warnings:
    print('WARNING:', w)
for e in errors:
    print('ERROR:', e)
print('OK' if not errors else f'{len(errors)} error(s)')
sys.exit(1 if errors else 0)
