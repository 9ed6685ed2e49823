"""kg.rdf: graph shape, SHACL, ontology/namespace agreement, SPARQL with bound values."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdf_samples import LAVROV, OBRIEN, RUBIO, SENTENCE, WANG
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.errors import QueryError
from kg.export.turtle import write_turtle
from kg.ids import actor_iri, article_iri, place_iri
from kg.model import Actor, Event, Mention, PartialDate
from kg.rdf.build import event_triples, meeting_iri, to_rdf
from kg.rdf.namespaces import GEO, GNID, KG, OWL, PROV, RDF, RDFS, SCHEMA, SEM, WD, XSD, new_graph
from kg.rdf.query import QUERIES, available_queries, iri, run_query
from kg.rdf.shacl import ontology_path, validate

ONTOLOGY = ontology_path("kg.ttl")
SHAPES = ontology_path("shapes.ttl")


def _one(g: Graph, s: Any, p: Any) -> Any:
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s} {p}: {values}"
    return values[0]


# --------------------------------------------------------------------------- shape


def test_one_meeting_node_per_event(events: list[Event]) -> None:
    g = to_rdf(events)
    meetings = set(g.subjects(RDF.type, KG.Meeting))
    assert meetings == {meeting_iri(e) for e in events}
    for m in meetings:
        assert {SEM.Event, SCHEMA.Event} <= set(g.objects(m, RDF.type))


def test_meeting_links_participants_never_actor_to_actor(events: list[Event]) -> None:
    g = to_rdf(events)
    actors = set(g.subjects(RDF.type, SEM.Actor))
    assert len(actors) == 6
    for s, p, o in g:
        assert not (s in actors and o in actors), f"actor-actor edge {s} {p} {o}"
    tri = meeting_iri(events[1])
    assert set(g.objects(tri, SEM.hasActor)) == {URIRef(actor_iri(a)) for a in events[1].participants}


def test_participant_description(ny_meeting: Event, trilateral: Event) -> None:
    g = to_rdf([ny_meeting, trilateral])
    lavrov = URIRef(actor_iri(LAVROV))
    assert set(g.objects(lavrov, RDF.type)) == {SEM.Actor, SCHEMA.Person}
    assert _one(g, lavrov, RDFS.label) == Literal("Sergei Lavrov")
    assert _one(g, lavrov, SCHEMA.name) == Literal("Sergei Lavrov")
    assert _one(g, lavrov, KG.countryCode) == Literal("RU")
    assert _one(g, lavrov, SCHEMA.jobTitle) == Literal("Menteri Luar Negeri")
    assert _one(g, lavrov, OWL.sameAs) == WD.Q48828
    china = URIRef(actor_iri(trilateral.participants[2]))
    assert set(g.objects(china, RDF.type)) == {SEM.Actor, SCHEMA.Country}
    wang = URIRef(actor_iri(WANG))
    assert list(g.objects(wang, SCHEMA.jobTitle)) == []  # no role, no triple


def test_place(ny_meeting: Event, trilateral: Event) -> None:
    g = to_rdf([ny_meeting, trilateral])
    ny = URIRef(place_iri(ny_meeting.location))  # type: ignore[arg-type]
    assert _one(g, meeting_iri(ny_meeting), SEM.hasPlace) == ny
    assert {SEM.Place, SCHEMA.Place} <= set(g.objects(ny, RDF.type))
    assert _one(g, ny, RDFS.label) == Literal("New York City")
    assert _one(g, ny, KG.countryCode) == Literal("US")
    assert _one(g, ny, KG.geonames) == GNID["5128581/"] == URIRef("https://sws.geonames.org/5128581/")
    lat = _one(g, ny, GEO.lat)
    assert isinstance(lat, Literal) and lat.datatype == XSD.decimal and lat.toPython() == Decimal("40.71427")
    assert _one(g, ny, SCHEMA.longitude) == _one(g, ny, GEO.long)
    venue = URIRef(place_iri(trilateral.location))  # type: ignore[arg-type]
    assert _one(g, venue, KG.venue) == Literal("Diaoyutai State Guesthouse")
    assert _one(g, venue, RDFS.label) == Literal("Diaoyutai State Guesthouse, Beijing")
    assert list(g.objects(venue, GEO.lat)) == []


@pytest.mark.parametrize(
    ("date", "lexical", "datatype", "precision", "first", "last"),
    [
        (PartialDate(2025, 9, 24), "2025-09-24", XSD.date, KG.DayPrecision, "2025-09-24", "2025-09-24"),
        (PartialDate(2024, 2), "2024-02", XSD.gYearMonth, KG.MonthPrecision, "2024-02-01", "2024-02-29"),
        (PartialDate(2025), "2025", XSD.gYear, KG.YearPrecision, "2025-01-01", "2025-12-31"),
    ],
    ids=["day", "month", "year"],
)
def test_date_and_precision(
    ny_meeting: Event,
    date: PartialDate,
    lexical: str,
    datatype: URIRef,
    precision: URIRef,
    first: str,
    last: str,
) -> None:
    e = ny_meeting.with_(date=date)
    g = to_rdf([e])
    m = meeting_iri(e)
    value = _one(g, m, KG.date)
    assert isinstance(value, Literal) and str(value) == lexical and value.datatype == datatype
    assert _one(g, m, KG.datePrecision) == precision
    assert _one(g, m, SEM.hasEarliestBeginTimeStamp) == Literal(first, datatype=XSD.date)
    assert _one(g, m, SEM.hasLatestEndTimeStamp) == Literal(last, datatype=XSD.date)
    assert validate(g)[0]


def test_no_date_no_date_triples(ny_meeting: Event) -> None:
    e = ny_meeting.with_(date=None)
    g = to_rdf([e])
    m = meeting_iri(e)
    for p in (KG.date, KG.datePrecision, SEM.hasEarliestBeginTimeStamp, SEM.hasLatestEndTimeStamp):
        assert list(g.objects(m, p)) == []
    assert validate(g)[0]


def test_status_and_mode(events: list[Event]) -> None:
    g = to_rdf(events)
    got = [(_one(g, meeting_iri(e), KG.status), _one(g, meeting_iri(e), KG.mode)) for e in events]
    assert got == [(KG.Occurred, KG.InPerson), (KG.Planned, KG.Remote), (KG.Cancelled, KG.InPerson)]


def test_sources(ny_meeting: Event) -> None:
    g = to_rdf([ny_meeting])
    m = meeting_iri(ny_meeting)
    sources = set(g.objects(m, PROV.wasDerivedFrom))
    assert len(sources) == 2
    by_text = {str(_one(g, s, KG.text)): s for s in sources}
    s = by_text[SENTENCE]
    assert {KG.SourceMention, PROV.Entity} <= set(g.objects(s, RDF.type))
    assert _one(g, s, KG.text) == Literal(SENTENCE, lang="id")
    start, end = _one(g, s, KG.start), _one(g, s, KG.end)
    assert (start, end) == (Literal(120), Literal(185))
    assert isinstance(start, Literal) and start.datatype == XSD.integer
    assert _one(g, s, KG.reportedStatus) == KG.Occurred
    assert _one(g, s, SCHEMA.inLanguage) == Literal("id")
    article = _one(g, s, PROV.wasQuotedFrom)
    assert article == URIRef(article_iri("headline-2025-09-25"))
    assert {PROV.Entity, SCHEMA.NewsArticle} <= set(g.objects(article, RDF.type))
    assert _one(g, article, SCHEMA.identifier) == Literal("headline-2025-09-25")
    assert _one(g, article, SCHEMA.url) == Literal("https://example.org/news/1", datatype=XSD.anyURI)


def test_same_sentence_twice_is_one_source(ny_meeting: Event) -> None:
    e = ny_meeting.with_(evidence=ny_meeting.evidence + ny_meeting.evidence[:1])
    g = to_rdf([e])
    assert len(set(g.objects(meeting_iri(e), PROV.wasDerivedFrom))) == 2


def test_one_sentence_two_meetings_keeps_each_status(ny_meeting: Event, trilateral: Event) -> None:
    shared = Mention("z", 0, 50, "Lavrov met Rubio and will call Wang Yi.")
    held = ny_meeting.with_(evidence=(dataclasses.replace(shared, status="occurred"),))
    planned = trilateral.with_(evidence=(dataclasses.replace(shared, status="planned"),))
    g = to_rdf([held, planned])
    assert validate(g)[0]
    statuses = {
        _one(g, s, KG.reportedStatus)
        for m in (held, planned)
        for s in g.objects(meeting_iri(m), PROV.wasDerivedFrom)
    }
    assert statuses == {KG.Occurred, KG.Planned}


def test_event_id_is_used_and_checked(ny_meeting: Event) -> None:
    e = ny_meeting.with_(id="https://w3id.org/kg/id/meeting/custom")
    assert set(to_rdf([e]).subjects(RDF.type, KG.Meeting)) == {
        URIRef("https://w3id.org/kg/id/meeting/custom")
    }
    with pytest.raises(ValueError, match="absolute IRI"):
        to_rdf([ny_meeting.with_(id="m1")])


def test_actor_described_once_but_new_roles_added(ny_meeting: Event) -> None:
    other_role = ny_meeting.with_(
        participants=(
            Actor("Sergei Lavrov", country="RU", role="Foreign Minister", wikidata="Q48828"),
            RUBIO,
        ),
        date=PartialDate(2025, 11, 1),
    )
    g = to_rdf([ny_meeting, other_role])
    lavrov = URIRef(actor_iri(LAVROV))
    assert set(g.objects(lavrov, SCHEMA.jobTitle)) == {
        Literal("Menteri Luar Negeri"),
        Literal("Foreign Minister"),
    }
    assert len(list(g.objects(lavrov, RDFS.label))) == 1


def test_adds_to_a_given_graph_keeping_its_prefixes(ny_meeting: Event) -> None:
    g = Graph(bind_namespaces="none")
    g.bind("kg", "http://example.org/other#")
    g.add((URIRef("http://example.org/x"), RDFS.label, Literal("x")))
    out = to_rdf([ny_meeting], graph=g)
    assert out is g
    prefixes = dict(g.namespaces())
    assert str(prefixes["kg"]) == "http://example.org/other#"
    assert str(prefixes["sem"]) == str(SEM)
    assert not any(p.startswith("kg1") or p.startswith("ns") for p in prefixes)
    assert (URIRef("http://example.org/x"), RDFS.label, Literal("x")) in g
    assert meeting_iri(ny_meeting) in set(g.subjects(RDF.type, KG.Meeting))


def test_turtle_round_trip(events: list[Event], tmp_path: Path) -> None:
    g = to_rdf(events)
    path = tmp_path / "graph.ttl"
    write_turtle(g, path)
    text = path.read_text(encoding="utf-8")
    assert "@prefix kg: <https://w3id.org/kg/ontology#> ." in text
    back = Graph().parse(path, format="turtle")
    if not isomorphic(g, back):  # pragma: no cover - shows the difference on failure
        _, only_a, only_b = graph_diff(to_isomorphic(g), to_isomorphic(back))
        pytest.fail(
            f"only in built:\n{only_a.serialize(format='nt')}\nonly in parsed:\n{only_b.serialize(format='nt')}"
        )


def test_output_is_reproducible(events: list[Event]) -> None:
    a = to_rdf(events).serialize(format="turtle")
    b = to_rdf(list(reversed(events))).serialize(format="turtle")
    assert a == b


def test_no_blank_nodes(events: list[Event]) -> None:
    assert not any(isinstance(t, BNode) for triple in to_rdf(events) for t in triple)


# --------------------------------------------------------------------------- SHACL


def test_built_graph_is_shacl_valid(events: list[Event]) -> None:
    conforms, report = validate(to_rdf(events))
    assert conforms, report


def _break_status_twice(g: Graph, m: URIRef) -> None:
    g.add((m, KG.status, KG.Planned))


def _drop(p: URIRef) -> Callable[[Graph, URIRef], None]:
    def go(g: Graph, m: URIRef) -> None:
        g.remove((m, p, None))

    return go


def _drop_one_actor(g: Graph, m: URIRef) -> None:
    g.remove((m, SEM.hasActor, min(g.objects(m, SEM.hasActor), key=str)))


def _swap_offsets(g: Graph, m: URIRef) -> None:
    s = min(g.objects(m, PROV.wasDerivedFrom), key=str)
    g.set((s, KG.start, Literal(500)))


def _string_offset(g: Graph, m: URIRef) -> None:
    s = min(g.objects(m, PROV.wasDerivedFrom), key=str)
    g.set((s, KG.end, Literal("185")))


def _wrong_precision(g: Graph, m: URIRef) -> None:
    g.set((m, KG.datePrecision, KG.MonthPrecision))


def _untyped_date(g: Graph, m: URIRef) -> None:
    g.set((m, KG.date, Literal("24 September 2025")))


def _day_date_as_month(g: Graph, m: URIRef) -> None:
    g.set((m, KG.date, Literal("2025-09", datatype=XSD.gYearMonth)))


def _two_actor_kinds(g: Graph, m: URIRef) -> None:
    g.add((URIRef(actor_iri(LAVROV)), RDF.type, SCHEMA.Organization))


def _same_as_an_actor(g: Graph, m: URIRef) -> None:
    g.add((URIRef(actor_iri(LAVROV)), OWL.sameAs, URIRef(actor_iri(RUBIO))))


def _actor_edge(g: Graph, m: URIRef) -> None:
    g.add((URIRef(actor_iri(LAVROV)), SCHEMA.knows, URIRef(actor_iri(RUBIO))))


def _empty_text(g: Graph, m: URIRef) -> None:
    s = min(g.objects(m, PROV.wasDerivedFrom), key=str)
    g.set((s, KG.text, Literal("")))


def _bad_country(g: Graph, m: URIRef) -> None:
    g.set((URIRef(actor_iri(LAVROV)), KG.countryCode, Literal("Russia")))


def _bad_geonames(g: Graph, m: URIRef) -> None:
    place = next(iter(g.objects(m, SEM.hasPlace)))
    g.set((place, KG.geonames, URIRef("https://www.geonames.org/5128581")))


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (_break_status_twice, "exactly one status"),
        (_drop(KG.status), "exactly one status"),
        (_drop(KG.mode), "exactly one mode"),
        (_drop(PROV.wasDerivedFrom), "at least one kg:SourceMention"),
        (_drop_one_actor, "at least two distinct participants"),
        (_swap_offsets, "less than kg:end"),
        (_string_offset, "integer kg:end"),
        (_wrong_precision, "kg:date and kg:datePrecision disagree"),
        (_untyped_date, "a meeting with kg:DayPrecision needs an xsd:date"),
        (_drop(KG.datePrecision), "kg:date without kg:datePrecision"),
        (_drop(KG.date), "kg:datePrecision without kg:date"),
        (_day_date_as_month, "a meeting with kg:DayPrecision needs an xsd:date"),
        (_two_actor_kinds, "exactly one of schema:Person, schema:Country, schema:Organization"),
        (_same_as_an_actor, "to its Wikidata entity only"),
        (_actor_edge, "never directly"),
        (_empty_text, "non-empty sentence text"),
        (_bad_country, "ISO 3166-1 alpha-2"),
        (_bad_geonames, "GeoNames IRI"),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else None,
)
def test_shacl_catches(ny_meeting: Event, breakage: Callable[[Graph, URIRef], None], message: str) -> None:
    g = to_rdf([ny_meeting])
    breakage(g, meeting_iri(ny_meeting))
    conforms, report = validate(g)
    assert not conforms
    assert message in report


# --------------------------------------------------------------------------- ontology


def _declared_kg_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(KG))}


def test_kg_namespace_and_ontology_agree() -> None:
    onto = Graph().parse(ONTOLOGY, format="turtle")
    in_code = set(dir(KG))
    in_file = _declared_kg_terms(onto)
    assert in_file - in_code == set(), "declared in kg.ttl but missing from namespaces.KG"
    assert in_code - in_file == set(), "listed in namespaces.KG but not declared in kg.ttl"
    with pytest.raises(AttributeError):
        KG.Meting  # noqa: B018 - a typo must fail, not mint a term


def test_every_kg_term_in_use_is_declared(events: list[Event]) -> None:
    used = {t for triple in to_rdf(events) for t in triple if isinstance(t, URIRef) and t.startswith(str(KG))}
    shapes = Graph().parse(SHAPES, format="turtle")
    used |= {t for triple in shapes for t in triple if isinstance(t, URIRef) and t.startswith(str(KG))}
    text = SHAPES.read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in QUERIES.glob("*.rq")
    )
    used |= {KG._NS[name] for name in re.findall(r"\bkg:([A-Za-z_][A-Za-z0-9_]*)", text)}
    assert used, "no kg: terms found at all"
    assert used <= set(dir(KG))


def test_ontology_is_documented() -> None:
    onto = Graph().parse(ONTOLOGY, format="turtle")
    for name in dir(KG):
        term = URIRef(name)
        en_labels = [lit for lit in onto.objects(term, RDFS.label) if getattr(lit, "language", None) == "en"]
        assert en_labels, f"{term} has no English label"
        assert any(getattr(c, "language", None) == "en" for c in onto.objects(term, RDFS.comment)), term
    for cls in (KG.Meeting, KG.SourceMention, KG.MeetingStatus, KG.MeetingMode, KG.DatePrecision,
                KG.MeetingKind, KG.RoleStatement):
        assert any(getattr(lit, "language", None) == "id" for lit in onto.objects(cls, RDFS.label)), cls
    assert (KG.Meeting, RDFS.subClassOf, SEM.Event) in onto
    assert (KG.Meeting, RDFS.subClassOf, SCHEMA.Event) in onto
    assert (KG.SourceMention, RDFS.subClassOf, PROV.Entity) in onto
    individuals = set(onto.subjects(RDF.type, OWL.NamedIndividual))
    assert individuals == {
        KG.Occurred,
        KG.Planned,
        KG.Cancelled,
        KG.InPerson,
        KG.Remote,
        KG.DayPrecision,
        KG.MonthPrecision,
        KG.YearPrecision,
        KG.Visit,
        KG.ThirdParty,
        KG.Multilateral,
        KG.Phone,
    }


def test_new_graph_binds_prefixes_once() -> None:
    g = new_graph()
    prefixes = dict(g.namespaces())
    assert str(prefixes["kg"]) == "https://w3id.org/kg/ontology#"
    assert str(prefixes["sem"]) == "http://semanticweb.cs.vu.nl/2009/11/sem/"
    assert str(prefixes["geo"]) == "http://www.w3.org/2003/01/geo/wgs84_pos#"
    assert len(set(prefixes.values())) == len(prefixes)
    assert len(g) == 0


# --------------------------------------------------------------------------- queries


def test_available_queries() -> None:
    assert {"who-met-whom", "actor-meetings"} <= set(available_queries())


def test_who_met_whom(events: list[Event]) -> None:
    rows = run_query(to_rdf(events), "who-met-whom")
    pairs = {frozenset((r["a_name"], r["b_name"])): r for r in rows}
    assert set(pairs) == {
        frozenset({"Sergei Lavrov", "Marco Rubio"}),
        frozenset({"Sergei Lavrov", "Wang Yi"}),
        frozenset({"Sergei Lavrov", "China"}),
        frozenset({"Wang Yi", "China"}),
        frozenset({"ASEAN", "O'Brien\" }"}),
    }
    ny = pairs[frozenset({"Sergei Lavrov", "Marco Rubio"})]
    assert ny["meetings"] == 1
    assert ny["first"] == ny["last"] == "2025-09-24"  # at the date's precision


def test_who_met_whom_with_bound_status(events: list[Event]) -> None:
    rows = run_query(to_rdf(events), "who-met-whom", {"status": iri("kg:Planned")})
    assert len(rows) == 3
    assert all(
        "Sergei Lavrov" in (r["a_name"], r["b_name"]) or "China" in (r["a_name"], r["b_name"]) for r in rows
    )


def test_bound_value_with_quotes_is_a_value_not_syntax(events: list[Event]) -> None:
    g = to_rdf(events)
    rows = run_query(g, "actor-meetings", {"actor_name": OBRIEN.name})
    assert len(rows) == 1
    assert rows[0]["others"] == "ASEAN"
    assert rows[0]["date"] == "2024"
    assert rows[0]["status"] == str(KG.Cancelled)
    assert rows[0]["sources"] == 1
    # An injection attempt is just a name nobody has.
    assert run_query(g, "actor-meetings", {"actor_name": '" } UNION { ?meeting ?p ?o } #'}) == []


def test_actor_meetings_in_date_order(events: list[Event]) -> None:
    rows = run_query(to_rdf(events), "actor-meetings", {"?actor_name": "Sergei Lavrov"})
    assert [r["date"] for r in rows] == ["2025-09-24", "2025-10"]
    assert rows[0]["place"] == "New York City"
    assert rows[0]["others"] == "Marco Rubio"
    assert rows[0]["sources"] == 2
    assert sorted(rows[1]["others"].split("; ")) == ["China", "Wang Yi"]  # GROUP_CONCAT has no order
    assert rows[1]["mode"] == str(KG.Remote)


def test_literal_query_text_with_prefixes(events: list[Event]) -> None:
    g = to_rdf(events)
    rows = run_query(g, "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kg:Meeting }")
    assert rows == [{"n": 3}]
    assert run_query(g, "ASK { ?m kg:status kg:Cancelled }") == [{"result": True}]


def test_query_errors(events: list[Event]) -> None:
    g = to_rdf(events)
    with pytest.raises(QueryError, match=r"no stored query named 'nope'; kg query --list describes them \(available: actor-meetings"):
        run_query(g, "nope")
    with pytest.raises(QueryError, match=r"actor-meetings has no variable \?name to bind"):
        run_query(g, "actor-meetings", {"name": "Sergei Lavrov"})
    with pytest.raises(QueryError, match="cannot parse"):
        run_query(g, "SELECT ?x WHERE { ?x ")


def test_iri_expands_kg_prefixes() -> None:
    assert iri("kg:Occurred") == KG.Occurred
    assert iri("person:sergei-lavrov") == URIRef("https://w3id.org/kg/id/person/sergei-lavrov")
    assert iri("<https://example.org/a>") == URIRef("https://example.org/a")
    with pytest.raises(QueryError):
        iri("sergei lavrov")


def test_event_triples_alone(ny_meeting: Event) -> None:
    triples = list(event_triples(ny_meeting))
    assert (meeting_iri(ny_meeting), RDF.type, KG.Meeting) in triples
    assert len(triples) == len(set(triples))


def test_a_meeting_of_three_links_each_of_its_three_pairs_whatever_the_order() -> None:
    m = Mention("a1", 0, 20, "Lavrov, Rubio and Wang met.")
    g = to_rdf([Event((LAVROV, RUBIO, WANG), None, None, evidence=(m,)),
                Event((WANG, LAVROV), None, PartialDate(2025, 1), evidence=(m,))])
    pairs = {p: (g.value(p, KG.firstActor), g.value(p, KG.secondActor)) for p in g.subjects(RDF.type, KG.ActorPair)}
    assert len(pairs) == 3
    assert all(str(a) < str(b) for a, b in pairs.values())
    three = [m for m in g.subjects(RDF.type, KG.Meeting) if len(set(g.objects(m, SEM.hasActor))) == 3]
    assert {frozenset(pairs[p]) for p in g.objects(three[0], KG.pair)} == {
        frozenset({URIRef(actor_iri(x)), URIRef(actor_iri(y))}) for x, y in [(LAVROV, RUBIO), (LAVROV, WANG), (RUBIO, WANG)]}
    lavrov_wang = [p for p, ab in pairs.items() if set(ab) == {URIRef(actor_iri(LAVROV)), URIRef(actor_iri(WANG))}]
    assert len(set(g.subjects(KG.pair, lavrov_wang[0]))) == 2  # one node, shared by both meetings
    ok, report = validate(g)
    assert ok, report
