"""Throughput of `kg build` against spaCy's blank tokenizer on the same text, and peak memory.

Generates a corpus of realistic articles from templates (``benchmarks/corpus.py``: English and
Indonesian, actors from the curated list, cities from the gazetteer, dates around a publication
date), then measures:

- the blank tokenizer alone (``spacy.blank(lang)`` over every text), words per second;
- the whole build (read → extract → resolve → merge), words per second, on one core;
- peak resident memory of a build of N and 4N articles (each in a fresh process), to show that
  memory stays flat as the input grows.

Usage: python benchmarks/bench_build.py [--articles 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

def samples(n: int) -> list[dict]:
    """n articles repeating the sample articles in data/ (real prose), each with its own id."""
    from kg.ingest import read_articles

    base = [a.to_dict() for a in read_articles([ROOT / "data"])]
    return [{**base[i % len(base)], "id": f"sample-{i}"} for i in range(n)]


def corpus(n: int, seed: int = 7) -> list[dict]:
    """n generated articles (``benchmarks/corpus.py``), each reporting new meetings."""
    from corpus import articles

    return list(articles(n, seed=seed))


def words(rows: list[dict]) -> int:
    return sum(len(r["text"].split()) for r in rows)


def bench_tokenizer(rows: list[dict]) -> float:
    import spacy

    nlps = {lang: spacy.blank(lang) for lang in ("en", "id")}
    t = time.perf_counter()
    for r in rows:
        nlps[r["lang"]].make_doc(r["text"])
    return words(rows) / (time.perf_counter() - t)


def bench_build(rows: list[dict]) -> tuple[float, float]:
    from kg.model import Article
    from kg.pipeline import build

    # warm up: packs, matchers and gazetteer are built once per process
    build([Article.from_dict(rows[0]), Article.from_dict(rows[1])])
    t = time.perf_counter()
    build(Article.from_dict(r) for r in rows)
    elapsed = time.perf_counter() - t
    return words(rows) / elapsed, elapsed


def peak_rss_mb(n: int, make=corpus) -> float:
    """Peak RSS of a `kg build` of n generated articles, in a fresh process (MB)."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for r in make(n):
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        code = (
            "import resource, sys; from kg.cli import main; "
            "sys.argv=['kg','build',sys.argv[1],'--out',sys.argv[2],'--quiet'];\n"
            "try:\n  main()\nexcept SystemExit:\n  pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        res = subprocess.run([sys.executable, "-c", code, str(path), str(Path(d) / "out")],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        return int(res.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--corpus", choices=["templates", "samples"], default="templates",
                    help="generated articles (many distinct meetings) or the data/ samples repeated (real prose)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    make = corpus if args.corpus == "templates" else samples
    rows = make(args.articles)
    tok = bench_tokenizer(rows)
    wps, elapsed = bench_build(rows)
    small, large = peak_rss_mb(args.articles // 2, make), peak_rss_mb(args.articles * 2, make)
    result = {
        "corpus": args.corpus,
        "articles": len(rows), "words": words(rows), "tokenizer_words_per_s": round(tok),
        "build_words_per_s": round(wps), "build_seconds": round(elapsed, 2), "ratio": round(wps / tok, 3),
        f"peak_rss_mb_{args.articles // 2}": round(small), f"peak_rss_mb_{args.articles * 2}": round(large),
        "self_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:28} {v}")


if __name__ == "__main__":
    main()
