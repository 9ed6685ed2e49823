"""Finding an actor or a place by any of its names: the explorer's search, for the page and for queries.

The explorer (``graph.html``) gives each actor every name it is known by: its label, the names
the articles used, and the curated aliases of ``kg/langs/_shared/actors.jsonl`` (other spellings
and scripts, the surname alone where it is unambiguous), gathered by :func:`actor_names`. Its
search box folds a name (:func:`fold`: accents dropped, any case, spaces collapsed) and lists the
actors with a name that has a word starting with what was typed, then those with a name that
contains it. :class:`NameIndex` does the same in Python, so ``kg query actor-meetings --param
actor_name=lavrov`` finds who the search box finds; as a query needs one actor, it also says
when a name fits several, and suggests close names when it fits none.

>>> idx = NameIndex([("p1", "Sergei Lavrov", actor_names("Sergei Lavrov")), ("p2", "Wang Yi", ["Wang Yi"])])
>>> [idx.resolve(q, what="actor") for q in ("Lavrov", "sergey lavrov", "Сергей Лавров", "WANG")]
['p1', 'p1', 'p1', 'p2']
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from kg.errors import NameMatchError

#: How many candidates an error lists at most.
MAX_LISTED = 6

_SPACES = re.compile(r"\s+")
_MARKS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """A name as the explorer's search compares it: NFKD, combining accents dropped, lower
    case, runs of white space as one space (the page's ``fold`` in JavaScript does the same).

    >>> fold("  Sergueï   LAVROV ")
    'serguei lavrov'
    """
    return _SPACES.sub(" ", _MARKS.sub("", unicodedata.normalize("NFKD", str(text))).lower()).strip()


@lru_cache(maxsize=1)
def known_aliases() -> dict[str, tuple[str, ...]]:
    """Name or Wikidata id to every name of a curated actor (``kg/langs/_shared/actors.jsonl``).

    >>> "Сергей Лавров" in known_aliases()["Sergei Lavrov"]
    True
    """
    from kg.langs import shared_actors  # the curated list; read once

    out: dict[str, tuple[str, ...]] = {}
    for row in shared_actors():
        names = tuple(dict.fromkeys([row["name"], *(row.get("aliases") or [])]))
        out.setdefault(row["name"], names)
        if row.get("wikidata"):
            out.setdefault(str(row["wikidata"]), names)
    return out


def actor_names(label: str, *, wikidata: str | None = None, written: Iterable[str] = ()) -> list[str]:
    """Every name an actor is found by: its label, the names written in the articles, and the
    curated aliases of any of them or of its Wikidata id, in that order, each once.

    >>> actor_names("Sergei Lavrov")[:3]
    ['Sergei Lavrov', 'Sergey Lavrov', 'Sergueï Lavrov']
    """
    names = dict.fromkeys([label, *written])
    known = known_aliases()
    for key in (wikidata or "", label, *written):
        for n in known.get(key, ()):
            names[n] = None
    return list(names)


@lru_cache(maxsize=1)
def territories() -> dict[str, str]:
    """ISO 3166-1 code to the country's short English name (CLDR through babel).

    >>> territories()["RU"]
    'Russia'
    """
    from babel import Locale  # CLDR's short English names: "Russia", "United States"

    return {code: str(name) for code, name in Locale("en").territories.items()}


def country_name(code: str) -> str:
    """The English name of a country code ("no country" for none, the code when unknown).

    >>> country_name("ID"), country_name("")
    ('Indonesia', 'no country')
    """
    return territories().get(code, code) if code else "no country"


class NameIndex:
    """Things (actors, places) found by any of their names, as the explorer's search finds them.

    Args:
        entries: ``(key, label, names)`` for each thing: the key a query binds (an IRI, a
            value), the label shown to people, and every name it goes by.
    """

    def __init__(self, entries: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        self.labels: dict[str, str] = {}
        self._index: list[tuple[str, str]] = []  # (folded name, key), in entry order
        seen: set[tuple[str, str]] = set()
        for key, label, names in entries:
            self.labels.setdefault(key, label)
            for n in [label, *names]:
                f = fold(n)
                if f and (f, key) not in seen:
                    seen.add((f, key))
                    self._index.append((f, key))

    def __len__(self) -> int:
        return len(self.labels)

    def matches(self, query: str) -> list[str]:
        """The keys the explorer's search lists for ``query``: first those with a name that has
        a word starting with it, then those with a name containing it; each key once."""
        f = fold(query)
        out: dict[str, None] = {}
        if not f:
            return []
        for word_start in (True, False):
            for name, key in self._index:
                if key in out:
                    continue
                pos = name.find(f)
                if pos < 0 or (word_start and pos > 0 and name[pos - 1] != " "):
                    continue
                out[key] = None
        return list(out)

    def resolve(self, query: str, *, what: str) -> str:
        """The one key ``query`` names.

        A name equal to one of a thing's names wins; otherwise the explorer's search must list
        exactly one thing (so a surname alone works when one actor has it).

        Raises:
            NameMatchError: Nothing fits (the message suggests close names) or several do (it lists them).
        """
        f = fold(query)
        exact = list(dict.fromkeys(key for name, key in self._index if name == f))
        if len(exact) == 1:
            return exact[0]
        found = exact or self.matches(query)
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(self.labels[k] for k in found[:MAX_LISTED]) + (", ..." if len(found) > MAX_LISTED else "")
            raise NameMatchError(f"{query!r} fits {len(found)} {what}s: {listed}; give more of the name")
        raise NameMatchError(f"no {what} named {query!r}{self.did_you_mean(query)}")

    def did_you_mean(self, query: str) -> str:
        """``"; did you mean X or Y?"`` for the labels of the closest names, or ``""``."""
        f = fold(query)
        folded = [name for name, _ in self._index]
        close = difflib.get_close_matches(f, folded, n=12, cutoff=0.6)
        keys = dict.fromkeys(key for c in close for name, key in self._index if name == c)
        labels = list(dict.fromkeys(self.labels[k] for k in keys))[:3]
        return f"; did you mean {_either(labels)}?" if labels else ""


def _either(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean X?"`` for the closest of ``choices``, or ``""``.

    >>> did_you_mean("who-met-who", ["actor-meetings", "who-met-whom"])
    '; did you mean who-met-whom?'
    """
    close = difflib.get_close_matches(word, list(choices), n=2, cutoff=0.6)
    return f"; did you mean {_either(close)}?" if close else ""


__all__ = ["NameIndex", "actor_names", "country_name", "did_you_mean", "fold", "known_aliases",
           "territories"]
