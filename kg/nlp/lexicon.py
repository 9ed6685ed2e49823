"""General evidence about words: is a capitalised word a given name, or an ordinary word of the
language that happens to start a headline, a caption or a portfolio ("Pertanian", "Border")?

Two maintained lexicons answer, instead of lists of exceptions grown from articles:

- **word frequencies** (wordfreq, offline data in its wheel, all seven pack languages): a word
  whose Zipf frequency in the article's language reaches the pack's ``ordinary_zipf`` is an
  ordinary word. Famous names are frequent too ("Prabowo", "Trump"), but those are known actors
  and never reach this test: it only judges names kg does not know, which are rare words.
- **given names**: the ~48,000 first names of Jörg Michael's name dictionary as shipped by
  gender-guesser (European, Arabic, Turkish, Chinese, Indian, Japanese, Korean names...), the
  first names of kg's curated actors, and for packs that use it, pymorphy3's OpenCorpora
  dictionary (a word it analyses as a given name: "Иван", "Мария").

>>> is_given_name("Olivier") and is_given_name("Thérèse") and not is_given_name("Border")
True
>>> zipf("pertanian", "id") > 4 and zipf("nduhungirehe", "en") == 0
True
"""

from __future__ import annotations

import math
import unicodedata
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from kg.langs import get_pack, shared_actors


def fold(word: str) -> str:
    """Lower case without accents: "Thérèse" -> "therese"."""
    if word.isascii():
        return word.lower()
    s = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in s if not unicodedata.combining(c))


@cache
def _frequencies(lang: str) -> dict[str, float]:
    """wordfreq's "small" list for a language (about 30,000 words, the common ones: 0.05 s to load)."""
    from wordfreq import get_frequency_dict

    try:
        return get_frequency_dict(lang, wordlist="small")
    except LookupError:
        return {}


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """The word's Zipf frequency in the language (0 when it is not among the common words).

    Zipf 6 is about once in a thousand words, 3 about once in a million.
    """
    f = _frequencies(lang).get(word.casefold(), 0.0)
    return round(math.log10(f) + 9, 2) if f > 0 else 0.0


@cache
def _given_names() -> frozenset[str]:
    names: set[str] = set()
    text = files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="iso-8859-1")
    for line in text.splitlines():
        if line.startswith("#") or len(line) < 30:
            continue
        # columns 4-29 hold the name; "+" joins the parts of a compound name; "<...>" codes accents
        raw = line[3:29]
        if "<" in raw:
            continue  # an accented spelling in the file's own code: its plain-letter twin is listed too
        names.update(part for part in raw.replace("+", " ").replace("-", " ").lower().split() if len(part) > 1)
    for a in shared_actors():
        if a.get("type", "person") == "person":
            first = a["name"].split()[0]
            if len(first) > 1 and first[0].isupper():
                names.add(fold(first))
    return frozenset(names)


@lru_cache(maxsize=16384)
def _morph_given(word: str, lang: str) -> bool:
    from kg.nlp.morph import _pymorphy

    return any("Name" in p.tag.grammemes for p in _pymorphy(lang).parse(word) if p.score >= 0.1)


@cache
def stop_words(lang: str) -> frozenset[str]:
    """The language's function words (spaCy's stop words), lower case."""
    import spacy

    return frozenset(spacy.util.get_lang_class(get_pack(lang).spacy_lang).Defaults.stop_words)


def is_given_name(word: str, lang: str | None = None) -> bool:
    """True when ``word`` is a given name in the lexicons (for a pack whose ``[names] base_form``
    is pymorphy3, also when its dictionary analyses it as one). A function word of the language
    is never one (the name dictionary lists "Will", "Ali" and "Dan" too)."""
    if len(word) < 3 or (lang and word.casefold() in stop_words(lang)):
        return False
    if fold(word) in _given_names():
        return True
    if lang and not word.isascii():
        names = get_pack(lang).meta.get("names", {})
        if names.get("base_form") == "pymorphy3":
            return _morph_given(word, lang)
    return False


@cache
def _gender_detector() -> Any:
    import gender_guesser.detector as detector  # its dictionary loads in about 0.3 s: only when asked

    return detector.Detector(case_sensitive=False)


@lru_cache(maxsize=16384)
def given_name_gender(word: str) -> str | None:
    """ "female" or "male" when gender-guesser's dictionary gives the given name one (or mostly one),
    else None ("Xi", "Prabowo").

    >>> given_name_gender("Claudia"), given_name_gender("Donald"), given_name_gender("Prabowo")
    ('female', 'male', None)
    """
    found = _gender_detector().get_gender(word)
    return "female" if found in ("female", "mostly_female") else "male" if found in ("male", "mostly_male") else None


_LATIN_LANGS = ("en", "id", "fr", "es", "de", "pt")


def is_international(word: str, lang: str, threshold: float) -> bool:
    """A word about as frequent in three or more other languages written in Latin script as in
    ``lang`` (within one Zipf unit, and at least ``threshold``) and much more frequent in none: the
    names news in every language repeats ("Trump", "Putin", "Biden"), not a language's own common
    words, which the others use far less ("Border", "Tenggara"), nor another language's ("Vale").

    >>> is_international("Trump", "en", 3.0), is_international("Border", "en", 3.0), is_international("Vale", "en", 3.0)
    (True, False, False)
    """
    own = zipf(word, lang)
    floor, ceiling = max(threshold, own - 1.0), own + 1.0
    others = [zipf(word, other) for other in _LATIN_LANGS if other != lang]
    # (and a common word of no other language: "Vale" is frequent in Spanish and Portuguese as a word)
    return sum(1 for z in others if floor <= z <= ceiling) >= 3 and max(others) <= ceiling


def is_ordinary(word: str, lang: str, threshold: float) -> bool:
    """True when ``word`` is a common word of ``lang`` (Zipf frequency at least ``threshold``) and
    not a given name."""
    return zipf(word, lang) >= threshold and not is_given_name(word, lang)


def is_compound(word: str, lang: str, threshold: float) -> bool:
    """True when ``word`` is two common words of ``lang`` written as one, with or without a linking
    "s", "es", "n" or "en" ("Planungssicherheit", "Foltergefängnis"): a common noun of a language
    that writes its compounds as one word, not a name.

    >>> is_compound("Foltergefängnis", "de", 3.0), is_compound("Planungssicherheit", "de", 3.0)
    (True, True)
    >>> is_compound("Saidnaja", "de", 3.0), is_compound("Kasparow", "de", 3.0)
    (False, False)

    Many German surnames are such compounds too ("Steinmeier"): only a run with no other evidence of
    a name should be judged by it.
    """
    w = word.casefold()
    for i in range(4, len(w) - 4):
        first, second = w[:i], w[i:]
        if len(second) < 5 or zipf(second, lang) < threshold:
            continue
        for link in ("", "s", "es", "n", "en"):
            head = first[: len(first) - len(link)] if link and first.endswith(link) else (first if not link else "")
            if len(head) >= 4 and zipf(head, lang) >= threshold:
                return True
    return False


__all__ = ["fold", "given_name_gender", "is_compound", "is_given_name", "is_international", "is_ordinary", "stop_words",
           "zipf"]
