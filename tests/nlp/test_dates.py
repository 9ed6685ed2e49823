from __future__ import annotations

import datetime as dt

import pytest

from kg.nlp.dates import date_rules, resolve

PUB = dt.date(2025, 9, 25)  # a Thursday


@pytest.mark.parametrize(
    ("lang", "text", "future", "expected"),
    [
        ("en", "met on Wednesday in Paris", False, "2025-09-24"),
        ("en", "will meet on Monday", True, "2025-09-29"),
        ("en", "last month", False, "2025-08"),
        ("en", "met in February", False, "2025-02"),
        ("en", "Sept. 24", False, "2025-09-24"),
        ("en", "Wednesday, Sept. 24", False, "2025-09-24"),
        ("en", "in April 2019", False, "2019-04"),
        ("en", "last November", False, "2024-11"),
        ("en", "earlier this week", False, "2025-09"),
        ("en", "yesterday", False, "2025-09-24"),
        ("en", "in 2000", False, "2000"),
        ("id", "pada Rabu (24/9)", False, "2025-09-24"),
        ("id", "Senin (3/3/2025)", False, "2025-03-03"),
        ("id", "15 Agustus", False, "2025-08-15"),
        ("id", "pekan lalu", False, "2025-09"),
        ("id", "bulan lalu", False, "2025-08"),
        ("id", "kemarin", False, "2025-09-24"),
        ("id", "November tahun lalu", False, "2024-11"),
        ("id", "Rabu lalu", False, "2025-09-24"),
        ("id", "Minggu (28/9)", True, "2025-09-28"),
        # so many units before publication, with a number word: no digit, month or weekday in the text
        ("en", "The visit came three days after the talks", False, "2025-09-22"),
        ("en", "two months after they met", False, "2025-07"),
        ("es", "llegó tres días después de reunirse", False, "2025-09-22"),
        ("fr", "il y a deux semaines", False, "2025-09"),
        ("pt", "três dias depois do encontro", False, "2025-09-22"),
        ("de", "drei Tage nach dem Treffen", False, "2025-09-22"),
        ("id", "tiga hari setelah bertemu", False, "2025-09-22"),
        # a month alone, a month or two after publication's: the last one for a meeting held, the coming one
        # for a plan (PUB is in September)
        ("en", "they held talks in October", False, "2024-10"),
        ("en", "they will hold talks in October", True, "2025-10"),
        ("fr", "ils se sont rencontrés en novembre", False, "2024-11"),
        ("id", "keduanya bertemu pada Oktober", False, "2024-10"),
        # the weekday of the week before the publication's (PUB is a Thursday): not the last such day
        ("en", "they met on Friday last week", False, "2025-09-19"),
        ("en", "they met on Monday last week", False, "2025-09-15"),
        ("en", "will meet on Tuesday next week", True, "2025-09-30"),
        ("es", "se reunieron el viernes de la semana pasada", False, "2025-09-19"),
        ("fr", "mardi de la semaine dernière", False, "2025-09-16"),
        ("de", "am Mittwoch vergangener Woche", False, "2025-09-17"),
        ("ru", "в пятницу на прошлой неделе", False, "2025-09-19"),
        ("pt", "na sexta-feira da semana passada", False, "2025-09-19"),
        ("id", "pada Jumat pekan lalu", False, "2025-09-19"),
        ("id", "Senin pekan depan", True, "2025-09-29"),
        # so many days or weeks ago
        ("en", "two days ago", False, "2025-09-23"),
        ("en", "three weeks ago", False, "2025-09"),
        ("ru", "два дня назад", False, "2025-09-23"),
        ("ru", "две недели назад", False, "2025-09"),
        # a weekend is two days: the month it falls in
        ("en", "over the weekend", False, "2025-09"),
        ("es", "el pasado fin de semana", False, "2025-09"),
        ("de", "am vergangenen Wochenende", False, "2025-09"),
        ("ru", "на прошлых выходных", False, "2025-09"),
        # a month or year after "mid-", "early", "Anfang"
        ("en", "in mid-August", False, "2025-08"),
        ("fr", "à la mi-août", False, "2025-08"),
        ("en", "in early 2024", False, "2024"),
        ("de", "Anfang 2023", False, "2023"),
        ("id", "awal 2024", False, "2024"),
        ("en", "on the 14th of August", False, "2025-08-14"),
        # a day of the month told alone: the nearest such day behind publication (ahead, for a plan)
        ("pt", "no dia 22", False, "2025-09-22"),
        ("pt", "no dia 28", False, "2025-08-28"),
        ("pt", "no dia 2", True, "2025-10-02"),
        ("es", "el pasado día 9", False, "2025-09-09"),
        ("pt", "no dia 9 de julho", False, "2025-07-09"),
        # "last September" in an article of September is the year before's; "next September", the year after's
        ("en", "last September", False, "2024-09"),
        ("fr", "en septembre dernier", False, "2024-09"),
        ("en", "next September", True, "2026-09"),
        ("en", "in September", False, "2025-09"),
    ],
)
def test_resolve(lang: str, text: str, future: bool, expected: str) -> None:
    """Each text holds exactly one date expression, and it resolves to that day, month or year."""
    (expr,) = date_rules(lang).find(text)
    assert resolve(expr, PUB, future=future).iso() == expected


def test_may_the_verb_is_not_a_month() -> None:
    assert date_rules("en").find("They may be meeting soon") == []


def test_precision_is_kept() -> None:
    (e,) = date_rules("en").find("in July")
    assert resolve(e, PUB).precision == "month"


def test_a_weekday_with_day_and_month_picks_the_matching_year() -> None:
    (e,) = date_rules("id").find("Rabu (24/9)")
    assert resolve(e, dt.date(2026, 3, 1)).iso() == "2025-09-24"  # 24 Sept 2025 is a Wednesday


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "since their talks in Lima on November 14 last year, on the eve", "2024-11-14"),
        ("en", "met in Lima in March last year", "2024-03"),
        ("en", "talks on 3 March this year", "2025-03-03"),
        ("id", "bertemu pada 7 Oktober tahun lalu di Lima", "2024-10-07"),
        ("ru", "встретились 7 октября прошлого года", "2024-10-07"),
        ("de", "am 7. Oktober vergangenen Jahres", "2024-10-07"),
        ("fr", "le 7 octobre de l'an dernier", "2024-10-07"),
        ("es", "el 7 de octubre del año pasado", "2024-10-07"),
        ("pt", "em 7 de outubro do ano passado", "2024-10-07"),
    ],
)
def test_a_day_and_month_take_the_year_the_words_after_them_tell(lang: str, text: str, expected: str) -> None:
    """"On November 14 last year" is one date, of last year: not November 14 of this year and a year."""
    found = date_rules(lang).find(text)
    assert len(found) == 1, found
    assert resolve(found[0], PUB).iso() == expected
