"""KG_PACKS and ``kg --packs``: a folder of packs adds to or overrides the installed ones."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import UnknownLanguage
from kg.langs import PACKS_DIR, PACKS_ENV, available_packs, get_pack, packs_path


@pytest.fixture
def own_en(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the English pack that knows one more name; KG_PACKS restored afterwards."""
    monkeypatch.setenv(PACKS_ENV, "")
    packs = tmp_path / "packs"
    shutil.copytree(PACKS_DIR / "en", packs / "en")
    with (packs / "en" / "actors.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps({"name": "Ferdinand Marcos Jr.", "aliases": ["PBBM"]}) + "\n")
    return packs


def test_kg_packs_overrides_a_pack(own_en: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_pack("en").path == PACKS_DIR / "en"
    monkeypatch.setenv(PACKS_ENV, str(own_en))
    assert packs_path() == (own_en.resolve(), PACKS_DIR)
    pack = get_pack("en")
    assert pack.path == own_en.resolve() / "en"
    assert {"name": "Ferdinand Marcos Jr.", "aliases": ["PBBM"]} in [
        {k: v for k, v in a.items() if k != "_line"} for a in pack.actors
    ]
    assert get_pack("fr").path == PACKS_DIR / "fr"  # the others are still kg's own
    monkeypatch.setenv(PACKS_ENV, "")
    assert get_pack("en").path == PACKS_DIR / "en"


def test_kg_packs_adds_a_pack_given_as_its_own_folder(own_en: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new = own_en / "xx"
    shutil.copytree(own_en / "en", new)
    text = (new / "pack.toml").read_text(encoding="utf-8")
    (new / "pack.toml").write_text(text.replace('code = "en"', 'code = "xx"'), encoding="utf-8")
    assert "xx" not in available_packs()
    with pytest.raises(UnknownLanguage):
        get_pack("xx")
    monkeypatch.setenv(PACKS_ENV, os.pathsep.join([str(new), str(tmp_missing := own_en / "missing")]))
    assert not tmp_missing.exists()  # a folder that does not exist is passed over, as in PATH
    assert "xx" in available_packs()
    assert get_pack("xx").code == "xx"


def test_cli_packs_option(own_en: Path) -> None:
    result = CliRunner().invoke(main, ["--packs", str(own_en), "langs"])
    assert result.exit_code == 0, result.output
    (en,) = [line for line in result.output.splitlines() if line.startswith("en ")]
    assert en.endswith(str(own_en.resolve() / "en"))
    (fr,) = [line for line in result.output.splitlines() if line.startswith("fr ")]
    assert str(PACKS_DIR) not in fr and "/" not in fr  # kg's own packs show no folder
    missing = CliRunner().invoke(main, ["--packs", str(own_en / "nope"), "langs"])
    assert missing.exit_code == 2 and "does not exist" in missing.output
