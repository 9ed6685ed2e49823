"""Issue 14, section 4: input that sank a build or hung it, and extraction that grew faster than
its input. Each test failed before its fix; benchmarks/probe_input.py runs the same inputs (and
more) through ``kg build`` and times the slow ones."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import resource
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.export.jsonl import read_events
from kg.ingest import parse_articles, read_articles
from kg.model import Actor, Article, Event, Mention
from kg.nlp.limits import MAX_PARTICIPANTS, MAX_SENTENCE_TOKENS, WINDOW_CHARS, extract_bounded, windows
from kg.pipeline import BuildStats, build, mentions

ROOT = Path(__file__).resolve().parents[1]
MEETING = ("Indonesian Foreign Minister Sugiono met Chinese Foreign Minister Wang Yi in Beijing on "
           "Tuesday, 23 September 2025.")
PROSE = MEETING + (" The two ministers discussed trade and the situation in the region, and both sides "
                   "called the talks constructive and useful.")
NAMES = [f"{f} {s}" for s in ("Anders", "Baker", "Costa", "Dimitrov", "Eriksen", "Farouk", "Gomez", "Haddad",
                              "Ivanov", "Jensen", "Kato", "Larsen", "Moreno", "Nowak", "Olsen", "Petrov",
                              "Quinn", "Rossi", "Silva", "Tanaka")
         for f in ("Ali", "Budi", "Carlos", "Dmitri", "Erik", "Fatima", "Gustav", "Hana", "Ivan", "Jorge",
                   "Kenji", "Lars", "Mehmet", "Nadia", "Omar", "Pedro", "Quentin", "Rosa", "Sven", "Tariq")]


def rec(id: object, text: object = MEETING, **extra: object) -> str:
    return json.dumps({"id": id, "lang": "en", "published": "2025-09-24", "text": text, **extra})


def read(lines: list[str]) -> tuple[list[Article], list[str]]:
    problems: list[InputError] = []
    articles = list(parse_articles(lines, path="in.jsonl", problems=problems))
    return articles, [str(p) for p in problems]


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the test run) when the block takes longer than ``seconds``."""

    def hung(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: kg hangs on this input")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def writable(article: Article) -> bool:
    """Whether every output can hold the article's strings (UTF-8 has no lone surrogates)."""
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    return True


# ----------------------------------------------------------------------------- JSON Lines


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_json_nested_thousands_deep_is_one_bad_line(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    deep = '{"id": "d", "text": "x", "extra": ' + opener * 3000 + ("1" if opener != "[" else "") + closer * 3000 + "}"
    articles, problems = read([deep, rec("after")])
    assert [a.id for a in articles] == ["after"]
    assert problems == ["in.jsonl:1: not valid JSON (arrays or objects nested too deeply); expected JSON Lines, "
                        "one article object per line"]


@pytest.mark.parametrize("field", ["id", "text", "lang", "published", "title", "source", "url"])
def test_a_5000_digit_number_is_a_bad_value_of_its_field(field: str) -> None:
    line = json.dumps({**json.loads(rec("n")), field: "@"}).replace('"@"', "9" * 5000)
    articles, problems = read([line, rec("after")])
    assert [a.id for a in articles] == ["after"]
    assert len(problems) == 1 and problems[0].startswith("in.jsonl:1: ") and len(problems[0]) < 200
    assert field in problems[0] or "published" in problems[0]


def test_a_5000_digit_number_in_a_field_kg_does_not_read_is_ignored() -> None:
    line = json.dumps({**json.loads(rec("n")), "extra": "@"}).replace('"@"', "9" * 5000)
    articles, problems = read([line])
    assert [a.id for a in articles] == ["n"] and problems == []


@pytest.mark.parametrize("code", ["-", "_", "-en", "_en", "e1"])
def test_a_lang_that_is_no_language_code_is_reported_with_its_line(code: str) -> None:
    articles, problems = read([rec("bad", lang=code), rec("after")])
    assert [a.id for a in articles] == ["after"]
    assert problems == [f'in.jsonl:1: field "lang" must be a language code such as "en" or "pt-BR", got {code!r}']


def test_lang_codes_with_a_region_still_read() -> None:
    articles, problems = read([rec("a", lang="EN-us"), rec("b", lang="pt_BR")])
    assert [a.lang for a in articles] == ["en", "pt"] and problems == []


def test_html_with_a_lang_attribute_that_is_no_code_has_its_language_detected(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(f'<html lang="-"><head><title>Talks</title></head><body><article><p>{PROSE}</p>'
                    f"<p>{PROSE}</p></article></body></html>", encoding="utf-8")
    problems: list[InputError] = []
    articles = list(read_articles([page], problems=problems))
    assert [a.lang for a in articles] == ["en"] and problems == []


def test_an_id_with_a_lone_surrogate_is_refused_and_other_fields_keep_their_text() -> None:
    articles, problems = read(['{"id": "a\\ud800", "lang": "en", "text": "x y"}',
                               '{"id": "b", "lang": "en", "text": "half an emoji \\ud83d here", "title": "T\\udfff"}'])
    assert problems == ['in.jsonl:1: field "id" holds a lone surrogate (an unpaired "\\ud800".."\\udfff" escape), '
                        "not text"]
    assert [(a.text, a.title) for a in articles] == [("half an emoji \ufffd here", "T\ufffd")]
    assert writable(articles[0])


def test_a_nul_byte_early_in_a_jsonl_loses_only_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes((rec("good1") + '\n{"id": "z", "text": "a\x00b"}\n' + rec("good2") + "\n").encode())
    problems: list[InputError] = []
    assert [a.id for a in read_articles([path], problems=problems)] == ["good1", "good2"]
    assert [(p.line, p.msg.split(" (")[0]) for p in problems] == [(2, "not valid JSON")]


def test_binary_and_utf16_files_are_still_refused_whole(tmp_path: Path) -> None:
    (tmp_path / "utf16.jsonl").write_bytes((rec("u") + "\n").encode("utf-16"))
    (tmp_path / "image.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    problems: list[InputError] = []
    assert list(read_articles([tmp_path], problems=problems)) == []
    assert sorted(p.msg.split(":")[0] for p in problems) == ["UTF-16 text", "not a text file (binary content)"]


def test_control_characters_read_as_spaces_and_a_bom_between_lines_is_skipped() -> None:
    articles, problems = read([rec("c", MEETING.replace(" met ", " met\x00")), "\ufeff" + rec("bom")])
    assert problems == [] and [a.id for a in articles] == ["c", "bom"]
    assert articles[0].text == MEETING.replace(" met ", " met ")


def test_published_dates_kg_cannot_compute_with_are_reported() -> None:
    articles, problems = read([rec("max", published="9999-12-31"), rec("min", published="0001-01-01"), rec("ok")])
    assert [a.id for a in articles] == ["ok"]
    assert problems == ["in.jsonl:1: published date 9999-12-31 is out of range: kg reads the years 1000 to 9000",
                        "in.jsonl:2: published date 0001-01-01 is out of range: kg reads the years 1000 to 9000"]


def test_a_huge_value_is_cut_short_in_its_message() -> None:
    _, problems = read([rec("x", published="2" * 100_000)])
    assert len(problems[0]) < 200 and "(100,000 characters)" in problems[0]


# ----------------------------------------------------------------------------- folders


def test_a_latin1_file_name_gives_an_id_every_output_can_hold(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as f:
        f.write(PROSE.encode())
    os.mkdir(os.path.join(folder, b"\xe9t\xe9"))
    with open(os.path.join(folder, b"\xe9t\xe9", b"a.jsonl"), "wb") as f:
        f.write(b'{"id": "x", "lang": "en", "text": "talks", "title": "\\u00e9"}\nnot json\n')
    problems: list[InputError] = []
    articles = list(read_articles([tmp_path], problems=problems))
    assert [a.id for a in articles] == [f"{tmp_path}/caf\\xe9.txt", "x"]
    assert all(writable(a) for a in articles)
    assert [str(p) for p in problems] == [f"{tmp_path}/\\xe9t\\xe9/a.jsonl:2: not valid JSON (Expecting value at "
                                          "column 1); expected JSON Lines, one article object per line"]
    assert all(str(p).encode("utf-8") for p in problems)


def test_fifos_sockets_devices_and_link_loops_in_a_folder_are_skipped_without_hanging(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.jsonl")
    os.symlink("/dev/zero", folder / "zero.txt")  # read whole, it filled the memory
    os.symlink("loop.html", folder / "loop.html")
    os.symlink("missing.txt", folder / "dangling.txt")
    (folder / "good.txt").write_text(PROSE, encoding="utf-8")
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(folder / "sock.txt"))
        # in a child process with a timeout and a memory cap: a regression must not take the test run down
        code = ("import json, sys; from kg.ingest import read_articles; p = []; "
                "ids = [a.id for a in read_articles([sys.argv[1]], problems=p, lang='en')]; "
                "print(json.dumps([ids, sorted(str(e) for e in p)]))")
        out = subprocess.run([sys.executable, "-c", code, "in"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=120, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (2**31, 2**31)),
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert json.loads(out.stdout) == [["in/good.txt"], [
        "in/dangling.txt: cannot read file: no such file or directory",
        "in/loop.html: cannot read file: too many levels of symbolic links",
        "in/pipe.jsonl: cannot read file: a FIFO, not a regular file; skipped",
        "in/sock.txt: cannot read file: a socket, not a regular file; skipped",
        "in/zero.txt: cannot read file: a device, not a regular file; skipped",
    ]]


def test_a_fifo_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w", encoding="utf-8") as f:
            f.write(rec("piped") + "\n")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with deadline(60):
        assert [a.id for a in read_articles([fifo])] == ["piped"]
    writer.join()


# ----------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("depth", [300, 3000, 100_000])
def test_html_nested_hundreds_deep_keeps_its_article(tmp_path: Path, depth: int) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><head><title>Talks</title></head><body>" + "<div>" * depth
                    + f"<article><p>{PROSE}</p><p>{PROSE}</p></article>" + "</div>" * depth + "</body></html>",
                    encoding="utf-8")
    problems: list[InputError] = []
    articles = list(read_articles([page], problems=problems, lang="en"))
    assert problems == [] and len(articles) == 1 and MEETING in articles[0].text


# ----------------------------------------------------------------------------- events.jsonl inputs


def event_line(article: str, n: int = 2) -> str:
    parts = tuple(Actor(name) for name in NAMES[:n])
    return json.dumps(Event(parts, None, None, evidence=(Mention(article, 0, 5, "talks"),)).to_dict())


def test_bad_lines_of_an_events_file_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes("\n".join([event_line("a"), "garbage", '{"participants": 5}', "[" * 5000 + "]" * 5000,
                                '{"participants": [], "x": ' + "9" * 5000 + "}",
                                '{"participants": [{"name": "A\\ud800"}, {"name": "B"}]}',
                                event_line("b")]).encode() + b"\n\xff\xfe\n" + event_line("c").encode())
    problems: list[InputError] = []
    events = list(read_events(path, problems=problems))
    assert [e.evidence[0].article_id for e in events] == ["a", "b", "c"]
    assert [p.line for p in problems] == [2, 3, 4, 5, 6, 8]
    with pytest.raises(InputError, match=r"events.jsonl:2: "):
        list(read_events(path))


def test_kg_build_goes_on_past_a_bad_line_of_an_events_input(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join([event_line("a"), "garbage", event_line("b")]) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(path), "--out", str(tmp_path / "out"), "--no-store", "-q"])
    assert res.exit_code == 0, res.output
    assert f"warning: {path}:2: not valid JSON" in res.output
    sources = [s["article"] for line in (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8").splitlines()
               for s in json.loads(line)["sources"]]
    assert sorted(sources) == ["a", "b"]


def test_an_events_input_meeting_keeps_at_most_the_cap_of_participants(caplog: pytest.LogCaptureFixture) -> None:
    event = Event.from_dict(json.loads(event_line("many", 400)))
    stats = BuildStats()
    with caplog.at_level(logging.WARNING, logger="kg.pipeline"):
        found = list(mentions([], events=[event], stats=stats))
    assert [len(e.participants) for e in found] == [MAX_PARTICIPANTS]
    assert [str(n) for n in stats.notices] == [f"events: a meeting with 400 participants (article 'many') kept the "
                                               f"first {MAX_PARTICIPANTS}"]
    assert "1 meeting(s) over the bounds of kg.nlp.limits" in caplog.text


# ----------------------------------------------------------------------------- writing what was read


@pytest.mark.slow
def test_a_build_with_lone_surrogates_and_latin1_names_writes_every_output(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_text('{"id": "s\\ud800", "lang": "en", "text": "x"}\n'
                                 '{"id": "t", "lang": "en", "published": "2025-09-24", "text": "' + MEETING
                                 + ' Talks \\ud83d followed.", "title": "\\udc00"}\n', encoding="utf-8")
    with open(os.path.join(os.fsencode(src), b"caf\xe9.txt"), "wb") as f:
        f.write(PROSE.encode())
    res = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "out"), "-q", "--lang", "en"])
    assert res.exit_code == 0, res.output
    sources = {s["article"] for line in (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8").splitlines()
               for s in json.loads(line)["sources"]}
    assert sources == {"t", f"{src}/caf\\xe9.txt"}
    assert (tmp_path / "out" / "store").is_dir() and (tmp_path / "out" / "graph.ttl").stat().st_size > 0


# ----------------------------------------------------------------------------- bounded extraction


def chain(n_chars: int) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) + 5 * len(parts) < n_chars:
        parts.append(f"Minister {NAMES[len(parts) % 400]}")
    return " met ".join(parts) + "."


def test_windows_cover_the_text_within_the_size_cutting_at_paragraphs() -> None:
    text = "\n\n".join(f"Paragraph {i}. " + "word " * (i % 50) for i in range(2000))
    spans = windows(text, size=1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a == b for (_, a), (b, _) in zip(spans, spans[1:], strict=False))
    assert all(0 < e - s <= 1000 for s, e in spans)
    assert all(text[e - 2:e] == "\n\n" for _, e in spans[:-1])
    assert windows("x" * 5000, size=1000) == [(i, i + 1000) for i in range(0, 5000, 1000)]


def test_a_long_article_is_extracted_window_by_window_with_offsets_in_the_whole_text() -> None:
    from kg.extractor import get_extractor
    from kg.parallel import extract_chunk

    class Spy:  # any extractor: the workers give it no more than a window at once
        name = "spy"
        seen: list[int] = []

        def extract(self, article: Article) -> list[Event]:
            self.seen.append(len(article.text))
            return get_extractor().extract(article)

    filler = "The talks covered trade and the region. " * 40
    text = "\n\n".join(f"{filler}\n\nForeign Minister {NAMES[2 * i]} met Foreign Minister {NAMES[2 * i + 1]} in "
                       "Beijing on Monday." for i in range(20))
    article = Article("long", text, lang="en", published=dt.date(2025, 9, 24))
    [(found, events, notes)] = extract_chunk([article], extractor=Spy())  # type: ignore[list-item]
    assert len(text) > 3 * WINDOW_CHARS and max(Spy.seen) <= WINDOW_CHARS and len(Spy.seen) >= 3
    assert found == len(events) == 20 and notes == ()
    assert all(text[m.start:m.end] == m.text for e in events for m in e.evidence)
    assert [e.evidence for e in extract_bounded(article, get_extractor().extract)[0]] == [e.evidence for e in events]


def test_no_sentence_longer_than_the_bound_reaches_the_expensive_steps() -> None:
    from kg.nlp.extract import _DocExtractor
    from kg.nlp.pipeline import make_annotator

    text = chain(8000)
    ann = make_annotator("en")
    x = _DocExtractor(ann, ann.nlp(text), Article("c", text, lang="en", published=dt.date(2025, 9, 24)))
    assert len(x.T) > 4 * MAX_SENTENCE_TOKENS
    assert max(len(s) for s in x.sents) <= MAX_SENTENCE_TOKENS
    assert sum(len(s) for s in x.sents) == len(x.T)  # pieces, nothing left out


def test_a_meeting_keeps_the_first_participants_up_to_the_cap_with_a_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    crowd = ", ".join(f"Foreign Minister {name}" for name in NAMES[:60])
    article = Article("crowd", f"President Prabowo Subianto met {crowd} in Jakarta on Tuesday.", lang="en",
                      published=dt.date(2025, 9, 24), origin="in.jsonl:7")
    stats = BuildStats()
    with caplog.at_level(logging.WARNING, logger="kg.pipeline"):
        merged = build([article], stats=stats)
    assert [len(e.participants) for e in merged] == [MAX_PARTICIPANTS]
    assert len(stats.notices) == 1
    assert str(stats.notices[0]).startswith("in.jsonl:7: article 'crowd': a meeting with ")
    assert str(stats.notices[0]).endswith(f" participants kept the first {MAX_PARTICIPANTS}")
    assert "1 meeting(s) over the bounds of kg.nlp.limits, the first: in.jsonl:7" in caplog.text


def test_the_dask_worker_sends_the_notes_back() -> None:
    from kg.distributed import extract_partition

    crowd = ", ".join(f"Foreign Minister {name}" for name in NAMES[:60])
    article = Article("crowd", f"President Prabowo Subianto met {crowd} in Jakarta on Tuesday.", lang="en",
                      published=dt.date(2025, 9, 24))
    found, (outcome, _) = extract_partition([article])
    assert [len(e.participants) for e in found] == [MAX_PARTICIPANTS]
    assert outcome[0][0] == 1 and "kept the first" in outcome[0][1][0]  # type: ignore[index]

