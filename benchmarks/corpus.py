"""Synthetic news articles for the benchmarks: templates over kg's own lexicons.

Actors come from the curated list (``kg/langs/_shared/actors.jsonl``, about 1,100 people),
places from the gazetteer's capitals (about 220), dates from a publication date spread over
several years; English and Indonesian articles alternate, each written from one of several
templates (a meeting that happened with a place and weekday, a planned one, a phone call,
background sentences). ``repeat`` makes several articles report the same meeting (different
template, language and wording), as the news does: then the number of distinct meetings grows
as ``articles / repeat``.

Articles are generated one at a time from a per-article seed, so a corpus of any size streams
(``write_jsonl``) and article ``i`` is the same whatever ``n``.

>>> rows = list(articles(3))
>>> [r["id"] for r in rows], rows[0]["lang"], rows[1]["lang"]
(['bench-0', 'bench-1', 'bench-2'], 'en', 'id')
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

EN_LEADS = [
    "{city_up} - {t1} {a} met {t2} {b} in {city} on {weekday}, in talks that officials described as constructive.",
    "{city_up} - {t1} {a} held talks with {t2} {b} in {city} on {weekday}, their first meeting this year.",
    "{city_up} - {t2} {b} hosted {t1} {a} in {city} on {weekday} for talks on trade and security.",
]
EN_BODY = [
    "The two leaders discussed trade, energy and security, and agreed to keep talking at senior levels.",
    "{a} said the meeting had been useful, while {b} called for concrete steps on the economy.",
    "{b} is scheduled to meet {c} in {city2} next month, according to a published programme.",
    "Analysts said the relationship had improved since the two sides last met in {month}.",
    "Markets were little changed, and the currency held steady against the dollar on the news.",
    "Officials from both delegations said further rounds of talks on investment were being prepared.",
]
ID_LEADS = [
    "{city} - {t1id} {a} bertemu {t2id} {b} di {city}, {weekday_id} ({day}/{monthnum}).",
    "{city} - {t1id} {a} mengadakan pertemuan dengan {t2id} {b} di {city}, {weekday_id} ({day}/{monthnum}).",
]
ID_BODY = [
    "Kedua pemimpin membahas kerja sama perdagangan, energi, dan keamanan kawasan.",
    "{a} menyebut pertemuan itu hangat dan produktif, sementara {b} menekankan pentingnya investasi.",
    "{b} dijadwalkan bertemu {c} di {city2} bulan depan.",
    "Sejumlah pengamat menilai hubungan kedua negara terus membaik dalam beberapa tahun terakhir.",
    "Pemerintah kedua negara juga sepakat memperluas kerja sama di bidang pendidikan dan kesehatan.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
START = dt.date(2020, 1, 1)
DAYS = 6 * 365


@cache
def lexicons() -> tuple[list[str], list[str]]:
    """People from the curated actor list and capitals from the gazetteer."""
    from kg.gazetteer import get_gazetteer
    from kg.langs import shared_actors

    people = sorted(a["name"] for a in shared_actors() if a.get("type", "person") == "person")
    cities = sorted(c.name for c in get_gazetteer().capitals.values())
    return people, cities


def article(i: int, *, seed: int = 7, repeat: int = 1) -> dict[str, Any]:
    """Article ``i`` of the corpus, as a JSON Lines record."""
    people, cities = lexicons()
    meeting = random.Random(f"{seed}:meeting:{i // max(1, repeat)}")  # the facts: shared by `repeat` articles
    a, b, c = meeting.sample(people, 3)
    city, city2 = meeting.choice(cities), meeting.choice(cities)
    day = START + dt.timedelta(days=meeting.randrange(DAYS))
    rnd = random.Random(f"{seed}:article:{i}")  # the wording: this article's own
    pub = day + dt.timedelta(days=rnd.choice([1, 1, 1, 2]))
    lang = "en" if i % 2 == 0 else "id"
    fields = {
        "a": a, "b": b, "c": c, "city": city, "city2": city2, "city_up": city.upper(),
        "weekday": WEEKDAYS[day.weekday()], "weekday_id": WEEKDAYS_ID[day.weekday()], "day": day.day,
        "monthnum": day.month, "month": rnd.choice(MONTHS), "t1": "President", "t2": "Prime Minister",
        "t1id": "Presiden", "t2id": "Perdana Menteri",
    }
    leads, body = (EN_LEADS, EN_BODY) if lang == "en" else (ID_LEADS, ID_BODY)
    paras = [rnd.choice(leads), *rnd.sample(body, len(body))]
    text = "\n\n".join(p.format(**fields) for p in paras)
    return {"id": f"bench-{i}", "lang": lang, "published": pub.isoformat(), "source": "bench", "title": "",
            "text": text}


def articles(n: int, *, seed: int = 7, repeat: int = 1, start: int = 0) -> Iterator[dict[str, Any]]:
    """Articles ``start`` to ``start + n - 1``, one at a time."""
    for i in range(start, start + n):
        yield article(i, seed=seed, repeat=repeat)


def write_jsonl(path: Path, n: int, *, seed: int = 7, repeat: int = 1) -> int:
    """Write n articles as JSON Lines (streamed); returns the number of words."""
    words = 0
    with path.open("w", encoding="utf-8") as f:
        for r in articles(n, seed=seed, repeat=repeat):
            words += len(r["text"].split())
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return words


__all__ = ["article", "articles", "lexicons", "write_jsonl"]
