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
import datetime as dt
import re
from collections.abc import Hashable, Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
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
"""A triple of rdflib terms (what :func:`event_triples` and :func:`to_rdf` give)."""
OxTerm = ox.NamedNode | ox.Literal
OxTriple = tuple[ox.NamedNode, ox.NamedNode, OxTerm]
"""A triple of pyoxigraph terms (what the ``ox_*`` functions give: the store; graph.ttl is written
as text from the same values by :mod:`kg.rdf.text`)."""


# --------------------------------------------------------------------------- terms
#
# The triples are made of pyoxigraph terms: building an rdflib ``Literal`` costs 5 to 10 µs
# (it parses and normalises its value), a pyoxigraph one about 0.6 µs, and the store takes
# pyoxigraph terms anyway (graph.ttl skips terms: kg.rdf.text). The rdflib API
# (``event_triples``, ``to_rdf``, ``actor_triples`` ...) converts them (:func:`to_rdflib`).


@lru_cache(maxsize=4096)
def _named(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _n(term: URIRef) -> ox.NamedNode:
    return _named(str(term))


_XSD_STRING = str(XSD.string)
_XSD_INTEGER, _XSD_DATE, _XSD_DECIMAL, _XSD_ANY_URI = (_n(XSD.integer), _n(XSD.date), _n(XSD.decimal),
                                                        _n(XSD.anyURI))
_XSD_GYEAR_MONTH, _XSD_GYEAR = _n(XSD.gYearMonth), _n(XSD.gYear)


def to_rdflib(term: OxTerm) -> URIRef | Literal:
    """A pyoxigraph IRI or literal as the equal rdflib term.

    >>> to_rdflib(ox.Literal("2025-09", datatype=ox.NamedNode(str(XSD.gYearMonth)))) == Literal("2025-09", datatype=XSD.gYearMonth)
    True
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))


def _rdflib_triples(triples: Iterable[OxTriple]) -> Iterator[Triple]:
    for s, p, o in triples:
        yield to_rdflib(s), to_rdflib(p), to_rdflib(o)


def _value(node: URIRef | ox.NamedNode) -> str:
    return node.value if isinstance(node, ox.NamedNode) else str(node)


def integer_literal(value: int) -> ox.Literal:
    """An ``xsd:integer`` pyoxigraph literal (counts and offsets in the graph and the store).

    >>> str(integer_literal(3))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    return ox.Literal(str(value), datatype=_XSD_INTEGER)


def _day(value: dt.date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_XSD_DATE)


@lru_cache(maxsize=256)
def _language(tag: str | None) -> str | None:
    """``tag`` in lower case when it is a language tag pyoxigraph accepts, else None."""
    if not tag or not _LANG_RE.match(tag):
        return None
    try:
        ox.Literal("", language=tag.lower())
    except ValueError:
        return None
    return tag.lower()


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
    return URIRef(_meeting_value(event))


def _meeting_value(event: Event) -> str:
    if event.id is None:
        return event_iri(event)
    if not _SCHEME_RE.match(event.id) or "#" in event.id:
        raise ValueError(f"event id must be an absolute IRI without a fragment (#), got {event.id!r}")
    return event.id


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
    rdflib.term.URIRef('https://w3id.org/kg/id/meeting/x#source-a%201-3-9')
    """
    return URIRef(_mention_value(_value(meeting), mention))


def _mention_value(meeting: str, mention: Mention) -> str:
    article_key = article_iri(mention.article_id).rsplit("/", 1)[1]
    return f"{meeting}#source-{article_key}-{mention.start}-{mention.end}"


def date_literal(date: PartialDate) -> Literal:
    """The typed literal for a partial date: ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``.

    Args:
        date: The date.

    Returns:
        A literal whose datatype matches ``date.precision``.

    >>> date_literal(PartialDate(2025, 9)).datatype == XSD.gYearMonth
    True
    """
    return to_rdflib(_date_terms(date)[0])  # type: ignore[return-value]


def _last_day(date: PartialDate) -> ox.Literal:
    exact = date.as_date()
    if exact is not None:
        return _day(exact)
    month = date.month or 12
    day = calendar.monthrange(date.year, month)[1]
    return ox.Literal(f"{date.year:04d}-{month:02d}-{day:02d}", datatype=_XSD_DATE)


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


@lru_cache(maxsize=65536)
def _decimal(value: float) -> ox.Literal:
    """An ``xsd:decimal`` in its canonical form (the one the store keeps: no exponent, no
    trailing zeros, no ``.0``), so graph.ttl and the store hold the same literal.

    >>> [_decimal(v).value for v in (-150.0, 1e-05, 106.8456, -0.0)]
    ['-150', '0.00001', '106.8456', '0']
    """
    lexical = format(Decimal(repr(value)), "f")
    if "." in lexical:
        lexical = lexical.rstrip("0").rstrip(".")
    return ox.Literal("0" if lexical in ("-0", "") else lexical, datatype=_XSD_DECIMAL)


# Terms used for every meeting, made once.
_TYPE, _LABEL = _n(RDF.type), _n(RDFS.label)
_MEETING, _SEM_EVENT, _SCHEMA_EVENT = _n(KG.Meeting), _n(SEM.Event), _n(SCHEMA.Event)
_HAS_ACTOR, _HAS_PLACE = _n(SEM.hasActor), _n(SEM.hasPlace)
_DATE, _DATE_PRECISION = _n(KG.date), _n(KG.datePrecision)
_BEGIN, _END = _n(SEM.hasEarliestBeginTimeStamp), _n(SEM.hasLatestEndTimeStamp)
_STATUS, _MODE = _n(KG.status), _n(KG.mode)
_DERIVED, _QUOTED = _n(PROV.wasDerivedFrom), _n(PROV.wasQuotedFrom)
_SOURCE, _ENTITY, _ARTICLE = _n(KG.SourceMention), _n(PROV.Entity), _n(SCHEMA.NewsArticle)
_TEXT, _START, _STOP, _REPORTED = _n(KG.text), _n(KG.start), _n(KG.end), _n(KG.reportedStatus)
_LANGUAGE, _IDENTIFIER, _URL = _n(SCHEMA.inLanguage), _n(SCHEMA.identifier), _n(SCHEMA.url)
_PAIR, _ACTOR_PAIR, _FIRST, _SECOND = _n(KG.pair), _n(KG.ActorPair), _n(KG.firstActor), _n(KG.secondActor)
_SEM_ACTOR, _NAME, _COUNTRY, _JOB, _SAME = (_n(SEM.Actor), _n(SCHEMA.name), _n(KG.countryCode),
                                            _n(SCHEMA.jobTitle), _n(OWL.sameAs))
_SEM_PLACE, _SCHEMA_PLACE, _VENUE, _CITY, _REGION, _ALIAS = (_n(SEM.Place), _n(SCHEMA.Place), _n(KG.venue),
                                                             _n(KG.city), _n(KG.region), _n(SCHEMA.alternateName))
_LAT, _LONG, _LATITUDE, _LONGITUDE, _GEONAMES = (_n(GEO.lat), _n(GEO.long), _n(SCHEMA.latitude),
                                                 _n(SCHEMA.longitude), _n(KG.geonames))
_ROLE_STATEMENT, _ROLE_OF, _ROLE_TEXT, _STATED_ON = (_n(KG.RoleStatement), _n(KG.roleOf), _n(KG.roleText),
                                                     _n(KG.statedOn))
_HAS_TIME, _INSTANT, _INTERVAL, _IN_DATE, _HAS_BEGINNING, _HAS_END = (
    _n(TIME.hasTime), _n(TIME.Instant), _n(TIME.ProperInterval), _n(TIME.inXSDDate), _n(TIME.hasBeginning),
    _n(TIME.hasEnd))
_KIND, _VISITOR, _HOST = _n(KG.kind), _n(KG.visitor), _n(KG.host)
_OX_STATUS = {k: _n(v) for k, v in STATUS.items()}
_OX_MODE = {k: _n(v) for k, v in MODE.items()}
_OX_PRECISION = {k: _n(v) for k, v in PRECISION.items()}
_OX_KIND = {k: _n(v) for k, v in KIND.items()}
_OX_ACTOR_CLASS = {k: _n(v) for k, v in ACTOR_CLASS.items()}


@lru_cache(maxsize=65536)
def _actor_node(actor: Actor) -> ox.NamedNode:
    return ox.NamedNode(actor_iri(actor))


@lru_cache(maxsize=65536)
def _article_node(article_id: str) -> ox.NamedNode:
    return ox.NamedNode(article_iri(article_id))


@lru_cache(maxsize=16384)
def _date_terms(date: PartialDate) -> tuple[ox.Literal, ox.NamedNode, ox.Literal, ox.Literal]:
    exact = date.as_date()
    if exact is not None:
        value = _day(exact)
    else:
        value = ox.Literal(date.iso(), datatype=_XSD_GYEAR_MONTH if date.month else _XSD_GYEAR)
    return value, _OX_PRECISION[date.precision], _day(date.first_day()), _last_day(date)


def _actor_triples(node: ox.NamedNode, actor: Actor) -> Iterator[OxTriple]:
    yield node, _TYPE, _SEM_ACTOR
    yield node, _TYPE, _OX_ACTOR_CLASS[actor.type]
    name = ox.Literal(actor.name)
    yield node, _LABEL, name
    yield node, _NAME, name
    if actor.country:
        yield node, _COUNTRY, ox.Literal(actor.country)
    if actor.role:
        yield node, _JOB, ox.Literal(actor.role)
    qid = actor.wikidata if actor.wikidata and _QID_RE.match(actor.wikidata) else None
    qid = qid or curated_wikidata().get((actor.name, actor.type))
    if qid:
        yield node, _SAME, _n(WD[qid])


def pair_iri(a: str, b: str) -> URIRef:
    """The IRI of an unordered pair of actors, from their two IRIs (the same either way round).

    >>> pair_iri("https://w3id.org/kg/id/person/sergei-lavrov", "https://w3id.org/kg/id/person/marco-rubio")
    rdflib.term.URIRef('https://w3id.org/kg/id/pair/person/marco-rubio/person/sergei-lavrov')
    """
    return URIRef(_pair_value(_value(a), _value(b)))  # type: ignore[arg-type]


@lru_cache(maxsize=65536)
def _pair_value(a: str, b: str) -> str:
    first, second = sorted((a, b))
    keys = [x[len(BASE):] if x.startswith(BASE) else slug(x) for x in (first, second)]
    return f"{BASE}pair/{keys[0]}/{keys[1]}"


def meeting_pairs(actors: Iterable[str | ox.NamedNode]) -> list[tuple[Any, Any]]:
    """Each unordered pair of distinct actor IRIs, as ``(first, second)`` in IRI order (strings, rdflib
    or pyoxigraph terms, as given).

    >>> [(str(a)[-1], str(b)[-1]) for a, b in meeting_pairs([URIRef("x:c"), URIRef("x:a"), URIRef("x:b")])]
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    nodes = sorted(set(actors), key=_value)
    return [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]]


def pair_triples(first: URIRef, second: URIRef) -> Iterator[Triple]:
    """The description of one pair of actors who share a meeting (``kg:ActorPair``): its two
    actors in IRI order. Meetings link to it with ``kg:pair``.

    >>> len(list(pair_triples(URIRef("https://w3id.org/kg/id/person/a"), URIRef("https://w3id.org/kg/id/person/b"))))
    3
    """
    return _rdflib_triples(ox_pair_triples(_named(_value(first)), _named(_value(second))))


def ox_pair_triples(first: ox.NamedNode, second: ox.NamedNode) -> Iterator[OxTriple]:
    """:func:`pair_triples` in pyoxigraph terms."""
    first, second = sorted((first, second), key=_value)
    node = ox.NamedNode(_pair_value(first.value, second.value))
    yield node, _TYPE, _ACTOR_PAIR
    yield node, _FIRST, first
    yield node, _SECOND, second


def _place_triples(node: ox.NamedNode, place: Place) -> Iterator[OxTriple]:
    yield node, _TYPE, _SEM_PLACE
    yield node, _TYPE, _SCHEMA_PLACE
    yield node, _LABEL, ox.Literal(place_label(place))
    yield node, _NAME, ox.Literal(place.venue or place.name)
    if place.venue:
        yield node, _VENUE, ox.Literal(place.venue)
    if place.city:
        yield node, _CITY, ox.Literal(place.city)
    if place.region:
        yield node, _REGION, ox.Literal(place.region)
    for alias in place.aliases:
        yield node, _ALIAS, ox.Literal(alias)
    if place.country:
        yield node, _COUNTRY, ox.Literal(place.country)
    if place.lat is not None and place.lon is not None:
        lat, lon = _decimal(place.lat), _decimal(place.lon)
        yield node, _LAT, lat
        yield node, _LONG, lon
        yield node, _LATITUDE, lat
        yield node, _LONGITUDE, lon
    if place.geonames:
        yield node, _GEONAMES, _n(GNID[f"{place.geonames}/"])


def _mention_triples(
    meeting: ox.NamedNode, mention: Mention, seen: set[Hashable], actors: dict[str, ox.NamedNode] | None = None
) -> Iterator[OxTriple]:
    node = ox.NamedNode(_mention_value(meeting.value, mention))
    article = _article_node(mention.article_id)
    lang = _language(mention.lang)
    yield meeting, _DERIVED, node
    yield node, _TYPE, _SOURCE
    yield node, _TYPE, _ENTITY
    yield node, _TEXT, ox.Literal(mention.text, language=lang) if lang else ox.Literal(mention.text)
    yield node, _START, integer_literal(mention.start)
    yield node, _STOP, integer_literal(mention.end)
    yield node, _QUOTED, article
    if mention.status:
        yield node, _REPORTED, _OX_STATUS[mention.status]
    if lang:
        yield node, _LANGUAGE, ox.Literal(lang)
    for name, role in mention.roles:
        actor = (actors or {}).get(name)
        if actor is None or not role.strip():
            continue
        statement = ox.NamedNode(f"{node.value}-role-{slug(name)}")
        yield statement, _TYPE, _ROLE_STATEMENT
        yield statement, _ROLE_OF, actor
        yield statement, _ROLE_TEXT, ox.Literal(role)
        yield statement, _DERIVED, node
        stated = _stated_on(mention.published)
        if stated is not None:
            yield statement, _STATED_ON, stated
    key = ("article", mention.article_id, mention.url)
    if key not in seen:
        seen.add(key)
        yield from ox_article_triples(mention.article_id, mention.url)


@lru_cache(maxsize=4096)
def _stated_on(published: str | None) -> ox.Literal | None:
    """The day an article stated something: its publication date, when the mention knows it."""
    text = (published or "")[:10]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return ox.Literal(text, datatype=_XSD_DATE)
    return None


def _time_triples(meeting: ox.NamedNode, date: PartialDate, first: ox.Literal, last: ox.Literal) -> Iterator[OxTriple]:
    """OWL-Time for a meeting's date: an instant for a day, a proper interval for a month or year."""
    when = ox.NamedNode(f"{meeting.value}#time")
    yield meeting, _HAS_TIME, when
    if date.precision == "day":
        yield when, _TYPE, _INSTANT
        yield when, _IN_DATE, first
        return
    begin, end = ox.NamedNode(f"{meeting.value}#time-begin"), ox.NamedNode(f"{meeting.value}#time-end")
    yield when, _TYPE, _INTERVAL
    yield when, _HAS_BEGINNING, begin
    yield when, _HAS_END, end
    yield begin, _TYPE, _INSTANT
    yield begin, _IN_DATE, first
    yield end, _TYPE, _INSTANT
    yield end, _IN_DATE, last


def article_triples(article_id: str, url: str | None = None) -> Iterator[Triple]:
    """The description of one article: its types, its id and (when known) its address.

    >>> len(list(article_triples("a1", "https://example.org/1")))
    4
    """
    return _rdflib_triples(ox_article_triples(article_id, url))


def ox_article_triples(article_id: str, url: str | None = None) -> Iterator[OxTriple]:
    """:func:`article_triples` in pyoxigraph terms."""
    article = _article_node(article_id)
    yield article, _TYPE, _ENTITY
    yield article, _TYPE, _ARTICLE
    yield article, _IDENTIFIER, ox.Literal(article_id)
    if url:
        yield article, _URL, ox.Literal(url, datatype=_XSD_ANY_URI)


def actor_triples(actor: Actor) -> Iterator[Triple]:
    """The description of one actor (types, names, country, role, Wikidata link).

    >>> len(list(actor_triples(Actor("Sugiono", country="ID"))))
    5
    """
    return _rdflib_triples(ox_actor_triples(actor))


def ox_actor_triples(actor: Actor) -> Iterator[OxTriple]:
    """:func:`actor_triples` in pyoxigraph terms."""
    return _actor_triples(_actor_node(actor), actor)


def place_triples(place: Place) -> Iterator[Triple]:
    """The description of one place (types, names, country, coordinates, GeoNames link).

    >>> len(list(place_triples(Place("Jakarta", country="ID"))))
    5
    """
    return _rdflib_triples(ox_place_triples(place))


def ox_place_triples(place: Place) -> Iterator[OxTriple]:
    """:func:`place_triples` in pyoxigraph terms."""
    return _place_triples(ox.NamedNode(place_iri(place)), place)


def event_triples(event: Event, *, seen: set[Hashable] | None = None) -> Iterator[Triple]:
    """The triples of one meeting, its participants, place, sources and articles.

    Args:
        event: The meeting.
        seen: What was already described by earlier calls (actors, places, pairs, articles): those
            get only the link from this meeting. Updated in place. ``None`` describes
            everything. Keyed by value, not IRI: the same person with another role adds
            that role.

    Returns:
        An iterator of ``(subject, predicate, object)`` rdflib terms (:func:`ox_event_triples`
        gives the same triples in pyoxigraph terms, several times faster).

    Raises:
        ValueError: ``event.id`` is set but is not an absolute IRI.
    """
    return _rdflib_triples(ox_event_triples(event, seen=seen))


def ox_event_triples(event: Event, *, seen: set[Hashable] | None = None) -> Iterator[OxTriple]:
    """:func:`event_triples` in pyoxigraph terms: what the store is written from (graph.ttl holds the
    same triples, written as text by :func:`kg.rdf.text.event_turtle`).

    >>> from kg.model import Actor
    >>> e = Event((Actor("A B"), Actor("C D")), None, PartialDate(2025, 9))
    >>> [str(o) for s, p, o in ox_event_triples(e) if p.value.endswith("#date")]
    ['"2025-09"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>']
    """
    seen = set() if seen is None else seen
    node = ox.NamedNode(_meeting_value(event))
    yield node, _TYPE, _MEETING
    yield node, _TYPE, _SEM_EVENT
    yield node, _TYPE, _SCHEMA_EVENT

    names = sorted({a.name for a in event.participants})
    label = " – ".join(names) + (f" ({event.date.iso()})" if event.date else "")
    yield node, _LABEL, ox.Literal(label)

    actors: dict[str, ox.NamedNode] = {}
    for actor in event.participants:
        actor_node = _actor_node(actor)
        actors[actor.name] = actor_node
        yield node, _HAS_ACTOR, actor_node
        if actor not in seen:
            seen.add(actor)
            yield from _actor_triples(actor_node, actor)

    for first, second in meeting_pairs(_actor_node(a) for a in event.participants):
        pair_value = _pair_value(first.value, second.value)
        yield node, _PAIR, ox.NamedNode(pair_value)
        key = ("pair", pair_value)
        if key not in seen:
            seen.add(key)
            yield from ox_pair_triples(first, second)

    if event.location is not None:
        place_node = ox.NamedNode(place_iri(event.location))
        yield node, _HAS_PLACE, place_node
        if event.location not in seen:
            seen.add(event.location)
            yield from _place_triples(place_node, event.location)

    if event.date is not None:
        value, precision, first_day, last_day = _date_terms(event.date)
        yield node, _DATE, value
        yield node, _DATE_PRECISION, precision
        yield node, _BEGIN, first_day
        yield node, _END, last_day
        yield from _time_triples(node, event.date, first_day, last_day)

    yield node, _STATUS, _OX_STATUS[event.status]
    yield node, _MODE, _OX_MODE[event.mode]
    kind = consult(event)
    if kind.kind is not None:
        yield node, _KIND, _OX_KIND[kind.kind]
    for actor in kind.visitors:
        yield node, _VISITOR, actors[actor.name]
    for actor in kind.hosts:
        yield node, _HOST, actors[actor.name]

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
        for triple in _rdflib_triples(ox_event_triples(event, seen=seen)):
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
    "integer_literal",
    "meeting_iri",
    "ox_actor_triples",
    "ox_article_triples",
    "ox_event_triples",
    "ox_pair_triples",
    "ox_place_triples",
    "to_rdflib",
    "mention_iri",
    "to_rdf",
]
