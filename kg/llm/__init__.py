"""The ``llm`` extractor: meetings read by a language model on an OpenAI-compatible server,
every word of its answer checked against the article.

``kg build --extractor llm --llm-url http://localhost:11434/v1 --llm-model NAME`` (or
``get_extractor("llm", url=..., model=...)``). The modules, in the order a request flows:

- :mod:`kg.llm.settings`: options, environment variables, the config file;
- :mod:`kg.llm.ground`: the candidate paragraphs the rules pick, and the grounding of answers;
- :mod:`kg.llm.prompt`: the prompt, the answer's JSON schema and its check;
- :mod:`kg.llm.client`: one chat-completions request over HTTP (standard library only);
- :mod:`kg.llm.cache`: the disk cache and the ledger of calls, tokens and drops;
- :mod:`kg.llm.extractor`: :class:`LlmExtractor`, which ties them together.
"""

from __future__ import annotations

from kg.llm.cache import Usage
from kg.llm.client import NoAnswer, ServerUnavailable
from kg.llm.extractor import LlmExtractor, make_extractor
from kg.llm.settings import LlmSettings, load_settings

__all__ = ["LlmExtractor", "LlmSettings", "NoAnswer", "ServerUnavailable", "Usage", "load_settings", "make_extractor"]
