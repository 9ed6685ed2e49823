"""The ``llm`` extractor: a language model reads the paragraphs the rules pick, kg grounds its answer.

For each article: the rules choose the candidate paragraphs (:mod:`kg.llm.ground`), one
request sends them with the headline and dateline (more than one only past ``max_chars``), the
answer must follow the JSON schema (:mod:`kg.llm.prompt`; one retry with the error, then a
warning for the article), and only what grounding finds in the article becomes a meeting.
Answers are cached on disk (:mod:`kg.llm.cache`); requests go out ``concurrency`` at a time
for a batch of articles (:meth:`LlmExtractor.prefetch`, called by :func:`kg.parallel.extract_chunk`).

The extractor holds settings only, so it pickles to worker processes; what it did is in its
ledger, read back with :meth:`LlmExtractor.usage`.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from kg.explain import Explanation, SpanNote
from kg.ids import actor_key
from kg.llm.cache import AnswerCache, Ledger, Usage, cache_key
from kg.llm.client import NoAnswer, ServerUnavailable, chat
from kg.llm.ground import Grounding, dateline, headline, is_candidate, paragraphs
from kg.llm.prompt import (
    PROMPT_VERSION,
    SCHEMA,
    InvalidAnswer,
    messages,
    retry_messages,
    user_message,
    validate,
)
from kg.llm.settings import LlmSettings, load_settings
from kg.model import Article, Event

_prefetched: dict[str, Any] = {}  # cache key -> Outcome or exception, from prefetch, taken by extract
_plans: dict[tuple[str, str, int], Plan] = {}
_memo_lock = threading.Lock()


@dataclass(frozen=True)
class Request:
    """One request's worth of an article: the text sent and where its paragraphs are."""

    key: str
    text: str
    scope: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Plan:
    """What will be sent of one article, and the rules' spans its answers are grounded with."""

    paragraphs: int
    chosen: tuple[tuple[int, int], ...]
    requests: tuple[Request, ...]
    spans: tuple[SpanNote, ...]


@dataclass(frozen=True)
class Outcome:
    """What became of one request: the meetings, or why there are none."""

    meetings: list[dict[str, Any]] | None
    error: str = ""
    kind: str = ""  # "invalid", "failed", "over_budget" when meetings is None


def _new_run() -> str:
    return f"{os.getpid()}-{secrets.token_hex(6)}"


@dataclass(frozen=True)
class LlmExtractor:
    """Meetings read by a language model on an OpenAI-compatible server, grounded by kg.

    Args:
        settings: server, model and limits (:func:`kg.llm.settings.load_settings`).
        run: the id of this extractor's ledger (shared by its copies in worker processes).
    """

    settings: LlmSettings
    run: str = field(default_factory=_new_run)
    name: str = "llm"

    @property
    def batch_size(self) -> int:
        """Articles worth handing over at once (:meth:`prefetch` sends their requests together)."""
        return self.settings.concurrency

    # ------------------------------------------------------------------ planning

    def plan(self, article: Article) -> Plan:
        """The paragraphs to send and the requests they make."""
        from kg.nlp.extract import explain_article

        s = self.settings
        spans = explain_article(article).spans
        paras = paragraphs(article.text)
        chosen = paras if s.send == "article" else [p for p in paras if is_candidate(list(spans), *p)]
        groups: list[list[tuple[int, int]]] = []
        size = 0
        for p in chosen:
            if not groups or size + (p[1] - p[0]) > s.max_chars:
                groups.append([])
                size = 0
            groups[-1].append(p)
            size += p[1] - p[0]
        context = {"headline": headline(article), "dateline": dateline(article.text),
                   "published": article.published.isoformat() if article.published else None}
        requests = []
        for g in groups:
            text = user_message([article.text[a:b] for a, b in g], **context)
            requests.append(Request(cache_key(s.model, PROMPT_VERSION, s.max_tokens, text), text, tuple(g)))
        return Plan(len(paras), tuple(chosen), tuple(requests), tuple(spans))

    def _plan(self, article: Article) -> Plan:
        key = (self.run, article.id, hash(article.text))
        with _memo_lock:
            plan = _plans.pop(key, None)
        return plan if plan is not None else self.plan(article)

    # ------------------------------------------------------------------ asking

    def _ask(self, req: Request) -> Outcome:
        """The answer to one request: from the cache, else from the server (one retry when invalid)."""
        s, ledger = self.settings, Ledger(self.run)
        cache = AnswerCache(s.cache) if s.cache else None
        if cache is not None and (rec := cache.get(req.key)) is not None:
            ledger.add("hit")
            return _outcome(rec["content"], rec.get("error") or "")
        if not ledger.take_call(s.max_calls):
            return Outcome(None, "over the call budget", "over_budget")
        try:
            reply = chat(s, messages(req.text), SCHEMA)
            ledger.add("call", **{"in": reply.tokens_in, "out": reply.tokens_out, "s": round(reply.seconds, 3)})
            content, error = reply.content, _check(reply.content, reply.finish, s.max_tokens)
            if error:
                if not ledger.take_call(s.max_calls):
                    return Outcome(None, f"{error} (no retry: over the call budget)", "invalid")
                again = chat(s, retry_messages(req.text, content, error), SCHEMA)
                ledger.add("call", **{"in": again.tokens_in, "out": again.tokens_out, "s": round(again.seconds, 3)})
                content, error = again.content, _check(again.content, again.finish, s.max_tokens)
        except NoAnswer as err:
            return Outcome(None, str(err), "failed")
        if cache is not None:
            cache.put(req.key, {"model": s.model, "prompt_version": PROMPT_VERSION, "content": content,
                                "error": error})
        return _outcome(content, error)

    def _outcome_of(self, req: Request) -> Outcome:
        with _memo_lock:
            got = _prefetched.pop(req.key, None)
        if isinstance(got, BaseException):
            raise got
        return got if got is not None else self._ask(req)

    def prefetch(self, articles: Iterable[Article]) -> None:
        """Send the requests of several articles at once (``concurrency`` in flight); their
        :meth:`extract` then takes the answers. Requests already cached are left to it."""
        s = self.settings
        cache = AnswerCache(s.cache) if s.cache else None
        todo: dict[str, Request] = {}
        for article in articles:
            plan = self.plan(article)
            with _memo_lock:
                _plans[(self.run, article.id, hash(article.text))] = plan
            for req in plan.requests:
                if cache is None or cache.get(req.key) is None:
                    todo.setdefault(req.key, req)
        if len(todo) < 2:
            return  # nothing to overlap: extract asks
        with ThreadPoolExecutor(max_workers=s.concurrency, thread_name_prefix="kg-llm") as pool:
            futures = {key: pool.submit(self._ask, req) for key, req in todo.items()}
            for key, fut in futures.items():
                try:
                    result: Any = fut.result()
                except ServerUnavailable as err:
                    result = err
                    for other in futures.values():
                        other.cancel()
                with _memo_lock:
                    _prefetched[key] = result
                if isinstance(result, ServerUnavailable):
                    break

    # ------------------------------------------------------------------ the Extractor interface

    def extract(self, article: Article) -> list[Event]:
        """The meetings the model finds in the article's candidate paragraphs, grounded.

        Raises:
            ServerUnavailable: the server cannot be reached or refuses the key (the build stops).
        """
        plan = self._plan(article)
        ledger = Ledger(self.run)
        grounding = Grounding(article, list(plan.spans), self.settings.model)
        events: list[Event] = []
        where = f"{article.origin}: article {article.id}" if article.origin else f"article {article.id}"
        for req in plan.requests:
            out = self._outcome_of(req)
            if out.meetings is None:
                warning = {"invalid": f"{where}: the model's answer is not valid after a retry ({out.error}); "
                                      "no meetings from it",
                           "failed": f"{where}: no answer from the model server ({out.error}); no meetings from it",
                           }.get(out.kind)
                ledger.add(out.kind, **({"warning": warning} if warning else {}))
                continue
            for m in out.meetings:
                ev = grounding.meeting(m, list(req.scope))
                if ev is not None:
                    events.append(ev)
        ledger.add("article", paragraphs=plan.paragraphs, sent=len(plan.chosen))
        for what, _words in grounding.dropped:
            ledger.add("drop", what=what)
        return fold_in_article(events)

    def explain(self, article: Article) -> Explanation:
        """The paragraphs sent (``kg explain``) and the meetings, each with its decisions."""
        plan = self.plan(article)
        rule = "llm.whole-article" if self.settings.send == "article" else "llm.candidate meeting word + 2 names"
        notes = tuple(SpanNote("sent", a, b, article.text[a:b], rule) for a, b in plan.chosen)
        return Explanation(article, notes, tuple(self.extract(article)))

    def usage(self) -> Usage:
        """What this extractor (and its copies in worker processes) did so far."""
        return Ledger(self.run).usage(self.settings.model)


def _check(content: str, finish: str | None, max_tokens: int) -> str:
    """The fault of an answer, or "" when it is valid."""
    try:
        validate(content)
    except InvalidAnswer as err:
        cut = f"; the answer was cut off at max_tokens={max_tokens}" if finish == "length" else ""
        return f"{err}{cut}"
    return ""


def _outcome(content: str, error: str) -> Outcome:
    if error:
        return Outcome(None, error, "invalid")
    try:
        return Outcome(validate(content))
    except InvalidAnswer as err:  # a cache entry from an older check
        return Outcome(None, str(err), "invalid")


def fold_in_article(events: list[Event]) -> list[Event]:
    """One event per meeting of the article: the same people, status and mode, with dates that
    agree, are one meeting whose sentences are all its evidence."""
    out: list[Event] = []
    for ev in events:
        keys = {actor_key(a) for a in ev.participants}
        for i, o in enumerate(out):
            if ({actor_key(a) for a in o.participants} == keys and o.status == ev.status and o.mode == ev.mode
                    and (o.date is None or ev.date is None or o.date.compatible(ev.date))):
                date = o.date if ev.date is None or (o.date and len(o.date.iso()) >= len(ev.date.iso())) else ev.date
                evidence = list(o.evidence)
                for m in ev.evidence:
                    same = next((j for j, x in enumerate(evidence) if (x.start, x.end) == (m.start, m.end)), None)
                    if same is None:
                        evidence.append(m)
                    else:
                        evidence[same] = replace(evidence[same], rules=tuple(dict.fromkeys(evidence[same].rules + m.rules)))
                out[i] = o.with_(date=date, location=o.location or ev.location, evidence=tuple(evidence))
                break
        else:
            out.append(ev)
    return out


def make_extractor(**options: Any) -> LlmExtractor:
    """The ``llm`` extractor with settings from ``options``, the environment and the config
    file (:func:`kg.llm.settings.load_settings`): what ``get_extractor("llm", ...)`` calls.

    Raises:
        KgError: no URL or model, or a bad setting.
    """
    ex = LlmExtractor(load_settings(options))
    Ledger(ex.run).own()
    return ex


__all__ = ["LlmExtractor", "Outcome", "Plan", "Request", "fold_in_article", "make_extractor"]
