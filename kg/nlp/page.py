"""Which lines of an article are prose, and which are the furniture of a news page.

Text copied from a real page carries more than the story: the headline again (in Title Case),
related-article headlines, bylines and editor lines, photo captions with their credits,
"ADVERTISEMENT" and "SCROLL TO CONTINUE WITH CONTENT", update stamps and share prompts. No meeting
is read from those lines (a caption's date is the photo's, a related headline is another story),
though the people they name still count as named in the article.

A line is page furniture when:

- it starts with one of the pack's page markers (``words.toml`` ``page_markers``: "Photo:",
  "Baca juga", "Lire aussi", "Читайте также", ...) or a bullet;
- it is written in capitals ("ADVERTISEMENT");
- it does not end a sentence (no final . ! ? …, before any closing quote or bracket) and is short:
  headlines, bylines, captions without a full stop, section names;
- it ends with a bracketed credit that names a photo ("(FOTO ANTARA/...)", "(AFP Photo)").

>>> text = "Leaders Meet In Jakarta\\n\\nJAKARTA - A met B on Monday.\\nPhoto: A and B (Reuters)\\nADVERTISEMENT"
>>> [text[s:e] for s, e, _ in noise_lines(text, ["photo:"])]
['Leaders Meet In Jakarta', 'Photo: A and B (Reuters)', 'ADVERTISEMENT']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LINE = re.compile(r"[^\n]+")
_END = re.compile(r"[.!?…。][\"'”’»)\]]*\s*$")
_CREDIT = re.compile(r"\((?:[^()]*\b(?:foto|photo|фото|photograph|image|imagem|imagen|bild)\b[^()]*)\)\s*$", re.I)
_BULLETS = ("•", "·", "▪", "►", "»", "|", "*")

SHORT_LINE = 30
"""A line without a sentence end is furniture up to this many words; a longer one is prose that
lost its full stop."""


def noise_lines(text: str, markers: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """(start, end, why) of each line of ``text`` that is page furniture, not prose.

    ``why`` is the rule: ``page.marker``, ``page.capitals``, ``page.no-sentence``, ``page.credit``.
    """
    prefixes = tuple(m.casefold() for m in markers if m.strip())
    out: list[tuple[int, int, str]] = []
    for m in _LINE.finditer(text):
        line = m.group(0)
        body = line.strip()
        if not body:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        end = start + len(body)
        folded = body.casefold()
        words = body.split()
        if folded.startswith(prefixes) or body.startswith(_BULLETS):
            why = "page.marker"
        elif body.isupper() and len(words) <= 8 and any(c.isalpha() for c in body):
            why = "page.capitals"
        elif not _END.search(body) and len(words) <= SHORT_LINE:
            why = "page.no-sentence"
        elif _CREDIT.search(body):
            why = "page.credit"
        else:
            continue
        out.append((start, end, why))
    return out


__all__ = ["SHORT_LINE", "noise_lines"]
