"""Every installed language pack loads, compiles and carries examples; bad packs report file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import PackError, UnknownLanguage
from kg.langs import CUE_KINDS, available_packs, get_pack, load_pack
from kg.nlp.dates import date_rules
from kg.nlp.pipeline import make_annotator

PACKS = available_packs()


@pytest.mark.parametrize("code", PACKS)
def test_pack_loads_and_compiles(code: str) -> None:
    pack = get_pack(code)
    assert pack.code == code and pack.version
    assert {c["kind"] for c in pack.cues} <= CUE_KINDS
    assert pack.cue_phrases("meet"), "a pack needs meeting words"
    assert len(pack.examples) >= 3, "a pack needs examples.jsonl with at least three sentences"
    assert date_rules(code).formats
    ann = make_annotator(code)
    assert len(ann.title_matcher) > 0 and len(ann.cue_matcher) > 0


def test_unknown_language_lists_the_packs() -> None:
    with pytest.raises(UnknownLanguage, match="installed packs: .*en"):
        get_pack("xx-unknown")


def test_a_broken_pack_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / "pack.toml").write_text('code = "zz"\nversion = "0.1"\n', encoding="utf-8")
    (tmp_path / "cues.jsonl").write_text(
        json.dumps({"text": "met", "kind": "meet"}) + "\nnot json\n" + json.dumps({"text": "x", "kind": "nope"}) + "\n",
        encoding="utf-8")
    (tmp_path / "titles.jsonl").write_text(json.dumps({"role": "President"}) + "\n", encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_pack(tmp_path)
    text = str(err.value)
    assert f"{tmp_path / 'cues.jsonl'}:2: not JSON" in text
    assert f"{tmp_path / 'cues.jsonl'}:3: unknown cue kind 'nope'" in text
    assert f"{tmp_path / 'titles.jsonl'}:1: missing text" in text
