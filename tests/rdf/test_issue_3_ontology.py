"""Issue 3, the ontology's later parts: PLOVER kinds with visitor and host, role statements
with their source and date, OWL-Time, curated Wikidata links. Every graph is SHACL-checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdf_samples import LAVROV, NEW_YORK, RUBIO, WANG
from rdflib import Literal, URIRef

from kg.langs import available_packs, get_pack
from kg.model import Actor, Event, Mention, PartialDate, Place
from kg.nlp.roles import consult, meeting_kind, stated_roles, travel_cues
from kg.rdf import build
from kg.rdf.build import curated_wikidata, to_rdf
from kg.rdf.namespaces import KG, OWL, PROV, RDF, TIME, WD, XSD
from kg.rdf.shacl import validate
from kg.rdf.store import KgStore

SUGIONO = Actor("Sugiono", country="ID", role="Minister of Foreign Affairs")
DAY = PartialDate(2025, 9, 24)
JAKARTA = Place("Jakarta", country="ID")
GENEVA = Place("Geneva", country="CH")


def meeting(text: str, *, lang: str = "en", place: Place | None = JAKARTA, who=(LAVROV, SUGIONO),
            mode: str = "in-person", date: PartialDate | None = DAY,
            published: str | None = "2025-09-25") -> Event:
    return Event(who, place, date, "occurred", mode,  # type: ignore[arg-type]
                 evidence=(Mention("art-1", 0, len(text), text, lang=lang, published=published),))


def checked(events: list[Event]):
    g = to_rdf(events)
    ok, report = validate(g)
    assert ok, report
    return g


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(("event", "kind"), [
    (meeting("Lavrov met Sugiono in Jakarta."), "visit"),
    (meeting("Lavrov met Sugiono in Geneva.", place=GENEVA), "third-party"),
    (meeting("Lavrov, Sugiono and Wang met.", who=(LAVROV, SUGIONO, WANG)), "multilateral"),
    (meeting("Lavrov called Sugiono.", mode="remote"), "phone"),
    (meeting("They met.", place=None), None),
    (meeting("They met.", who=(LAVROV, Actor("Sergei Shoigu", country="RU")), place=Place("Moscow", country="RU")),
     None),
])
def test_kind_follows_mode_participants_and_place(event: Event, kind: str | None) -> None:
    assert meeting_kind(event) == kind
    g = checked([event])
    kinds = set(g.objects(None, KG.kind))
    assert kinds == ({build.KIND[kind]} if kind else set())


@pytest.mark.parametrize(("text", "lang"), [
    ("Lavrov arrived in Jakarta on Wednesday.", "en"),
    ("Lavrov melakukan kunjungan kerja ke Jakarta.", "id"),
    ("Lavrov a effectué une visite à Jakarta.", "fr"),
    ("Lavrov llegó a Yakarta el miércoles.", "es"),
    ("Lawrow ist zu einem Besuch in Jakarta eingetroffen.", "de"),
    ("Лавров прибыл в Джакарту с визитом.", "ru"),
    ("Lavrov chegou a Jacarta na quarta-feira.", "pt"),
])
def test_visitor_and_host_when_the_text_says_who_travelled(text: str, lang: str) -> None:
    e = meeting(text, lang=lang)
    c = consult(e)
    assert (c.kind, c.visitors, c.hosts) == ("visit", (LAVROV,), (SUGIONO,))
    g = checked([e])
    node = next(iter(g.subjects(RDF.type, KG.Meeting)))
    assert [str(v) for v in g.objects(node, KG.visitor)] == ["https://w3id.org/kg/id/person/Q48828"]
    assert [str(h) for h in g.objects(node, KG.host)] == ["https://w3id.org/kg/id/person/sugiono"]


def test_no_travel_word_no_visitor_even_for_a_visit() -> None:
    e = meeting("Lavrov und Sugiono sprachen in Jakarta.", lang="de")
    assert consult(e).kind == "visit" and consult(e).visitors == ()
    g = checked([e])
    assert not set(g.objects(None, KG.visitor)) and not set(g.objects(None, KG.host))
    # a cue of another language does not count: "visit" is English
    assert consult(meeting("the visit", lang="id")).visitors == ()


def test_cue_words_match_whole_words_only() -> None:
    en = travel_cues("en")
    assert en is not None and not en.search("revisited assumptions") and en.search("State Visit")
    assert travel_cues(None) is None and travel_cues("zz") is None


@pytest.mark.parametrize("code", available_packs())
def test_every_pack_has_travel_cues(code: str) -> None:
    pattern = travel_cues(code)
    assert pattern is not None, f"{code}: roles.toml missing or without travel cues"
    assert "roles.toml" in get_pack(code).path.joinpath("pack.toml").read_text(encoding="utf-8")


def test_a_visitor_that_is_not_a_visit_is_invalid() -> None:
    g = checked([meeting("Lavrov met Sugiono in Geneva.", place=GENEVA)])
    node = next(iter(g.subjects(RDF.type, KG.Meeting)))
    g.add((node, KG.visitor, URIRef("https://w3id.org/kg/id/person/Q48828")))
    ok, report = validate(g)
    assert not ok and "only a kg:Visit has a kg:visitor" in report


# --------------------------------------------------------------------------- roles


def test_roles_are_statements_of_a_source_on_a_day() -> None:
    e = stated_roles(meeting("Menlu Rusia Sergei Lavrov bertemu Menlu Sugiono.", lang="id"))
    g = checked([e])
    statements = set(g.subjects(RDF.type, KG.RoleStatement))
    assert len(statements) == 2
    got = {(str(g.value(s, KG.roleOf)), str(g.value(s, KG.roleText)), g.value(s, KG.statedOn)) for s in statements}
    assert got == {
        ("https://w3id.org/kg/id/person/Q48828", "Menteri Luar Negeri", Literal("2025-09-25", datatype=XSD.date)),
        ("https://w3id.org/kg/id/person/sugiono", "Minister of Foreign Affairs",
         Literal("2025-09-25", datatype=XSD.date)),
    }
    for s in statements:
        (source,) = g.objects(s, PROV.wasDerivedFrom)
        assert (source, RDF.type, KG.SourceMention) in g


def test_two_articles_two_roles_for_one_actor() -> None:
    a = stated_roles(meeting("Lavrov met Rubio.", who=(LAVROV, RUBIO), place=NEW_YORK))
    b = Event((Actor(LAVROV.name, country="RU", role="Foreign Minister", wikidata=LAVROV.wikidata), RUBIO),
              NEW_YORK, PartialDate(2025, 9, 24),
              evidence=(Mention("art-2", 0, 20, "The Foreign Minister met Rubio.", lang="en", published=None),))
    b = stated_roles(b)
    merged = Event(a.participants, a.location, a.date, evidence=a.evidence + b.evidence)
    g = checked([merged])
    lavrov = URIRef("https://w3id.org/kg/id/person/Q48828")
    roles = {(str(g.value(s, KG.roleText)), g.value(s, KG.statedOn))
             for s in g.subjects(KG.roleOf, lavrov)}
    assert roles == {("Menteri Luar Negeri", Literal("2025-09-25", datatype=XSD.date)), ("Foreign Minister", None)}


def test_mention_roles_round_trip_and_old_records_still_read() -> None:
    m = Mention("a", 0, 5, "x", roles=(("Sergei Lavrov", "Foreign Minister"),))
    d = m.to_dict()
    assert d["roles"] == [{"name": "Sergei Lavrov", "role": "Foreign Minister"}]
    assert Mention.from_dict(d) == m
    assert "roles" not in Mention("a", 0, 5, "x").to_dict()
    assert Mention.from_dict({"article": "a", "start": 0, "end": 5, "sentence": "x"}).roles == ()


def test_roles_survive_the_store() -> None:
    s = KgStore()
    s.add([stated_roles(meeting("Lavrov met Sugiono in Jakarta."))])
    rows = s.rows("SELECT ?t ?d WHERE { ?s a kg:RoleStatement ; kg:roleText ?t ; kg:statedOn ?d } ORDER BY ?t")
    assert [r["t"] for r in rows] == ["Menteri Luar Negeri", "Minister of Foreign Affairs"]
    ok, report = validate(s.to_rdflib())
    assert ok, report


def test_pipeline_keeps_each_articles_roles() -> None:
    import kg

    events = kg.build(kg.read_articles([str(Path(__file__).parents[2] / "tests" / "data" / "sample" / "samples.jsonl")]))
    with_roles = [m for e in events for m in e.evidence if m.roles]
    assert with_roles, "the sample articles name roles"
    for m in with_roles:
        assert all(isinstance(n, str) and isinstance(r, str) and r for n, r in m.roles)


# --------------------------------------------------------------------------- time


def test_owl_time_for_a_day_and_for_a_month() -> None:
    day = meeting("Lavrov met Sugiono.")
    month = meeting("Lavrov met Sugiono.", who=(LAVROV, RUBIO), place=None, date=PartialDate(2025, 2))
    g = checked([day, month])
    instants = {g.value(t, TIME.inXSDDate) for t in g.subjects(RDF.type, TIME.Instant)}
    assert instants == {Literal(d, datatype=XSD.date) for d in ("2025-09-24", "2025-02-01", "2025-02-28")}
    (interval,) = g.subjects(RDF.type, TIME.ProperInterval)
    assert g.value(g.value(interval, TIME.hasEnd), TIME.inXSDDate) == Literal("2025-02-28", datatype=XSD.date)
    assert len(set(g.subject_objects(TIME.hasTime))) == 2
    undated = checked([meeting("x", date=None)])
    assert not set(undated.subject_objects(TIME.hasTime))


# --------------------------------------------------------------------------- Wikidata


def test_curated_wikidata_links_only_listed_actors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    putin = Actor("Vladimir Putin", country="RU")
    e = meeting("Putin met Sugiono.", who=(putin, SUGIONO))
    g = checked([e])
    assert set(g.objects(None, OWL.sameAs)) == {WD.Q7747}
    monkeypatch.setattr(build, "WIKIDATA_FILE", tmp_path / "missing.csv")
    assert set(to_rdf([e]).objects(None, OWL.sameAs)) == set()  # the build works without the file


def test_curated_wikidata_agrees_with_the_actor_list() -> None:
    import json

    shared = Path(__file__).parents[2] / "kg" / "langs" / "_shared" / "actors.jsonl"
    known = {}
    for line in shared.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d.get("wikidata"):
            known[(d["name"], d["type"])] = d["wikidata"]
    curated = curated_wikidata()
    assert len(curated) >= 30
    for key, qid in curated.items():
        assert known.get(key, qid) == qid, key


# --------------------------------------------------------------------------- what kg build writes


def test_every_graph_kg_build_writes_is_shacl_valid(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from rdflib import Graph

    from kg.cli import main

    data = Path(__file__).parents[2] / "tests" / "data" / "sample"
    result = CliRunner().invoke(main, ["build", str(data), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    turtle = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    store = KgStore(tmp_path / "store", read_only=True)
    union = store.to_rdflib()
    for g in (turtle, union):
        ok, report = validate(g)
        assert ok, report
        assert set(g.subjects(RDF.type, KG.RoleStatement))
        assert set(g.objects(None, KG.kind)) >= {KG.Visit}
        assert set(g.subject_objects(TIME.hasTime))
    # Pope Francis came to Jakarta (sample-id-001): the text says it was a visit
    visits = {(str(v), str(h)) for m in turtle.subjects(KG.kind, KG.Visit)
              for v in turtle.objects(m, KG.visitor) for h in turtle.objects(m, KG.host)}
    assert ("https://w3id.org/kg/id/person/Q450675", "https://w3id.org/kg/id/person/joko-widodo") in visits
