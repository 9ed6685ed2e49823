"""kg's store at a URL (``oxigraph serve`` started here) against the embedded store.

Builds the same synthetic meetings (``bench_store.synthetic``) into a local store and into the
server (``build_remote``: staged batches switched in by one request), builds again at the URL
(replacing kg's graphs), adds ``--add`` more articles and removes one on both, times two named
queries on both and an N-Quads export from the server, and checks that the server holds the
local store's quads (apart from the run log).

Usage: python benchmarks/bench_remote.py [--meetings 10000] [--add 1000]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import synthetic, timed  # noqa: E402


def start_server(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D").read()
            return proc, url
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise SystemExit(f"oxigraph serve did not start at {url}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=10_000)
    ap.add_argument("--add", type=int, default=1000)
    args = ap.parse_args()

    from kg.rdf.remote import build_remote
    from kg.rdf.store import KgStore, build_store

    with tempfile.TemporaryDirectory(prefix="kg-bench-remote-") as tmp:
        d = Path(tmp)
        proc, url = start_server(d / "db")
        try:
            found = synthetic(args.meetings)
            _, local = timed(build_store, d / "local", found, keep=False)
            _, remote = timed(build_remote, url, found)
            server = KgStore(url)
            print(f"build {args.meetings:,} meetings ({len(server):,} quads): local {local:.1f} s, URL {remote:.1f} s")
            _, again = timed(build_remote, url, found)
            print(f"build again at the URL (replacing kg's graphs): {again:.1f} s")
            more = synthetic(args.add, start=args.meetings)
            mine = KgStore(d / "local")
            _, local = timed(mine.add, more)
            _, remote = timed(server.add, more)
            print(f"add {args.add:,} articles: local {local:.1f} s, URL {remote:.1f} s")
            _, local = timed(mine.remove, ["syn-5"])
            _, remote = timed(server.remove, ["syn-5"])
            print(f"remove 1 article: local {local:.2f} s, URL {remote:.2f} s")
            for name, bindings in [("who-met-whom", {}), ("actor-meetings", {"actor_name": "Person 0042"})]:
                a, local = timed(mine.rows, name, bindings)
                b, remote = timed(server.rows, name, bindings)
                assert len(a) == len(b), (name, len(a), len(b))
                print(f"query {name} ({len(b)} rows): local {local:.2f} s, URL {remote:.2f} s")
            data, remote = timed(server.dump, None, "nq")
            print(f"export N-Quads from the URL ({len(data) / 1e6:.0f} MB): {remote:.1f} s")
            runs = "/graph/runs>"
            same = ({q for q in mine.dump(None, "nq").decode().splitlines() if runs not in q}
                    == {q for q in data.decode().splitlines() if runs not in q})
            print(f"the server holds the local store's quads (run log aside): {same}")
            mine.close()
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
