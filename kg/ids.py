"""Stable identities: IRIs derived from normalised keys, the same in every run.

>>> slug("Thérèse Kayikwamba Wagner")
'therese-kayikwamba-wagner'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from kg.model import Actor, Event, Place

BASE = "https://w3id.org/kg/id/"


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"[^A-Za-z0-9]+", "-", t).strip("-").lower()
    if not t:  # a name with no Latin letters keeps a stable hash-based key
        t = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return t


def actor_key(actor: Actor) -> str:
    return actor.wikidata or slug(actor.name)


def actor_iri(actor: Actor) -> str:
    kind = {"person": "person", "country": "country", "organization": "org"}[actor.type]
    return f"{BASE}{kind}/{actor_key(actor)}"


def place_iri(place: Place) -> str:
    if place.geonames and not place.venue:
        return f"{BASE}place/geonames-{place.geonames}"
    return f"{BASE}place/{slug(place.venue or place.name)}"


def event_key(event: Event) -> str:
    """Sorted participant keys and the date: the key two reports of one meeting share."""
    who = "-".join(sorted(actor_key(a) for a in event.participants))
    when = event.date.iso() if event.date else "undated"
    return f"{who}-{when}"


def event_iri(event: Event) -> str:
    key = event_key(event)
    if len(key) > 120:
        key = key[:100] + "-" + hashlib.sha1(key.encode()).hexdigest()[:10]
    return f"{BASE}meeting/{key}"


def article_key(article_id: str) -> str:
    """The last segment of an article's IRI: the id itself when it is made of letters, digits,
    ``.``, ``_``, ``-`` and ``~``, otherwise the id percent-encoded (UTF-8). Two different ids
    never share a key (a slug would: ``AP 1`` and ``ap-1``, ``a/B.txt`` and ``a/b.txt``).

    >>> article_key("tass-42"), article_key("AP 1"), article_key("ap-1"), article_key("data/Один.txt")
    ('tass-42', 'AP%201', 'ap-1', 'data%2F%D0%9E%D0%B4%D0%B8%D0%BD.txt')
    """
    return quote(article_id, safe="", errors="surrogatepass")


def article_iri(article_id: str) -> str:
    return f"{BASE}article/{article_key(article_id)}"
