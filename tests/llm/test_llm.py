"""The llm extractor against a replayed OpenAI-compatible server (tests/llm/replay.py serves
recorded replies): candidates, schema and retry, grounding, cache, budget, concurrency, the
error paths (invalid JSON, 429, 5xx, timeouts, unreachable, a refused key) and the commands."""

from __future__ import annotations

import csv
import datetime as dt
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from replay import DATA, Replay, Reply, closed_port_url, completion, recorded

from kg.cli import main
from kg.errors import KgError
from kg.extractor import available_extractors, get_extractor
from kg.ingest import read_articles
from kg.llm import LlmExtractor, ServerUnavailable, load_settings
from kg.llm.ground import Folded, fold
from kg.llm.prompt import SCHEMA, InvalidAnswer, validate
from kg.model import Article
from kg.pipeline import build

ARTICLES = DATA / "articles.jsonl"
FIRST = "JAKARTA - Indonesian Foreign Minister Sugiono met his Japanese counterpart Takeshi Iwaya in Jakarta on Tuesday."


def meeting(participants: list[str], *, place: str | None = "Jakarta", date: str | None = "on Tuesday",
            status: str = "occurred", mode: str = "in-person", evidence: str = FIRST) -> dict[str, Any]:
    return {"participants": participants, "place": place, "date": date, "status": status, "mode": mode,
            "evidence": evidence}


def answers(body: dict[str, Any]) -> Reply:
    """What a careful model would say about the test articles (and one invention for each)."""
    text = body["messages"][1]["content"]
    found = []
    if "Sugiono met" in text:
        found.append(meeting(["Sugiono", "Takeshi Iwaya", "Hendra Invented"]))
    if "held talks with Sugiono" in text:
        found.append(meeting(["Iwaya", "Sugiono"], evidence="The minister held talks with Sugiono in Jakarta on Tuesday"))
    return Reply(completion({"meetings": found}))


def articles() -> list[Article]:
    return list(read_articles([str(ARTICLES)]))


def extractor(url: str, tmp_path: Path, **options: Any) -> LlmExtractor:
    ex = get_extractor("llm", url=url, model="test-model", cache=str(tmp_path / "cache"), backoff=0.01, **options)
    assert isinstance(ex, LlmExtractor)
    return ex


# ---------------------------------------------------------------------- settings


def test_settings_come_from_options_then_environment_then_config_file(tmp_path: Path) -> None:
    config = tmp_path / "llm.toml"
    config.write_text('[llm]\nurl = "http://config:1/v1"\nmodel = "from-config"\nconcurrency = 2\ntimeout = 9\n')
    env = {"KG_LLM_CONFIG": str(config), "KG_LLM_MODEL": "from-env", "KG_LLM_TIMEOUT": "30"}
    s = load_settings({"timeout": None, "max_calls": 5}, environ=env)
    assert (s.url, s.model, s.concurrency, s.timeout, s.max_calls) == ("http://config:1/v1", "from-env", 2, 30.0, 5)
    assert load_settings({"model": "from-option"}, environ=env).model == "from-option"
    assert s.endpoint() == "http://config:1/v1/chat/completions"


@pytest.mark.parametrize(("options", "env", "message"), [
    ({}, {}, "needs a server: give --llm-url"),
    ({"url": "http://x/v1"}, {}, "needs a model: give --llm-model"),
    ({"url": "localhost:8080", "model": "m"}, {}, "expected http://HOST:PORT/v1"),
    ({"url": "http://x/v1", "model": "m"}, {"KG_LLM_MAX_CALLS": "lots"}, "KG_LLM_MAX_CALLS: max_calls must be a whole number"),
    ({"url": "http://x/v1", "model": "m", "send": "everything"}, {}, "send must be one of candidates, article"),
    ({"url": "http://x/v1", "model": "m", "temprature": 1}, {}, "takes no option temprature"),
])
def test_bad_settings_are_one_line_errors_that_say_what_to_do(options: dict[str, Any], env: dict[str, str],
                                                              message: str, tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path), **env}
    with pytest.raises(KgError, match=message):
        load_settings(options, environ=env)


def test_a_config_file_with_an_unknown_key_names_the_file(tmp_path: Path) -> None:
    config = tmp_path / "llm.toml"
    config.write_text('url = "http://x/v1"\nmodle = "m"\n')
    with pytest.raises(KgError, match=r"llm\.toml: unknown llm setting\(s\) modle"):
        load_settings({}, environ={"KG_LLM_CONFIG": str(config)})


def test_the_key_is_read_from_the_environment_and_never_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_LLM_API_KEY", "sk-secret-1")
    with Replay([Reply(completion({"meetings": []}))]) as server:
        ex = extractor(server.url, tmp_path)
        ex.extract(articles()[0])
        assert server.headers[0]["Authorization"] == "Bearer sk-secret-1"
    assert b"sk-secret-1" not in pickle.dumps(ex)
    assert "sk-secret-1" not in repr(ex)


def test_llm_is_registered_and_the_rules_stay_the_default() -> None:
    assert "llm" in available_extractors()
    assert get_extractor().name == "rules"


# ---------------------------------------------------------------------- prompt and schema


def test_validate_names_the_first_fault() -> None:
    ok = json.dumps({"meetings": [meeting(["A", "B"])]})
    assert validate(f"```json\n{ok}\n```")[0]["participants"] == ["A", "B"]
    for bad, message in [("[1, 2]", "the answer: [1, 2] is not of type 'object'"),
                         ('{"meetings": [', "not JSON (Expecting value at character 14)"),
                         (json.dumps({"meetings": [meeting(["A", 7])]}), "meetings[0].participants[1]: 7 is not of type 'string'"),
                         (json.dumps({"meetings": [meeting(["A"])]}), "meetings[0].participants: ['A'] is too short"),
                         (json.dumps({"meetings": [meeting(["A", "B"], status="rumoured")]}),
                          "meetings[0].status: 'rumoured' is not one of ['occurred', 'planned', 'cancelled']"),
                         (json.dumps({"meetings": [meeting(["A", "B"], evidence="")]}),
                          "meetings[0].evidence: '' should be non-empty")]:
        with pytest.raises(InvalidAnswer) as err:
            validate(bad)
        assert str(err.value) == message
    # no length limits and no ban on extra keys when checking: those only cost a retry
    long = {**meeting(["A" * 200, "B"]), "note": "extra"}
    assert validate(json.dumps({"meetings": [long]}))[0]["participants"][0] == "A" * 200


def test_the_schema_is_what_validate_accepts() -> None:
    item = SCHEMA["properties"]["meetings"]["items"]
    assert set(item["required"]) == {"participants", "place", "date", "status", "mode", "evidence"}
    assert item["properties"]["status"]["enum"] == ["occurred", "planned", "cancelled"]


# ---------------------------------------------------------------------- candidates


def test_only_candidate_paragraphs_go_to_the_model_with_headline_and_dateline(tmp_path: Path) -> None:
    with Replay(answer=answers) as server:
        ex = extractor(server.url, tmp_path)
        for a in articles():
            ex.extract(a)
        sent = [r["messages"][1]["content"] for r in server.requests]
    assert len(sent) == 2  # llm-3 has no meeting word and no names: no request at all
    assert "Headline: Sugiono and Iwaya meet in Jakarta" in sent[0] and "Dateline: JAKARTA" in sent[0]
    assert "Published: 2025-03-05" in sent[0]
    assert FIRST in sent[0]
    assert "weather" not in sent[0] and "fisheries" not in sent[0]
    u = ex.usage()
    assert (u.articles, u.sent_articles, u.paragraphs, u.sent_paragraphs) == (3, 2, 5, 2)


def test_send_article_sends_the_whole_text(tmp_path: Path) -> None:
    with Replay(answer=answers) as server:
        extractor(server.url, tmp_path, send="article").extract(articles()[0])
        assert "weather" in server.requests[0]["messages"][1]["content"]


# ---------------------------------------------------------------------- grounding


def test_folding_matches_case_accents_and_typography_at_word_boundaries() -> None:
    f = Folded.of("Li met Abás ARAQCHÍ in Lima; “Erdoğan’s” aide — later.")
    assert [f.original[s:e] for s, e in f.find("abas araqchi")] == ["Abás ARAQCHÍ"]
    assert [f.original[s:e] for s, e in f.find('"Erdogan\'s"')] == ["“Erdoğan’s”"]
    assert [f.original[s:e] for s, e in f.find("li")] == ["Li"]  # not inside "Lima"
    assert f.find("aide - later") and not f.find("Lim")
    assert fold("  A\n\tB ") == "a b"


def test_what_the_article_does_not_say_is_dropped_and_counted(tmp_path: Path) -> None:
    invented = meeting(["Sugiono", "Takeshi Iwaya", "Hendra Invented"], place="Surabaya", date="on 12 March",
                       evidence="Sugiono and Iwaya signed a treaty.")
    only_one = meeting(["Sugiono", "Boris Nobody"])
    with Replay([Reply(completion({"meetings": [invented, only_one]}))]) as server:
        ex = extractor(server.url, tmp_path)
        [ev] = ex.extract(articles()[0])
    assert sorted(a.name for a in ev.participants) == ["Sugiono", "Takeshi Iwaya"]
    assert ev.location is None and ev.date is None
    m = ev.evidence[0]
    # the quote was invented: the evidence is the sentence kg found the first participant in
    assert (m.start, m.end, m.text) == (0, len(FIRST), FIRST)
    dropped = [v for r, v in m.rules if r == "llm.grounding dropped"]
    assert dropped == ["quote: not in the article", "participant: not in the article", "place: not in the article",
                       "date: not in the article"]
    assert ("llm.meeting test-model", "") in m.rules  # the invented quote is not kept either
    assert ex.usage().dropped == {"participant": 2, "place": 1, "date": 1, "quote": 1, "meeting": 1}


def test_names_places_and_dates_are_resolved_by_kg(tmp_path: Path) -> None:
    second = articles()[1]
    title = meeting(["The minister", "Sugiono"], place="Jakarta", date="Tuesday",
                    evidence="The minister held talks with Sugiono in Jakarta on Tuesday")
    with Replay([Reply(completion({"meetings": [title]}))]) as server:
        [ev] = extractor(server.url, tmp_path).extract(second)
    # "The minister" is Takeshi Iwaya, as the rules read it; Tuesday before 7 March 2025 is the 4th
    assert sorted(a.name for a in ev.participants) == ["Sugiono", "Takeshi Iwaya"]
    assert ev.date is not None and ev.date.iso() == "2025-03-04"
    assert ev.location is not None and ev.location.name == "Jakarta" and ev.location.geonames is not None
    m = ev.evidence[0]
    assert second.text[m.start:m.end] == m.text == "The minister held talks with Sugiono in Jakarta on Tuesday, the ministry said."
    assert ("date.llm en/dates.toml", "Tuesday = 2025-03-04") in m.rules


def test_a_country_takes_part_only_when_no_one_is_named_for_its_side(tmp_path: Path) -> None:
    a = Article("k1", "Japan and Indonesia held talks as Sugiono met Takeshi Iwaya in Jakarta.", lang="en",
                published=dt.date(2025, 3, 5))
    answer = meeting(["Takeshi Iwaya", "Japan", "Sugiono", "Indonesia"], date=None, evidence=a.text)
    with Replay([Reply(completion({"meetings": [answer]}))]) as server:
        [ev] = extractor(server.url, tmp_path).extract(a)
    assert sorted(p.name for p in ev.participants) == ["Sugiono", "Takeshi Iwaya"]
    assert ("country.llm side-named", "Japan") in ev.evidence[0].rules


def test_a_planned_meeting_points_its_weekday_forward(tmp_path: Path) -> None:
    a = Article("p1", "Sugiono will meet Takeshi Iwaya in Tokyo on Monday.", lang="en",
                published=dt.date(2025, 3, 5))
    plan = meeting(["Sugiono", "Takeshi Iwaya"], place="Tokyo", date="on Monday", status="planned",
                   evidence=a.text)
    with Replay([Reply(completion({"meetings": [plan]}))]) as server:
        [ev] = extractor(server.url, tmp_path).extract(a)
    assert ev.status == "planned" and ev.date is not None and ev.date.iso() == "2025-03-10"


def test_ungrounded_output_never_reaches_events_jsonl(tmp_path: Path) -> None:
    with Replay(answer=answers) as server:
        out = tmp_path / "out"
        res = CliRunner().invoke(main, ["build", str(ARTICLES), "--out", str(out), "--no-store", "--extractor", "llm",
                                        "--llm-url", server.url, "--llm-model", "test-model"],
                                 env={"KG_LLM_CACHE": str(tmp_path / "cache"), "KG_LLM_CONFIG": ""})
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "Invented" not in (out / "events.jsonl").read_text(encoding="utf-8")
    texts = {a.id: fold(a.text) for a in articles()}
    for row in rows:
        for src in row["sources"]:
            assert fold(src["sentence"]) in texts[src["article"]]
    # the two articles' reports of one meeting (one article each) merge into one meeting with both sources
    [row] = rows
    assert sorted(p["name"] for p in row["participants"]) == ["Sugiono", "Takeshi Iwaya"]
    assert sorted(s["article"] for s in row["sources"]) == ["llm-1", "llm-2"]
    assert row["date"] == "2025-03-04"
    assert "llm test-model: 2 calls" in res.output and "1 participant" in res.output


# ---------------------------------------------------------------------- validation and retry


def test_an_invalid_answer_is_retried_once_with_the_error(tmp_path: Path) -> None:
    good = completion({"meetings": [meeting(["Sugiono", "Takeshi Iwaya"])]})
    with Replay([Reply(completion('{"meetings": [{"participants": ["Sugiono"')), Reply(good)]) as server:
        ex = extractor(server.url, tmp_path)
        [ev] = ex.extract(articles()[0])
        retry = server.requests[1]["messages"]
    assert len(server.requests) == 2 and ex.usage().calls == 2
    assert retry[2] == {"role": "assistant", "content": '{"meetings": [{"participants": ["Sugiono"'}
    assert retry[3]["content"].startswith("That answer is not valid: not JSON")
    assert len(ev.participants) == 2


def test_an_answer_still_invalid_is_a_warning_for_that_article_and_the_build_goes_on(tmp_path: Path) -> None:
    def reply(body: dict[str, Any]) -> Reply:
        if "Sugiono met" in body["messages"][1]["content"]:
            return Reply(completion('{"meetings": "none"}'))
        return answers(body)

    with Replay(answer=reply) as server:
        out = tmp_path / "out"
        res = CliRunner().invoke(main, ["build", str(ARTICLES), "--out", str(out), "--no-store", "-q", "--extractor",
                                        "llm", "--llm-url", server.url, "--llm-model", "m"],
                                 env={"KG_LLM_CACHE": str(tmp_path / "cache"), "KG_LLM_CONFIG": ""})
        assert len(server.requests) == 3  # the first article twice (one retry), the second once
    assert res.exit_code == 0, res.output
    assert f"warning: {ARTICLES}:1: article llm-1: the model's answer is not valid after a retry " \
           "(meetings: 'none' is not of type 'array'); no meetings from it" in res.output
    rows = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [s["article"] for r in rows for s in r["sources"]] == ["llm-2"]


def test_a_cut_off_answer_says_so(tmp_path: Path) -> None:
    cut = Reply(completion('{"meetings": [{"participants": ["Sug', finish="length"))
    with Replay([cut]) as server:
        ex = extractor(server.url, tmp_path, max_tokens=16)
        assert ex.extract(articles()[0]) == []
    assert "cut off at max_tokens=16" in ex.usage().warnings[0]


# ---------------------------------------------------------------------- cache and budget


def test_a_rebuild_asks_nothing_even_with_the_server_gone(tmp_path: Path) -> None:
    with Replay(answer=answers) as server:
        first = build(articles(), extractor=extractor(server.url, tmp_path))
        assert len(server.requests) == 2
    again = extractor(closed_port_url(), tmp_path)  # a dead URL: any request would fail the build
    second = build(articles(), extractor=again)
    assert [e.to_dict() for e in second] == [e.to_dict() for e in first]
    u = again.usage()
    assert (u.calls, u.cache_hits, u.tokens_in) == (0, 2, 0)


def test_the_cache_key_holds_the_model_and_the_prompt_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Replay(answer=answers) as server:
        build(articles(), extractor=extractor(server.url, tmp_path))
        other = get_extractor("llm", url=server.url, model="another-model", cache=str(tmp_path / "cache"))
        build(articles(), extractor=other)
        assert len(server.requests) == 4
        monkeypatch.setattr("kg.llm.extractor.PROMPT_VERSION", "test-next")
        build(articles(), extractor=extractor(server.url, tmp_path))
        assert len(server.requests) == 6


@pytest.mark.parametrize("workers", [1, 2])
def test_the_call_budget_holds_across_worker_processes(tmp_path: Path, workers: int) -> None:
    many = [Article(f"b{i}", f"Sugiono met Takeshi Iwaya in Jakarta on Tuesday, round {i}.", lang="en",
                    published=dt.date(2025, 3, 5)) for i in range(70)]  # three chunks: both workers ask
    with Replay(answer=lambda body: Reply(completion({"meetings": []}))) as server:
        ex = extractor(server.url, tmp_path, max_calls=3)
        build(many, extractor=ex, workers=workers)
        assert len(server.requests) == 3
    u = ex.usage()
    assert (u.calls, u.over_budget, u.articles) == (3, 67, 70)
    assert any("not sent (over the --llm-max-calls budget)" in line for line in u.summary())


def test_requests_go_out_concurrently_but_never_more_than_the_bound(tmp_path: Path) -> None:
    many = [Article(f"c{i}", f"Sugiono met Takeshi Iwaya in Jakarta on Tuesday, round {i}.", lang="en",
                    published=dt.date(2025, 3, 5)) for i in range(8)]
    with Replay(answer=lambda body: Reply(completion({"meetings": []})), delay=0.3) as server:
        build(many, extractor=extractor(server.url, tmp_path, concurrency=3))
        assert len(server.requests) == 8
        assert server.max_in_flight == 3


# ---------------------------------------------------------------------- the server's errors


def test_429_and_5xx_are_retried_with_backoff(tmp_path: Path) -> None:
    replies = [Reply(recorded("rate_limited"), 429, {"Retry-After": "0"}), Reply(recorded("server_error"), 503),
               Reply(completion({"meetings": [meeting(["Sugiono", "Takeshi Iwaya"])]}))]
    with Replay(replies) as server:
        ex = extractor(server.url, tmp_path)
        assert len(ex.extract(articles()[0])) == 1
        assert len(server.requests) == 3
    assert ex.usage().calls == 1


def test_an_unwritable_cache_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file, not a folder")
    with Replay([Reply(completion({"meetings": []}))]) as server:
        with pytest.raises(KgError, match="cannot write the llm cache .*set KG_LLM_CACHE to a writable folder"):
            extractor(server.url, tmp_path).extract(articles()[0])


def test_a_server_that_keeps_failing_is_a_warning_not_a_cache_entry(tmp_path: Path) -> None:
    with Replay([Reply(recorded("server_error"), 500)]) as server:
        ex = extractor(server.url, tmp_path, retries=2)
        assert ex.extract(articles()[0]) == []
        assert len(server.requests) == 3
    assert "no answer from the model server (HTTP 500: The server had an error" in ex.usage().warnings[0]
    assert not any((tmp_path / "cache").rglob("*.json"))


def test_a_timeout_is_retried_then_a_warning(tmp_path: Path) -> None:
    slow = Reply(completion({"meetings": []}), delay=1.0)
    with Replay([slow]) as server:
        ex = extractor(server.url, tmp_path, timeout=0.2, retries=1)
        assert ex.extract(articles()[0]) == []
        assert len(server.requests) == 2
    assert "no answer within 0.2 s (tried 2 times)" in ex.usage().warnings[0]


@pytest.mark.parametrize(("refusal", "status"), [("unsupported_format", 400),  # OpenAI, for an older model
                                                ("llama_cpp_json_schema_500", 500)])  # llama-cpp-python's server
def test_an_unsupported_response_format_falls_back_and_is_remembered(tmp_path: Path, refusal: str,
                                                                     status: int) -> None:
    def reply(body: dict[str, Any]) -> Reply:
        if body.get("response_format", {}).get("type") == "json_schema":
            return Reply(recorded(refusal), status)
        return answers(body)

    with Replay(answer=reply) as server:
        ex = extractor(server.url, tmp_path)
        build(articles(), extractor=ex)
        kinds = [r.get("response_format", {}).get("type") for r in server.requests]
    # json_schema, json_schema without limits, then json_object (with the schema beside it) for good
    assert kinds == ["json_schema", "json_schema", "json_object", "json_object"]
    assert server.requests[2]["response_format"]["schema"] == SCHEMA
    assert ex.usage().calls == 2


def test_an_unreachable_server_is_one_clear_line(tmp_path: Path) -> None:
    url = closed_port_url()
    res = CliRunner().invoke(main, ["build", str(ARTICLES), "--out", str(tmp_path / "out"), "-q", "--extractor", "llm",
                                    "--llm-url", url, "--llm-model", "m"],
                             env={"KG_LLM_CACHE": str(tmp_path / "cache"), "KG_LLM_CONFIG": ""})
    assert res.exit_code == 1
    assert res.output.strip().splitlines()[-1].startswith(f"Error: cannot reach the model server at {url} (")
    assert "start it, or point --llm-url (or KG_LLM_URL) at a running one" in res.output
    assert not (tmp_path / "out" / "events.jsonl").exists()  # nothing half-built


def test_a_refused_key_stops_the_build_with_what_to_do(tmp_path: Path) -> None:
    with Replay([Reply(recorded("bad_key"), 401)]) as server:
        with pytest.raises(ServerUnavailable, match="HTTP 401: Incorrect API key provided.*set KG_LLM_API_KEY"):
            extractor(server.url, tmp_path).extract(articles()[0])


# ---------------------------------------------------------------------- the commands


def test_llm_options_go_with_the_llm_extractor_only(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["extract", str(ARTICLES), "--llm-url", "http://x/v1"])
    assert res.exit_code == 1 and "--llm-url, --llm-model and --llm-max-calls go with --extractor llm" in res.output
    res = CliRunner().invoke(main, ["extract", str(ARTICLES), "--extractor", "llm"],
                             env={"KG_LLM_URL": "", "KG_LLM_CONFIG": "", "XDG_CONFIG_HOME": str(tmp_path)})
    assert res.exit_code == 1 and "the llm extractor needs a server: give --llm-url" in res.output


def test_evaluate_prints_rules_and_llm_side_by_side(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps({"id": a, "meetings": [{
        "event": "x", "participants": [{"name": "Sugiono"}, {"name": "Takeshi Iwaya"}], "location": {"name": "Jakarta"},
        "date": "2025-03-04", "status": "occurred", "mode": "in-person"}]}) for a in ("llm-1", "llm-2")) + "\n")
    with Replay(answer=answers) as server:
        res = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), str(ARTICLES), "-q", "--extractor", "rules",
                                        "--extractor", "llm", "--llm-url", server.url, "--llm-model", "m", "--json"],
                                 env={"KG_LLM_CACHE": str(tmp_path / "cache"), "KG_LLM_CONFIG": ""})
    assert res.exit_code == 0, res.output
    scores = json.loads(res.output.strip().splitlines()[-1])
    assert set(scores) == {"rules", "llm"}
    assert scores["llm"]["pairs"]["f1"] == 1.0


def test_explain_shows_the_paragraphs_sent(tmp_path: Path) -> None:
    with Replay(answer=answers) as server:
        res = CliRunner().invoke(main, ["explain", str(ARTICLES), "-q", "--extractor", "llm", "--llm-url", server.url,
                                        "--llm-model", "m"],
                                 env={"KG_LLM_CACHE": str(tmp_path / "cache"), "KG_LLM_CONFIG": ""})
    assert res.exit_code == 0, res.output
    assert "sent" in res.output and "llm.candidate meeting word + 2 names" in res.output
    assert "llm.meeting m" in res.output and "llm.grounding dropped" in res.output


def test_a_store_gets_the_llm_meetings_and_a_rules_meeting_of_the_same_event_merges(tmp_path: Path) -> None:
    """llm-1 by the rules, llm-2 by the llm: one meeting, a source from each."""
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    lines = ARTICLES.read_text(encoding="utf-8").splitlines()
    first.write_text(lines[0] + "\n")
    second.write_text(lines[1] + "\n")
    runner = CliRunner()
    env = {"KG_LLM_CACHE": str(tmp_path / "cache"), "KG_LLM_CONFIG": ""}
    res = runner.invoke(main, ["build", str(first), "--out", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 0, res.output
    with Replay(answer=answers) as server:
        res = runner.invoke(main, ["add", str(second), "--store", str(tmp_path / "out" / "store"), "-q", "--extractor",
                                   "llm", "--llm-url", server.url, "--llm-model", "m"], env=env)
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["export", "--store", str(tmp_path / "out" / "store"), "--format", "csv"])
    rows = list(csv.DictReader(res.output.splitlines()))
    assert [(r["participants"], r["date"], r["articles"]) for r in rows] == [("Sugiono; Takeshi Iwaya", "2025-03-04", "2")]
