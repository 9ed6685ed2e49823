"""A read-only SPARQL 1.1 Protocol endpoint over a kg store, on the standard library's HTTP server.

``GET /sparql?query=...`` and ``POST /sparql`` (a form with ``query=``, or an
``application/sparql-query`` body) answer SELECT and ASK in SPARQL JSON, XML, CSV or TSV and
CONSTRUCT / DESCRIBE in Turtle, N-Triples, JSON-LD or RDF/XML, chosen from the ``Accept``
header (or a ``format`` parameter). Updates are refused (the store is opened read-only and
``update=`` gets 403). A query that runs longer than ``timeout`` seconds gets 503 and one
whose result exceeds ``max_bytes`` gets 400; results stream into a bounded buffer, so an
oversized result stops being produced as soon as it passes the limit. ``/`` is a small query
page and ``/graph.html`` the build's network view, when it sits beside the store.

A query that has timed out keeps its worker thread until pyoxigraph returns (pyoxigraph
cannot cancel a running query); at most ``workers`` queries run at once and the rest wait.
"""

from __future__ import annotations

import concurrent.futures
import html
import io
import logging
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.errors import KgError

log = logging.getLogger(__name__)

#: Media types for SELECT and ASK results, by kg's short format name.
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Media types for CONSTRUCT and DESCRIBE results.
GRAPH_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml",
}
_ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/plain": "nt",
}
MAX_REQUEST_BYTES = 1_000_000


class ResultTooLarge(Exception):
    """The result passed the server's size limit."""


class QueryTimeout(Exception):
    """The query passed the server's time limit while its result was being written."""


class _Bounded(io.RawIOBase):
    """A write-only buffer that refuses to grow past ``limit`` bytes or ``deadline``."""

    def __init__(self, limit: int, deadline: float) -> None:
        self.buf = bytearray()
        self.limit = limit
        self.deadline = deadline
        self.too_large = False
        self.timed_out = False

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        if len(self.buf) + len(b) > self.limit:
            self.too_large = True
            raise ResultTooLarge(f"the result is larger than {self.limit:,} bytes; add a LIMIT")
        if time.monotonic() > self.deadline:
            self.timed_out = True
            raise QueryTimeout("the query ran out of time")
        self.buf += b
        return len(b)


def _negotiate(accept: str, offered: dict[str, str], default: str) -> str | None:
    """The short name of the best offered format for an ``Accept`` header (None: nothing fits)."""
    if not accept.strip():
        return default
    by_type = {v: k for k, v in offered.items()}
    best: tuple[float, int, str] | None = None
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mtype, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        name = by_type.get(mtype) or (_ALIASES.get(mtype) if _ALIASES.get(mtype) in offered else None)
        if mtype in ("*/*", "application/*", "text/*") and name is None:
            name = default
        if name and q > 0 and (best is None or (q, -i) > (best[0], best[1])):
            best = (q, -i, name)
    return best[2] if best else None


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL</title>
<style>body{font:14px sans-serif;margin:2em}textarea{width:100%;height:12em;font:13px monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}</style>
</head><body>
<h1>kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 at <code>/sparql</code>. kg's prefixes (kg:, sem:, schema:, prov:, rdfs: ...)
are predeclared. Named queries: __NAMES__. __GRAPH__</p>
<form id="f"><textarea id="q" name="query">SELECT ?a_name ?b_name ?meetings WHERE {
  { SELECT ?a ?b (COUNT(DISTINCT ?m) AS ?meetings) WHERE {
      ?m a kg:Meeting ; sem:hasActor ?a , ?b . FILTER (STR(?a) &lt; STR(?b)) } GROUP BY ?a ?b }
  ?a rdfs:label ?a_name . ?b rdfs:label ?b_name .
} ORDER BY DESC(?meetings) LIMIT 50</textarea><br><button>Run</button></form>
<div id="out"></div>
<script>
document.getElementById("f").onsubmit = async (ev) => {
  ev.preventDefault();
  const out = document.getElementById("out");
  out.textContent = "running...";
  const r = await fetch("sparql", {method: "POST", headers: {"Accept": "application/sparql-results+json"},
    body: new URLSearchParams({query: document.getElementById("q").value})});
  if (!r.ok) { out.textContent = r.status + " " + await r.text(); return; }
  const ct = r.headers.get("Content-Type") || "";
  if (!ct.includes("json")) { const pre = document.createElement("pre"); pre.textContent = await r.text();
    out.replaceChildren(pre); return; }
  const data = await r.json();
  if ("boolean" in data) { out.textContent = String(data.boolean); return; }
  const t = document.createElement("table"), head = t.insertRow();
  for (const v of data.head.vars) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
  for (const b of data.results.bindings) { const row = t.insertRow();
    for (const v of data.head.vars) row.insertCell().textContent = b[v] ? b[v].value : ""; }
  out.replaceChildren(t);
};
</script></body></html>
"""


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: holds the read-only store, the limits and the worker pool."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: Any, *, timeout: float, max_bytes: int,
                 graph_html: Path | None, workers: int = 2) -> None:
        super().__init__(address, _Handler)
        self.store = store
        self.query_timeout = timeout
        self.max_bytes = max_bytes
        self.graph_html = graph_html
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-sparql")

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def run_query(self, text: str, accept: str, fmt: str | None) -> tuple[int, str, bytes]:
        """Run one query under the limits: ``(status, content type, body)``."""
        deadline = time.monotonic() + self.query_timeout
        future = self.pool.submit(self._evaluate, text, accept, fmt, deadline)
        try:
            return future.result(timeout=self.query_timeout)
        except concurrent.futures.TimeoutError:
            return 503, "text/plain", f"the query ran longer than {self.query_timeout:g} s\n".encode()

    def _evaluate(self, text: str, accept: str, fmt: str | None, deadline: float) -> tuple[int, str, bytes]:
        try:
            result = self.store.query(text)
        except KgError as err:
            return 400, "text/plain", f"{err}\n".encode()
        try:
            return self._write(result, accept, fmt, deadline)
        finally:
            del result  # pyoxigraph results must be dropped on the thread that made them

    def _write(self, result: Any, accept: str, fmt: str | None, deadline: float) -> tuple[int, str, bytes]:
        from kg.rdf.store import is_graph_result, serialize_result

        graph = is_graph_result(result)
        offered, default = (GRAPH_TYPES, "ttl") if graph else (RESULT_TYPES, "json")
        name = fmt if fmt in offered else _negotiate(accept, offered, default)
        if name is None:
            return 406, "text/plain", f"cannot answer in {accept}; offered: {', '.join(offered.values())}\n".encode()
        out = _Bounded(self.max_bytes, deadline)
        failure = ""
        try:
            serialize_result(result, out, name)
        except (OSError, ResultTooLarge, QueryTimeout) as err:
            failure = str(err).splitlines()[0] if str(err) else type(err).__name__
        if failure:
            if out.timed_out:
                return 503, "text/plain", f"the query ran longer than {self.query_timeout:g} s\n".encode()
            if out.too_large:
                return 400, "text/plain", f"the result is larger than {self.max_bytes:,} bytes; add a LIMIT\n".encode()
            return 500, "text/plain", f"{failure}\n".encode()
        ctype = offered[name]
        return 200, f"{ctype}; charset=utf-8" if ctype.startswith("text/") or "json" in ctype else ctype, bytes(out.buf)


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-sparql"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _answer(self, params: dict[str, list[str]], query: str | None = None) -> None:
        if "update" in params:
            self._send(403, "text/plain", b"this endpoint is read-only: SPARQL Update is not accepted\n")
            return
        queries = [query] if query is not None else params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._send(400, "text/plain", b"give exactly one query (query=...)\n")
            return
        fmt = (params.get("format") or [None])[0]
        status, ctype, body = self.server.run_query(queries[0], self.headers.get("Accept", ""), fmt)
        self._send(status, ctype, body)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/sparql":
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if "query" not in params and "update" not in params:
                self._send(200, "text/html; charset=utf-8", self._page())
                return
            self._answer(params)
        elif url.path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", self._page())
        elif url.path == "/graph.html" and self.server.graph_html is not None and self.server.graph_html.is_file():
            self._send(200, "text/html; charset=utf-8", self.server.graph_html.read_bytes())
        else:
            self._send(404, "text/plain", b"not found; the endpoint is /sparql\n")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._send(404, "text/plain", b"not found; the endpoint is /sparql\n")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self._send(413, "text/plain", b"request too large\n")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._send(403, "text/plain", b"this endpoint is read-only: SPARQL Update is not accepted\n")
        elif ctype == "application/sparql-query":
            self._answer(params, body)
        elif ctype in ("application/x-www-form-urlencoded", ""):
            params.update(urllib.parse.parse_qs(body, keep_blank_values=True))
            self._answer(params)
        else:
            self._send(415, "text/plain", b"expected application/sparql-query or a form (query=...)\n")

    def _page(self) -> bytes:
        from kg.rdf.query import available_queries

        names = ", ".join(html.escape(n) for n in available_queries())
        link = '<a href="graph.html">The who-met-whom network.</a>' if self.server.graph_html else ""
        return PAGE.replace("__NAMES__", names).replace("__GRAPH__", link).encode("utf-8")


def make_server(store_path: str | Path, *, host: str = "127.0.0.1", port: int = 8000, timeout: float = 30.0,
                max_bytes: int = 50_000_000, workers: int = 2) -> SparqlServer:
    """A bound, not yet running, read-only SPARQL server over a store (call ``serve_forever``).

    Args:
        store_path: The store directory (``kg build``'s DIR/store); ``graph.html`` is served
            when it sits beside it.
        host: The address to listen on (127.0.0.1: this machine only).
        port: The port; 0 picks a free one (see ``server.server_address``).
        timeout: Seconds a query may take before the client gets 503.
        max_bytes: The largest result sent; larger ones get 400.
        workers: Queries run at once.

    Raises:
        KgError: The store cannot be opened.
        OSError: The address is in use.
    """
    from kg.rdf.store import KgStore

    path = Path(store_path)
    store = KgStore(path, read_only=True)
    graph_html = path.parent / "graph.html"
    return SparqlServer((host, port), store, timeout=timeout, max_bytes=max_bytes,
                        graph_html=graph_html if graph_html.is_file() else None, workers=workers)


__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "SparqlServer", "make_server"]

