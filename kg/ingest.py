"""Read news articles from JSON Lines, plain text and HTML files, directories or stdin.

This is the only module of kg that opens input files. It streams: articles come out one
at a time, so a corpus never has to fit in memory. Bad input (a malformed JSON line, a
binary file, an article with no text, ...) becomes an :class:`~kg.errors.InputError`
that names the file and the line; with ``on_error="skip"`` it is recorded and reading
goes on with the next article, with ``on_error="raise"`` it is raised.

Supported inputs:

* ``.jsonl`` (and ``.json`` holding JSON Lines): one article object per line, with
  ``id`` and ``text`` required and ``lang``, ``published``, ``source``, ``title`` and
  ``url`` optional (see ``eval/FORMAT.md``);
* ``.txt``: one article per file, no metadata; the id is the path;
* ``.html`` / ``.htm``: one page per file; main text by trafilatura, title, canonical
  url, site name and publication date from the page's metadata; nothing is fetched;
* a directory: every supported file below it, recursively, in sorted order (names that
  start with a dot are skipped);
* ``"-"``: JSON Lines on stdin.

Where an article's metadata leaves a gap, the keyword options fill it: the reference
date comes from the page/record metadata, then the ``published`` option, then a date
found in the text (:func:`infer_reference_date`), then (for .txt and .html files) the
file's modification date; ``Article.published_from`` records which one was used. The
language comes from the metadata, then the ``lang`` option, then detection with lingua
among ``languages`` (weighing a few languages without a pack too, so that an article in
one of them is reported rather than read as its nearest pack).

>>> [a.id for a in parse_articles(['{"id": "a1", "lang": "en", "text": "Hello."}'])]
['a1']
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import logging
import os
import re
import sys
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, cast, get_args

from kg.errors import (
    MSG_BAD_DATE,
    MSG_BINARY,
    MSG_EMPTY_TEXT,
    MSG_JSON_ARRAY,
    MSG_MISSING_FIELD,
    MSG_NOT_JSON,
    MSG_NOT_OBJECT,
    MSG_UNKNOWN_EXT,
    MSG_UNREADABLE,
    BugError,
    InputError,
)
from kg.model import Article, DateSource

if TYPE_CHECKING:
    from lingua import LanguageDetector

logger = logging.getLogger(__name__)

OnError = Literal["skip", "raise"]

#: The file extensions :func:`read_articles` reads (lower case; matching ignores case).
SUPPORTED_EXTENSIONS: Final[tuple[str, ...]] = (".jsonl", ".json", ".txt", ".html", ".htm")
#: The languages detection chooses from when ``languages`` is not given (ISO 639-1).
DEFAULT_LANGUAGES: Final[tuple[str, ...]] = ("en", "id", "fr", "es", "de", "ru", "pt")
#: The path that means JSON Lines on stdin.
STDIN: Final = "-"

_JSONL_EXTENSIONS: Final = frozenset({".jsonl", ".json"})
_HTML_EXTENSIONS: Final = frozenset({".html", ".htm"})
_DATE_SOURCES_KEPT: Final = frozenset(get_args(DateSource)) - {"none"}

# TODO(errors.py): these two belong with the other templates in kg/errors.py.
_MSG_BAD_FIELD: Final = 'field "{field}" must be {expected}, got {kind}'
_MSG_NOT_UTF8: Final = "not valid UTF-8 text"

_BINARY_PROBE: Final = 8192  # bytes looked at for NUL bytes
_DETECT_SAMPLE: Final = 3000  # characters of text given to the language detector
_DETECT_MIN_LETTERS: Final = 10  # below this, no language is guessed
_DETECT_MIN_CONFIDENCE: Final = 0.6
#: Languages without a pack that detection weighs too, so that an article in one of them is
#: reported instead of read as its nearest pack language (Swahili as Indonesian, Catalan as
#: Spanish, Ukrainian as Russian). Malay is left out: short Indonesian texts read as Malay,
#: and the Indonesian pack reads Malay well enough.
_WITHOUT_PACK: Final = ("ca", "da", "it", "nl", "pl", "ro", "so", "sv", "sw", "tl", "tr", "uk", "vi")
_MSG_NO_LANGUAGE: Final = ('cannot tell the language of article {id!r} ({why}; considered {langs}); skipped: '
                           'give "lang" in its record or --lang')
_TITLE_MAX: Final = 150  # a .txt file's first line is its title when at most this long
_WEEKDAY_YEARS_BACK: Final = 40  # a day/month falls on each weekday within 28 years (leap days too)
_SURROGATE_RE: Final = re.compile("[\udc80-\udcff]")  # undecodable bytes under surrogateescape
_ISO_DATE_RE: Final = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?")


def supported_extensions() -> tuple[str, ...]:
    """The file extensions that :func:`read_articles` reads, for help texts.

    Returns:
        Lower-case extensions with their dot, JSON Lines first.

    >>> ", ".join(supported_extensions())
    '.jsonl, .json, .txt, .html, .htm'
    """
    return SUPPORTED_EXTENSIONS


# ----------------------------------------------------------------------------- public API


def read_articles(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    published: dt.date | None = None,
    lang: str | None = None,
    on_error: OnError = "skip",
    problems: list[InputError] | None = None,
    languages: Collection[str] | None = None,
) -> Iterator[Article]:
    """Stream the articles of files, directories and stdin, one at a time.

    Inputs are read in the order given; a directory is walked recursively in sorted
    order and only files with a supported extension (:func:`supported_extensions`) are
    read from it. ``"-"`` reads JSON Lines from stdin. Arguments are checked at once;
    files are opened only as the articles are consumed.

    Args:
        inputs: paths of files or directories, or ``"-"`` for stdin; a single path
            may be given on its own.
        published: the reference date for articles whose metadata has none; it comes
            before a date found in the text (``published_from="option"``).
        lang: the ISO 639-1 language of articles whose metadata has none; when not
            given, the language is detected. An article whose language detection cannot
            tell (unsure, or a language without a pack) is a problem like a bad line: the
            message names the languages considered, and the article is skipped.
        on_error: ``"skip"`` records a bad file or line in ``problems``, logs it at
            debug level and goes on; ``"raise"`` raises it.
        problems: a list that receives the skipped problems (only with ``"skip"``).
            When not given, one warning with their count is logged at the end.
        languages: the ISO 639-1 codes language detection may choose from (default
            :data:`DEFAULT_LANGUAGES`).

    Returns:
        A generator of :class:`~kg.model.Article`, in input order.

    Raises:
        InputError: with ``on_error="raise"``, for the first unreadable or binary file,
            unsupported file type, malformed line, missing ``id``/``text``, empty text
            or bad ``published`` date; the message reads ``path:line: problem``.
        ValueError: at once, for an unknown ``on_error`` or language code.

    >>> [a.id for a in read_articles([], lang="en")]
    []
    """
    opts = _Options.make(published=published, lang=lang, languages=languages)
    policy = _Policy.make(on_error, problems)
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    return _finish(_read_all(list(inputs), opts, policy), policy)


def parse_articles(
    lines: Iterable[str],
    *,
    path: str = "<string>",
    published: dt.date | None = None,
    lang: str | None = None,
    on_error: OnError = "skip",
    problems: list[InputError] | None = None,
    languages: Collection[str] | None = None,
    around: dt.date | None = None,
) -> Iterator[Article]:
    """Parse JSON Lines, one article object per line, into articles.

    Blank lines are skipped, but line numbers count them, as an editor does.

    Args:
        lines: the lines of a JSON Lines document (an open text file will do).
        path: the name that error messages and ``Article.origin`` give the lines.
        published: the reference date for records without ``published``.
        lang: the language of records without ``lang`` (else it is detected).
        on_error: ``"skip"`` (record in ``problems`` and go on) or ``"raise"``.
        problems: a list that receives the skipped problems.
        languages: the ISO 639-1 codes language detection may choose from.
        around: the date near which dates without a year found in the text are
            placed, for records without ``published`` (default: today).

    Returns:
        A generator of :class:`~kg.model.Article`, one per good line.

    Raises:
        InputError: with ``on_error="raise"``, for the first bad line.
        ValueError: at once, for an unknown ``on_error`` or language code.

    >>> lines = ['{"id": "x", "lang": "en", "published": "2025-09-25", "text": "Talks."}', "", "[1]"]
    >>> found: list[InputError] = []
    >>> [a.published for a in parse_articles(lines, path="in.jsonl", problems=found)]
    [datetime.date(2025, 9, 25)]
    >>> str(found[0])
    'in.jsonl:3: expected a JSON object with at least "id" and "text", got an array'
    """
    opts = _Options.make(published=published, lang=lang, languages=languages)
    policy = _Policy.make(on_error, problems)
    return _finish(_parse_lines(lines, path=path, opts=opts, policy=policy, around=around), policy)


def infer_reference_date(text: str, lang: str | None, *, around: dt.date) -> dt.date | None:
    """Find the date an article was written from the dates its text mentions.

    A full date fixes the reference date ("24 September 2025", "September 24, 2025",
    "24/9/2025", "Senin (3/3/2025)", "2025-09-24"), and so does a weekday given with a
    day and month ("Rabu (24/9)", "Wednesday, Sept. 24", "mercredi 24 septembre"): the
    year is the latest in which that day falls on that weekday, no later than the year
    after ``around``. When several dates are found the latest is taken. Weekday and
    month names are CLDR's (babel), wide and abbreviated, plus dotted abbreviations
    such as "Sept."; the order of a numeric day and month follows the language's CLDR
    short date format (day first when the language is unknown).

    Args:
        text: the article's text.
        lang: its ISO 639-1 language, or None for numeric dates only.
        around: a date near the article's publication (a file's modification date, or
            today); dates later than the year after it are ignored.

    Returns:
        The latest date found, or None when the text fixes none.

    >>> infer_reference_date("Pertemuan berlangsung pada Rabu (24/9).", "id", around=dt.date(2026, 1, 5))
    datetime.date(2025, 9, 24)
    >>> infer_reference_date("They met on Wednesday, Sept. 24.", "en", around=dt.date(2025, 10, 1))
    datetime.date(2025, 9, 24)
    >>> infer_reference_date("They met on Wednesday.", "en", around=dt.date(2025, 10, 1)) is None
    True
    """
    names = _date_names(_norm_lang(lang) if lang else None)
    max_year = around.year + 1
    found: list[dt.date] = []
    for pattern in names.patterns:
        for m in pattern.finditer(text):
            d = _date_from_match(m, names, max_year)
            if d is not None and d.year <= max_year:
                found.append(d)
    return max(found, default=None)


def detect_language(text: str, *, languages: Collection[str] | None = None) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, if lingua is sure.

    The detector is built on first use and cached for each set of languages.

    Args:
        text: the text (only its beginning is looked at).
        languages: the ISO 639-1 codes to choose from (default :data:`DEFAULT_LANGUAGES`).

    Returns:
        The code, or None when the text is too short or detection is not confident.
        With a single language to choose from, that language.

    Raises:
        ValueError: for an unknown language code.

    >>> detect_language("The two ministers met in New York on Wednesday to discuss the war.")
    'en'
    >>> detect_language("Kedua menteri bertemu di New York pada hari Rabu.")
    'id'
    """
    codes = _check_languages(languages)
    return _detect(text, codes)


# ----------------------------------------------------------------------------- options and errors


@dataclass(frozen=True, slots=True)
class _Options:
    """The caller's defaults for what an article's metadata leaves out."""

    published: dt.date | None
    lang: str | None
    languages: tuple[str, ...]

    @classmethod
    def make(
        cls, *, published: dt.date | None, lang: str | None, languages: Collection[str] | None
    ) -> _Options:
        if isinstance(published, dt.datetime):
            published = published.date()
        if published is not None and not isinstance(published, dt.date):
            raise ValueError(f"published must be a date, got {published!r}")
        return cls(
            published=published,
            lang=_norm_lang(lang) if lang is not None else None,
            languages=_check_languages(languages),
        )


@dataclass(slots=True)
class _Policy:
    """What to do with an InputError: raise it, or record it and go on."""

    on_error: OnError
    problems: list[InputError] | None
    skipped: int = 0
    first: list[InputError] = field(default_factory=list)

    @classmethod
    def make(cls, on_error: str, problems: list[InputError] | None) -> _Policy:
        if on_error not in ("skip", "raise"):
            raise ValueError(f"on_error must be 'skip' or 'raise', got {on_error!r}")
        return cls(cast(OnError, on_error), problems)

    def report(self, err: InputError, cause: BaseException | None = None) -> None:
        """Raise ``err`` or record it, depending on the policy."""
        if self.on_error == "raise":
            raise err from cause
        self.skipped += 1
        if not self.first:
            self.first.append(err)
        if self.problems is not None:
            self.problems.append(err)
        logger.debug("skipped: %s", err)


def _finish(articles: Iterator[Article], policy: _Policy) -> Iterator[Article]:
    """Yield ``articles``, then warn once if problems were skipped and nobody collects them."""
    yield from articles
    if policy.skipped and policy.problems is None:
        logger.warning(
            "skipped %d bad input(s), the first being %s; pass problems=[...] to get them all",
            policy.skipped,
            policy.first[0],
        )


def _check_languages(languages: Collection[str] | None) -> tuple[str, ...]:
    if languages is None:
        return DEFAULT_LANGUAGES
    if isinstance(languages, str):
        raise ValueError(f"languages must be a collection of codes, not the string {languages!r}")
    from lingua import IsoCode639_1

    codes = tuple(sorted({_norm_lang(c) for c in languages}))
    for code in codes:
        try:
            IsoCode639_1.from_str(code)
        except ValueError:
            raise ValueError(f"unknown ISO 639-1 language code {code!r}") from None
    return codes


def _norm_lang(code: str) -> str:
    """'EN', 'en-US' and 'en_GB' become 'en'."""
    norm = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    if not norm:
        raise ValueError(f"empty language code {code!r}")
    return norm


# ----------------------------------------------------------------------------- language detection


@functools.lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    """One lingua detector per set of languages, built on first use."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_iso_codes_639_1(*(IsoCode639_1.from_str(c) for c in codes)).build()


def _detect(text: str, codes: tuple[str, ...]) -> str | None:
    return _guess(text, codes)[0]


def _guess(text: str, codes: tuple[str, ...]) -> tuple[str | None, str]:
    """The language of ``text`` among ``codes``, or None and why. The detector also weighs
    :data:`_WITHOUT_PACK`, so that a text in one of those is not taken for its nearest pack."""
    if not codes:
        return None, "no language to choose from"
    sample = text[:_DETECT_SAMPLE]
    if sum(c.isalpha() for c in sample) < _DETECT_MIN_LETTERS:
        return None, "too little text"
    if len(codes) == 1:
        return codes[0], ""
    values = _detector(tuple(sorted({*codes, *_WITHOUT_PACK}))).compute_language_confidence_values(sample)
    if not values:
        return None, "no language fits"
    top, code = values[0], str(values[0].language.iso_code_639_1.name.lower())
    if top.value >= _DETECT_MIN_CONFIDENCE and code in codes:
        return code, ""
    if top.value >= _DETECT_MIN_CONFIDENCE:
        return None, f"it reads as {top.language.name.title()}, which has no pack"
    likeliest = ", ".join(f"{v.language.name.title()} {v.value:.2f}" for v in values[:3])
    return None, f"unsure: {likeliest}"


def _article_lang(meta: str | None, text: str, opts: _Options, path: str, line: int | None, art_id: str) -> str:
    """The article's language: its metadata, else the ``lang`` option, else detected.

    Raises:
        InputError: Detection is unsure, or finds a language without a pack; the message names
            the languages considered and what to do.
    """
    if meta:
        return meta
    if opts.lang:
        return opts.lang
    found, why = _guess(text, opts.languages)
    if found is None:
        raise InputError(path, line, _MSG_NO_LANGUAGE.format(id=art_id, why=why, langs=", ".join(opts.languages)))
    return found


# ----------------------------------------------------------------------------- reading inputs


def _read_all(inputs: list[str | os.PathLike[str]], opts: _Options, policy: _Policy) -> Iterator[Article]:
    for item in inputs:
        name = os.fspath(item)
        if name == STDIN:
            yield from _parse_lines(_stdin_lines(), path="<stdin>", opts=opts, policy=policy, around=None)
            continue
        path = Path(name)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as err:  # e.g. a name too long for the file system
            policy.report(InputError(name, None, MSG_UNREADABLE.format(detail=_strerror(err))), err)
            continue
        if not exists:
            policy.report(InputError(name, None, MSG_UNREADABLE.format(detail="no such file or directory")))
        elif is_dir:
            for file in _walk(name, policy):
                yield from _read_file(file, opts, policy)
        elif path.suffix.lower() in SUPPORTED_EXTENSIONS:
            yield from _read_file(name, opts, policy)
        else:
            policy.report(InputError(name, None, MSG_UNKNOWN_EXT.format(ext=path.suffix or path.name)))


def _stdin_lines() -> Iterator[str]:
    """Lines of stdin decoded as UTF-8 whatever the locale says (JSON Lines is UTF-8)."""
    stdin = sys.stdin
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:  # a text stream without bytes underneath, e.g. io.StringIO in tests
        yield from stdin
        return
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8-sig", errors="surrogateescape", newline=None)
    try:
        yield from wrapper
    finally:
        wrapper.detach()  # leave sys.stdin's buffer open


def _walk(top: str, policy: _Policy) -> Iterator[str]:
    """Supported files below ``top``, depth first, each folder's files before its subfolders."""

    def on_walk_error(err: OSError) -> None:
        policy.report(
            InputError(err.filename or top, None, MSG_UNREADABLE.format(detail=_strerror(err))), err
        )

    for dirpath, dirnames, filenames in os.walk(top, onerror=on_walk_error):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if os.path.splitext(name)[1].lower() in SUPPORTED_EXTENSIONS:
                yield os.path.join(dirpath, name)
            else:
                logger.debug("%s: not a supported file type; ignored", os.path.join(dirpath, name))


def _read_file(name: str, opts: _Options, policy: _Policy) -> Iterator[Article]:
    ext = os.path.splitext(name)[1].lower()
    if ext in _JSONL_EXTENSIONS:
        yield from _read_jsonl(name, opts, policy)
    elif ext in _HTML_EXTENSIONS:
        yield from _read_html(name, opts, policy)
    elif ext == ".txt":
        yield from _read_txt(name, opts, policy)
    else:  # _read_all and _walk only pass supported extensions
        raise BugError(f"_read_file called with unsupported extension {ext!r}")


def _strerror(err: OSError) -> str:
    return (err.strerror or str(err)).lower()


def _mtime(name: str) -> dt.date | None:
    try:
        return dt.date.fromtimestamp(os.stat(name).st_mtime)
    except (OSError, OverflowError, ValueError):
        return None


def _read_bytes(name: str, policy: _Policy) -> bytes | None:
    """The whole file, or None (after reporting) when it can't be read or is binary."""
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError as err:
        policy.report(InputError(name, None, MSG_UNREADABLE.format(detail=_strerror(err))), err)
        return None
    if b"\x00" in data[:_BINARY_PROBE]:
        policy.report(InputError(name, None, MSG_BINARY))
        return None
    return data


def _read_jsonl(name: str, opts: _Options, policy: _Policy) -> Iterator[Article]:
    around = _mtime(name)
    try:
        raw = open(name, "rb")  # noqa: SIM115  # closed by the TextIOWrapper below
    except OSError as err:
        policy.report(InputError(name, None, MSG_UNREADABLE.format(detail=_strerror(err))), err)
        return
    try:
        probe = raw.peek(_BINARY_PROBE)[:_BINARY_PROBE]
    except OSError as err:
        raw.close()
        policy.report(InputError(name, None, MSG_UNREADABLE.format(detail=_strerror(err))), err)
        return
    # undecodable bytes become lone surrogates, which _parse_lines reports with their line
    with io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline=None) as f:
        if b"\x00" in probe:
            policy.report(InputError(name, None, MSG_BINARY))
            return
        yield from _parse_lines(f, path=name, opts=opts, policy=policy, around=around)


def _read_txt(name: str, opts: _Options, policy: _Policy) -> Iterator[Article]:
    data = _read_bytes(name, policy)
    if data is None:
        return
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        policy.report(InputError(name, line, _MSG_NOT_UTF8), err)
        return
    text = raw.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    if not text.strip():
        policy.report(InputError(name, None, MSG_EMPTY_TEXT.format(id=name)))
        return
    try:
        lang = _article_lang(None, text, opts, name, None, name)
    except InputError as err:
        policy.report(err)
        return
    mtime = _mtime(name)
    published, source = _reference_date(None, text, lang, opts, around=mtime, fallback=mtime)
    yield Article(
        id=name,
        text=text,
        lang=lang,
        published=published,
        title=_txt_title(text),
        published_from=source,
        origin=name,
    )


def _txt_title(text: str) -> str | None:
    """The first line of a .txt article when it is short and more text follows."""
    first, _, rest = text.lstrip().partition("\n")
    first = first.strip()
    if first and len(first) <= _TITLE_MAX and rest.strip():
        return first
    return None


def _read_html(name: str, opts: _Options, policy: _Policy) -> Iterator[Article]:
    data = _read_bytes(name, policy)
    if data is None:
        return
    from trafilatura import bare_extraction
    from trafilatura.settings import Document
    from trafilatura.utils import load_html

    tree = load_html(data)
    doc: Document | None = None
    page_lang: str | None = None
    if tree is not None:
        page_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        found = bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        doc = found if isinstance(found, Document) else None
    body = getattr(doc, "text", None) or ""
    text = "\n\n".join(line.strip() for line in body.splitlines() if line.strip())
    if doc is None or not text:
        policy.report(InputError(name, None, MSG_EMPTY_TEXT.format(id=name)))
        return
    meta_lang = _norm_lang(page_lang) if page_lang and page_lang.strip() else None
    try:
        lang = _article_lang(meta_lang, text, opts, name, None, name)
    except InputError as err:
        policy.report(err)
        return
    meta_date = _parse_iso_date(doc.date) if isinstance(doc.date, str) else None
    mtime = _mtime(name)
    published, source = _reference_date(meta_date, text, lang, opts, around=mtime, fallback=mtime)
    yield Article(
        id=name,
        text=text,
        lang=lang,
        published=published,
        source=doc.sitename or None,
        title=doc.title or None,
        url=doc.url or None,
        published_from=source,
        origin=name,
    )


def _reference_date(
    meta: dt.date | None,
    text: str,
    lang: str | None,
    opts: _Options,
    *,
    around: dt.date | None,
    fallback: dt.date | None,
) -> tuple[dt.date | None, DateSource]:
    """The reference date and where it came from: metadata > option > text > mtime."""
    if meta is not None:
        return meta, "metadata"
    if opts.published is not None:
        return opts.published, "option"
    found = infer_reference_date(text, lang, around=around or dt.date.today())
    if found is not None:
        return found, "text"
    if fallback is not None:
        return fallback, "mtime"
    return None, "none"


def _parse_iso_date(value: str) -> dt.date | None:
    """'2025-09-24' or an ISO date-time that starts with one; None if it isn't one."""
    m = _ISO_DATE_RE.fullmatch(value.strip())
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None


# ----------------------------------------------------------------------------- JSON Lines


def _parse_lines(
    lines: Iterable[str], *, path: str, opts: _Options, policy: _Policy, around: dt.date | None
) -> Iterator[Article]:
    first = True
    it = enumerate(lines, start=1)
    while True:
        try:
            lineno, raw = next(it)
        except StopIteration:
            return
        except (UnicodeDecodeError, OSError) as err:  # only from a stream like stdin
            detail = _MSG_NOT_UTF8 if isinstance(err, UnicodeDecodeError) else _strerror(err)
            policy.report(InputError(path, None, MSG_UNREADABLE.format(detail=detail)), err)
            return
        line = raw.strip()
        if not line:
            continue
        if first:
            first = False
            if line.startswith("["):
                policy.report(InputError(path, lineno, MSG_JSON_ARRAY))
                return
            if line == "{":
                detail = "one JSON document spread over several lines"
                policy.report(InputError(path, lineno, MSG_NOT_JSON.format(detail=detail)))
                return
        if _SURROGATE_RE.search(line):
            policy.report(InputError(path, lineno, _MSG_NOT_UTF8))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            detail = f"{err.msg}{'' if err.msg.endswith(' at') else ' at'} column {err.colno}"
            policy.report(InputError(path, lineno, MSG_NOT_JSON.format(detail=detail)), err)
            continue
        if not isinstance(record, dict):
            policy.report(InputError(path, lineno, MSG_NOT_OBJECT.format(kind=_kind(record))))
            continue
        try:
            article = _article_from_record(record, path=path, line=lineno, opts=opts, around=around)
        except InputError as err:
            policy.report(err)
            continue
        yield article


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _optional_str(record: dict[str, Any], key: str, path: str, line: int) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        msg = _MSG_BAD_FIELD.format(field=key, expected="a string", kind=_kind(value))
        raise InputError(path, line, msg)
    return value.strip() or None


def _article_from_record(
    record: dict[str, Any], *, path: str, line: int, opts: _Options, around: dt.date | None
) -> Article:
    """One article from one JSON Lines record; InputError names the first problem."""
    raw_id = record.get("id")
    if raw_id is None or raw_id == "":
        raise InputError(path, line, MSG_MISSING_FIELD.format(field="id"))
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise InputError(
            path, line, _MSG_BAD_FIELD.format(field="id", expected="a string", kind=_kind(raw_id))
        )
    art_id = str(raw_id)
    text = record.get("text")
    if text is None:
        raise InputError(path, line, MSG_MISSING_FIELD.format(field="text"))
    if not isinstance(text, str):
        raise InputError(
            path, line, _MSG_BAD_FIELD.format(field="text", expected="a string", kind=_kind(text))
        )
    if not text.strip():
        raise InputError(path, line, MSG_EMPTY_TEXT.format(id=art_id))

    raw_pub = record.get("published")
    meta_date: dt.date | None = None
    if raw_pub is not None and raw_pub != "":
        meta_date = _parse_iso_date(raw_pub) if isinstance(raw_pub, str) else None
        if meta_date is None:
            raise InputError(path, line, MSG_BAD_DATE.format(value=raw_pub))

    raw_lang = _optional_str(record, "lang", path, line)
    title = _optional_str(record, "title", path, line)
    source = _optional_str(record, "source", path, line)
    url = _optional_str(record, "url", path, line)

    where = f"{path}:{line}"
    lang = _article_lang(_norm_lang(raw_lang) if raw_lang else None, text, opts, path, line, art_id)
    published, date_source = _reference_date(meta_date, text, lang, opts, around=around, fallback=None)
    if meta_date is not None and record.get("published_from") in _DATE_SOURCES_KEPT:
        date_source = record["published_from"]  # our own output read back keeps its provenance
    return Article(
        id=art_id,
        text=text,
        lang=lang,
        published=published,
        source=source,
        title=title,
        url=url,
        published_from=date_source,
        origin=where,
    )


# ----------------------------------------------------------------------------- dates in the text

_SP = r"[\s\u00a0]+"
_OPT_SP = r"[\s\u00a0]*"
_WORD_START = r"(?<![^\W_])"  # not preceded by a letter or digit
_WORD_END = r"(?![^\W_])"
# One short word between the parts of a date: "24 de septiembre de 2025", "on".
_CONNECTOR = rf"(?:[^\W\d_]{{1,3}}\.?{_SP})?"
# A day of the month, maybe with a short suffix: "24", "24.", "24th", "1er".
_DAY = r"(?P<d>[0-3]?\d)(?!\d)(?:[^\W\d_]{1,2}(?![^\W\d_]))?\.?"
_YEAR = r"(?P<y>\d{4})(?!\d)"


@dataclass(frozen=True, slots=True)
class _DateNames:
    """A language's weekday and month names and the patterns built from them."""

    weekdays: dict[str, int]  # casefolded name without trailing dot -> Monday=0 .. Sunday=6
    months: dict[str, int]  # casefolded name without trailing dot -> 1 .. 12
    day_first: bool  # whether a numeric date puts the day before the month
    patterns: tuple[re.Pattern[str], ...]


def _name_table(names: Iterable[tuple[int, str]]) -> tuple[dict[str, int], dict[str, int]]:
    """Exact names, and dotted prefixes ("Sept.", "Tues.") that name only one value."""
    exact: dict[str, int] = {}
    for value, name in names:
        key = name.casefold().rstrip(".")
        if key:
            exact.setdefault(key, value)
    prefixes: dict[str, int] = {}
    clash: set[str] = set()
    for key, value in exact.items():
        for n in range(3, len(key)):
            p = key[:n]
            if p in exact:
                continue
            if prefixes.get(p, value) != value:
                clash.add(p)
            prefixes[p] = value
    return exact, {p: v for p, v in prefixes.items() if p not in clash}


def _alternation(exact: Collection[str], prefixes: Collection[str], group: str) -> str:
    """A regex group matching an exact name (dot optional) or a prefix with its dot."""

    def alt(keys: Collection[str]) -> str:
        return "|".join(re.escape(k) for k in sorted(keys, key=lambda k: (-len(k), k)))

    parts = [f"(?:{alt(exact)})\\.?"]
    if prefixes:
        parts.append(f"(?:{alt(prefixes)})\\.")
    return f"(?P<{group}>{'|'.join(parts)}){_WORD_END}"


@functools.lru_cache(maxsize=64)
def _date_names(lang: str | None) -> _DateNames:
    """Names and patterns for ``lang`` from CLDR; numeric patterns only if babel lacks it."""
    numeric = [
        # 2025-09-24
        r"(?<![\d-])(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?![\d-])",
        # 24/9/2025, 24.09.2025, 9/24/2025 (order from the locale)
        r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)" + _YEAR,
    ]
    weekdays: dict[str, int] = {}
    months: dict[str, int] = {}
    day_first = True
    if lang is None:
        return _DateNames({}, {}, day_first, tuple(re.compile(p) for p in numeric))
    try:
        from babel import Locale, UnknownLocaleError
        from babel.dates import get_date_format, get_day_names, get_month_names

        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        logger.debug("no CLDR data for language %r; only numeric dates are recognised", lang)
        return _DateNames({}, {}, day_first, tuple(re.compile(p) for p in numeric))

    day_items: list[tuple[int, str]] = []
    month_items: list[tuple[int, str]] = []
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            day_items += get_day_names(width, context, locale).items()
            month_items += get_month_names(width, context, locale).items()
    weekdays, day_prefixes = _name_table(day_items)
    months, month_prefixes = _name_table(month_items)
    short = get_date_format("short", locale=locale).pattern
    if "d" in short and "M" in short:
        day_first = short.index("d") < short.index("M")

    w = _WORD_START + _alternation(weekdays, day_prefixes, "w")
    mo = _WORD_START + _alternation(months, month_prefixes, "m")
    glue = rf"[.,]?{_OPT_SP}\(?{_OPT_SP}{_CONNECTOR}"  # "Wednesday, ", "Rabu (", "el miércoles "
    patterns = [
        *numeric,
        # Rabu (24/9), Wednesday 9/24: a weekday with a numeric day and month, no year
        w + glue + r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?![/.]?\d)",
        # [Wednesday,] 24 September [2025], 24. September 2025, 24 de septiembre de 2025
        rf"(?:{w}{glue})?{_WORD_START}{_DAY}{_OPT_SP}{_CONNECTOR}{mo}(?:,?{_SP}{_CONNECTOR}{_YEAR})?",
        # [Wednesday,] Sept. 24[, 2025], September 24th 2025
        rf"(?:{w}{glue})?{mo}{_OPT_SP}{_DAY}(?:,?{_SP}{_YEAR})?",
    ]
    return _DateNames(
        weekdays={**weekdays, **day_prefixes},
        months={**months, **month_prefixes},
        day_first=day_first,
        patterns=tuple(re.compile(p, re.IGNORECASE) for p in patterns),
    )


def _date_from_match(m: re.Match[str], names: _DateNames, max_year: int) -> dt.date | None:
    """The date a pattern match stands for, or None when it fixes no date."""
    groups = m.groupdict()
    if groups.get("m"):
        month = names.months.get(groups["m"].casefold().rstrip("."))
        day_month = [(int(groups["d"]), month)] if month else []
    elif groups.get("mo"):
        day_month = [(int(groups["d"]), int(groups["mo"]))]  # ISO: year-month-day
    else:
        a, b = int(groups["a"]), int(groups["b"])
        day_month = [(a, b), (b, a)] if names.day_first else [(b, a), (a, b)]
    year = int(groups["y"]) if groups.get("y") else None
    weekday = names.weekdays.get(groups["w"].casefold().rstrip(".")) if groups.get("w") else None
    for day, month in day_month:
        if month is None or not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        if year is not None:
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
        if weekday is not None:
            found = _year_for_weekday(month, day, weekday, max_year)
            if found is not None:
                return found
    return None


def _year_for_weekday(month: int, day: int, weekday: int, max_year: int) -> dt.date | None:
    """The latest date of ``day``/``month`` no later than ``max_year`` that falls on ``weekday``."""
    for year in range(max_year, max_year - _WEEKDAY_YEARS_BACK, -1):
        try:
            d = dt.date(year, month, day)
        except ValueError:  # 29 February in a common year, 31 April
            continue
        if d.weekday() == weekday:
            return d
    return None


__all__ = [
    "DEFAULT_LANGUAGES",
    "STDIN",
    "SUPPORTED_EXTENSIONS",
    "OnError",
    "detect_language",
    "infer_reference_date",
    "parse_articles",
    "read_articles",
    "supported_extensions",
]
