"""The merge with mentions on disk (kg.spill) gives exactly the in-memory merge, and kg build uses it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.merge import merge
from kg.model import Actor, Event, Mention, PartialDate, Place
from kg.pipeline import build
from kg.spill import merge_spilled


def tricky_mentions(n: int, seed: int, *, scattered: bool = True) -> list[Event]:
    """Few actors (so pairs chain into big components), 3-party meetings, undated and month dates,
    places with regions, repeated articles, calls and visits, planned and occurred."""
    rng = random.Random(seed)
    people = [Actor(f"Person {i}", country=rng.choice(["US", "RU", None])) for i in range(9)]
    places = [Place("Anchorage", country="US", region="Alaska"), Place("Alaska", country="US", region="Alaska"),
              Place("Geneva", country="CH"), None]
    out = []
    for i in range(n):
        who = tuple(rng.sample(people, 3 if rng.random() < 0.25 else 2))
        day = rng.choice([None, PartialDate(2025, rng.randint(1, 3)), PartialDate(2025, rng.randint(1, 3), rng.randint(1, 4))])
        article = f"a{rng.randrange(n // 2 + 1)}" if scattered else f"a{i // 2}"  # scattered: not how kg reads
        text = f"{who[0].name} met {who[1].name}."
        out.append(Event(who, rng.choice(places), day, rng.choice(["occurred", "planned", "cancelled"]),
                         rng.choice(["in-person", "in-person", "remote"]),
                         evidence=(Mention(article, i, i + len(text), text, lang=rng.choice(["en", "id"])),)))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_spilled_merge_gives_the_in_memory_meetings_in_the_same_order(seed: int, tmp_path: Path) -> None:
    mentions = tricky_mentions(400, seed)
    expected = merge(mentions)
    assert len(expected) < len(mentions) * 0.9  # the corpus really merges
    assert max(len(e.evidence) for e in expected) >= 3
    with merge_spilled(iter(mentions), folder=tmp_path, in_memory=50) as spilled:
        assert spilled.on_disk and len(spilled) == len(expected)
        assert [e.to_dict() for e in spilled] == [e.to_dict() for e in expected]
        assert [e.to_dict() for e in spilled] == [e.to_dict() for e in expected]  # read again from disk
        assert [e.to_dict() for e in spilled.mentions()] == [e.to_dict() for e in mentions]
    assert list(tmp_path.iterdir()) == []  # the scratch folder went away


@pytest.mark.parametrize("in_memory", [50, 1000])
def test_lines_and_most_reported_read_from_disk_equal_those_of_the_merged_meetings(in_memory: int, tmp_path: Path) -> None:
    from kg.export.html import most_reported
    from kg.export.jsonl import generate_events

    mentions = tricky_mentions(400, 5)
    expected = merge(mentions)
    with merge_spilled(iter(mentions), folder=tmp_path, in_memory=in_memory) as spilled:
        assert spilled.on_disk == (in_memory < len(mentions))
        assert list(spilled.lines()) == [(line + "\n").encode() for line in generate_events(expected)]
        for limit in (1, 7, 60, 10_000):
            shown, total = most_reported(spilled, limit)
            want, want_total = most_reported(list(expected), limit)  # ranks every meeting it reads
            assert total == want_total == len(expected)
            assert [e.to_dict() for e in shown] == [e.to_dict() for e in want]
        # ties broken by input order: the counts really vary and some tie at the cut
        counts = sorted((len(e.evidence) for e in expected), reverse=True)
        assert counts[0] > counts[59] == counts[60]


@pytest.mark.parametrize("in_memory", [50, 1000])
def test_extracted_is_given_every_mention_before_the_merge_and_can_read_them_twice(in_memory: int, tmp_path: Path) -> None:
    mentions = tricky_mentions(300, 6)
    want = [e.to_dict() for e in mentions]
    given = []

    def extracted(ms) -> None:  # kg build starts its store here
        given.append([e.to_dict() for e in ms])
        given.append([e.to_dict() for e in ms])

    with merge_spilled(iter(mentions), folder=tmp_path, in_memory=in_memory, extracted=extracted) as spilled:
        assert given == [want, want]
        assert [e.to_dict() for e in spilled] == [e.to_dict() for e in merge(mentions)]
        assert [e.to_dict() for e in spilled.mentions()] == want


@pytest.mark.parametrize("in_memory", [50, 1000])
def test_the_merge_reports_its_progress_up_to_every_mention(in_memory: int, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.spill

    monkeypatch.setattr(kg.spill, "PROGRESS_EVERY", 40)
    mentions = [e.with_(participants=(Actor(f"Person {i % 60}"), Actor(f"Other {i % 60}")))  # 60 components
                for i, e in enumerate(tricky_mentions(300, 7))]
    counted, merged = [], []
    with merge_spilled(iter(mentions), folder=tmp_path, in_memory=in_memory, merging=merged.append,
                       extracted=lambda ms: counted.append(len(ms))) as spilled:
        assert counted == [len(mentions)]  # what kg build's merge bar counts up to
        assert merged[-1] == len(mentions) and merged == sorted(merged)
        assert len(merged) > (5 if spilled.on_disk else 0)  # on disk: now and then, component by component
        assert [e.to_dict() for e in spilled] == [e.to_dict() for e in merge(mentions)]


def test_a_failing_input_stream_leaves_no_scratch_folder(tmp_path: Path) -> None:
    def broken():
        yield from tricky_mentions(5, 1)
        raise RuntimeError("disk read error")

    with pytest.raises(RuntimeError, match="disk read error"):
        merge_spilled(broken(), folder=tmp_path, in_memory=2)
    assert list(tmp_path.iterdir()) == []


def test_a_small_input_is_merged_in_memory(tmp_path: Path) -> None:
    mentions = tricky_mentions(100, 4)
    with merge_spilled(iter(mentions), folder=tmp_path, in_memory=100) as spilled:
        assert not spilled.on_disk
        assert [e.to_dict() for e in spilled] == [e.to_dict() for e in merge(mentions)]
        assert list(spilled.mentions()) == mentions
        assert [p.name for p in tmp_path.iterdir()] == [p.name for p in tmp_path.iterdir() if p.is_dir()]


def test_no_mentions_no_meetings(tmp_path: Path) -> None:
    with merge_spilled([], folder=tmp_path) as spilled:
        assert len(spilled) == 0 and list(spilled) == []


@pytest.mark.parametrize("in_memory", [20, 100_000])
def test_kg_build_from_events_files_equals_the_in_memory_merge_and_leaves_no_scratch(
        in_memory: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.spill
    from kg.export.jsonl import write_events

    monkeypatch.setattr(kg.spill, "IN_MEMORY", in_memory)
    mentions = tricky_mentions(300, 5, scattered=False)  # the store keeps an article's mentions together
    write_events(mentions[:150], tmp_path / "a.jsonl")
    write_events(mentions[150:], tmp_path / "b.jsonl")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--out",
                                       str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert got == [e.to_dict() for e in build([], events=mentions)]  # given events are resolved, then merged
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "graph.graphml", "graph.html", "graph.ttl",
                                                     "store"]
    from kg.rdf.store import KgStore

    with KgStore(out / "store", read_only=True) as ks:  # the store got every mention back from the scratch file
        assert [e.to_dict() for e in ks.events()] == got


def test_kg_build_strict_stops_at_a_broken_events_line_naming_it_and_keeps_the_old_outputs(tmp_path: Path) -> None:
    from kg.export.jsonl import write_events

    write_events(tricky_mentions(20, 6), tmp_path / "good.jsonl")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(tmp_path / "good.jsonl"), "--out", str(out), "--no-store",
                                     "--quiet"]).exit_code == 0
    before = (out / "events.jsonl").read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text((tmp_path / "good.jsonl").read_text(encoding="utf-8") + '{"participants": [oops\n',
                   encoding="utf-8")
    # with --strict (without, the line is one warning and the rest is built: issue 14)
    result = CliRunner().invoke(main, ["build", str(bad), "--out", str(out), "--no-store", "--quiet", "--strict"])
    assert result.exit_code != 0
    assert f"{bad}:21" in result.output
    assert (out / "events.jsonl").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no scratch left behind
    result = CliRunner().invoke(main, ["build", str(bad), "--out", str(out), "--no-store", "--quiet"])
    assert result.exit_code == 0 and f"warning: {bad}:21: not valid JSON" in result.output
    assert (out / "events.jsonl").read_bytes() == before


def test_a_build_with_no_articles_leaves_no_output_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(tmp_path / "empty"), "--out", str(out), "--quiet"])
    assert result.exit_code != 0 and "no articles read" in result.output
    assert not out.exists()
