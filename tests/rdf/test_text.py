"""graph.ttl's Turtle text (kg.rdf.text) renders the RDF mapping of kg.rdf.build a second time:
over random meetings that use every optional field, both give the same graph."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from kg.model import Actor, Event, Mention, PartialDate, Place
from kg.rdf.build import to_rdf
from kg.rdf.text import event_turtle, prefix_lines

TEXTS = ["Lavrov met Rubio in New York.", 'He said "we met" \\ then:\nline two\r\nthree\ttab',
         "Лавров прибыл с визитом в Пекин", "拉夫罗夫 会见 😀", "Sugiono tiba di Jakarta untuk kunjungan kerja",
         "Ends with a backslash \\", '"', "The president arrived in Paris for a state visit."]
NAMES = ["Sergei Lavrov", "Marco Rubio", "Vladimir Putin", "Wang Yi", "O'Brien\" }", "Лавров", "Ré-Ñoño",
         "China", "ASEAN", "A.B.", "-Dash-"]
COUNTRIES = [None, "RU", "US", "CN", "FR", "ID"]
LANGS = [None, "en", "EN-gb", "ru", "id", "zh", "x_y", "fr-CA", "tlh"]
IDS = [None, None, None, "https://w3id.org/kg/id/meeting/ends-with-dot.", "https://w3id.org/kg/id/meeting/a(b)~c%20d",
       "https://w3id.org/kg/id/meeting/-leading", "https://example.org/other/x", "urn:kg:meeting:{i}",
       "https://w3id.org/kg/id/meeting/custom-{i}"]


def _maybe(rng: random.Random, value: object, p: float = 0.5) -> object:
    return value if rng.random() < p else None


def _actor(rng: random.Random) -> Actor:
    name = rng.choice(NAMES)
    kind = "country" if name == "China" else "organization" if name == "ASEAN" else rng.choice(["person", "person", "country"])
    return Actor(name, type=kind, country=rng.choice(COUNTRIES), role=_maybe(rng, rng.choice(["Foreign Minister", 'Minister "of" X', "Menlu"])),
                 wikidata=rng.choice([None, None, "Q48828", "not-a-qid"]))


def _place(rng: random.Random) -> Place:
    lat = rng.choice([None, 40.71427, -33.8688, 0.0, -0.0, 1e-05, -89.5, 7.4474])
    return Place(rng.choice(["New York City", "Paris", "Jakarta", "Пекин", "Bern"]), country=rng.choice(COUNTRIES),
                 lat=lat, lon=None if lat is None else rng.choice([-74.00597, 2.35, 106.8456, 1e-05, 0.0, -150.0]),
                 geonames=rng.choice([None, 5128581, 2988507]), venue=_maybe(rng, rng.choice(["UN Headquarters", "Élysée"])),
                 city=_maybe(rng, "Paris"), region=_maybe(rng, "Île-de-France", 0.3),
                 aliases=tuple(rng.sample(["NYC", "Nueva York", 'The "Big" Apple'], rng.randint(0, 2))))


def _date(rng: random.Random) -> PartialDate | None:
    return rng.choice([None, PartialDate(2025, 9, 24), PartialDate(2024, 2), PartialDate(2023), PartialDate(2024, 2, 29),
                       PartialDate(2025, 12)])


def _mention(rng: random.Random, participants: tuple[Actor, ...], i: int) -> Mention:
    start = rng.randint(0, 50)
    names = [a.name for a in participants] + ["Somebody Else"]
    roles = tuple((name, rng.choice(["Foreign Minister", "  ", 'Minister "of" Foreign Affairs']))
                  for name in rng.sample(names, rng.randint(0, len(names))))
    return Mention(rng.choice(["a1", "a 2/é", f"art-{i % 4}", "x.y_z"]), start, start + rng.randint(1, 40),
                   rng.choice(TEXTS), lang=rng.choice(LANGS), status=rng.choice([None, "occurred", "planned", "cancelled"]),
                   url=rng.choice([None, "https://example.org/news?id=1&x=\"y\"", "https://example.org/a"]),
                   published=rng.choice([None, "2025-09-24", "2025-09-24T10:00:00+07:00", "yesterday"]), roles=roles)


def random_events(seed: int, n: int) -> list[Event]:
    rng = random.Random(seed)
    events = []
    for i in range(n):
        participants: dict[str, Actor] = {}
        for _ in range(rng.choice([2, 2, 2, 3, 4])):
            actor = _actor(rng)
            participants.setdefault(actor.name, actor)
        if len(participants) < 2:
            continue
        actors = tuple(participants.values())
        mentions = tuple(_mention(rng, actors, i) for _ in range(rng.randint(0, 4)))
        if mentions and rng.random() < 0.3:
            mentions += (mentions[0],)  # the same sentence twice is one source
        template = rng.choice(IDS)
        events.append(Event(actors, _maybe(rng, _place(rng), 0.7), _date(rng),
                            rng.choice(["occurred", "planned", "cancelled"]), rng.choice(["in-person", "in-person", "remote"]),
                            evidence=mentions, id=template.format(i=i) if template else None))
    return events


def _text(events: list[Event]) -> str:
    seen: set = set()
    return prefix_lines() + "".join(event_turtle(e, seen=seen) for e in events)


@pytest.mark.parametrize("seed", range(8))
def test_the_turtle_text_is_the_graph_of_to_rdf(seed: int) -> None:
    events = random_events(seed, 60)
    text = _text(events)
    got, want = Graph().parse(data=text, format="turtle"), to_rdf(events)
    _, only_got, only_want = graph_diff(got, want)
    assert isomorphic(got, want), (sorted(only_got)[:5], sorted(only_want)[:5])
    assert len(got) == len(want) > 60 * 10
    assert len(set(ox.parse(text, format=ox.RdfFormat.TURTLE))) == len(want)  # pyoxigraph reads the same triples


def test_the_random_meetings_reach_every_optional_part_of_the_mapping() -> None:
    """The property above means something only if the random meetings use the whole mapping."""
    events = [e for seed in range(8) for e in random_events(seed, 60)]
    predicates = {str(p) for p in to_rdf(events).predicates()}
    ontology = "https://w3id.org/kg/ontology#"
    for name in ("visitor", "host", "kind", "roleText", "statedOn", "reportedStatus", "venue", "city", "region",
                 "geonames", "countryCode", "date", "datePrecision"):
        assert ontology + name in predicates, name
    for iri in ("https://schema.org/alternateName", "https://schema.org/url", "https://schema.org/inLanguage",
                "https://schema.org/jobTitle", "http://www.w3.org/2002/07/owl#sameAs",
                "http://www.w3.org/2006/time#hasBeginning", "http://www.w3.org/2003/01/geo/wgs84_pos#lat"):
        assert iri in predicates, iri


@pytest.mark.parametrize("bad", ["https://w3id.org/kg/id/meeting/x#1", "https://example.org/a b", 'https://example.org/a"b',
                                 "not an iri", "https://example.org/<x>"])
def test_a_meeting_id_pyoxigraph_refuses_is_refused_here_too(bad: str) -> None:
    from kg.rdf.build import ox_event_triples

    event = Event((Actor("A B"), Actor("C D")), None, None, id=bad)
    with pytest.raises(ValueError):
        list(ox_event_triples(event))
    with pytest.raises(ValueError):
        event_turtle(event, seen=set())
