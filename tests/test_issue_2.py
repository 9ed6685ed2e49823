"""Regression tests for issue 2: the seed article in data/ gives exactly its two meetings."""

from __future__ import annotations

from pathlib import Path

from kg.ingest import read_articles
from kg.pipeline import build

SEED = Path(__file__).resolve().parents[1] / "data" / "lavrov-rubio-2025-09-24.id.txt"


def test_seed_article_gives_exactly_two_meetings() -> None:
    (article,) = list(read_articles([SEED]))
    assert article.lang == "id"
    assert article.published_from == "text" and article.published is not None
    events = build([article])
    got = {(frozenset(a.name for a in e.participants), e.date.iso() if e.date else None,
            e.location.name if e.location else None, e.status) for e in events}
    assert got == {
        (frozenset({"Sergei Lavrov", "Marco Rubio"}), "2025-09-24", "New York City", "occurred"),
        (frozenset({"Vladimir Putin", "Donald Trump"}), "2025-08-15", "Alaska", "occurred"),
    }
    lavrov = next(e for e in events if "Sergei Lavrov" in {a.name for a in e.participants})
    source = lavrov.to_dict()["sources"][0]
    assert source["published_from"] == "text"
    assert article.text[source["start"]:source["end"]] == source["sentence"]
