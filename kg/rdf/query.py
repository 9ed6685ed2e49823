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
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

from kg.errors import QueryError
from kg.rdf.namespaces import PREFIXES, new_graph

#: The folder of named queries, one ``<name>.rq`` file each.
QUERIES = Path(__file__).resolve().parent / "queries"

_NAME_RE = re.compile(r"^[A-Za-z0-9_-]+(\.rq)?$")
_CURIE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+._-]*)?:(\S*)$")

Bindable = Node | str | int | float | bool | Decimal | dt.date | dt.datetime


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
    path = QUERIES / f"{stem}.rq"
    if not _NAME_RE.match(name) or not path.is_file():
        raise QueryError(f"no stored query named {name!r}; available: {', '.join(available_queries())}")
    return path.read_text(encoding="utf-8")


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


__all__ = ["QUERIES", "available_queries", "iri", "query_text", "run_query"]
