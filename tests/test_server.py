"""The SPARQL endpoint, over real HTTP (httpx, or raw sockets for malformed requests) against
servers started on free local ports; every test leaves no worker process behind."""

from __future__ import annotations

import http.server
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.model import Actor, Event, Mention, PartialDate, Place
from kg.rdf.store import build_store
from kg.server import SparqlServer, make_server

LAVROV, RUBIO = Actor("Sergei Lavrov", country="RU"), Actor("Marco Rubio", country="US")
EVENTS = [
    Event((LAVROV, RUBIO), Place("New York City", country="US"), PartialDate(2025, 9, 24),
          evidence=(Mention(f"a{i}", 0, 30, "Lavrov met Rubio in New York.", lang="en"),))
    for i in range(3)
]
WHO = "SELECT ?a ?b WHERE { ?m a kg:Meeting ; sem:hasActor ?a , ?b . FILTER (STR(?a) < STR(?b)) }"


#: A query that runs for hours on this store: a cartesian product of eight triple patterns.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }"
#: One that grows without bound: ORDER BY over a cartesian product.
GROWING = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } ORDER BY ?a ?c ?f ?i ?l ?o"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return True


def _running(srv: SparqlServer) -> Iterator[SparqlServer]:
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    pids = srv.pool.pids
    yield srv
    pids += srv.pool.pids
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert not [p for p in pids if _alive(p)], "worker processes left running"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out: Path = tmp_path_factory.mktemp("out")
    build_store(out / "store", EVENTS)
    (out / "graph.html").write_text("<html>network</html>", encoding="utf-8")
    return out / "store"


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[SparqlServer]:
    yield from _running(make_server(store_dir, host="127.0.0.1", port=0, timeout=5, max_bytes=20_000))


@pytest.fixture(scope="module")
def tight(store_dir: Path) -> Iterator[SparqlServer]:
    """A server with small limits and the opt-in features on."""
    yield from _running(make_server(store_dir, host="127.0.0.1", port=0, timeout=20, workers=1, memory_mb=100,
                                    idle_timeout=1, connections=10, cors=["https://ok.example"],
                                    allow_service=["http://127.0.0.1:9/sparql"]))


@pytest.fixture
def client(server: SparqlServer) -> Iterator[httpx.Client]:
    host, port = server.server_address[:2]
    with httpx.Client(base_url=f"http://{host}:{port}", timeout=30) as c:
        yield c


def _raw(srv: SparqlServer, request: bytes) -> bytes:
    """Send bytes as they are (httpx refuses malformed requests) and read until the server closes."""
    with socket.create_connection(srv.server_address[:2], timeout=10) as s:
        s.sendall(request)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


def test_get_select_as_sparql_json(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": WHO})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    (row,) = r.json()["results"]["bindings"]
    assert {row["a"]["value"], row["b"]["value"]} == {
        "https://w3id.org/kg/id/person/marco-rubio", "https://w3id.org/kg/id/person/sergei-lavrov"}


@pytest.mark.parametrize(("accept", "ctype", "start"), [
    ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
    ("text/csv", "text/csv", "a,b"),
    ("text/tab-separated-values", "text/tab-separated-values", "?a\t?b"),
    ("text/csv;q=0.5, application/sparql-results+json", "application/sparql-results+json", "{"),
])
def test_post_form_with_content_negotiation(client: httpx.Client, accept: str, ctype: str, start: str) -> None:
    r = client.post("/sparql", data={"query": WHO}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(ctype)
    assert r.text.startswith(start)


def test_post_query_body_and_ask(client: httpx.Client) -> None:
    r = client.post("/sparql", content="ASK { ?m kg:articleCount 3 }",
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_construct_is_turtle(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?m a kg:Meeting }"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "kg:Meeting" in r.text or "ontology#Meeting" in r.text
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?m a kg:Meeting }"},
                   headers={"Accept": "application/n-triples"})
    assert r.headers["content-type"].startswith("application/n-triples") and "<https://w3id.org/kg/ontology#Meeting>" in r.text


def test_read_only(client: httpx.Client) -> None:
    r = client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 403
    r = client.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    r = client.get("/sparql", params={"query": "DROP ALL"})
    assert r.status_code == 400
    assert client.get("/sparql", params={"query": "ASK { ?m a kg:Meeting }"}).json()["boolean"] is True


def test_syntax_error_has_line_and_column(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE {\n ?x ?y }"})
    assert r.status_code == 400 and "cannot parse the query at line 2, column" in r.text


def test_result_size_limit(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "larger than 20,000 bytes" in r.text


def test_unacceptable_type(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": WHO}, headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_pages(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "who-met-whom" in r.text and "graph.html" in r.text
    assert client.get("/graph.html").text == "<html>network</html>"
    assert client.get("/nothing").status_code == 404


def test_traversal_and_unknown_paths_get_404(server: SparqlServer) -> None:
    for path in ("/../../etc/passwd", "/graph.html/../store", "/%2e%2e/%2e%2e/etc/passwd", "/store/CURRENT"):
        answer = _raw(server, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        assert answer.split(b" ")[1] == b"404", (path, answer[:80])


def test_oversized_url_headers_and_body_get_414_431_413(server: SparqlServer, client: httpx.Client) -> None:
    answer = _raw(server, b"GET /sparql?query=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer.split(b" ")[1] == b"414", answer[:80]
    assert client.get("/sparql", headers={"X-Big": "y" * 100_000}).status_code == 431
    assert client.post("/sparql", content=b"q" * 2_000_000,
                       headers={"Content-Type": "application/sparql-query"}).status_code == 413


# ----------------------------------------------------------------- issue 14: the endpoint's holes


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }",
    "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
], ids=["parens", "braces"])
def test_issue_14_deep_nesting_is_refused_before_parsing(client: httpx.Client, query: str) -> None:
    r = client.post("/sparql", data={"query": query})
    assert r.status_code == 400
    assert r.text.strip().count("\n") == 0 and "nests brackets" in r.text and "at most 100" in r.text
    assert client.get("/sparql", params={"query": "ASK { ?m a kg:Meeting }"}).json()["boolean"] is True


def test_issue_14_oversized_query_is_refused(client: httpx.Client) -> None:
    r = client.post("/sparql", content="ASK {}" + "#" * 200_000, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "at most 100,000 are accepted" in r.text


def test_issue_14_a_query_past_its_time_is_stopped(server: SparqlServer, client: httpx.Client,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server.pool, "timeout", 1.0)
    before = set(server.pool.pids)
    r = client.get("/sparql", params={"query": RUNAWAY})
    assert r.status_code == 503 and "longer than 1 s and was stopped" in r.text
    gone = before - set(server.pool.pids)
    assert len(gone) == 1 and not _alive(gone.pop())  # its process was killed, not left running
    assert len(server.pool.pids) == 2  # and replaced
    assert client.get("/sparql", params={"query": "ASK { ?m a kg:Meeting }"}).json()["boolean"] is True


@pytest.mark.slow
def test_issue_14_runaways_do_not_hold_the_workers(server: SparqlServer, client: httpx.Client,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server.pool, "timeout", 2.0)
    codes: list[int] = []
    base = str(client.base_url)
    threads = [threading.Thread(target=lambda: codes.append(httpx.get(f"{base}/sparql", params={"query": RUNAWAY},
                                                                      timeout=30).status_code)) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # both workers busy
    started = time.monotonic()
    r = client.get("/sparql", params={"query": "ASK { ?m a kg:Meeting }"})
    for t in threads:
        t.join()
    assert codes == [503, 503]
    assert r.status_code == 200 and r.json()["boolean"] is True
    assert time.monotonic() - started < 15  # served once the runaways were stopped, not hours later


def test_issue_14_a_crashing_query_costs_only_itself(server: SparqlServer, client: httpx.Client,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server.pool, "timeout", 20.0)
    result: list[httpx.Response] = []
    base = str(client.base_url)
    t = threading.Thread(target=lambda: result.append(httpx.get(f"{base}/sparql", params={"query": RUNAWAY},
                                                                timeout=30)))
    t.start()
    for _ in range(600):
        if server.pool.running:
            break
        time.sleep(0.1)
    time.sleep(0.3)
    for pid in server.pool.running:  # as a segfault in pyoxigraph would
        os.kill(pid, signal.SIGSEGV)
    t.join()
    assert result[0].status_code == 500 and "SIGSEGV" in result[0].text and "the server goes on" in result[0].text
    assert client.get("/sparql", params={"query": "ASK { ?m a kg:Meeting }"}).json()["boolean"] is True


@pytest.mark.slow
def test_issue_14_memory_is_capped(tight: SparqlServer) -> None:
    host, port = tight.server_address[:2]
    r = httpx.get(f"http://{host}:{port}/sparql", params={"query": GROWING}, timeout=60)
    assert r.status_code == 503 and "100 MB memory cap" in r.text
    r = httpx.get(f"http://{host}:{port}/sparql", params={"query": "ASK { ?m a kg:Meeting }"}, timeout=60)
    assert r.json()["boolean"] is True


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        _Recorder.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":["secret"]},"results":{"bindings":[{"secret":{"type":"literal","value":"t0k3n"}}]}}')

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def admin() -> Iterator[str]:
    """A local HTTP service that records every request (the target of SSRF)."""
    _Recorder.seen = []
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.mark.parametrize("form", [
    "SELECT * WHERE {{ SERVICE <{url}/admin?token=1> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ service silent <{url}/admin?token=1> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}/admin?token=1> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # a comment\n SERVICE\n#another\n<{url}/admin?token=1> {{ ?s ?p ?o }} }}",
])
def test_issue_14_service_is_refused_by_default(client: httpx.Client, admin: str, form: str) -> None:
    r = client.get("/sparql", params={"query": form.format(url=admin)})
    assert r.status_code == 400 and "SERVICE" in r.text and "--allow-service" in r.text
    assert _Recorder.seen == []  # nothing was fetched


def test_issue_14_service_to_a_listed_endpoint_passes(tight: SparqlServer) -> None:
    host, port = tight.server_address[:2]
    listed = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    other = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/other> { ?s ?p ?o } }"
    r = httpx.get(f"http://{host}:{port}/sparql", params={"query": listed}, timeout=60)
    assert r.status_code == 200  # SILENT: the endpoint (port 9, discard) is down, the query still answers
    r = httpx.get(f"http://{host}:{port}/sparql", params={"query": other}, timeout=60)
    assert r.status_code == 400 and "the endpoints allowed are http://127.0.0.1:9/sparql" in r.text


def test_issue_14_query_is_never_a_path(client: httpx.Client, tmp_path: Path) -> None:
    secret = tmp_path / "secret.rq"
    secret.write_text("ASK { ?m a kg:Meeting }", encoding="utf-8")
    there = client.get("/sparql", params={"query": str(secret)})
    missing = client.get("/sparql", params={"query": str(tmp_path / "missing.rq")})
    assert there.status_code == missing.status_code == 400
    assert "boolean" not in there.text
    assert there.text.replace("secret", "missing") == missing.text  # the same answer: no hint of what exists
    long = client.get("/sparql", params={"query": "a" * 300 + ".rq"})
    assert long.status_code == 400
    named = client.get("/sparql", params={"query": "who-met-whom"})
    assert named.status_code == 200 and named.json()["results"]["bindings"]


def test_issue_14_no_cors_by_default(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": WHO}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def test_issue_14_cors_is_opt_in(tight: SparqlServer) -> None:
    host, port = tight.server_address[:2]
    url = f"http://{host}:{port}/sparql"
    r = httpx.get(url, params={"query": WHO}, headers={"Origin": "https://ok.example"}, timeout=60)
    assert r.headers["access-control-allow-origin"] == "https://ok.example"
    r = httpx.get(url, params={"query": WHO}, headers={"Origin": "https://evil.example"}, timeout=60)
    assert "access-control-allow-origin" not in r.headers
    r = httpx.options(url, headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204 and "POST" in r.headers["access-control-allow-methods"]


@pytest.mark.parametrize("length", [b"abc", b"-1", b"1e3", b"+5"])
def test_issue_14_bad_content_length_gets_400(server: SparqlServer, length: bytes) -> None:
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: " + length + b"\r\n\r\n")
    answer = _raw(server, head)  # answered at once and closed: no body is waited for or read
    assert answer.startswith(b"HTTP/1.1 400"), answer[:100]
    assert b"Traceback" not in answer


def test_issue_14_long_query_string_value_gets_400(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "x" * 5000})
    assert r.status_code == 400 and "no stored query named 'xxx" in r.text and len(r.text) < 300
    r = client.get("/sparql", params={"query": "/" + "a" * 300})
    assert r.status_code == 400


@pytest.mark.slow
def test_issue_14_idle_connections_are_closed_and_cost_no_thread(tight: SparqlServer) -> None:
    host, port = tight.server_address[:2]
    threads = threading.active_count()
    socks = []
    for _ in range(30):
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nquery=")  # and no more
        socks.append(s)
    try:
        assert threading.active_count() - threads < 3  # no thread per connection
        started = time.monotonic()
        r = httpx.get(f"http://{host}:{port}/sparql", params={"query": "ASK { ?m a kg:Meeting }"}, timeout=60)
        assert r.json()["boolean"] is True  # served though 30 half-sent requests are pending (cap: 10)
        assert time.monotonic() - started < 30
        for s in socks:  # each one closed by the server within its idle timeout (a TimeoutError fails)
            s.settimeout(10)
            try:
                data = s.recv(100)
            except ConnectionResetError:
                data = b""
            assert data == b"" or data.startswith(b"HTTP/1.1 408"), data[:80]
    finally:
        for s in socks:
            s.close()
