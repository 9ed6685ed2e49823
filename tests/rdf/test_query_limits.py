"""Queries are bounded before any parsing (issue 14): size, bracket depth and SERVICE."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import QueryError
from kg.model import Actor, Event, Mention
from kg.rdf.query import MAX_QUERY_CHARS, check_query
from kg.rdf.store import KgStore, build_store

DEEP_BRACES = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
DEEP_PARENS = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }"
#: Within the limits, but 3,000 chained MINUS overflow an 8 MB stack in pyoxigraph.
LONG_CHAIN = "ASK { ?s ?p ?o " + "MINUS { ?s ?p 2 } " * 3000 + "}"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("q") / "store"
    build_store(path, [Event((Actor("A B"), Actor("C D")), None, None, evidence=(Mention("a1", 0, 5, "A met C."),))])
    return path


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("query", [DEEP_BRACES, DEEP_PARENS], ids=["braces", "parens"])
def test_issue_14_kg_query_refuses_deep_nesting_instead_of_crashing(store: Path, query: str) -> None:
    res = _kg("query", "--store", str(store), query, cwd=store.parent)
    assert res.returncode == 1, (res.returncode, res.stderr[-300:])  # -11 (SIGSEGV) before
    (line,) = res.stderr.strip().splitlines()
    assert "nests brackets" in line and "at most 100 are accepted" in line


def test_issue_14_kg_query_runs_a_long_chain_on_a_deep_stack(store: Path) -> None:
    res = _kg("query", "--store", str(store), LONG_CHAIN, "--format", "json", cwd=store.parent)
    assert res.returncode == 0, (res.returncode, res.stderr[-300:])  # -11 (SIGSEGV) before
    assert '"result":true' in res.stdout.replace(" ", "")  # kg query's JSON: one object a row


def test_issue_14_kg_query_on_a_graph_file_refuses_deep_nesting(store: Path, tmp_path: Path) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://e/s> <http://e/p> 1 .\n", encoding="utf-8")
    res = _kg("query", str(graph), DEEP_BRACES, cwd=tmp_path)
    assert res.returncode == 1 and "nests brackets" in res.stderr


def test_check_query_limits() -> None:
    check_query("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="at most 100,000 are accepted"):
        check_query("ASK {}" + " " * MAX_QUERY_CHARS)
    with pytest.raises(QueryError, match="101 deep"):
        check_query("ASK " + "{" * 101 + "}" * 101)
    check_query("ASK " + "{" * 100 + "}" * 100)


@pytest.mark.parametrize("text", [
    'ASK { ?s ?p "' + "{" * 500 + '" }',                  # brackets in a string
    "ASK { ?s ?p '''" + "(" * 500 + "\n''' }",            # in a long string
    "ASK { ?s ?p ?o } # " + "[" * 500,                    # in a comment
    'ASK { ?s ?p "service <http://x> {}" }',              # the word in a string
    "ASK { ?s <http://e/service> ?o }",                   # in an IRI
    "ASK { ?service ?p ?o . ?s ?p ?Service }",            # a variable
    "PREFIX service: <http://e/> ASK { ?s service:SERVICE ?o }",  # prefixed names
])
def test_check_query_reads_only_code(text: str) -> None:
    check_query(text, allow_service=())


@pytest.mark.parametrize("text", [
    "SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "SELECT * { service silent <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "SELECT * { SERVICE ?where { ?s ?p ?o } }",
    "PREFIX e: <http://127.0.0.1:9/> SELECT * { SERVICE e:x { ?s ?p ?o } }",
    "BASE <http://127.0.0.1:9/> SELECT * { SERVICE <x> { ?s ?p ?o } }",
    'SELECT * { ?s ?p "x" SERVICE<http://127.0.0.1:9/x>{ ?s ?p ?o } }',
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "SELECT * { SERVICE # hidden\n <http://127.0.0.1:9/x> { ?s ?p ?o } }",
])
def test_check_query_refuses_service_unless_listed(text: str) -> None:
    with pytest.raises(QueryError):
        check_query(text, allow_service=())
    with pytest.raises(QueryError):
        check_query(text, allow_service=["http://127.0.0.1:9/y"])


def test_check_query_allows_a_listed_service() -> None:
    check_query("SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", allow_service=["http://127.0.0.1:9/x"])
    check_query("SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")  # no policy: kg query, the user's own


def test_store_query_never_reads_a_path_when_told(store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    with KgStore(store, read_only=True) as ks:
        assert bool(ks.query(str(rq))) is True  # kg query --store S q.rq: the user's own file
        with pytest.raises(QueryError, match="cannot parse"):
            ks.query(str(rq), files=False)
