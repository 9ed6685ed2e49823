"""Canonical actors and places: the same person is one actor whatever the article calls them.

Known actors come from the curated list (``kg/langs/_shared/actors.jsonl``): any alias maps to
the canonical English name, with country and Wikidata id. Places are completed from the
gazetteer (GeoNames id, coordinates, country).

>>> from kg.model import Actor, Event
>>> ev = Event((Actor("Sergey Lavrov"), Actor("Marco Rubio")), None, None)
>>> [a.name for a in next(resolve([ev])).participants]
['Sergei Lavrov', 'Marco Rubio']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from anyascii import anyascii

from kg.gazetteer import Gazetteer, get_gazetteer
from kg.langs import shared_actors
from kg.model import Actor, Event, Place


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).casefold().split())


@lru_cache(maxsize=1)
def _actor_index() -> dict[str, dict[str, Any]]:
    index: dict[str, dict[str, Any]] = {}
    for a in shared_actors():
        for n in [a["name"], *a.get("aliases", [])]:
            index.setdefault(_fold(n), a)
    return index


_SKELETON_SUBS = (("kh", "h"), ("zh", "j"), ("sh", "s"), ("ch", "c"), ("ts", "c"), ("ph", "f"), ("w", "v"),
                  ("dzh", "j"), ("dj", "j"), ("q", "k"), ("x", "ks"))


def skeleton(name: str) -> str:
    """The consonants of a Latin name, with transliteration variants folded: "Feysal bin Farkhan"
    and "Faisal bin Farhan" have the same skeleton.

    >>> skeleton("Feysal bin Farkhan") == skeleton("Faisal bin Farhan")
    True
    """
    s = _fold(name).replace("-", " ")
    for a, b in _SKELETON_SUBS:
        s = s.replace(a, b)
    s = "".join(c for c in s if c.isalpha() and c not in "aeiouy" or c == " ")
    out = []
    for c in s:
        if not out or c != out[-1]:
            out.append(c)
    return " ".join("".join(out).split())


@lru_cache(maxsize=1)
def _skeleton_index() -> dict[str, dict[str, Any] | None]:
    """Skeletons of the curated persons' names and Latin aliases; None where two actors share one."""
    index: dict[str, dict[str, Any] | None] = {}
    for a in shared_actors():
        if a.get("type", "person") != "person":
            continue
        for n in {a["name"], *a.get("aliases", [])}:
            if not n.isascii() or len(n.split()) < 2:
                continue
            k = skeleton(n)
            if len(k.replace(" ", "")) < 5:
                continue
            index[k] = a if index.get(k, a) is a else None
    return index


def latin(name: str) -> str:
    """A name in Latin script: Cyrillic and other scripts transliterated (anyascii), Latin kept.

    >>> latin("Дмитрий Песков")
    'Dmitriy Peskov'
    """
    if all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name):
        return name
    return " ".join(anyascii(name).replace("'", "").split())


def canonical_actor(actor: Actor) -> Actor:
    """The curated form of an actor when it is known, else the actor as found (in Latin script).

    >>> canonical_actor(Actor("Rustem Umerow", "person")).name  # German transliteration
    'Rustem Umerov'
    >>> canonical_actor(Actor("Рустем Умеров", "person")).name
    'Rustem Umerov'
    >>> canonical_actor(Actor("Ivan Petrowski", "person")).name  # no one the lists know: as written
    'Ivan Petrowski'
    """
    known = _actor_index().get(_fold(actor.name))
    if known is None and actor.type == "person":
        # a name the lists do not give may still be a curated person's name spelt another way: written in
        # another script ("Фейсал бин Фархан" -> "Feysal bin Farkhan": Faisal bin Farhan) or transliterated
        # by another language's convention ("Rustem Umerow", German, for Rustem Umerov)
        known = _skeleton_index().get(skeleton(latin(actor.name)))
    if known is None:
        name = latin(actor.name)
        return actor if name == actor.name else Actor(name, actor.type, actor.country, actor.role, actor.wikidata)
    return Actor(
        name=known["name"],
        type=known.get("type") or actor.type,
        country=known.get("country") or actor.country,
        role=actor.role or next((r.get("role") for r in known.get("roles", []) if isinstance(r, dict)), None),
        wikidata=known.get("wikidata") or actor.wikidata,
    )


def canonical_place(place: Place, gazetteer: Gazetteer) -> Place:
    """Fill a place's id, coordinates and country from the gazetteer when they are missing."""
    if place.geonames is not None and place.lat is not None:
        return place
    rec = gazetteer.lookup(place.city or place.name)
    if rec is None:
        return place
    return Place(
        name=place.name, country=place.country or rec.country, lat=place.lat if place.lat is not None else rec.lat,
        lon=place.lon if place.lon is not None else rec.lon, geonames=place.geonames or rec.geonames,
        venue=place.venue, city=place.city or (rec.name if rec.kind == "city" else None), region=place.region,
        aliases=place.aliases,
    )


def resolve(events: Iterable[Event], *, gazetteer: Gazetteer | None = None) -> Iterator[Event]:
    """Canonical participants (deduplicated) and completed places for each event."""
    gaz = gazetteer  # loaded with the first place: none is needed for no events (kg build --workers N)
    for ev in events:
        parts: list[Actor] = []
        for a in ev.participants:
            c = canonical_actor(a)
            if all(p.name != c.name for p in parts):
                parts.append(c)
        if len(parts) < 2:
            continue
        if ev.location is not None and gaz is None:
            gaz = get_gazetteer()
        loc = canonical_place(ev.location, gaz) if ev.location else None
        yield ev.with_(participants=tuple(parts), location=loc)


__all__ = ["canonical_actor", "canonical_place", "resolve"]
