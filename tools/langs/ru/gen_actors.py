"""Regenerate kg/langs/ru/actors.jsonl: the oblique-case forms of every Cyrillic name in
kg/langs/_shared/actors.jsonl, by the declension rules in decl.py (described in
kg/langs/ru/SOURCES.md). Run from the repository root after adding Russian names to the shared list:

    python tools/langs/ru/gen_actors.py
"""
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE))
from decl import name_forms  # noqa: E402

SHARED = ROOT / "kg/langs/_shared/actors.jsonl"
TARGET = ROOT / "kg/langs/ru/actors.jsonl"
CYR = re.compile("[А-Яа-яЁё]")
# nominative aliases the shared list lacks, for leaders the Russian press names often
EXTRA = {
    "Xi Jinping": ["Си"],
    "Vladimir Putin": ["В. Путин", "В.В. Путин"],
    "Mohammed bin Salman": ["Мухаммед бин Сальман", "Мохаммед бин Сальман", "Мухаммед бен Салман"],
    "Recep Tayyip Erdoğan": ["Реджеп Эрдоган", "Тайип Эрдоган"],
    "Steve Witkoff": ["Стивен Уиткофф"],
    "Pope Leo XIV": ["Льва XIV", "Льву XIV", "Львом XIV", "Льве XIV", "Папы Льва XIV", "Папе Льву XIV", "Папой Львом XIV"],
    "Kim Jong Un": ["Ким Чен Ын"],
    "Ukhnaagiin Khürelsükh": ["Ухнагийн Хурэлсух"],
    "Volodymyr Zelensky": ["Владимир Зеленский"],
}
rows = [json.loads(line) for line in open(SHARED, encoding="utf-8")]
all_aliases = collections.Counter()
for a in rows:
    for x in {a["name"], *a.get("aliases", [])}:
        all_aliases[x] += 1
out = []
owner = collections.defaultdict(set)
for a in rows:
    if a.get("type") != "person":
        continue
    cyr = [x for x in a.get("aliases", []) if CYR.search(x)]
    if not cyr and a["name"] not in EXTRA:
        continue
    new = set(EXTRA.get(a["name"], [])) - set(a["aliases"])
    for alias in cyr + sorted(new):
        if re.search("[іїєґ]|ький$", alias):
            continue  # Ukrainian spellings
        new |= name_forms(alias, a.get("country"))
    new = {x for x in new if x not in all_aliases}
    for x in new:
        owner[x].add(a["name"])
    out.append((a["name"], new))
dup = {x for x, o in owner.items() if len(o) > 1}
with open(TARGET, "w", encoding="utf-8") as f:
    f.write("// generated: oblique-case forms of the Cyrillic names in _shared/actors.jsonl (see SOURCES.md)\n")
    for name, new in sorted(out, key=lambda r: r[0].casefold()):
        new = sorted(new - dup)
        if new:
            f.write(json.dumps({"name": name, "aliases": new}, ensure_ascii=False) + "\n")
print(len(out), "dups dropped:", sorted(dup)[:30])
