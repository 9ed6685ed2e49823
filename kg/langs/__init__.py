"""Language packs: a registry of data folders, one per language (no Python per language).

A pack folder holds ``pack.toml`` (code, version, spaCy language, sources and licences),
``titles.jsonl`` (offices and honorifics), ``cues.jsonl`` (meeting words, status, mode and
negation cues), ``dates.toml`` (date words and formats), ``places.jsonl`` (local place names),
``words.toml`` (demonyms, name particles, capitalised words that are not names) and
``examples.jsonl`` (sentences with the events expected from them). ``_shared/`` holds the
language-independent curated actors, venues and regions.

>>> get_pack("en").code
'en'
>>> "id" in available_packs()
True
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from kg.errors import PackError, UnknownLanguage

PACKS_DIR = Path(__file__).resolve().parent
SHARED_DIR = PACKS_DIR / "_shared"

CUE_KINDS = frozenset(
    {
        "meet",  # a word or phrase that reports a meeting (met, talks, bertemu, pertemuan)
        "remote",  # the meeting was a call (phone, video call, telepon)
        "planned",  # the meeting lies ahead (will, is scheduled to, akan, dijadwalkan)
        "cancelled",  # the meeting was called off (called off, dibatalkan)
        "negation",  # the meeting is denied (did not meet, no plans to, tidak)
        "hypothetical",  # the meeting is only possible (might, could, likely)
        "group",  # a phrase that stands for the participants named before (the two leaders, keduanya)
        "anaphor",  # a definite mention of a meeting told before (the meeting, pertemuan itu)
        "pronoun",  # a personal pronoun standing for the last salient person (he, she, ia)
        "invite",  # an invitation: a planned meeting between inviter and invitee
        "host",  # the subject receives the others (hosted, received, menerima)
        "proxy",  # the person right after it sent word and is not in the room (a letter from, surat dari)
        "speech",  # a verb of saying: its subject is a speaker, not a participant (said, kata)
        "boundary",  # a word that opens a new clause (while, but, sementara)
        "counterpart",  # "his counterpart": a person of the same office on the other side
        "earlier",  # an earlier, different meeting of the same people (pernah bertemu, had previously met)
        "join",  # the people named join the meeting told before (accompanied by, led the delegation, didampingi)
        "bilateral",  # the meeting was between two sides only (bilateral, tête-à-tête): not a larger session
        "fixed",  # a fixed phrase whose words are no other kind of cue ("yang kedua" = "the second": no clause opens)
        "impersonal",  # an expletive subject, not a pronoun for a person (il s'agit, it is, es gibt)
        "reschedule",  # a called-off meeting given a new date (rescheduled for, verschoben auf, dijadwalkan ulang)
        "during",  # in the course of a meeting told before: same day (during the talks, di sela-sela, am Rande)
        "entourage",  # the people named next came along, and are not a side of the meeting (accompanied by, didampingi)
        "respectively",  # the subject met each of the others apart (respectively, separately, masing-masing)
    }
)


#: How far the rules look, in tokens (or days), unless a pack's ``[windows]`` table says otherwise.
DEFAULT_WINDOWS: dict[str, int] = {
    "planned_before": 8,  # a planned cue ("will", "akan") this many words before the meeting word
    "planned_coordinated": 12,  # ... or this many before "and" right before it ("will fly to X and meet Y")
    "negation_before": 4,  # a negation ("did not", "tidak") this many words before the meeting word
    "negation_chain": 10,  # ... or this many, with only words, places and dates between ("not go to X to meet")
    "earlier_before": 4,  # an "earlier meeting" cue ("had met", "pernah") this many words before it
    "name_words": 5,  # the longest name run of capitalised words
    "title_to_name": 6,  # tokens (brackets, countries, "of") a title may stand from its name
    "plural_title_names": 12,  # tokens after a plural title ("Presidents") that its names may take
    "lead_sentence_reach": 250,  # a meeting this close after the lead sentence takes its date and place
    "join_reach": 120,  # an "accompanied by / led the delegation" sentence this close joins that meeting
    "dateline_days": 3,  # the dateline places a meeting only this close to publication
    "lead_days": 7,  # the lead paragraph's date dates the main meeting only this close to publication
    "object_pronoun_before": 3,  # an object pronoun ("l'", "lo", "ihn") this many words before the meeting word
    "remote_after": 3,  # a talk verb marked "remote" is a meeting word when a remote cue starts this close after it
}


@dataclass(frozen=True)
class Pack:
    """One language's knowledge, loaded from its folder."""

    code: str
    name: str
    version: str
    spacy_lang: str
    path: Path
    titles: tuple[dict[str, Any], ...]
    cues: tuple[dict[str, Any], ...]
    dates: dict[str, Any]
    places: tuple[dict[str, Any], ...]
    words: dict[str, Any]
    examples: tuple[dict[str, Any], ...] = ()
    actors: tuple[dict[str, Any], ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def window(self, name: str) -> int:
        """A window of the rules (:data:`DEFAULT_WINDOWS`), as the pack's ``[windows]`` sets it."""
        return int(self.meta.get("windows", {}).get(name, DEFAULT_WINDOWS[name]))

    def cue_phrases(self, kind: str) -> list[str]:
        return [c["text"] for c in self.cues if c["kind"] == kind]

    def size(self) -> int:
        """Bytes of data in the pack's folder."""
        return sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())


SCHEMA_DIR = PACKS_DIR / "_schema"


@cache
def _validator(name: str) -> Any:
    """The JSON Schema validator of one kind of pack file (``_schema/cues.schema.json`` ...)."""
    from jsonschema import Draft202012Validator

    with (SCHEMA_DIR / f"{name}.schema.json").open(encoding="utf-8") as f:
        return Draft202012Validator(json.load(f))


def _schema_problems(where: str, value: Any, name: str) -> list[str]:
    out = []
    for err in sorted(_validator(name).iter_errors(value), key=lambda e: list(e.path)):
        at = ".".join(str(p) for p in err.path)
        out.append(f"{where}: {at + ': ' if at else ''}{err.message}")
    return out


#: What makes two rows of a pack file the same entry (a second one is an error): cues match on lower
#: case, so "The meeting" and "the meeting" are one cue.
_ENTRY_KEYS: dict[str, Any] = {
    "cues": lambda r: (r.get("kind"), str(r.get("text", "")).lower()),
    "titles": lambda r: r.get("text"),
    "places": lambda r: r.get("text"),
    "actors": lambda r: r.get("name"),
}


def _read_jsonl(path: Path, problems: list[str], required: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The rows of a pack's JSON Lines file, each checked against the file's schema (unknown keys
    and wrong types are problems) and, where entries have a key, against the rows before it
    (a duplicate entry is a problem)."""
    rows: list[dict[str, Any]] = []
    if not path.exists():
        return rows
    name = path.name.removesuffix(".jsonl")
    entry = _ENTRY_KEYS.get(name)
    seen: dict[Any, int] = {}
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(f"{path}:{n}: not JSON: {err.msg}")
                continue
            if not isinstance(row, dict):
                problems.append(f"{path}:{n}: expected a JSON object")
                continue
            missing = [k for k in required if k not in row]
            if missing:
                problems.append(f"{path}:{n}: missing {', '.join(missing)}")
                continue
            if (SCHEMA_DIR / f"{name}.schema.json").exists():
                found = _schema_problems(f"{path}:{n}", row, name)
                if found:
                    problems.extend(found)
                    continue
            if entry is not None:
                key = entry(row)
                if key in seen:
                    problems.append(f"{path}:{n}: duplicate of line {seen[key]} ({key!r})")
                    continue
                seen[key] = n
            row["_line"] = n
            rows.append(row)
    return rows


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any]:
    """A pack's TOML file, checked against its schema when it has one (``_schema/words.schema.json``)."""
    if not path.exists():
        return {}
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as err:
        problems.append(f"{path}: {err}")
        return {}
    name = path.name.removesuffix(".toml")
    if (SCHEMA_DIR / f"{name}.schema.json").exists():
        problems.extend(_schema_problems(str(path), data, name))
    return data


def load_pack(path: Path) -> Pack:
    """Load and check a pack folder, reporting every problem at once.

    Raises:
        PackError: listing each malformed file and line.
    """
    problems: list[str] = []
    meta = _read_toml(path / "pack.toml", problems)
    if not meta and not problems:
        problems.append(f"{path / 'pack.toml'}: missing")
    for key in ("code", "version"):
        if meta and key not in meta:
            problems.append(f"{path / 'pack.toml'}: missing key {key!r}")
    titles = _read_jsonl(path / "titles.jsonl", problems, ("text",))
    cues = _read_jsonl(path / "cues.jsonl", problems, ("text", "kind"))
    for c in cues:
        if c["kind"] not in CUE_KINDS:
            problems.append(f"{path / 'cues.jsonl'}:{c['_line']}: unknown cue kind {c['kind']!r}")
    places = _read_jsonl(path / "places.jsonl", problems, ("text", "name"))
    examples = _read_jsonl(path / "examples.jsonl", problems, ("text", "events"))
    actors = _read_jsonl(path / "actors.jsonl", problems, ("name",))
    dates = _read_toml(path / "dates.toml", problems)
    words = _read_toml(path / "words.toml", problems)
    unknown = sorted(set(meta.get("windows", {})) - set(DEFAULT_WINDOWS))
    if unknown:
        problems.append(f"{path / 'pack.toml'}: unknown window(s) {', '.join(unknown)}; known: {', '.join(DEFAULT_WINDOWS)}")
    if problems:
        raise PackError(problems)
    cues = _inflected_cues(cues, meta)
    return Pack(
        code=meta["code"],
        name=meta.get("name", meta["code"]),
        version=str(meta["version"]),
        spacy_lang=meta.get("spacy_lang", meta["code"]),
        path=path,
        titles=tuple(titles),
        cues=tuple(cues),
        dates=dates,
        places=tuple(places),
        words=words,
        examples=tuple(examples),
        actors=tuple(actors),
        meta=meta,
    )


def _inflected_cues(cues: list[dict[str, Any]], meta: dict[str, Any]) -> list[dict[str, Any]]:
    """In a pack whose words decline (``[names] base_form = "pymorphy3"``), a one-word meeting or
    remote noun is listed once and matches in every case and number: "видеоконференции" also
    matches "видеоконференцию" and "видеоконференцией"; a one-word verb cue matches its other
    genders, numbers and persons in the same tense and mood ("встретился": "встретилась"), never
    another tense. Each added form keeps its entry's fields and line (the rule id names the line
    written)."""
    if meta.get("names", {}).get("base_form") != "pymorphy3":
        return cues
    from kg.nlp.morph import _pymorphy

    analyser = _pymorphy(meta["code"])
    have = {(c["kind"], c["text"].lower()) for c in cues}
    out = list(cues)

    def add(c: dict[str, Any], word: str) -> None:
        for w in {word, word.replace("ё", "е")}:
            if (c["kind"], w) not in have:
                have.add((c["kind"], w))
                out.append({**c, "text": w})

    for c in cues:
        if not c["text"].isalpha():
            continue
        parses = [p for p in analyser.parse(c["text"].lower()) if p.score >= 0.3]
        nouns = [p for p in parses if p.tag.POS == "NOUN"]
        verbs = [p for p in parses if p.tag.POS == "VERB"]
        if c["kind"] in ("meet", "remote") and nouns:
            for form in nouns[0].lexeme:
                add(c, form.word)
        elif verbs:
            # a verb in the other genders, numbers and persons of its own tense and mood ("встретился":
            # "встретилась", "встретились"): what the form says of time stays as written
            v = verbs[0].tag
            for form in verbs[0].lexeme:
                if form.tag.POS == "VERB" and form.tag.tense == v.tense and form.tag.mood == v.mood:
                    add(c, form.word)
    return out


#: Environment variable naming more folders of packs (separated by ``os.pathsep``), searched
#: before kg's own: a folder there holding ``en/pack.toml`` overrides or adds the ``en`` pack.
PACKS_ENV = "KG_PACKS"


def packs_path() -> tuple[Path, ...]:
    """The folders searched for packs, first match wins: those in ``KG_PACKS``, then kg's own.

    A folder is either a folder of packs (``DIR/en/pack.toml``) or one pack (``DIR/pack.toml``,
    the pack named by the folder). ``kg --packs DIR`` puts ``DIR`` first. Packs are cached
    per process once loaded, so set it before the first build.

    >>> packs_path()[-1] == PACKS_DIR
    True
    """
    return _path_from(os.environ.get(PACKS_ENV, ""))


@lru_cache(maxsize=8)
def _path_from(value: str) -> tuple[Path, ...]:
    return (*(Path(p).expanduser().resolve() for p in value.split(os.pathsep) if p), PACKS_DIR)


def available_packs() -> list[str]:
    """The codes of the installed language packs (and those in ``KG_PACKS``), sorted."""
    return sorted(_scan_packs(packs_path()))


@lru_cache(maxsize=8)
def _scan_packs(path: tuple[Path, ...]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in path:
        if (folder / "pack.toml").is_file():
            found.setdefault(folder.name, folder)
        elif folder.is_dir():
            for p in sorted(folder.iterdir()):
                if (p / "pack.toml").is_file():
                    found.setdefault(p.name, p)
    return found


def get_pack(code: str | None) -> Pack:
    """The pack for a language code, loaded on first use and cached.

    Looked up along :func:`packs_path`, so a pack in ``KG_PACKS`` replaces kg's own.

    Raises:
        UnknownLanguage: no pack for ``code``; the message lists the installed ones.
    """
    folders = _scan_packs(packs_path())
    if not code or code not in folders:
        raise UnknownLanguage(code, sorted(folders))
    return _load_cached(folders[code])


@cache
def _load_cached(path: Path) -> Pack:
    return load_pack(path)


@lru_cache(maxsize=1)
def shared_actors() -> tuple[dict[str, Any], ...]:
    """The curated, language-independent actor list (``_shared/actors.jsonl``)."""
    problems: list[str] = []
    rows = _read_jsonl(SHARED_DIR / "actors.jsonl", problems, ("name",))
    if problems:
        raise PackError(problems)
    return tuple(rows)


@lru_cache(maxsize=1)
def shared_places() -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]:
    """The curated venues and regions (``_shared/venues.jsonl``, ``_shared/regions.jsonl``)."""
    problems: list[str] = []
    venues = _read_jsonl(SHARED_DIR / "venues.jsonl", problems, ("name",))
    regions = _read_jsonl(SHARED_DIR / "regions.jsonl", problems, ("name",))
    if problems:
        raise PackError(problems)
    return tuple(venues), tuple(regions)


def iter_packs() -> Iterator[Pack]:
    for code in available_packs():
        yield get_pack(code)


__all__ = ["CUE_KINDS", "DEFAULT_WINDOWS", "PACKS_ENV", "Pack", "available_packs", "get_pack", "iter_packs", "load_pack", "packs_path", "shared_actors", "shared_places"]
