"""Build the spaCy pipeline and the matchers for a language pack.

The default pipeline is spaCy's blank tokenizer plus PhraseMatchers built from the pack's data:
no trained model is needed. Sentences are split by ``kg.nlp.extract`` on token arrays (faster
than spaCy's sentencizer); ``make_nlp`` gives a pipeline with a sentencizer that also breaks at
paragraphs, for users who want spaCy sentences.
A user's installed spaCy pipeline (``model="en_core_web_sm"``) adds its PERSON/GPE entities
as an extra signal.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.errors import KgError
from kg.gazetteer import PlaceRecord, get_gazetteer
from kg.langs import Pack, get_pack, shared_actors
from kg.nlp.morph import base_form_function

_BREAK_RE = re.compile(r"\n\s*")


@Language.component("kg_paragraphs")
def _paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after a line break, so headlines and paragraphs never run together."""
    text = doc.text
    if "\n" not in text:
        return doc
    starts = doc.to_array("IDX").tolist()
    for m in _BREAK_RE.finditer(text):
        i = bisect.bisect_left(starts, m.end())
        if 0 < i < len(doc):
            doc[i].is_sent_start = True
    return doc


@dataclass
class Annotator:
    """A pack's spaCy pipeline with its matchers and lookup tables."""

    pack: Pack
    nlp: Language
    actors: list[dict[str, Any]]
    actor_matcher: SurfaceIndex
    title_matcher: PhraseMatcher
    cue_matcher: PhraseMatcher
    place_matcher: SurfaceIndex
    country_matcher: PhraseMatcher
    titles: dict[str, dict[str, Any]]
    places: dict[str, PlaceRecord]
    countries: dict[str, str]
    not_name: frozenset[str]
    particles: frozenset[str]
    locative: tuple[tuple[str, ...], ...]
    venue_heads_after: frozenset[str] = field(default_factory=frozenset)
    venue_heads_before: frozenset[str] = field(default_factory=frozenset)
    extra_model: Language | None = None
    offices: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    base_name: Callable[[str], str] = field(default=lambda name: name)  # "Ивана Петрова" -> "Иван Петров"


class SurfaceIndex:
    """Exact surface forms (names, places) found at token boundaries by dictionary lookup.

    Thousands of names and places per language made PhraseMatchers cost seconds to build at every
    start-up; a dictionary costs nothing to build, and looking up the spans that start at each
    token is about as fast as the matcher on news text.
    """

    def __init__(self, forms: dict[str, str], *, fold_accents: bool = False) -> None:
        self.forms = forms
        self.reach: dict[str, int] = {}  # first word -> longest form that starts with it, in characters
        # with fold_accents, "Abás Araqchí", "Erdogan" and "Лавров" written with ё find the listed forms
        self.fold = fold_accents
        self.folded: dict[str, str] = {}  # every form, accents folded: one lookup finds exact and folded
        if fold_accents:
            for form, label in forms.items():
                self.folded.setdefault(form.translate(_FOLD), label)
        for form in self.folded or forms:
            m = _FIRST_WORD.match(form)
            key = m.group(0) if m else form[:1]
            self.reach[key] = max(self.reach.get(key, 0), len(form))

    def __len__(self) -> int:
        return len(self.forms)

    def find(self, text: str, starts: list[int], tokens: list[str]) -> list[tuple[str, int, int]]:
        """(label, start token, end token) of every form in the text, longest first at each start."""
        out: list[tuple[str, int, int]] = []
        n = len(tokens)
        fold = self.fold
        seen = text.translate(_FOLD) if fold else text  # one character for one: offsets still hold
        table = self.folded if fold else self.forms
        for i, tok in enumerate(tokens):
            m = _FIRST_WORD.match(tok)
            first = m.group(0) if m else tok[:1]
            reach = self.reach.get(first.translate(_FOLD) if fold else first, 0)
            if not reach:
                continue
            begin = starts[i]
            for j in range(i + 1, n + 1):
                end = starts[j - 1] + len(tokens[j - 1])
                if end - begin > reach:
                    break
                label = table.get(seen[begin:end])
                if label is None and end - begin > 2 and seen[end - 1] == "." and tokens[j - 1] != ".":
                    label = table.get(seen[begin:end - 1])  # "... с Ван И.": the sentence's stop stuck to an initial
                if label is not None:
                    if fold:  # the form as written wins over another that folds the same ("Marín", "Marin")
                        label = self.forms.get(text[begin:end], label)
                    out.append((label, i, j))
        return out


def _fold_table() -> dict[int, str]:
    """Accented Latin letters to their base letter, and ё to е, one character for one."""
    table: dict[int, str] = {ord("ё"): "е", ord("Ё"): "Е"}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)
        if len(base) > 1 and base[0].isascii() and base[0].isalpha() and all(unicodedata.combining(c) for c in base[1:]):
            table[code] = base[0]
    return table


_FOLD = _fold_table()


_FIRST_WORD = re.compile(r"\w+")
_PLAIN = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+)*$")


def _pattern(nlp: Language, phrase: str) -> Doc:
    """The tokens of a pattern. Plain words skip the tokenizer (its affix rules cost most of
    the start-up time, and they leave runs of letters whole anyway)."""
    if _PLAIN.match(phrase) and not nlp.tokenizer.rules.get(phrase.split()[0]):  # type: ignore[union-attr]
        words = phrase.split(" ")
        return Doc(nlp.vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
    return nlp.make_doc(phrase)


def _add(matcher: PhraseMatcher, nlp: Language, key: str, phrases: list[str]) -> None:
    docs = [_pattern(nlp, p) for p in phrases if p.strip()]
    if docs:
        matcher.add(key, docs)


def _load_model(name: str) -> Language:
    try:
        return spacy.load(name, exclude=["lemmatizer"])
    except OSError as err:
        raise KgError(f"spaCy pipeline {name!r} is not installed: install its package with pip, or leave out --model "
                      "(the default needs no trained pipeline)") from err


def _tune_tokenizer(nlp: Language, pack: Pack) -> None:
    """The pack's tokenizer settings: abbreviations kept whole ("MM."), elisions split ("d'Emmanuel")."""
    tok = nlp.tokenizer
    for text in pack.meta.get("special_cases", []):
        tok.add_special_case(text, [{ORTH: text}])  # type: ignore[union-attr]
    elisions = pack.meta.get("elisions", [])
    if elisions:
        extra = [re.escape(e) for e in sorted(elisions, key=len, reverse=True)]
        prefixes = list(nlp.Defaults.prefixes or []) + [rf"(?i:{e})(?=\w)" for e in extra]
        tok.prefix_search = spacy.util.compile_prefix_regex(prefixes).search  # type: ignore[union-attr]


def _not_name(nlp: Language, code: str, words: dict[str, Any]) -> frozenset[str]:
    """Capitalised words that never belong to a name: the language's function words (spaCy's stop
    words: "The", "Pada", "Laut"), month and weekday names (CLDR), and the pack's own closed-class
    ``not_name`` words. Other capitalised words are judged by how ordinary they are
    (:mod:`kg.nlp.lexicon`), not listed."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH  # English turns up in every language's news

    from kg.nlp.dates import date_rules

    stop = {w for w in nlp.Defaults.stop_words | ENGLISH if w.isalpha() and len(w) > 1}
    rules = date_rules(code)
    calendar = {w for w in [*rules.months, *rules.days] if w.isalpha()}
    out = {w[:1].upper() + w[1:] for w in stop | calendar}
    out.update(words.get("not_name", []))
    return frozenset(out)


def make_nlp(code: str) -> Language:
    """A blank spaCy pipeline for a pack's language with a sentencizer that breaks at paragraphs."""
    pack = get_pack(code)
    nlp = spacy.blank(pack.spacy_lang)
    _tune_tokenizer(nlp, pack)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_paragraphs")
    return nlp


def make_annotator(code: str, model: str | None = None) -> Annotator:
    """The annotator for a language, built once per process (see ``_make_annotator``)."""
    return _make_annotator(code, model)


@cache
def _make_annotator(code: str, model: str | None = None) -> Annotator:
    """The annotator for a language, built once per process.

    Args:
        code: an installed pack's language code.
        model: optionally, the name of an installed spaCy pipeline to use as an extra signal.
    """
    pack = get_pack(code)
    nlp = spacy.blank(pack.spacy_lang)  # sentences are split in kg.nlp.extract, on token arrays
    _tune_tokenizer(nlp, pack)
    extra = _load_model(model) if model else None
    gaz = get_gazetteer()

    actors = list(shared_actors())
    # a pack's actors.jsonl adds its own forms of known names (inflected, transliterated) or new people
    by_name = {a["name"]: i for i, a in enumerate(actors)}
    extra_aliases: dict[int, list[str]] = {}
    for row in pack.actors:
        if row["name"] in by_name:
            extra_aliases.setdefault(by_name[row["name"]], []).extend(row.get("aliases", []))
        else:
            by_name[row["name"]] = len(actors)
            actors.append(row)
    actor_forms: dict[str, str] = {}
    for i, a in enumerate(actors):
        for name in sorted({a["name"], *a.get("aliases", []), *extra_aliases.get(i, [])}):
            actor_forms.setdefault(name, str(i))
    actor_matcher = SurfaceIndex(actor_forms, fold_accents=True)

    titles = {t["text"]: t for t in pack.titles}
    title_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for text in titles:
        _add(title_matcher, nlp, text, [text])

    cue_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_kind: dict[str, list[str]] = {}
    for c in pack.cues:
        by_kind.setdefault(c["kind"], []).append(c["text"])
    for kind, phrases in by_kind.items():
        _add(cue_matcher, nlp, kind, phrases)

    places = gaz.forms(code)
    place_matcher = SurfaceIndex({form: "PLACE" for form in places})

    countries: dict[str, str] = {}
    countries.update(gaz.country_names("en"))
    countries.update(gaz.country_names(code))
    countries.update(pack.words.get("demonyms", {}))
    country_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    _add(country_matcher, nlp, "COUNTRY", sorted(countries))

    offices: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, a in enumerate(actors):
        if a.get("country") and a.get("roles"):
            offices.setdefault(a["country"], []).append((i, a))

    words = pack.words
    names = pack.meta.get("names", {})
    return Annotator(
        pack=pack,
        nlp=nlp,
        actors=actors,
        actor_matcher=actor_matcher,
        title_matcher=title_matcher,
        cue_matcher=cue_matcher,
        place_matcher=place_matcher,
        country_matcher=country_matcher,
        titles=titles,
        places=places,
        countries=countries,
        not_name=_not_name(nlp, code, words),
        particles=frozenset(words.get("name_particles", [])),
        locative=tuple(tuple(p.lower().split()) for p in words.get("locative", [])),
        venue_heads_after=frozenset(words.get("venue_heads_after", [])),
        venue_heads_before=frozenset(words.get("venue_heads_before", [])),
        extra_model=extra,
        offices=offices,
        base_name=base_form_function(names.get("base_form"), pack.code, tuple(names.get("fallback_endings", ()))),
    )


__all__ = ["Annotator", "make_annotator", "make_nlp"]
