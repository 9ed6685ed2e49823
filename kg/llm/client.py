"""One chat-completions request to an OpenAI-compatible server, over plain HTTP.

Ollama, llama.cpp's server, vLLM, LM Studio and the hosted APIs all take
``POST URL/chat/completions``; only the standard library talks to them. Structured output is
asked for the strongest way the server takes, learnt once per process and endpoint: a JSON
schema (``response_format: {"type": "json_schema"}``), the same schema without length and
count limits (which some hosted APIs refuse), a JSON object with the schema beside it (what
llama.cpp's server reads), then no ``response_format`` at all (the prompt still describes the
shape, and :func:`kg.llm.prompt.validate` checks it).

Failures are of two kinds:

- :class:`ServerUnavailable` (a :class:`kg.errors.KgError`, so the build stops with its one
  line): the server cannot be reached, refuses the key, or has no such endpoint.
- :class:`NoAnswer`: this request got no answer (timeouts, 429 and 5xx after every retry, a
  reply that is not a chat completion): a warning for its article; the build goes on.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

from kg.errors import KgError
from kg.llm.settings import LlmSettings

MODES = ("json_schema", "json_schema_plain", "json_object", "none")
_RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
_LIMITS = frozenset({"minLength", "maxLength", "minItems", "maxItems"})
_learnt: dict[str, str] = {}  # endpoint + model -> the response_format mode that server took
_learning: dict[str, threading.Lock] = {}  # held by the request finding that out
_lock = threading.Lock()


class ServerUnavailable(KgError):
    """The model server cannot be used at all: the build stops."""


class NoAnswer(Exception):
    """One request got no usable reply."""


@dataclass(frozen=True)
class Reply:
    """A server's reply to one request."""

    content: str
    tokens_in: int
    tokens_out: int
    seconds: float
    finish: str | None  # "stop", "length" (cut off at max_tokens), ...
    mode: str


def _plain(schema: Any) -> Any:
    """The schema without length and count limits."""
    if isinstance(schema, dict):
        return {k: _plain(v) for k, v in schema.items() if k not in _LIMITS}
    if isinstance(schema, list):
        return [_plain(v) for v in schema]
    return schema


def response_format(mode: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The ``response_format`` field of a request in a mode (None: leave it out)."""
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "meetings", "strict": True, "schema": schema}}
    if mode == "json_schema_plain":
        return {"type": "json_schema", "json_schema": {"name": "meetings", "strict": True, "schema": _plain(schema)}}
    if mode == "json_object":
        return {"type": "json_object", "schema": schema}
    return None


def _server_message(body: bytes) -> str:
    """The error message a server put in its reply, on one line."""
    text = body.decode("utf-8", "replace")
    try:
        data = json.loads(text)
        err = data.get("error", data.get("detail", data)) if isinstance(data, dict) else data
        if isinstance(err, dict):
            err = err.get("message", err)
        text = err if isinstance(err, str) else json.dumps(err)
    except ValueError:
        pass
    return " ".join(text.split())[:300]


def _retry_after(headers: Message | None) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: use the backoff


def _post(settings: LlmSettings, body: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """POST with retries; the decoded reply and the seconds the last try took."""
    url = settings.endpoint()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    key = settings.api_key()
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    why = ""
    for attempt in range(settings.retries + 1):
        wait: float | None = None
        started = time.perf_counter()
        try:
            req = urllib.request.Request(url, data=data, headers=headers, method="POST")
            with urllib.request.urlopen(req, timeout=settings.timeout) as res:  # noqa: S310 - http(s), checked
                raw = res.read()
            seconds = time.perf_counter() - started
            try:
                return json.loads(raw), seconds
            except ValueError:
                raise NoAnswer(f"{url} answered something that is not JSON: {_server_message(raw)[:120]}") from None
        except urllib.error.HTTPError as err:
            message = _server_message(err.read())
            if err.code in (401, 403):
                raise ServerUnavailable(f"{url}: the model server refused the request (HTTP {err.code}: {message}); "
                                        "set KG_LLM_API_KEY or OPENAI_API_KEY to a valid key") from None
            if err.code == 404:
                raise ServerUnavailable(f"{url}: HTTP 404 ({message}); check the base URL (Ollama: "
                                        f"http://localhost:11434/v1) and that the server has the model "
                                        f"{settings.model!r}") from None
            if err.code not in _RETRY_STATUS or "response_format" in message:
                # (llama.cpp's Python server answers 500 to a response_format it does not take: no use retrying)
                raise _Refused(err.code, message) from None
            why = f"HTTP {err.code}: {message}"
            wait = _retry_after(err.headers)
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, TimeoutError):
                why = f"no answer within {settings.timeout:g} s"
            elif isinstance(reason, ConnectionResetError | http.client.RemoteDisconnected):
                why = f"connection dropped ({reason})"
            else:  # refused, unknown host, no route: nothing to wait for
                raise ServerUnavailable(f"cannot reach the model server at {settings.url} ({reason}); start it, or "
                                        "point --llm-url (or KG_LLM_URL) at a running one") from None
        except TimeoutError:
            why = f"no answer within {settings.timeout:g} s"
        except (ConnectionError, http.client.HTTPException) as err:
            why = f"connection dropped ({err or type(err).__name__})"
        if attempt < settings.retries:
            time.sleep(min(60.0, wait if wait is not None else settings.backoff * 2 ** attempt * (0.5 + random.random())))
    raise NoAnswer(f"{why} (tried {settings.retries + 1} times)")


class _Refused(Exception):
    """A 4xx other than auth and not-found: maybe the response_format, maybe the request."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"HTTP {code}: {message}")
        self.code = code
        self.message = message


def _about_format(message: str) -> bool:
    m = message.lower()
    return any(w in m for w in ("response_format", "json_schema", "schema", "grammar", "json_object", "strict"))


def chat(settings: LlmSettings, messages: list[dict[str, str]], schema: dict[str, Any]) -> Reply:
    """One chat completion, asking for ``schema`` the strongest way the server takes.

    Raises:
        ServerUnavailable: the server cannot be used at all.
        NoAnswer: this request got no usable reply.
    """
    if settings.response_format != "auto":
        return _chat(settings, messages, schema, [settings.response_format])
    learnt_key = f"{settings.endpoint()} {settings.model}"
    with _lock:
        known = _learnt.get(learnt_key)
        first = _learning.setdefault(learnt_key, threading.Lock()) if known is None else None
    if first is None:
        return _chat(settings, messages, schema, list(MODES[MODES.index(known):]), learnt_key)  # type: ignore[arg-type]
    with first:  # one request finds out what the server takes; the others wait for it, then know
        with _lock:
            known = _learnt.get(learnt_key)
        return _chat(settings, messages, schema, list(MODES[MODES.index(known):] if known else MODES), learnt_key)


def _chat(settings: LlmSettings, messages: list[dict[str, str]], schema: dict[str, Any], modes: list[str],
          learnt_key: str | None = None) -> Reply:
    for i, mode in enumerate(modes):
        body: dict[str, Any] = {"model": settings.model, "messages": messages, "max_tokens": settings.max_tokens,
                                "temperature": settings.temperature}
        fmt = response_format(mode, schema)
        if fmt is not None:
            body["response_format"] = fmt
        try:
            data, seconds = _post(settings, body)
        except _Refused as err:
            if i + 1 < len(modes) and mode != "none" and _about_format(err.message):
                continue  # this server does not take that response_format: try the next one
            raise NoAnswer(str(err)) from None
        if learnt_key is not None:
            with _lock:
                _learnt[learnt_key] = mode
        try:
            choice = data["choices"][0]
            content = choice["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise NoAnswer(f"{settings.endpoint()} answered without choices[0].message.content: "
                           f"{json.dumps(data)[:160]}") from None
        usage = data.get("usage") or {}
        return Reply(content, int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0),
                     seconds, choice.get("finish_reason"), mode)
    raise NoAnswer("no response_format the server takes")  # pragma: no cover - "none" always returns or raises


__all__ = ["MODES", "NoAnswer", "Reply", "ServerUnavailable", "chat", "response_format"]
