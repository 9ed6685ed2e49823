"""kg's exceptions: one root, a subclass per kind of problem, messages in one place."""

from __future__ import annotations

from collections.abc import Iterable


class KgError(Exception):
    """The root of every error kg raises on purpose."""


class InputError(KgError):
    """A problem with an input file, rendered as ``path:line: message``."""

    def __init__(self, path: str, line: int | None, msg: str) -> None:
        self.path = path
        self.line = line
        self.msg = msg
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {msg}")


class PackError(KgError):
    """A language pack is missing a file or has a malformed entry."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class UnknownLanguage(KgError):
    """No language pack exists for a language code."""

    def __init__(self, code: str | None, available: Iterable[str]) -> None:
        self.code = code
        self.available = sorted(available)
        super().__init__(
            f"no language pack for {code!r}; installed packs: {', '.join(self.available) or 'none'}"
        )


class QueryError(KgError):
    """A SPARQL query that cannot be parsed or run."""


class NameMatchError(QueryError):
    """A name given to a query that fits no actor or place, or several."""


class BugError(KgError):
    """A broken internal invariant: this is a bug in kg."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} (this is a bug in kg; please report it)")


# Message templates used by more than one module.
MSG_NOT_JSON = "not valid JSON ({detail}); expected JSON Lines, one article object per line"
MSG_JSON_ARRAY = "expected JSON Lines, one article per line; is this a JSON array?"
MSG_NOT_OBJECT = "expected a JSON object with at least \"id\" and \"text\", got {kind}"
MSG_MISSING_FIELD = 'missing field "{field}"'
MSG_EMPTY_TEXT = "article {id!r} has no text"
MSG_BAD_DATE = "bad published date {value!r}: expected YYYY-MM-DD"
MSG_BINARY = "not a text file (binary content)"
MSG_UNREADABLE = "cannot read file: {detail}"
MSG_UNKNOWN_EXT = "unsupported file type {ext!r}: expected .txt, .jsonl, .json, .html or a directory"
MSG_NO_PACK = "no language pack for {lang!r} (installed: {available}); article {id!r} skipped"
MSG_NO_LANG = "could not detect the language of article {id!r}; skipped"

__all__ = [
    "BugError",
    "InputError",
    "KgError",
    "NameMatchError",
    "PackError",
    "QueryError",
    "UnknownLanguage",
]
