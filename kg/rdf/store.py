"""A persistent store of meetings on pyoxigraph, grown and shrunk article by article.

The store is an RDF dataset on disk with three kinds of named graph:

- ``graph/article/<key>``, one per article: the article node, its load order and the meeting
  mentions extracted from it (``kg:extractedEvents``, the records of ``kg extract``), so an
  article can be removed or re-extracted without touching the others;
- ``graph/meetings``, the merged meeting layer: what :func:`kg.rdf.build.to_rdf` writes for
  the merged meetings, each with ``kg:articleCount`` and ``kg:mentionCount``;
- ``graph/runs``: one ``prov:Activity`` per build, add or remove (kg version, language-pack
  versions, start and end time, the graphs it generated or invalidated).

Merging follows the articles' load order, so a store built article by article holds the same
meetings, with the same IRIs, as one built from all of them at once. Every change is one
pyoxigraph transaction (a fresh build is written beside the old store and swapped in), so a
crash or Ctrl-C leaves the store as it was before or as it is after.

Queries see the union of all graphs as their default graph; ``GRAPH ?g`` reaches each one.
This module and :mod:`kg.rdf` are the only ones that import pyoxigraph.

``KgStore("http://host:port/...")`` keeps the same dataset in a SPARQL 1.1 server instead
(:mod:`kg.rdf.remote`): adding, removing, merging and querying run the same code; what is
atomic there is said in that module.

>>> from kg.model import Actor, Event, Mention, PartialDate
>>> e = Event((Actor("Sergei Lavrov"), Actor("Marco Rubio")), None, PartialDate(2025, 9, 24),
...           evidence=(Mention("a1", 0, 23, "Lavrov met Rubio today."),))
>>> store = KgStore()          # in memory; KgStore(path) opens or creates one on disk
>>> store.add([e]).meetings
1
>>> [(r["a_name"], r["b_name"], r["meetings"]) for r in store.rows("who-met-whom")]
[('Marco Rubio', 'Sergei Lavrov', 1)]
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Literal, TypeVar, cast

import pyoxigraph as ox
from rdflib import Literal as RLiteral
from rdflib import URIRef

from kg.errors import KgError, QueryError
from kg.ids import BASE, article_iri, article_key
from kg.merge import merge
from kg.model import Event
from kg.rdf.build import (
    OxTriple,
    integer_literal,
    meeting_iri,
    meeting_pairs,
    ox_actor_triples,
    ox_article_triples,
    ox_event_triples,
    ox_pair_triples,
    ox_place_triples,
    pair_iri,
)
from kg.rdf.namespaces import GRAPHS, KG, MEETINGS_GRAPH, PREFIXES, PROV, RDF, RDFS, RUNS_GRAPH, XSD
from kg.rdf.query import Rows, check_query, check_reads_only, iri, parse_error, query_text

T = TypeVar("T")

ResultFormat = Literal["json", "xml", "csv", "tsv"]
GraphFormat = Literal["ttl", "trig", "nq", "nt", "jsonld", "xml"]

#: pyoxigraph's SPARQL results formats, by kg's short name.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: pyoxigraph's RDF formats, by kg's short name (``kg export --format``).
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
_DATASET_FORMATS = {"trig", "nq", "jsonld"}

_RDF_JSON = ox.NamedNode(str(RDF) + "JSON")
_MEETINGS = ox.NamedNode(str(MEETINGS_GRAPH))
_MEETINGS_TEXT = str(_MEETINGS)
_RUNS = ox.NamedNode(str(RUNS_GRAPH))
_EXTRACTED = ox.NamedNode(str(KG.extractedEvents))
_ORDER = ox.NamedNode(str(KG.loadOrder))
_ARTICLE_COUNT = ox.NamedNode(str(KG.articleCount))
_MENTION_COUNT = ox.NamedNode(str(KG.mentionCount))
_IDENTIFIER = ox.NamedNode("https://schema.org/identifier")
_TYPE = ox.NamedNode(str(RDF.type))
_MEETING = ox.NamedNode(str(KG.Meeting))


# --------------------------------------------------------------------------- terms


@lru_cache(maxsize=262144)
def _named(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


@lru_cache(maxsize=8192)
def _datatype(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def to_ox(term: Any) -> ox.NamedNode | ox.Literal:
    """An rdflib IRI or literal as a pyoxigraph term (kg writes no blank nodes).

    >>> to_ox(RLiteral(3))
    <Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term
    if isinstance(term, URIRef):
        return _named(str(term))
    if isinstance(term, RLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != str(XSD.string):
            return ox.Literal(str(term), datatype=_datatype(str(term.datatype)))
        return ox.Literal(str(term))
    raise KgError(f"cannot store {term!r}: kg writes IRIs and literals only (this is a bug in kg)")


def _quad(triple: OxTriple, graph: ox.NamedNode) -> ox.Quad:
    s, p, o = triple
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)


def article_graph(article_id: str) -> str:
    """The IRI of the named graph that holds one article's statements.

    >>> article_graph("tass-42")
    'https://w3id.org/kg/id/graph/article/tass-42'
    """
    return f"{GRAPHS}article/{article_key(article_id)}"


def value_term(text: str) -> ox.NamedNode | ox.Literal:
    """The term a ``--param`` value binds: an IRI for ``<...>``, ``https://...`` or a CURIE with
    one of kg's prefixes (``kg:Planned``, ``person:sergei-lavrov``), otherwise a plain literal.

    >>> value_term("kg:Planned")
    <NamedNode value=https://w3id.org/kg/ontology#Planned>
    >>> value_term("Sergei Lavrov")
    <Literal value=Sergei Lavrov datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    t = text.strip()
    prefix = t.split(":", 1)[0] if ":" in t else None
    if (t.startswith("<") and t.endswith(">")) or re.match(r"^https?://\S+$", t) or (
        prefix in PREFIXES and " " not in t
    ):
        return _named(str(iri(t)))
    return ox.Literal(text)


def _bindable(value: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, URIRef | RLiteral):
        return to_ox(value)
    if isinstance(value, str):
        return ox.Literal(value)
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return to_ox(RLiteral(value))
    raise QueryError(f"cannot bind {value!r}")


def plain(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value: IRIs as ``str``, typed literals as numbers,
    dates and booleans where Python has them, everything else as its lexical ``str``.

    >>> plain(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    3
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value
        try:
            if dtype in (str(XSD.integer), str(XSD.int), str(XSD.long)):
                return int(term.value)
            if dtype == str(XSD.decimal):
                return Decimal(term.value)
            if dtype in (str(XSD.double), str(XSD.float)):
                return float(term.value)
            if dtype == str(XSD.boolean):
                return term.value in ("true", "1")
            if dtype == str(XSD.date):
                return dt.date.fromisoformat(term.value)
        except ValueError:
            return term.value
        return term.value
    return str(term)


# --------------------------------------------------------------------------- bound values


def _skip_string(text: str, i: int) -> int:
    q = text[i]
    if text.startswith(q * 3, i):
        end = text.find(q * 3, i + 3)
        while end != -1 and text[end - 1] == "\\":
            end = text.find(q * 3, end + 1)
        return len(text) if end == -1 else end + 3
    j = i + 1
    while j < len(text) and text[j] != q:
        j += 2 if text[j] == "\\" else 1
    return j + 1


_IRI_AT = re.compile(r'<[^<>"{}|^`\\\s]*>')
_WORD_AT = re.compile(r"[A-Za-z_]+")


def _where_groups(text: str) -> list[int]:
    """The indexes just inside the ``{`` that opens the query's top-level WHERE group and the
    WHERE group of each sub-select, in text order."""
    i, depth, form, saw_where, braces = 0, 0, "", False, 0
    top: int | None = None
    subs: list[int] = []
    sub_pending = False
    while i < len(text):
        c = text[i]
        if c == "#":
            nl = text.find("\n", i)
            i = len(text) if nl == -1 else nl + 1
            continue
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        if c == "<" and (m := _IRI_AT.match(text, i)):
            i = m.end()
            continue
        if c == "{":
            if depth == 0 and top is None:
                braces += 1
                if saw_where or (form in ("SELECT", "ASK") and braces == 1):
                    top = i + 1
            elif depth > 0 and sub_pending:
                subs.append(i + 1)
                sub_pending = False
            depth += 1
        elif c == "}":
            depth -= 1
        elif (c.isalpha() or c == "_") and (i == 0 or not text[i - 1].isalnum()) and (
            text[i - 1] not in "?$:" if i else True
        ):
            m = _WORD_AT.match(text, i)
            word = m.group(0).upper() if m else ""
            if depth == 0 and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and not form:
                form = word
            elif depth == 0 and word == "WHERE":
                saw_where = True
            elif depth > 0 and word == "SELECT":
                sub_pending = True
            i += max(len(word), 1)
            continue
        i += 1
    if top is None:
        raise QueryError("cannot bind values: the query has no WHERE group")
    return [top, *subs]


def bind_values(text: str, bindings: Mapping[str, Any]) -> str:
    """The query with a ``VALUES`` block of the bound terms at the top of its WHERE group and
    at the top of the WHERE group of each sub-select (as rdflib's ``initBindings`` reach into
    sub-selects), so a named query can restrict what a sub-select aggregates.

    pyoxigraph's own ``substitutions`` only accept projected variables (SEP-0007), and the
    named queries bind variables they aggregate over, so kg joins the values in as inline
    data instead. Each value is a pyoxigraph term, written in N-Triples syntax by pyoxigraph
    itself: a value is never spliced into the query as text, so ``" } UNION {`` is just a
    string nobody has.

    >>> bind_values("SELECT ?m WHERE { ?m ?p ?name }", {"name": "x"})
    'SELECT ?m WHERE { VALUES (?name) { ("x") } ?m ?p ?name }'
    """
    if not bindings:
        return text
    names, terms = [], []
    for var, value in bindings.items():
        name = var.lstrip("?$")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"not a variable name: {var!r}")
        if not re.search(rf"[?$]{re.escape(name)}(?![A-Za-z0-9_])", text):
            raise QueryError(f"the query has no variable ?{name} to bind")
        names.append(f"?{name}")
        terms.append(str(_bindable(value)))
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    for at in sorted(_where_groups(text), reverse=True):
        text = text[:at] + block + text[at:]
    return text


def _about(label: str, err: Exception) -> str:
    return str(err) if label == "the query" else f"{label}: {err}"


def _text_of(query: str, files: bool = True) -> tuple[str, str]:
    q = query.strip()
    if re.fullmatch(r"[A-Za-z0-9_-]+(\.rq)?", q):
        return query_text(q), q
    if files and q.endswith(".rq") and Path(q).is_file():
        return Path(q).read_text(encoding="utf-8"), q
    return query, "the query"


# --------------------------------------------------------------------------- runs


@dataclass(frozen=True, slots=True)
class Run:
    """What a build, add or remove records about itself (a ``prov:Activity``)."""

    action: str
    software_version: str
    packs: tuple[tuple[str, str], ...] = ()
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @classmethod
    def current(cls, action: str) -> Run:
        """A run of this kg with the installed language packs."""
        from kg import __version__
        from kg.langs import iter_packs

        return cls(action, __version__, tuple(sorted((p.code, p.version) for p in iter_packs())))

    def iri(self) -> str:
        stamp = self.started.strftime("%Y%m%dT%H%M%S%fZ")
        return f"{BASE}run/{stamp}-{secrets.token_hex(4)}"


def _time(value: dt.datetime) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_datatype(str(XSD.dateTime)))


def _run_quads(run: Run, generated: Iterable[str], invalidated: Iterable[str], used: Iterable[str]) -> Iterator[ox.Quad]:
    node = _named(run.iri())
    yield ox.Quad(node, _named(str(RDF.type)), _named(str(PROV.Activity)), _RUNS)
    yield ox.Quad(node, _named(str(RDFS.label)), ox.Literal(f"kg {run.action}"), _RUNS)
    yield ox.Quad(node, _named(str(PROV.startedAtTime)), _time(run.started), _RUNS)
    yield ox.Quad(node, _named(str(PROV.endedAtTime)), _time(dt.datetime.now(dt.UTC)), _RUNS)
    yield ox.Quad(node, _named(str(KG.softwareVersion)), ox.Literal(run.software_version), _RUNS)
    for c, v in run.packs:
        yield ox.Quad(node, _named(str(KG.languagePack)), ox.Literal(f"{c} {v}"), _RUNS)
    for g in generated:
        yield ox.Quad(node, _named(str(PROV.generated)), _named(g), _RUNS)
    for g in invalidated:
        yield ox.Quad(node, _named(str(PROV.invalidated)), _named(g), _RUNS)
    for a in used:
        yield ox.Quad(node, _named(str(PROV.used)), _named(article_iri(a)), _RUNS)


# --------------------------------------------------------------------------- the layers


class _Everything(set):  # type: ignore[type-arg]
    """A ``seen`` set that has seen everything: :func:`event_triples` then yields only the
    meeting's own triples, not the descriptions of actors, places and articles."""

    def __contains__(self, item: object) -> bool:
        return True


def _local_triples(iri_: str, events: list[Event]) -> set[OxTriple]:
    """A meeting's own triples, without the descriptions of its actors, places and articles."""
    out: set[OxTriple] = set()
    for e in events:
        out.update(ox_event_triples(e, seen=_Everything()))
    out.update(_count_triples(iri_, events))
    return out


def _count_triples(iri_: str, events: list[Event]) -> list[OxTriple]:
    """``kg:articleCount`` and ``kg:mentionCount`` of the meeting the events describe."""
    sources = {(m.article_id, m.start, m.end) for e in events for m in e.evidence}
    node = _named(iri_)
    return [(node, _ARTICLE_COUNT, integer_literal(len({a for a, _, _ in sources}))),
            (node, _MENTION_COUNT, integer_literal(len(sources)))]


def _description_keys(events: Iterable[Event]) -> dict[str, set[Hashable]]:
    """Actor, place and actor-pair values by node IRI (a person with two roles is two values;
    a pair is the tuple of its two actor IRIs, described once however many meetings share it)."""
    from kg.ids import actor_iri, place_iri

    keys: dict[str, set[Hashable]] = {}
    for e in events:
        for a in e.participants:
            keys.setdefault(actor_iri(a), set()).add(a)
        if e.location is not None:
            keys.setdefault(place_iri(e.location), set()).add(e.location)
        for first, second in meeting_pairs(_named(actor_iri(a)) for a in e.participants):
            keys.setdefault(str(pair_iri(first, second)), set()).add(_Pair(first, second))
    return keys


@dataclass(frozen=True, slots=True)
class _Pair:
    """The description key of a ``kg:ActorPair``: its two actor IRIs, in IRI order."""

    first: ox.NamedNode
    second: ox.NamedNode


def _description_triples(values: Iterable[Hashable]) -> set[OxTriple]:
    from kg.model import Actor

    out: set[OxTriple] = set()
    for v in values:
        if isinstance(v, _Pair):
            out.update(ox_pair_triples(v.first, v.second))
        else:
            out.update(ox_actor_triples(v) if isinstance(v, Actor) else ox_place_triples(v))  # type: ignore[arg-type]
    return out


def _by_iri(events: Iterable[Event]) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}
    for e in events:
        out.setdefault(str(meeting_iri(e)), []).append(e)
    return out


def layer_diff(old: list[Event], new: list[Event]) -> tuple[set[OxTriple], set[OxTriple]]:
    """The triples to delete from and insert into the meeting layer to go from ``old`` to ``new``.

    Only meetings that changed are described again; an actor's or place's description is
    recomputed only where the set of its values changed.

    Returns:
        ``(delete, insert)``, disjoint sets of triples (pyoxigraph terms).
    """
    old_set, new_set = set(old), set(new)
    touched = {str(meeting_iri(e)) for e in old if e not in new_set}
    touched |= {str(meeting_iri(e)) for e in new if e not in old_set}
    old_by, new_by = _by_iri(e for e in old if str(meeting_iri(e)) in touched), _by_iri(
        e for e in new if str(meeting_iri(e)) in touched
    )
    before: set[OxTriple] = set()
    after: set[OxTriple] = set()
    for k, evs in old_by.items():
        before |= _local_triples(k, evs)
    for k, evs in new_by.items():
        after |= _local_triples(k, evs)
    old_keys, new_keys = _description_keys(old), _description_keys(new)
    for node in set(old_keys) | set(new_keys):
        ov, nv = old_keys.get(node, set()), new_keys.get(node, set())
        if ov != nv:
            before |= _description_triples(ov)
            after |= _description_triples(nv)
    return before - after, after - before


def _article_quads(article_id: str, mentions: list[Event], order: int) -> list[ox.Quad]:
    g = _named(article_graph(article_id))
    urls = sorted({m.url for e in mentions for m in e.evidence if m.article_id == article_id and m.url})
    triples: set[OxTriple] = set(ox_article_triples(article_id, None))
    for url in urls:
        triples |= set(ox_article_triples(article_id, url))
    quads = [_quad(t, g) for t in sorted(triples, key=str)]
    node = _named(article_iri(article_id))
    record = json.dumps([e.to_dict() for e in mentions], ensure_ascii=False, sort_keys=True)
    quads.append(ox.Quad(node, _EXTRACTED, ox.Literal(record, datatype=_RDF_JSON), g))
    quads.append(ox.Quad(node, _ORDER, to_ox(RLiteral(order)), g))
    return quads


def split_by_article(mentions: Iterable[Event]) -> dict[str, list[Event]]:
    """Mention events grouped by the article they come from, in first-seen order.

    An event whose evidence spans several articles (a merged record) is split into one event
    per article, each with that article's evidence.
    """
    out: dict[str, list[Event]] = {}
    for a, e in _article_parts(mentions):
        out.setdefault(a, []).append(e)
    return out


def _normalise(e: Event) -> Event:
    """The event as it reads back from its JSON record (what the store merges)."""
    return Event.from_dict({**e.to_dict(), "id": None})


# --------------------------------------------------------------------------- the store


@dataclass
class Change:
    """What an add or remove did."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Ids asked to be removed that are not in the store (nothing to do for them)."""
    meetings: int = 0
    deleted_triples: int = 0
    inserted_triples: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


class KgStore:
    """kg's persistent store: a pyoxigraph dataset with one named graph per article.

    Args:
        path: The store's directory (created if missing), ``None`` for a store in memory, or
            the URL of a SPARQL 1.1 server's dataset (``http://host:7878``), which is then
            used through a :class:`kg.rdf.remote.SparqlServer`: it offers the methods of a
            pyoxigraph store that this class uses, so the same code reads, merges and queries.
        read_only: Open an existing store for reading only (``kg serve``, ``kg query``).

    Raises:
        KgError: The directory cannot be opened (missing for ``read_only``, locked by
            another process, or not a store), or the server cannot be reached or is not
            a SPARQL endpoint.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.read_only = read_only
        self.url: str | None = None
        self._lock: Any = None  # kg.export.atomic.DirLock of a store directory open for writing
        self._store: Any
        from kg.rdf.remote import SparqlServer, is_remote

        if path is not None and is_remote(path):
            self.path = None
            self._store = SparqlServer(str(path))
            self.url = self._store.url
            self._store.check()
            return
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            from kg.export.atomic import recover, settle

            # a build killed while switching its outputs is finished first (and, when writing,
            # the scratch folders of dead processes go)
            recover(self.path.parent) if read_only else settle(self.path.parent, stores=[self.path.name])
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not self.path.is_dir():
                    raise KgError(f"{self.path}: no store here; build one with `kg build ... --out DIR`")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._lock_store(before=True)
                self._store = ox.Store(str(self.path))
                self._lock_store(before=False)
        except OSError as err:
            self._unlock()
            raise KgError(f"{self.path}: cannot open the store: {err}") from err

    def _lock_store(self, *, before: bool) -> None:
        """One writer at a time (kg build, add, remove): the store's directory is locked while it
        is open for writing (before opening it when it exists, else once it is made)."""
        from kg.export.atomic import MSG_BUSY, DirLock

        assert self.path is not None
        if self._lock is not None or (before and not self.path.is_dir()):
            return
        lock = DirLock(self.path)
        if not lock.acquire():
            raise KgError(MSG_BUSY.format(path=self.path))
        self._lock = lock

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (a :class:`kg.rdf.remote.SparqlServer` for a URL)."""
        return cast(ox.Store, self._store)

    def close(self) -> None:
        """Flush and release the store (pyoxigraph closes it when the object goes away)."""
        if self.path is not None and not self.read_only:
            try:
                self._store.flush()
            except (OSError, RuntimeError):
                pass
        del self._store
        gc.collect()
        self._unlock()

    def __enter__(self) -> KgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._store)

    # ----------------------------------------------------------------- reading

    def article_records(self) -> dict[str, tuple[int, str]]:
        """Every stored article: id -> (load order, JSON record of its mention events)."""
        out: dict[str, tuple[int, str]] = {}
        orders: dict[str, int] = {}
        ids: dict[str, str] = {}
        for q in self._store.quads_for_pattern(None, _ORDER, None, None):
            orders[q.graph_name.value] = int(q.object.value)
        for q in self._store.quads_for_pattern(None, _IDENTIFIER, None, None):
            if q.graph_name != _MEETINGS and q.graph_name.value in orders:
                ids[q.graph_name.value] = q.object.value
        for q in self._store.quads_for_pattern(None, _EXTRACTED, None, None):
            g = q.graph_name.value
            if g in ids:
                out[ids[g]] = (orders[g], q.object.value)
        return out

    def article_ids(self) -> list[str]:
        """The ids of the stored articles, in load order."""
        return [a for a, _ in sorted(self.article_records().items(), key=lambda kv: kv[1][0])]

    def mentions(self) -> list[Event]:
        """Every stored mention event, article by article in load order."""
        records = sorted(self.article_records().values())
        return [Event.from_dict(d) for _, rec in records for d in json.loads(rec)]

    def events(self) -> list[Event]:
        """The merged meetings (what ``events.jsonl`` of a build of the same articles holds)."""
        return merge(self.mentions())

    # ----------------------------------------------------------------- writing

    def add(
        self,
        mentions: Iterable[Event],
        *,
        articles: Iterable[str] = (),
        run: Run | None = None,
    ) -> Change:
        """Add articles' mention events and merge them into the meeting layer, in one transaction.

        A new article is appended to the load order; an article already stored with the
        same mentions is left alone (adding it again changes nothing, not even the run
        log); one stored with different mentions is replaced in place (re-extraction).

        Args:
            mentions: Resolved, unmerged mention events (``kg extract`` records).
            articles: Ids of articles read, including those with no meeting (so they count
                as stored and are not processed again).
            run: The run to record; ``Run.current("add")`` by default.

        Returns:
            What changed.
        """
        new = split_by_article(_normalise(e) for e in mentions)
        for a in articles:
            new.setdefault(a, [])
        stored = self.article_records()
        change = Change()
        order = {a: o for a, (o, _) in stored.items()}
        records = {a: r for a, (_, r) in stored.items()}
        next_order = max(order.values(), default=-1) + 1
        delete_quads: list[ox.Quad] = []
        insert_quads: list[ox.Quad] = []
        drop: list[str] = []
        parsed_new: dict[str, list[Event]] = {}
        for a, evs in new.items():
            quads = _article_quads(a, evs, order.get(a, next_order))
            record = quads[-2].object.value
            if a in records and records[a] == record:
                change.unchanged.append(a)
                continue
            if a in records:
                change.replaced.append(a)
                drop.append(article_graph(a))
            else:
                change.added.append(a)
                order[a] = next_order
                next_order += 1
            records[a] = record
            insert_quads += quads
            parsed_new[a] = evs
        if not change.changed:
            change.meetings = sum(1 for _ in self._store.quads_for_pattern(None, _TYPE, _MEETING, _MEETINGS))
            return change
        return self._commit(stored, records, order, change, delete_quads, insert_quads, drop,
                            run or Run.current("add"), parsed_new)

    def remove(self, article_ids: Iterable[str], *, run: Run | None = None) -> Change:
        """Take articles out and merge again the meetings they supported, in one transaction.

        An id that is not in the store is left out (``Change.missing``): removing it again is a
        no-op. When none of the ids is stored, nothing is written, not even the run log.
        """
        stored = self.article_records()
        asked = list(dict.fromkeys(article_ids))
        ids = [a for a in asked if a in stored]
        change = Change(removed=ids, missing=[a for a in asked if a not in stored])
        if not ids:
            change.meetings = sum(1 for _ in self._store.quads_for_pattern(None, _TYPE, _MEETING, _MEETINGS))
            return change
        records = {a: r for a, (_, r) in stored.items() if a not in ids}
        order = {a: o for a, (o, _) in stored.items() if a not in ids}
        return self._commit(stored, records, order, change, [], [], [article_graph(a) for a in ids],
                            run or Run.current("remove"), {})

    def _commit(
        self,
        stored: Mapping[str, tuple[int, str]],
        records: Mapping[str, str],
        order: Mapping[str, int],
        change: Change,
        delete_quads: list[ox.Quad],
        insert_quads: list[ox.Quad],
        drop: list[str],
        run: Run,
        parsed_new: Mapping[str, list[Event]],
    ) -> Change:
        # Each stored record is parsed once: the unchanged ones serve before and after.
        parsed = {a: [Event.from_dict(d) for d in json.loads(rec)] for a, (_, rec) in stored.items()}
        old_mentions = [e for a in sorted(stored, key=lambda a: stored[a][0]) for e in parsed[a]]
        new_mentions = [e for a in sorted(records, key=lambda a: order[a])
                        for e in (parsed_new[a] if a in parsed_new else parsed[a])]
        old_events, new_events = merge(old_mentions), merge(new_mentions)
        delete, insert = layer_diff(old_events, new_events)
        delete_quads += [_quad(t, _MEETINGS) for t in delete]
        insert_quads += [_quad(t, _MEETINGS) for t in insert]
        generated = [article_graph(a) for a in change.added + change.replaced] + [str(MEETINGS_GRAPH)]
        insert_quads += _run_quads(run, generated, [article_graph(a) for a in change.removed],
                                   change.added + change.replaced)
        try:
            if self.url is None:
                self._store.update(change_update(drop, delete_quads, insert_quads))  # one transaction
            else:  # one request, or batches staged and switched in by one (kg.rdf.remote)
                self._store.write(insert_quads, delete=delete_quads, drop=drop)
        except (OSError, SyntaxError, KgError) as err:
            raise KgError(f"{self.url or self.path or 'store'}: the change was not written: {err}") from err
        change.meetings = len(new_events)
        change.deleted_triples, change.inserted_triples = len(delete), len(insert)
        return change

    # ----------------------------------------------------------------- queries

    def query(self, query: str, bindings: Mapping[str, Any] | None = None, *, files: bool = True) -> Any:
        """Run a stored query (by name), a ``.rq`` file or SPARQL text over the union of all graphs.

        Args:
            query: ``"who-met-whom"``, ``"q.rq"`` or SPARQL text; kg's prefixes are predeclared.
                Its size and nesting are checked first (:func:`kg.rdf.query.check_query`).
            bindings: Variable name (without ``?``) to value: a pyoxigraph or rdflib term, or a
                ``str`` (a plain literal; see :func:`value_term` for IRIs), number or date.
            files: False: ``query`` is a name or SPARQL text, never a path to read (``kg serve``).

        Returns:
            pyoxigraph's ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``.

        Raises:
            QueryError: Unknown name, an update (kg only reads here), a syntax error (with its
                line and column and what to look at), a binding for a variable the query does
                not have, or a failure while running.
        """
        text, label = _text_of(query, files)
        check_query(text)
        try:
            check_reads_only(text)
            bound = bind_values(text, bindings or {})
        except QueryError as err:
            raise QueryError(_about(label, err)) from err
        try:
            return self._store.query(bound, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as err:
            problem = err
            if bound != text:  # the line and column of the text as given: parse it alone
                try:
                    ox.Store().query(text, prefixes=PREFIXES)
                except SyntaxError as unbound:
                    problem = unbound
            raise QueryError(_about(label, parse_error(text, problem))) from err
        except (OSError, RuntimeError, ValueError) as err:
            raise QueryError(f"{label} failed: {err}") from err
        except KgError as err:  # from a SPARQL server: its own message
            raise QueryError(f"{label} failed: {err}") from err

    def rows(self, query: str, bindings: Mapping[str, Any] | None = None) -> Rows:
        """Like :meth:`query`, as plain rows (the shape :func:`kg.rdf.query.run_query` returns)."""
        result = self.query(query, bindings)
        return result_rows(result)

    def dump(self, output: IO[bytes] | str | os.PathLike[str] | None, fmt: GraphFormat = "trig") -> bytes | None:
        """Write the whole dataset (TriG, N-Quads, JSON-LD) or the union of its graphs (Turtle,
        N-Triples, RDF/XML)."""
        if fmt not in RDF_FORMATS:
            raise KgError(f"unknown format {fmt!r}; expected one of {', '.join(RDF_FORMATS)}")
        store = self._store if self.url is None else self._store.snapshot()  # a server's kg graphs
        if fmt in _DATASET_FORMATS:
            return store.dump(output, RDF_FORMATS[fmt], prefixes=dict(PREFIXES) if fmt == "trig" else None)
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        prefixes = dict(PREFIXES) if fmt == "ttl" else None
        return ox.serialize(triples, output, RDF_FORMATS[fmt], prefixes=prefixes)

    def to_rdflib(self) -> Any:
        """The union of all graphs as an in-memory ``rdflib.Graph`` (for SHACL validation)."""
        from kg.rdf.namespaces import new_graph

        g = new_graph()
        g.parse(data=self.dump(None, "nt"), format="nt")  # type: ignore[arg-type]
        return g


def quad_data(quads: Iterable[ox.Quad]) -> str:
    """Quads as the ``{ ... }`` of ``INSERT DATA`` or ``DELETE DATA``, grouped by graph, each
    term in N-Triples syntax written by pyoxigraph.

    >>> g = ox.NamedNode("http://e/g")
    >>> print(quad_data([ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal('a "b"'), g)]))
    {
    GRAPH <http://e/g> {
    <http://e/s> <http://e/p> "a \\"b\\"" .
    }
    }
    """
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        g = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(g, []).append(f"{q.subject} {q.predicate} {q.object} .")
    parts = [("\n".join(lines) if not g else f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}")
             for g, lines in by_graph.items()]
    return "{\n" + "\n".join(parts) + "\n}"


def change_update(drop: Iterable[str], delete: Iterable[ox.Quad], insert: Iterable[ox.Quad]) -> str:
    """One change as one SPARQL Update request: drop graphs, delete quads, insert quads."""
    ops = [f"DROP SILENT GRAPH <{g}>" for g in drop]
    deleted = list(delete)
    if deleted:
        ops.append("DELETE DATA " + quad_data(deleted))
    ops.append("INSERT DATA " + quad_data(insert))
    return " ;\n".join(ops)


def result_rows(result: Any) -> Rows:
    """pyoxigraph query results as plain rows: one dict per solution (projection order),
    ``[{"result": bool}]`` for ASK, ``subject/predicate/object`` dicts for CONSTRUCT."""
    if isinstance(result, ox.QueryBoolean):
        return Rows([{"result": bool(result)}], ["result"])
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return Rows(({n: plain(sol[n]) for n in names} for sol in result), names)
    return Rows(({"subject": plain(t.subject), "predicate": plain(t.predicate), "object": plain(t.object)}
                 for t in result), ["subject", "predicate", "object"])


def is_graph_result(result: Any) -> bool:
    """True for the triples of a CONSTRUCT or DESCRIBE query (False for SELECT and ASK)."""
    return isinstance(result, ox.QueryTriples)


def serialize_result(result: Any, output: IO[bytes] | None, fmt: str) -> bytes | None:
    """Serialise query results: SPARQL JSON/XML/CSV/TSV for SELECT and ASK, an RDF format
    (``ttl``, ``nt``, ``jsonld``, ``xml``) for CONSTRUCT and DESCRIBE."""
    if isinstance(result, ox.QueryTriples):
        rdf = {"json": "jsonld", "csv": "nt", "tsv": "nt"}.get(fmt, fmt)
        return ox.serialize(result, output, RDF_FORMATS[rdf], prefixes=dict(PREFIXES) if rdf == "ttl" else None)
    return cast(Any, result).serialize(output, RESULT_FORMATS["json" if fmt in ("ttl", "nt", "jsonld") else fmt])


# --------------------------------------------------------------------------- building


def build_store(
    path: str | os.PathLike[str],
    mentions: Iterable[Event],
    *,
    articles: Iterable[str] = (),
    run: Run | None = None,
    progress: Callable[[int], None] | None = None,
    keep: bool = True,
) -> list[Event]:
    """Write a fresh store at ``path`` from mention events, replacing any store there.

    The store is built in a scratch folder beside ``path`` (:func:`write_store`) and moved into
    place only when complete (:func:`kg.export.atomic.commit`), so a failed or killed build
    leaves the previous store as it was. One writer at a time: if another kg process is writing
    this store (or building in its folder), :class:`~kg.errors.KgError` is raised first.

    Args:
        path: The store's directory.
        mentions, articles, run, progress, keep: As in :func:`write_store`.

    Returns:
        The merged meetings, as the store holds them.
    """
    from kg.export.atomic import Move, ScratchFolder, commit, settle, store_scratch_prefix, writer_locks

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with writer_locks(target.parent, target):
        settle(target.parent, stores=[target.name])
        with ScratchFolder(target.parent, store_scratch_prefix(target.name)) as scratch:
            kept = write_store(scratch.path / target.name, mentions, articles=articles, run=run, progress=progress,
                               keep=keep)
            commit([Move(scratch.path / target.name, target, aside=scratch.path / "old")], journals=[target.parent],
                   lock=target.parent)
    return kept


def write_store(
    path: str | os.PathLike[str],
    mentions: Iterable[Event],
    *,
    articles: Iterable[str] = (),
    run: Run | None = None,
    progress: Callable[[int], None] | None = None,
    keep: bool = True,
) -> list[Event]:
    """Write a new store at ``path``, which must not exist yet (its folder must: the merge's
    scratch files go there too): what :func:`build_store` and ``kg build`` (in a process of
    its own, in a scratch folder that it then switches in with the files) run.

    Memory: given an iterable that can be read more than once (a list, or
    ``SpilledEvents.mentions()`` of ``kg build``), the mentions are read again rather than held
    (one article at a time), and the merge goes through :mod:`kg.spill`; what stays in memory
    is keys (article ids, meeting IRIs), not events. A one-shot iterator is read into a list.

    Args:
        path: The new store's directory.
        mentions: Resolved, unmerged mention events, in input order.
        articles: Ids of every article read (those without a meeting are stored too).
        run: The run to record; ``Run.current("build")`` by default.
        progress: Called with the number of quads written so far, now and then.
        keep: Return the merged meetings; ``False`` returns an empty list (``kg build``: the
            meetings are not all held in memory).

    Returns:
        The merged meetings, as the store holds them.
    """
    from kg.spill import Spill

    target = Path(path)
    if target.exists():
        raise KgError(f"{target}: already exists; write_store makes a new store (build_store replaces one)")
    if iter(mentions) is mentions:
        mentions = list(mentions)
    spill = Spill(target.parent)
    kept: list[Event] = []
    try:
        store = ox.Store(str(target))
        lines = _build_lines(mentions, articles, spill, run or Run.current("build"), progress, kept, keep)
        # N-Quads text, BULK_BATCH quads a call: pyoxigraph's loader parses and writes it without
        # holding Python's lock, so the next batch is made here while a thread loads this one
        with ThreadPoolExecutor(1, thread_name_prefix="kg-load") as loader:
            loading: Future[None] | None = None
            for chunk in _batched(lines, BULK_BATCH):
                data = "".join(chunk).encode("utf-8")
                del chunk
                if loading is not None:
                    loading.result()
                loading = loader.submit(store.bulk_load, data, format=ox.RdfFormat.N_QUADS)
            if loading is not None:
                loading.result()
        store.flush()
        del store
        gc.collect()
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        spill.discard()
    return kept


BULK_BATCH = 50_000
"""Quads per call of pyoxigraph's bulk loader, which holds a call's quads in memory (about 2 KB
each): one call for the 2.5 million quads of 50,000 meetings peaked at 1.3 GB. Two batches are
alive at once (one loading, the next being made): with 50,000, 49,119 mentions built in 71 s at
505 MB peak; with 100,000, 77 s at 631 MB."""


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _article_parts(mentions: Iterable[Event]) -> Iterator[tuple[str, Event]]:
    """Each mention with its article; one whose evidence spans several articles (a merged
    record) becomes one mention per article, each with that article's evidence."""
    for e in mentions:
        ids = list(dict.fromkeys(m.article_id for m in e.evidence))
        if len(ids) == 1:
            yield ids[0], e
            continue
        for a in ids:
            yield a, e.with_(evidence=tuple(m for m in e.evidence if m.article_id == a), id=None)


def _by_article_streamed(mentions: Iterable[Event]) -> Iterator[tuple[str, list[Event]]]:
    """``split_by_article(map(_normalise, mentions)).items()``, one article at a time: kg reads an
    article's mentions in a row, so only the articles whose mentions are not together (the same
    id given twice, merged records spanning articles) are held. Reads ``mentions`` two or three
    times (normalising them only when it keeps them)."""
    scattered: set[str] = set()
    closed: set[str] = set()
    current: str | None = None
    for a, _ in _article_parts(mentions):
        if a != current:
            if a in closed:
                scattered.add(a)
            if current is not None:
                closed.add(current)
            current = a
    del closed
    held: dict[str, list[Event]] = {}
    if scattered:
        for a, e in _article_parts(map(_normalise, mentions)):
            if a in scattered:
                held.setdefault(a, []).append(e)
    run_id: str | None = None
    run: list[Event] = []
    for a, e in _article_parts(map(_normalise, mentions)):
        if a in scattered:
            if a in held:
                if run_id is not None:
                    yield run_id, run
                    run_id, run = None, []
                yield a, held.pop(a)
            continue
        if a != run_id:
            if run_id is not None:
                yield run_id, run
            run_id, run = a, []
        run.append(e)
    if run_id is not None:
        yield run_id, run


def _build_lines(
    mentions: Iterable[Event], articles: Iterable[str], spill: Any, run: Run,
    progress: Callable[[int], None] | None, kept: list[Event], keep: bool,
) -> Iterator[str]:
    """The store's quads as N-Quads lines: article graphs, the meeting layer, the run."""
    from kg.spill import id_hash

    n = 0
    ids: dict[str, None] = {}
    for order, (a, evs) in enumerate(_by_article_streamed(mentions)):
        ids[a] = None
        for q in _article_quads(a, evs, order):
            yield f"{q} .\n"
            n += 1
        for e in evs:
            spill.add(e)
    for a in articles:  # articles without a meeting
        if a not in ids:
            ids[a] = None
            for q in _article_quads(a, [], len(ids) - 1):
                yield f"{q} .\n"
    with spill.finish() as events:
        seen = _ArticlesApart()
        shared = events.shared_id_hashes()  # ids more than one meeting may have: usually none
        held: dict[str, list[Event]] = {}
        for e in events:
            if keep:
                kept.append(e)
            iri_ = str(meeting_iri(e))
            if id_hash(e.id) in shared:  # described together, after the others
                held.setdefault(iri_, []).append(e)
                continue
            for line in _meeting_lines(iri_, [e], seen):
                yield line
                n += 1
                if progress is not None and n % 100000 == 0:
                    progress(n)
        for iri_, evs in held.items():
            yield from _meeting_lines(iri_, evs, seen)
    generated = itertools.chain((article_graph(a) for a in ids), [str(MEETINGS_GRAPH)])
    for q in _run_quads(run, generated, [], ids):
        yield f"{q} .\n"


def _meeting_lines(iri_: str, events: list[Event], seen: set[Hashable]) -> Iterator[str]:
    """The meeting layer's quads of one meeting as N-Quads lines (several events sharing its IRI
    are described together; a triple two of them share comes twice, which the store keeps once)."""
    for e in events:
        for s, p, o in ox_event_triples(e, seen=seen):
            yield f"{s} {p} {o} {_MEETINGS_TEXT} .\n"
    for s, p, o in _count_triples(iri_, events):
        yield f"{s} {p} {o} {_MEETINGS_TEXT} .\n"


class _ArticlesApart(set):  # type: ignore[type-arg]
    """The ``seen`` set of the meeting layer: every article is described in its own graph, so
    :func:`kg.rdf.build.ox_event_triples` never describes one there."""

    def __contains__(self, item: object) -> bool:
        return (isinstance(item, tuple) and bool(item) and item[0] == "article") or super().__contains__(item)


__all__ = [
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "Change",
    "KgStore",
    "Run",
    "article_graph",
    "bind_values",
    "build_store",
    "change_update",
    "write_store",
    "is_graph_result",
    "layer_diff",
    "plain",
    "quad_data",
    "result_rows",
    "serialize_result",
    "split_by_article",
    "to_ox",
    "value_term",
]
