from __future__ import annotations

from kg.evaluate import format_scores, score

GOLD = [{"id": "a1", "meetings": [
    {"event": "x", "participants": [{"name": "Sergei Lavrov", "aliases": ["Lavrov"]}, {"name": "Marco Rubio"}],
     "location": {"name": "New York City", "aliases": ["New York"]}, "date": "2025-09-24", "status": "occurred",
     "mode": "in-person"},
    {"event": "y", "participants": [{"name": "Vladimir Putin"}, {"name": "Donald Trump"}],
     "location": None, "date": "2025-08", "status": "planned", "mode": "in-person"},
]}]


def event(names, date, status="occurred", loc=None, eid="e"):
    return {"id": eid, "participants": [{"name": n} for n in names], "location": loc, "date": date, "status": status,
            "sources": [{"article": "a1"}]}


def test_perfect_output_scores_one() -> None:
    s = score(GOLD, [event(["Sergei Lavrov", "Marco Rubio"], "2025-09-24", loc={"name": "New York"}),
                     event(["Vladimir Putin", "Donald Trump"], "2025-08-15", status="planned", eid="f")])
    assert s["pairs"]["f1"] == 1.0 and s["planned_pairs"]["f1"] == 1.0 and s["quads"]["f1"] == 1.0
    assert s["date_acc"] == 1.0 and s["loc_acc"] == 1.0


def test_a_coarser_date_is_wrong_and_a_missing_place_is_wrong() -> None:
    s = score(GOLD, [event(["Lavrov", "Marco Rubio"], "2025-09")])
    assert s["pairs"]["f1"] == 1.0  # surname-only names still match
    assert s["date_acc"] == 0.0 and s["loc_acc"] == 0.0 and s["quads"]["tp"] == 0


def test_an_extra_pair_costs_precision() -> None:
    s = score(GOLD, [event(["Sergei Lavrov", "Marco Rubio", "Maria Zakharova"], "2025-09-24")])
    assert s["pairs"]["fp"] == 2 and s["pairs"]["tp"] == 1
    assert "pairs" in format_scores(s)
