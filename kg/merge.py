"""Merge meeting mentions into real-world meetings: one event, every source.

Two mentions are the same meeting when they share at least two participants (all of them
for a meeting of two) and their dates agree (one refines the other: 2025-09 and 2025-09-24), or
when they have the same participants on days one apart with no place that tells them apart (time
zones: "Wednesday" in Washington is "Thursday" in Jakarta).
Candidates are found through an index on participant pairs (blocking), so merging stays
near-linear in the number of mentions instead of comparing all pairs.

>>> from kg.model import Actor, Event, Mention, PartialDate
>>> a, b = Actor("Sergei Lavrov"), Actor("Marco Rubio")
>>> e1 = Event((a, b), None, PartialDate(2025, 9, 24), evidence=(Mention("x", 0, 5, "met"),))
>>> e2 = Event((b, a), None, PartialDate(2025, 9), evidence=(Mention("y", 0, 5, "met"),))
>>> [len(e.evidence) for e in merge([e1, e2])]
[2]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kg.ids import actor_key, event_iri
from kg.model import Actor, Event, Mention, PartialDate, Place, Status

_STATUS_ORDER: dict[str, int] = {"occurred": 0, "cancelled": 1, "planned": 2}


@dataclass
class _Cluster:
    participants: dict[str, Actor] = field(default_factory=dict)
    date: PartialDate | None = None
    place: Place | None = None
    statuses: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    evidence: list[Mention] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    bilateral: bool = False  # a report told it as two sides only

    def add(self, ev: Event) -> None:
        for a in ev.participants:
            k = actor_key(a)
            old = self.participants.get(k)
            if old is None or (not old.role and a.role) or (not old.country and a.country):
                self.participants[k] = Actor(a.name, a.type, old.country if old and old.country else a.country,
                                             old.role if old and old.role else a.role, a.wikidata or (old.wikidata if old else None))
        if ev.date is not None and (self.date is None or len(ev.date.iso()) > len(self.date.iso())):
            self.date = ev.date
        if ev.location is not None and (self.place is None or (ev.location.venue and not self.place.venue)
                                        or _within(ev.location, self.place)):  # Anchorage, not just Alaska
            self.place = ev.location
        self.bilateral = self.bilateral or _bilateral(ev.evidence)
        self.statuses.append(ev.status)
        self.modes.append(ev.mode)
        for m in ev.evidence:
            self.evidence.append(m if m.status else replace(m, status=ev.status))
            self.articles.add(m.article_id)

    def event(self) -> Event:
        status: Status = min(self.statuses, key=lambda s: _STATUS_ORDER[s])  # type: ignore[assignment]
        mode = "remote" if self.modes.count("remote") >= len(self.modes) / 2 else "in-person"
        parts = tuple(sorted(self.participants.values(), key=lambda a: a.name))
        ev = Event(parts, self.place, self.date, status, mode, tuple(self.evidence))  # type: ignore[arg-type]
        return ev.with_(id=event_iri(ev))


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return False
    if a.geonames is not None and a.geonames == b.geonames:
        return True
    if _within(a, b) or _within(b, a):
        return True  # "Anchorage" and "Alaska"

    def own(p: Place) -> set[str]:  # a place's names without the region it lies in
        return {n.casefold() for n in p.names() if n != p.region or p.name == p.region}

    return bool(own(a) & own(b))


def _within(a: Place, b: Place) -> bool:
    """Place a lies in region b (b is the region itself, not a city in it)."""
    return b.name == b.region and a.region is not None and a.region.casefold() == b.name.casefold()


def _same_meeting(c: _Cluster, ev: Event) -> bool:
    if {m.article_id for m in ev.evidence} & c.articles:
        return False  # the article's own extraction already told these meetings apart
    if ev.mode not in c.modes:
        return False  # a call and a visit are two meetings
    keys = {actor_key(a) for a in ev.participants}
    shared = len(keys & set(c.participants))
    if shared < 2 and not (shared == len(keys) == len(c.participants)):
        return False
    if (len(keys) == 2 and len(c.participants) > 2 and _bilateral(ev.evidence)) or (
            len(c.participants) == 2 and len(keys) > 2 and c.bilateral):
        return False  # a bilateral on the sidelines of a summit is not the summit
    if c.date is None or ev.date is None:
        # an undated mention joins only the same people at the same place ("the summit in Alaska")
        return keys == set(c.participants) and _same_place(c.place, ev.location)
    if c.date.compatible(ev.date):
        return True
    # the same people a day apart, at the same place or where one report names none: the same meeting
    # told from two time zones, or a late-night meeting dated by its start and by its end
    return (keys == set(c.participants) and _one_day_apart(c.date, ev.date)
            and (c.place is None or ev.location is None or _same_place(c.place, ev.location)))


def _bilateral(evidence: Iterable[Mention]) -> bool:
    """A report told the meeting as two sides only ("a bilateral meeting", "one-on-one")."""
    return any(rule.startswith("shape.bilateral") for m in evidence for rule, _ in m.rules)


def _one_day_apart(a: PartialDate, b: PartialDate) -> bool:
    da, db = a.as_date(), b.as_date()
    return da is not None and db is not None and abs((da - db).days) == 1


def blocking_keys(event: Event) -> list[frozenset[str]]:
    """The participant pairs of a mention: two mentions can be one meeting only if they share one.

    >>> sorted(sorted(k) for k in blocking_keys(Event((Actor("A B"), Actor("C D"), Actor("E F")), None, None)))
    [['a-b', 'c-d'], ['a-b', 'e-f'], ['c-d', 'e-f']]
    """
    keys = sorted({actor_key(a) for a in event.participants})
    return [frozenset(p) for p in itertools.combinations(keys, 2)]


class Components:
    """Union-find over blocking keys: which mentions can ever end up in the same meeting."""

    def __init__(self) -> None:
        self.ids: dict[frozenset[str], int] = {}
        self.parent: list[int] = []

    def _id(self, key: frozenset[str]) -> int:
        i = self.ids.get(key)
        if i is None:
            i = self.ids[key] = len(self.parent)
            self.parent.append(i)
        return i

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def add(self, keys: list[frozenset[str]]) -> int:
        """Join the keys of one mention; returns the id of its first key (a new id when it has none)."""
        if not keys:
            self.parent.append(len(self.parent))
            return len(self.parent) - 1
        ids = [self._id(k) for k in keys]
        root = self.find(ids[0])
        for i in ids[1:]:
            r = self.find(i)
            if r != root:
                self.parent[r] = root
        return ids[0]


def merge_numbered(items: Iterable[tuple[int, Event]]) -> list[tuple[int, Event]]:
    """``merge`` over numbered mentions, each meeting with the number of its first mention.

    Mentions that share no blocking key, directly or through other mentions, never affect each
    other's merge; so merging each such group alone (as :mod:`kg.distributed` does) and sorting
    the meetings by these numbers gives exactly ``merge`` of the whole stream.

    Args:
        items: ``(number, mention)`` in increasing number order.
    """
    clusters: list[_Cluster] = []
    first: list[int] = []
    index: dict[frozenset[str], list[int]] = {}
    for n, ev in items:
        pairs = blocking_keys(ev)
        cands = sorted({i for p in pairs for i in index.get(p, ())})
        target = next((i for i in cands if _same_meeting(clusters[i], ev)), None)
        if target is None:
            clusters.append(_Cluster())
            first.append(n)
            target = len(clusters) - 1
        clusters[target].add(ev)
        for p in pairs:
            bucket = index.setdefault(p, [])
            if target not in bucket:
                bucket.append(target)
    del index
    out = []
    for i, n in enumerate(first):  # each cluster let go once its event is made: no double peak
        out.append((n, clusters[i].event()))
        clusters[i] = None  # type: ignore[call-overload]
    return out


def merge(events: Iterable[Event]) -> list[Event]:
    """One event per real-world meeting, listing every source, in first-seen order.

    Args:
        events: meeting mentions, in any order (typically ``extract``'s output).

    Returns:
        Merged events, each with a stable ``id`` derived from its participants and date.
    """
    return [e for _, e in merge_numbered(enumerate(events))]


__all__ = ["Components", "blocking_keys", "merge", "merge_numbered"]
