"""The SPARQL endpoint, over real HTTP (httpx) against a server started on a free local port."""

from __future__ import annotations

import threading
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    out: Path = tmp_path_factory.mktemp("out")
    build_store(out / "store", EVENTS)
    (out / "graph.html").write_text("<html>network</html>", encoding="utf-8")
    srv = make_server(out / "store", host="127.0.0.1", port=0, timeout=5, max_bytes=20_000)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


@pytest.fixture
def client(server: SparqlServer) -> Iterator[httpx.Client]:
    host, port = server.server_address[:2]
    with httpx.Client(base_url=f"http://{host}:{port}", timeout=10) as c:
        yield c


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


def test_timeout(server: SparqlServer, client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    def slow(*args, **kwargs):
        time.sleep(1.0)
        raise AssertionError("should have timed out first")

    monkeypatch.setattr(server, "query_timeout", 0.2)
    monkeypatch.setattr(server, "_evaluate", slow)
    r = client.get("/sparql", params={"query": WHO})
    assert r.status_code == 503 and "longer than 0.2 s" in r.text


def test_pages(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "who-met-whom" in r.text and "graph.html" in r.text
    assert client.get("/graph.html").text == "<html>network</html>"
    assert client.get("/nothing").status_code == 404
