"""A trained spaCy pipeline as extra evidence (`--model LANG=PATH`, the `spacy` extractor), tested
with a real pipeline this test trains itself: nothing is downloaded."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.extractor import get_extractor
from kg.model import Article

# two people the rules cannot tell from ordinary words: no title, no given name, common-looking words
TEXT = "Orin Vale met Tamsin Brook in Geneva on Monday."
TRAIN = [
    ("Orin Vale spoke to reporters.", ["Orin Vale"]),
    ("Tamsin Brook arrived on Sunday.", ["Tamsin Brook"]),
    ("Reporters asked Orin Vale about the talks.", ["Orin Vale"]),
    ("The talks with Tamsin Brook lasted an hour.", ["Tamsin Brook"]),
    ("Orin Vale and Tamsin Brook signed a deal.", ["Orin Vale", "Tamsin Brook"]),
    ("A statement from Tamsin Brook followed.", ["Tamsin Brook"]),
]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blank English pipeline with an entity recogniser trained on a handful of sentences."""
    import spacy
    from spacy.training import Example

    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("PERSON")
    examples = []
    for text, names in TRAIN:
        doc = nlp.make_doc(text)
        spans = [(text.index(n), text.index(n) + len(n), "PERSON") for n in names]
        examples.append(Example.from_dict(doc, {"entities": spans}))
    random.seed(0)
    spacy.util.fix_random_seed(0)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("pipeline") / "en_tiny_ner"
    nlp.to_disk(path)
    return path


def test_the_pipeline_recognises_the_names(pipeline: Path) -> None:
    import spacy

    doc = spacy.load(pipeline)(TEXT)
    assert {e.text for e in doc.ents if e.label_ == "PERSON"} == {"Orin Vale", "Tamsin Brook"}


def test_without_a_pipeline_the_rules_find_no_one_and_with_it_the_meeting(pipeline: Path) -> None:
    art = Article("t1", TEXT, lang="en", published=dt.date(2025, 3, 4))
    assert get_extractor("rules").extract(art) == []  # "Vale", "Brook": ordinary words, no given name
    events = get_extractor("spacy", models=[f"en={pipeline}"]).extract(art)
    assert [sorted(a.name for a in e.participants) for e in events] == [["Orin Vale", "Tamsin Brook"]]
    assert ("person.model", "Orin Vale") in [(k.split()[0], v) for k, v in events[0].evidence[0].rules]
    # a pipeline of another language is no evidence for this one
    other = Article("t2", TEXT, lang="id", published=dt.date(2025, 3, 4))
    assert get_extractor("spacy", models=[f"en={pipeline}"]).extract(other) == []


def test_kg_build_takes_the_pipeline_per_language(pipeline: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "t1", "lang": "en", "published": "2025-03-04", "text": TEXT}) + "\n",
                   encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "out"), "--no-store", "--quiet",
                                    "--extractor", "spacy", "--model", f"en={pipeline}"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [sorted(p["name"] for p in r["participants"]) for r in rows] == [["Orin Vale", "Tamsin Brook"]]
