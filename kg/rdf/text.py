"""The RDF of a meeting as Turtle text, written directly: what graph.ttl is made of.

:func:`kg.rdf.build.ox_event_triples` makes the triples as pyoxigraph terms, which the store
needs; writing those as Turtle cost about 0.4 ms a meeting (making the terms, their text,
then grouping them by subject). graph.ttl of a million articles holds some 2.5 million
meetings, so :func:`event_turtle` writes the same triples straight from the event's values, a
subject block at a time, in about 0.14 ms a meeting. It renders the mapping of
:mod:`kg.rdf.build` a second time, from the same values (IRIs, date and decimal literals,
roles, meeting kind, Wikidata links come from the same helpers); the tests hold the two to the
same graph over random meetings with every optional field (``tests/rdf/test_text.py``).

>>> from kg.model import Actor, Event, PartialDate
>>> e = Event((Actor("A B"), Actor("C D")), None, PartialDate(2025, 9))
>>> text = prefix_lines() + event_turtle(e, seen=set())
>>> from rdflib import Graph
>>> from rdflib.compare import isomorphic
>>> from kg.rdf.build import to_rdf
>>> isomorphic(Graph().parse(data=text, format="turtle"), to_rdf([e]))
True
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from functools import lru_cache

import pyoxigraph as ox
from rdflib import URIRef

from kg.graph import place_label
from kg.ids import place_iri, slug
from kg.model import Actor, Event, Mention, PartialDate, Place
from kg.nlp.roles import consult
from kg.rdf import build as b
from kg.rdf.namespaces import GEO, GNID, KG, OWL, PREFIXES, PROV, RDFS, SCHEMA, SEM, TIME, WD, XSD

_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
"""A local name that needs no escaping in a prefixed name (a subset of Turtle's PN_LOCAL)."""
_BY_NAMESPACE = {ns: prefix for prefix, ns in PREFIXES.items()}
_SPECIAL = re.compile(r'["\\\n\r]')
"""What a short Turtle string must escape."""


def _iri(value: str) -> str:
    """An IRI as Turtle: ``prefix:local`` in a known namespace when the local name needs no
    escaping, else ``<value>`` (the IRIs here are checked by pyoxigraph or built from slugs)."""
    cut = max(value.rfind("/"), value.rfind("#")) + 1
    prefix = _BY_NAMESPACE.get(value[:cut])
    if prefix is not None and _LOCAL.fullmatch(value, cut):
        return f"{prefix}:{value[cut:]}"
    return f"<{value}>"


_short = lru_cache(maxsize=65536)(_iri)


def _t(term: URIRef) -> str:
    return _iri(str(term))


def _string(text: str) -> str:
    if _SPECIAL.search(text) is None:  # most text: a search is several times faster than escaping
        return f'"{text}"'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _typed(literal: ox.Literal) -> str:
    """A pyoxigraph typed literal (dates, decimals) as Turtle."""
    return f"{_string(literal.value)}^^{_short(literal.datatype.value)}"


_DECIMAL_TYPE = _t(XSD.decimal)
_ANY_URI = _t(XSD.anyURI)
_MEETING_TYPES = f"a {_t(KG.Meeting)} , {_t(SEM.Event)} , {_t(SCHEMA.Event)}"
_LABEL, _NAME, _COUNTRY = _t(RDFS.label), _t(SCHEMA.name), _t(KG.countryCode)
_HAS_ACTOR, _PAIR, _HAS_PLACE = _t(SEM.hasActor), _t(KG.pair), _t(SEM.hasPlace)
_DATE, _PRECISION, _BEGIN, _END = _t(KG.date), _t(KG.datePrecision), _t(SEM.hasEarliestBeginTimeStamp), _t(
    SEM.hasLatestEndTimeStamp)
_HAS_TIME, _INSTANT, _INTERVAL, _IN_DATE = _t(TIME.hasTime), _t(TIME.Instant), _t(TIME.ProperInterval), _t(
    TIME.inXSDDate)
_HAS_BEGINNING, _HAS_END = _t(TIME.hasBeginning), _t(TIME.hasEnd)
_STATUS, _MODE, _KIND, _VISITOR, _HOST = _t(KG.status), _t(KG.mode), _t(KG.kind), _t(KG.visitor), _t(KG.host)
_STATUSES = {k: _t(v) for k, v in b.STATUS.items()}
_MODES = {k: _t(v) for k, v in b.MODE.items()}
_KINDS = {k: _t(v) for k, v in b.KIND.items()}
_PRECISIONS = {k: _t(v) for k, v in b.PRECISION.items()}
_ACTOR_TYPES = {k: f"a {_t(SEM.Actor)} , {_t(v)}" for k, v in b.ACTOR_CLASS.items()}
_JOB, _SAME = _t(SCHEMA.jobTitle), _t(OWL.sameAs)
_PLACE_TYPES = f"a {_t(SEM.Place)} , {_t(SCHEMA.Place)}"
_VENUE, _CITY, _REGION, _ALIAS = _t(KG.venue), _t(KG.city), _t(KG.region), _t(SCHEMA.alternateName)
_LAT, _LONG, _LATITUDE, _LONGITUDE, _GEONAMES = _t(GEO.lat), _t(GEO.long), _t(SCHEMA.latitude), _t(
    SCHEMA.longitude), _t(KG.geonames)
_PAIR_TYPE, _FIRST, _SECOND = f"a {_t(KG.ActorPair)}", _t(KG.firstActor), _t(KG.secondActor)
_DERIVED, _QUOTED = _t(PROV.wasDerivedFrom), _t(PROV.wasQuotedFrom)
_SOURCE_TYPES = f"a {_t(KG.SourceMention)} , {_t(PROV.Entity)}"
_TEXT, _START, _STOP, _REPORTED, _LANGUAGE = _t(KG.text), _t(KG.start), _t(KG.end), _t(KG.reportedStatus), _t(
    SCHEMA.inLanguage)
_ROLE_TYPE, _ROLE_OF, _ROLE_TEXT, _STATED_ON = f"a {_t(KG.RoleStatement)}", _t(KG.roleOf), _t(KG.roleText), _t(
    KG.statedOn)
_ARTICLE_TYPES = f"a {_t(PROV.Entity)} , {_t(SCHEMA.NewsArticle)}"
_IDENTIFIER, _URL = _t(SCHEMA.identifier), _t(SCHEMA.url)


def _block(subject: str, links: list[str]) -> str:
    return subject + " " + " ;\n\t".join(links) + " .\n"


def prefix_lines() -> str:
    """The ``@prefix`` lines the text of :func:`event_turtle` leans on, and a blank line."""
    return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in PREFIXES.items()) + "\n"


@lru_cache(maxsize=65536)
def _actor(actor: Actor) -> tuple[str, str]:
    """An actor's IRI and its Turtle (the pyoxigraph node checks the IRI once)."""
    value = b._actor_node(actor).value
    return value, _short(value)


@lru_cache(maxsize=65536)
def _place(place: Place) -> str:
    return _short(ox.NamedNode(place_iri(place)).value)


@lru_cache(maxsize=65536)
def _article(article_id: str) -> str:
    return _short(b._article_node(article_id).value)


@lru_cache(maxsize=16384)
def _date(date: PartialDate) -> tuple[str, str, str]:
    """A meeting date's literal, first day and last day, as Turtle."""
    value, _, first_day, last_day = b._date_terms(date)
    return _typed(value), _typed(first_day), _typed(last_day)


def _decimal(value: float) -> str:
    return f"{_string(b._decimal(value).value)}^^{_DECIMAL_TYPE}"


def _actor_block(actor: Actor) -> str:
    links = [_ACTOR_TYPES[actor.type], f"{_LABEL} {_string(actor.name)}", f"{_NAME} {_string(actor.name)}"]
    if actor.country:
        links.append(f"{_COUNTRY} {_string(actor.country)}")
    if actor.role:
        links.append(f"{_JOB} {_string(actor.role)}")
    qid = actor.wikidata if actor.wikidata and b._QID_RE.match(actor.wikidata) else None
    qid = qid or b.curated_wikidata().get((actor.name, actor.type))
    if qid:
        links.append(f"{_SAME} {_iri(str(WD[qid]))}")
    return _block(_actor(actor)[1], links)


def _place_block(place: Place) -> str:
    links = [_PLACE_TYPES, f"{_LABEL} {_string(place_label(place))}", f"{_NAME} {_string(place.venue or place.name)}"]
    for predicate, value in ((_VENUE, place.venue), (_CITY, place.city), (_REGION, place.region)):
        if value:
            links.append(f"{predicate} {_string(value)}")
    links.extend(f"{_ALIAS} {_string(alias)}" for alias in place.aliases)
    if place.country:
        links.append(f"{_COUNTRY} {_string(place.country)}")
    if place.lat is not None and place.lon is not None:
        lat, lon = _decimal(place.lat), _decimal(place.lon)
        links += [f"{_LAT} {lat}", f"{_LONG} {lon}", f"{_LATITUDE} {lat}", f"{_LONGITUDE} {lon}"]
    if place.geonames:
        links.append(f"{_GEONAMES} {_iri(str(GNID[f'{place.geonames}/']))}")
    return _block(_place(place), links)


def _article_block(article_id: str, url: str | None) -> str:
    links = [_ARTICLE_TYPES, f"{_IDENTIFIER} {_string(article_id)}"]
    if url:
        links.append(f"{_URL} {_string(url)}^^{_ANY_URI}")
    return _block(_article(article_id), links)


def _mention_blocks(meeting: str, mention: Mention, seen: set[Hashable], actors: dict[str, str],
                    out: list[str]) -> str:
    """Appends the blocks of one source sentence (and its roles and article) to ``out``;
    returns the sentence's node."""
    value = b._mention_value(meeting, mention)
    node = f"<{value}>"
    lang = b._language(mention.lang)
    text = _string(mention.text)
    links = [_SOURCE_TYPES, f"{_TEXT} {text}@{lang}" if lang else f"{_TEXT} {text}",
             f"{_START} {mention.start}", f"{_STOP} {mention.end}", f"{_QUOTED} {_article(mention.article_id)}"]
    if mention.status:
        links.append(f"{_REPORTED} {_STATUSES[mention.status]}")
    if lang:
        links.append(f"{_LANGUAGE} {_string(lang)}")
    out.append(_block(node, links))
    for name, role in mention.roles:
        actor = actors.get(name)
        if actor is None or not role.strip():
            continue
        role_links = [_ROLE_TYPE, f"{_ROLE_OF} {actor}", f"{_ROLE_TEXT} {_string(role)}", f"{_DERIVED} {node}"]
        stated = b._stated_on(mention.published)
        if stated is not None:
            role_links.append(f"{_STATED_ON} {_typed(stated)}")
        out.append(_block(f"<{value}-role-{slug(name)}>", role_links))
    key = ("article", mention.article_id, mention.url)
    if key not in seen:
        seen.add(key)
        out.append(_article_block(mention.article_id, mention.url))
    return node


def event_turtle(event: Event, *, seen: set[Hashable]) -> str:
    """The Turtle text of one meeting: the triples of :func:`kg.rdf.build.ox_event_triples`.

    Args:
        event: The meeting.
        seen: As for ``ox_event_triples``: actors, places, pairs and articles already described
            get only the link from this meeting. Updated in place.

    Returns:
        Subject blocks, each ending with ``" .\\n"``, the meeting first, then a blank line;
        its prefixed names need :func:`prefix_lines`.

    Raises:
        ValueError: ``event.id`` is not an absolute IRI without a fragment.
    """
    meeting_value = ox.NamedNode(b._meeting_value(event)).value  # pyoxigraph checks the IRI
    meeting = _iri(meeting_value)
    names = sorted({a.name for a in event.participants})
    label = " – ".join(names) + (f" ({event.date.iso()})" if event.date else "")
    links = [_MEETING_TYPES, f"{_LABEL} {_string(label)}"]
    out: list[str] = []

    actors: dict[str, str] = {}
    values: dict[str, str] = {}
    for actor in event.participants:
        value, node = _actor(actor)
        actors[actor.name] = values[value] = node
        links.append(f"{_HAS_ACTOR} {node}")
        if actor not in seen:
            seen.add(actor)
            out.append(_actor_block(actor))

    for first, second in b.meeting_pairs(values):  # IRI strings, as ox_event_triples pairs nodes
        pair_value = b._pair_value(first, second)
        pair = _short(pair_value)
        links.append(f"{_PAIR} {pair}")
        key = ("pair", pair_value)
        if key not in seen:
            seen.add(key)
            out.append(_block(pair, [_PAIR_TYPE, f"{_FIRST} {values[first]}", f"{_SECOND} {values[second]}"]))

    if event.location is not None:
        links.append(f"{_HAS_PLACE} {_place(event.location)}")
        if event.location not in seen:
            seen.add(event.location)
            out.append(_place_block(event.location))

    if event.date is not None:
        date, first, last = _date(event.date)
        links += [f"{_DATE} {date}", f"{_PRECISION} {_PRECISIONS[event.date.precision]}",
                  f"{_BEGIN} {first}", f"{_END} {last}", f"{_HAS_TIME} <{meeting_value}#time>"]
        if event.date.precision == "day":
            out.append(_block(f"<{meeting_value}#time>", [f"a {_INSTANT}", f"{_IN_DATE} {first}"]))
        else:
            begin, end = f"<{meeting_value}#time-begin>", f"<{meeting_value}#time-end>"
            out.append(_block(f"<{meeting_value}#time>", [f"a {_INTERVAL}", f"{_HAS_BEGINNING} {begin}",
                                                           f"{_HAS_END} {end}"]))
            out.append(_block(begin, [f"a {_INSTANT}", f"{_IN_DATE} {first}"]))
            out.append(_block(end, [f"a {_INSTANT}", f"{_IN_DATE} {last}"]))

    links += [f"{_STATUS} {_STATUSES[event.status]}", f"{_MODE} {_MODES[event.mode]}"]
    kind = consult(event)
    if kind.kind is not None:
        links.append(f"{_KIND} {_KINDS[kind.kind]}")
    links.extend(f"{_VISITOR} {actors[actor.name]}" for actor in kind.visitors)
    links.extend(f"{_HOST} {actors[actor.name]}" for actor in kind.hosts)

    done: set[tuple[str, int, int]] = set()
    for mention in event.evidence:
        key = (mention.article_id, mention.start, mention.end)
        if key not in done:  # the same sentence twice is one source
            done.add(key)
            links.append(f"{_DERIVED} {_mention_blocks(meeting_value, mention, seen, actors, out)}")
    return _block(meeting, links) + "".join(out) + "\n"  # a blank line after each meeting


__all__ = ["event_turtle", "prefix_lines"]
