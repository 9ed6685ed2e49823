"""A read-only SPARQL 1.1 Protocol endpoint over a kg store, served by waitress.

``GET /sparql?query=...`` and ``POST /sparql`` (a form with ``query=``, or an
``application/sparql-query`` body) answer SELECT and ASK in SPARQL JSON, XML, CSV or TSV and
CONSTRUCT / DESCRIBE in Turtle, N-Triples, JSON-LD or RDF/XML, chosen from the ``Accept``
header (or a ``format`` parameter). ``query=`` is SPARQL text or the name of one of kg's
stored queries (``who-met-whom``); it is never read as a path. ``/`` is a small query page and
``/graph.html`` the build's network view, when it sits beside the store.

What a request cannot do:

- change the store: updates get 403 and the store is opened read-only;
- call another endpoint: ``SERVICE`` gets 400 unless its endpoint is in ``allow_service``;
- crash or stall the server: the text is checked before any parsing (at most
  :data:`~kg.rdf.query.MAX_QUERY_CHARS` characters, brackets at most
  :data:`~kg.rdf.query.MAX_QUERY_DEPTH` deep), then the query runs in a worker process
  (:class:`kg.query_worker.QueryPool`) that is killed when it passes ``timeout`` (503) and
  whose memory is capped (503); a result larger than ``max_bytes`` gets 400;
- hold the server with its connection: waitress reads requests without a thread per
  connection, closes a connection idle for ``idle_timeout`` seconds (while sending its
  headers, its body or between requests), keeps at most ``connections`` open, and answers a
  bad ``Content-Length`` with 400; URLs, headers and bodies past the limits below get 414,
  431 and 413;
- be read by another web page's script, unless its origin is listed in ``cors``.

Why waitress: it is a maintained, pure-Python WSGI server with no dependencies of its own
that parses HTTP strictly and has these limits built in (request header and body size,
idle-connection timeout, connection cap), and it buffers each request whole before a
thread sees it, so slow clients cost no threads. The standard library's ``http.server``
has none of that and is documented as not for production use.
"""

from __future__ import annotations

import html
import io
import logging
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
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
#: The largest request body (413 past it).
MAX_REQUEST_BYTES = 1_000_000
#: The longest path and query string (414 past it).
MAX_URL_BYTES = 65_536
#: The most header bytes, and header lines, of one request (431 past them).
MAX_HEADER_BYTES = 65_536
MAX_HEADER_LINES = 100
#: The most ``name=value`` fields in a query string or a form (400 past it).
MAX_FIELDS = 20
_NAME_RE = re.compile(r"^[A-Za-z0-9_-]+(\.rq)?$")
_STATUS = {200: "200 OK", 204: "204 No Content", 400: "400 Bad Request", 403: "403 Forbidden",
           404: "404 Not Found", 405: "405 Method Not Allowed", 406: "406 Not Acceptable",
           413: "413 Content Too Large", 414: "414 URI Too Long", 415: "415 Unsupported Media Type",
           431: "431 Request Header Fields Too Large", 500: "500 Internal Server Error",
           503: "503 Service Unavailable"}


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


def evaluate(store: Any, text: str, accept: str, fmt: str | None, *, max_bytes: int,
             timeout: float) -> tuple[int, str, bytes]:
    """Run one query over a :class:`kg.rdf.store.KgStore` and serialise its result under the
    limits: ``(status, content type, body)``. Runs in a worker process of :class:`QueryPool`.

    ``text`` is SPARQL (never a name or a path). A result that passes ``max_bytes`` stops
    being produced at once (400); one still being written at ``timeout`` stops too (503).
    """
    from kg.rdf.store import is_graph_result, serialize_result

    deadline = time.monotonic() + timeout
    try:
        result = store.query(text, files=False)
    except KgError as err:
        return 400, "text/plain", f"{err}\n".encode()
    graph = is_graph_result(result)
    offered, default = (GRAPH_TYPES, "ttl") if graph else (RESULT_TYPES, "json")
    name = fmt if fmt in offered else _negotiate(accept, offered, default)
    if name is None:
        return 406, "text/plain", f"cannot answer in {accept}; offered: {', '.join(offered.values())}\n".encode()
    out = _Bounded(max_bytes, deadline)
    failure = ""
    try:
        serialize_result(result, out, name)
    except (OSError, ResultTooLarge, QueryTimeout) as err:
        failure = str(err).splitlines()[0] if str(err) else type(err).__name__
    if failure:
        if out.timed_out:
            return 503, "text/plain", f"the query ran longer than {timeout:g} s\n".encode()
        if out.too_large:
            return 400, "text/plain", f"the result is larger than {max_bytes:,} bytes; add a LIMIT\n".encode()
        return 500, "text/plain", f"{failure}\n".encode()
    ctype = offered[name]
    return 200, f"{ctype}; charset=utf-8" if ctype.startswith("text/") or "json" in ctype else ctype, bytes(out.buf)


Response = tuple[int, str, bytes]
_UPDATE_REFUSED: Response = (403, "text/plain", b"this endpoint is read-only: SPARQL Update is not accepted\n")
_NOT_FOUND: Response = (404, "text/plain", b"not found; the endpoint is /sparql\n")


class SparqlApp:
    """The WSGI application: routes, request limits and CORS; queries go to a :class:`QueryPool`."""

    def __init__(self, pool: Any, *, graph_html: Path | None, allow_service: Iterable[str] = (),
                 cors: Iterable[str] = ()) -> None:
        self.pool = pool
        self.graph_html = graph_html
        self.allow_service = tuple(allow_service)
        self.cors = tuple(cors)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            status, ctype, body = self._respond(environ, method)
        except Exception:  # a bug in kg: logged with its traceback, the client gets one line
            log.exception("error answering %s %s", method, environ.get("PATH_INFO", ""))
            status, ctype, body = 500, "text/plain", b"internal error in kg serve; see its log\n"
        headers = [("Content-Type", ctype), ("Content-Length", str(len(body)))]
        headers += self._cors_headers(environ, preflight=method == "OPTIONS")
        if status == 405:
            headers.append(("Allow", "GET, HEAD, POST, OPTIONS"))
        log.info("%s %s %s %d", environ.get("REMOTE_ADDR", "-"), method, environ.get("PATH_INFO", ""), status)
        start_response(_STATUS.get(status, f"{status} Error"), headers)
        return iter([b"" if method == "HEAD" else body])

    def _cors_headers(self, environ: dict[str, Any], *, preflight: bool) -> list[tuple[str, str]]:
        origin = environ.get("HTTP_ORIGIN", "")
        if not self.cors:
            return []
        allowed = "*" if "*" in self.cors else origin if origin in self.cors else None
        headers = [("Vary", "Origin")]
        if allowed is None:
            return headers
        headers.append(("Access-Control-Allow-Origin", allowed))
        if preflight:
            headers += [("Access-Control-Allow-Methods", "GET, POST"),
                        ("Access-Control-Allow-Headers", "Accept, Content-Type"),
                        ("Access-Control-Max-Age", "600")]
        return headers

    def _respond(self, environ: dict[str, Any], method: str) -> Response:
        path, qs = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
        if len(path) + len(qs) > MAX_URL_BYTES:
            return 414, "text/plain", f"the URL is longer than {MAX_URL_BYTES:,} bytes; POST the query\n".encode()
        fields = [(k, v) for k, v in environ.items() if k.startswith("HTTP_") or k in ("CONTENT_TYPE", "CONTENT_LENGTH")]
        if len(fields) > MAX_HEADER_LINES or sum(len(k) + len(str(v)) + 4 for k, v in fields) > MAX_HEADER_BYTES:
            return 431, "text/plain", b"the request headers are too large\n"
        if method == "OPTIONS":
            return 204, "text/plain", b""
        if method not in ("GET", "HEAD", "POST"):
            return 405, "text/plain", b"use GET or POST\n"
        try:
            params = urllib.parse.parse_qs(qs, keep_blank_values=True, max_num_fields=MAX_FIELDS)
        except ValueError:
            return 400, "text/plain", f"more than {MAX_FIELDS} fields in the URL\n".encode()
        if method == "POST":
            return self._post(environ, path, params)
        if path == "/sparql":
            if "query" not in params and "update" not in params:
                return 200, "text/html; charset=utf-8", self._page()
            return self._answer(params, environ)
        if path in ("/", "/index.html"):
            return 200, "text/html; charset=utf-8", self._page()
        if path == "/graph.html" and self.graph_html is not None and self.graph_html.is_file():
            return 200, "text/html; charset=utf-8", self.graph_html.read_bytes()
        return _NOT_FOUND

    def _post(self, environ: dict[str, Any], path: str, params: dict[str, list[str]]) -> Response:
        if path != "/sparql":
            return _NOT_FOUND
        length = int(environ.get("CONTENT_LENGTH") or 0)  # waitress has checked it: digits only
        if length > MAX_REQUEST_BYTES:
            return 413, "text/plain", b"request too large\n"
        body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
        ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return _UPDATE_REFUSED
        if ctype == "application/sparql-query":
            return self._answer(params, environ, body)
        if ctype in ("application/x-www-form-urlencoded", ""):
            try:
                form = urllib.parse.parse_qs(body, keep_blank_values=True, max_num_fields=MAX_FIELDS)
            except ValueError:
                return 400, "text/plain", f"more than {MAX_FIELDS} fields in the form\n".encode()
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
            return self._answer(params, environ)
        return 415, "text/plain", b"expected application/sparql-query or a form (query=...)\n"

    def _answer(self, params: dict[str, list[str]], environ: dict[str, Any], query: str | None = None) -> Response:
        from kg.rdf.query import check_query, query_text

        if "update" in params:
            return _UPDATE_REFUSED
        queries = [query] if query is not None else params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return 400, "text/plain", b"give exactly one query (query=...)\n"
        text = queries[0]
        try:
            if _NAME_RE.match(text.strip()):  # one of kg's named queries; never a path
                text = query_text(text.strip())
            check_query(text, allow_service=self.allow_service)
        except KgError as err:
            return 400, "text/plain", f"{err}\n".encode()
        fmt = (params.get("format") or [None])[0]
        reply: Response = self.pool.run(text, environ.get("HTTP_ACCEPT", ""), fmt)
        return reply

    def _page(self) -> bytes:
        from kg.rdf.query import available_queries

        names = ", ".join(html.escape(n) for n in available_queries())
        link = '<a href="graph.html">The who-met-whom network.</a>' if self.graph_html else ""
        return PAGE.replace("__NAMES__", names).replace("__GRAPH__", link).encode("utf-8")


class SparqlServer:
    """A bound endpoint: the waitress server, the WSGI app and the query workers.

    ``serve_forever()`` runs it until ``shutdown()`` (from another thread) or Ctrl-C;
    ``server_close()`` then kills the workers. ``server_address`` is ``(host, port)``.
    """

    def __init__(self, app: SparqlApp, *, host: str, port: int, threads: int, connections: int,
                 idle_timeout: float) -> None:
        from waitress.server import create_server

        self.app = app
        self.pool = app.pool
        idle = max(1, round(idle_timeout))
        self._server = create_server(
            app, host=host, port=port, threads=threads, connection_limit=connections,
            channel_timeout=idle, cleanup_interval=max(1, min(idle, 30) // 2),
            max_request_header_size=MAX_URL_BYTES + MAX_HEADER_BYTES + 1024,
            max_request_body_size=MAX_REQUEST_BYTES, expose_tracebacks=False, ident="kg-sparql",
            clear_untrusted_proxy_headers=True)
        self.server_address: tuple[str, int] = (str(self._server.effective_host), int(self._server.effective_port))
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown`."""
        try:
            self._server.run()
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (from another thread) and close every connection."""
        from waitress import wasyncore

        self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._server._map))
        self._stopped.wait(10)

    def server_close(self) -> None:
        """Release the port and kill the query workers."""
        from waitress import wasyncore

        if self._server._map:
            wasyncore.close_all(self._server._map)
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        self.pool.close()


def make_server(store_path: str | Path, *, host: str = "127.0.0.1", port: int = 8000, timeout: float = 30.0,
                max_bytes: int = 50_000_000, workers: int = 2, memory_mb: int = 2048, connections: int = 100,
                idle_timeout: float = 10.0, allow_service: Iterable[str] = (),
                cors: Iterable[str] = ()) -> SparqlServer:
    """A bound, not yet running, read-only SPARQL server over a store (call ``serve_forever``).

    Args:
        store_path: The store directory (``kg build``'s DIR/store); ``graph.html`` is served
            when it sits beside it.
        host: The address to listen on (127.0.0.1: this machine only).
        port: The port; 0 picks a free one (see ``server.server_address``).
        timeout: Seconds a query may take; then its worker process is killed and the client
            gets 503.
        max_bytes: The largest result sent; larger ones get 400.
        workers: Query worker processes, hence queries run at once.
        memory_mb: Memory one query may add to its worker process (503 past it).
        connections: Connections open at once; more wait to be accepted.
        idle_timeout: Seconds a connection may send nothing before it is closed.
        allow_service: Endpoint IRIs that ``SERVICE`` may call (none by default).
        cors: Origins whose web pages may read the results (``*``: any); none by default.

    Raises:
        KgError: The store cannot be opened.
        OSError: The address is in use.
    """
    from kg.query_worker import QueryPool

    path = Path(store_path)
    if not path.is_dir():
        raise KgError(f"{path}: no store here; build one with `kg build ... --out DIR`")
    graph_html = path.parent / "graph.html"
    pool = QueryPool(path, workers=workers, timeout=timeout, memory_mb=memory_mb, max_bytes=max_bytes)
    try:
        app = SparqlApp(pool, graph_html=graph_html if graph_html.is_file() else None,
                        allow_service=allow_service, cors=cors)
        return SparqlServer(app, host=host, port=port, threads=workers + 4, connections=connections,
                            idle_timeout=idle_timeout)
    except BaseException:
        pool.close()
        raise


__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "SparqlApp", "SparqlServer", "evaluate", "make_server"]
