"""The evaluation sets shipped in eval/ agree with themselves (eval/check.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[1] / "eval"


def _checker():
    spec = importlib.util.spec_from_file_location("eval_check", EVAL / "check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name", ["heldout", "heldout2", "train", "train2", "train3", "train4", "train5", "train6"])
def test_shipped_set_is_consistent(name: str) -> None:
    assert (EVAL / name / "en" / "gold.jsonl").is_file()
    assert _checker().check(EVAL / name) == []


def test_checker_finds_an_alias_missing_from_the_text(tmp_path: Path) -> None:
    d = tmp_path / "en"
    d.mkdir()
    (d / "articles.jsonl").write_text('{"id": "a1", "lang": "en", "published": "2025-01-02", "text": "Biden met Xi."}\n')
    (d / "gold.jsonl").write_text(
        '{"id": "a1", "meetings": [{"event": "biden-xi-2025-01-01", "participants": ['
        '{"name": "Joe Biden", "aliases": ["Biden"], "type": "person", "country": "US"}, '
        '{"name": "Xi Jinping", "aliases": ["Xi Jinping"], "type": "person", "country": "CN"}], '
        '"location": null, "date": "2025-01-01", "status": "occurred", "mode": "in-person"}]}\n')
    problems = _checker().check(tmp_path)
    assert len(problems) == 1 and "Xi Jinping" in problems[0]
