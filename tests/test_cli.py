"""The command line: exit codes, outputs, warnings with file:line, and help for every command."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

DATA = Path(__file__).resolve().parent / "data" / "cli"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def events_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]


def test_build_writes_every_output_and_merges_languages(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["build", str(DATA / "articles.jsonl"), "--out", str(tmp_path), "--quiet"])
    assert res.exit_code == 0, res.output
    for name in ("events.jsonl", "graph.ttl", "graph.html", "graph.graphml"):
        assert (tmp_path / name).stat().st_size > 0
        assert str(tmp_path / name) in res.output
    (ev,) = events_of(tmp_path)
    assert {p["name"] for p in ev["participants"]} == {"Antony Blinken", "Wang Yi"}
    assert ev["date"] == "2024-07-26" and ev["location"]["name"] == "Vientiane"
    assert sorted(s["article"] for s in ev["sources"]) == ["t-en-1", "t-id-1"]  # one event, two languages


def test_bad_lines_are_reported_with_file_and_line_and_skipped(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["build", str(DATA / "articles.jsonl"), "--out", str(tmp_path), "--quiet"])
    assert res.exit_code == 0
    path = str(DATA / "articles.jsonl")
    assert f"{path}:2: not valid JSON" in res.output
    assert f"{path}:3:" in res.output and "no text" in res.output
    assert f"{path}:4:" in res.output and "'sw'" in res.output
    assert "skipped 3" in res.output


def test_strict_turns_warnings_into_failure(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["build", str(DATA / "articles.jsonl"), "--out", str(tmp_path), "--strict", "--quiet"])
    assert res.exit_code == 1
    assert "articles.jsonl:2" in res.output


def test_txt_file_dates_itself_from_weekday_and_day_month(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["build", str(DATA / "kunjungan.id.txt"), "--out", str(tmp_path), "--quiet"])
    assert res.exit_code == 0, res.output
    events = events_of(tmp_path)
    pairs = {frozenset(p["name"] for p in e["participants"]): e for e in events}
    main_event = pairs[frozenset({"Sugiono", "Takeshi Iwaya"})]
    assert main_event["date"] == "2025-01-14"  # Selasa (14/1) is a Tuesday in 2025
    assert main_event["location"]["name"] == "Tokyo"
    assert main_event["sources"][0]["article"].endswith("kunjungan.id.txt")


def test_stdin(runner: CliRunner, tmp_path: Path) -> None:
    line = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0]
    res = runner.invoke(main, ["build", "-", "--out", str(tmp_path), "--quiet"], input=line + "\n")
    assert res.exit_code == 0, res.output
    assert len(events_of(tmp_path)) == 1


def test_extract_then_build_merges_without_nlp(runner: CliRunner, tmp_path: Path) -> None:
    mentions = tmp_path / "mentions.jsonl"
    res = runner.invoke(main, ["extract", str(DATA / "articles.jsonl"), "-o", str(mentions), "--quiet"])
    assert res.exit_code == 0, res.output
    assert len(mentions.read_text(encoding="utf-8").splitlines()) == 2  # one mention per article
    res = runner.invoke(main, ["build", str(mentions), "--out", str(tmp_path / "out"), "--quiet"])
    assert res.exit_code == 0, res.output
    assert len(events_of(tmp_path / "out")) == 1


def test_evaluate_prints_scores(runner: CliRunner) -> None:
    res = runner.invoke(main, ["evaluate", "--gold", str(DATA / "gold.jsonl"), str(DATA / "articles.jsonl"),
                               "--json", "--quiet"])
    assert res.exit_code == 0, res.output
    scores = json.loads(res.output.strip().splitlines()[-1])
    assert scores["pairs"]["f1"] == 1.0 and scores["quads"]["f1"] == 1.0 and scores["merge"]["f1"] == 1.0


def test_evaluate_names_the_gold_line_it_cannot_score(runner: CliRunner, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    good = (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines()[0]
    gold.write_text(good + "\n" + json.dumps({"id": "x", "meetings": [{"participants": ["3f2a9c"]}], "sealed": {}}) + "\n",
                    encoding="utf-8")
    res = runner.invoke(main, ["evaluate", "--gold", str(gold), str(DATA / "articles.jsonl"), "--quiet"])
    assert res.exit_code == 1
    assert f"{gold}:2: a sealed gold row" in res.output and "Traceback" not in res.output


def test_langs_lists_the_packs(runner: CliRunner) -> None:
    res = runner.invoke(main, ["langs"])
    assert res.exit_code == 0
    assert re.search(r"^en\s+English\s+\d", res.output, re.M) and re.search(r"^id\s+Indonesian", res.output, re.M)


def test_a_failed_build_keeps_the_previous_outputs(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    res = runner.invoke(main, ["build", str(DATA / "articles.jsonl"), "--out", str(tmp_path), "--quiet"])
    assert res.exit_code == 0
    before = (tmp_path / "events.jsonl").read_bytes()
    from kg.rdf.store import KgStore

    store = KgStore(tmp_path / "store", read_only=True)
    stored = store.rows("who-met-whom")
    store.close()
    assert stored

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("kg.export.html.render_html", boom)
    res = runner.invoke(main, ["build", str(DATA / "kunjungan.id.txt"), "--out", str(tmp_path), "--quiet"])
    assert res.exit_code != 0
    assert (tmp_path / "events.jsonl").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
    from kg.rdf.store import KgStore

    store = KgStore(tmp_path / "store", read_only=True)  # the store's process was stopped: still the first build
    try:
        assert store.rows("who-met-whom") == stored
    finally:
        store.close()


def test_every_command_has_help_and_is_in_the_readme(runner: CliRunner) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _cmd in main.commands.items():
        res = runner.invoke(main, [name, "--help"])
        assert res.exit_code == 0 and "Example:" in res.output, name
        assert f"kg {name}" in readme, f"`kg {name}` is not documented in README.md"


def test_readme_first_block_has_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", readme, re.S).group(1)
    lines = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1].strip() in ci
    assert shutil.which("python3")


def test_no_articles_writes_nothing_and_fails(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["build", str(DATA / "articles.jsonl"), "--out", str(tmp_path), "--quiet"])
    before = (tmp_path / "events.jsonl").read_bytes()
    res = runner.invoke(main, ["build", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path), "--quiet"])
    assert res.exit_code == 1
    assert "missing.jsonl" in res.output and "nothing written" in res.output
    assert (tmp_path / "events.jsonl").read_bytes() == before


# --------------------------------------------------------------------------- the store (issue 3)


def test_issue_3_build_writes_a_store_and_add_remove_query_export_use_it(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "store"
    res = runner.invoke(main, ["build", str(DATA / "articles.jsonl"), "--out", str(tmp_path), "--quiet"])
    assert res.exit_code == 0, res.output
    assert f"store    {store}" in res.output and store.is_dir()

    res = runner.invoke(main, ["query", "who-met-whom", "--store", str(store), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert "Antony Blinken" in res.output and "Wang Yi" in res.output

    res = runner.invoke(main, ["add", str(DATA / "kunjungan.id.txt"), "--store", str(store), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "1 added" in res.output
    res = runner.invoke(main, ["add", str(DATA / "kunjungan.id.txt"), "--store", str(store), "--quiet"])
    assert "0 added, 0 re-extracted, 1 unchanged" in res.output

    res = runner.invoke(main, ["query", "actor-meetings", "--store", str(store), "--param", "actor_name=Sugiono",
                               "--format", "json"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.output)) == 2  # one object a row

    res = runner.invoke(main, ["remove", "t-en-1", "--store", str(store)])
    assert res.exit_code == 0 and "1 removed" in res.output
    res = runner.invoke(main, ["query", "single-source", "--store", str(store), "--format", "tsv"])
    assert res.exit_code == 0 and len(res.output.strip().splitlines()) == 4  # header + three meetings

    res = runner.invoke(main, ["remove", "nope", "t-en-1", "--store", str(store)])  # gone already, or never there
    assert res.exit_code == 0 and "notice: not in the store, nothing to remove: nope, t-en-1" in res.output
    assert "0 removed; 3 meetings" in res.output

    for fmt, needle in [("trig", "graph:meetings"), ("nq", "<https://w3id.org/kg/id/graph/runs>"),
                        ("ttl", "kg:Meeting"), ("csv", "id,date,status"), ("graphml", "<graphml"),
                        ("gexf", "<gexf"), ("jsonld", '"@graph"'), ("nt", "ontology#Meeting>")]:
        out = tmp_path / f"export.{fmt}"
        res = runner.invoke(main, ["export", "--store", str(store), "--format", fmt, "-o", str(out)])
        assert res.exit_code == 0, (fmt, res.output)
        assert needle in out.read_text(encoding="utf-8"), fmt

    res = runner.invoke(main, ["validate", str(store)])
    assert res.exit_code == 0 and "valid" in res.output


def test_issue_3_query_list_errors_and_the_graph_file_form(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["query", "--list"])
    assert res.exit_code == 0
    names = [ln for ln in res.output.splitlines() if ln and not ln.startswith(" ")]
    assert {"who-met-whom", "actor-meetings", "place-meetings", "pair-timeline", "top-actors",
            "single-source"} <= set(names)
    runner.invoke(main, ["build", str(DATA / "articles.jsonl"), "--out", str(tmp_path), "--quiet"])
    res = runner.invoke(main, ["query", "SELECT ?x WHERE {\n ?x ?y }", "--store", str(tmp_path / "store")])
    assert res.exit_code == 1 and "cannot parse the query at line 2, column" in res.output
    res = runner.invoke(main, ["query", str(tmp_path / "graph.ttl"), "actor-meetings", "--bind",
                               "actor_name=Wang Yi", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)[0]["others"] == "Antony Blinken"
    res = runner.invoke(main, ["query", "who-met-whom"])
    assert res.exit_code == 2 and "--store" in res.output
    res = runner.invoke(main, ["build", str(DATA / "articles.jsonl"), "--out", str(tmp_path / "b"), "--no-store", "-q"])
    assert res.exit_code == 0 and not (tmp_path / "b" / "store").exists()
