"""A tiny OpenAI-compatible server for the tests: it answers ``POST .../chat/completions`` with
recorded replies (tests/data/llm/), one per request, and records what it was sent."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "llm"


def recorded(name: str) -> Any:
    """A recorded server reply (tests/data/llm/NAME.json)."""
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def completion(content: str | dict[str, Any], *, finish: str = "stop") -> dict[str, Any]:
    """The recorded llama.cpp chat completion with another message content."""
    body = recorded("completion")
    body["choices"][0]["message"]["content"] = content if isinstance(content, str) else json.dumps(content)
    body["choices"][0]["finish_reason"] = finish
    return body


@dataclass
class Reply:
    """One reply: an HTTP status, a JSON (or raw text) body, headers, and a delay before it."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Replay:
    """Serves the replies in order (the last one again when they run out), or what ``answer``
    gives for each request. Use as a context manager."""

    def __init__(self, replies: list[Reply] | None = None, answer: Callable[[dict[str, Any]], Reply] | None = None,
                 delay: float = 0.0) -> None:
        self.replies = list(replies or [])
        self.answer = answer
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with replay._lock:
                    replay.requests.append(body)
                    replay.headers.append(dict(self.headers))
                    replay.in_flight += 1
                    replay.max_in_flight = max(replay.max_in_flight, replay.in_flight)
                    if replay.answer is not None:
                        reply = replay.answer(body)
                    else:
                        reply = replay.replies.pop(0) if len(replay.replies) > 1 else replay.replies[0]
                try:
                    time.sleep(reply.delay or replay.delay)
                    raw = reply.body if isinstance(reply.body, bytes) else (
                        reply.body.encode() if isinstance(reply.body, str) else json.dumps(reply.body).encode())
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)
                finally:
                    with replay._lock:
                        replay.in_flight -= 1

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Replay:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """The URL of a port nothing listens on."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
