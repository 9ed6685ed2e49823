"""kg.names: the explorer's search, in Python, for query parameters (issue 16)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.errors import NameMatchError
from kg.names import NameIndex, actor_names, did_you_mean, fold

PAGE = Path(__file__).resolve().parents[1] / "kg" / "export" / "explorer.js"


def test_fold_is_the_pages_fold() -> None:  # the explorer's script
    js = re.search(r"function fold\(s\) \{\s*return (.*?);\s*\}", PAGE.read_text(encoding="utf-8")).group(1)
    assert js == ('String(s).normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase()'
                  '.replace(/\\s+/g, " ").trim()')  # what kg.names.fold does; change both or neither
    assert fold("  Sergueï\tLAVROV ") == "serguei lavrov"
    assert fold("Сергей Лавров") == "сергеи лавров"  # й loses its breve, as on the page


def test_matches_are_the_pages_matches_word_starts_first() -> None:
    idx = NameIndex([("a", "Abdulaziz", ["Abdulaziz"]), ("z", "Aziz Akhannouch", ["Aziz Akhannouch"])])
    assert idx.matches("aziz") == ["z", "a"]  # a word starting with it, then inside a word
    assert idx.matches("") == []


def test_resolve_by_alias_case_script_and_surname() -> None:
    idx = NameIndex([("l", "Sergei Lavrov", actor_names("Sergei Lavrov")), ("w", "Wang Yi", ["Wang Yi"]),
                     ("x", "Wang Wenbin", ["Wang Wenbin"])])
    for q in ["Sergei Lavrov", "sergei lavrov", "Сергей Лавров", "Лавров", "lavrov", "Sergey Lavrov", "SERGUEÏ LAVROV"]:
        assert idx.resolve(q, what="actor") == "l", q
    assert idx.resolve("wang yi", what="actor") == "w"  # a whole name wins over a word start elsewhere
    with pytest.raises(NameMatchError, match=r"^'Wang' fits 2 actors: Wang Yi, Wang Wenbin; give more of the name$"):
        idx.resolve("Wang", what="actor")
    with pytest.raises(NameMatchError, match=r"^no actor named 'Lavrof'; did you mean Sergei Lavrov\?$"):
        idx.resolve("Lavrof", what="actor")
    with pytest.raises(NameMatchError, match=r"^no actor named 'Zzyzx'$"):
        idx.resolve("Zzyzx", what="actor")


def test_actor_names_are_the_explorers() -> None:
    names = actor_names("Sergei Lavrov", written=["S. Lavrov"])
    assert names[:2] == ["Sergei Lavrov", "S. Lavrov"] and "Сергей Лавров" in names
    assert actor_names("Nobody Known", wikidata="Q1") == ["Nobody Known"]


def test_did_you_mean() -> None:
    assert did_you_mean("who-met-who", ["who-met-whom", "top-actors"]) == "; did you mean who-met-whom?"
    assert did_you_mean("xyz", ["who-met-whom"]) == ""
