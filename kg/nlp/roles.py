"""Who came to whom: the PLOVER CONSULT kind of a meeting, its visitor and host, and the
roles each article gave the participants.

PLOVER (the event ontology that succeeded CAMEO) splits CONSULT into four modes:

- ``phone``: the participants talked by telephone or video (kg's ``remote`` mode);
- ``multilateral``: three or more participants met;
- ``visit``: two participants met in the country of one of them, so the other travelled;
- ``third-party``: two participants met in a country that is neither's.

The kind follows from the mode, the participants and the place (:func:`meeting_kind`); a kind
that the event does not settle (a country missing, both from the same country) is ``None``.
Who travelled needs a little more: :func:`consult` names the visitor and the host of a visit
only when one of its source sentences says that someone travelled, with a cue word of the
sentence's language (``roles.toml`` in the language pack: "visit", "kunjungan", "визит*").

>>> from kg.model import Actor, Event, Mention, Place
>>> e = Event((Actor("Sergei Lavrov", country="RU"), Actor("Sugiono", country="ID")),
...           Place("Jakarta", country="ID"), None,
...           evidence=(Mention("a", 0, 40, "Lavrov arrived in Jakarta for a visit.", lang="en"),))
>>> c = consult(e)
>>> c.kind, [a.name for a in c.visitors], [a.name for a in c.hosts]
('visit', ['Sergei Lavrov'], ['Sugiono'])
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from kg.model import Actor, Event

Kind = Literal["visit", "third-party", "multilateral", "phone"]
KINDS: tuple[Kind, ...] = ("visit", "third-party", "multilateral", "phone")


@dataclass(frozen=True, slots=True)
class Consult:
    """The CONSULT kind of one meeting and, for a visit the text describes, who came to whom."""

    kind: Kind | None
    visitors: tuple[Actor, ...] = ()
    hosts: tuple[Actor, ...] = ()


@lru_cache(maxsize=32)
def travel_cues(lang: str | None) -> re.Pattern[str] | None:
    """The pattern of the words that say someone travelled, from the pack's ``roles.toml``.

    A cue ending in ``*`` matches any word it begins (``визит*`` finds визита, визитом).
    Returns ``None`` for a language without a pack or without the file.

    >>> bool(travel_cues("en").search("a state visit to Moscow"))
    True
    """
    if not lang:
        return None
    from kg.errors import KgError
    from kg.langs import get_pack

    try:
        pack = get_pack(lang)
    except KgError:
        return None
    path = pack.path / "roles.toml"
    if not path.is_file():
        return None
    with path.open("rb") as f:
        data = tomllib.load(f)
    cues = [str(c).strip().lower() for c in data.get("travel", []) if str(c).strip()]
    if not cues:
        return None
    parts = [re.escape(c[:-1]) + r"\w*" if c.endswith("*") else re.escape(c) + r"(?!\w)" for c in cues]
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")", re.IGNORECASE)


def meeting_kind(event: Event) -> Kind | None:
    """The PLOVER CONSULT mode of a meeting, from its mode, participants and place.

    >>> from kg.model import Actor, Event
    >>> meeting_kind(Event((Actor("A"), Actor("B"), Actor("C")), None, None))
    'multilateral'
    """
    if event.mode == "remote":
        return "phone"
    if len(event.participants) >= 3:
        return "multilateral"
    where = event.location.country if event.location is not None else None
    countries = [a.country for a in event.participants]
    if where is None or None in countries or countries[0] == countries[1]:
        return None
    return "visit" if where in countries else "third-party"


def consult(event: Event) -> Consult:
    """The kind of a meeting, with visitor and host when it is a visit a source sentence describes.

    The host is the participant whose country the meeting was held in; the visitor, the other.
    Both are named only when a source sentence has a travel cue of its own language.
    """
    kind = meeting_kind(event)
    if kind != "visit" or event.location is None:
        return Consult(kind)
    said = False
    for m in event.evidence:
        pattern = travel_cues(m.lang)
        if pattern is not None and pattern.search(m.text):
            said = True
            break
    if not said:
        return Consult(kind)
    where = event.location.country
    hosts = tuple(a for a in event.participants if a.country == where)
    visitors = tuple(a for a in event.participants if a.country != where)
    return Consult(kind, visitors, hosts)


def stated_roles(event: Event) -> Event:
    """The event with each source sentence carrying the roles its article gave the participants.

    A mention event comes from one article, so its participants' roles are what that article
    said (as the pack's titles name the office: "Menlu" reads "Minister of Foreign Affairs");
    kept on each :class:`~kg.model.Mention`, they survive merging, where one actor ends up
    with one role. Mentions that already carry roles are left
    as they are.

    >>> from kg.model import Actor, Event, Mention
    >>> e = stated_roles(Event((Actor("Sergei Lavrov", role="Foreign Minister"), Actor("B")), None, None,
    ...                        evidence=(Mention("a", 0, 5, "x"),)))
    >>> e.evidence[0].roles
    (('Sergei Lavrov', 'Foreign Minister'),)
    """
    roles = tuple((a.name, a.role) for a in event.participants if a.role)
    if not roles or all(m.roles for m in event.evidence):
        return event
    return event.with_(evidence=tuple(m if m.roles else _with_roles(m, roles) for m in event.evidence))


def _with_roles(mention: object, roles: tuple[tuple[str, str], ...]) -> object:
    from dataclasses import replace

    return replace(mention, roles=roles)  # type: ignore[type-var]


__all__ = ["KINDS", "Consult", "Kind", "consult", "meeting_kind", "stated_roles", "travel_cues"]
