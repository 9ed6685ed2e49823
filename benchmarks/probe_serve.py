"""Fire the attacks of issue 14, section 2 at a `kg serve` and print what happened to each.

    python benchmarks/probe_serve.py                 # builds a small store, starts kg serve, probes it
    python benchmarks/probe_serve.py --url http://127.0.0.1:8000   # probes a running kg serve

An attack is *refused* when the server answers it with the expected refusal (a 4xx or a 503
that stops the query) and is still answering ordinary queries afterwards. The SSRF attack
points SERVICE at a local listener this script starts, and counts as refused only if that
listener saw no request. The run ends with a count: attacks refused / attacks fired, and the
server's process count and peak memory when this script started it.
"""

from __future__ import annotations

import argparse
import http.server
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

ASK = "ASK { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"
GROWING = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } ORDER BY ?a ?c ?f ?i ?l ?o"


def http_get(url: str, *, headers: dict[str, str] | None = None, timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()
    except (OSError, urllib.error.URLError) as err:
        return -1, {}, str(err).encode()


def query(base: str, text: str, timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
    return http_get(f"{base}/sparql?" + urllib.parse.urlencode({"query": text}), timeout=timeout)


def raw(base: str, data: bytes, *, timeout: float = 20) -> bytes:
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except (TimeoutError, ConnectionResetError):
            pass
        return out


def status_of(answer: bytes) -> int:
    parts = answer.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1


class Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        Recorder.seen.append(self.path)
        body = b'{"head":{"vars":["token"]},"results":{"bindings":[{"token":{"type":"literal","value":"s3cret"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


def attacks(base: str, admin: str, tmp: Path) -> list[tuple[str, Callable[[], tuple[bool, str]]]]:
    secret = tmp / "secret.rq"
    secret.write_text("SELECT ?x WHERE { BIND('read from disk' AS ?x) }", encoding="utf-8")

    def expect(code: int, got: int, what: str = "") -> tuple[bool, str]:
        return got == code, f"{got} {what}".strip()

    def deep(open_: str, close: str) -> Callable[[], tuple[bool, str]]:
        text = "SELECT * WHERE { ?s ?p ?o FILTER(" + open_ * 5000 + "?o" + close * 5000 + ") }" if open_ == "(" \
            else "SELECT * WHERE " + open_ * 5000 + " ?s ?p ?o " + close * 5000
        return lambda: expect(400, query(base, text)[0])

    def runaway(text: str) -> Callable[[], tuple[bool, str]]:
        def run() -> tuple[bool, str]:
            t = time.monotonic()
            code, _, body = query(base, text, timeout=600)
            return code == 503, f"{code} after {time.monotonic() - t:.1f} s: {body.decode(errors='replace').strip()[:70]}"
        return run

    def two_runaways_then_ask() -> tuple[bool, str]:
        out: list[int] = []
        threads = [threading.Thread(target=lambda: out.append(query(base, CARTESIAN, timeout=600)[0])) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        t0 = time.monotonic()
        code = query(base, ASK, timeout=600)[0]
        waited = time.monotonic() - t0
        for t in threads:
            t.join()
        return code == 200, f"runaways {sorted(out)}, then an ASK got {code} after {waited:.1f} s"

    def ssrf(text: str) -> Callable[[], tuple[bool, str]]:
        def run() -> tuple[bool, str]:
            Recorder.seen = []
            code, _, body = query(base, text)
            fetched = bool(Recorder.seen) or b"s3cret" in body
            return code == 400 and not fetched, f"{code}, fetched: {fetched}"
        return run

    def file_read(path: str) -> Callable[[], tuple[bool, str]]:
        def run() -> tuple[bool, str]:
            code, _, body = query(base, path)
            return code == 400 and b"read from disk" not in body, f"{code} {body.decode(errors='replace').strip()[:60]}"
        return run

    def same_answer_for_present_and_absent() -> tuple[bool, str]:
        a = query(base, str(secret))
        b = query(base, str(tmp / "absent.rq"))
        same = a[0] == b[0] and a[2].replace(b"secret", b"absent") == b[2]
        return same, f"{a[0]} / {b[0]}, same text: {same}"

    def cors() -> tuple[bool, str]:
        _, headers, _ = http_get(f"{base}/sparql?" + urllib.parse.urlencode({"query": ASK}),
                                 headers={"Origin": "https://evil.example"})
        acao = {k.lower(): v for k, v in headers.items()}.get("access-control-allow-origin")
        return acao is None, f"Access-Control-Allow-Origin: {acao}"

    def post(length: bytes, body: bytes = b"") -> Callable[[], tuple[bool, str]]:
        head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: " + length + b"\r\n\r\n")
        return lambda: expect(400, status_of(raw(base, head + body)))

    def long_value() -> tuple[bool, str]:
        return expect(400, query(base, "q" * 300 + ".rq")[0])

    def oversized(kind: str) -> Callable[[], tuple[bool, str]]:
        if kind == "url":
            data, code = b"GET /sparql?query=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414
        elif kind == "headers":
            data, code = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 100_000 + b"\r\n\r\n", 431
        else:
            data, code = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                          b"Content-Length: 200000000\r\n\r\n"), 413
        return lambda: expect(code, status_of(raw(base, data)))

    def half_sent(n: int) -> Callable[[], tuple[bool, str]]:
        def run() -> tuple[bool, str]:
            host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
            socks = []
            for _ in range(n):
                try:
                    s = socket.create_connection((host, port), timeout=5)
                    s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nquery=")
                    socks.append(s)
                except OSError:
                    break
            t0 = time.monotonic()
            code = query(base, ASK, timeout=600)[0]
            served = time.monotonic() - t0
            closed = 0
            t1 = time.monotonic()
            for s in socks:
                s.settimeout(max(1.0, 120 - (time.monotonic() - t1)))
                try:
                    closed += s.recv(100) == b""
                except ConnectionResetError:
                    closed += 1
                except TimeoutError:  # still open after two minutes
                    pass
                s.close()
            return code == 200 and closed == len(socks), (
                f"{len(socks)} half-sent; an ASK got {code} after {served:.1f} s; "
                f"{closed} closed by the server within {time.monotonic() - t1:.0f} s")
        return run

    return [
        ("5,000 nested ( in FILTER", deep("(", ")")),
        ("5,000 nested {", deep("{", "}")),
        ("cartesian COUNT(*) past the timeout", runaway(CARTESIAN)),
        ("ORDER BY over a cartesian product (memory)", runaway(GROWING)),
        ("two runaways, then an ordinary query", two_runaways_then_ask),
        ("SSRF: SERVICE <local admin URL>", ssrf(f"SELECT * {{ SERVICE <{admin}/admin?token=1> {{ ?s ?p ?o }} }}")),
        ("SSRF: service silent, lower case", ssrf(f"SELECT * {{ service silent <{admin}/admin> {{ ?s ?p ?o }} }}")),
        ("SSRF: SERVICE ?var bound to the URL", ssrf(f"SELECT * {{ BIND(<{admin}/a> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}")),
        ("local file: ?query=/path/secret.rq", file_read(str(secret))),
        ("local file: present vs absent path", same_answer_for_present_and_absent),
        ("CORS: any origin may read", cors),
        ("Content-Length: abc", post(b"abc")),
        ("Content-Length: -1 with a 1 MB body", post(b"-1", b"x" * 1_000_000)),
        ("query-string value of 300+ characters", long_value),
        ("oversized URL (70 KB)", oversized("url")),
        ("oversized header (100 KB)", oversized("headers")),
        ("oversized body (Content-Length 200 MB)", oversized("body")),
        ("300 half-sent requests", half_sent(300)),
    ]


def start_server(tmp: Path, timeout: float, memory: int) -> tuple[subprocess.Popen[bytes], str]:
    from kg.model import Actor, Event, Mention, PartialDate, Place
    from kg.rdf.store import build_store

    people = [Actor(f"Person {i}", country="US") for i in range(12)]
    events = [Event((people[i], people[(i + 1) % 12]), Place("Geneva", country="CH"), PartialDate(2025, 1, i + 1),
                    evidence=(Mention(f"a{i}", 0, 9, "They met.", lang="en"),)) for i in range(12)]
    if not (tmp / "store").is_dir():
        build_store(tmp / "store", events)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [sys.executable, "-m", "kg", "serve", "--store", str(tmp / "store"), "--port", str(port),
            "--timeout", str(timeout)]
    help_text = subprocess.run([sys.executable, "-m", "kg", "serve", "--help"], capture_output=True, text=True).stdout
    if "--memory" in help_text:
        args += ["--memory", str(memory)]
    proc = subprocess.Popen(args, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL, cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if query(base, ASK, timeout=5)[0] == 200:
            return proc, base
        if proc.poll() is not None:
            raise SystemExit(f"kg serve exited with {proc.returncode}")
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("kg serve did not start")


def tree_stats(pid: int) -> tuple[int, int]:
    """Processes in the server's tree and their summed resident memory (KB)."""
    out = subprocess.run(["ps", "-eo", "pid,ppid,rss"], capture_output=True, text=True).stdout.split("\n")[1:]
    rows = [tuple(int(x) for x in line.split()) for line in out if line.strip()]
    tree, grew = {pid}, True
    while grew:
        grew = False
        for p, pp, _ in rows:
            if pp in tree and p not in tree:
                tree.add(p)
                grew = True
    return len(tree), sum(rss for p, _, rss in rows if p in tree)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="probe this running kg serve (http://host:port) instead of starting one")
    ap.add_argument("--timeout", type=float, default=5.0, help="the query timeout of the server started here")
    ap.add_argument("--memory", type=int, default=200, help="the memory cap (MB) of the server started here")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()

    admin_srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=admin_srv.serve_forever, daemon=True).start()
    admin = f"http://127.0.0.1:{admin_srv.server_address[1]}"
    results = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        proc, base = (None, args.url.rstrip("/")) if args.url else start_server(tmp, args.timeout, args.memory)
        peak = 0
        plan = attacks(base, admin, tmp)
        downs = 0
        try:
            for i in range(len(plan)):
                name, attack = plan[i]
                t = time.monotonic()
                try:
                    refused, what = attack()
                except Exception as err:  # noqa: BLE001 - an attack that breaks the probe is not refused
                    refused, what = False, f"probe error: {type(err).__name__}: {err}"
                alive = query(base, ASK, timeout=60)[0] == 200
                if proc is not None:
                    peak = max(peak, tree_stats(proc.pid)[1])
                results.append({"attack": name, "refused": refused and alive, "what": what, "alive_after": alive,
                                "seconds": round(time.monotonic() - t, 1)})
                print(f"{'refused' if refused and alive else 'NOT REFUSED':12} {name:44} {what}"
                      + ("" if alive else "  [server down]"), flush=True)
                if not alive:
                    if proc is None:
                        break
                    proc.kill()  # start it again for the next attack
                    proc.wait()
                    proc, new_base = start_server(tmp, args.timeout, args.memory)
                    plan = attacks(new_base, admin, tmp)
                    base = new_base
                    downs += 1
        finally:
            if proc is not None:
                procs, rss = tree_stats(proc.pid)
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                print(f"server: {procs} processes at the end, peak resident memory {peak / 1024:.0f} MB "
                      f"(the server and its workers); taken down {downs} times (restarted by the probe)")
            admin_srv.shutdown()
    fired = len(plan)
    refused = sum(r["refused"] for r in results)
    print(f"{refused}/{fired} attacks refused")
    if args.json:
        print(json.dumps(results, indent=1))
    sys.exit(0 if refused == fired else 1)


if __name__ == "__main__":
    main()
