"""RDF for kg: the only package that imports rdflib.

:func:`to_rdf` builds the graph, :func:`validate` checks it against
``ontologies/shapes.ttl``, :func:`run_query` runs stored or literal SPARQL with bound
values, :func:`ask` a named query with the values a person types (names found as the
explorer finds them, answers in plain words), :class:`KgStore` is the persistent pyoxigraph store (:mod:`kg.rdf.store`), and
:mod:`kg.rdf.namespaces` spells every IRI. Names are imported lazily.
"""

from __future__ import annotations

from kg._lazy import lazy_exports

_API = {
    "to_rdf": "kg.rdf.build",
    "validate": "kg.rdf.shacl",
    "run_query": "kg.rdf.query",
    "ask": "kg.rdf.query",
    "available_queries": "kg.rdf.query",
    "iri": "kg.rdf.query",
    "KG": "kg.rdf.namespaces",
    "SEM": "kg.rdf.namespaces",
    "new_graph": "kg.rdf.namespaces",
    "KgStore": "kg.rdf.store",
    "build_store": "kg.rdf.store",
}

__all__ = sorted(_API)


__getattr__ = lazy_exports('kg.rdf', _API)
