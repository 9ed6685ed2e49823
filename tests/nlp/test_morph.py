"""Base forms of names the lists do not know (kg/nlp/morph.py)."""

from __future__ import annotations

import pytest

from kg.langs import get_pack
from kg.nlp.morph import base_form_function


@pytest.fixture(scope="module")
def base():
    names = get_pack("ru").meta["names"]
    return base_form_function(names["base_form"], "ru", tuple(names["fallback_endings"]))


@pytest.mark.parametrize(("form", "expected"), [
    ("Ивана Петрова", "Иван Петров"),        # genitive, a man
    ("Анны Петровой", "Анна Петрова"),       # genitive, a woman
    ("Дмитрием Медведевым", "Дмитрий Медведев"),
    ("Касым-Жомартом Токаевым", "Касым-Жомарт Токаев"),  # a hyphenated name declines its last part
    ("Масудом Пезешкианом", "Масуд Пезешкиан"),  # not in the dictionary: the instrumental ending comes off
    ("Иван Петров", "Иван Петров"),          # already the base form
    ("Моди", "Моди"),                        # not read as a verb form
    ("Нетаньяху", "Нетаньяху"),              # indeclinable
])
def test_russian_names_come_to_their_base_form(base, form: str, expected: str) -> None:
    assert base(form) == expected


def test_packs_without_an_analyser_keep_names_as_written() -> None:
    assert base_form_function(None, "en")("Ivana Petrova") == "Ivana Petrova"


def test_an_unknown_analyser_is_an_error() -> None:
    with pytest.raises(ValueError, match="pymorphy3"):
        base_form_function("stanza", "ru")
