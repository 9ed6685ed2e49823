"""Hostile input for `kg build`: does any of it crash the build, hang it, or lose good articles?

Writes each hostile input into a folder of its own under a temporary directory, next to a good
article (``canary.jsonl``), runs ``kg build`` on that folder in a fresh process with a timeout
and a memory cap, and checks:

- **traceback**: the build printed a Python traceback or died of a signal;
- **hang**: it was still running at the timeout (it is killed);
- **lost**: a good article of the folder (the canary, and the good lines or files beside the
  bad ones) is missing from ``events.jsonl``, or the build failed and wrote nothing;
- the seconds each input took; the scaling series (the same hostile text at growing sizes)
  show whether the work grows linearly with the input.

The inputs: JSON nested 3,000 and 100,000 deep, 5,000-digit numbers in each field, bad language
codes, lone surrogates, latin-1 file names, FIFOs, sockets, symlink loops, /dev/zero behind a
.txt name, bad lines in an events.jsonl input, NUL bytes, BOMs, UTF-16, gzip, latin-1 and mixed
encodings, control characters, empty fields, fields of the wrong type, huge fields, HTML nested
300 to 100,000 deep, an entity bomb, and the super-linear extraction cases (a chain of "Minister
A met Minister B met ...", thousands of short lines, hundreds of people in one sentence).

Usage: python benchmarks/probe_input.py [--only NAME ...] [--timeout 120] [--slow-timeout 600]
                                         [--no-slow | --slow-only] [--no-store] [--keep DIR] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CANARY = {"id": "canary", "lang": "en", "published": "2025-09-24",
          "text": "Russian Foreign Minister Sergei Lavrov met US Secretary of State Marco Rubio in New York on "
                  "Wednesday."}
MEETING = ("Indonesian Foreign Minister Sugiono met Chinese Foreign Minister Wang Yi in Beijing on "
           "Tuesday, 23 September 2025.")
PROSE = (MEETING + " The two ministers discussed trade and the situation in the region, and both sides "
         "called the talks constructive and useful.")  # long enough for the language to be detected
FIRST = ["Ali", "Budi", "Carlos", "Dmitri", "Erik", "Fatima", "Gustav", "Hana", "Ivan", "Jorge",
         "Kenji", "Lars", "Mehmet", "Nadia", "Omar", "Pedro", "Quentin", "Rosa", "Sven", "Tariq"]
LAST = ["Anders", "Baker", "Costa", "Dimitrov", "Eriksen", "Farouk", "Gomez", "Haddad", "Ivanov", "Jensen",
        "Kato", "Larsen", "Moreno", "Nowak", "Olsen", "Petrov", "Quinn", "Rossi", "Silva", "Tanaka"]
MEMORY_CAP = 6 * 2**30  # bytes of address space a build may use (a runaway read fails instead of swapping)


def person(i: int) -> str:
    """The i-th of 400 distinct made-up names ("Ali Anders", "Budi Anders", ...)."""
    return f"{FIRST[i % 20]} {LAST[(i // 20) % 20]}"


def record(id: object, text: object = MEETING, **extra: object) -> dict:
    return {"id": id, "lang": "en", "published": "2025-09-24", "text": text, **extra}


def line(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


@dataclass
class Case:
    """One hostile input: ``make(folder)`` writes it and returns what to pass to ``kg build``."""

    name: str
    make: Callable[[Path], list[str]]
    keep: tuple[str, ...] = ()  # article ids that must be in events.jsonl (a trailing * matches a prefix)
    slow: bool = False  # a scaling case: timed with the longer timeout
    series: str = ""  # the scaling series it belongs to, with its size
    size: float = 0


CASES: list[Case] = []


def case(name: str, keep: tuple[str, ...] = (), slow: bool = False, series: str = "", size: float = 0
         ) -> Callable[[Callable[[Path], list[str] | None]], None]:
    """Register a case; ``make`` writes files into ``folder/in`` (the folder built) and may
    return other inputs to pass instead."""

    def register(make: Callable[[Path], list[str] | None]) -> None:
        def run(folder: Path) -> list[str]:
            (folder / "in").mkdir(exist_ok=True)
            (folder / "in" / "canary.jsonl").write_text(line(CANARY) + "\n", encoding="utf-8")
            return make(folder / "in") or ["in"]

        CASES.append(Case(name, run, ("canary", *keep), slow, series, size))

    return register


def write(path: Path, data: str | bytes) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    path.write_bytes(data)


def jsonl(path: Path, *rows: object) -> None:
    write(path, "".join((r if isinstance(r, str) else line(r)) + "\n" for r in rows))


def html_page(body: str, head: str = "<title>Talks</title>", attrs: str = ' lang="en"') -> str:
    return f"<!DOCTYPE html><html{attrs}><head>{head}</head><body>{body}</body></html>"


ARTICLE_HTML = (f"<article><h1>Talks in Beijing</h1><p>{MEETING}</p><p>The two ministers discussed trade, "
                "security in the region and the preparations for a visit of the president later this year. "
                "Both sides called the talks constructive.</p></article>")

@case("canary-alone")  # the time of a build of one good article: what every other input costs at least
def _(d: Path) -> None:
    pass


# ----------------------------------------------------------------------------- JSON structure

for depth in (3000, 100_000):
    @case(f"json-nested-{depth}", keep=("after",))
    def _(d: Path, depth: int = depth) -> None:
        write(d / "a.jsonl", '{"id": "deep", "text": "x", "extra": ' + "[" * depth + "]" * depth + "}\n"
              + line(record("after")) + "\n")


@case("json-nested-object-deep", keep=("after",))
def _(d: Path) -> None:
    write(d / "a.jsonl", '{"id": "deep", "text": ' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "}\n"
          + line(record("after")) + "\n")


@case("json-nested-500-unknown-field", keep=("ok500",))
def _(d: Path) -> None:
    write(d / "a.jsonl", '{"id": "ok500", "lang": "en", "published": "2025-09-24", "text": ' + json.dumps(MEETING)
          + ', "extra": ' + "[" * 500 + "]" * 500 + "}\n")


for fld in ("id", "text", "lang", "published", "title", "source", "url", "extra"):
    @case(f"number-5000-digits-{fld}", keep=("after", *(("n-" + fld,) if fld == "extra" else ())))
    def _(d: Path, fld: str = fld) -> None:
        rec = json.dumps({**record("n-" + fld), fld: "@BIG@"}).replace('"@BIG@"', "9" * 5000)
        write(d / "a.jsonl", rec + "\n" + line(record("after")) + "\n")


@case("number-specials", keep=("after",))
def _(d: Path) -> None:
    jsonl(d / "a.jsonl", '{"id": NaN, "text": "x"}', '{"id": "inf", "text": Infinity}',
          '{"id": "f", "text": "x", "published": 1e999999}', '{"id": 1.5e308, "text": "y"}',
          '{"id": "neg", "text": "y", "published": -0}', '{"id": "big", "text": "z", "lang": 0.' + "1" * 5000 + "}",
          record("after"))


@case("json-not-objects", keep=("after",))
def _(d: Path) -> None:
    jsonl(d / "a.jsonl", record("first"), "null", "true", "42", '"a string"', "[1, 2]", "{}", '{"id": null}',
          "{", "}", '{"id": "x", "text": "y"', '{"id": "dup", "id": "dup2", "text": "' + MEETING + '", "lang": "en"}',
          record("after"))


@case("json-array-file")
def _(d: Path) -> None:
    write(d / "a.json", json.dumps([record("arr1"), record("arr2")], indent=2))


@case("json-pretty-object")
def _(d: Path) -> None:
    write(d / "a.json", json.dumps(record("pretty"), indent=2))


# ----------------------------------------------------------------------------- fields

for value in ["-", "_", "-en", "", " ", "en-", "_en", "EN-us", "xx", "e", "english", "zz-ZZ", "\u0000",
              "\ud800", 5, None, ["en"], {"en": 1}, True]:
    @case(f"lang-{json.dumps(value)[:12]}", keep=("after",))
    def _(d: Path, value: object = value) -> None:
        jsonl(d / "a.jsonl", json.dumps({**record("bad-lang"), "lang": value}), record("after"))


@case("ids-odd", keep=("after", "ws id", "../../etc/passwd", "<script>alert(1)</script>", "id\nwith\nnewlines",
                       "ctl\u0001\u001f\u007f", "rtl\u202eoverride", "-1", "12345678901234567890"))
def _(d: Path) -> None:
    ids: list[object] = ["ws id", "../../etc/passwd", "<script>alert(1)</script>", "id\nwith\nnewlines",
                         "ctl\u0001\u001f\u007f", "rtl\u202eoverride", -1, 12345678901234567890, " ", "", 1.5,
                         True, ["a"], {"a": 1}]
    jsonl(d / "a.jsonl", *(record(i) for i in ids), record("after"))


@case("id-lone-surrogates", keep=("after",))
def _(d: Path) -> None:
    jsonl(d / "a.jsonl", '{"id": "\\ud800x", "lang": "en", "text": ' + json.dumps(MEETING) + "}",
          '{"id": "lo\\udfff", "lang": "en", "text": ' + json.dumps(MEETING) + "}", record("after"))


@case("fields-lone-surrogates", keep=("after", "s-text", "s-title", "s-source", "s-url"))
def _(d: Path) -> None:
    jsonl(d / "a.jsonl", json.dumps(record("s-text", MEETING + " Talks \ud83d followed.")),
          json.dumps(record("s-title", title="T\udc00")), json.dumps(record("s-source", source="\ud800")),
          json.dumps(record("s-url", url="http://x/\udfff")), record("after"))


@case("raw-invalid-utf8-lines", keep=("after",))
def _(d: Path) -> None:
    write(d / "a.jsonl", line(record("latin")).replace("Beijing", "P\xe9kin").encode("latin-1") + b"\n"
          + b'{"id": "ov\xc0\xaf", "text": "x"}\n' + b'{"id": "cut", "text": "\xe2\x82"}\n'
          + line(record("after")).encode() + b"\n")


@case("wrong-types", keep=("after",))
def _(d: Path) -> None:
    bad: list[dict] = [record("t1", 5), record("t2", None), record("t3", ["a"]), record("t4", {"a": "b"}),
                       record("t5", True), {**record("p1"), "published": 20250924},
                       {**record("p2"), "published": ["2025-09-24"]}, {**record("p3"), "published": "2025-13-45"},
                       {**record("p4"), "published": "0000-01-01"}, {**record("p5"), "published": "2025-02-30"},
                       {**record("p6"), "published": "９９９９-12-31"}, record("ti", title={"a": 1}),
                       record("so", source=["x"]), record("ur", url=5), {"text": MEETING}, {"id": "notext"}]
    jsonl(d / "a.jsonl", *bad, record("after"))


@case("published-edge-dates", keep=("after", "d-time"))  # years 1 and 9999: refused with a message
def _(d: Path) -> None:
    jsonl(d / "a.jsonl", {**record("d-max"), "published": "9999-12-31"}, {**record("d-min"), "published": "0001-01-01"},
          {**record("d-time"), "published": "2025-09-24T25:61:61+99:99"}, record("after"))


@case("empty-fields", keep=("after",))
def _(d: Path) -> None:
    jsonl(d / "a.jsonl", record("e1", ""), record("e2", "   \n\t "), record("e3", "\u200b\ufeff"),
          record("", MEETING), {**record("e5"), "lang": "", "published": "", "title": "", "source": "", "url": ""},
          record("after"))


@case("control-characters", keep=("after", "c-text", "c-title", "c-nul"))
def _(d: Path) -> None:
    ctl = "".join(chr(c) for c in range(1, 32) if c not in (10, 13)) + "\x7f\x85\u2028\u2029\ufffe\uffff"
    jsonl(d / "a.jsonl", record("c-text", ctl + " " + MEETING + " Talks " + ctl + " followed."),
          record("c-title", title=ctl, source=ctl),
          record("c-nul", MEETING.replace(" met ", " met\u0000 ")), record("after"))


@case("huge-fields", keep=("after", "h-title", "h-source", "h-url"))
def _(d: Path) -> None:
    big = "x" * 2_000_000
    jsonl(d / "a.jsonl", record("h-" + big), record("h-title", title=big), record("h-source", source=big),
          record("h-url", url="http://example.org/" + big), record("after"))


@case("huge-text-prose", keep=("after", "prose"), slow=True, series="prose text (MB)", size=2)
def _(d: Path) -> None:
    para = "The ministers also discussed the economy, trade and the situation in the region. " * 5
    text = (MEETING + "\n\n" + para + "\n\n") * (2_000_000 // (len(para) + len(MEETING)))
    jsonl(d / "a.jsonl", record("prose", text), record("after"))


@case("many-blank-lines", keep=("after",))
def _(d: Path) -> None:
    write(d / "a.jsonl", "\n" * 1_000_000 + "   \n" * 1000 + line(record("after")) + "\n")


# ----------------------------------------------------------------------------- encodings and bytes

@case("nul-byte-early-jsonl", keep=("good1", "good2"))
def _(d: Path) -> None:
    write(d / "a.jsonl", line(record("good1")) + "\n" + '{"id": "z", "text": "a\x00b"}\n\x00\n' + line(record("good2")) + "\n")


@case("bom-jsonl", keep=("bom1", "bom2"))
def _(d: Path) -> None:
    write(d / "a.jsonl", b"\xef\xbb\xbf" + (line(record("bom1")) + "\n").encode() + b"\xef\xbb\xbf"
          + (line(record("bom2")) + "\n").encode())


@case("crlf-and-cr-jsonl", keep=("cr1", "cr2", "cr3"))
def _(d: Path) -> None:
    write(d / "a.jsonl", line(record("cr1")) + "\r\n" + line(record("cr2")) + "\r" + line(record("cr3")) + "\r\n")


@case("utf16-jsonl")
def _(d: Path) -> None:
    write(d / "a.jsonl", (line(record("u16")) + "\n").encode("utf-16"))


@case("gzip-named-jsonl")
def _(d: Path) -> None:
    write(d / "a.jsonl", gzip.compress((line(record("gz")) + "\n").encode() * 100))


@case("random-bytes", keep=())
def _(d: Path) -> None:
    import random

    rnd = random.Random(7)
    for ext in ("jsonl", "txt", "html", "json"):
        write(d / f"r.{ext}", bytes(rnd.randrange(256) for _ in range(50_000)))


@case("mixed-encodings-jsonl", keep=("utf8", "after"))
def _(d: Path) -> None:
    write(d / "a.jsonl", (line(record("utf8", MEETING + " À bientôt.")) + "\n").encode()
          + (line(record("latin", MEETING + " À bientôt.")) + "\n").encode("latin-1")
          + (line(record("after")) + "\n").encode())


@case("txt-encodings", keep=("in/utf8.txt", "in/bom.txt", "in/crlf.txt", "in/nul.txt"))
def _(d: Path) -> None:
    write(d / "utf8.txt", PROSE)
    write(d / "bom.txt", "\ufeff" + PROSE)
    write(d / "crlf.txt", PROSE.replace(" in ", "\r\nin ") + "\r\n")
    write(d / "latin1.txt", (PROSE + " À Pékin.").encode("latin-1"))
    write(d / "utf16.txt", PROSE.encode("utf-16"))
    write(d / "nul.txt", PROSE.encode() + b"\x00")
    write(d / "empty.txt", b"")
    write(d / "bom-only.txt", b"\xef\xbb\xbf")
    write(d / "space.txt", b" \n\t\n ")


@case("txt-control-characters", keep=("in/ctl.txt",))
def _(d: Path) -> None:
    write(d / "ctl.txt", "\x01\x02\x0b\x0c\x1b[31m" + PROSE + "\x7f\u2028\u2029\ufffe")


@case("latin1-file-names", keep=("in/caf*", "in/ok.txt"))
def _(d: Path) -> None:
    folder = os.fsencode(d)
    for name in (b"caf\xe9.txt", b"na\xefve.html", b"r\xe9sum\xe9.jsonl"):
        body = html_page(ARTICLE_HTML) if name.endswith(b".html") else PROSE
        if name.endswith(b".jsonl"):
            body = line(record("from-latin1-file"))
        with open(os.path.join(folder, name), "wb") as f:
            f.write(body.encode())
    os.mkdir(os.path.join(folder, b"dossier-\xe9t\xe9"))
    with open(os.path.join(folder, b"dossier-\xe9t\xe9", b"ok.txt"), "wb") as f:
        f.write(PROSE.encode())
    write(d / "ok.txt", PROSE)


# ----------------------------------------------------------------------------- file system

@case("fifo-in-folder", keep=("in/after.txt",))
def _(d: Path) -> None:
    os.mkfifo(d / "pipe.jsonl")
    os.mkfifo(d / "pipe.txt")
    os.mkfifo(d / "pipe.html")
    write(d / "after.txt", PROSE)


@case("socket-in-folder", keep=("in/after.txt",))
def _(d: Path) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(d / "sock.jsonl"))  # left bound: the file stays; the process exits anyway
    write(d / "after.txt", PROSE)


@case("device-symlinks", keep=("in/after.txt",))
def _(d: Path) -> None:
    os.symlink("/dev/zero", d / "zero.txt")
    os.symlink("/dev/urandom", d / "random.jsonl")
    os.symlink("/dev/null", d / "null.html")
    write(d / "after.txt", PROSE)


@case("symlink-loops", keep=("in/after.txt", "in/link.txt"))
def _(d: Path) -> None:
    os.symlink("self.txt", d / "self.txt")
    os.symlink("b.jsonl", d / "a.jsonl")
    os.symlink("a.jsonl", d / "b.jsonl")
    os.symlink("missing.txt", d / "dangling.txt")
    os.mkdir(d / "sub")
    os.symlink("..", d / "sub" / "up")
    os.symlink(".", d / "here")
    write(d / "after.txt", PROSE)
    os.symlink("after.txt", d / "link.txt")


@case("directory-named-like-files", keep=("in/after.txt",))
def _(d: Path) -> None:
    (d / "dir.jsonl").mkdir()
    (d / "dir.txt").mkdir()
    write(d / "after.txt", PROSE)


@case("deep-folders", keep=("in/after.txt",))
def _(d: Path) -> None:
    p = d
    for _ in range(200):
        p = p / "d"
    p.mkdir(parents=True)
    write(p / "deep.txt", PROSE)
    write(d / "after.txt", PROSE)


# ----------------------------------------------------------------------------- events.jsonl inputs

def events_file(path: Path, *bad: str) -> None:
    ev = {"id": None, "participants": [{"name": "Sergei Lavrov", "type": "person", "country": "RU"},
                                       {"name": "Marco Rubio", "type": "person", "country": "US"}],
          "location": None, "date": "2025-09-24", "status": "occurred", "mode": "in-person",
          "sources": [{"article": "from-events", "sentence": "Lavrov met Rubio.", "start": 0, "end": 17}]}
    write(path, line(ev) + "\n" + "".join(b + "\n" for b in bad)
          + line({**ev, "sources": [{**ev["sources"][0], "article": "events-after"}]}) + "\n")


@case("events-bad-lines", keep=("from-events", "events-after"))
def _(d: Path) -> list[str]:
    many = [{"name": person(i), "type": "person"} for i in range(400)]
    events_file(d.parent / "events.jsonl", "garbage", '{"participants": 5}', '{"participants": []}',
                '{"participants": [{"name": 5}]}', '{"participants": [{"name": "A\\ud800"}, {"name": "B"}]}',
                '{"participants": ' + "[" * 5000 + "]" * 5000 + "}", '{"participants": [], "x": ' + "9" * 5000 + "}",
                line({"participants": [{"name": "A"}, {"name": "B"}], "location": {"name": "X", "lat": "north"}}),
                line({"participants": many, "sources": [{"article": "many", "sentence": "s", "start": 0, "end": 1}]}),
                "[1]", "null")
    return ["events.jsonl", "in"]


# ----------------------------------------------------------------------------- HTML

for depth in (300, 1000, 3000, 100_000):
    @case(f"html-nested-{depth}", keep=("in/deep.html",))
    def _(d: Path, depth: int = depth) -> None:
        write(d / "deep.html", html_page("<div>" * depth + ARTICLE_HTML + "</div>" * depth))


@case("html-unclosed-tags", keep=("in/unclosed.html",))
def _(d: Path) -> None:
    write(d / "unclosed.html", html_page("<b><font><i><span>" * 2000 + ARTICLE_HTML))


@case("html-odd", keep=("in/lang-dash.html", "in/latin1.html", "in/entities.html"))
def _(d: Path) -> None:
    write(d / "lang-dash.html", html_page(ARTICLE_HTML, attrs=' lang="-"'))
    write(d / "lang-empty.html", html_page(ARTICLE_HTML, attrs=' lang=""'))
    write(d / "lang-junk.html", html_page(ARTICLE_HTML, attrs=' lang="_-en" xml:lang="\u0000"'))
    write(d / "latin1.html", html_page(ARTICLE_HTML.replace("Beijing", "Pékin"),
                                       head='<meta charset="iso-8859-1"><title>T</title>').encode("latin-1"))
    write(d / "wrong-charset.html", html_page(ARTICLE_HTML + "<p>À bientôt</p>", head='<meta charset="utf-16">'))
    write(d / "entities.html", html_page(ARTICLE_HTML + "<p>&#xD800; &#0; &#x110000; &#99999999999; &bogus;</p>"))
    write(d / "script-only.html", html_page("<script>" + "var a = '<div>';" * 1000 + "</script>"))
    write(d / "bare.html", "just some text, no tags")
    write(d / "empty.html", b"")
    write(d / "huge-attr.html", html_page(f'<div class="{"x" * 1_000_000}">' + ARTICLE_HTML + "</div>"))
    write(d / "meta.html", html_page(ARTICLE_HTML, head='<meta property="article:published_time" content="'
                                     + "9" * 5000 + '"><meta name="date" content="0000-00-00"><title>'
                                     + "t" * 100_000 + "</title>"))


@case("html-entity-bomb", keep=())
def _(d: Path) -> None:
    ents = '<!ENTITY a "' + "x" * 100 + '">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
    write(d / "bomb.html", f"<?xml version=\"1.0\"?><!DOCTYPE html [{ents}]><html><body><p>&i;</p></body></html>")


# ----------------------------------------------------------------------------- super-linear extraction

def chain(n_chars: int) -> str:
    parts, i = [], 0
    while sum(map(len, parts)) + 5 * len(parts) < n_chars:
        parts.append(f"Minister {person(i % 400)}")
        i += 1
    return " met ".join(parts) + "."


for kb in (2, 4, 8, 16, 23):
    @case(f"chain-{kb}kb", keep=("after",), slow=True, series='"Minister A met Minister B met ..." (KB)', size=kb)
    def _(d: Path, kb: int = kb) -> None:
        jsonl(d / "a.jsonl", record("chain", chain(kb * 1000)), record("after"))


for n in (5000, 10_000, 20_000):
    @case(f"short-lines-{n}", keep=("in/lines.txt",), slow=True, series="short lines in one .txt", size=n)
    def _(d: Path, n: int = n) -> None:
        rows = [f"{person(i % 400)} met {person((i + 7) % 400)}" if i % 2 else f"Line {i}: Mr {person(i % 400)}"
                for i in range(n)]
        write(d / "lines.txt", PROSE + "\n" + "\n".join(rows))


for k in (50, 100, 200, 400):
    @case(f"people-in-one-sentence-{k}", keep=("after", "crowd"), slow=True, series="people in one sentence", size=k)
    def _(d: Path, k: int = k) -> None:
        crowd = ", ".join(f"Foreign Minister {person(i)}" for i in range(k))
        jsonl(d / "a.jsonl", record("crowd", f"President Prabowo Subianto met {crowd} in Jakarta on Tuesday."),
              record("after"))


@case("one-sentence-50k-words", keep=("after",), slow=True)
def _(d: Path) -> None:
    words = " ".join(f"word{i % 97} Minister {person(i % 400)} said" for i in range(12_500))
    jsonl(d / "a.jsonl", record("long", words + "."), record("after"))


@case("met-repeated", keep=("after",), slow=True)
def _(d: Path) -> None:
    jsonl(d / "a.jsonl", record("met", "met " * 20_000), record("after"))


@case("dates-repeated", keep=("after",), slow=True)
def _(d: Path) -> None:
    jsonl(d / "a.jsonl", record("dates", MEETING + " " + "on Monday, 22 September 2025, " * 3000 + "."),
          record("after"))


@case("titles-and-places-repeated", keep=("after",), slow=True)
def _(d: Path) -> None:
    jsonl(d / "a.jsonl", record("tp", "Foreign Minister President Prime Minister in Jakarta in Beijing " * 2000
                                + MEETING), record("after"))


# ----------------------------------------------------------------------------- running

@dataclass
class Result:
    name: str
    outcome: str  # ok | traceback | hang | lost
    seconds: float
    detail: str = ""
    warnings: int = 0
    ttl_bytes: int = 0
    series: str = ""
    size: float = 0
    lost: list[str] = field(default_factory=list)


def _limit_memory() -> None:
    os.setsid()  # its own process group: a hang is killed with all its children
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _ids(events: Path) -> set[str]:
    ids: set[str] = set()
    if events.exists():
        with events.open(encoding="utf-8") as f:
            for row in f:
                ids.update(s["article"] for s in json.loads(row).get("sources", []))
    return ids


def run_case(c: Case, base: Path, *, timeout: float, store: bool) -> Result:
    folder = base / c.name
    folder.mkdir(parents=True)
    inputs = c.make(folder)
    cmd = [sys.executable, "-m", "kg", "build", *inputs, "--out", "out", "-q", *([] if store else ["--no-store"])]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=_limit_memory)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return Result(c.name, "hang", time.perf_counter() - t, f"still running after {timeout:.0f} s",
                      series=c.series, size=c.size)
    secs = time.perf_counter() - t
    stderr = err.decode("utf-8", "replace")
    warnings = sum(1 for ln in stderr.splitlines() if ln.startswith(("warning:", "WARNING")))
    ttl = folder / "out" / "graph.ttl"
    res = Result(c.name, "ok", secs, warnings=warnings, ttl_bytes=ttl.stat().st_size if ttl.exists() else 0,
                 series=c.series, size=c.size)
    if "Traceback (most recent call last)" in stderr or proc.returncode not in (0, 1):
        last = [ln for ln in stderr.splitlines() if ln.strip()][-1:] or [f"exit code {proc.returncode}"]
        res.outcome, res.detail = "traceback", last[0][:160]
        return res
    ids = _ids(folder / "out" / "events.jsonl")
    res.lost = [k for k in c.keep if not (k in ids or (k.endswith("*") and any(i.startswith(k[:-1]) for i in ids)))]
    if res.lost:
        res.outcome = "lost"
        last = ([ln for ln in stderr.splitlines() if ln.strip() and not ln.startswith("warning:")] or [""])[-1]
        res.detail = f"missing {', '.join(map(repr, res.lost))[:120]} (exit {proc.returncode}) {last[:80]}".strip()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", help="Run only the cases whose name contains one of these words.")
    ap.add_argument("--timeout", type=float, default=120, help="Seconds before a case counts as a hang.")
    ap.add_argument("--slow-timeout", type=float, default=600, help="The same for the scaling cases.")
    ap.add_argument("--no-slow", action="store_true", help="Skip the slow (scaling) cases.")
    ap.add_argument("--slow-only", action="store_true", help="Run only the slow (scaling) cases.")
    ap.add_argument("--no-store", action="store_true", help="Build without the store (faster).")
    ap.add_argument("--keep", type=Path, help="Build in this folder and keep it (default: a temporary one).")
    ap.add_argument("--json", action="store_true", help="Print the results as JSON lines too.")
    args = ap.parse_args()
    cases = [c for c in CASES if (not args.only or any(w in c.name for w in args.only))
             and not (args.no_slow and c.slow) and not (args.slow_only and not c.slow)]
    base = args.keep or Path(tempfile.mkdtemp(prefix="kg-probe-"))
    base.mkdir(parents=True, exist_ok=True)
    results = []
    print(f"{'input':34} {'result':9} {'seconds':>8} {'warnings':>8}  detail", flush=True)
    try:
        for c in cases:
            r = run_case(c, base, timeout=args.slow_timeout if c.slow else args.timeout, store=not args.no_store)
            results.append(r)
            print(f"{r.name:34} {r.outcome:9} {r.seconds:8.1f} {r.warnings:8}  {r.detail}", flush=True)
            if args.json:
                print(json.dumps(r.__dict__), flush=True)
    finally:
        if args.keep is None:
            subprocess.run(["rm", "-rf", str(base)], check=False)
    count = {k: sum(r.outcome == k for r in results) for k in ("traceback", "hang", "lost")}
    print(f"\ninputs tried: {len(results)}   tracebacks: {count['traceback']}   hangs: {count['hang']}   "
          f"outputs lost: {count['lost']}")
    series: dict[str, list[Result]] = {}
    for r in results:
        if r.series:
            series.setdefault(r.series, []).append(r)
    for name, rs in series.items():
        cells = ", ".join(f"{r.size:g}: {r.seconds:.1f} s" + (" (hang)" if r.outcome == "hang" else "")
                          + (f", graph.ttl {r.ttl_bytes / 1e6:.1f} MB" if "people" in name else "") for r in rs)
        print(f"seconds per input, {name}: {cells}")
    alone = next((r.seconds for r in results if r.name == "canary-alone"), None)
    if alone is not None:
        print(f"a build of the good article alone: {alone:.1f} s (the least any input takes)")
    slow = sorted((r for r in results if not r.series and r.seconds > 2 * min(x.seconds for x in results)),
                  key=lambda r: -r.seconds)
    if slow:
        print("slowest other inputs: " + ", ".join(f"{r.name} {r.seconds:.1f} s" for r in slow[:6]))
    sys.exit(1 if any(count.values()) else 0)


if __name__ == "__main__":
    main()
