"""Base forms of inflected names a pack does not list: "Ивана Петрова" is "Иван Петров".

A pack chooses its analyser in pack.toml (``[names] base_form = "pymorphy3"``); packs without one
keep names as written. Known people never come here: their case forms are in the pack's
actors.jsonl. This is for the people the lists do not know, so that "Петрова", "Петрову" and
"Петровым" in one article (and in ten) are one person.

pymorphy3 with its OpenCorpora dictionary (pymorphy3-dicts-ru, offline) analyses each word; only
an analysis as a given name, surname or patronymic is trusted, so "Моди" is not read as a verb
and a word it cannot place as a name stays as written.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})


@lru_cache(maxsize=4)
def _pymorphy(lang: str) -> Any:
    import pymorphy3  # imported here: only packs that ask for it pay its start-up (about 0.3 s)

    return pymorphy3.MorphAnalyzer(lang=lang)


def _restore_case(word: str, like: str) -> str:
    """The base form written with the capitals of the original ("петров" like "Петрова": "Петров")."""
    parts = word.split("-")
    orig = like.split("-")
    out = []
    for i, p in enumerate(parts):
        o = orig[i] if i < len(orig) else orig[-1]
        out.append(p.upper() if o.isupper() and len(o) > 1 else p[:1].upper() + p[1:] if o[:1].isupper() else p)
    return "-".join(out)


def _word_base(analyser: Any, word: str, endings: tuple[str, ...]) -> str:
    if "-" in word:  # "Касым-Жомартом": the last part declines
        head, _, last = word.rpartition("-")
        return f"{head}-{_word_base(analyser, last, endings)}"
    parses = [p for p in analyser.parse(word) if _NAME_TAGS & p.tag.grammemes]
    if not parses:
        # a foreign name the dictionary does not know: only the pack's unambiguous endings
        # ("Пезешкианом", "Шольцем": the instrumental) are taken off
        for end in endings:
            if word.endswith(end) and len(word) - len(end) >= 4:
                return word[: -len(end)]
        return word
    best = max(parses, key=lambda p: p.score)
    if "nomn" in best.tag.grammemes or "Fixd" in best.tag.grammemes:
        return word
    gender = {g for g in ("masc", "femn") if g in best.tag.grammemes}
    form = best.inflect({"nomn", "sing", *gender}) or best.inflect({"nomn"})
    if form is None:
        return word
    out = _restore_case(form.word, word)
    if "ё" not in word.casefold():
        out = out.replace("ё", "е").replace("Ё", "Е")  # written as the article writes it: "Петр", not "Пётр"
    # a base form longer than the inflected one is a guess gone wrong ("Сибигой" is not "Сибигойя")
    return word if len(out) > len(word) else out


@lru_cache(maxsize=16)
def base_form_function(backend: str | None, lang: str, endings: tuple[str, ...] = ()) -> Callable[[str], str]:
    """The function a pack's ``[names]`` settings describe (identity when they name no analyser).

    Args:
        backend: the analyser (``base_form`` in pack.toml's ``[names]``): "pymorphy3" or none.
        lang: its language.
        endings: case endings taken off a name the analyser does not know (``fallback_endings``).

    Raises:
        ValueError: an analyser kg does not know.
    """
    if not backend:
        return lambda name: name
    if backend != "pymorphy3":
        raise ValueError(f"unknown [names] base_form analyser {backend!r} (kg knows: pymorphy3)")
    analyser = _pymorphy(lang)

    @lru_cache(maxsize=65536)
    def base(name: str) -> str:
        return " ".join(_word_base(analyser, w, endings) for w in name.split())

    return base


__all__ = ["base_form_function"]
