"""How kg does on people its lists do not know: a set scored with its gold participants taken out of
the curated actor lists.

kg knows about 1,400 actors (``kg/langs/_shared/actors.jsonl`` and the packs' ``actors.jsonl``).
News names many more. This removes every person of a set's gold from those lists, so that each one
must be found from evidence (a title, a given name, a surname the article repeats, a verb of
saying), builds the set, and prints kg's metrics next to those of the normal build.

Usage: python benchmarks/eval_unknown_people.py SET_DIR [--langs en,id]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _gold(folder: Path, lang: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / lang / "gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _score(folder: Path, lang: str) -> dict[str, Any]:
    from kg.evaluate import score
    from kg.ingest import read_articles
    from kg.pipeline import build

    arts = list(read_articles([folder / lang / "articles.jsonl"]))
    events = [e.to_dict() for e in build(arts)]
    return score(_gold(folder, lang), events, {a.id: a.text for a in arts})


def _forget(names: set[str]) -> None:
    """Take the people named (casefolded canonical names) out of the shared and pack actor lists."""
    import kg.langs as langs
    import kg.nlp.lexicon as lexicon
    import kg.nlp.pipeline as pipeline
    import kg.resolve as resolve

    shared = langs.shared_actors()
    kept = tuple(a for a in shared if a["name"].casefold() not in names)
    get_pack = langs.get_pack

    def pack(code: str | None) -> Any:
        p = get_pack(code)
        return dataclasses.replace(p, actors=tuple(a for a in p.actors if a["name"].casefold() not in names))

    for module in (langs, lexicon, pipeline, resolve):  # every module that reads the list
        if hasattr(module, "shared_actors"):
            module.shared_actors = lambda: kept  # type: ignore[attr-defined]
    pipeline.get_pack = pack  # type: ignore[assignment]
    # and the indexes built from it
    pipeline._make_annotator.cache_clear()
    lexicon._given_names.cache_clear()  # (it holds the actors' first names too)
    resolve._actor_index.cache_clear()
    resolve._skeleton_index.cache_clear()


def _unknown(folder: Path, lang: str) -> dict[str, Any]:
    """The set scored in a fresh process that forgets its people before it loads anything."""
    out = subprocess.run([sys.executable, __file__, str(folder), "--langs", lang, "--forget"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("set_dir", type=Path)
    ap.add_argument("--langs", default="en,id,fr,es,de,ru,pt")
    ap.add_argument("--forget", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = ap.parse_args()
    langs = [lang for lang in args.langs.split(",") if (args.set_dir / lang / "gold.jsonl").is_file()]
    if args.forget:
        _forget({p["name"].casefold() for lang in langs for row in _gold(args.set_dir, lang)
                 for m in row["meetings"] for p in m["participants"]})
        print(json.dumps(_score(args.set_dir, langs[0])))
        return
    print(f"{'lang':6} {'pairs F1 (P) known':>20} {'unknown':>16}")
    for lang in langs:
        b, a = _score(args.set_dir, lang)["pairs"], _unknown(args.set_dir, lang)["pairs"]
        print(f"{lang:6} {b['f1']:>13.2f} ({b['p']:.2f}) {a['f1']:>9.2f} ({a['p']:.2f})")


if __name__ == "__main__":
    main()
