"""Merging by place: a city lies in its region, so an undated "Anchorage" report joins "Alaska"."""

from __future__ import annotations

from kg.gazetteer import get_gazetteer
from kg.merge import merge
from kg.model import Actor, Event, Mention, PartialDate, Place

A, B = Actor("Vladimir Putin"), Actor("Donald Trump")


def _place(name: str) -> Place:
    rec = get_gazetteer().lookup(name)
    assert rec is not None, name
    return Place(name=rec.name, country=rec.country, geonames=rec.geonames,
                 city=rec.name if rec.kind == "city" else None,
                 region=rec.name if rec.kind == "region" else rec.region)


def _mention(article: str, place: Place | None, date: PartialDate | None) -> Event:
    return Event((A, B), place, date, evidence=(Mention(article, 0, 4, "text"),))


def test_gazetteer_knows_the_region_of_a_us_city() -> None:
    assert get_gazetteer().lookup("Anchorage").region == "Alaska"
    assert get_gazetteer().lookup("Honolulu").region == "Hawaii"


def test_numeric_admin_codes_are_not_read_as_iso_subdivisions() -> None:
    # GeoNames numbers Japan's prefectures its own way: Sapporo must not land in a wrong region
    regions = {r.region for r in get_gazetteer().cities.values() if r.country == "JP"}
    assert regions == {None}


def test_undated_city_report_joins_the_dated_region_report() -> None:
    events = merge([_mention("a", _place("Alaska"), PartialDate(2025, 8)), _mention("b", _place("Anchorage"), None)])
    assert len(events) == 1
    (ev,) = events
    assert ev.location is not None and ev.location.name == "Anchorage"  # the more precise place is kept
    assert {m.article_id for m in ev.evidence} == {"a", "b"}


def test_two_cities_of_one_region_stay_apart_when_undated() -> None:
    events = merge([_mention("a", _place("Los Angeles"), None), _mention("b", _place("San Francisco"), None)])
    assert len(events) == 2
