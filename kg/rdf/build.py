"""Events to RDF: one ``kg:Meeting`` node per meeting, never an actor–actor edge.

Each meeting links to its participants (``sem:hasActor``), its place (``sem:hasPlace``),
its date with an explicit precision, its status and mode, and one ``kg:SourceMention`` per
source sentence (``prov:wasDerivedFrom``), which is quoted from an article
(``prov:wasQuotedFrom``). Each unordered pair of its participants is a ``kg:ActorPair`` node
(``kg:pair``), so who-met-whom counts pairs without a self-join. The terms are those of
``ontologies/kg.ttl``; the graph satisfies ``ontologies/shapes.ttl`` (see :func:`kg.rdf.shacl.validate`).

>>> from kg.model import Actor, Event, Mention
>>> e = Event((Actor("Sergei Lavrov"), Actor("Marco Rubio")), None, None,
...           evidence=(Mention("a1", 0, 24, "Lavrov met Rubio today."),))
>>> g = to_rdf([e])
>>> len(list(g.subjects(RDF.type, KG.Meeting)))
1
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Hashable, Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.graph import place_label
from kg.ids import BASE, actor_iri, article_iri, event_iri, place_iri, slug
from kg.model import Actor, Event, Mention, PartialDate, Place
from kg.nlp.roles import consult
from kg.rdf.namespaces import (
    GEO,
    GNID,
    KG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SEM,
    TIME,
    WD,
    XSD,
    bind_prefixes,
    new_graph,
)

#: The individual for each ``Event.status``.
STATUS: dict[str, URIRef] = {"occurred": KG.Occurred, "planned": KG.Planned, "cancelled": KG.Cancelled}
#: The individual for each ``Event.mode``.
MODE: dict[str, URIRef] = {"in-person": KG.InPerson, "remote": KG.Remote}
#: The individual for each ``PartialDate.precision``.
PRECISION: dict[str, URIRef] = {"day": KG.DayPrecision, "month": KG.MonthPrecision, "year": KG.YearPrecision}
#: The individual for each PLOVER CONSULT kind (:func:`kg.nlp.roles.meeting_kind`).
KIND: dict[str, URIRef] = {
    "visit": KG.Visit,
    "third-party": KG.ThirdParty,
    "multilateral": KG.Multilateral,
    "phone": KG.Phone,
}
#: The curated Wikidata ids (``name,type,wikidata``): owl:sameAs only where certain. The build
#: works without the file.
WIKIDATA_FILE = Path(__file__).resolve().parents[2] / "data" / "wikidata-actors.csv"
#: The schema.org class for each ``Actor.type`` (every actor is also a ``sem:Actor``).
ACTOR_CLASS: dict[str, URIRef] = {
    "person": SCHEMA.Person,
    "country": SCHEMA.Country,
    "organization": SCHEMA.Organization,
}

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")

Triple = tuple[Node, Node, Node]


def meeting_iri(event: Event) -> URIRef:
    """The IRI of an event's meeting node: ``event.id`` when merge set it, else derived.

    Args:
        event: The event.

    Returns:
        ``event.id`` if set, otherwise :func:`kg.ids.event_iri`.

    Raises:
        ValueError: ``event.id`` is set but is not an absolute IRI.

    >>> from kg.model import Actor
    >>> meeting_iri(Event((Actor("A B"), Actor("C D")), None, PartialDate(2025, 9)))
    rdflib.term.URIRef('https://w3id.org/kg/id/meeting/a-b-c-d-2025-09')
    """
    if event.id is None:
        return URIRef(event_iri(event))
    if not _SCHEME_RE.match(event.id):
        raise ValueError(f"event id must be an absolute IRI, got {event.id!r}")
    return URIRef(event.id)


def mention_iri(meeting: URIRef, mention: Mention) -> URIRef:
    """The IRI of one source sentence of one meeting.

    Scoped by the meeting because the status a sentence reports belongs to a meeting (one
    sentence can report two meetings, one held and one planned).

    Args:
        meeting: The meeting's IRI.
        mention: The source sentence.

    Returns:
        ``<meeting>#source-<article>-<start>-<end>``.

    >>> mention_iri(URIRef("https://w3id.org/kg/id/meeting/x"), Mention("a 1", 3, 9, "text"))
    rdflib.term.URIRef('https://w3id.org/kg/id/meeting/x#source-a-1-3-9')
    """
    article_key = article_iri(mention.article_id).rsplit("/", 1)[1]
    return URIRef(f"{meeting}#source-{article_key}-{mention.start}-{mention.end}")


def date_literal(date: PartialDate) -> Literal:
    """The typed literal for a partial date: ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``.

    Args:
        date: The date.

    Returns:
        A literal whose datatype matches ``date.precision``.

    >>> date_literal(PartialDate(2025, 9)).datatype == XSD.gYearMonth
    True
    """
    exact = date.as_date()
    if exact is not None:
        return Literal(exact, datatype=XSD.date)
    return Literal(date.iso(), datatype=XSD.gYearMonth if date.month else XSD.gYear)


def _last_day(date: PartialDate) -> Literal:
    if date.day is not None:
        return Literal(date.as_date(), datatype=XSD.date)
    month = date.month or 12
    day = calendar.monthrange(date.year, month)[1]
    return Literal(f"{date.year:04d}-{month:02d}-{day:02d}", datatype=XSD.date)


def curated_wikidata(path: Path | None = None) -> dict[tuple[str, str], str]:
    """The curated Wikidata ids by (canonical name, actor type); empty when the file is missing.

    Args:
        path: The CSV file (``name,type,wikidata``); :data:`WIKIDATA_FILE` by default.

    >>> curated_wikidata(Path("/nonexistent.csv"))
    {}
    >>> curated_wikidata()[("Vladimir Putin", "person")]
    'Q7747'
    """
    return _read_wikidata(path or WIKIDATA_FILE)


@lru_cache(maxsize=4)
def _read_wikidata(path: Path) -> dict[tuple[str, str], str]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {
            (row["name"].strip(), row["type"].strip()): row["wikidata"].strip()
            for row in csv.DictReader(f)
            if _QID_RE.match(row.get("wikidata", "").strip())
        }


def _decimal(value: float) -> Literal:
    return Literal(Decimal(repr(value)), datatype=XSD.decimal)


# Terms used for every meeting, looked up once (a DefinedNamespace lookup is not free).
_TYPE, _LABEL = RDF.type, RDFS.label
_MEETING, _SEM_EVENT, _SCHEMA_EVENT = KG.Meeting, SEM.Event, SCHEMA.Event
_HAS_ACTOR, _HAS_PLACE = SEM.hasActor, SEM.hasPlace
_DATE, _DATE_PRECISION = KG.date, KG.datePrecision
_BEGIN, _END = SEM.hasEarliestBeginTimeStamp, SEM.hasLatestEndTimeStamp
_STATUS, _MODE = KG.status, KG.mode
_DERIVED, _QUOTED = PROV.wasDerivedFrom, PROV.wasQuotedFrom
_SOURCE, _ENTITY, _ARTICLE = KG.SourceMention, PROV.Entity, SCHEMA.NewsArticle
_TEXT, _START, _STOP, _REPORTED = KG.text, KG.start, KG.end, KG.reportedStatus
_LANGUAGE, _IDENTIFIER, _URL = SCHEMA.inLanguage, SCHEMA.identifier, SCHEMA.url
_PAIR, _ACTOR_PAIR, _FIRST, _SECOND = KG.pair, KG.ActorPair, KG.firstActor, KG.secondActor


@lru_cache(maxsize=65536)
def _actor_node(actor: Actor) -> URIRef:
    return URIRef(actor_iri(actor))


@lru_cache(maxsize=65536)
def _article_node(article_id: str) -> URIRef:
    return URIRef(article_iri(article_id))


@lru_cache(maxsize=16384)
def _date_terms(date: PartialDate) -> tuple[Literal, URIRef, Literal, Literal]:
    first = Literal(date.first_day(), datatype=XSD.date)
    return date_literal(date), PRECISION[date.precision], first, _last_day(date)


def _actor_triples(node: URIRef, actor: Actor) -> Iterable[Triple]:
    yield node, _TYPE, SEM.Actor
    yield node, _TYPE, ACTOR_CLASS[actor.type]
    name = Literal(actor.name)
    yield node, _LABEL, name
    yield node, SCHEMA.name, name
    if actor.country:
        yield node, KG.countryCode, Literal(actor.country)
    if actor.role:
        yield node, SCHEMA.jobTitle, Literal(actor.role)
    qid = actor.wikidata if actor.wikidata and _QID_RE.match(actor.wikidata) else None
    qid = qid or curated_wikidata().get((actor.name, actor.type))
    if qid:
        yield node, OWL.sameAs, WD[qid]


@lru_cache(maxsize=65536)
def pair_iri(a: str, b: str) -> URIRef:
    """The IRI of an unordered pair of actors, from their two IRIs (the same either way round).

    >>> pair_iri("https://w3id.org/kg/id/person/sergei-lavrov", "https://w3id.org/kg/id/person/marco-rubio")
    rdflib.term.URIRef('https://w3id.org/kg/id/pair/person/marco-rubio/person/sergei-lavrov')
    """
    first, second = sorted((str(a), str(b)))
    keys = [x[len(BASE):] if x.startswith(BASE) else slug(x) for x in (first, second)]
    return URIRef(f"{BASE}pair/{keys[0]}/{keys[1]}")


def meeting_pairs(actors: Iterable[URIRef]) -> list[tuple[URIRef, URIRef]]:
    """Each unordered pair of distinct actor IRIs, as ``(first, second)`` in IRI order.

    >>> [(str(a)[-1], str(b)[-1]) for a, b in meeting_pairs([URIRef("x:c"), URIRef("x:a"), URIRef("x:b")])]
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    nodes = sorted(set(actors), key=str)
    return [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]]


def pair_triples(first: URIRef, second: URIRef) -> Iterable[Triple]:
    """The description of one pair of actors who share a meeting (``kg:ActorPair``): its two
    actors in IRI order. Meetings link to it with ``kg:pair``.

    >>> len(list(pair_triples(URIRef("https://w3id.org/kg/id/person/a"), URIRef("https://w3id.org/kg/id/person/b"))))
    3
    """
    first, second = sorted((first, second), key=str)
    node = pair_iri(first, second)
    yield node, _TYPE, _ACTOR_PAIR
    yield node, _FIRST, first
    yield node, _SECOND, second


def _place_triples(node: URIRef, place: Place) -> Iterable[Triple]:
    yield node, _TYPE, SEM.Place
    yield node, _TYPE, SCHEMA.Place
    yield node, _LABEL, Literal(place_label(place))
    yield node, SCHEMA.name, Literal(place.venue or place.name)
    if place.venue:
        yield node, KG.venue, Literal(place.venue)
    if place.city:
        yield node, KG.city, Literal(place.city)
    if place.region:
        yield node, KG.region, Literal(place.region)
    for alias in place.aliases:
        yield node, SCHEMA.alternateName, Literal(alias)
    if place.country:
        yield node, KG.countryCode, Literal(place.country)
    if place.lat is not None and place.lon is not None:
        lat, lon = _decimal(place.lat), _decimal(place.lon)
        yield node, GEO.lat, lat
        yield node, GEO.long, lon
        yield node, SCHEMA.latitude, lat
        yield node, SCHEMA.longitude, lon
    if place.geonames:
        yield node, KG.geonames, GNID[f"{place.geonames}/"]


def _mention_triples(
    meeting: URIRef, mention: Mention, seen: set[Hashable], actors: dict[str, URIRef] | None = None
) -> Iterable[Triple]:
    node = mention_iri(meeting, mention)
    article = _article_node(mention.article_id)
    lang = mention.lang if mention.lang and _LANG_RE.match(mention.lang) else None
    yield meeting, _DERIVED, node
    yield node, _TYPE, _SOURCE
    yield node, _TYPE, _ENTITY
    yield node, _TEXT, Literal(mention.text, lang=lang)
    yield node, _START, Literal(mention.start, datatype=XSD.integer)
    yield node, _STOP, Literal(mention.end, datatype=XSD.integer)
    yield node, _QUOTED, article
    if mention.status:
        yield node, _REPORTED, STATUS[mention.status]
    if lang:
        yield node, _LANGUAGE, Literal(lang)
    for name, role in mention.roles:
        actor = (actors or {}).get(name)
        if actor is None or not role.strip():
            continue
        statement = URIRef(f"{node}-role-{slug(name)}")
        yield statement, _TYPE, KG.RoleStatement
        yield statement, KG.roleOf, actor
        yield statement, KG.roleText, Literal(role)
        yield statement, PROV.wasDerivedFrom, node
        stated = _stated_on(mention)
        if stated is not None:
            yield statement, KG.statedOn, stated
    key = ("article", mention.article_id, mention.url)
    if key not in seen:
        seen.add(key)
        yield from article_triples(mention.article_id, mention.url)


def _stated_on(mention: Mention) -> Literal | None:
    """The day an article stated something: its publication date, when the mention knows it."""
    text = (mention.published or "")[:10]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    return None


def _time_triples(meeting: URIRef, date: PartialDate, first: Literal, last: Literal) -> Iterable[Triple]:
    """OWL-Time for a meeting's date: an instant for a day, a proper interval for a month or year."""
    when = URIRef(f"{meeting}#time")
    yield meeting, TIME.hasTime, when
    if date.precision == "day":
        yield when, _TYPE, TIME.Instant
        yield when, TIME.inXSDDate, first
        return
    begin, end = URIRef(f"{meeting}#time-begin"), URIRef(f"{meeting}#time-end")
    yield when, _TYPE, TIME.ProperInterval
    yield when, TIME.hasBeginning, begin
    yield when, TIME.hasEnd, end
    yield begin, _TYPE, TIME.Instant
    yield begin, TIME.inXSDDate, first
    yield end, _TYPE, TIME.Instant
    yield end, TIME.inXSDDate, last


def article_triples(article_id: str, url: str | None = None) -> Iterable[Triple]:
    """The description of one article: its types, its id and (when known) its address.

    >>> len(list(article_triples("a1", "https://example.org/1")))
    4
    """
    article = _article_node(article_id)
    yield article, _TYPE, _ENTITY
    yield article, _TYPE, _ARTICLE
    yield article, _IDENTIFIER, Literal(article_id)
    if url:
        yield article, _URL, Literal(url, datatype=XSD.anyURI)


def actor_triples(actor: Actor) -> Iterable[Triple]:
    """The description of one actor (types, names, country, role, Wikidata link).

    >>> len(list(actor_triples(Actor("Sugiono", country="ID"))))
    5
    """
    return _actor_triples(_actor_node(actor), actor)


def place_triples(place: Place) -> Iterable[Triple]:
    """The description of one place (types, names, country, coordinates, GeoNames link).

    >>> len(list(place_triples(Place("Jakarta", country="ID"))))
    5
    """
    return _place_triples(URIRef(place_iri(place)), place)


def event_triples(event: Event, *, seen: set[Hashable] | None = None) -> Iterable[Triple]:
    """The triples of one meeting, its participants, place, sources and articles.

    Args:
        event: The meeting.
        seen: What was already described by earlier calls (actors, places, pairs, articles): those
            get only the link from this meeting. Updated in place. ``None`` describes
            everything. Keyed by value, not IRI: the same person with another role adds
            that role.

    Returns:
        An iterator of ``(subject, predicate, object)`` rdflib terms.

    Raises:
        ValueError: ``event.id`` is set but is not an absolute IRI.
    """
    seen = set() if seen is None else seen
    node = meeting_iri(event)
    yield node, _TYPE, _MEETING
    yield node, _TYPE, _SEM_EVENT
    yield node, _TYPE, _SCHEMA_EVENT

    names = sorted({a.name for a in event.participants})
    label = " – ".join(names) + (f" ({event.date.iso()})" if event.date else "")
    yield node, _LABEL, Literal(label)

    actors: dict[str, URIRef] = {}
    for actor in event.participants:
        actor_node = _actor_node(actor)
        actors[actor.name] = actor_node
        yield node, _HAS_ACTOR, actor_node
        if actor not in seen:
            seen.add(actor)
            yield from _actor_triples(actor_node, actor)

    for first, second in meeting_pairs(_actor_node(a) for a in event.participants):
        pair_node = pair_iri(first, second)
        yield node, _PAIR, pair_node
        key = ("pair", pair_node)
        if key not in seen:
            seen.add(key)
            yield from pair_triples(first, second)

    if event.location is not None:
        place_node = URIRef(place_iri(event.location))
        yield node, _HAS_PLACE, place_node
        if event.location not in seen:
            seen.add(event.location)
            yield from _place_triples(place_node, event.location)

    if event.date is not None:
        value, precision, first, last = _date_terms(event.date)
        yield node, _DATE, value
        yield node, _DATE_PRECISION, precision
        yield node, _BEGIN, first
        yield node, _END, last
        yield from _time_triples(node, event.date, first, last)

    yield node, _STATUS, STATUS[event.status]
    yield node, _MODE, MODE[event.mode]
    kind = consult(event)
    if kind.kind is not None:
        yield node, KG.kind, KIND[kind.kind]
    for actor in kind.visitors:
        yield node, KG.visitor, actors[actor.name]
    for actor in kind.hosts:
        yield node, KG.host, actors[actor.name]

    done: set[tuple[str, int, int]] = set()
    for mention in event.evidence:
        key = (mention.article_id, mention.start, mention.end)
        if key not in done:  # the same sentence twice is one source
            done.add(key)
            yield from _mention_triples(node, mention, seen, actors)


def to_rdf(events: Iterable[Event], *, graph: Graph | None = None) -> Graph:
    """Build the RDF graph of a set of meetings.

    Args:
        events: The meetings, merged (one ``Event`` per real-world meeting). An unmerged
            duplicate gets the same IRI and its triples pile onto the same node.
        graph: A graph to add to (its own prefixes are kept; kg's are bound where free).
            ``None`` starts from :func:`kg.rdf.namespaces.new_graph`.

    Returns:
        The graph, with one ``kg:Meeting`` per event.

    Raises:
        ValueError: An ``event.id`` is set but is not an absolute IRI.

    >>> to_rdf([]).namespace_manager.expand_curie("kg:Meeting") == KG.Meeting
    True
    """
    g = new_graph() if graph is None else bind_prefixes(graph)
    seen: set[Hashable] = set()
    add = g.add
    for event in events:
        for triple in event_triples(event, seen=seen):
            add(triple)
    return g


__all__ = [
    "ACTOR_CLASS",
    "KIND",
    "WIKIDATA_FILE",
    "curated_wikidata",
    "actor_triples",
    "article_triples",
    "place_triples",
    "meeting_pairs",
    "pair_iri",
    "pair_triples",
    "MODE",
    "PRECISION",
    "STATUS",
    "date_literal",
    "event_triples",
    "meeting_iri",
    "mention_iri",
    "to_rdf",
]
