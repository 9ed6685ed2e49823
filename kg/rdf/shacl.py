"""Check a graph against ``ontologies/shapes.ttl`` with pyshacl.

>>> from kg.rdf.namespaces import new_graph
>>> validate(new_graph())[0]
True
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

#: ``ontologies/`` at the root of the repository (kg is installed in editable mode).
ONTOLOGIES = Path(__file__).resolve().parents[2] / "ontologies"


def ontology_path(name: str) -> Path:
    """The path of one file of ``ontologies/``.

    Args:
        name: The file name, e.g. ``"kg.ttl"`` or ``"shapes.ttl"``.

    Returns:
        Its absolute path.

    Raises:
        FileNotFoundError: The file is not there (kg installed from a wheel, which does not
            carry ``ontologies/``).

    >>> ontology_path("kg.ttl").name
    'kg.ttl'
    """
    path = ONTOLOGIES / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; kg expects its ontologies/ folder beside kg/")
    return path


def shapes_graph() -> Graph:
    """The SHACL shapes of a well-formed build, freshly parsed.

    Returns:
        The graph of ``ontologies/shapes.ttl``.
    """
    return Graph().parse(ontology_path("shapes.ttl"), format="turtle")


def validate(graph: Graph) -> tuple[bool, str]:
    """Validate a graph against ``ontologies/shapes.ttl``, without inference.

    Args:
        graph: The data graph (for example the output of :func:`kg.rdf.build.to_rdf`). It is
            not modified.

    Returns:
        ``(conforms, report)``: whether the graph satisfies every shape, and pyshacl's
        human-readable report (one entry per violation, naming the focus node, the path
        and the shape's message).

    Raises:
        ImportError: pyshacl is not installed.
    """
    try:
        from pyshacl import validate as shacl_validate
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("validating a graph needs pyshacl: pip install pyshacl") from err

    conforms, _report_graph, text = shacl_validate(
        graph,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
    )
    return bool(conforms), str(text)


__all__ = ["ONTOLOGIES", "ontology_path", "shapes_graph", "validate"]
