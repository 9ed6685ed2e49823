"""A build written into an existing SPARQL 1.1 server: ``kg build --store http://host:port/...``.

The dataset is the one ``kg build`` writes into its embedded store (one named graph per article,
``graph/meetings``, ``graph/runs``): it is first built in a scratch pyoxigraph store with the
engine's bulk loader (:func:`kg.rdf.store.build_store`), then sent to the server with SPARQL 1.1
Update over the SPARQL 1.1 Protocol, ``batch`` quads per ``INSERT DATA`` request, after one
request that drops the graphs of an earlier kg build (every graph under
``https://w3id.org/kg/id/graph/``; other graphs on the server are left alone).

The URL names the dataset; updates go to ``URL/update`` and queries to ``URL/query``, which is
how Oxigraph (``oxigraph serve``: ``http://host:7878``) and Apache Jena Fuseki
(``http://host:3030/DATASET``) lay out their endpoints. Other servers: pass ``update=`` and
``query=`` to :class:`SparqlServer`.

Batches are separate requests: a build that fails half way leaves part of the new data on the
server (run it again: it starts by dropping kg's graphs). Only the standard library talks HTTP.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.model import Event
from kg.rdf.namespaces import GRAPHS

BATCH = 10_000
"""Quads per INSERT DATA request (about 2 MB of text)."""


def is_remote(store: str | os.PathLike[str]) -> bool:
    """True for an http(s) URL rather than a directory.

    >>> is_remote("http://localhost:7878"), is_remote("out/store")
    (True, False)
    """
    return str(store).startswith(("http://", "https://"))


class SparqlServer:
    """The SPARQL 1.1 Protocol endpoints of one dataset on a server."""

    def __init__(self, url: str, *, update: str | None = None, query: str | None = None,
                 timeout: float = 300.0) -> None:
        base = url.rstrip("/")
        self.url = base
        self.update_url = update or f"{base}/update"
        self.query_url = query or f"{base}/query"
        self.timeout = timeout

    def _post(self, url: str, body: str, content_type: str, accept: str | None = None) -> bytes:
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        req = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:  # noqa: S310 - http(s) only, checked
                return bytes(res.read())
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace")[:500]
            raise KgError(f"{url}: the SPARQL server answered {err.code} {err.reason}: {detail}") from err
        except urllib.error.URLError as err:
            raise KgError(f"{url}: cannot reach the SPARQL server ({err.reason})") from err

    def update(self, text: str) -> None:
        """Run a SPARQL 1.1 Update request."""
        self._post(self.update_url, text, "application/sparql-update")

    def select(self, text: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps a variable to its value's lexical form."""
        data = json.loads(self._post(self.query_url, text, "application/sparql-query",
                                     "application/sparql-results+json"))
        return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]

    def kg_graphs(self) -> list[str]:
        """The named graphs of an earlier kg build on the server."""
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                           f"FILTER(STRSTARTS(STR(?g), \"{GRAPHS}\")) }}")
        return sorted(r["g"] for r in rows)


def _insert(quads: list[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        g = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(g, []).append(f"{q.subject} {q.predicate} {q.object} .")
    parts = [("\n".join(lines) if not g else f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}")
             for g, lines in by_graph.items()]
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def push_quads(server: SparqlServer, quads: Iterable[ox.Quad], *, batch: int = BATCH,
               progress: Callable[[int], None] | None = None) -> int:
    """Replace kg's graphs on the server with ``quads``, ``batch`` quads per request.

    Returns:
        The number of quads sent.
    """
    old = server.kg_graphs()
    if old:
        server.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in old))
    n = 0
    chunk: list[ox.Quad] = []
    for q in quads:
        chunk.append(q)
        if len(chunk) >= batch:
            server.update(_insert(chunk))
            n += len(chunk)
            chunk = []
            if progress is not None:
                progress(n)
    if chunk:
        server.update(_insert(chunk))
        n += len(chunk)
    return n


def build_remote(url: str | SparqlServer, mentions: Iterable[Event], *, articles: Iterable[str] = (),
                 batch: int = BATCH) -> list[Event]:
    """``build_store`` into a SPARQL server: the same dataset, sent in batches.

    Args:
        url: the dataset's URL (``http://host:7878``, ``http://host:3030/ds``) or a server.
        mentions: resolved, unmerged mention events, in input order.
        articles: ids of every article read.
        batch: quads per request.

    Returns:
        The merged meetings, as written.
    """
    from kg.rdf.store import build_store

    server = url if isinstance(url, SparqlServer) else SparqlServer(url)
    with tempfile.TemporaryDirectory(prefix="kg-remote-") as d:
        path = Path(d) / "store"
        events = build_store(path, mentions, articles=articles)
        store = ox.Store.read_only(str(path))
        try:
            push_quads(server, store.quads_for_pattern(None, None, None, None), batch=batch)
        finally:
            del store
    return events


__all__ = ["BATCH", "SparqlServer", "build_remote", "is_remote", "push_quads"]

