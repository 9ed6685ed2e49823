"""The Extractor interface: the registry, builds that take an Extractor (here, on workers too),
rule ids on every mention, `kg explain` and `kg evaluate --by-rule`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KgError
from kg.explain import explain
from kg.extractor import Extractor, RulesExtractor, available_extractors, get_extractor, parse_models
from kg.model import Actor, Article, Event, Mention
from kg.pipeline import build

DATA = Path(__file__).resolve().parents[1] / "data" / "cli"
TEXT = ("JAKARTA - Indonesian Foreign Minister Sugiono met his Japanese counterpart Takeshi Iwaya in Jakarta on "
        "Tuesday. The two ministers will meet again in Tokyo next month, Sugiono said.")


def article(aid: str = "x1", text: str = TEXT) -> Article:
    return Article(aid, text, lang="en", published=dt.date(2025, 3, 5))


@dataclass(frozen=True)
class Fixed:
    """An extractor of our own: one meeting between the first two capitalised words, whatever the text.
    Module level, so that worker processes can unpickle it."""

    name: str = "fixed"

    def extract(self, article: Article) -> list[Event]:
        a, b = [w for w in article.text.split() if w[:1].isupper()][:2]
        m = Mention(article.id, 0, len(article.text), article.text, rules=(("fixed.first-two", f"{a} {b}"),))
        return [Event((Actor(a), Actor(b)), None, None, evidence=(m,))]


def test_registry_names_and_errors() -> None:
    assert {"rules", "spacy"} <= set(available_extractors())
    assert isinstance(get_extractor("rules"), RulesExtractor)
    assert isinstance(Fixed(), Extractor)
    with pytest.raises(KgError, match="no extractor named 'nope'; available: .*rules"):
        get_extractor("nope")
    with pytest.raises(KgError, match="needs an installed pipeline"):
        get_extractor("spacy")
    assert parse_models(["en=en_core_web_sm", "xx_sm"]) == (("en", "en_core_web_sm"), ("*", "xx_sm"))
    assert RulesExtractor(parse_models(["id=id_x", "*=all_x"])).model_for("en") == "all_x"
    with pytest.raises(KgError, match="LANG=PIPELINE"):
        parse_models(["en="])


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_runs_whatever_extractor_it_is_given(workers: int) -> None:
    arts = [article("a1", "Alpha Beta talked."), article("a2", "Gamma Delta talked.")]
    events = build(arts, extractor=Fixed(), workers=workers)
    assert sorted(sorted(p.name for p in e.participants) for e in events) == [["Alpha", "Beta"], ["Delta", "Gamma"]]
    assert all(e.evidence[0].rules == (("fixed.first-two", e.evidence[0].text.split()[0] + " "
                                        + e.evidence[0].text.split()[1]),) for e in events)


def test_every_rules_mention_names_its_meeting_word_and_how_each_person_was_found() -> None:
    events = build([article()])
    by_pair = {frozenset(p.name for p in e.participants): e for e in events}
    ev = by_pair[frozenset({"Sugiono", "Takeshi Iwaya"})]
    rules = dict(r for m in ev.evidence for r in m.rules)
    meet = [k for k in rules if k.startswith("meet ")]
    assert meet and all(k.split()[1].startswith("en/cues.jsonl:") for k in meet)
    line = int(meet[0].split(":")[-1])  # the rule id points at the pack line of the cue
    cue = json.loads(Path(__file__).resolve().parents[2].joinpath("kg/langs/en/cues.jsonl").read_text(
        encoding="utf-8").splitlines()[line - 1])
    assert cue["kind"] == "meet" and cue["text"].lower() == rules[meet[0]].lower()
    people = {v: k for k, v in rules.items() if k.startswith("person.")}
    assert set(people) == {"Sugiono", "Takeshi Iwaya"}
    # round trip through events.jsonl
    again = Event.from_dict(json.loads(json.dumps(ev.to_dict())))
    assert [m.rules for m in again.evidence] == [m.rules for m in ev.evidence]


def test_explain_lists_spans_with_rules_and_the_meetings() -> None:
    (item,) = list(explain([article()]))
    labels = {(n.label, n.text) for n in item.spans}
    assert ("person", "Takeshi Iwaya") in labels and ("meet", "met") in labels and ("place", "Jakarta") in labels
    date = next(n for n in item.spans if n.label == "date" and n.text.endswith("Tuesday"))
    assert date.value == "2025-03-04"
    assert all(TEXT[n.start:n.end] == n.text for n in item.spans)
    assert item.events and all(e.evidence[0].rules for e in item.events)


def test_kg_explain_prints_spans_and_decisions(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps(article().to_dict()) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["explain", str(f)])
    assert res.exit_code == 0, res.output
    assert "'Takeshi Iwaya'" in res.output and "[person." in res.output
    assert "meeting 1:" in res.output and "meet en/cues.jsonl:" in res.output
    res = CliRunner().invoke(main, ["explain", str(f), "--json"])
    row = json.loads(res.output.splitlines()[0])
    assert row["article"] == "x1" and row["meetings"][0]["sources"][0]["rules"]


def test_evaluate_by_rule_blames_the_rule_that_made_a_wrong_pair(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    arts = tmp_path / "a.jsonl"
    arts.write_text(json.dumps(article().to_dict()) + "\n", encoding="utf-8")
    # gold without the planned meeting: the planned-status rule's pairs are all wrong, the meet rule's half right
    gold.write_text(json.dumps({"id": "x1", "meetings": [{
        "event": "e", "participants": [{"name": "Sugiono"}, {"name": "Takeshi Iwaya", "aliases": ["Iwaya"]}],
        "location": {"name": "Jakarta"}, "date": "2025-03-04", "status": "occurred", "mode": "in-person"}]}) + "\n",
        encoding="utf-8")
    res = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), str(arts), "--by-rule", "--json", "-q"])
    assert res.exit_code == 0, res.output
    rows = {r["rule"]: r for r in json.loads(res.output)["by_rule"]}
    planned = [r for k, r in rows.items() if k.startswith("status.planned")]
    assert planned and all(r["precision"] == 0.0 for r in planned)
    assert rows["date.in-clause"]["right"] >= 1


def test_evaluate_scores_several_extractors_side_by_side(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["evaluate", "--gold", str(DATA / "gold.jsonl"), str(DATA / "articles.jsonl"),
                                    "--extractor", "rules", "--extractor", "rules", "-q"])
    assert res.exit_code == 0, res.output
    assert "== rules\n" in res.output and "== rules#2" in res.output
    assert sum(line.startswith("pairs ") for line in res.output.splitlines()) == 2


def test_explain_tells_a_speaker_who_met_someone_in_an_after_phrase() -> None:
    from kg.explain import format_explanation

    art = Article("s", "Kenyan President William Ruto said on Tuesday, after talks with Ethiopian Prime Minister "
                       "Abiy Ahmed, that the highway would be finished.", lang="en", published=dt.date(2025, 5, 14))
    (item,) = list(explain([art]))
    text = format_explanation(item)
    assert "pair.after-phrase-subject" in text
    assert "a side only of a meeting told in an after phrase" in text
