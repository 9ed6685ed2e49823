"""What kg asks the model, the JSON schema of the answer, and the check of an answer.

The model is asked for what is *written*: participants as the article names them, the place
and the date expression as written, and the sentence that reports the meeting. Everything
else (where those words are, who they are, which day "on Wednesday" means) kg works out
itself (:mod:`kg.llm.ground`).

>>> validate('{"meetings": [{"participants": ["A", "B"], "place": null, "date": "on Monday",'
...          ' "status": "occurred", "mode": "in-person", "evidence": "A met B on Monday."}]}')[0]["date"]
'on Monday'
>>> validate('{"meetings": [{"participants": ["A"], "status": "occurred", "mode": "in-person", "evidence": "A."}]}')
Traceback (most recent call last):
kg.llm.prompt.InvalidAnswer: meetings[0].participants: ['A'] is too short
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

PROMPT_VERSION = "1"
"""Changes whenever the prompt or the schema does: part of every cache key."""

SYSTEM = """\
You read news paragraphs and list the diplomatic meetings they report: two or more people \
(or countries or organisations) meeting in person, or talking by phone or video call.

Answer with JSON only: {"meetings": [...]}, one entry per meeting:
- participants: each side's name, copied exactly as the text writes it (a person's name \
without titles; a country or organisation only when no person is named for it). At least two.
- place: where the meeting was held, copied exactly as written, or null.
- date: the date expression copied exactly as written ("on Wednesday", "24 September", \
"last month"), or null.
- status: "occurred", "planned" (announced, scheduled, expected) or "cancelled".
- mode: "in-person", or "remote" for a phone or video call.
- evidence: the sentence that reports the meeting, copied exactly.

Leave out meetings that are denied, only hoped for or hypothetical. Copy names, places, \
dates and sentences from the text; never translate, complete or invent them. \
When the text reports no meeting, answer {"meetings": []}.

Example: for the text "Ann Lee met Bo Chan in Paris on Monday." the answer is \
{"meetings": [{"participants": ["Ann Lee", "Bo Chan"], "place": "Paris", "date": "on Monday", \
"status": "occurred", "mode": "in-person", "evidence": "Ann Lee met Bo Chan in Paris on Monday."}]}"""

_TEXT = {"type": "string", "minLength": 1, "maxLength": 300}
_NULLABLE = {"type": ["string", "null"], "maxLength": 120}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "meetings": {
            "type": "array",
            "maxItems": 12,
            "items": {
                "type": "object",
                "properties": {
                    "participants": {"type": "array", "items": {**_TEXT, "maxLength": 80}, "minItems": 2,
                                     "maxItems": 8},
                    "place": _NULLABLE,
                    "date": _NULLABLE,
                    "status": {"type": "string", "enum": ["occurred", "planned", "cancelled"]},
                    "mode": {"type": "string", "enum": ["in-person", "remote"]},
                    "evidence": {**_TEXT, "maxLength": 600},
                },
                "required": ["participants", "place", "date", "status", "mode", "evidence"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["meetings"],
    "additionalProperties": False,
}
"""The answer's JSON schema (also what ``response_format`` sends the server)."""


class InvalidAnswer(ValueError):
    """An answer that is not JSON of :data:`SCHEMA`; the message says where and why."""


def user_message(paragraphs: list[str], *, headline: str | None, dateline: str | None, published: str | None) -> str:
    """The text of one request: the context lines, then the paragraphs."""
    head = [f"Headline: {headline}" if headline else "", f"Dateline: {dateline}" if dateline else "",
            f"Published: {published}" if published else ""]
    lines = [h for h in head if h]
    return "\n".join([*lines, "", "Text:", "\n\n".join(paragraphs)]).strip()


def messages(text: str) -> list[dict[str, str]]:
    """The chat messages of a first request."""
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]


def retry_messages(text: str, answer: str, error: str) -> list[dict[str, str]]:
    """The chat messages of the one retry: the answer given and what is wrong with it."""
    return [*messages(text), {"role": "assistant", "content": answer},
            {"role": "user", "content": f"That answer is not valid: {error}. Answer again with only the JSON "
                                        "object, following the format described."}]


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S)
_KEYS = ("participants", "place", "date", "status", "mode", "evidence")
_LOOSE = frozenset({"maxLength", "maxItems", "additionalProperties"})


def _loose(schema: Any) -> Any:
    """The schema an answer is checked against: :data:`SCHEMA` without its length limits and
    its ban on extra keys (a longer name simply will not be found in the article), and with place
    and date optional (servers without structured output sometimes leave a null out)."""
    if isinstance(schema, dict):
        out = {k: _loose(v) for k, v in schema.items() if k not in _LOOSE}
        if "evidence" in out.get("properties", {}):
            out["required"] = [k for k in out["required"] if k not in ("place", "date")]
        return out
    return [_loose(v) for v in schema] if isinstance(schema, list) else schema


@cache
def _checker() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_loose(SCHEMA))


def validate(content: str) -> list[dict[str, Any]]:
    """The meetings of an answer, checked against :data:`SCHEMA` (with jsonschema).

    A Markdown code fence around the JSON is accepted (servers without structured output add
    one).

    Raises:
        InvalidAnswer: not JSON, or not the schema's shape (the message names the first fault
            and where it is, for the retry).
    """
    from jsonschema.exceptions import best_match

    fenced = _FENCE.match(content)
    try:
        data = json.loads(fenced.group(1) if fenced else content)
    except json.JSONDecodeError as err:
        raise InvalidAnswer(f"not JSON ({err.msg} at character {err.pos})") from None
    error = best_match(_checker().iter_errors(data))
    if error is not None:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        raise InvalidAnswer(f"{where or 'the answer'}: {error.message}")
    return [{k: m.get(k) for k in _KEYS} for m in data["meetings"]]


__all__ = ["PROMPT_VERSION", "SCHEMA", "SYSTEM", "InvalidAnswer", "messages", "retry_messages", "user_message",
           "validate"]
