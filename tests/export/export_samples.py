"""Strings and meetings for the export tests."""

from __future__ import annotations

import random

from kg.model import Actor, Event, Mention, PartialDate, Place

#: A participant name that would run script if pasted into HTML unescaped.
HOSTILE = "<img src=x onerror=alert(1)>"

#: Made-up names of many lengths (no real person's), some with diacritics, to draw as labels.
_FIRST = ("Amara", "Bogdan", "Chen", "Dewi", "Eduardo", "Farida", "Gunnar", "Hiroshi", "Inès", "Jomo",
          "Kateryna", "Luiz Felipe", "Mehmet Ali", "Nadia", "Oluwaseun", "Priya", "Rashid", "Siobhán", "Tomasz",
          "Ulla", "Viktor", "Wanjiru", "Xavier", "Yusuf")  # fmt: skip
_LAST = ("Okafor", "Petrenko", "Haddad", "Lindqvist", "Santoso", "Moreau", "Kowalczyk", "Nakamura",
         "Abdelrahman", "da Costa Ferreira", "Van den Berg", "Al-Mansouri", "Oyelaran", "Ferrández", "Nørgaard",
         "Whitfield", "bin Abdullah Al Harthy", "Ivanenko", "Wekesa", "Lee", "Quispe", "Rahimov", "Sørensen",
         "Tshabalala", "Ueda")  # fmt: skip
_COUNTRIES = ("RU", "US", "CN", "ID", "FR", "DE", "IN", "BR", "TR", "JP", "ZA", "IL", "SY", "QA", "EG", "GB")
#: Capitals with coordinates (latitude, longitude), and one venue whose place is not known.
_PLACES = (
    Place("Moscow", country="RU", lat=55.7522, lon=37.6156), Place("Washington", country="US", lat=38.8951, lon=-77.0364),
    Place("Beijing", country="CN", lat=39.9075, lon=116.3972), Place("Jakarta", country="ID", lat=-6.2146, lon=106.8451),
    Place("Paris", country="FR", lat=48.8534, lon=2.3488), Place("Berlin", country="DE", lat=52.5244, lon=13.4105),
    Place("New Delhi", country="IN", lat=28.6358, lon=77.2245), Place("Brasília", country="BR", lat=-15.7797, lon=-47.9297),
    Place("Ankara", country="TR", lat=39.9199, lon=32.8543), Place("Tokyo", country="JP", lat=35.6895, lon=139.6917),
    Place("Pretoria", country="ZA", lat=-25.7449, lon=28.1878), Place("Doha", country="QA", lat=25.2866, lon=51.5333),
    Place("Cairo", country="EG", lat=30.0626, lon=31.2497), Place("London", country="GB", lat=51.5085, lon=-0.1257),
    Place("New York City", country="US", lat=40.7143, lon=-74.006), Place("Geneva", country="CH", lat=46.2022, lon=6.1457),
    Place("Brussels", country="BE", lat=50.8505, lon=4.3488), Place("Riyadh", country="SA", lat=24.6877, lon=46.7219),
    Place("Kuala Lumpur", country="MY", lat=3.1412, lon=101.6865), Place("Istanbul", country="TR", lat=41.0138, lon=28.9497),
    Place("Diaoyutai", country="CN"),
)  # fmt: skip


def dev_events(seed: int = 17) -> list[Event]:
    """A graph the size of the dev sets (76 actors, 87 meetings), reproducible for a seed.

    40 actors in one web around a few busy ones (69 meetings, some of three), 36 more in 18
    pairs that met once; dated 2023-01 to 2025-11 but for one meeting of 2000-03 (an outlier
    for the timeline), three known to the year only (2024) and four undated; most at a capital
    with coordinates, a few at a venue whose place is not known or at no place at all.
    """
    rng = random.Random(seed)
    names: list[str] = []
    while len(names) < 73:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if name not in names:
            names.append(name)
    people = [Actor(n, country=rng.choice(_COUNTRIES), role="Minister") for n in names]
    others = [Actor("China", type="country", country="CN"), Actor("ASEAN", type="organization"),
              Actor("European Union", type="organization")]  # fmt: skip
    core = people[:37] + others
    minor = people[37:]
    weights = [1.0 / (1 + i) ** 0.9 for i in range(len(core))]
    groups: list[tuple[Actor, ...]] = []
    while len(groups) < 69:
        size = 3 if rng.random() < 0.15 else 2
        who = set(rng.choices(core, weights, k=size))
        if len(who) == size:
            groups.append(tuple(sorted(who, key=lambda a: a.name)))
    groups += [(minor[2 * i], minor[2 * i + 1]) for i in range(18)]
    out = []
    for k, who in enumerate(groups):
        if k == 5:
            date: PartialDate | None = PartialDate(2000, 3, 14)
        elif k in (11, 23, 47):
            date = PartialDate(2024)
        elif k in (8, 30, 52, 77):
            date = None
        else:
            month = rng.randrange(35)  # 2023-01 .. 2025-11
            date = PartialDate(2023 + month // 12, month % 12 + 1, rng.randint(1, 28))
        roll = rng.random()
        place = None if roll < 0.06 else _PLACES[-1] if roll < 0.1 else rng.choice(_PLACES[:-1])
        status = rng.choices(("occurred", "planned", "cancelled"), (0.8, 0.15, 0.05))[0]
        sentence = f"{' and '.join(a.name for a in who)} met to discuss trade."
        out.append(
            Event(
                participants=who,
                location=place,
                date=date,
                status=status,
                mode="remote" if rng.random() < 0.1 else "in-person",
                evidence=(Mention(f"dev-{k}", 0, len(sentence), sentence, status=status),),
            )
        )
    return out
