"""Run SPARQL over a kg graph, with values passed as bindings, never pasted into the text.

Named queries are the files of ``kg/rdf/queries/`` (``who-met-whom``, ``actor-meetings``,
``place-meetings``, ``pair-timeline``, ``top-actors``, ``single-source``). Each file opens with
what it answers, its parameters and an example (:func:`named_query` reads them; ``kg query
--list`` prints them).

Two levels: :func:`run_query` (and :meth:`kg.rdf.store.KgStore.query`) bind exactly the
terms given; :func:`ask` takes what a person types (``actor_name="lavrov"``, ``place=
"Indonesia"``, ``status="all"``), finds the actor or place as the explorer's search does
(:mod:`kg.names`), applies the defaults (who-met-whom counts occurred meetings), refuses a
missing required parameter, and answers with plain words (``occurred``, ``in-person``)
instead of the ontology's IRIs.

>>> from kg.model import Actor, Event, Mention
>>> from kg.rdf.build import to_rdf
>>> g = to_rdf([Event((Actor("A B"), Actor("C D")), None, None,
...                   evidence=(Mention("a1", 0, 5, "A met C."),))])
>>> [(r["a_name"], r["b_name"], r["meetings"]) for r in run_query(g, "who-met-whom")]
[('A B', 'C D', 1)]
>>> [r["others"] for r in run_query(g, "actor-meetings", {"actor_name": "A B"})]
['C D']
>>> [(r["others"], r["status"]) for r in ask(g, "actor-meetings", {"actor_name": "b"})]
[('C D', 'occurred')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast
from typing import Literal as OneOf

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

from kg.errors import QueryError
from kg.names import did_you_mean
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
        hint = did_you_mean(stem, names) or "; kg query --list describes them"
        raise QueryError(f"no stored query named {shown!r}{hint} (available: {', '.join(names)})")
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


# --------------------------------------------------------------------------- reading SPARQL text

_UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


def tokens(text: str) -> list[tuple[int, str]]:
    """The words, prefixed names and brackets of a query with their offsets, outside comments,
    strings, IRIs and variables (read with :data:`_LEX`); a quote that opens no complete string
    is the token ``'"'``.

    >>> [t for _, t in tokens('PREFIX x: <http://e/> SELECT ?a WHERE { ?a x:p "b{" } # {')]
    ['PREFIX', 'x:', 'SELECT', 'WHERE', '{', 'x:p', '}']
    """
    out: list[tuple[int, str]] = []
    for m in _LEX.finditer(text):
        kind, tok = m.lastgroup, m.group()
        if (kind in ("open", "close") and tok in "{}()") or (kind == "name" and tok[0] not in "?$"):
            out.append((m.start(), tok))
        elif kind == "other" and tok in "\"'":
            out.append((m.start(), '"'))
    return out


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_reads_only(text: str) -> None:
    """Refuse SPARQL Update: ``kg query`` and the query functions only read.

    Raises:
        QueryError: The first keyword after the prologue is INSERT, DELETE, LOAD, CLEAR, DROP...

    >>> check_reads_only("PREFIX x: <http://e/> INSERT DATA { <a:b> <a:c> 1 }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: INSERT changes data, and kg query only reads; use kg add or kg remove to change a store
    """
    toks = tokens(text)
    i = 0
    while i < len(toks) and toks[i][1].upper() in ("PREFIX", "BASE"):
        i += 2 if toks[i][1].upper() == "PREFIX" else 1  # PREFIX p: <iri> / BASE <iri>
    if i < len(toks) and toks[i][1].upper() in _UPDATES:
        raise QueryError(f"{toks[i][1].upper()} changes data, and kg query only reads; "
                         "use kg add or kg remove to change a store")


def unknown_prefixes(text: str) -> list[tuple[str, int, int]]:
    """The prefixes a query uses without declaring them (kg's are declared for it), each with
    the line and column of its first use.

    >>> unknown_prefixes("SELECT ?x WHERE {\\n  ?x foaf:name ?n ; kg:status ?s }")
    [('foaf', 2, 6)]
    """
    toks = tokens(text)
    declared = {t[:-1] for (_, k), (_, t) in zip(toks, toks[1:], strict=False) if k.upper() == "PREFIX" and t.endswith(":")}
    seen: dict[str, tuple[int, int]] = {}
    for i, (at, tok) in enumerate(toks):
        if ":" not in tok or (i and toks[i - 1][1].upper() == "PREFIX"):
            continue
        prefix = tok.split(":", 1)[0]
        if prefix not in PREFIXES and prefix not in declared and prefix not in seen:
            seen[prefix] = _line_col(text, at)
    return [(p, *lc) for p, lc in seen.items()]


def syntax_problem(text: str, *, line: int | None = None, column: int | None = None, detail: str = "") -> str:
    """One line saying where a query does not parse and what to look at.

    Args:
        text: The query.
        line, column: Where the parser stopped (1-based), if it says.
        detail: The parser's own message, for the cases no hint covers.

    >>> syntax_problem("SELECT ?x WHERE { ?x ?y ", line=1, column=25)
    "cannot parse the query at line 1, column 25 (at the end): a '{' is not closed"
    """
    unknown = unknown_prefixes(text)
    if unknown:
        prefix, ln, col = unknown[0]
        return (f"unknown prefix {prefix}: at line {ln}, column {col}; the prefixes kg declares are "
                f"{', '.join(PREFIXES)} (or add PREFIX {prefix}: <...> to the query)")
    where = ""
    if line is not None and column is not None:
        lines = text.split("\n")
        rest = lines[line - 1][column - 1:].strip() if line <= len(lines) else ""
        near = f"near {rest[:24] + ('...' if len(rest) > 24 else '')!r}" if rest else "at the end"
        where = f" at line {line}, column {column} ({near})"
    return f"cannot parse the query{where}: {_hint(text, detail)}"


def _hint(text: str, detail: str) -> str:
    depth = {"{": 0, "(": 0}
    for _, tok in tokens(text):
        if tok == '"':
            return "a quoted string is not closed"
        if tok in "{(" and tok:
            depth[tok] += 1
        elif tok in ("}", ")"):
            opener = "{" if tok == "}" else "("
            depth[opener] -= 1
            if depth[opener] < 0:
                return f"there is a '{tok}' too many"
    for opener, closer in (("{", "}"), ("(", ")")):
        if depth[opener] > 0:
            return f"a '{opener}' is not closed" + (f" ({depth[opener]} '{closer}' missing)" if depth[opener] > 1 else "")
    if "expected" in detail.lower() and "construct" in detail.lower() and "select" not in detail.lower():
        return "a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX lines)"
    return ("check the words there: each pattern is subject, predicate and object (?x kg:status ?s), "
            "patterns end with '.', and variables start with '?'")


_AT_RE = re.compile(r"error at (\d+):(\d+)")


def parse_error(text: str, err: BaseException) -> QueryError:
    """A parser's exception (pyoxigraph's SyntaxError, rdflib's pyparsing errors) as a QueryError
    with :func:`syntax_problem`'s message."""
    line, col = getattr(err, "lineno", None), getattr(err, "col", None)
    msg = str(getattr(err, "msg", None) or err)
    if (m := _AT_RE.search(msg)) is not None:
        line, col = int(m.group(1)), int(m.group(2))
    if not isinstance(line, int) or not isinstance(col, int):
        line = col = None
    return QueryError(syntax_problem(text, line=line, column=col, detail=msg))


@lru_cache(maxsize=64)
def _prepare(text: str) -> Query:
    check_reads_only(text)
    if unknown_prefixes(text):  # rdflib knows foaf:, dc: and others that pyoxigraph does not: the same answer from both
        raise QueryError(syntax_problem(text))
    try:
        return prepareQuery(text, initNs=PREFIXES)
    except Exception as err:  # pyparsing raises several types; all mean a bad query
        raise parse_error(text, err) from err


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


class Rows(list[dict[str, Any]]):
    """Query answers: one dict per row, plus ``columns``, the projected variables in order (known
    even when there is no row).

    >>> Rows([{"a": 1}], ["a"]).columns
    ['a']
    """

    def __init__(self, rows: Any = (), columns: list[str] | None = None) -> None:
        super().__init__(rows)
        self.columns = list(columns) if columns is not None else (list(self[0]) if self else [])


def run_query(
    graph: Graph, query_text_or_name: str, bindings: Mapping[str, Bindable] | None = None
) -> Rows:
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
        :class:`Rows`. For SELECT, one dict per row, keyed by variable name in projection order, with
        plain Python values: IRIs as ``str``, literals as their Python value (numbers,
        dates, strings; a literal of a datatype rdflib cannot convert, such as
        ``xsd:gYearMonth``, as its lexical ``str``), unbound as ``None``. For ASK,
        ``[{"result": bool}]``. For CONSTRUCT and DESCRIBE, one dict per triple with keys
        ``subject``, ``predicate``, ``object``.

    Raises:
        QueryError: Unknown query name, an update (kg only reads here), a query that does not
            parse (the message says where and what to look at) or fails to run, or a binding for
            a variable the query does not have.
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
        return Rows([{"result": bool(result.askAnswer)}], ["result"])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = result.graph if result.graph is not None else new_graph()
        return Rows(({"subject": _plain(s), "predicate": _plain(p), "object": _plain(o)} for s, p, o in g),
                    ["subject", "predicate", "object"])
    names = [str(v) for v in (result.vars or [])]
    return Rows(({n: _plain(row[i]) for i, n in enumerate(names)} for row in result), names)  # type: ignore[index]


# --------------------------------------------------------------------------- named queries for people

ParamKind = OneOf["actor", "place", "status", "mode", "value"]
_SECTIONS = ("Parameters:", "Example:", "Notes:")
_PARAM_RE = re.compile(r"^  (\w+) \(([^)]*)\):\s*(.*)$")
_LIST_RE = re.compile(r'GROUP_CONCAT\([^)]*separator\s*=\s*"; "\s*\)\s*AS\s*\?(\w+)', re.I)


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a named query, as its file's header describes it."""

    name: str
    required: bool
    default: str | None
    help: str

    @property
    def kind(self) -> ParamKind:
        """``actor`` for ``*_name`` (an actor found by name; its IRI binds ``?actor`` for
        ``actor_name``, ``?a`` for ``a_name``), else ``place``, ``status``, ``mode`` or ``value``."""
        if self.name.endswith("_name"):
            return "actor"
        return self.name if self.name in ("place", "status", "mode") else "value"  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A stored query's header: what it answers, its parameters and examples."""

    name: str
    description: str  #: paragraphs separated by a blank line
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    lists: tuple[str, ...]  #: columns that join several values with "; " (sorted by :func:`ask`)


@lru_cache(maxsize=32)
def named_query(name: str) -> NamedQuery:
    """The header of a stored query: the comment lines before the SPARQL.

    Text up to ``Parameters:``, ``Example:`` or ``Notes:`` is the description; under
    ``Parameters:`` each ``  name (required|optional[, default X]): help`` line (continued by
    deeper-indented lines) is a parameter; under ``Example:`` each indented line is a command;
    ``Notes:`` is for whoever edits the query.

    >>> q = named_query("who-met-whom")
    >>> [(p.name, p.required, p.default) for p in q.params]
    [('status', False, 'occurred'), ('mode', False, None)]
    """
    text = query_text(name)
    stem = name[:-3] if name.endswith(".rq") else name
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[2:] if line.startswith("# ") else line[1:])
    section, paragraphs, params, examples = "", [[]], [], []  # type: ignore[var-annotated]
    for line in header:
        if line.strip() in _SECTIONS:
            section = line.strip()
            continue
        if section == "":
            if line.strip():
                paragraphs[-1].append(line.strip())
            elif paragraphs[-1]:
                paragraphs.append([])
        elif section == "Parameters:":
            if (m := _PARAM_RE.match(line)) is not None:
                flags = [f.strip() for f in m.group(2).split(",")]
                default = next((f.split(None, 1)[1] for f in flags if f.startswith("default ")), None)
                params.append([m.group(1), "required" in flags, default, m.group(3).strip()])
            elif line.startswith("    ") and params:
                params[-1][3] += " " + line.strip()
        elif section == "Example:" and line.strip():
            examples.append(line.strip())
    return NamedQuery(
        name=stem,
        description="\n\n".join(" ".join(p) for p in paragraphs if p),
        params=tuple(Param(n, r, d, h) for n, r, d, h in params),
        examples=tuple(examples),
        lists=tuple(_LIST_RE.findall(text)),
    )


def _words() -> dict[str, str]:
    from kg.rdf.build import KIND, MODE, PRECISION, STATUS  # the words of events.jsonl

    return {str(v): k for table in (STATUS, MODE, PRECISION, KIND) for k, v in table.items()}


_WORDS: dict[str, str] = {}


def plain_words(rows: list[dict[str, Any]]) -> Rows:
    """The rows with kg's vocabulary IRIs as the words events.jsonl and the explorer use
    (``kg:Occurred`` as ``occurred``, ``kg:InPerson`` as ``in-person``, ``kg:MonthPrecision``
    as ``month``); every other value as it was.

    >>> plain_words([{"s": "https://w3id.org/kg/ontology#Planned", "n": 2}])
    [{'s': 'planned', 'n': 2}]
    """
    if not _WORDS:
        _WORDS.update(_words())
    out = Rows(({k: _WORDS.get(v, v) if isinstance(v, str) else v for k, v in r.items()} for r in rows),
               getattr(rows, "columns", None))
    return out


Runner = Callable[[str, Mapping[str, Any]], Rows]


def _runner(source: Any) -> Runner:
    if isinstance(source, Graph):
        return lambda q, b: run_query(source, q, b)
    if hasattr(source, "rows"):  # a kg.rdf.store.KgStore (on disk, in memory or on a server)
        return lambda q, b: cast(Rows, source.rows(q, b))
    raise TypeError(f"expected an rdflib Graph or a KgStore, got {type(source).__name__}")


def ask(source: Any, name: str, params: Mapping[str, str] | None = None) -> Rows:
    """Run a named query with the values a person types, and answer in plain words.

    Actors are found by any of their names (:class:`kg.names.NameIndex`, the explorer's search:
    any alias, case or script; the surname alone when one actor has it; an IRI or a CURIE such
    as ``person:sergei-lavrov`` as it is); a place by any of its names, a country by its name
    in any installed language or its ISO code; ``status`` is occurred, planned, cancelled or
    all; ``mode`` in-person or remote. Unset optional parameters take the header's default.

    Args:
        source: An ``rdflib.Graph`` (graph.ttl) or a :class:`kg.rdf.store.KgStore`.
        name: A stored query's name (:func:`available_queries`).
        params: Parameter name to the text given for it.

    Returns:
        :class:`Rows` with vocabulary IRIs as words (:func:`plain_words`), empty values as None
        and the "; "-joined columns sorted, so a store and graph.ttl give the same answer.

    Raises:
        QueryError: An unknown query or parameter, a required parameter missing (the message
            names it), a value not understood.
        kg.errors.NameMatchError: A name that fits no actor or place (with "did you mean"),
            or several.
    """
    spec = named_query(name)
    given = {k.lstrip("?$"): v for k, v in (params or {}).items()}
    known = {p.name: p for p in spec.params}
    for k in given:
        if k not in known:
            takes = f"its parameters: {', '.join(known)}" if known else "it takes none"
            hint = did_you_mean(k, known)
            raise QueryError(f"{spec.name} has no parameter {k!r}{f' ({hint[2:]})' if hint else ''}; {takes}")
    run = _runner(source)
    finder = _Finder(run)
    bindings: dict[str, Any] = {}
    for p in spec.params:
        value = given.get(p.name)
        if value is None or not str(value).strip():
            if p.required:
                raise QueryError(f"{spec.name} needs {p.name}, e.g. {_example_value(spec, p)} "
                                 "(kg query --list describes it)")
            if p.default is None:
                continue
            value = p.default
        bindings.update(finder.bind(p, str(value).strip()))
    rows = run(spec.name, bindings)
    for r in rows:
        for col, value in r.items():
            if value == "":  # a named query's empty value means none (who-met-whom's first and last)
                r[col] = None
            elif col in spec.lists and isinstance(value, str):
                r[col] = "; ".join(sorted(value.split("; ")))
    return plain_words(rows)


def _example_value(spec: NamedQuery, p: Param) -> str:
    for ex in spec.examples:
        if (m := re.search(rf"--param {p.name}=(\S+)", ex)) is not None:
            return f"--param {p.name}={m.group(1)}"
    return f"--param {p.name}=..."


_CHOICES: dict[str, dict[str, str | None]] = {
    "status": {"occurred": "Occurred", "planned": "Planned", "cancelled": "Cancelled", "canceled": "Cancelled",
               "all": None},
    "mode": {"in-person": "InPerson", "inperson": "InPerson", "in person": "InPerson", "remote": "Remote"},
}


class _Finder:
    """Values a person typed turned into the terms a named query binds, looking actors and
    places up in the source once."""

    def __init__(self, run: Runner) -> None:
        self.run = run
        self._actors: Any = None
        self._places: Any = None

    def bind(self, p: Param, value: str) -> dict[str, Any]:
        kind = p.kind
        if kind == "actor":
            return {p.name[: -len("_name")]: URIRef(self.actor(value))}
        if kind == "place":
            return {"place": self.place(value)}
        if kind in _CHOICES:
            word = value.lower()
            if word.startswith("kg:") or word.startswith("<") or word.startswith("http"):
                word = _words().get(str(iri(value)), word)
            choices = _CHOICES[kind]
            if word not in choices:
                listed = ", ".join(dict.fromkeys(k for k in choices if k not in ("canceled", "inperson", "in person")))
                raise QueryError(f"{p.name} must be one of {listed}, not {value!r}{did_you_mean(word, choices)}")
            local = choices[word]
            return {} if local is None else {p.name: URIRef(PREFIXES["kg"] + local)}
        return {p.name: value}

    def actor(self, value: str) -> str:
        if _CURIE_RE.match(value) and (value.startswith(("<", "http")) or value.split(":", 1)[0] in PREFIXES):
            return str(iri(value))
        exact = self.run("SELECT DISTINCT ?actor WHERE { ?actor rdfs:label ?name ; a sem:Actor }", {"name": value})
        if len(exact) == 1:
            return str(exact[0]["actor"])
        if self._actors is None:
            from kg.names import NameIndex, actor_names

            found: dict[str, tuple[str, list[str]]] = {}
            rows = self.run("SELECT ?actor ?label ?same WHERE { { SELECT ?actor ?label WHERE { ?actor a sem:Actor ; "
                            "rdfs:label ?label } } OPTIONAL { ?actor owl:sameAs ?same } }", {})
            for r in sorted(rows, key=lambda r: (str(r["actor"]), str(r["label"]), str(r["same"] or ""))):
                label, qids = found.setdefault(str(r["actor"]), (str(r["label"]), []))
                if r["same"]:
                    qids.append(str(r["same"]).rsplit("/", 1)[-1])
            self._actors = NameIndex(
                (key, label, actor_names(label, wikidata=qids[0] if qids else None)) for key, (label, qids) in found.items()
            )
        return str(self._actors.resolve(value, what="actor"))

    def place(self, value: str) -> str:
        from kg.names import NameIndex, fold, territories

        if self._places is None:
            rows = self.run("SELECT DISTINCT ?value WHERE { ?where a sem:Place ; "
                            "rdfs:label|schema:name|kg:city|kg:region ?value } ORDER BY ?value", {})
            self._places = [str(r["value"]) for r in rows]
        f = fold(value)
        exact = [v for v in self._places if fold(v) == f]
        if exact:
            return value if value in exact else exact[0]
        code = value.strip().upper()
        if len(code) == 2 and code in territories():
            return code
        record = _gazetteer_place(value)  # "Indonesia", "Istana Merdeka", "Moskow"
        if record is not None and record.kind == "country":
            return str(record.country)
        if record is not None and record.name in self._places:  # a place elsewhere has no meeting here
            return str(record.name)
        countries = territories()
        index = NameIndex([*((v, v, [v]) for v in self._places),
                           *((c, n, [n]) for c, n in countries.items() if len(c) == 2 and c.isalpha())])
        return str(index.resolve(value, what="place"))


def _gazetteer_place(value: str) -> Any:
    """The gazetteer's record for a place name in English or any installed language, or None."""
    from kg.gazetteer import get_gazetteer
    from kg.langs import available_packs

    g = get_gazetteer()
    for lang in (None, *available_packs()):
        record = g.lookup(value, lang=lang)
        if record is not None:
            return record
    return None


__all__ = ["MAX_QUERY_CHARS", "MAX_QUERY_DEPTH", "QUERIES", "NamedQuery", "Param", "Rows", "ask",
           "available_queries", "check_query", "check_reads_only", "iri", "named_query", "on_deep_stack", "parse_error",
           "plain_words", "query_text", "run_query", "syntax_problem", "tokens", "unknown_prefixes"]
