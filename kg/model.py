"""Plain, typed, frozen records that flow between the pipeline's stages.

Every record round-trips through JSON with ``to_dict`` / ``from_dict`` so that any
stage's output can be saved as JSON Lines and read back.

>>> PartialDate.parse("2025-09").iso()
'2025-09'
>>> Event.from_dict(Event(participants=(Actor("A B"), Actor("C D")), location=None,
...     date=PartialDate(2025, 9, 24), status="occurred", mode="in-person").to_dict()).date
PartialDate(year=2025, month=9, day=24)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal, cast, get_args

Status = Literal["occurred", "planned", "cancelled"]
Mode = Literal["in-person", "remote"]
ActorType = Literal["person", "country", "organization"]
Precision = Literal["year", "month", "day"]
DateSource = Literal["metadata", "option", "text", "mtime", "none"]

STATUSES: tuple[str, ...] = get_args(Status)
MODES: tuple[str, ...] = get_args(Mode)
ACTOR_TYPES: tuple[str, ...] = get_args(ActorType)

_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


def _check_country(value: str | None) -> None:
    if value is not None and not _is_country_code(value):
        raise ValueError(f"country must be an ISO 3166-1 alpha-2 code, got {value!r}")


@lru_cache(maxsize=4096)
def _is_country_code(value: str) -> bool:  # checked for every actor and place read back: cached
    return _COUNTRY_RE.match(value) is not None


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            last = calendar.monthrange(self.year, cast(int, self.month))[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"day out of range: {self.year}-{self.month:02d}-{self.day}")

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.iso()

    def as_date(self) -> dt.date | None:
        """The full date, or None when the day is unknown."""
        if self.day is None or self.month is None:
            return None
        return dt.date(self.year, self.month, self.day)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def compatible(self, other: PartialDate) -> bool:
        """True when one date refines the other (2025-09 and 2025-09-24)."""
        a, b = self.iso(), other.iso()
        return a.startswith(b) or b.startswith(a)

    @classmethod
    def from_date(cls, d: dt.date) -> PartialDate:
        return cls(d.year, d.month, d.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
        if not m:
            raise ValueError(f"not a YYYY, YYYY-MM or YYYY-MM-DD date: {text!r}")
        y, mo, d = m.groups()
        return cls(int(y), int(mo) if mo else None, int(d) if d else None)


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: a line of ``articles.jsonl``, a .txt file or an HTML page."""

    id: str
    text: str
    lang: str | None = None
    published: dt.date | None = None
    source: str | None = None
    title: str | None = None
    url: str | None = None
    published_from: DateSource = "metadata"
    origin: str | None = None  # "path:line" the article was read from

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "published": self.published.isoformat() if self.published else None,
            "published_from": self.published_from,
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        pub = d.get("published")
        return cls(
            id=str(d["id"]),
            text=str(d.get("text") or ""),
            lang=d.get("lang"),
            published=dt.date.fromisoformat(str(pub)[:10]) if pub else None,
            source=d.get("source"),
            title=d.get("title"),
            url=d.get("url"),
            published_from=cast(DateSource, d.get("published_from") or "metadata"),
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """A person, country or organization taking part in a meeting."""

    name: str
    type: ActorType = "person"
    country: str | None = None
    role: str | None = None
    wikidata: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("an actor needs a name")
        if self.type not in ACTOR_TYPES:
            raise ValueError(f"unknown actor type {self.type!r}")
        _check_country(self.country)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.type, "country": self.country, "role": self.role}
        if self.wikidata:
            d["wikidata"] = self.wikidata
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        return cls(
            name=d["name"],
            type=d.get("type") or "person",
            country=d.get("country"),
            role=d.get("role"),
            wikidata=d.get("wikidata"),
        )


@dataclass(frozen=True, slots=True)
class Place:
    """Where a meeting took place: a venue, city, region or country."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames: int | None = None
    venue: str | None = None
    city: str | None = None
    region: str | None = None
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a place needs a name")
        _check_country(self.country)
        if self.lat is not None and not -90 <= self.lat <= 90:
            raise ValueError(f"latitude out of range: {self.lat}")
        if self.lon is not None and not -180 <= self.lon <= 180:
            raise ValueError(f"longitude out of range: {self.lon}")

    def names(self) -> tuple[str, ...]:
        """Every name the place goes by, most specific first."""
        out: list[str] = []
        for n in (self.venue, self.name, self.city, self.region, *self.aliases):
            if n and n not in out:
                out.append(n)
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "geonames": self.geonames,
            "venue": self.venue,
            "city": self.city,
            "region": self.region,
            "aliases": list(self.aliases),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        return cls(
            name=d["name"],
            country=d.get("country"),
            lat=d.get("lat"),
            lon=d.get("lon"),
            geonames=d.get("geonames"),
            venue=d.get("venue"),
            city=d.get("city"),
            region=d.get("region"),
            aliases=tuple(d.get("aliases") or ()),
        )


@dataclass(frozen=True, slots=True)
class Mention:
    """The sentence of an article that reports a meeting (the evidence for an event)."""

    article_id: str
    start: int
    end: int
    text: str
    status: Status | None = None  # how this article reported the meeting
    lang: str | None = None
    url: str | None = None
    published: str | None = None  # the reference date relative dates were resolved against
    published_from: DateSource | None = None  # where that date came from: metadata, option, text, mtime
    # the roles this article gave the participants, as (canonical name, role as written) pairs
    roles: tuple[tuple[str, str], ...] = ()
    # the extractor's decisions behind this mention, as (rule id, what it decided) pairs: the rule id
    # names the mechanism and, when it comes from a pack, the file and line ("meet en/cues.jsonl:3")
    rules: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"a mention needs 0 <= start < end, got {self.start}..{self.end}")
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"article": self.article_id, "sentence": self.text, "start": self.start, "end": self.end}
        if self.status:
            d["status"] = self.status
        if self.lang:
            d["lang"] = self.lang
        if self.url:
            d["url"] = self.url
        if self.published_from and self.published_from != "metadata":
            d["published"] = self.published
            d["published_from"] = self.published_from
        if self.roles:
            d["roles"] = [{"name": n, "role": r} for n, r in self.roles]
            if self.published:  # the day the roles were stated
                d.setdefault("published", self.published)
        if self.rules:
            d["rules"] = [{"rule": k, "value": v} for k, v in self.rules]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mention:
        return cls(
            article_id=d["article"],
            start=int(d["start"]),
            end=int(d["end"]),
            text=d.get("sentence", ""),
            status=d.get("status"),
            lang=d.get("lang"),
            url=d.get("url"),
            published=d.get("published"),
            published_from=d.get("published_from"),
            roles=tuple((r["name"], r["role"]) for r in d.get("roles") or ()),
            rules=tuple((r["rule"], r.get("value", "")) for r in d.get("rules") or ()),
        )


@dataclass(frozen=True, slots=True)
class Event:
    """A meeting: who, where, when, whether it happened, and the sentences that say so."""

    participants: tuple[Actor, ...]
    location: Place | None
    date: PartialDate | None
    status: Status = "occurred"
    mode: Mode = "in-person"
    evidence: tuple[Mention, ...] = ()
    id: str | None = None  # the stable IRI, set by merge

    def __post_init__(self) -> None:
        if len(self.participants) < 2:
            raise ValueError("a meeting needs at least two participants")
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}")

    def with_(self, **changes: Any) -> Event:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        sources = []
        for m in self.evidence:
            d = m.to_dict()
            if d.get("status") == self.status:
                del d["status"]
            sources.append(d)
        return {
            "id": self.id,
            "participants": [a.to_dict() for a in self.participants],
            "location": self.location.to_dict() if self.location else None,
            "date": self.date.iso() if self.date else None,
            "status": self.status,
            "mode": self.mode,
            "sources": sources,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        status = d.get("status") or "occurred"
        return cls(
            participants=tuple(Actor.from_dict(p) for p in d["participants"]),
            location=Place.from_dict(d["location"]) if d.get("location") else None,
            date=PartialDate.parse(d["date"]) if d.get("date") else None,
            status=status,
            mode=d.get("mode") or "in-person",
            evidence=tuple(
                Mention.from_dict({**s, "status": s.get("status") or status}) for s in d.get("sources", [])
            ),
            id=d.get("id"),
        )


__all__ = [
    "ACTOR_TYPES",
    "MODES",
    "STATUSES",
    "Actor",
    "ActorType",
    "Article",
    "Event",
    "Mention",
    "Mode",
    "PartialDate",
    "Place",
    "Precision",
    "Status",
]

