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


def test_the_schema_refuses_unknown_keys_wrong_types_and_duplicate_entries(tmp_path: Path) -> None:
    (tmp_path / "pack.toml").write_text('code = "zz"\nversion = "0.1"\n[windows]\nnegation_before = 3\nbogus = 2\n',
                                        encoding="utf-8")
    rows = [{"text": "met", "kind": "meet"}, {"text": "Met", "kind": "meet"},  # the same cue: cues match on lower case
            {"text": "talks", "kind": "meet", "gatherin": True},  # a misspelt key
            {"text": "will", "kind": "planned", "near": "8"}]  # a number as a string
    (tmp_path / "cues.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "titles.jsonl").write_text(json.dumps({"text": "President", "class": "boss"}) + "\n", encoding="utf-8")
    (tmp_path / "words.toml").write_text('not_name = "The"\nnot_a_list = []\n', encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_pack(tmp_path)
    text = str(err.value)
    cues = tmp_path / "cues.jsonl"
    assert f"{cues}:2: duplicate of line 1" in text
    assert f"{cues}:3: Additional properties are not allowed ('gatherin' was unexpected)" in text
    assert f"{cues}:4: near: '8' is not of type 'integer'" in text
    assert f"{tmp_path / 'titles.jsonl'}:1: class: 'boss' is not one of" in text
    assert "not_name: 'The' is not of type 'array'" in text and "'not_a_list' was unexpected" in text
    assert "unknown window(s) bogus" in text


def test_windows_come_from_the_pack(tmp_path: Path) -> None:
    (tmp_path / "pack.toml").write_text('code = "zz"\nversion = "0.1"\n[windows]\nnegation_before = 2\n', encoding="utf-8")
    pack = load_pack(tmp_path)
    assert pack.window("negation_before") == 2
    assert pack.window("planned_before") == 8  # the default


@pytest.mark.parametrize("code", PACKS)
def test_installed_packs_pass_their_schema(code: str) -> None:
    pack = load_pack(get_pack(code).path)  # not the cached one: checked again
    assert pack.cues and pack.titles


@pytest.mark.parametrize("code", PACKS)
def test_no_office_title_is_one_of_the_languages_commonest_words(code: str) -> None:
    """An inflected office that is spelled like a function word ("после", the ambassador's prepositional
    case, is "after") would take everyone named after the preposition for someone's envoy. Honorifics
    ("Mr", "Frau") are that common on their own right."""
    from wordfreq import top_n_list

    common = set(top_n_list(code, 150))
    clash = [t["text"] for t in get_pack(code).titles if t.get("class") != "honorific" and t["text"].lower() in common]
    assert clash == []


def test_a_declining_pack_matches_its_meeting_nouns_in_every_case() -> None:
    """ru names.base_form = "pymorphy3": a noun cue listed once matches its other case forms, each
    keeping the line it was written on; a verb only its other genders and numbers of the same tense."""
    cues = get_pack("ru").cues
    listed = next(c for c in cues if c["text"] == "видеоконференции" and c["kind"] == "meet")
    added = next(c for c in cues if c["text"] == "видеоконференцию" and c["kind"] == "meet")
    assert added["_line"] == listed["_line"]
    verb = next(c for c in cues if c["text"] == "встретился")
    forms = {c["text"] for c in cues if c["_line"] == verb["_line"] and c["kind"] == verb["kind"]}
    assert forms == {"встретился", "встретилось"}  # ("встретилась", "встретились" have lines of their own)
    assert not any(c["text"] == "видеоконференцию" for c in get_pack("en").cues)
