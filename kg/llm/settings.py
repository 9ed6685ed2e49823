"""Where the llm extractor finds its server, its model and its limits.

Each setting comes from the first of: the options given (``--llm-url``, ``--llm-model``,
``--llm-max-calls``, or keyword arguments of ``get_extractor("llm", ...)``), an environment
variable (``KG_LLM_URL``, ``KG_LLM_MODEL``, ...: :data:`ENV`), the config file, and the default.
The config file is TOML, the path in ``KG_LLM_CONFIG`` or ``~/.config/kg/llm.toml``
(``$XDG_CONFIG_HOME/kg/llm.toml``), with the same keys, at the top or under ``[llm]``::

    url = "http://localhost:11434/v1"
    model = "qwen2.5:7b-instruct"
    concurrency = 2

The API key is never a setting: it is read from the environment when a request is sent
(``KG_LLM_API_KEY``, else ``OPENAI_API_KEY``, or the variable the config names in
``api_key_env``), so it is not written into caches, logs or pickled extractors.

>>> s = load_settings({"url": "http://localhost:8080/v1", "model": "m", "cache": ""}, environ={})
>>> s.endpoint(), s.max_calls, s.cache
('http://localhost:8080/v1/chat/completions', None, None)
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, cast

from kg.errors import KgError

Send = Literal["candidates", "article"]
ResponseFormat = Literal["auto", "json_schema", "json_object", "none"]

ENV: dict[str, str] = {
    "url": "KG_LLM_URL",
    "model": "KG_LLM_MODEL",
    "max_calls": "KG_LLM_MAX_CALLS",
    "timeout": "KG_LLM_TIMEOUT",
    "retries": "KG_LLM_RETRIES",
    "concurrency": "KG_LLM_CONCURRENCY",
    "max_tokens": "KG_LLM_MAX_TOKENS",
    "cache": "KG_LLM_CACHE",
    "send": "KG_LLM_SEND",
    "response_format": "KG_LLM_RESPONSE_FORMAT",
}
"""The environment variable of each setting."""
CONFIG_ENV = "KG_LLM_CONFIG"
KEY_ENVS = ("KG_LLM_API_KEY", "OPENAI_API_KEY")

_SENDS = ("candidates", "article")
_FORMATS = ("auto", "json_schema", "json_object", "none")


def default_cache(environ: Mapping[str, str] = os.environ) -> str:
    """``$XDG_CACHE_HOME/kg/llm``, else ``~/.cache/kg/llm``."""
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "kg" / "llm")


def default_config(environ: Mapping[str, str] = os.environ) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kg" / "llm.toml"


@dataclass(frozen=True)
class LlmSettings:
    """What the llm extractor needs to ask a model: plain values, so that it pickles.

    Args:
        url: the OpenAI-compatible base URL (``http://localhost:11434/v1``); requests go to
            ``URL/chat/completions``.
        model: the model's name on that server.
        max_calls: at most this many requests in one build (``None``: no limit; 0: answers
            from the cache only).
        timeout: seconds to wait for one answer.
        retries: tries again after a 429, a 5xx, a timeout or a dropped connection.
        backoff: seconds before the first retry; doubled for each next one (a server's
            ``Retry-After`` is honoured, up to a minute).
        concurrency: requests in flight at once from one process.
        max_tokens: the longest answer asked for.
        temperature: sampling temperature (0: the most likely answer).
        cache: the cache directory, or None for no cache.
        send: ``candidates`` (the paragraphs the rules pick, with the headline and the
            dateline) or ``article`` (the whole text).
        response_format: how structured output is asked for: ``auto`` tries a JSON schema,
            then a JSON object (with the schema, as llama.cpp's server takes it), then none.
        max_chars: characters of article text in one request; more is split over requests.
        api_key_env: the environment variable holding the key, if not KG_LLM_API_KEY or
            OPENAI_API_KEY.
    """

    url: str
    model: str
    max_calls: int | None = None
    timeout: float = 120.0
    retries: int = 4
    backoff: float = 1.0
    concurrency: int = 4
    max_tokens: int = 1024
    temperature: float = 0.0
    cache: str | None = None
    send: Send = "candidates"
    response_format: ResponseFormat = "auto"
    max_chars: int = 12_000
    api_key_env: str | None = None

    def endpoint(self) -> str:
        """The chat-completions URL."""
        base = self.url.rstrip("/")
        return base if base.endswith("/chat/completions") else f"{base}/chat/completions"

    def api_key(self, environ: Mapping[str, str] = os.environ) -> str | None:
        """The key from the environment, read when a request is sent."""
        for name in ((self.api_key_env,) if self.api_key_env else KEY_ENVS):
            if environ.get(name):
                return environ[name]
        return None


_NUMBERS: dict[str, tuple[type, float]] = {  # setting -> (type, smallest value)
    "max_calls": (int, 0), "timeout": (float, 0.001), "retries": (int, 0), "backoff": (float, 0),
    "concurrency": (int, 1), "max_tokens": (int, 1), "temperature": (float, 0), "max_chars": (int, 200),
}
_KNOWN = {f.name for f in fields(LlmSettings)}


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise KgError(f"{path}: cannot read the llm config ({err.strerror or err})") from err
    except tomllib.TOMLDecodeError as err:
        raise KgError(f"{path}: not valid TOML ({err})") from err
    table = data.get("llm", data)
    if not isinstance(table, dict):
        raise KgError(f"{path}: [llm] must be a table of settings")
    unknown = sorted(k for k in table if k not in _KNOWN)
    if unknown:
        raise KgError(f"{path}: unknown llm setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN))}")
    return dict(table)


def _coerce(key: str, value: Any, where: str) -> Any:
    if key in _NUMBERS:
        kind, low = _NUMBERS[key]
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise KgError(f"{where}: {key} must be a {'whole ' if kind is int else ''}number, got {value!r}") from None
        if number < low:
            raise KgError(f"{where}: {key} must be at least {low}, got {value!r}")
        return number
    if key == "cache":
        return str(value) if value not in ("", None, False) else None
    if key == "send" and value not in _SENDS:
        raise KgError(f"{where}: send must be one of {', '.join(_SENDS)}, got {value!r}")
    if key == "response_format" and value not in _FORMATS:
        raise KgError(f"{where}: response_format must be one of {', '.join(_FORMATS)}, got {value!r}")
    return str(value)


def load_settings(options: Mapping[str, Any], *, environ: Mapping[str, str] | None = None) -> LlmSettings:
    """The settings from the options, the environment, the config file and the defaults.

    Args:
        options: setting -> value; ``None`` values are not given. ``config`` names a config
            file (instead of ``KG_LLM_CONFIG`` or the default path).
        environ: the environment (default ``os.environ``).

    Raises:
        KgError: an unknown option, a bad value, an unreadable config file, or no URL or model.
    """
    env = os.environ if environ is None else environ
    given = {k: v for k, v in options.items() if v is not None}
    config_path = given.pop("config", None) or env.get(CONFIG_ENV)
    unknown = sorted(k for k in given if k not in _KNOWN)
    if unknown:
        raise KgError(f"the llm extractor takes no option {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN))}")
    values: dict[str, Any] = {"cache": default_cache(env)}
    path = Path(config_path) if config_path else default_config(env)
    if config_path or path.is_file():
        values.update({k: _coerce(k, v, str(path)) for k, v in _read_config(path).items()})
    for key, var in ENV.items():
        if env.get(var, "") != "" or (key == "cache" and var in env):
            values[key] = _coerce(key, env[var], var)
    values.update({k: _coerce(k, v, f"option {k}") for k, v in given.items()})
    where = f"--llm-url, {ENV['url']} or url in {path}"
    if not values.get("url"):
        raise KgError(f"the llm extractor needs a server: give {where} (an OpenAI-compatible base URL, e.g. "
                      "http://localhost:11434/v1 for Ollama)")
    if not str(values["url"]).startswith(("http://", "https://")):
        raise KgError(f"llm url {values['url']!r}: expected http://HOST:PORT/v1 or https://...")
    if not values.get("model"):
        raise KgError(f"the llm extractor needs a model: give --llm-model NAME, {ENV['model']} or model in {path}")
    values["send"] = cast(Send, values.get("send", "candidates"))
    return LlmSettings(**values)


__all__ = ["CONFIG_ENV", "ENV", "KEY_ENVS", "LlmSettings", "default_cache", "load_settings"]
