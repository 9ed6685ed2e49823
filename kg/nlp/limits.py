"""Bounds on the work extraction does per article and per sentence, so that it grows linearly
with the input whatever the input is.

Parts of extraction compare each sentence with the mentions around it, each meeting word with
the people of its sentence, each person with the people before: fine on news, where a sentence
has a few dozen words and an article a few thousand, but quadratic or cubic on text that is
not news. Issue 14 measured 256 s for a 23 KB chain "Minister A met Minister B met ...",
136 s for a .txt of 20,000 short lines, and a 17 MB graph.ttl from 400 people in one sentence.
Three bounds keep every input linear:

* an article is extracted in windows of at most :data:`WINDOW_CHARS` characters, cut at a
  paragraph break where there is one (:func:`windows`); the meetings of each window keep their
  offsets in the whole text (these windows are pieces of text, not the reaches in words of a
  pack's ``[windows]``);
* a sentence is read in pieces of at most :data:`MAX_SENTENCE_TOKENS` tokens
  (:func:`sentence_pieces`, called where ``kg.nlp.extract`` splits sentences);
* a meeting keeps its first :data:`MAX_PARTICIPANTS` participants (:func:`cap_participants`),
  and the build warns about it.

None of them changes what is found in news text: the longest sentence of the development set
has 60 words and its largest meeting 9 participants; the longest article of the evaluation sets
has 3,300 characters.

>>> windows("a" * 10)
[(0, 10)]
>>> windows("one.\\n\\ntwo.\\n\\nthree.", size=12)
[(0, 12), (12, 18)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Final

from kg.model import Article, Event

WINDOW_CHARS: Final = 10_000
"""Characters of an article extracted at once: about 1,600 words, twice a long news article and
four times the longest of the evaluation set, so news is read whole. A longer text is read
window by window (cut at a paragraph break where there is one); a meeting told across a
window's edge may lose a detail, such as who "the minister" of the next window is. Within a
window the work is at worst quadratic: on a text of one meeting per line, windows of 20,000
characters took twice as long as windows of 10,000, and windows of 5,000 a fifth less."""

MAX_SENTENCE_TOKENS: Final = 200
"""Tokens of a sentence read at once: about 150 words, against 60 for the longest sentence of
the evaluation set. A longer "sentence" is a list, a table or a run-on: it is read in pieces."""

MAX_PARTICIPANTS: Final = 30
"""Participants one meeting keeps. Summits name more countries than people; the largest meeting
of the evaluation set has 9 participants, and a G20 or EU summit whose every leader an article
names has about 30. Beyond that a "meeting" is a list of names that is not one, and its
who-met-whom pairs (n(n-1)/2: 435 for 30, 79,800 for 400) would swamp the graph."""


def windows(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``text`` of at most ``size`` characters.

    Each piece ends at the last paragraph break in its last quarter, else a line break, a
    sentence end or a space there, else after exactly ``size`` characters.

    Args:
        text: an article's text.
        size: the most characters in one piece.

    Returns:
        The pieces' offsets, covering the text; one piece for a text of ``size`` or fewer.
    """
    n = len(text)
    out: list[tuple[int, int]] = []
    start = 0
    while n - start > size:
        lo, hi = start + size * 3 // 4, start + size
        cut = hi
        for sep in ("\n\n", "\n", ". ", " "):
            i = text.rfind(sep, lo, hi)
            if i >= 0:
                cut = i + len(sep)
                break
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


def sentence_pieces(tokens: Sequence[str], start: int, end: int, limit: int = MAX_SENTENCE_TOKENS
                    ) -> list[tuple[int, int]]:
    """The token ranges a sentence ``tokens[start:end]`` is read in: itself when it has at most
    ``limit`` tokens, else pieces of at most ``limit``, each ending after the last comma,
    semicolon or colon of its last quarter when there is one.

    >>> sentence_pieces(list("abcdef,ghijkl"), 0, 13, limit=8)
    [(0, 7), (7, 13)]
    """
    if end - start <= limit:
        return [(start, end)]
    out = []
    while end - start > limit:
        cut = start + limit
        for i in range(cut - 1, start + limit * 3 // 4 - 1, -1):  # the piece's last quarter
            if tokens[i] in (",", ";", ":"):
                cut = i + 1
                break
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def cap_participants(event: Event, limit: int = MAX_PARTICIPANTS) -> tuple[Event, int]:
    """The event with its first ``limit`` participants, and how many it had.

    >>> from kg.model import Actor
    >>> e = Event(tuple(Actor(f"Person {c}") for c in "ABCD"), None, None)
    >>> capped, n = cap_participants(e, limit=3)
    >>> [a.name for a in capped.participants], n
    (['Person A', 'Person B', 'Person C'], 4)
    """
    n = len(event.participants)
    if n <= limit:
        return event, n
    return replace(event, participants=event.participants[:limit]), n


def extract_bounded(article: Article, extract: Callable[[Article], list[Event]]) -> tuple[list[Event], list[str]]:
    """``extract(article)`` within the bounds: window by window, each meeting with at most
    :data:`MAX_PARTICIPANTS` participants.

    Args:
        article: an article whose language has a pack.
        extract: what extracts the meetings of one article (an extractor's ``extract``,
            :mod:`kg.extractor`); it sees no more than :data:`WINDOW_CHARS` characters at once.

    Returns:
        The meetings (their evidence's offsets in the whole text), and one note per bound that
        changed the result, for the build to warn about.
    """
    spans = windows(article.text)
    if len(spans) == 1:
        events = extract(article)
    else:
        events = []
        for start, end in spans:
            if article.text[start:end].strip():
                part = extract(replace(article, text=article.text[start:end]))
                events.extend(_shifted(e, start) for e in part)
    out, notes = [], []
    for event in events:
        capped, n = cap_participants(event)
        if n > MAX_PARTICIPANTS:
            notes.append(f"a meeting with {n} participants kept the first {MAX_PARTICIPANTS}")
        out.append(capped)
    return out, notes


def _shifted(event: Event, offset: int) -> Event:
    """The event with its evidence's offsets moved by ``offset`` (from a window to the text)."""
    if not offset:
        return event
    evidence = tuple(replace(m, start=m.start + offset, end=m.end + offset) for m in event.evidence)
    return replace(event, evidence=evidence)


__all__ = ["MAX_PARTICIPANTS", "MAX_SENTENCE_TOKENS", "WINDOW_CHARS", "cap_participants", "extract_bounded",
           "sentence_pieces", "windows"]
