"""The notebooks run top to bottom (nbclient, the kernel of this Python)."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _run(path: Path, probe: str | None = None) -> list[str]:
    """Execute a notebook (with ``probe`` as one more cell at the end); the text of every output."""
    nbformat = pytest.importorskip("nbformat", reason="nbformat not installed (pip install -e '.[dev]')")
    nbclient = pytest.importorskip("nbclient", reason="nbclient not installed (pip install -e '.[dev]')")
    nb = nbformat.read(path, as_version=4)
    assert all(
        not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code"
    ), f"{path.name} is saved with outputs; clear them"
    if probe:
        nb.cells.append(nbformat.v4.new_code_cell(probe))
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    texts = []
    for c in nb.cells:
        for out in c.get("outputs", []):
            texts.append(out.get("text", "") + out.get("data", {}).get("text/plain", ""))
    return texts


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(p for p in NOTEBOOKS.glob("*.ipynb") if p.stem != "explore"), ids=lambda p: p.stem)
def test_notebook_runs(path: Path) -> None:
    _run(path)


#: Run after the notebook: ``ax`` is its per-month chart.
PROBE = """
print("probe", type(ax.xaxis.get_major_formatter()).__name__, ax.xaxis.get_converter() is not None,
      all(float(t).is_integer() for t in ax.get_yticks()))
"""


@pytest.mark.slow
def test_explore_runs_prints_plain_words_and_charts_months_on_a_time_axis() -> None:
    texts = _run(NOTEBOOKS / "explore.ipynb", PROBE)
    shown = "\n".join(texts)
    assert "w3id.org" not in shown  # labels and words, no IRIs
    assert "occurred" in shown and "in-person" in shown and "Xi Jinping" in shown
    assert "2023-11" in shown and "2023-11-01" not in shown  # a month-precision meeting is a month
    assert texts[-1].split() == ["probe", "DateFormatter", "True", "True"]  # dates on x, whole meetings on y


def test_notebooks_exist() -> None:
    assert {p.name for p in NOTEBOOKS.glob("*.ipynb")} >= {"explore.ipynb", "own-articles.ipynb"}
