"""kg: diplomatic-event knowledge graphs from the news.

The public API, in pipeline order::

    from kg import read_articles, extract, resolve, merge, to_rdf, to_networkx, build
    events = build(read_articles(["data/"]))

Names are imported lazily, so ``import kg`` stays cheap.
"""

from __future__ import annotations

from kg._lazy import lazy_exports

__version__ = "0.1.0"

_API = {
    "Article": "kg.model",
    "Actor": "kg.model",
    "Event": "kg.model",
    "Mention": "kg.model",
    "PartialDate": "kg.model",
    "Place": "kg.model",
    "read_articles": "kg.ingest",
    "extract": "kg.nlp.extract",
    "resolve": "kg.resolve",
    "merge": "kg.merge",
    "build": "kg.pipeline",
    "to_rdf": "kg.rdf.build",
    "to_networkx": "kg.graph",
    "score": "kg.evaluate",
    "get_pack": "kg.langs",
    "available_packs": "kg.langs",
    "KgError": "kg.errors",
}

__all__ = ["__version__", *_API]


__getattr__ = lazy_exports('kg', _API)
