"""A kg store kept in an existing SPARQL 1.1 server: ``kg build|add|remove|query|export --store http://...``.

The dataset is the one kg keeps in its embedded store (one named graph per article,
``graph/meetings``, ``graph/runs``, all under ``https://w3id.org/kg/id/graph/``); other graphs
on the server are left alone and are not read, except by ``kg query``, whose default graph is
the union of every graph on the server (as the embedded store's is the union of its graphs).

:class:`SparqlServer` talks to one dataset over the SPARQL 1.1 Protocol and offers the
methods of :class:`pyoxigraph.Store` that :class:`kg.rdf.store.KgStore` uses
(``quads_for_pattern``, ``query``, ``update``, ``len``), so ``KgStore(url)`` adds, removes,
merges and queries with the same code as the embedded store; only the final write differs
(:meth:`SparqlServer.write`). ``kg build`` builds the dataset in a scratch pyoxigraph store with
the engine's bulk loader (:func:`kg.rdf.store.build_store`) and sends it with the same write.

The URL names the dataset; updates go to ``URL/update`` and queries to ``URL/query``, which is
how Oxigraph (``oxigraph serve``: ``http://host:7878``) and Apache Jena Fuseki
(``http://host:3030/DATASET``) lay out their endpoints. Other servers: pass ``update=`` and
``query=`` to :class:`SparqlServer`. Queries ask for the union default graph with Oxigraph's
``union-default-graph`` parameter, or Fuseki's ``urn:x-arq:UnionGraph`` when the server calls
itself Fuseki. Only the standard library talks HTTP.

What is atomic (Oxigraph and Fuseki run one SPARQL Update request as one transaction):

- A change of at most ``batch`` quads (a ``kg remove``, a ``kg add`` of up to about 200
  articles) is one request: the server holds the data from before or from after it, nothing
  between.
- A larger change (a build, a big add) is sent ``batch`` quads per request into *staging*
  graphs (``https://w3id.org/kg/id/staging/<run>/...``, predicates renamed too, so that kg's
  queries do not see staged triples), then switched in by one final request that drops the
  old graphs, deletes and inserts what was staged, and drops the staging graphs. A failure
  before that request leaves kg's graphs as they were; kg then drops what it staged if the
  server can still be reached, and the next large write drops any staging left behind. The
  price: the server writes every quad twice and deletes the staged copy (a first build of
  422,000 quads into ``oxigraph serve``: 2.5 minutes, where sending the batches straight into
  kg's graphs, not atomic, takes 20 seconds).
- Not atomic: the read before an add or remove and its write are separate requests, so two
  writers at once (two ``kg add`` on one server) can lose each other's change: one writer at
  a time, as the embedded store enforces with its lock. A switch request whose answer is lost
  (the connection drops while the server commits) may have been applied or not: read the
  store again. kg writes no blank nodes, so staging across requests keeps every term.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from email.message import Message
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.errors import BugError, KgError
from kg.ids import BASE
from kg.model import Event
from kg.rdf.namespaces import GRAPHS
from kg.rdf.store import bind_values, change_update, quad_data

BATCH = 10_000
"""Quads per request (about 2 MB of text)."""

STAGING = f"{BASE}staging/"
"""Where large writes stage their batches before the switch (outside kg's graphs)."""

_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"
_UNION = {"oxigraph": "union-default-graph", "fuseki": "default-graph-uri=urn%3Ax-arq%3AUnionGraph"}


def is_remote(store: str | os.PathLike[str]) -> bool:
    """True for an http(s) URL rather than a directory.

    >>> is_remote("http://localhost:7878"), is_remote("out/store")
    (True, False)
    """
    return str(store).startswith(("http://", "https://"))


def _one_line(body: bytes) -> str:
    """A server's error message on one line, without HTML tags, at most 300 characters."""
    text = re.sub(r"<[^>]*>", " ", body.decode("utf-8", "replace"))
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "..."


def _clear(prefix: str) -> str:
    """The SPARQL Update operation that empties every graph whose IRI starts with ``prefix``."""
    return (f'DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
            f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }}')


def _unstage(verb: str, graphs: str, predicates: str) -> str:
    """``INSERT`` (or ``DELETE``) in the real graphs what was staged under ``graphs``."""
    return (f'{verb} {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?sg {{ ?s ?sp ?o }} '
            f'FILTER(STRSTARTS(STR(?sg), "{graphs}")) '
            f'BIND(IRI(STRAFTER(STR(?sg), "{graphs}")) AS ?g) '
            f'BIND(IRI(STRAFTER(STR(?sp), "{predicates}")) AS ?p) }}')


def _staged(quads: Iterable[ox.Quad], graphs: str, predicates: str) -> Iterator[ox.Quad]:
    for q in quads:
        if not isinstance(q.graph_name, ox.NamedNode):
            raise BugError(f"kg writes named graphs only, not {q}")
        yield ox.Quad(q.subject, ox.NamedNode(predicates + q.predicate.value), q.object,
                      ox.NamedNode(graphs + q.graph_name.value))


def _chunks(items: Iterable[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class SparqlServer:
    """The SPARQL 1.1 Protocol endpoints of one dataset on a server, used as a kg store.

    Args:
        url: The dataset's URL (``http://host:7878``, ``http://host:3030/ds``).
        update: The update endpoint, if not ``URL/update``.
        query: The query endpoint, if not ``URL/query``.
        timeout: Seconds to wait for one answer.
        batch: Quads per request for :meth:`write`.
    """

    def __init__(self, url: str, *, update: str | None = None, query: str | None = None,
                 timeout: float = 300.0, batch: int = BATCH) -> None:
        base = url.rstrip("/")
        self.url = base
        self.update_url = update or f"{base}/update"
        self.query_url = query or f"{base}/query"
        self.timeout = timeout
        self.batch = batch
        self.union: str | None = None
        """The query-string parameter that makes the default graph the union of all graphs
        (``None``: chosen from the server's name, which :meth:`check` reads)."""

    # ------------------------------------------------------------------ HTTP

    def _request(self, url: str, body: str, content_type: str, accept: str | None = None) -> tuple[bytes, Message]:
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        req = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:  # noqa: S310 - http(s) only, checked
                return bytes(res.read()), res.headers
        except urllib.error.HTTPError as err:
            raise KgError(f"{url}: the SPARQL server answered {err.code} {err.reason}: {_one_line(err.read())}") from err
        except urllib.error.URLError as err:
            raise KgError(f"{url}: cannot reach the SPARQL server ({err.reason})") from err
        except (OSError, http.client.HTTPException) as err:  # a timeout, a dropped connection
            raise KgError(f"{url}: the connection to the SPARQL server failed ({err or type(err).__name__})") from err

    def _post(self, url: str, body: str, content_type: str, accept: str | None = None) -> bytes:
        return self._request(url, body, content_type, accept)[0]

    def check(self) -> None:
        """Ask ``ASK {}`` of the query endpoint and learn the server's name.

        Raises:
            KgError: The server cannot be reached, or the URL is not a SPARQL endpoint.
        """
        def not_sparql(what: str) -> KgError:
            return KgError(f"{self.url}: not a SPARQL 1.1 endpoint ({self.query_url} {what}); give a dataset's "
                           "URL, e.g. http://host:7878 (oxigraph serve) or http://host:3030/DATASET (Fuseki)")

        try:
            body, headers = self._request(self.query_url, "ASK {}", "application/sparql-query", _RESULTS)
        except KgError as err:
            cause = err.__cause__
            if isinstance(cause, urllib.error.HTTPError) and cause.code in (404, 405, 415):
                raise not_sparql(f"answered {cause.code} {cause.reason}") from err
            raise
        try:
            ok = isinstance(json.loads(body).get("boolean"), bool)
        except (ValueError, AttributeError):
            ok = False
        if not ok:
            raise not_sparql(f"answered {headers.get('Content-Type') or 'something'}, not SPARQL results")
        if self.union is None:
            fuseki = "fuseki" in (headers.get("Server") or "").lower() or "Fuseki-Request-Id" in headers
            self.union = _UNION["fuseki" if fuseki else "oxigraph"]

    # ------------------------------------------------------------------ what KgStore uses

    def update(self, text: str, *, prefixes: dict[str, str] | None = None) -> None:
        """Run a SPARQL 1.1 Update request (one transaction on Oxigraph and Fuseki)."""
        self._post(self.update_url, _prologue(prefixes) + text, "application/sparql-update")

    def _answer(self, text: str, union: bool) -> tuple[bytes, str]:
        """The server's answer to a query and its media type (SPARQL JSON results or N-Triples)."""
        url = self.query_url
        if union:
            if self.union is None:
                self.check()
            url += ("&" if "?" in url else "?") + str(self.union)
        body, headers = self._request(url, text, "application/sparql-query", f"{_RESULTS}, {_TRIPLES};q=0.9")
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind not in (_RESULTS, _TRIPLES):
            raise KgError(f"{self.query_url}: the SPARQL server answered {kind or 'nothing'}, not SPARQL results")
        return body, kind

    def _broken(self, body: bytes, err: Exception) -> KgError:
        """An answer that does not parse: a server that failed after it began to answer writes
        its message into the body, which this shows."""
        text = body.decode("utf-8", "replace")
        try:
            json.loads(text)
            tail = str(err)
        except ValueError as bad:
            tail = text[getattr(bad, "pos", 0):] or str(err)
        return KgError(f"{self.query_url}: the SPARQL server's answer broke off: {_one_line(tail.encode())}")

    def query(self, text: str, *, prefixes: dict[str, str] | None = None,
              use_default_graph_as_union: bool = False) -> Any:
        """Run a query, as :meth:`pyoxigraph.Store.query` does.

        Returns:
            pyoxigraph's ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``.
        """
        body, kind = self._answer(_prologue(prefixes) + text, use_default_graph_as_union)
        try:
            if kind == _TRIPLES:  # CONSTRUCT, DESCRIBE: as pyoxigraph's own triples result
                graph = ox.Store()
                graph.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                                  for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
                return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
            result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if isinstance(result, ox.QuerySolutions):
                for _ in result:  # read to the end now, where a failing server writes its error
                    pass
                result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            return result
        except (SyntaxError, ValueError) as err:
            raise self._broken(body, err) from err

    def _solutions(self, text: str) -> list[ox.QuerySolution]:
        body, _ = self._answer(text, False)
        try:
            return list(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
        except (SyntaxError, ValueError, TypeError) as err:
            raise self._broken(body, err) from err

    def select(self, text: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps a variable to its value's lexical form."""
        data = json.loads(self._post(self.query_url, text, "application/sparql-query", _RESULTS))
        return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]

    def quads_for_pattern(self, subject: Any, predicate: Any, object: Any, graph_name: Any) -> list[ox.Quad]:  # noqa: A002
        """The quads of kg's graphs that match (``None`` matches anything), as pyoxigraph's own."""
        bound = {k: v for k, v in (("s", subject), ("p", predicate), ("o", object), ("g", graph_name))
                 if v is not None}
        text = bind_values(f'SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                           f'FILTER(STRSTARTS(STR(?g), "{GRAPHS}")) }}', bound)
        return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in self._solutions(text)]

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self.quads_for_pattern(None, None, None, None))

    def __len__(self) -> int:
        rows = self.select(f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                           f'FILTER(STRSTARTS(STR(?g), "{GRAPHS}")) }}')
        return int(rows[0]["n"])

    def snapshot(self) -> ox.Store:
        """kg's graphs copied into an in-memory pyoxigraph store (``kg export``)."""
        store = ox.Store()
        store.bulk_extend(self)
        return store

    def kg_graphs(self) -> list[str]:
        """The named graphs of kg's dataset on the server."""
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                           f"FILTER(STRSTARTS(STR(?g), \"{GRAPHS}\")) }}")
        return sorted(r["g"] for r in rows)

    # ------------------------------------------------------------------ writing

    def write(self, insert: Iterable[ox.Quad], *, delete: Iterable[ox.Quad] = (), drop: Iterable[str] = (),
              replace: bool = False, batch: int | None = None,
              progress: Callable[[int], None] | None = None) -> int:
        """One change to kg's graphs, all or nothing: drop graphs (every kg graph with
        ``replace``), delete quads, insert quads.

        Up to ``batch`` quads go in one request; more are staged, ``batch`` quads a request,
        and switched in by one final request (see the module's notes).

        Returns:
            The number of quads inserted.
        """
        size = batch or self.batch
        deleted = list(delete)
        ops = ([_clear(str(GRAPHS))] if replace else []) + [f"DROP SILENT GRAPH <{g}>" for g in drop]
        quads = iter(insert)
        room = max(size - len(deleted), 0)
        head = list(islice(quads, room + 1))
        if len(head) <= room:
            self.update(" ;\n".join([*ops, change_update((), deleted, head)]))
            return len(head)
        stage = f"{STAGING}{secrets.token_hex(8)}/"
        predicates = f"{stage}p/"
        n = 0
        try:
            self.update(_clear(STAGING))  # what a run that died left behind (one writer at a time)
            for chunk in _chunks(_staged(deleted, f"{stage}delete/", predicates), size):
                self.update("INSERT DATA " + quad_data(chunk))
            for chunk in _chunks(_staged(chain(head, quads), f"{stage}insert/", predicates), size):
                self.update("INSERT DATA " + quad_data(chunk))
                n += len(chunk)
                if progress is not None:
                    progress(n)
            unstage = [_unstage("DELETE", f"{stage}delete/", predicates)] if deleted else []
            unstage.append(_unstage("INSERT", f"{stage}insert/", predicates))
            self.update(" ;\n".join([*ops, *unstage, _clear(stage)]))
        except BaseException:
            with contextlib.suppress(KgError):
                self.update(_clear(stage))
            raise
        return n

    def dump(self, output: IO[bytes] | None, format: ox.RdfFormat, *,  # noqa: A002
             prefixes: dict[str, str] | None = None) -> bytes | None:
        """kg's graphs as a dataset (TriG, N-Quads, JSON-LD)."""
        return ox.serialize(iter(self), output, format, prefixes=prefixes)


def _prologue(prefixes: dict[str, str] | None) -> str:
    """PREFIX declarations on the query's first line, so that a server's error names the query's own line."""
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in (prefixes or {}).items())


def push_quads(server: SparqlServer, quads: Iterable[ox.Quad], *, batch: int = BATCH,
               progress: Callable[[int], None] | None = None) -> int:
    """Replace kg's graphs on the server with ``quads`` (all or nothing), ``batch`` quads per request.

    Returns:
        The number of quads sent.
    """
    return server.write(quads, replace=True, batch=batch, progress=progress)


def build_remote(url: str | SparqlServer, mentions: Iterable[Event], *, articles: Iterable[str] = (),
                 batch: int = BATCH, progress: Callable[[int], None] | None = None) -> list[Event]:
    """``build_store`` into a SPARQL server: the same dataset, replacing kg's graphs there.

    Args:
        url: the dataset's URL (``http://host:7878``, ``http://host:3030/ds``) or a server.
        mentions: resolved, unmerged mention events, in input order.
        articles: ids of every article read.
        batch: quads per request.
        progress: Called with the number of quads sent so far, now and then.

    Returns:
        The merged meetings, as written.
    """
    from kg.rdf.store import build_store

    server = url if isinstance(url, SparqlServer) else SparqlServer(url)
    server.check()
    with tempfile.TemporaryDirectory(prefix="kg-remote-") as d:
        path = Path(d) / "store"
        events = build_store(path, mentions, articles=articles)
        store = ox.Store.read_only(str(path))
        try:
            push_quads(server, store.quads_for_pattern(None, None, None, None), batch=batch, progress=progress)
        finally:
            del store
    return events


__all__ = ["BATCH", "STAGING", "SparqlServer", "build_remote", "is_remote", "push_quads"]
