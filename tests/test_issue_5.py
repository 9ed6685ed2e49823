"""Issue 5: one meeting reported in Indonesian, Russian, French, German, Spanish and Portuguese is one event."""

from __future__ import annotations

import datetime as dt

from kg.model import Article
from kg.pipeline import build

PUB = dt.date(2025, 9, 25)
REPORTS = {
    "id": "Menteri Luar Negeri Rusia Sergei Lavrov bertemu Menteri Luar Negeri AS Marco Rubio di New York, Rabu (24/9).",
    "ru": "Министр иностранных дел России Сергей Лавров в среду встретился в Нью-Йорке с госсекретарем США Марко Рубио.",
    "fr": "Le ministre russe des Affaires étrangères, Sergueï Lavrov, a rencontré mercredi 24 septembre à New York le secrétaire d'État américain Marco Rubio.",
    "de": "Der russische Außenminister Sergej Lawrow hat sich am Mittwoch in New York mit US-Außenminister Marco Rubio getroffen.",
    "es": "El canciller ruso, Serguéi Lavrov, se reunió el miércoles en Nueva York con el secretario de Estado estadounidense, Marco Rubio.",
    "pt": "O chanceler russo Serguei Lavrov reuniu-se na quarta-feira em Nova York com o secretário de Estado americano, Marco Rubio.",
}


def test_each_language_finds_the_meeting() -> None:
    for lang, text in REPORTS.items():
        events = build([Article(f"a-{lang}", text, lang=lang, published=PUB)])
        assert [sorted(a.name for a in e.participants) for e in events] == [["Marco Rubio", "Sergei Lavrov"]], lang
        (ev,) = events
        assert ev.date is not None and ev.date.iso() == "2025-09-24", (lang, ev.date)
        assert ev.location is not None and ev.location.city == "New York City", (lang, ev.location)


def test_the_reports_merge_into_one_event_with_every_source() -> None:
    events = build([Article(f"a-{lang}", text, lang=lang, published=PUB) for lang, text in REPORTS.items()])
    assert len(events) == 1
    (ev,) = events
    assert sorted(a.name for a in ev.participants) == ["Marco Rubio", "Sergei Lavrov"]
    assert {m.article_id for m in ev.evidence} == {f"a-{lang}" for lang in REPORTS}
    assert {m.lang for m in ev.evidence} == set(REPORTS)
