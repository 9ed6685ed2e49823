"""Check an evaluation set's files against each other (standard library only).

Usage: python eval/check.py eval/heldout eval/train [...]

A set is a folder of ``<lang>/articles.jsonl`` and ``<lang>/gold.jsonl`` (the format of
``kg evaluate --gold``). Checked: every line is a JSON object; articles and gold have the same ids;
every participant alias and place alias occurs in its article's text; dates are YYYY, YYYY-MM or
YYYY-MM-DD; status and mode take their values; a meeting key shared by several articles has the
same participants (one report may name a subset) and date (at the coarser precision) everywhere.
Prints one line per problem and exits 1 when there is any.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

STATUSES = {"occurred", "planned", "cancelled"}
MODES = {"in-person", "remote"}


def _agree(a: tuple, b: tuple) -> bool:
    """Two reports of one meeting agree when one names a subset of the other's people (an article
    may leave out some who were there) and their dates agree at the coarser precision (one article
    gives the month, another the day), or one gives none."""
    (pa, da, _), (pb, db, _) = a, b
    dates = da is None or db is None or da.startswith(db) or db.startswith(da)
    return (pa <= pb or pb <= pa) and dates


def _rows(path: Path, problems: list[str]) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"{path}:{n}: not JSON ({err.msg})")
            continue
        if not isinstance(row, dict) or "id" not in row:
            problems.append(f"{path}:{n}: not an object with an id")
            continue
        rows.append(row)
    return rows


def _date_ok(value: str | None) -> bool:
    if value is None:
        return True
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def check(folder: Path) -> list[str]:
    problems: list[str] = []
    keys: dict[str, tuple[frozenset[str], str | None, str]] = {}
    for lang_dir in sorted(p for p in folder.iterdir() if (p / "articles.jsonl").is_file()):
        arts = {r["id"]: r for r in _rows(lang_dir / "articles.jsonl", problems)}
        gold = _rows(lang_dir / "gold.jsonl", problems) if (lang_dir / "gold.jsonl").is_file() else []
        if set(arts) != {g["id"] for g in gold}:
            problems.append(f"{lang_dir}: articles and gold ids differ: {sorted(set(arts) ^ {g['id'] for g in gold})}")
        for g in gold:
            text = arts.get(g["id"], {}).get("text", "")
            for m in g.get("meetings", []):
                where = f"{lang_dir / 'gold.jsonl'}: {g['id']} {m.get('event')}"
                for p in m.get("participants", []):
                    for alias in p.get("aliases", []):
                        if alias not in text:
                            problems.append(f"{where}: alias {alias!r} of {p['name']} is not in the text")
                loc = m.get("location") or {}
                for alias in loc.get("aliases", []):
                    if alias not in text:
                        problems.append(f"{where}: place alias {alias!r} is not in the text")
                if not _date_ok(m.get("date")):
                    problems.append(f"{where}: bad date {m.get('date')!r}")
                if m.get("status") not in STATUSES or m.get("mode") not in MODES:
                    problems.append(f"{where}: bad status or mode {m.get('status')!r} {m.get('mode')!r}")
                sig = (frozenset(p["name"] for p in m.get("participants", [])), m.get("date"), where)
                old = keys.setdefault(m.get("event", ""), sig)
                if not _agree(old, sig):
                    problems.append(f"{where}: the key is used with other participants or date in {old[2]}")
    return problems


def main() -> int:
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__.strip())
        return 0
    missing = [a for a in sys.argv[1:] if not Path(a).is_dir()]
    if missing:
        print(f"check.py: not a folder: {missing[0]}", file=sys.stderr)
        return 2
    problems = [p for arg in sys.argv[1:] or ["eval/heldout", "eval/train"] for p in check(Path(arg))]
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
