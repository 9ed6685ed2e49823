"""What goes to the model, and what of its answer kg believes.

**Candidates.** The rules read the article first (:func:`kg.nlp.extract.explain_article`: the
pack's meeting words, its people finder with titles, pronouns and known actors, its places and
dates). A paragraph is sent when it has a meeting word and at least two different actor-like
names (people, countries, organisations, as the rules resolved them); the headline and the
dateline go with it as context. Nothing else of the article is sent.

**Grounding**, the guard against invention. Every participant, place, date expression and
evidence quote the model gives must occur in the article, compared after folding case,
accents and typographic quotes and dashes; what does not occur is dropped and counted, and a
meeting left with fewer than two participants is dropped. kg then does the rest itself:

- offsets: where the words are, and the sentence the evidence is in;
- names: the rules' reading of the words found (so "He", "the secretary" or "Lavrov" becomes
  the person the rules resolved them to), else the words as written if they look like a name,
  then the same resolver as the rules (:func:`kg.resolve.canonical_actor`);
- places: the gazetteer; dates: the pack's date rules, resolved against the publication date
  (a bare weekday points back for a meeting that happened and forward for a planned one).

So an llm meeting and a rules meeting of the same event have the same participants and date,
and merge into one with both sources.

>>> f = Folded.of("Él se reunió con Abás Araqchí.\\nY luego…")
>>> [f.original[s:e] for s, e in f.find("abas araqchi")]
['Abás Araqchí']
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.explain import SpanNote
from kg.gazetteer import get_gazetteer
from kg.model import ACTOR_TYPES, Actor, Article, Event, Mention, PartialDate, Place
from kg.nlp.dates import date_rules, resolve
from kg.resolve import canonical_actor

log = logging.getLogger(__name__)

MEETING_WORDS = frozenset({"meet", "remote", "host", "invite", "bilateral"})
"""The pack cue kinds that make a paragraph worth sending (with two actor-like names)."""
ACTOR_LABELS = frozenset(ACTOR_TYPES)
COUNTRY_RULE = "place.country"

_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"', "«": '"',
                             "»": '"', "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "…": "..."})
_SENT_END = re.compile(r"[.!?…。]+[\"'”’»)\]]*(?=\s|$)")
_DATELINE = re.compile(r"^\s*([^\n]{2,60}?)\s+[-–—~]\s")


def fold(text: str) -> str:
    """Text compared the way grounding compares: case, accents, typography and spaces folded.

    >>> fold("  Sergueï  LAVROV’s ")
    "serguei lavrov's"
    """
    return Folded.of(text).text.strip()


def _fold_char(c: str) -> str:
    c = c.translate(_TYPOGRAPHY)
    if c.isascii():
        return c.lower()
    return "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)).casefold()


@dataclass(frozen=True)
class Folded:
    """A text folded for comparison, with the original offset of every folded character."""

    original: str
    text: str
    index: tuple[int, ...]  # folded position -> original position

    @classmethod
    def of(cls, text: str) -> Folded:
        out: list[str] = []
        index: list[int] = []
        for i, c in enumerate(text):
            if c.isspace():
                if out and out[-1] == " ":
                    continue
                piece = " "
            else:
                piece = _fold_char(c)
            for x in piece:
                out.append(x)
                index.append(i)
        return cls(text, "".join(out), tuple(index))

    def find(self, needle: str) -> list[tuple[int, int]]:
        """Every occurrence of ``needle`` (folded) that starts and ends at word boundaries, as
        original offsets."""
        n = fold(needle)
        if not n:
            return []
        hay, out = self.text, []
        i = hay.find(n)
        while i >= 0:
            j = i + len(n)
            left_ok = not n[0].isalnum() or i == 0 or not hay[i - 1].isalnum()
            right_ok = not n[-1].isalnum() or j == len(hay) or not hay[j].isalnum()
            if left_ok and right_ok:
                out.append((self.index[i], self.index[j - 1] + 1))
            i = hay.find(n, i + 1)
        return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each non-blank line of a text: news paragraphs."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def headline(article: Article) -> str | None:
    return article.title.strip() if article.title and article.title.strip() else None


def dateline(text: str) -> str | None:
    """The dateline an article opens with ("UNITED NATIONS -", "JAKARTA (Kabar) ~"), if any."""
    m = _DATELINE.match(text)
    return m.group(1).strip() if m else None


def _inside(n: SpanNote, s: int, e: int) -> bool:
    return s <= n.start and n.end <= e


def _overlap(n: SpanNote, s: int, e: int) -> int:
    return min(n.end, e) - max(n.start, s)


def actor_names(spans: Iterable[SpanNote], s: int, e: int) -> set[str]:
    """The different actor-like names the rules found in [s, e)."""
    return {n.value or n.text for n in spans if _inside(n, s, e) and
            (n.label in ACTOR_LABELS or n.rule.startswith(COUNTRY_RULE))}


def is_candidate(spans: list[SpanNote], s: int, e: int) -> bool:
    """A meeting word and at least two different actor-like names in [s, e)."""
    return any(n.label in MEETING_WORDS and _inside(n, s, e) for n in spans) and len(actor_names(spans, s, e)) >= 2


def sentence_around(text: str, s: int, e: int) -> tuple[int, int]:
    """The sentence (or sentences) of ``text`` that [s, e) lies in, within its line."""
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    start = line_start
    for m in _SENT_END.finditer(text, line_start, s):
        start = m.end()
    m = _SENT_END.search(text, max(s, e - 1), line_end)
    end = m.end() if m else line_end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def looks_like_name(words: str) -> bool:
    """Words that can be a name: no digits, first and last word capitalised (short lowercase
    particles between: "Mohammed bin Salman"), or a script without case.

    >>> looks_like_name("Ursula von der Leyen"), looks_like_name("the two ministers"), looks_like_name("1")
    (True, False, False)
    """
    parts = words.split()
    if not parts or len(parts) > 8 or any(c.isdigit() for c in words):
        return False

    def cap(w: str) -> bool:
        first = next((c for c in w if c.isalpha()), "")
        return bool(first) and (first.isupper() or first.lower() == first.upper())

    return cap(parts[0]) and cap(parts[-1]) and all(cap(w) or len(w) <= 4 for w in parts[1:-1])


def _country_code(name: str) -> str | None:
    rec = get_gazetteer().lookup(name)
    return rec.country if rec is not None and rec.kind == "country" else None


@dataclass
class Grounding:
    """Grounds the answers given for one article."""

    article: Article
    spans: list[SpanNote]
    model: str
    folded: Folded = field(init=False)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (what, the model's words) over the article
    _dates: list[Any] | None = field(default=None, init=False)  # the article's date expressions, found once

    def __post_init__(self) -> None:
        self.folded = Folded.of(self.article.text)

    def _best(self, found: list[tuple[int, int]], prefer: list[tuple[int, int]]) -> tuple[int, int] | None:
        """The occurrence inside the first range of ``prefer`` that has one, else the first."""
        for lo, hi in prefer:
            inside = [o for o in found if lo <= o[0] and o[1] <= hi]
            if inside:
                return inside[0]
        return found[0] if found else None

    def _actor(self, s: int, e: int) -> tuple[Actor | None, str]:
        """The actor the words at [s, e) stand for, and how kg knows it."""
        near = [n for n in self.spans if _overlap(n, s, e) > 0 and n.value
                and (n.label in ACTOR_LABELS or n.rule.startswith(COUNTRY_RULE))]
        if near:
            n = max(near, key=lambda n: (_overlap(n, s, e), n.label in ACTOR_LABELS))
            if n.label in ACTOR_LABELS and n.label != "country":
                return canonical_actor(Actor(n.value, n.label)), "person.llm rules-name"  # type: ignore[arg-type]
            return canonical_actor(Actor(n.value, "country", _country_code(n.value))), "country.llm"
        words = self.article.text[s:e]
        if looks_like_name(words):
            return canonical_actor(Actor(" ".join(words.split()))), "person.llm as-written"
        return None, "not a name"

    def _place(self, s: int, e: int) -> Place | None:
        from kg.nlp.extract import _to_place  # the rules' own record -> Place

        words = " ".join(self.article.text[s:e].split())
        near = [n for n in self.spans if n.label == "place" and _overlap(n, s, e) > 0 and n.value]
        gaz = get_gazetteer()
        rec = None
        if near:
            rec = gaz.lookup(max(near, key=lambda n: _overlap(n, s, e)).value, lang=self.article.lang)
        rec = rec or gaz.lookup(words, lang=self.article.lang)
        if rec is not None:
            return _to_place(rec, words, None)
        return Place(words) if looks_like_name(words) else None

    def _date(self, s: int, e: int, planned: bool) -> tuple[PartialDate | None, str]:
        if self._dates is None:
            self._dates = date_rules(self.article.lang or "").find(self.article.text)
        starts = [x.start for x in self._dates]
        i = bisect.bisect_right(starts, e)
        for expr in reversed(self._dates[max(0, i - 4):i]):
            if expr.start < e and s < expr.end:
                return resolve(expr, self.article.published or dt.date.today(), future=planned), expr.text
        return None, ""

    def _drop(self, what: str, words: str, why: str, rules: list[tuple[str, str]]) -> None:
        """Count what is dropped; the mention says what kind and why, never the words (nothing the
        article does not say reaches events.jsonl); ``kg -v`` logs them."""
        self.dropped.append((what, words))
        rules.append(("llm.grounding dropped", f"{what}: {why}"))
        log.debug("%s: llm %s %r dropped: %s", self.article.id, what, words, why)

    def meeting(self, m: dict[str, Any], scope: list[tuple[int, int]]) -> Event | None:
        """The event of one meeting of the answer, or None when too little of it is in the article.

        Args:
            m: a meeting as :func:`kg.llm.prompt.validate` gives it.
            scope: the (start, end) of the paragraphs sent: occurrences there are preferred.
        """
        a, text = self.article, self.article.text
        quote = self._best(self.folded.find(m["evidence"]), scope)
        rules: list[tuple[str, str]] = [(f"llm.meeting {self.model}", text[quote[0]:quote[1]] if quote else "")]
        sentence = sentence_around(text, *quote) if quote else None
        if quote is None:
            self._drop("quote", m["evidence"][:120], "not in the article", rules)
        prefer = ([sentence] if sentence else []) + scope
        actors: list[Actor] = []
        first: tuple[int, int] | None = None
        for words in m["participants"]:
            where = self._best(self.folded.find(words), prefer)
            if where is None:
                self._drop("participant", words, "not in the article", rules)
                continue
            actor, how = self._actor(*where)
            if actor is None:
                self._drop("participant", words, how, rules)
                continue
            first = first or where
            if all(x.name != actor.name for x in actors):
                actors.append(actor)
                rules.append((how, actor.name))
        place = None
        if m.get("place"):
            where = self._best(self.folded.find(m["place"]), prefer)
            place = self._place(*where) if where else None
            if place is None:
                self._drop("place", m["place"], "not in the article" if where is None else "not a place", rules)
            else:
                rules.append(("place.llm gazetteer" if place.lat is not None else "place.llm as-written", place.name))
        date = None
        if m.get("date"):
            where = self._best(self.folded.find(m["date"]), prefer)
            if where is None:
                self._drop("date", m["date"], "not in the article", rules)
            else:
                date, expr = self._date(*where, planned=m["status"] == "planned")
                if date is None:
                    self._drop("date", m["date"], "no date kg can read there", rules)
                else:
                    rules.append((f"date.llm {a.lang}/dates.toml", f"{expr} = {date.iso()}"))
        sides = {x.country for x in actors if x.type == "person" and x.country}
        for x in [x for x in actors if x.type == "country" and x.country in sides]:
            actors.remove(x)  # as in the rules: a country takes part only when no one is named for its side
            rules.append(("country.llm side-named", x.name))
        if len(actors) < 2:
            self.dropped.append(("meeting", " + ".join(m["participants"])[:120]))
            return None
        if sentence is None:  # the quote was not found: the sentence where the first participant is
            sentence = sentence_around(text, *(first or scope[0]))
        start, end = sentence
        mention = Mention(a.id, start, end, text[start:end], m["status"], a.lang, a.url,
                          published=a.published.isoformat() if a.published else None,
                          published_from=a.published_from, rules=tuple(dict.fromkeys(rules)))
        return Event(tuple(actors), place, date, m["status"], m["mode"], (mention,))


__all__ = ["ACTOR_LABELS", "MEETING_WORDS", "Folded", "Grounding", "actor_names", "dateline", "fold", "headline",
           "is_candidate", "looks_like_name", "paragraphs", "sentence_around"]
