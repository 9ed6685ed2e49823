"""Meetings built by hand for the RDF tests (no NLP involved)."""

from __future__ import annotations

import pytest
from rdf_samples import ASEAN, CHINA, DIAOYUTAI, LAVROV, NEW_YORK, OBRIEN, RUBIO, SENTENCE, WANG

from kg.model import Event, Mention, PartialDate


@pytest.fixture
def ny_meeting() -> Event:
    return Event(
        participants=(LAVROV, RUBIO),
        location=NEW_YORK,
        date=PartialDate(2025, 9, 24),
        status="occurred",
        mode="in-person",
        evidence=(
            Mention(
                "headline-2025-09-25",
                120,
                185,
                SENTENCE,
                status="occurred",
                lang="id",
                url="https://example.org/news/1",
            ),
            Mention("tass-42", 0, 40, "Lavrov and Rubio met in New York.", status="occurred", lang="en"),
        ),
    )


@pytest.fixture
def trilateral() -> Event:
    return Event(
        participants=(LAVROV, WANG, CHINA),
        location=DIAOYUTAI,
        date=PartialDate(2025, 10),
        status="planned",
        mode="remote",
        evidence=(
            Mention("x-1", 5, 60, "Lavrov will talk to Wang Yi by video in October.", status="planned"),
        ),
    )


@pytest.fixture
def yearly() -> Event:
    return Event(
        participants=(ASEAN, OBRIEN),
        location=None,
        date=PartialDate(2024),
        status="cancelled",
        mode="in-person",
        evidence=(Mention("y-7", 10, 30, "The visit was called off.", status="cancelled", lang="en"),),
    )


@pytest.fixture
def events(ny_meeting: Event, trilateral: Event, yearly: Event) -> list[Event]:
    return [ny_meeting, trilateral, yearly]
