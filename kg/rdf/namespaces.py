"""Every IRI kg spells out: its own ontology terms and the vocabularies it reuses.

``KG`` is closed: it lists every term that ``ontologies/kg.ttl`` declares, and a test
fails if the two disagree, so a typo such as ``KG.Meting`` raises instead of minting a
new term. Resource IRIs (actors, places, meetings, articles) come from :mod:`kg.ids`.

>>> KG.Meeting
rdflib.term.URIRef('https://w3id.org/kg/ontology#Meeting')
>>> new_graph().namespace_manager.expand_curie("sem:hasActor")
rdflib.term.URIRef('http://semanticweb.cs.vu.nl/2009/11/sem/hasActor')
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SH, SKOS, TIME, XSD, DefinedNamespace

from kg.ids import BASE

#: The ontology document itself (its terms live under ``KG``).
KG_ONTOLOGY = URIRef("https://w3id.org/kg/ontology")
#: The SHACL shapes document.
KG_SHAPES = URIRef("https://w3id.org/kg/shapes")


class KG(DefinedNamespace):
    """kg's own terms, exactly those declared in ``ontologies/kg.ttl``."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg/ontology#")

    # classes
    Meeting: URIRef
    SourceMention: URIRef
    MeetingStatus: URIRef
    MeetingMode: URIRef
    DatePrecision: URIRef
    MeetingKind: URIRef
    RoleStatement: URIRef
    ActorPair: URIRef
    # named individuals
    Occurred: URIRef
    Planned: URIRef
    Cancelled: URIRef
    InPerson: URIRef
    Remote: URIRef
    DayPrecision: URIRef
    MonthPrecision: URIRef
    YearPrecision: URIRef
    Visit: URIRef
    ThirdParty: URIRef
    Multilateral: URIRef
    Phone: URIRef
    # object properties
    status: URIRef
    mode: URIRef
    datePrecision: URIRef
    reportedStatus: URIRef
    geonames: URIRef
    kind: URIRef
    visitor: URIRef
    host: URIRef
    roleOf: URIRef
    pair: URIRef
    firstActor: URIRef
    secondActor: URIRef
    # datatype properties
    date: URIRef
    text: URIRef
    start: URIRef
    end: URIRef
    countryCode: URIRef
    venue: URIRef
    city: URIRef
    region: URIRef
    roleText: URIRef
    statedOn: URIRef
    # the persistent store (kg/rdf/store.py): support counts, per-article records, build runs
    articleCount: URIRef
    mentionCount: URIRef
    extractedEvents: URIRef
    loadOrder: URIRef
    softwareVersion: URIRef
    languagePack: URIRef


class SEM(DefinedNamespace):
    """The Simple Event Model (van Hage et al., 2011)."""

    _fail = True
    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")

    Actor: URIRef
    ActorType: URIRef
    Authority: URIRef
    Constraint: URIRef
    Core: URIRef
    Event: URIRef
    EventType: URIRef
    Object: URIRef
    Place: URIRef
    PlaceType: URIRef
    Role: URIRef
    RoleType: URIRef
    Temporary: URIRef
    Time: URIRef
    TimeType: URIRef
    Type: URIRef
    View: URIRef
    accordingTo: URIRef
    actorType: URIRef
    eventProperty: URIRef
    eventType: URIRef
    hasActor: URIRef
    hasBeginTimeStamp: URIRef
    hasEarliestBeginTimeStamp: URIRef
    hasEarliestEndTimeStamp: URIRef
    hasEndTimeStamp: URIRef
    hasLatestBeginTimeStamp: URIRef
    hasLatestEndTimeStamp: URIRef
    hasPlace: URIRef
    hasSubEvent: URIRef
    hasSubType: URIRef
    hasTime: URIRef
    hasTimeStamp: URIRef
    placeType: URIRef
    roleType: URIRef
    subEventOf: URIRef
    subTypeOf: URIRef
    timeType: URIRef


#: schema.org (https form, as rdflib's ``SDO``).
SCHEMA = SDO
#: W3C WGS84 Geo Positioning (rdflib's own ``WGS`` spells it with https, which is not the
#: IRI the vocabulary publishes).
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
#: The GeoNames ontology (classes such as ``gn:Feature``).
GN = Namespace("http://www.geonames.org/ontology#")
#: GeoNames features: ``GNID["2643743/"]`` is London.
GNID = Namespace("https://sws.geonames.org/")
#: Wikidata entities: ``WD.Q7747`` is Vladimir Putin.
WD = Namespace("http://www.wikidata.org/entity/")
DCTERMS = Namespace("http://purl.org/dc/terms/")

#: Where kg's resources live, one namespace per kind (the path segments of :mod:`kg.ids`).
ID = Namespace(BASE)
#: Named graphs of the persistent store: ``graph/article/<key>`` (one per article),
#: ``graph/meetings`` (the merged meeting layer) and ``graph/runs`` (build runs).
GRAPHS = Namespace(BASE + "graph/")
MEETINGS_GRAPH = URIRef(BASE + "graph/meetings")
RUNS_GRAPH = URIRef(BASE + "graph/runs")
ID_PREFIXES: dict[str, Namespace] = {
    "meeting": Namespace(BASE + "meeting/"),
    "person": Namespace(BASE + "person/"),
    "country": Namespace(BASE + "country/"),
    "org": Namespace(BASE + "org/"),
    "place": Namespace(BASE + "place/"),
    "article": Namespace(BASE + "article/"),
    "run": Namespace(BASE + "run/"),
    "graph": GRAPHS,
}

#: Every prefix :func:`new_graph` binds, in the order Turtle output lists them.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "sem": str(SEM),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "time": str(TIME),
    "geo": str(GEO),
    "gn": str(GN),
    "gnid": str(GNID),
    "wd": str(WD),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "sh": str(SH),
    "dcterms": str(DCTERMS),
    **{name: str(ns) for name, ns in ID_PREFIXES.items()},
}


def new_graph() -> Graph:
    """An empty in-memory graph with every kg prefix bound once.

    Returns:
        A ``rdflib.Graph`` whose namespace manager knows ``kg:``, ``sem:``, ``schema:``,
        ``prov:``, ``geo:``, ``gn:`` and the rest of :data:`PREFIXES`, and nothing else.

    >>> sorted(p for p, _ in new_graph().namespaces())[:3]
    ['article', 'country', 'dcterms']
    """
    g = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri, override=True, replace=True)
    return g


def bind_prefixes(graph: Graph) -> Graph:
    """Bind kg's prefixes on a graph someone else made, without disturbing its own.

    A prefix is bound only when neither the prefix nor the namespace is bound already, so
    no ``kg1:``-style duplicates appear.

    Args:
        graph: The graph to bind prefixes on (changed in place).

    Returns:
        The same graph.

    >>> from rdflib import Graph
    >>> g = bind_prefixes(Graph(bind_namespaces="none"))
    >>> str(dict(g.namespaces())["kg"])
    'https://w3id.org/kg/ontology#'
    """
    bound = dict(graph.namespaces())
    namespaces = {str(ns) for ns in bound.values()}
    for prefix, iri in PREFIXES.items():
        if prefix not in bound and iri not in namespaces:
            graph.bind(prefix, iri, override=False)
    return graph


__all__ = [
    "DCTERMS",
    "GEO",
    "GN",
    "GNID",
    "GRAPHS",
    "ID",
    "ID_PREFIXES",
    "KG",
    "KG_ONTOLOGY",
    "KG_SHAPES",
    "MEETINGS_GRAPH",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RUNS_GRAPH",
    "SCHEMA",
    "SEM",
    "SH",
    "SKOS",
    "TIME",
    "WD",
    "XSD",
    "bind_prefixes",
    "new_graph",
]
