"""Tests for kg.ingest: every input kind, bad input, reference dates, languages, laziness."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import io
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import (
    detect_language,
    infer_reference_date,
    parse_articles,
    read_articles,
    supported_extensions,
)
from kg.model import Article

DATA = Path(__file__).parent / "data" / "ingest"
BAD = Path(__file__).parent / "data" / "bad"


def at(base: Path, *parts: str) -> str:
    """The id/path string kg gives a file found under ``base`` (as os.walk joins it)."""
    return os.path.join(str(base), *parts)


def copy_with_mtime(src: Path, dest_dir: Path, when: dt.datetime) -> str:
    dest = dest_dir / src.name
    shutil.copyfile(src, dest)
    stamp = when.timestamp()
    os.utime(dest, (stamp, stamp))
    return str(dest)


def by_id(articles: Iterator[Article]) -> dict[str, Article]:
    return {a.id: a for a in articles}


# ----------------------------------------------------------------------------- each input kind


def test_jsonl_fields() -> None:
    articles = list(read_articles([DATA / "articles.jsonl"]))
    assert [a.id for a in articles] == ["t-en-1", "t-id-1", "t-x-1", "t-x-2"]
    first = articles[0]
    assert first == Article(
        id="t-en-1",
        text="The foreign ministers of Norway and Chile held talks in Jakarta on Monday.\n\n"
        "They discussed fisheries and shipping lanes.",
        lang="en",
        published=dt.date(2025, 3, 4),
        source="Harbour Gazette",
        title="Norway and Chile hold talks in Jakarta",
        url="https://news.example.org/2025/03/norway-chile-talks",
        published_from="metadata",
        origin=f"{DATA / 'articles.jsonl'}:1",
    )
    # the blank line 3 is counted: the fourth article comes from line 4
    assert [a.origin for a in articles][2:] == [f"{DATA / 'articles.jsonl'}:{n}" for n in (4, 5)]


def test_txt_file() -> None:
    path = str(DATA / "en-talks.txt")
    (article,) = read_articles([path])
    assert article.id == path
    assert article.origin == path
    assert article.title == "Finland and Kenya agree to open trade talks"
    assert article.text.startswith("Finland and Kenya agree")
    assert article.text.endswith("tea and machinery.")
    assert article.lang == "en"
    assert (article.source, article.url) == (None, None)


def test_txt_title_only_when_first_line_is_short() -> None:
    (article,) = read_articles([DATA / "sub" / "id-kunjungan.txt"])
    assert article.title is None


def test_single_path_without_a_list() -> None:
    assert [a.id for a in read_articles(str(DATA / "en-talks.txt"))] == [str(DATA / "en-talks.txt")]


def test_html_page() -> None:
    path = str(DATA / "page.html")
    (article,) = read_articles([path], published=dt.date(2030, 1, 1))
    assert article.id == path
    assert article.title == "Norway and Chile hold talks in Jakarta"
    assert article.url == "https://news.example.org/2025/03/norway-chile-talks"
    assert article.source == "Harbour Gazette"
    assert article.lang == "en"
    # the page's own date comes before the option
    assert (article.published, article.published_from) == (dt.date(2025, 3, 4), "metadata")
    assert "held talks in Jakarta on Monday" in article.text
    assert "\n\nOfficials said" in article.text  # paragraphs separated by a blank line
    assert "Home" not in article.text and "Copyright" not in article.text


def test_html_without_metadata_uses_text_date_and_detects_language(tmp_path: Path) -> None:
    path = copy_with_mtime(DATA / "sub" / "deeper" / "nodate.htm", tmp_path, dt.datetime(2026, 1, 10, 12))
    (article,) = read_articles([path])
    assert article.lang == "id"
    assert article.title == "Menlu RI terima Menlu Meksiko"
    assert article.url is None
    # "Selasa (2/9)": 2 September is a Tuesday in 2025
    assert (article.published, article.published_from) == (dt.date(2025, 9, 2), "text")


def test_directory_is_read_recursively_in_sorted_order() -> None:
    ids = [a.id for a in read_articles([DATA])]
    assert ids == [
        "t-en-1",
        "t-id-1",
        "t-x-1",
        "t-x-2",
        at(DATA, "en-talks.txt"),
        at(DATA, "id-pertemuan.txt"),
        at(DATA, "page.html"),
        at(DATA, "sub", "id-kunjungan.txt"),
        at(DATA, "sub", "deeper", "nodate.htm"),
    ]  # notes.md (unsupported) and sub/.draft.txt (hidden) are not read


def test_mixed_inputs_keep_their_order() -> None:
    inputs: list[str | Path] = [DATA / "page.html", str(DATA / "en-talks.txt"), DATA / "sub"]
    ids = [a.id for a in read_articles(inputs)]
    assert ids == [
        str(DATA / "page.html"),
        str(DATA / "en-talks.txt"),
        at(DATA / "sub", "id-kunjungan.txt"),
        at(DATA / "sub", "deeper", "nodate.htm"),
    ]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        json.dumps({"id": "s-1", "lang": "en", "published": "2025-09-25", "text": "They met."}),
        "{oops",
        json.dumps({"id": "s-3", "lang": "id", "published": "2025-09-26", "text": "Mereka bertemu."}),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    problems: list[InputError] = []
    articles = list(read_articles(["-"], problems=problems))
    assert [(a.id, a.origin) for a in articles] == [("s-1", "<stdin>:1"), ("s-3", "<stdin>:3")]
    assert [str(p) for p in problems] == [
        "<stdin>:2: not valid JSON (Expecting property name enclosed in double quotes at column 2); "
        "expected JSON Lines, one article object per line"
    ]


def test_stdin_is_read_as_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (
        json.dumps(
            {"id": "s-1", "lang": "id", "published": "2025-09-25", "text": "Bertemu di Bogotá."},
            ensure_ascii=False,
        )
        + "\n"
    ).encode("utf-8") + b'{"id": "s-2", "text": "Bogot\xe1"}\n'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="ascii"))
    problems: list[InputError] = []
    assert [a.text for a in read_articles("-", problems=problems)] == ["Bertemu di Bogotá."]
    assert [str(p) for p in problems] == ["<stdin>:2: not valid UTF-8 text"]


def test_parse_articles_from_lines() -> None:
    lines = ["", json.dumps({"id": 7, "lang": "EN-gb", "text": "Talks in Oslo."})]
    (article,) = parse_articles(lines, path="mem.jsonl")
    assert (article.id, article.lang, article.origin) == ("7", "en", "mem.jsonl:2")
    assert (article.published, article.published_from) == (None, "none")


def test_articles_written_by_to_dict_read_back() -> None:
    original = Article(
        id="r-1", text="Talks.", lang="en", published=dt.date(2025, 9, 24), published_from="text"
    )
    (again,) = parse_articles([json.dumps(original.to_dict())], path="round.jsonl")
    assert again == dataclasses.replace(original, origin="round.jsonl:1")


def test_supported_extensions() -> None:
    assert set(supported_extensions()) == {".jsonl", ".json", ".txt", ".html", ".htm"}
    assert all(ext.startswith(".") and ext == ext.lower() for ext in supported_extensions())


# ----------------------------------------------------------------------------- bad input

MIXED = BAD / "mixed.jsonl"
MIXED_PROBLEMS = [
    f"{MIXED}:3: not valid JSON (Unterminated string starting at column 23); "
    "expected JSON Lines, one article object per line",
    f'{MIXED}:4: expected a JSON object with at least "id" and "text", got a string',
    f'{MIXED}:5: missing field "id"',
    f'{MIXED}:6: missing field "text"',
    f"{MIXED}:7: article 'b-7' has no text",
    f"{MIXED}:8: bad published date '24/09/2025': expected YYYY-MM-DD",
]


def test_bad_lines_are_skipped_and_the_rest_is_read() -> None:
    problems: list[InputError] = []
    articles = list(read_articles([MIXED], problems=problems))
    assert [(a.id, a.origin) for a in articles] == [("b-1", f"{MIXED}:1"), ("b-9", f"{MIXED}:9")]
    assert [str(p) for p in problems] == MIXED_PROBLEMS
    assert [(p.path, p.line) for p in problems] == [(str(MIXED), n) for n in range(3, 9)]


def test_bad_line_raises_with_on_error_raise() -> None:
    articles = read_articles([MIXED], on_error="raise")
    assert next(articles).id == "b-1"
    with pytest.raises(InputError) as info:
        next(articles)
    assert str(info.value) == MIXED_PROBLEMS[0]
    assert isinstance(info.value.__cause__, json.JSONDecodeError)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param(
            "array.json",
            "array.json:1: expected JSON Lines, one article per line; is this a JSON array?",
            id="array",
        ),
        pytest.param("binary.txt", "binary.txt: not a text file (binary content)", id="binary"),
        pytest.param("empty.txt", f"empty.txt: article {str(BAD / 'empty.txt')!r} has no text", id="empty"),
        pytest.param("latin1.txt", "latin1.txt:3: not valid UTF-8 text", id="not-utf8"),
        pytest.param(
            "notes.md",
            "notes.md: unsupported file type '.md': expected .txt, .jsonl, .json, .html or a directory",
            id="unsupported",
        ),
        pytest.param("missing.txt", "missing.txt: cannot read file: no such file or directory", id="missing"),
    ],
)
def test_bad_file(name: str, message: str) -> None:
    path = str(BAD / name)
    good = str(DATA / "en-talks.txt")
    problems: list[InputError] = []
    # the bad file is skipped and the next input is still read
    assert [a.id for a in read_articles([path, good], problems=problems)] == [good]
    assert [str(p) for p in problems] == [f"{BAD}/{message}"]
    with pytest.raises(InputError) as info:
        list(read_articles([path, good], on_error="raise"))
    assert str(info.value) == f"{BAD}/{message}"


def test_undecodable_jsonl_line_is_skipped() -> None:
    path = BAD / "encoding.jsonl"
    problems: list[InputError] = []
    assert [a.id for a in read_articles([path], problems=problems)] == ["e-1", "e-3"]
    assert [str(p) for p in problems] == [f"{path}:2: not valid UTF-8 text"]


def test_pretty_printed_json_object_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text('{\n  "id": "p-1",\n  "text": "Talks."\n}\n', encoding="utf-8")
    problems: list[InputError] = []
    assert list(read_articles([path], problems=problems)) == []
    assert [str(p) for p in problems] == [
        f"{path}:1: not valid JSON (one JSON document spread over several lines); "
        "expected JSON Lines, one article object per line"
    ]


def test_bad_field_types(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": ["x"], "text": "Talks."}),
        json.dumps({"id": "f-2", "text": 42}),
        json.dumps({"id": "f-3", "text": "Talks.", "title": {"en": "x"}}),
        json.dumps({"id": "f-4", "text": "Talks.", "published": 20250924}),
    ]
    problems: list[InputError] = []
    assert list(parse_articles(lines, path="f.jsonl", problems=problems)) == []
    assert [str(p) for p in problems] == [
        'f.jsonl:1: field "id" must be a string, got an array',
        'f.jsonl:2: field "text" must be a string, got a number',
        'f.jsonl:3: field "title" must be a string, got an object',
        "f.jsonl:4: bad published date 20250924: expected YYYY-MM-DD",
    ]


def test_skipped_problems_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="kg.ingest")
    list(read_articles([MIXED]))
    debug = [
        r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG and "skipped" in r.getMessage()
    ]
    assert debug == [f"skipped: {m}" for m in MIXED_PROBLEMS]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("skipped 6 bad input(s)")


def test_no_summary_warning_when_the_caller_collects(caplog: pytest.LogCaptureFixture) -> None:
    list(read_articles([MIXED], problems=[]))
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_bad_arguments_fail_at_once() -> None:
    with pytest.raises(ValueError, match="on_error"):
        read_articles([DATA], on_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'xx'"):
        read_articles([DATA], languages=["en", "xx"])


# ----------------------------------------------------------------------------- laziness


def test_reading_is_lazy() -> None:
    articles = read_articles([str(BAD / "does-not-exist.txt"), MIXED], on_error="raise")
    assert inspect.isgenerator(articles)  # nothing opened, nothing raised yet
    with pytest.raises(InputError, match=re.escape("does-not-exist.txt: cannot read file")):
        next(articles)


def test_first_article_comes_before_a_later_broken_line() -> None:
    consumed: list[int] = []

    def lines() -> Iterator[str]:
        yield json.dumps({"id": "l-1", "lang": "en", "published": "2025-09-25", "text": "They met."})
        consumed.append(2)
        yield "{broken"
        consumed.append(3)
        raise AssertionError("read past the broken line")

    articles = parse_articles(lines(), path="lazy.jsonl", on_error="raise")
    assert next(articles).id == "l-1"
    assert consumed == []  # the broken line has not been read yet
    with pytest.raises(InputError, match=r"^lazy\.jsonl:2: not valid JSON"):
        next(articles)
    assert consumed == [2]


# ----------------------------------------------------------------------------- reference dates


def test_option_comes_before_text_and_mtime(tmp_path: Path) -> None:
    path = copy_with_mtime(DATA / "id-pertemuan.txt", tmp_path, dt.datetime(2025, 10, 1, 9))
    (article,) = read_articles([path], published=dt.date(2025, 9, 25))
    assert (article.published, article.published_from) == (dt.date(2025, 9, 25), "option")


def test_text_comes_before_mtime(tmp_path: Path) -> None:
    path = copy_with_mtime(DATA / "id-pertemuan.txt", tmp_path, dt.datetime(2025, 10, 1, 9))
    (article,) = read_articles([path])
    assert (article.published, article.published_from) == (dt.date(2025, 9, 24), "text")


def test_mtime_is_the_last_resort(tmp_path: Path) -> None:
    path = copy_with_mtime(DATA / "sub" / "id-kunjungan.txt", tmp_path, dt.datetime(2025, 6, 1, 9))
    (article,) = read_articles([path])
    assert (article.published, article.published_from) == (dt.date(2025, 6, 1), "mtime")


def test_jsonl_metadata_then_option_then_text() -> None:
    got = by_id(read_articles([DATA / "articles.jsonl"], published=dt.date(2025, 3, 10)))
    assert (got["t-en-1"].published, got["t-en-1"].published_from) == (dt.date(2025, 3, 4), "metadata")
    assert (got["t-x-1"].published, got["t-x-1"].published_from) == (dt.date(2025, 3, 10), "option")
    lines = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    parsed = by_id(parse_articles(lines, around=dt.date(2025, 3, 20)))
    # "Kamis (6/3)": 6 March is a Thursday in 2025
    assert (parsed["t-x-2"].published, parsed["t-x-2"].published_from) == (dt.date(2025, 3, 6), "text")
    assert (parsed["t-x-1"].published, parsed["t-x-1"].published_from) == (None, "none")


@pytest.mark.parametrize(
    "when", [dt.datetime(2025, 9, 30), dt.datetime(2026, 12, 31, 23)], ids=["2025", "2026"]
)
@pytest.mark.parametrize("name", ["id-pertemuan.txt", "en-talks.txt"])
def test_weekday_with_day_and_month_fixes_the_year(tmp_path: Path, name: str, when: dt.datetime) -> None:
    path = copy_with_mtime(DATA / name, tmp_path, when)
    (article,) = read_articles([path])
    assert (article.published, article.published_from) == (dt.date(2025, 9, 24), "text")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Pertemuan berlangsung pada Rabu (24/9).", "id", dt.date(2025, 9, 24)),
        ("They met on Wednesday, Sept. 24, in New York.", "en", dt.date(2025, 9, 24)),
        ("They met on Wednesday, September 24.", "en", dt.date(2025, 9, 24)),
        ("They met on Wed., Sept. 24th.", "en", dt.date(2025, 9, 24)),
        ("Signed on 24 September 2025.", "en", dt.date(2025, 9, 24)),
        ("Signed on September 24, 2025.", "en", dt.date(2025, 9, 24)),
        ("Ditandatangani 24/9/2025.", "id", dt.date(2025, 9, 24)),
        ("Rapat digelar Senin (3/3/2025).", "id", dt.date(2025, 3, 3)),
        ("Signed 2025-09-24.", "en", dt.date(2025, 9, 24)),
        ("Signed 9/24/2025.", "en", dt.date(2025, 9, 24)),  # en: month first (CLDR)
        ("Ils se sont vus le mercredi 24 septembre.", "fr", dt.date(2025, 9, 24)),
        ("Se reunieron el miércoles 24 de septiembre.", "es", dt.date(2025, 9, 24)),
        ("Sie trafen sich am Mittwoch, 24. Sept.", "de", dt.date(2025, 9, 24)),
        ("Встреча прошла 24 сентября 2025 года.", "ru", dt.date(2025, 9, 24)),
        ("Reuniram-se na quarta-feira, 24 de setembro.", "pt", dt.date(2025, 9, 24)),
        ("Kamis (2/10) dan Rabu (24/9)", "id", dt.date(2025, 10, 2)),  # the latest
        ("Bertemu pada 15 Agustus.", "id", None),  # no weekday, no year
        ("They met on Wednesday.", "en", None),
        ("Signed 24/9/2025.", None, dt.date(2025, 9, 24)),  # numeric dates need no language
        ("A plan for 24 September 2031.", "en", None),  # after the year following `around`
    ],
)
def test_infer_reference_date(text: str, lang: str | None, expected: dt.date | None) -> None:
    assert infer_reference_date(text, lang, around=dt.date(2025, 10, 5)) == expected


def test_weekday_year_is_latest_not_after_next_year() -> None:
    # 24 September is a Wednesday in 2025 and 2031
    assert infer_reference_date("Rabu (24/9)", "id", around=dt.date(2029, 1, 1)) == dt.date(2025, 9, 24)
    assert infer_reference_date("Rabu (24/9)", "id", around=dt.date(2030, 1, 1)) == dt.date(2031, 9, 24)


# ----------------------------------------------------------------------------- languages


def test_language_detection_for_english_and_indonesian() -> None:
    got = by_id(read_articles([DATA / "articles.jsonl"]))
    assert (got["t-x-1"].lang, got["t-x-2"].lang) == ("en", "id")
    files = [a.lang for a in read_articles([DATA / "en-talks.txt", DATA / "id-pertemuan.txt"])]
    assert files == ["en", "id"]


def test_lang_option_fills_in_but_does_not_override() -> None:
    got = by_id(read_articles([DATA / "articles.jsonl"], lang="fr"))
    assert (got["t-en-1"].lang, got["t-id-1"].lang, got["t-x-1"].lang) == ("en", "id", "fr")


def test_unsure_detection_gives_none_and_the_article_is_reported_with_the_languages_considered() -> None:
    assert detect_language("Lavrov Rubio Moskva") is None
    assert detect_language("12345 67890") is None
    problems: list[InputError] = []
    got = list(parse_articles([json.dumps({"id": "u-1", "text": "Washington Jakarta Helsinki Nairobi"})],
                              path="a.jsonl", problems=problems))
    assert got == []
    (p,) = problems
    assert (p.path, p.line) == ("a.jsonl", 1)
    assert "cannot tell the language of article 'u-1' (unsure: " in p.msg
    assert "considered en, id, fr, es, de, ru, pt" in p.msg and "--lang" in p.msg


def test_an_article_in_a_language_without_a_pack_is_not_read_as_its_nearest_pack() -> None:
    swahili = ("Rais wa Tanzania Samia Suluhu Hassan alikutana na Waziri wa Mambo ya Nje wa China Wang Yi mjini "
               "Dar es Salaam siku ya Jumanne, na viongozi hao walijadili biashara na uwekezaji.")
    assert detect_language(swahili) is None  # it was "id", with full confidence
    problems: list[InputError] = []
    assert list(parse_articles([json.dumps({"id": "sw-1", "text": swahili})], path="s.jsonl", problems=problems)) == []
    assert "it reads as Swahili, which has no pack" in problems[0].msg
    assert detect_language("Kedua menteri bertemu di New York pada hari Rabu.") == "id"  # not Malay


def test_detection_is_restricted_to_languages() -> None:
    text = "Die Außenminister trafen sich am Mittwoch in New York zu einem einstündigen Gespräch."
    assert detect_language(text, languages=["en", "de"]) == "de"
    assert detect_language(text, languages=["en", "id"]) != "de"
