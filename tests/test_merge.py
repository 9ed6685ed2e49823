from __future__ import annotations

from kg.merge import merge
from kg.model import Actor, Event, Mention, PartialDate, Place

LAVROV, RUBIO, WANG = Actor("Sergei Lavrov", country="RU"), Actor("Marco Rubio", country="US"), Actor("Wang Yi")


def ev(people, date, article, status="occurred", place=None):
    return Event(tuple(people), place, PartialDate.parse(date) if date else None, status,
                 evidence=(Mention(article, 0, 10, f"sentence of {article}", status),))


def test_same_meeting_in_two_articles_is_one_event_with_both_sources() -> None:
    (e,) = merge([ev([LAVROV, RUBIO], "2025-09-24", "a"), ev([RUBIO, LAVROV], "2025-09", "b")])
    assert [m.article_id for m in e.evidence] == ["a", "b"]
    assert e.date == PartialDate(2025, 9, 24)  # the more precise date wins


def test_different_days_stay_apart() -> None:
    events = merge([ev([LAVROV, RUBIO], "2025-09-24", "a"), ev([LAVROV, RUBIO], "2025-07-10", "b")])
    assert len(events) == 2


def test_planned_then_held_is_one_occurred_event_keeping_the_source_status() -> None:
    (e,) = merge([ev([LAVROV, RUBIO], "2025-09-24", "a", status="planned"), ev([LAVROV, RUBIO], "2025-09-24", "b")])
    assert e.status == "occurred"
    assert e.to_dict()["sources"][0]["status"] == "planned"
    assert "status" not in e.to_dict()["sources"][1]


def test_larger_meeting_absorbs_a_report_naming_fewer_people() -> None:
    (e,) = merge([ev([LAVROV, RUBIO, WANG], "2025-09-24", "a"), ev([LAVROV, RUBIO], "2025-09-24", "b")])
    assert {a.name for a in e.participants} == {"Sergei Lavrov", "Marco Rubio", "Wang Yi"}


def test_undated_reports_do_not_merge_across_articles() -> None:
    assert len(merge([ev([LAVROV, RUBIO], None, "a"), ev([LAVROV, RUBIO], None, "b")])) == 2


def test_ids_are_stable_and_independent_of_order() -> None:
    a = merge([ev([LAVROV, RUBIO], "2025-09-24", "a"), ev([WANG, RUBIO], "2025-01-02", "b")])
    b = merge([ev([WANG, RUBIO], "2025-01-02", "b"), ev([RUBIO, LAVROV], "2025-09-24", "a")])
    assert sorted(e.id for e in a) == sorted(e.id for e in b)
    assert all(e.id and e.id.startswith("https://") for e in a)


def test_venue_is_preferred_over_a_city() -> None:
    city = Place("New York City", country="US", city="New York City")
    venue = Place("UN Headquarters", country="US", venue="UN Headquarters", city="New York City")
    (e,) = merge([ev([LAVROV, RUBIO], "2025-09-24", "a", place=city), ev([LAVROV, RUBIO], "2025-09-24", "b", place=venue)])
    assert e.location == venue


def test_undated_report_joins_the_same_people_at_the_same_place() -> None:
    alaska = Place("Alaska", country="US", region="Alaska")
    putin, trump = Actor("Vladimir Putin"), Actor("Donald Trump")
    events = merge([ev([putin, trump], "2025-08-15", "a", place=alaska), ev([trump, putin], None, "b", place=alaska),
                    ev([trump, putin], None, "c", place=Place("Geneva"))])
    assert sorted(len(e.evidence) for e in events) == [1, 2]


def test_one_article_two_meetings_of_the_same_people_stay_apart() -> None:
    call = Event((LAVROV, RUBIO), None, PartialDate(2025, 9, 24), mode="remote",
                 evidence=(Mention("a", 0, 5, "call"),))
    visit = Event((LAVROV, RUBIO), None, PartialDate(2025, 9, 24), evidence=(Mention("a", 10, 20, "visit"),))
    assert len(merge([call, visit])) == 2


def test_the_same_people_a_day_apart_are_one_meeting_unless_a_place_tells_them_apart() -> None:
    from kg.model import Actor, Event, Mention, PartialDate, Place

    a, b = Actor("Prabowo Subianto"), Actor("Xi Jinping")
    def ev(art: str, day: int, place: str | None) -> Event:
        return Event((a, b), Place(place) if place else None, PartialDate(2025, 9, day),
                     evidence=(Mention(art, 0, 4, "met"),))
    assert len(merge([ev("x", 3, "Beijing"), ev("y", 4, None)])) == 1  # Jakarta's Thursday, Beijing's Wednesday
    assert len(merge([ev("x", 3, "Beijing"), ev("y", 4, "Beijing")])) == 1
    assert len(merge([ev("x", 3, "Beijing"), ev("y", 4, "Tianjin")])) == 2  # two places: two meetings
    assert len(merge([ev("x", 3, None), ev("y", 5, None)])) == 2  # two days apart: two meetings


def test_a_bilateral_on_the_sidelines_is_not_folded_into_the_summit() -> None:
    xi, putin = Actor("Xi Jinping"), Actor("Vladimir Putin")
    summit = ev([LAVROV, RUBIO, WANG, xi, putin], "2025-09-24", "a")
    told_bilateral = Event((xi, putin), None, PartialDate(2025, 9, 24), evidence=(
        Mention("b", 0, 10, "Xi and Putin held a bilateral meeting", rules=(("shape.bilateral en/cues.jsonl:331", ""),)),))
    plain = ev([xi, putin], "2025-09-24", "c")
    events = merge([summit, told_bilateral, plain])
    assert [len(e.participants) for e in events] == [5, 2]  # the plain report still joins the summit
    assert [m.article_id for m in events[1].evidence] == ["b"]
