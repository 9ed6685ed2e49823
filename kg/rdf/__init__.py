"""RDF for kg: the only package that imports rdflib.

:func:`to_rdf` builds the graph, :func:`validate` checks it against
``ontologies/shapes.ttl``, :func:`run_query` runs stored or literal SPARQL with bound
values, and :mod:`kg.rdf.namespaces` spells every IRI.
"""

from __future__ import annotations

from kg.rdf.build import to_rdf
from kg.rdf.namespaces import KG, SEM, new_graph
from kg.rdf.query import available_queries, iri, run_query
from kg.rdf.shacl import validate

__all__ = ["KG", "SEM", "available_queries", "iri", "new_graph", "run_query", "to_rdf", "validate"]
