"""Where kg runs is not code: Python files in the working folder are never imported.

multiprocessing starts its fork server as ``python -c``, which puts the working folder first on
the import path; ``kg build`` starts that server to write the store and graph.ttl beside the
main process. A ``pyoxigraph.py`` or ``concurrent.py`` in the folder (a downloaded corpus) ran
there, and a ``kg/`` package there (a source tree) was imported instead of kg, which made the
build crash.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# each planted module leaves a file behind when it is imported
_MARK = "open({marker!r}, 'w').close()\n"
MODULES = ["pyoxigraph.py", "concurrent.py", "selectors.py"]


def plant(folder: Path, names: list[str]) -> list[Path]:
    """Python files in ``folder`` that each write a marker when imported; the markers' paths."""
    markers = []
    for name in names:
        marker = folder / f"IMPORTED-{name.replace('/', '-')}"
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_MARK.format(marker=str(marker)), encoding="utf-8")
        markers.append(marker)
    return markers


def run_from(cwd: Path, script: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (kept outside ``cwd``, as the ``kg`` console script is) in ``cwd``."""
    return subprocess.run([sys.executable, str(script), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def launcher(folder: Path, body: str) -> Path:
    """A script, as the ``kg`` console script is: outside the working folder, with a main guard
    (multiprocessing imports the main module again in the processes it starts)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "launch.py"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("planted", [MODULES, ["kg/__init__.py"]], ids=["modules", "kg-package"])
def test_processes_beside_never_import_from_the_working_folder(tmp_path: Path, planted: list[str]) -> None:
    hostile = tmp_path / "corpus"
    markers = plant(hostile, planted)
    script = launcher(tmp_path / "bin", (
        "from pathlib import Path\n"
        "import sys\n"
        "from kg.parallel import beside, start_beside_server\n"
        "if __name__ == '__main__':\n"
        "    start_beside_server()\n"
        "    beside(Path.write_text, Path(sys.argv[1]), 'written beside').result()\n"
    ))
    done = tmp_path / "done.txt"
    res = run_from(hostile, script, str(done), timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert done.read_text() == "written beside"
    assert [m.name for m in markers if m.exists()] == []


@pytest.mark.slow
def test_kg_build_in_a_folder_of_python_files_runs_none_of_them(tmp_path: Path) -> None:
    hostile = tmp_path / "corpus"
    markers = plant(hostile, [*MODULES, "kg/__init__.py"])
    (hostile / "articles.jsonl").write_bytes((ROOT / "tests" / "data" / "sample" / "samples.jsonl").read_bytes())
    script = launcher(tmp_path / "bin", "import sys\nfrom kg.cli import main\nif __name__ == '__main__':\n    sys.exit(main())\n")
    res = run_from(hostile, script, "build", "articles.jsonl", "--out", "out", "--quiet", "--workers", "2")
    assert res.returncode == 0, res.stderr[-3000:]
    assert (hostile / "out" / "store").is_dir() and (hostile / "out" / "graph.ttl").stat().st_size > 0
    assert [m.name for m in markers if m.exists()] == []
