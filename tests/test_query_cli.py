"""Issue 16: answers written for people, on the small sample build (``kg build tests/data/sample``).

Query output (labels and words, no value cut without an ellipsis, tables that fit, csv/tsv/json in
full, dates at their precision), who-met-whom's counting, names as the explorer's search finds
them, ``kg query --list``, errors that say what to do, unsure language detection, and the
README's examples.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.rdf.query import available_queries, named_query

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small sample build: ``kg build tests/data/sample --out OUT`` run from the repository's root
    (four articles and the seed: short answers to check, and the README's query examples)."""
    out = tmp_path_factory.mktemp("sample") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        res = CliRunner().invoke(main, ["build", "tests/data/sample", "--out", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    return out


def kg(*args: str, width: int = 100, cwd: Path = ROOT) -> tuple[int, str, str]:
    """Run ``kg ARGS`` with a terminal ``width`` columns wide: exit code, stdout, stderr."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        res = CliRunner().invoke(main, list(args), env={"COLUMNS": str(width)})
    return res.exit_code, res.stdout, res.stderr


def q(built: Path, *args: str, width: int = 100) -> str:
    code, out, err = kg("query", *args, "--store", str(built / "store"), width=width)
    assert code == 0, err
    return out


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------- output for people


def test_tables_show_labels_and_plain_words_not_iris(built: Path) -> None:
    out = q(built, "actor-meetings", "--param", "actor_name=Lavrov")
    assert "https://" not in out and "ontology#" not in out
    header, row = out.splitlines()
    assert header.split() == ["date", "status", "mode", "place", "others", "sources"]
    assert row.split() == ["2025-09-24", "occurred", "in-person", "New", "York", "City", "Marco", "Rubio", "3"]
    # an IRI column that does not fit is left out whole, and stderr says where it is
    assert "meeting left out to fit 100 columns: --format csv shows it" in kg(
        "query", "actor-meetings", "--param", "actor_name=Lavrov", "--store", str(built / "store"))[2]
    # at 160 columns it fits, as a CURIE kg query takes back
    wide = q(built, "actor-meetings", "--param", "actor_name=Lavrov", width=160)
    assert "meeting:Q324546-sergei-lavrov-2025-09-24" in wide
    # SPARQL of one's own gets words too
    out = q(built, "SELECT DISTINCT ?s ?p WHERE { ?m kg:status ?s ; kg:datePrecision ?p } ORDER BY ?s ?p")
    assert out.split() == ["s", "p", "occurred", "day", "occurred", "month", "planned", "day", "planned", "month"]
    assert "ontology" not in out


@pytest.mark.parametrize("width", [100, 80, 60])
def test_every_table_fits_the_terminal_and_no_value_is_cut_without_an_ellipsis(built: Path, width: int) -> None:
    for name, params in [("who-met-whom", ["--status", "all"]), ("top-actors", []), ("single-source", []),
                         ("place-meetings", ["--param", "place=ID"]), ("actor-meetings", ["--param", "actor_name=Sugiono"]),
                         ("pair-timeline", ["--param", "a_name=Xi", "--param", "b_name=Biden"])]:
        table = q(built, name, *params, width=width)
        assert max(len(line) for line in table.splitlines()) <= width, (name, table)
        full = rows_of(q(built, name, *params, "--format", "csv"))
        words = set(table.split())
        for row in full:
            for col, value in row.items():
                if col == "meeting":
                    continue  # an IRI column is shown whole or left out whole (see the test above)
                for word in value.split():
                    cut = any(w.endswith("\u2026") and word.startswith(w[:-1]) for w in words)
                    assert word in words or cut, (name, width, col, word)


def test_machine_formats_have_every_value_in_full(built: Path) -> None:
    rows = rows_of(q(built, "single-source", "--format", "csv", width=40))
    assert rows[0]["meeting"] == "https://w3id.org/kg/id/meeting/Q15031-Q6279-2023-11"
    assert {r["status"] for r in rows} == {"occurred", "planned"}
    assert "tests/data/sample/lavrov-rubio-2025-09-24.id.txt" in {r["article"] for r in rows}
    tsv = q(built, "single-source", "--format", "tsv", width=40).splitlines()
    assert tsv[0].split("\t") == ["date", "status", "article", "participants", "meeting"] and len(tsv) == 11
    data = json.loads(q(built, "who-met-whom", "--format", "json", width=40))
    assert data[0] == {"a_name": "Xi Jinping", "b_name": "Joe Biden", "meetings": 2, "first": "2023-11",
                       "last": "2024-11-16"}
    # no row: the header still tells what the columns are
    assert q(built, "place-meetings", "--param", "place=Japan", "--format", "csv") == (
        "date,place_label,country,status,participants,sources,meeting\n")


def test_dates_at_their_precision(built: Path) -> None:
    out = q(built, "who-met-whom")
    assert "2023-11-01" not in out and "2024-10-31" not in out
    pairs = {(r["a_name"], r["b_name"]): r for r in rows_of(q(built, "who-met-whom", "--format", "csv"))}
    assert (pairs[("Xi Jinping", "Joe Biden")]["first"], pairs[("Xi Jinping", "Joe Biden")]["last"]) == (
        "2023-11", "2024-11-16")
    assert (pairs[("Penny Wong", "Sugiono")]["first"], pairs[("Penny Wong", "Sugiono")]["last"]) == ("2024-10", "2024-10")


# --------------------------------------------------------------------------- who met whom counts what happened


def test_who_met_whom_counts_occurred_meetings_unless_status_says(built: Path) -> None:
    def pairs(*args: str) -> dict[tuple[str, str], tuple[str, str, str]]:
        return {(r["a_name"], r["b_name"]): (r["meetings"], r["first"], r["last"])
                for r in rows_of(q(built, "who-met-whom", *args, "--format", "csv"))}

    default = pairs()
    # Macron will host Zelensky in Paris (planned) and spoke with him by phone on Tuesday (a call that
    # took place): only the call counts
    assert default[("Emmanuel Macron", "Volodymyr Zelensky")] == ("1", "2024-03-05", "2024-03-05")
    assert ("Pope Francis", "Nasaruddin Umar") not in default  # planned only
    assert default == pairs("--status", "occurred") == pairs("--param", "status=occurred")
    every = pairs("--status", "all")
    assert len(every) == len(default) + 1
    # planned and cancelled meetings count with --status, but never set a first or last date
    assert every[("Emmanuel Macron", "Volodymyr Zelensky")] == ("2", "2024-03-05", "2024-03-05")
    assert every[("Pope Francis", "Nasaruddin Umar")] == ("1", "", "")
    assert pairs("--status", "planned")[("Pope Francis", "Nasaruddin Umar")] == ("1", "", "")
    assert pairs("--status", "planned")[("Emmanuel Macron", "Volodymyr Zelensky")][0] == "1"
    assert pairs("--status", "cancelled") == {}
    # the same rule for top-actors: the Pope's planned meeting on 5 September is not his last
    top = {r["name"]: r for r in rows_of(q(built, "top-actors", "--status", "all", "--format", "csv"))}
    assert (top["Pope Francis"]["meetings"], top["Pope Francis"]["last"]) == ("2", "2024-09-04")
    assert top["Emmanuel Macron"]["meetings"] == "2"
    top = {r["name"]: r for r in rows_of(q(built, "top-actors", "--format", "csv"))}
    assert top["Pope Francis"]["meetings"] == "1" and top["Emmanuel Macron"]["meetings"] == "1"
    code, _, err = kg("query", "single-source", "--status", "all", "--store", str(built / "store"))
    assert code == 2 and "--status works with who-met-whom and top-actors" in err


# --------------------------------------------------------------------------- names, as the explorer finds them


@pytest.mark.parametrize("name", ["Lavrov", "Sergei Lavrov", "sergei lavrov", "Sergey Lavrov", "Сергей Лавров",
                                  "LAVROV", "Sergueï Lavrov", "person:sergei-lavrov"])
def test_an_actor_by_any_alias_case_or_script(built: Path, name: str) -> None:
    rows = rows_of(q(built, "actor-meetings", "--param", f"actor_name={name}", "--format", "csv"))
    assert [(r["date"], r["others"]) for r in rows] == [("2025-09-24", "Marco Rubio")]


def test_names_the_explorer_would_find_and_what_it_would_not(built: Path, tmp_path: Path) -> None:
    pair = rows_of(q(built, "pair-timeline", "--param", "a_name=xi", "--param", "b_name=BIDEN", "--format", "csv"))
    assert [r["date"] for r in pair] == ["2023-11", "2024-11-16"]
    assert len(rows_of(q(built, "place-meetings", "--param", "place=Indonesia", "--format", "csv"))) == 3
    assert len(rows_of(q(built, "place-meetings", "--param", "place=Индонезия", "--format", "csv"))) == 3
    assert len(rows_of(q(built, "place-meetings", "--param", "place=id", "--format", "csv"))) == 3
    assert [r["place_label"] for r in rows_of(q(built, "place-meetings", "--param", "place=Istana Merdeka",
                                                  "--format", "csv"))] == ["Merdeka Palace"]
    store = ["--store", str(built / "store")]
    for args, message in [
        (["actor-meetings", "--param", "actor_name=Lavrof"], "no actor named 'Lavrof'; did you mean Sergei Lavrov?"),
        (["actor-meetings", "--param", "actor_name=Jo"], "'Jo' fits 4 actors: Donald Trump, Pope Francis, Joe Biden, Joko Widodo; give more"),
        (["place-meetings", "--param", "place=Jakrta"], "no place named 'Jakrta'; did you mean Jakarta?"),
        (["actor-meetings"], "actor-meetings needs actor_name, e.g. --param actor_name=Lavrov"),
        (["pair-timeline", "--param", "a_name=Xi"], "pair-timeline needs b_name"),
        (["place-meetings"], "place-meetings needs place"),
        (["actor-meetings", "--param", "actor=Lavrov"], "has no parameter 'actor' (did you mean actor_name?)"),
        (["who-met-whom", "--param", "status=done"], "status must be one of occurred, planned, cancelled, all"),
    ]:
        code, _, err = kg("query", *args, *store)
        assert code == 1 and message in err, (args, err)
        assert len(err.strip().splitlines()) == 1, err  # one line
    # graph.ttl answers the same
    code, out, _ = kg("query", str(built / "graph.ttl"), "actor-meetings", "--param", "actor_name=Сергей Лавров",
                      "--format", "csv")
    assert code == 0 and rows_of(out)[0]["others"] == "Marco Rubio"


# --------------------------------------------------------------------------- kg query --list


def test_list_gives_each_query_whole_with_its_parameters_and_an_example() -> None:
    code, out, _ = kg("query", "--list", width=100)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    flat = " ".join(out.split())
    for name in available_queries():
        spec = named_query(name)
        assert f"\n{name}\n" in f"\n{out}"
        for paragraph in spec.description.split("\n\n"):
            assert " ".join(paragraph.split()) in flat, (name, paragraph)  # whole, not cut
        for p in spec.params:
            assert f"{p.name} ({'required' if p.required else 'optional'}" in flat
            assert " ".join(p.help.split()) in flat
        assert spec.examples and all(f"example: {ex}" in out for ex in spec.examples)
    assert "actor_name (required)" in out and "status (optional, default occurred)" in out


def test_every_example_of_list_runs(built: Path) -> None:
    for name in available_queries():
        for ex in named_query(name).examples:
            args = ex.split()[2:]
            args = [str(built / "store") if a == "out/store" else a for a in args]
            code, out, err = kg("query", *args)
            assert code == 0 and out.strip(), (ex, err)


# --------------------------------------------------------------------------- errors that say what to do


def test_errors_name_the_mistake_and_the_fix(built: Path) -> None:
    store = str(built / "store")
    cases = [
        (["query", "who-met-whom", "--store", str(built)],
         f"{built} is a build folder; its store is {built / 'store'}: use --store {built / 'store'}"),
        (["export", "--store", str(built)], "is a build folder; its store is"),
        (["query", "INSERT DATA { <urn:a> <urn:b> 1 }", "--store", store],
         "INSERT changes data, and kg query only reads; use kg add or kg remove to change a store"),
        (["query", "DELETE WHERE { ?s ?p ?o }", "--store", store], "DELETE changes data, and kg query only reads"),
        (["query", "SELECT ?n WHERE { ?a foaf:name ?n }", "--store", store],
         "unknown prefix foaf: at line 1, column 22; the prefixes kg declares are kg, sem, schema, prov"),
        (["query", "SELECT ?x WHERE {\n  ?x kg:status }", "--store", store],
         "cannot parse the query at line 2, column"),
        (["query", "SELECT ?x WHERE { ?x kg:status ?s ", "--store", store],
         "cannot parse the query at line 1, column 35 (at the end): a '{' is not closed"),
        (["query", 'SELECT ?x WHERE { ?x rdfs:label "Lavrov }', "--store", store], "a quoted string is not closed"),
        (["query", "who-met-who", "--store", store], "no stored query named 'who-met-who'; did you mean who-met-whom?"),
        (["validate", str(built / "events.jsonl")], "events.jsonl is JSON Lines (meetings or articles), not an RDF "
                                                    "graph; give graph.ttl or a store"),
        (["validate", str(built)], f"{built} is a build folder; give {built / 'graph.ttl'} or {built / 'store'}"),
        (["query", str(built / "events.jsonl"), "who-met-whom"], "not an RDF graph"),
        (["query", str(built), "who-met-whom"], f"is a build folder; give {built / 'graph.ttl'} or --store"),
    ]
    for args, message in cases:
        code, _, err = kg(*args)
        assert code == 1 and message in err, (args, err)
        assert len(err.strip().splitlines()) == 1, err
        assert "IO error" not in err and "expected one of" not in err and "Expected {" not in err
    # the same plain messages from graph.ttl (rdflib parses there)
    ttl = str(built / "graph.ttl")
    for text, message in [("SELECT ?n WHERE { ?a foaf:name ?n }", "unknown prefix foaf: at line 1, column 22"),
                          ("INSERT DATA { <urn:a> <urn:b> 1 }", "kg query only reads; use kg add or kg remove"),
                          ("SELECT ?x WHERE { ?x kg:status ?s ", "a '{' is not closed")]:
        code, _, err = kg("query", ttl, text)
        assert code == 1 and message in err, (text, err)


def test_store_help_says_where_the_store_is() -> None:
    code, out, _ = kg("query", "--help", width=200)
    assert "default OUT/store" not in out and "DIR/store after `kg build --out DIR`" in " ".join(out.split())


# --------------------------------------------------------------------------- languages, skipped articles


def test_unsure_language_is_a_warning_naming_the_file_and_languages_and_nothing_skipped_is_stored(
        tmp_path: Path) -> None:
    articles = tmp_path / "a.jsonl"
    swahili = ("Rais wa Tanzania Samia Suluhu Hassan alikutana na Waziri wa Mambo ya Nje wa China Wang Yi mjini "
               "Dar es Salaam siku ya Jumanne, na viongozi hao walijadili biashara na uwekezaji.")
    lines = [json.loads(line) for line in (DATA / "cli" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
             if line.startswith("{")]
    lines.append({"id": "t-sw-2", "published": "2024-07-27", "text": swahili})  # no "lang": detected
    articles.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    code, _, err = kg("build", str(articles), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 0, err
    assert (f"{articles}:5: cannot tell the language of article 't-sw-2' (it reads as Swahili, which has no pack; "
            "considered en, id, fr, es, de, ru, pt); skipped") in err
    assert f"{articles}:3: no language pack for 'sw'" in err  # t-xx-1 says "sw" itself
    out = q(tmp_path / "out", "SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id } ORDER BY ?id",
            "--format", "csv")
    assert out.split() == ["id", "t-en-1", "t-id-1"]  # t-en-2 (no text), t-xx-1 and t-sw-2 were skipped
    events = [json.loads(x) for x in (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {s["article"] for e in events for s in e["sources"]} == {"t-en-1", "t-id-1"}


# --------------------------------------------------------------------------- the README's examples


def test_readme_evaluation_example_runs_on_what_the_repository_ships() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    (cmd,) = re.findall(r"^\.venv/bin/kg (evaluate --gold \S+ \S+)$", readme, re.M)
    code, out, err = kg(*cmd.split(), "--quiet")
    assert code == 0, err
    pairs = float(re.search(r"^pairs\s+P [\d.]+\s+R [\d.]+\s+F1 ([\d.]+)", out, re.M).group(1))
    assert pairs >= 0.8, out  # the sample's who-met-whom pairs, found
    shown = re.search(r"```text\n(.*?)```", readme[readme.index(cmd):], re.S).group(1)
    assert out.strip() in shown  # the README shows what it prints


def test_readme_query_section_is_real_output_that_fits_100_columns(built: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Asking questions"):]
    section = section[: re.search(r"\n##+ ", section[4:]).start() + 4]
    blocks = re.findall(r"```console\n(.*?)```", section, re.S)
    assert len(blocks) >= 4
    ran = 0
    for block in blocks:
        for cmd, shown in re.findall(r"^\$ (kg .*)\n((?:(?!\$ ).*\n)*)", block, re.M):
            args = [str(built / "store") if a == "out/store" else a for a in _split(cmd)[1:]]
            code, out, err = kg(*args)
            assert code == 0, (cmd, err)
            assert out == shown, cmd
            assert max(len(line) for line in shown.splitlines()) <= 100, cmd
            ran += 1
    assert ran >= 5


def _split(cmd: str) -> list[str]:
    import shlex

    return shlex.split(cmd)


# --------------------------------------------------------------------------- the store and graph.ttl agree

#: Parameters for each named query (all of them are here: the test below checks).
PARAMS = {
    "actor-meetings": ["--param", "actor_name=Lavrov"],
    "pair-timeline": ["--param", "a_name=Xi", "--param", "b_name=joe biden"],
    "place-meetings": ["--param", "place=Indonesia"],
    "single-source": [],
    "top-actors": ["--status", "all"],
    "who-met-whom": ["--status", "all", "--param", "mode=in-person"],
}


def test_params_cover_every_named_query() -> None:
    assert set(PARAMS) == set(available_queries())


@pytest.mark.parametrize("fmt", ["table", "csv"])
@pytest.mark.parametrize("given", [True, False], ids=["with-params", "without"])
@pytest.mark.parametrize("name", sorted(PARAMS))
def test_every_named_query_answers_the_same_from_the_store_and_graph_ttl(
        built: Path, name: str, given: bool, fmt: str) -> None:
    params = PARAMS[name] if given else []
    from_store = kg("query", name, *params, "--format", fmt, "--store", str(built / "store"))
    from_ttl = kg("query", str(built / "graph.ttl"), name, *params, "--format", fmt)
    assert from_store == from_ttl
    code, out, err = from_store
    required = [p.name for p in named_query(name).params if p.required]
    if required and not given:
        assert code == 1 and f"{name} needs {required[0]}" in err
        return
    assert code == 0, err
    assert len(out.splitlines()) >= 2, out  # a header and at least one answer on the sample
    if given and params and not required:  # the optional parameters change the answer
        assert out != kg("query", name, "--format", fmt, "--store", str(built / "store"))[1]
