"""Extractors: what turns one article into meeting mentions, behind one small interface.

An :class:`Extractor` has a ``name`` and an ``extract(article)`` method that returns the
meetings the article reports, each mentioned once (merged within the article, not across). The
rest of kg (resolution, merging, RDF, the store, workers and Dask) only sees that method, so a
build runs the same way whichever extractor made the mentions. Extractors travel to worker
processes by pickling, so they hold settings, never loaded models: each process builds what it
needs once and caches it.

Registered extractors:

- ``rules`` (the default): kg's language packs and rules (:mod:`kg.nlp.extract`); needs no
  trained model. ``models={"en": "en_core_web_sm"}`` adds an installed spaCy pipeline's
  entities as evidence for that language.
- ``spacy``: the same rules, with an installed spaCy pipeline required for at least one
  language (``--model LANG=NAME``).
- ``llm``: a language model on an OpenAI-compatible server reads the paragraphs the rules pick;
  kg grounds every word of its answer in the article (:mod:`kg.llm`). Options ``url``,
  ``model``, ``max_calls`` and the other settings of :class:`kg.llm.LlmSettings`.

An extractor may also have ``batch_size`` (articles it wants handed over at once when extracting
in one process) and ``prefetch(articles)`` (called with each batch before its articles are
extracted one by one: the llm extractor sends their requests together), ``explain(article)``
(``kg explain``) and ``usage()`` (an object whose ``summary()`` lines and ``warnings`` the
commands print after a build).

Other packages add extractors through the ``kg.extractors`` entry-point group: an entry point
named ``NAME`` pointing at a callable that takes keyword options and returns an Extractor.

>>> ex = get_extractor("rules")
>>> ex.name
'rules'
>>> import datetime as dt
>>> from kg.model import Article
>>> a = Article("a1", "Prabowo Subianto met Shigeru Ishiba in Bogor on Saturday.", lang="en",
...             published=dt.date(2025, 1, 12))
>>> [sorted(p.name for p in e.participants) for e in ex.extract(a)]
[['Prabowo Subianto', 'Shigeru Ishiba']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from kg.errors import KgError
from kg.explain import Explanation
from kg.model import Article, Event

ENTRY_POINT_GROUP = "kg.extractors"


@runtime_checkable
class Extractor(Protocol):
    """Turns one article into the meetings it reports (mentions, merged within the article)."""

    name: str

    def extract(self, article: Article) -> list[Event]:
        """The meetings ``article`` reports, each once, with their evidence.

        Raises:
            UnknownLanguage: the extractor cannot read the article's language.
        """
        ...


@dataclass(frozen=True)
class RulesExtractor:
    """kg's own extractor: language packs and rules, optionally helped by spaCy pipelines.

    Args:
        models: language code -> name of an installed spaCy pipeline whose entities (and parse,
            when it has one) are used as extra evidence for articles in that language. A key
            ``"*"`` applies to every language (the pipeline is used only for articles in its
            own language).
    """

    models: tuple[tuple[str, str], ...] = ()
    name: str = "rules"

    def model_for(self, lang: str | None) -> str | None:
        table = dict(self.models)
        return table.get(lang or "") or table.get("*")

    def extract(self, article: Article) -> list[Event]:
        from kg.nlp.extract import extract_article

        return extract_article(article, model=self.model_for(article.lang))

    def explain(self, article: Article) -> Explanation:
        """The spans the rules marked and the meetings they made (``kg explain``)."""
        from kg.nlp.extract import explain_article

        return explain_article(article, model=self.model_for(article.lang))


def parse_models(values: Iterable[str] | str | None) -> tuple[tuple[str, str], ...]:
    """``--model`` values to (language, pipeline) pairs: ``en=en_core_web_sm``, or a bare name
    for every language.

    >>> parse_models(["en=en_core_web_sm", "xx_ent_wiki_sm"])
    (('en', 'en_core_web_sm'), ('*', 'xx_ent_wiki_sm'))
    """
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    out: list[tuple[str, str]] = []
    for v in values:
        lang, sep, name = v.partition("=")
        if not sep:
            lang, name = "*", v
        if not name.strip() or not lang.strip():
            raise KgError(f"--model {v!r}: expected LANG=PIPELINE (for example en=en_core_web_sm) or a pipeline name")
        out.append((lang.strip(), name.strip()))
    return tuple(out)


def _rules(models: Any = None, **options: Any) -> RulesExtractor:
    if options:
        raise KgError(f"the rules extractor takes no option {', '.join(sorted(options))}")
    return RulesExtractor(parse_models(models))


def _spacy(models: Any = None, **options: Any) -> RulesExtractor:
    pairs = parse_models(models)
    if not pairs:
        raise KgError("the spacy extractor needs an installed pipeline: --model LANG=NAME (for example en=en_core_web_sm)")
    return RulesExtractor(pairs, name="spacy") if not options else _rules(models, **options)


def _llm(**options: Any) -> Extractor:
    from kg.llm import make_extractor  # imported only when asked for: the rules need nothing of it

    return make_extractor(**options)


BUILTIN: dict[str, Callable[..., Extractor]] = {"rules": _rules, "spacy": _spacy, "llm": _llm}


def available_extractors() -> list[str]:
    """The names of the built-in extractors and of those other packages register."""
    return sorted({*BUILTIN, *(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))})


def get_extractor(name: str | Extractor | None = None, **options: Any) -> Extractor:
    """The extractor registered as ``name`` (default ``rules``), made with ``options``.

    An Extractor given instead of a name is returned as it is.

    Raises:
        KgError: no extractor has that name (the message lists those that exist).
    """
    if name is not None and not isinstance(name, str):
        return name
    name = name or "rules"
    factory: Callable[..., Extractor] | None = BUILTIN.get(name)
    if factory is None:
        found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
        if found:
            factory = found[0].load()
    if factory is None:
        raise KgError(f"no extractor named {name!r}; available: {', '.join(available_extractors())}")
    return factory(**options)


def coerce(extractor: Extractor | str | None = None, model: str | Mapping[str, str] | None = None) -> Extractor:
    """The extractor a library call asked for: an Extractor, a registered name, or the rules with
    ``model`` (a pipeline name, or language -> pipeline name) as extra evidence."""
    if isinstance(model, Mapping):
        model = [f"{k}={v}" for k, v in model.items()]
    if extractor is None or isinstance(extractor, str):
        return get_extractor(extractor, **({"models": model} if model else {}))
    return extractor


__all__ = ["ENTRY_POINT_GROUP", "Extractor", "RulesExtractor", "available_extractors", "coerce", "get_extractor",
           "parse_models"]
