"""kg build --store URL: the build written into a real SPARQL 1.1 server (``oxigraph serve``) the test starts."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KgError
from kg.ingest import read_articles
from kg.model import Event
from kg.pipeline import build
from kg.rdf.remote import SparqlServer, build_remote, is_remote
from kg.rdf.store import KgStore, split_by_article

DATA = Path(__file__).resolve().parent / "data" / "cli" / "articles.jsonl"
ROOT = Path(__file__).resolve().parents[1]
RUNS = "https://w3id.org/kg/id/graph/runs"


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        raise RuntimeError("the oxigraph server is part of the dev extra: pip install -e '.[dev]'")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Oxigraph:
    """An ``oxigraph serve`` on a free local port, over a database directory that outlives it."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> str:
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(self.location), "--bind",
                                      self.url.removeprefix("http://")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).read()
                return self.url
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"oxigraph serve did not start at {self.url}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    ox_server = Oxigraph(tmp_path / "server")
    try:
        yield ox_server
    finally:
        ox_server.stop()


@pytest.fixture
def server(oxigraph: Oxigraph) -> str:
    return oxigraph.start()


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
    port = _free_port()
    res = CliRunner().invoke(main, ["build", str(DATA), "--out", str(tmp_path), "-q", "--store",
                                    f"http://127.0.0.1:{port}"])
    assert res.exit_code == 1
    assert f"http://127.0.0.1:{port}/query: cannot reach the SPARQL server" in res.output


# --------------------------------------------------------------------------- add, remove, query, export (#6)

KUNJUNGAN = DATA.parent / "kunjungan.id.txt"
KG_GRAPHS = "https://w3id.org/kg/id/graph/"


@pytest.fixture(scope="module")
def found() -> list[Event]:
    """The mention events of data/ (five articles), extracted once for the module."""
    from kg.pipeline import mentions

    return list(mentions(read_articles([ROOT / "data"])))


def kg_quads(url: str, *, runs: bool = True) -> set[str]:
    """Every quad of kg's graphs on the server (read with kg's own reader), the run log too unless ``runs=False``."""
    quads = SparqlServer(url).quads_for_pattern(None, None, None, None)
    return {str(q) for q in quads if runs or str(q.graph_name) != f"<{RUNS}>"}


def graphs_of(url: str) -> set[str]:
    return {r["g"] for r in SparqlServer(url).select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def test_add_remove_query_export_against_a_server_match_the_embedded_store(server: str, tmp_path: Path) -> None:
    runner = CliRunner()
    local = tmp_path / "local" / "store"
    for out, store in ((tmp_path / "local", []), (tmp_path / "remote", ["--store", server])):
        res = runner.invoke(main, ["build", str(DATA), "--out", str(out), "-q", *store])
        assert res.exit_code == 0, res.output
    stores = [str(local), server]

    def run(*args: str, unordered: bool = False) -> list[str]:
        outs = []
        for store in stores:
            res = runner.invoke(main, [*args, "--store", store])
            assert res.exit_code == 0, (store, res.output)
            out = res.output.replace(store, "STORE")
            outs.append("".join(sorted(out.splitlines(keepends=True))) if unordered else out)
        assert outs[0] == outs[1], args
        return outs

    assert "1 added" in run("add", str(KUNJUNGAN), "-q")[1]
    assert "0 added, 0 re-extracted, 1 unchanged" in run("add", str(KUNJUNGAN), "-q")[1]
    assert "1 removed" in run("remove", "t-en-1")[1]
    assert quads_of_server(server) == quads_of_store(local)
    n_runs = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { GRAPH ?g { ?r a prov:Activity } }"
    assert KgStore(server).rows(n_runs) == KgStore(local, read_only=True).rows(n_runs) == [{"n": 3}]

    assert "Sugiono" in run("query", "who-met-whom", "--format", "csv")[1]
    run("query", "actor-meetings", "--param", "actor_name=Sugiono", "--format", "json")
    run("query", "single-source", "--format", "tsv")
    run("query", "SELECT ?m ?d WHERE { ?m a kg:Meeting ; sem:hasTimeStamp ?d } ORDER BY ?m")
    run("query", "CONSTRUCT { ?m a kg:Meeting } WHERE { ?m a kg:Meeting }", "--format", "csv", unordered=True)

    for fmt in ("nq", "ttl", "csv", "graphml"):
        got = []
        for i, store in enumerate(stores):
            out = tmp_path / f"export-{i}.{fmt}"
            res = runner.invoke(main, ["export", "--store", store, "--format", fmt, "-o", str(out)])
            assert res.exit_code == 0, (fmt, res.output)
            got.append(out.read_bytes())
        if fmt in ("csv", "graphml"):
            assert got[0] == got[1], fmt
        else:  # the same statements but for the runs (their times and ids)
            rdf = ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TURTLE
            sets = [{str(q) for q in ox.parse(g, format=rdf) if "/id/run/" not in str(q.subject)} for g in got]
            assert sets[0] == sets[1] and len(sets[0]) > 100, fmt


def test_a_large_add_is_staged_and_gives_what_the_embedded_store_holds(server: str, found: list[Event],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    by_article = split_by_article(found)
    ids = list(by_article)
    first = [e for a in ids[:3] for e in by_article[a]]
    rest = [e for a in ids[3:] for e in by_article[a]]
    requests: list[str] = []
    real = SparqlServer._request

    def counting(self: SparqlServer, url: str, body: str, *args: Any, **kwargs: Any) -> Any:
        requests.append(url)
        return real(self, url, body, *args, **kwargs)

    monkeypatch.setattr(SparqlServer, "_request", counting)
    local, remote = KgStore(), KgStore(server)
    remote.oxigraph.batch = 25
    for store in (local, remote):
        store.add(first)
        store.add(rest + first[:1])  # one already stored: unchanged
        store.remove([ids[1]])
    assert sum(u.endswith("/update") for u in requests) > 20  # staged in batches
    want = {str(q) for q in local.oxigraph if str(q.graph_name) != f"<{RUNS}>"}
    assert kg_quads(server, runs=False) == want and len(want) > 400
    assert remote.article_ids() == local.article_ids() == [ids[0], *ids[2:]]
    assert [e.id for e in remote.events()] == [e.id for e in local.events()]
    assert all(g.startswith(KG_GRAPHS) for g in graphs_of(server))  # nothing left staged
    assert len(remote) == len(local)


def test_a_parameter_is_a_value_never_query_text(server: str, found: list[Event]) -> None:
    build_remote(server, found)
    before = kg_quads(server)
    evil = 'x" } ; DROP ALL ; #\n} UNION { ?meeting ?p ?o'
    res = CliRunner().invoke(main, ["query", "actor-meetings", "--store", server, "--param", f"actor_name={evil}",
                                    "--format", "json"])
    assert res.exit_code == 1 and "Error: no actor named 'x\" } ; DROP ALL" in res.output  # looked up as a value
    store = KgStore(server, read_only=True)
    assert store.rows("SELECT ?name WHERE { }", {"name": evil}) == [{"name": evil}]  # the value, exactly
    assert store.rows("SELECT ?m WHERE { ?m rdfs:label ?name }", {"name": evil}) == []
    assert kg_quads(server) == before and len(before) > 500


def _fail_updates_after(monkeypatch: pytest.MonkeyPatch, n: int, *, every: bool = True,
                        before: Callable[[], None] | None = None) -> list[str]:
    """Make the update requests after the first ``n`` fail (all of them, or only the next one)."""
    sent: list[str] = []
    real = SparqlServer._request

    def flaky(self: SparqlServer, url: str, body: str, *args: Any, **kwargs: Any) -> Any:
        if url == self.update_url:
            sent.append(body)
            if len(sent) > n and (every or len(sent) == n + 1):
                if before is not None:
                    before()
                else:
                    raise KgError(f"{url}: the connection to the SPARQL server failed (reset)")
        return real(self, url, body, *args, **kwargs)

    monkeypatch.setattr(SparqlServer, "_request", flaky)
    return sent


@pytest.mark.parametrize("every", [True, False], ids=["server-gone", "one-request-lost"])
def test_a_build_that_fails_half_way_leaves_the_previous_data(server: str, found: list[Event], every: bool,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    old = [e for e in found if e.evidence[0].article_id.startswith("sample-en")]
    build_remote(server, old, batch=20)
    before, rows = kg_quads(server), KgStore(server).rows("who-met-whom")
    sent = _fail_updates_after(monkeypatch, 6, every=every)
    with pytest.raises(KgError, match="connection to the SPARQL server failed"):
        build_remote(server, found, batch=20)
    assert len(sent) > 6
    monkeypatch.undo()
    assert kg_quads(server) == before
    assert KgStore(server).rows("who-met-whom") == rows  # staged triples, if left, are not seen
    staged = {g for g in graphs_of(server) if not g.startswith(KG_GRAPHS)}
    assert bool(staged) == every  # cleaned up when the server could still be reached
    build_remote(server, found, batch=20)  # the next large write clears what was left
    assert all(g.startswith(KG_GRAPHS) for g in graphs_of(server))
    assert len(kg_quads(server)) > len(before)


def test_an_add_cut_off_by_a_killed_server_leaves_the_previous_data(oxigraph: Oxigraph, found: list[Event],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    url = oxigraph.start()
    by_article = split_by_article(found)
    first, *others = by_article
    KgStore(url).add(by_article[first])
    before = kg_quads(url)
    _fail_updates_after(monkeypatch, 4, before=oxigraph.stop)
    store = KgStore(url)
    store.oxigraph.batch = 25
    with pytest.raises(KgError, match=r"the change was not written: .*cannot reach the SPARQL server"):
        store.add([e for a in others for e in by_article[a]])
    monkeypatch.undo()
    url = oxigraph.start()  # the same database, on another port
    assert kg_quads(url) == before
    assert KgStore(url).article_ids() == [first]


def test_a_small_change_is_one_request(server: str, found: list[Event], monkeypatch: pytest.MonkeyPatch) -> None:
    store = KgStore(server)
    store.add(found)
    sent = _fail_updates_after(monkeypatch, 10**6)
    change = store.remove([found[0].evidence[0].article_id])
    assert change.removed and len(sent) == 1
    assert sent[0].startswith("DROP SILENT GRAPH") and "DELETE DATA" in sent[0] and "INSERT DATA" in sent[0]


# --------------------------------------------------------------------------- errors


def one_line_error(res: Any) -> str:
    assert res.exit_code == 1, res.output
    assert isinstance(res.exception, SystemExit) and "Traceback" not in res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.output
    return str(lines[0])


@pytest.mark.parametrize("command", [["query", "who-met-whom"], ["add", str(KUNJUNGAN), "-q"], ["remove", "t-en-1"],
                                     ["export", "--format", "nq"]])
def test_an_unreachable_server_is_one_line_naming_the_url(command: list[str]) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    line = one_line_error(CliRunner().invoke(main, [*command, "--store", url]))
    assert f"{url}/query: cannot reach the SPARQL server" in line


def test_server_errors_are_one_line_with_the_server_s_message(server: str) -> None:
    runner = CliRunner()
    line = one_line_error(runner.invoke(main, ["query", "SELECT ?x WHERE {\n ?x ?y }", "--store", server]))
    assert f"{server}/query" in line and "answered 400 Bad Request: error at 2:" in line
    line = one_line_error(runner.invoke(main, ["query", "who-met-whom", "--store", f"{server}/nothing"]))
    assert f"{server}/nothing: not a SPARQL 1.1 endpoint ({server}/nothing/query answered 404" in line
    line = one_line_error(runner.invoke(main, ["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> "
                                               "{ ?s ?p ?o } }", "--store", server]))
    assert "answer broke off: The port 1 is not allowed" in line  # the server's message, after its 200
    with pytest.raises(KgError, match=r"/update: the SPARQL server answered 500 .*: The port 1 is not allowed"):
        SparqlServer(server).update("LOAD <http://127.0.0.1:1/x.ttl>")


class _Fake(BaseHTTPRequestHandler):
    """Not Oxigraph: a Fuseki-like SPARQL endpoint at /ds/query, a web page anywhere else."""

    seen: ClassVar[list[str]] = []
    server_version, sys_version = "Apache Jena Fuseki (5.6.0)", ""  # the Server header

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(self.path)
        fuseki = self.path.startswith("/ds/query")
        body = b'{"head": {}, "boolean": true}' if fuseki else b"<html><body><h1>Welcome</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json" if fuseki else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_web_page_is_not_a_sparql_endpoint_and_fuseki_gets_its_union_graph(fake: str) -> None:
    line = one_line_error(CliRunner().invoke(main, ["export", "--store", f"{fake}/site", "--format", "nq"]))
    assert f"{fake}/site: not a SPARQL 1.1 endpoint ({fake}/site/query answered text/html" in line
    store = KgStore(f"{fake}/ds", read_only=True)
    assert store.rows("ASK { ?s ?p ?o }") == [{"result": True}]
    assert _Fake.seen[-1] == "/ds/query?default-graph-uri=urn%3Ax-arq%3AUnionGraph"
