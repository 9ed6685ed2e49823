"""kg build --store URL: the build written into a real SPARQL 1.1 server (``oxigraph serve``) the test starts."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.ingest import read_articles
from kg.pipeline import build
from kg.rdf.remote import SparqlServer, build_remote, is_remote

DATA = Path(__file__).resolve().parent / "data" / "cli" / "articles.jsonl"
ROOT = Path(__file__).resolve().parents[1]
RUNS = "https://w3id.org/kg/id/graph/runs"


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        raise RuntimeError("the oxigraph server is part of the dev extra: pip install -e '.[dev]'")
    return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp_path / "server"), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def quads_of_server(url: str) -> set[str]:
    req = urllib.request.Request(f"{url}/store", headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(req, timeout=30) as res:
        data = res.read()
    return {str(q) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS) if str(q.graph_name) != f"<{RUNS}>"}


def quads_of_store(path: Path) -> set[str]:
    store = ox.Store.read_only(str(path))
    return {str(q) for q in store.quads_for_pattern(None, None, None, None) if str(q.graph_name) != f"<{RUNS}>"}


def test_cli_build_into_a_sparql_server_writes_the_embedded_store_s_dataset(server: str, tmp_path: Path) -> None:
    sparql = SparqlServer(server)
    sparql.update('INSERT DATA { GRAPH <https://example.org/other> { <https://example.org/a> '
                  '<https://example.org/p> "kept" } }')
    runner = CliRunner()
    local = runner.invoke(main, ["build", str(DATA), "--out", str(tmp_path / "local"), "-q"])
    assert local.exit_code == 0, local.output
    for _ in range(2):  # the second build replaces the first instead of adding to it
        res = runner.invoke(main, ["build", str(DATA), "--out", str(tmp_path / "remote"), "-q", "--store", server])
        assert res.exit_code == 0, res.output
        assert f"store    {server}" in res.output
        got = quads_of_server(server)
        want = quads_of_store(tmp_path / "local" / "store")
        assert got - {q for q in got if "example.org/other" in q} == want
        assert any("example.org/other" in q for q in got)  # another dataset's graph is left alone
    runs = sparql.select(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ GRAPH <{RUNS}> {{ ?r ?p ?o }} }}")
    assert runs == [{"n": "1"}]
    pairs = sparql.select("PREFIX kg: <https://w3id.org/kg/ontology#> SELECT ?m WHERE "
                          "{ GRAPH <https://w3id.org/kg/id/graph/meetings> { ?m a kg:Meeting } }")
    assert len(pairs) == sum(1 for _ in (tmp_path / "local" / "events.jsonl").open())


def test_small_batches_give_the_same_dataset(server: str, tmp_path: Path) -> None:
    from kg.pipeline import mentions
    from kg.rdf.store import build_store

    found = list(mentions(read_articles([ROOT / "data"])))
    events = build_remote(server, found, articles=[], batch=7)
    assert [e.id for e in events] == [e.id for e in build(read_articles([ROOT / "data"]))]
    build_store(tmp_path / "store", found)
    assert quads_of_server(server) == quads_of_store(tmp_path / "store")
    assert is_remote(server) and not is_remote(tmp_path)


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res = CliRunner().invoke(main, ["build", str(DATA), "--out", str(tmp_path), "-q", "--store",
                                    f"http://127.0.0.1:{port}"])
    assert res.exit_code == 1
    assert f"http://127.0.0.1:{port}/query: cannot reach the SPARQL server" in res.output
