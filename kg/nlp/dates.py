"""Find date expressions in text and resolve them against a publication date.

The rules are data: each pack's ``dates.toml`` lists its formats ("{weekday} ({day}/{monthnum})"),
relative words ("pekan lalu", "last month") and the words that shift a month or weekday;
month and weekday names come from CLDR through babel. A found expression keeps its raw
fields, and resolves once the meeting's status is known: a bare weekday points back for a
meeting that happened and forward for a planned one.

>>> rules = date_rules("id")
>>> [e.text for e in rules.find("di New York City pada Rabu (24/9), di sela-sela sidang")]
['Rabu (24/9)']
>>> resolve(rules.find("pada Rabu (24/9)")[0], dt.date(2025, 9, 25)).iso()
'2025-09-24'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from babel import Locale

from kg.langs import get_pack
from kg.model import PartialDate

_PLACEHOLDERS = ("weekday", "month", "day", "monthnum", "year")


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression found in a text, not yet resolved."""

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # Monday = 0
    direction: int = 0  # -1 "last", +1 "next", 0 unknown: decided by the meeting's status
    year_shift: int | None = None  # "November tahun lalu": year = published.year + shift
    shift: tuple[tuple[str, int], ...] = ()  # relative: (("days", -1),)
    precision: str | None = None  # forced precision for relative expressions
    same: bool = False  # "the same day": the date of the meeting told just before
    after: bool = False  # "three days after ...": dates what the phrase goes on to tell, not what came before it
    week_shift: int | None = None  # "el miércoles de la semana pasada": that weekday in the week so many weeks away


def _names(code: str, kind: str, extra: dict[str, int], exclude: Any = ()) -> dict[str, int]:
    loc = Locale.parse(code)
    table = loc.months if kind == "months" else loc.days
    out: dict[str, int] = {}
    for ctx in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for k, v in table[ctx][width].items():
                idx = k if kind == "months" else k + 1  # babel days: Monday = 0
                name = v.rstrip(".").lower()
                if len(name) >= 3:
                    out.setdefault(name, idx)
    for k, v in extra.items():
        out[k.lower()] = v + (0 if kind == "months" else 1)
    if kind == "days":
        out = {k: v - 1 for k, v in out.items()}
    for name in exclude:  # CLDR short forms that are ordinary words ("ter", "dez")
        out.pop(name.lower(), None)
    return out


def _alt(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _template(fmt: str, months: str, days: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", fmt)
    out = []
    for p in parts:
        if p == "{weekday}":
            out.append(rf"(?P<weekday>{days})\.?")
        elif p == "{month}":
            out.append(rf"(?P<month>{months})\.?")
        elif p == "{day}":
            out.append(r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?")
        elif p == "{monthnum}":
            out.append(r"(?P<monthnum>[01]?\d)")
        elif p == "{year}":
            out.append(r"(?P<year>(?:1[89]|20)\d\d)")
        elif p:
            lit = re.escape(p.strip())
            if p.strip() == ",":
                out.append(r",?\s*")
            elif lit:
                out.append(r"\s*" + lit + r"\s*")
            else:
                out.append(r"\s+")
    return re.compile(r"(?<!\w)" + "".join(out) + r"(?!\w)", re.IGNORECASE)


class DateRules:
    """The compiled date rules of one language pack."""

    def __init__(self, code: str) -> None:
        pack = get_pack(code)
        rules: dict[str, Any] = pack.dates.get("rules", {})
        self.months = _names(code, "months", rules.get("months_extra", {}), rules.get("months_exclude", []))
        self.days = _names(code, "days", rules.get("weekdays_extra", {}), rules.get("weekdays_exclude", []))
        m_alt, d_alt = _alt(self.months), _alt(self.days)
        self.formats = [_template(f, m_alt, d_alt) for f in rules.get("formats", [])]
        last, nxt = rules.get("last_words", []), rules.get("next_words", [])
        self.last_words = {w.lower() for w in last}
        self.next_words = {w.lower() for w in nxt}
        dirw = _alt([*last, *nxt]) if last or nxt else "(?!x)x"
        preps = _alt(rules.get("month_prepositions", []))
        suffix: dict[str, int] = pack.dates.get("month_year_suffix", {})
        self.suffix = {k.lower(): v for k, v in suffix.items()}
        suf_alt = _alt(suffix) if suffix else "(?!x)x"
        self.year_suffix = re.compile(rf",?\s+(?P<suf>{suf_alt})(?!\w)", re.I)
        self.month_suffix = re.compile(rf"(?<!\w)(?P<month>{m_alt})\.?\s+(?P<suf>{suf_alt})(?!\w)", re.I)
        self.month_dir = re.compile(
            rf"(?<!\w)(?:(?P<pre>{dirw})\s+(?P<month>{m_alt})|(?P<month2>{m_alt})\s+(?P<post>{dirw}))(?!\w)", re.I
        )
        # (a preposition ending in a hyphen takes the month with no space: "mid-September", "mi-septembre")
        self.month_prep = re.compile(rf"(?<!\w)(?:{preps})(?:\s+|(?<=-))(?P<month>{m_alt})(?![\w-])", re.I)
        self.weekday_dir = re.compile(
            rf"(?<!\w)(?:(?P<pre>{dirw})\s+(?P<weekday>{d_alt})|(?P<weekday2>{d_alt})\s+(?P<post>{dirw}))(?!\w)", re.I
        )
        self.weekday = re.compile(rf"(?<!\w)(?P<weekday>{d_alt})(?!\w)", re.I)
        # "Wednesday last week", "el miércoles de la semana pasada", "Rabu pekan lalu": a weekday of a week
        weeks: dict[str, int] = pack.dates.get("weekday_week_suffix", {})
        self.week_suffix = {re.sub(r"\s+", " ", k.lower()): int(v) for k, v in weeks.items()}
        self.weekday_week = re.compile(
            rf"(?<!\w)(?P<weekday>{d_alt})\.?,?\s+(?P<suf>{_alt(weeks)})(?!\w)", re.I) if weeks else None
        self.capitalized = bool(rules.get("capitalized_names", False))
        rel: dict[str, dict[str, Any]] = pack.dates.get("relative", {})
        self.relative = rel
        self.relative_re = re.compile(rf"(?<!\w)(?:{_alt(rel)})(?!\w)", re.I) if rel else None
        # "18 years ago", "hace 18 años", "18 años después de que ...": so many units before publication
        ago: dict[str, dict[str, Any]] = pack.dates.get("ago", {})
        # the words around {n} anchor a scan too: "three days after" holds no digit
        ago_words = {max((p.strip() for p in k.split("{n}")), key=len) for k in ago}
        words = [*self.months, *self.days, *rel, *(w for w in ago_words if w)]
        self.anchor = re.compile(rf"\d|(?<!\w)(?:{_alt(words)})(?!\w)", re.I)
        # {n}: digits, or a number word of the pack ("three days after", "a couple of months after")
        self.numbers: dict[str, int] = {k.lower(): int(v) for k, v in pack.dates.get("numbers", {}).items()}
        n_alt = r"\d{1,3}" + (f"|{_alt(self.numbers)}" if self.numbers else "")
        self.ago = [(re.compile(r"(?<!\w)" + re.escape(k).replace(re.escape("{n}"), rf"(?P<n>{n_alt})") + r"(?!\w)", re.I), v)
                    for k, v in ago.items()]
        ypreps = _alt(pack.dates.get("year", {}).get("prepositions", []))
        self.year_re = re.compile(rf"(?<!\w)(?:{ypreps})(?:\s+|(?<=-))(?P<year>(?:1[89]|20)\d\d)(?![\w-])", re.I)

    def _direction(self, word: str | None) -> int:
        if not word:
            return 0
        w = word.lower()
        return -1 if w in self.last_words else (1 if w in self.next_words else 0)

    def find(self, text: str) -> list[DateExpr]:
        """Every date expression in ``text``, leftmost-longest, without overlaps.

        The full patterns run only around anchors (a digit, a month or weekday name, a relative
        word), which one fast scan finds: most of a news text holds no date.
        """
        out: list[DateExpr] = []
        windows: list[list[int]] = []
        for m in self.anchor.finditer(text):
            lo = text.rfind(" ", 0, max(0, m.start() - 48)) + 1  # windows start and end between words
            hi = text.find(" ", m.end() + 48)
            hi = len(text) if hi < 0 else hi
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = hi
            else:
                windows.append([lo, hi])
        for lo, hi in windows:
            out.extend(replace(e, start=e.start + lo, end=e.end + lo) for e in self._find(text[lo:hi]))
        return _leftmost_longest(out)

    def _find(self, text: str) -> list[DateExpr]:
        cands: list[DateExpr] = []
        for rx in self.formats:
            for m in rx.finditer(text):
                g = m.groupdict()
                month = self.months.get(g["month"].lower()) if g.get("month") else None
                if g.get("monthnum"):
                    month = int(g["monthnum"])
                day = int(g["day"]) if g.get("day") else None
                wd0 = self.days.get(g["weekday"].lower()) if g.get("weekday") else None
                if month is None and day is not None and wd0 is not None and 1 <= day <= 31:
                    cands.append(DateExpr(m.start(), m.end(), m.group(0), day=day, weekday=wd0))
                    continue
                if month is None and day is not None and not g.get("monthnum") and 1 <= day <= 31:
                    cands.append(DateExpr(m.start(), m.end(), m.group(0), day=day))  # "no dia 9"
                    continue
                if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                    continue
                wd = self.days.get(g["weekday"].lower()) if g.get("weekday") else None
                # a direction word right after ("22 Januari lalu") says it is in the past
                tail = text[m.end() : m.end() + 12].split()
                end, shift = m.end(), None
                if not g.get("year") and (suf := self.year_suffix.match(text, m.end())) is not None:
                    # "on November 14 last year", "7 октября прошлого года": the year the words tell
                    end, shift = suf.end(), self.suffix[re.sub(r"\s+", " ", suf["suf"].lower())]
                cands.append(
                    DateExpr(
                        m.start(), end, text[m.start():end], year=int(g["year"]) if g.get("year") else None,
                        month=month, day=day, weekday=wd, year_shift=shift,
                        direction=0 if shift is not None else self._direction(tail[0] if tail else None),
                    )
                )
        for m in self.month_suffix.finditer(text):
            cands.append(DateExpr(m.start(), m.end(), m.group(0), month=self.months[m["month"].lower()],
                                  year_shift=self.suffix[re.sub(r"\s+", " ", m["suf"].lower())]))
        for m in self.month_dir.finditer(text):
            name = m["month"] or m["month2"]
            cands.append(DateExpr(m.start(), m.end(), m.group(0), month=self.months[name.lower()],
                                  direction=self._direction(m["pre"] or m["post"])))
        for m in self.month_prep.finditer(text):
            if self.capitalized and not m["month"][0].isupper():
                continue
            s = m.start("month")
            cands.append(DateExpr(s, m.end(), m["month"], month=self.months[m["month"].lower()]))
        if self.relative_re is not None:
            for m in self.relative_re.finditer(text):
                spec = self.relative[next(k for k in self.relative if k.lower() == m.group(0).lower())]
                shift = tuple((k, int(v)) for k, v in spec.items() if k in ("days", "weeks", "months", "years"))
                cands.append(DateExpr(m.start(), m.end(), m.group(0), shift=shift, precision=spec.get("precision"),
                                      same=bool(spec.get("same"))))
        for m in self.weekday_dir.finditer(text):
            name = m["weekday"] or m["weekday2"]
            if self.capitalized and not name[0].isupper():
                continue
            cands.append(DateExpr(m.start(), m.end(), m.group(0), weekday=self.days[name.lower()],
                                  direction=self._direction(m["pre"] or m["post"])))
        if self.weekday_week is not None:
            for m in self.weekday_week.finditer(text):
                if self.capitalized and not m["weekday"][0].isupper():
                    continue
                cands.append(DateExpr(m.start(), m.end(), m.group(0), weekday=self.days[m["weekday"].lower()],
                                      week_shift=self.week_suffix[re.sub(r"\s+", " ", m["suf"].lower())]))
        for m in self.weekday.finditer(text):
            if self.capitalized and not m.group(0)[0].isupper():
                continue
            cands.append(DateExpr(m.start(), m.end(), m.group(0), weekday=self.days[m["weekday"].lower()]))
        for m in self.year_re.finditer(text):
            s = m.start("year")
            cands.append(DateExpr(s, m.end(), m["year"], year=int(m["year"])))
        for rx, spec in self.ago:
            for m in rx.finditer(text):
                # ("sehari setelah": a phrase of one unit, with no {n} of its own)
                n = 1 if "n" not in rx.groupindex else int(m["n"]) if m["n"].isdigit() else self.numbers[m["n"].lower()]
                shift = tuple((k, int(v) * n) for k, v in spec.items() if k in ("days", "weeks", "months", "years"))
                precision = "year" if "years" in spec else "month" if "months" in spec else spec.get("precision")
                cands.append(DateExpr(m.start(), m.end(), m.group(0), shift=shift, precision=precision,
                                      after=bool(spec.get("after")), same=bool(spec.get("same"))))
        return _leftmost_longest(cands)


def _leftmost_longest(cands: list[DateExpr]) -> list[DateExpr]:
    """Non-overlapping expressions, leftmost first and longest at each start (stable otherwise)."""
    cands = sorted(cands, key=lambda e: (e.start, -(e.end - e.start)))
    out: list[DateExpr] = []
    for c in cands:
        if not out or c.start >= out[-1].end:
            out.append(c)
    return out


@cache
def date_rules(code: str) -> DateRules:
    """The compiled rules of a pack, built once per process."""
    return DateRules(code)


def _add_months(d: dt.date, n: int) -> tuple[int, int]:
    k = d.year * 12 + (d.month - 1) + n
    return k // 12, k % 12 + 1


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


NEAR_AHEAD_DAYS = 62
"""A day named without a year that falls this close after the publication date is that one, even
in a sentence in the past tense, rather than the same day of the year before ("on July 8" told on
June 10). A month alone follows the sentence: "held talks in December" in an article of November
is last December, "will meet in December" the coming one."""


def resolve(expr: DateExpr, published: dt.date, *, future: bool = False) -> PartialDate | None:
    """The calendar date an expression means, seen from ``published``.

    Args:
        expr: a found expression.
        published: the article's reference date.
        future: the meeting lies ahead (planned), so a bare weekday or month points forward.

    Returns:
        A date with the precision the expression supports, or None when it cannot be resolved.

    >>> rules = date_rules("en")
    >>> resolve(rules.find("on Wednesday")[0], dt.date(2025, 9, 25)).iso()
    '2025-09-24'
    >>> resolve(rules.find("on Monday")[0], dt.date(2023, 6, 18), future=True).iso()
    '2023-06-19'
    >>> resolve(rules.find("in July")[0], dt.date(2024, 6, 10)).iso()
    '2023-07'
    >>> resolve(rules.find("in July")[0], dt.date(2024, 6, 10), future=True).iso()
    '2024-07'
    >>> resolve(rules.find("in November")[0], dt.date(2024, 1, 10)).iso()
    '2023-11'
    >>> resolve(date_rules("es").find("el miércoles de la semana pasada")[0], dt.date(2025, 2, 21)).iso()
    '2025-02-12'
    """
    direction = expr.direction or (1 if future else -1)
    if expr.same:
        return None  # only the caller knows the meeting told before
    if expr.shift:
        d = published
        months = 0
        for unit, n in expr.shift:
            if unit == "days":
                d += dt.timedelta(days=n)
            elif unit == "weeks":
                d += dt.timedelta(weeks=n)
            elif unit == "months":
                months += n
            elif unit == "years":
                months += 12 * n
        y, m = _add_months(d, months)
        if expr.precision == "year":
            return PartialDate(y)
        if expr.precision == "month" or months:
            return PartialDate(y, m)
        return PartialDate.from_date(d)
    if expr.month is None and expr.day is not None and expr.weekday is not None:
        # "quarta-feira (10)": the nearest date with that weekday and day of the month
        for k in sorted(range(-45, 46), key=lambda k: (abs(k), k * direction < 0)):
            d = published + dt.timedelta(days=k)
            if d.day == expr.day and d.weekday() == expr.weekday:
                return PartialDate.from_date(d)
        return None
    if expr.month is None and expr.day is not None and expr.weekday is None:
        # "no dia 9": the nearest such day of a month, behind (or ahead, for a plan) of publication
        for k in sorted(range(-45, 46), key=lambda k: (k * direction < 0, abs(k))):
            d = published + dt.timedelta(days=k)
            if d.day == expr.day:
                return PartialDate.from_date(d)
        return None
    if expr.month is not None and expr.day is not None:
        year = expr.year if expr.year is not None else (
            published.year + expr.year_shift if expr.year_shift is not None else None)
        if year is not None:
            d0 = _safe(year, expr.month, expr.day)
            return PartialDate.from_date(d0) if d0 else None
        cands = [c for y in (published.year - 1, published.year, published.year + 1)
                 if (c := _safe(y, expr.month, expr.day)) is not None]
        if expr.weekday is not None:
            matching = [c for c in cands if c.weekday() == expr.weekday]
            cands = matching or cands
        if not cands:
            return None
        slack = dt.timedelta(days=3)
        ahead = [c for c in cands if c >= published - slack]
        behind = [c for c in cands if c <= published + slack]
        if direction > 0:
            best = min(ahead) if ahead else max(cands)
        else:
            best = max(behind) if behind else min(cands)
            soon = min(ahead) if ahead else None
            if (not expr.direction and soon is not None and (soon - published).days <= NEAR_AHEAD_DAYS
                    and (published - best).days > 180):
                best = soon  # "on July 8" in an article of June 10: this July, not last year's
        return PartialDate.from_date(best)
    if expr.month is not None:
        if expr.year is not None:
            return PartialDate(expr.year, expr.month)
        if expr.year_shift is not None:
            return PartialDate(published.year + expr.year_shift, expr.month)
        y = published.year
        if direction < 0 and expr.month > published.month:
            y -= 1  # "held talks in December" in an article of November: last December
        elif direction > 0 and expr.month < published.month:
            y += 1
        elif expr.month == published.month and expr.direction:
            y += expr.direction  # "last November" in an article of November is the November before, "next" the one after
        return PartialDate(y, expr.month)
    if expr.weekday is not None and expr.week_shift is not None:
        # "Wednesday last week": the Wednesday of the week before the publication's (weeks start on Monday)
        monday = published - dt.timedelta(days=published.weekday())
        return PartialDate.from_date(monday + dt.timedelta(weeks=expr.week_shift, days=expr.weekday))
    if expr.weekday is not None:
        delta = (published.weekday() - expr.weekday) % 7
        if direction < 0:
            if delta == 0 and expr.direction < 0:
                delta = 7
            return PartialDate.from_date(published - dt.timedelta(days=delta))
        ahead = (expr.weekday - published.weekday()) % 7
        if ahead == 0 and expr.direction > 0:
            ahead = 7
        return PartialDate.from_date(published + dt.timedelta(days=ahead))
    if expr.year is not None:
        return PartialDate(expr.year)
    return None


__all__ = ["NEAR_AHEAD_DAYS", "DateExpr", "DateRules", "date_rules", "resolve"]
