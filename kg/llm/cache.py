"""The llm extractor's disk cache and its ledger of what a build cost.

The cache keeps each answer under a key made of the model, the prompt version, the answer's
length limit and the text sent (the candidate paragraphs with their headline and dateline), one
small JSON file per answer, written atomically, so that any number of processes can share it
and a rebuild asks the server nothing. Answers the model got wrong twice are kept too (with
their error): a rebuild reports them again without paying for them. Failures to get an answer
at all (a timeout, a 5xx after retries) are not kept.

The ledger counts what the extractor did (requests, tokens, cache hits, seconds, what grounding
dropped, warnings) in a file that every process working for one build appends to, so that the
build can report the totals whether it extracted in one process or in several
(``--workers N``). It also holds the call budget (``--llm-max-calls``), shared by the processes
through a locked counter.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.export.atomic import atomic_write

try:
    import fcntl
except ImportError:  # Windows: the budget is counted per process
    fcntl = None  # type: ignore[assignment]


def cache_key(model: str, prompt_version: str, max_tokens: int, text: str) -> str:
    """The key of an answer: what changes the answer, nothing else (not the server's URL)."""
    blob = json.dumps([model, prompt_version, max_tokens, text], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class AnswerCache:
    """Answers on disk, one JSON file per key under ``folder/ab/abcdef....json``."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing, or cut off by a crash while written elsewhere: ask again
        return data if isinstance(data, dict) and isinstance(data.get("content"), str) else None

    def put(self, key: str, record: dict[str, Any]) -> None:
        """Keep an answer (atomically: a reader sees the whole file or none).

        Raises:
            KgError: the folder cannot be written.
        """
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(path) as f:
                json.dump(record, f, ensure_ascii=False)
        except OSError as err:
            raise KgError(f"{self.folder}: cannot write the llm cache ({err.strerror or err}); set KG_LLM_CACHE to a "
                          "writable folder, or to an empty value for no cache") from err


@dataclass
class Usage:
    """What an llm build cost and what its grounding dropped."""

    model: str = ""
    articles: int = 0
    sent_articles: int = 0  # articles with at least one request (asked or found in the cache)
    paragraphs: int = 0
    sent_paragraphs: int = 0
    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    invalid: int = 0  # answers still invalid after the retry
    failed: int = 0  # requests that got no answer (timeouts, 5xx after retries)
    over_budget: int = 0  # requests not sent because the budget was spent
    dropped: Counter[str] = field(default_factory=Counter)  # participant, place, date, quote, meeting -> count
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """The report lines of a build."""
        lines = [f"llm {self.model}: {_n(self.calls, 'call')}, {self.tokens_in:,} tokens in, {self.tokens_out:,} out, "
                 f"{self.cache_hits} cache hits, {self.seconds:.1f} s in calls; {self.sent_articles} of "
                 f"{self.articles} articles sent ({self.sent_paragraphs} of {self.paragraphs} paragraphs)"]
        if self.dropped:
            what = ", ".join(_n(n, k) for k, n in sorted(self.dropped.items()))
            lines.append(f"llm grounding dropped what the articles do not say: {what}")
        if self.invalid or self.failed or self.over_budget:
            lines.append(f"llm: {_n(self.invalid, 'answer')} invalid after a retry, {_n(self.failed, 'request')} "
                         f"unanswered, {_n(self.over_budget, 'request')} not sent (over the --llm-max-calls budget)")
        return lines


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


_local_calls: Counter[str] = Counter()
_local_lock = threading.Lock()


class Ledger:
    """The shared record of one extractor's work, in a file of the temporary folder.

    The process that makes the ledger removes it when it exits; worker processes append to it.
    """

    def __init__(self, run: str) -> None:
        self.path = Path(tempfile.gettempdir()) / f"kg-llm-{run}.jsonl"
        self._calls = self.path.with_suffix(".calls")
        self._run = run

    def own(self) -> None:
        """Remove the ledger's files when this process exits."""
        atexit.register(self.remove)

    def remove(self) -> None:
        for p in (self.path, self._calls):
            with contextlib.suppress(OSError):
                p.unlink()

    def add(self, kind: str, **values: Any) -> None:
        line = json.dumps({"k": kind, **values}, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as f:  # one write per line: appends do not interleave
            f.write(line)

    def take_call(self, limit: int | None) -> bool:
        """Count one request against the budget; False when it is spent."""
        if limit is None:
            return True
        if fcntl is None:  # no file locks: each process keeps its own count
            with _local_lock:
                _local_calls[self._run] += 1
                return _local_calls[self._run] <= limit
        with open(self._calls, "a+", encoding="ascii") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.seek(0)
            used = int(f.read().strip() or 0)
            if used >= limit:
                return False
            f.seek(0)
            f.truncate()
            f.write(str(used + 1))
            return True

    def usage(self, model: str = "") -> Usage:
        """The totals so far."""
        u = Usage(model=model)
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return u
        for line in lines:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            k = r.get("k")
            if k == "call":
                u.calls += 1
                u.tokens_in += int(r.get("in") or 0)
                u.tokens_out += int(r.get("out") or 0)
                u.seconds += float(r.get("s") or 0)
            elif k == "hit":
                u.cache_hits += 1
            elif k == "article":
                u.articles += 1
                u.paragraphs += int(r.get("paragraphs") or 0)
                u.sent_paragraphs += int(r.get("sent") or 0)
                u.sent_articles += bool(r.get("sent"))
            elif k == "drop":
                u.dropped[str(r.get("what"))] += 1
            elif k in ("invalid", "failed", "over_budget"):
                setattr(u, k, getattr(u, k) + 1)
            if r.get("warning"):
                u.warnings.append(str(r["warning"]))
        return u


__all__ = ["AnswerCache", "Ledger", "Usage", "cache_key"]
