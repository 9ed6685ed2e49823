"""Meetings built by hand for the export tests (no NLP involved)."""

from __future__ import annotations

import pytest
from export_samples import HOSTILE

from kg.model import Actor, Event, Mention, PartialDate, Place


@pytest.fixture
def events() -> list[Event]:
    lavrov = Actor("Sergei Lavrov", country="RU", role="Menteri Luar Negeri", wikidata="Q48828")
    rubio = Actor("Marco Rubio", country="US", role="Secretary of State")
    wang = Actor("Wang Yi", country="CN")
    return [
        Event(
            participants=(lavrov, rubio),
            location=Place("New York City", country="US", lat=40.71427, lon=-74.00597, geonames=5128581),
            date=PartialDate(2025, 9, 24),
            evidence=(
                Mention(
                    "headline-2025-09-25",
                    120,
                    185,
                    "Pertemuan keduanya berlangsung di New York City pada Rabu (24/9).",
                    status="occurred",
                    lang="id",
                    url="https://example.org/news/1",
                ),
            ),
        ),
        Event(
            participants=(lavrov, wang, Actor("China", type="country", country="CN")),
            location=Place("Beijing", venue="Diaoyutai", country="CN"),
            date=PartialDate(2025, 10),
            status="planned",
            mode="remote",
            evidence=(
                Mention("x-1", 5, 60, "Lavrov akan berbicara dengan Wang Yi — “segera”.", status="planned"),
            ),
        ),
        Event(
            participants=(
                Actor(HOSTILE, role="<b>boss</b>", country="FR"),
                Actor("ASEAN", type="organization"),
            ),
            location=Place("<script>alert('place')</script>"),
            date=PartialDate(2024),
            status="cancelled",
            evidence=(
                Mention(
                    "id-<script>",
                    10,
                    42,
                    'He said "</script><script>alert(2)</script>" & left.',
                    status="cancelled",
                ),
            ),
        ),
    ]
