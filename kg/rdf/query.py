"""Run SPARQL over a kg graph, with values passed as bindings, never pasted into the text.

Named queries are the files of ``kg/rdf/queries/`` (``who-met-whom``, ``actor-meetings``,
``place-meetings``, ``pair-timeline``, ``top-actors``, ``single-source``).

>>> from kg.model import Actor, Event, Mention
>>> from kg.rdf.build import to_rdf
>>> g = to_rdf([Event((Actor("A B"), Actor("C D")), None, None,
...                   evidence=(Mention("a1", 0, 5, "A met C."),))])
>>> [(r["a_name"], r["b_name"], r["meetings"]) for r in run_query(g, "who-met-whom")]
[('A B', 'C D', 1)]
>>> [r["others"] for r in run_query(g, "actor-meetings", {"actor_name": "A B"})]
['C D']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

from kg.errors import QueryError
from kg.rdf.namespaces import PREFIXES, new_graph

#: The folder of named queries, one ``<name>.rq`` file each.
QUERIES = Path(__file__).resolve().parent / "queries"

_NAME_RE = re.compile(r"^[A-Za-z0-9_-]+(\.rq)?$")
_STACK_LOCK = __import__("threading").Lock()
_CURIE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+._-]*)?:(\S*)$")

Bindable = Node | str | int | float | bool | Decimal | dt.date | dt.datetime
R = TypeVar("R")

#: The longest query text accepted, in characters (checked before parsing).
MAX_QUERY_CHARS = 100_000
#: The deepest nesting of ``{``, ``(`` and ``[`` accepted (checked before parsing).
MAX_QUERY_DEPTH = 100
#: The stack of the thread a query runs on (:func:`on_deep_stack`): the parsers and evaluators
#: recurse once per nested or chained element, and 8 MB (a main thread) overflows at about
#: 2,500 nested ``{`` or 3,000 ``BIND`` clauses; 512 MB holds every query of ``MAX_QUERY_CHARS``.
QUERY_STACK_BYTES = 512 * 1024 * 1024

# The lexical parts of SPARQL that may hold any text: comments, strings and IRIs (SPARQL 1.1
# grammar, section 19.8); what is left is code, where keywords and brackets are read.
_SQ3, _DQ3 = "'" * 3, '"' * 3
_LEX = re.compile("|".join([
    r"(?P<comment>#[^\n\r]*)",
    "(?P<string>"
    + _SQ3 + r"(?:(?:'|'')?(?:[^'\\]|\\.))*" + _SQ3 + "|"
    + _DQ3 + r'(?:(?:"|"")?(?:[^"\\]|\\.))*' + _DQ3 + "|"
    + r"""'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")""",
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)""",
    r"""(?P<name>[?$]?[^\s{}()\[\],;'"<>=!&|+*/^#?$]+)""",
    r"(?P<open>[{(\[])",
    r"(?P<close>[})\]])",
    r"(?P<other>[\s\S])",
]))


def check_query(text: str, *, allow_service: Iterable[str] | None = None) -> None:
    """Refuse, before any parsing, a query too long or too deeply nested to parse safely, and
    (when ``allow_service`` is given) one whose ``SERVICE`` calls an endpoint not listed.

    pyoxigraph parses and evaluates by recursion: 5,000 nested ``(`` or ``{`` overflow its
    stack and kill the process, so the limits are checked on the text first. Strings, IRIs
    and comments are skipped, so a ``{`` or the word ``service`` inside them counts for
    nothing; a ``\\u`` escape outside them is refused (it could spell a keyword).

    Args:
        text: The SPARQL text.
        allow_service: ``None``: no check of ``SERVICE``. Otherwise the endpoint IRIs that
            ``SERVICE <IRI>`` may call (empty: ``SERVICE`` is refused).

    Raises:
        QueryError: One line saying which limit the query passed and what to do.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }", allow_service=())
    >>> check_query("ASK { FILTER(" + "(" * 500 + "1" + ")" * 500 + ") }")
    Traceback (most recent call last):
    kg.errors.QueryError: the query nests brackets 502 deep; at most 100 are accepted: flatten it
    >>> check_query("SELECT * { SERVICE <http://127.0.0.1/admin> { ?s ?p ?o } }", allow_service=())
    Traceback (most recent call last):
    kg.errors.QueryError: SERVICE <http://127.0.0.1/admin> is refused: this endpoint calls no other endpoint unless it is started with --allow-service URL
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query has {len(text):,} characters; at most {MAX_QUERY_CHARS:,} are accepted: "
                         "split it into smaller queries")
    allowed = None if allow_service is None else set(allow_service)
    depth = deepest = 0
    after_service = False
    for m in _LEX.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif kind == "close":
            depth -= 1
        elif kind == "name" and "\\" in m.group() and re.search(r"\\[uU]", m.group()):
            raise QueryError("the query has a \\u escape outside a string or an IRI; write the character itself")
        if allowed is None or kind == "comment" or kind == "other" and m.group().isspace():
            continue
        if after_service:
            if kind == "name" and m.group().upper() == "SILENT":
                continue
            endpoint = m.group()[1:-1] if kind == "iri" else None
            if endpoint is None or endpoint not in allowed:
                what = m.group() if kind == "iri" else "an endpoint not written as a full <IRI>"
                hint = ("the endpoints allowed are " + ", ".join(sorted(allowed))) if allowed else \
                    "this endpoint calls no other endpoint unless it is started with --allow-service URL"
                raise QueryError(f"SERVICE {what} is refused: {hint}")
            after_service = False
        elif kind == "name" and m.group().upper() == "SERVICE":
            after_service = True
    if deepest > MAX_QUERY_DEPTH:
        raise QueryError(f"the query nests brackets {deepest} deep; at most {MAX_QUERY_DEPTH} are accepted: flatten it")
    if after_service:
        raise QueryError("SERVICE without an endpoint is refused")


def on_deep_stack(fn: Callable[..., R], *args: Any) -> R:
    """``fn(*args)`` on a thread with a :data:`QUERY_STACK_BYTES` stack (reserved, not used,
    unless a query recurses that deep), so that a long query cannot overflow the stack.

    Returns:
        What ``fn`` returns; what it raises is raised here.

    >>> on_deep_stack(sum, [1, 2])
    3
    """
    import threading

    out: list[Any] = []

    def run() -> None:
        try:
            out.append((True, fn(*args)))
        except BaseException as err:  # noqa: BLE001 - handed to the caller's thread
            out.append((False, err))

    with _STACK_LOCK:  # threading.stack_size is process-wide: set it only around this start
        old = threading.stack_size(QUERY_STACK_BYTES)
        try:
            thread = threading.Thread(target=run, name="kg-query", daemon=True)
            thread.start()
        finally:
            threading.stack_size(old)
    thread.join()
    ok, value = out[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def available_queries() -> list[str]:
    """The names of the stored queries.

    Returns:
        Sorted names, without ``.rq``.

    >>> available_queries()
    ['actor-meetings', 'pair-timeline', 'place-meetings', 'single-source', 'top-actors', 'who-met-whom']
    """
    return sorted(p.stem for p in QUERIES.glob("*.rq"))


def query_text(name: str) -> str:
    """The SPARQL text of a stored query.

    Args:
        name: The query's name, with or without ``.rq``.

    Returns:
        The file's text.

    Raises:
        QueryError: No query has that name (the message lists those that exist).
    """
    stem = name[:-3] if name.endswith(".rq") else name
    names = available_queries()
    if not _NAME_RE.match(name) or stem not in names:  # a name is looked up, never taken as a path
        shown = name if len(name) <= 60 else name[:57] + "..."
        raise QueryError(f"no stored query named {shown!r}; available: {', '.join(names)}")
    return (QUERIES / f"{stem}.rq").read_text(encoding="utf-8")


def iri(text: str) -> URIRef:
    """An IRI to bind: a CURIE with one of kg's prefixes, ``<...>`` or an absolute IRI.

    Args:
        text: ``"person:sergei-lavrov"``, ``"kg:Occurred"``, ``"<https://...>"`` or
            ``"https://w3id.org/kg/id/person/sergei-lavrov"``.

    Returns:
        The IRI.

    Raises:
        QueryError: Neither a CURIE with a known prefix nor an absolute IRI.

    >>> iri("kg:Occurred")
    rdflib.term.URIRef('https://w3id.org/kg/ontology#Occurred')
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    m = _CURIE_RE.match(text)
    if m is None:
        raise QueryError(
            f"not an IRI or a CURIE: {text!r}; use a prefix such as {', '.join(sorted(PREFIXES)[:4])}..."
        )
    prefix, local = m.group(1) or "", m.group(2)
    if prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    return URIRef(text)


@lru_cache(maxsize=64)
def _prepare(text: str) -> Query:
    try:
        return prepareQuery(text, initNs=PREFIXES)
    except Exception as err:  # pyparsing raises several types; all mean a bad query
        raise QueryError(f"cannot parse the query: {err}") from err


def _term(value: Bindable) -> Identifier:
    if isinstance(value, Identifier):
        return value
    if isinstance(value, Node):  # pragma: no cover - every rdflib term is an Identifier
        raise QueryError(f"cannot bind {value!r}")
    return Literal(value)


def _plain(value: Node | None) -> Any:
    if value is None:
        return None
    if isinstance(value, URIRef):
        return str(value)
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, Literal):
        py = value.toPython()
        return str(value) if isinstance(py, Literal) else py
    return str(value)


def run_query(
    graph: Graph, query_text_or_name: str, bindings: Mapping[str, Bindable] | None = None
) -> list[dict[str, Any]]:
    """Run a stored or literal SPARQL query, binding variables through ``initBindings``.

    The values never become part of the query text, so a name such as ``O'Brien" }`` is
    just a value. A Python ``str`` binds as a plain literal; use :func:`iri` for an IRI.

    Args:
        graph: The graph to query (for example from :func:`kg.rdf.build.to_rdf`).
        query_text_or_name: A stored query's name (``"who-met-whom"``) or SPARQL text.
            kg's prefixes (``kg:``, ``sem:``, ``schema:``...) are predeclared.
        bindings: Variable name (without ``?``) to value: an rdflib term, or a ``str``,
            ``int``, ``float``, ``bool``, ``Decimal``, ``date`` or ``datetime`` literal.

    Returns:
        For SELECT, one dict per row, keyed by variable name in projection order, with
        plain Python values: IRIs as ``str``, literals as their Python value (numbers,
        dates, strings; a literal of a datatype rdflib cannot convert, such as
        ``xsd:gYearMonth``, as its lexical ``str``), unbound as ``None``. For ASK,
        ``[{"result": bool}]``. For CONSTRUCT and DESCRIBE, one dict per triple with keys
        ``subject``, ``predicate``, ``object``.

    Raises:
        QueryError: Unknown query name, a query that does not parse or fails to run, or a
            binding for a variable the query does not have.
    """
    is_name = bool(_NAME_RE.match(query_text_or_name.strip()))
    text = query_text(query_text_or_name.strip()) if is_name else query_text_or_name
    label = query_text_or_name if is_name else "the query"
    check_query(text)
    prepared = _prepare(text)

    init: dict[str, Identifier] = {}
    for var, value in (bindings or {}).items():
        name = var.lstrip("?$")
        if not re.search(rf"[?$]{re.escape(name)}(?![A-Za-z0-9_])", text):
            raise QueryError(f"{label} has no variable ?{name} to bind")
        init[name] = _term(value)

    try:
        result = graph.query(prepared, initBindings=init)
    except Exception as err:
        raise QueryError(f"{label} failed: {err}") from err

    if result.type == "ASK":
        return [{"result": bool(result.askAnswer)}]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = result.graph if result.graph is not None else new_graph()
        return [{"subject": _plain(s), "predicate": _plain(p), "object": _plain(o)} for s, p, o in g]
    names = [str(v) for v in (result.vars or [])]
    return [{n: _plain(row[i]) for i, n in enumerate(names)} for row in result]  # type: ignore[index]


__all__ = ["MAX_QUERY_CHARS", "MAX_QUERY_DEPTH", "QUERIES", "available_queries", "check_query", "iri",
           "on_deep_stack", "query_text", "run_query"]
