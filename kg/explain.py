"""Why kg found what it found: the spans an extractor marked in an article and the decisions
behind each meeting (``kg explain``).

Every meeting mention carries its decisions in ``Mention.rules``: (rule id, value) pairs such as
``("meet en/cues.jsonl:3", "met")``, ``("person.title-before-name en/titles.jsonl:12", "Marco
Rubio")`` or ``("date.in-clause", "on Wednesday")``. The rule id names the mechanism and, when
the decision came from a language pack, the file and line of the entry, so a wrong meeting can be
traced to the entry or mechanism that made it, and ``kg evaluate --by-rule`` can give each rule's
precision. An extractor that can say more (the rules) also lists the spans it marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.model import Article, Event

if TYPE_CHECKING:
    from kg.errors import InputError
    from kg.extractor import Extractor


@dataclass(frozen=True)
class SpanNote:
    """A span an extractor marked in an article, and the rule that marked it."""

    label: str  # person, country, title, place, date, or a cue kind (meet, planned, negation, ...)
    start: int  # character offsets in the article's text
    end: int
    text: str
    rule: str  # "person.known _shared/actors.jsonl:12", "meet en/cues.jsonl:3", "date en/dates.toml"
    value: str = ""  # what the span stands for: the person's name, the place, the resolved date

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "start": self.start, "end": self.end, "text": self.text, "rule": self.rule,
                "value": self.value}


@dataclass(frozen=True)
class Explanation:
    """What an extractor saw in one article (its spans) and the meetings it made of it."""

    article: Article
    spans: tuple[SpanNote, ...]
    events: tuple[Event, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article.id, "lang": self.article.lang,
                "published": self.article.published.isoformat() if self.article.published else None,
                "spans": [n.to_dict() for n in self.spans], "meetings": [e.to_dict() for e in self.events]}


def explain(articles: Iterable[Article], *, extractor: Extractor | str | None = None, on_error: str = "skip",
            problems: list[InputError] | None = None) -> Iterator[Explanation]:
    """One :class:`Explanation` per article whose language the extractor reads.

    An extractor with an ``explain(article)`` method (the rules) gives its spans too; any other
    gives its meetings, whose sources carry its rule ids.
    """
    from kg.extractor import coerce
    from kg.pipeline import BuildStats, check_language

    ex = coerce(extractor)
    stats = BuildStats(problems=problems if problems is not None else [])
    for article in articles:
        if not check_language(article, stats, on_error):  # type: ignore[arg-type]
            continue
        how = getattr(ex, "explain", None)
        yield how(article) if how is not None else Explanation(article, (), tuple(ex.extract(article)))


def format_explanation(item: Explanation, *, spans: bool = True) -> str:
    """An explanation as text for a terminal: the spans, then each meeting and its decisions."""
    a = item.article
    lines = [f"article {a.id} ({a.lang}, published {a.published.isoformat() if a.published else 'unknown'})"]
    if spans and item.spans:
        lines.append("  spans:")
        for n in item.spans:
            value = f" = {n.value}" if n.value and n.value != n.text else ""
            lines.append(f"    {n.start:>6}-{n.end:<6} {n.label:12} {n.text!r}{value}   [{n.rule}]")
    if not item.events:
        lines.append("  no meeting")
    for i, e in enumerate(item.events, start=1):
        where = e.location.name if e.location else "no place"
        when = e.date.iso() if e.date else "undated"
        who = " + ".join(p.name for p in e.participants)
        lines.append(f"  meeting {i}: {who}; {when}; {where}; {e.status}, {e.mode}")
        for m in e.evidence:
            lines.append(f"    sentence {m.start}-{m.end}: {m.text}")
            for rule, value in m.rules:
                lines.append(f"      {rule}" + (f"  ({value})" if value else ""))
    return "\n".join(lines)


__all__ = ["Explanation", "SpanNote", "explain", "format_explanation"]
