"""Turn articles into meeting events: actors, meeting cues, status, mode, date and place.

Everything language-specific comes from the pack (titles, cues, date rules, place names);
this module holds only the general mechanism:

1. spot known actors, titles, cues, places and countries with PhraseMatchers;
2. find people: known actors, titled names ("Menlu Rusia Sergei Lavrov"), unknown full
   names, then surnames, titles ("the Russian foreign minister") and pronouns that refer
   back to someone introduced earlier in the article;
3. for each meeting cue, take its clause, collect the participants (plus the sentence's
   subject, group phrases like "the two leaders" and anaphora like "the meeting"), decide
   status (planned, cancelled, denied, hypothetical) and mode, and attach the nearest date
   and place;
4. merge the mentions of one meeting inside the article.

The spaCy Doc never leaves this module: events carry plain dataclasses.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from types import SimpleNamespace
from typing import Any

from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, LOWER, ORTH, SPACY
from spacy.tokens import Doc, Span

from kg.explain import Explanation, SpanNote
from kg.gazetteer import PlaceRecord, get_gazetteer
from kg.langs import get_pack, shared_actors
from kg.model import Actor, Article, Event, Mention, PartialDate, Place, Status
from kg.nlp import lexicon
from kg.nlp.dates import DateExpr, date_rules, resolve
from kg.nlp.limits import sentence_pieces
from kg.nlp.page import noise_lines
from kg.nlp.pipeline import Annotator, make_annotator
from kg.nlp.roles import travel_cues

log = logging.getLogger(__name__)

_TERMINATORS = frozenset({".", "!", "?", "…", "。"})
_CLOSERS = frozenset({'"', "”", "’", "'", ")", "]", "»"})
_REGNAL_RE = re.compile(r"^(?=[IVX])X{0,2}(?:IX|IV|V?I{0,3})$")  # a regnal number, I to XXIX
_NAME_RE = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][\w'’.-]*$")
_DATELINE_RE = re.compile(r"\s*([^\n]{2,60}?)\s+(?:--?|–|—|~)\s")
_LEADER_ROLES = ("President", "Prime Minister", "King", "Queen", "Emir", "Chancellor", "Crown Prince", "Sultan",
                 "Supreme Leader", "Premier", "Leader", "Head of State", "Secretary-General", "Pope", "Sheikh", "Prince")
_DIPLOMAT_ROLES = ("Foreign Affairs", "Foreign Minister", "Foreign Secretary", "Secretary of State", "External Affairs", "Diplomat")


@cache
def _consts(code: str) -> SimpleNamespace:
    """Word sets derived from a pack, computed once per language."""
    pack = get_pack(code)
    cues, words = pack.cues, pack.words
    return SimpleNamespace(
        planned_near={c["text"].lower(): int(c["near"]) for c in cues if c["kind"] == "planned" and "near" in c},
        past_plans={c["text"].lower() for c in cues if c["kind"] == "planned" and c.get("past")},
        planned_coordinated=pack.window("planned_coordinated"),
        # how far before the meeting word a planned cue is looked for: 8 words, or a pack cue's own reach
        planned_reach=max([pack.window("planned_before"),
                           *(int(c["near"]) for c in cues if c["kind"] == "planned" and "near" in c)]),
        gap_words=set(words.get("title_name_gap", [])),
        speech_before={c["text"].lower() for c in cues if c["kind"] == "speech" and c.get("before")},
        group_classes={c["text"].lower(): c.get("class", "") for c in cues if c["kind"] == "group"},
        possessive_groups={c["text"].lower() for c in cues if c["kind"] == "group" and c.get("possessive")},
        attendee_list=[w.lower().split() for w in words.get("attendee_list_words", [])],
        plural_counterparts={c["text"].lower() for c in cues if c["kind"] == "counterpart" and c.get("plural")},
        ignore_after=[w.lower().split() for w in pack.dates.get("rules", {}).get("ignore_after", [])],
        spouse_roles={t["role"] for t in pack.titles if t.get("class") == "spouse" and t.get("role")},
        role_nouns={t["text"] for t in pack.titles if t.get("class") in ("adviser", "speaker", "envoy", "spouse")
                    and t["text"].islower()},
        indefinite=set(words.get("indefinite", [])),
        not_group_after=set(words.get("not_group_after", [])),
        not_group_before={w.lower() for w in words.get("not_group_before", [])},
        with_words=set(words.get("with_words", ["with", "dengan", "bersama"])),
        pair_words=set(words.get("pair_words", ["two", "both", "pair", "kedua", "keduanya"])),
        trio_words=set(words.get("trio_words", [])),
        object_pronouns={w.lower() for w in words.get("object_pronouns", [])},
        clitic_pronouns={w.lower() for w in words.get("clitic_pronouns", [])},
        aux_verbs={w.lower() for w in words.get("aux_verbs", [])},
        modal_verbs={w.lower() for w in words.get("modal_verbs", [])},
        anaphor_after={w.lower() for w in words.get("anaphor_after", [])},
        anaphor_before={w.lower() for w in words.get("anaphor_before", [])},
        rel_words=set(words.get("relative_pronouns", ["who", "which", "whose", "whom", "yang"])),
        after={kind: {c["text"].lower(): int(c["after"]) for c in cues if c["kind"] == kind and "after" in c}
               for kind in ("planned", "negation", "hypothetical")},
        final={(c["kind"], c["text"].lower()) for c in cues if c.get("final")},
        predicates={c["text"].lower() for c in cues if c.get("predicate")},
        and_words=set(words.get("and_words", ["and", "dan", "&"])),
        of_words=set(words.get("of_words", ["of"])),
        articles=set(words.get("articles", ["the", "a", "an"])),
        clause_negations={c["text"].lower() for c in cues if c["kind"] == "negation" and c.get("clause")},
        title_prefix=set(words.get("title_prefix_words", ["new", "interim", "former", "then", "acting", "top", "senior"])),
        cue_ref={(c["kind"], c["text"].lower()): f"{code}/cues.jsonl:{c.get('_line', 0)}" for c in cues},
        gathering={c["text"].lower() for c in cues if c["kind"] == "meet" and c.get("gathering")},
        present={c["text"].lower() for c in cues if c["kind"] == "meet" and c.get("present")},
        plan_clause_words={w.lower() for w in words.get("plan_clause_words", [])},
        needs_remote={c["text"].lower() for c in cues if c["kind"] == "meet" and c.get("remote")},
        needs_person={c["text"].lower() for c in cues if c["kind"] == "meet" and c.get("person_after")},
        with_before={c["text"].lower(): c["with_before"].lower() for c in cues if c["kind"] == "meet" and c.get("with_before")},
        joint={c["text"].lower() for c in cues if c["kind"] == "meet" and c.get("joint")},
        compound_heads=tuple(sorted(((c["text"].lower(), c["kind"]) for c in cues if c.get("compound")),
                                    key=lambda h: len(h[0]), reverse=True)),
        between_words=set(words.get("between_words", ["between"])),
        when_words={w for w in words.get("when_words", ["when"]) if " " not in w},
        first_words={w.lower() for w in words.get("first_words", [])},
        ordinal_words={w.lower() for w in words.get("ordinal_words", [])},
        place_nouns={w.lower() for w in words.get("place_nouns", [])},
        locative_ends={p.lower().split()[-1] for p in words.get("locative", []) if p.strip()},
        locative_words={p.lower() for p in words.get("locative", []) if p.strip() and " " not in p.strip()},
        since_words={w.lower() for w in words.get("since_words", [])},
        number_words={k.lower() for k in pack.dates.get("numbers", {})},
        # the units of time of the pack's "{n} years ago" patterns: the word after {n}
        time_units={m.group(1).lower() for k in pack.dates.get("ago", {}) for m in re.finditer(r"\{n\} (\w+)", k)},
        after_words={w.lower() for w in words.get("after_words", [])},
        complementizers={w.lower() for w in words.get("complementizers", [])},
        subject_pronouns={w.lower() for w in words.get("subject_pronouns", [])},
        departure_words=[tuple(w.lower().split()) for w in words.get("departure_words", [])],
        host_nouns={w.lower() for w in words.get("host_nouns", [])},
        side_words={w.lower() for w in words.get("side_words", [])},
        purpose_words={w.lower() for w in words.get("purpose_words", [])},
        adjective_after_noun=bool(words.get("adjective_after_noun")),
        possessive_determiners={w.lower() for w in words.get("possessive_determiners", [])},
        verb_suffixes=tuple(w[1:].lower() for w in words.get("verb_affixes", []) if w.startswith("-")),
        verb_prefixes=tuple(w[:-1].lower() for w in words.get("verb_affixes", []) if w.endswith("-")),
        capital_words=[tuple(w.lower().split()) for w in words.get("capital_words", [])],
        topic_nouns={w.lower() for w in words.get("topic_nouns", [])},
        passive_aux={w.lower() for w in words.get("passive_aux", [])},
        passive_by={w.lower() for w in words.get("passive_by", [])},
        future_endings=tuple(sorted(words.get("future_endings", []), key=len, reverse=True)),
        title_ref={t["text"]: f"{code}/titles.jsonl:{t.get('_line', 0)}" for t in pack.titles},
        compound_titles=tuple(sorted(((t["text"].lower(), t["text"]) for t in pack.titles if t.get("compound")),
                                     key=lambda h: len(h[0]), reverse=True)),
    )


@dataclass
class Entity:
    """A person (or country) an article talks about, with what the article says of them."""

    name: str
    type: str = "person"
    country: str | None = None
    role: str | None = None
    known: int | None = None
    roles: tuple[str, ...] = ()
    speaker: bool = False  # introduced as a spokesperson, analyst...: never a participant
    how: str = ""  # the rule that found them ("person.known _shared/actors.jsonl:12")

    @property
    def tokens(self) -> list[str]:
        """The name's words, and each word's part after an article prefix ("Sisi" of "el-Sisi", "Assad"
        of "al-Assad"): the press writes the surname either way."""
        words = self.name.split()
        if "-" not in self.name:
            return words
        parts = [w.split("-", 1) for w in words if "-" in w]
        return words + [rest for head, rest in parts if rest and head.islower() and len(head) <= 3]


@dataclass
class PMention:
    start: int
    end: int
    ent: int
    kind: str  # name | surname | title | pronoun
    speaker: bool = False
    possessive: bool = False  # "Trump's envoy": a modifier, not a participant


@dataclass
class Raw:
    """A meeting mention before in-article merging."""

    ents: list[int]
    status: Status
    mode: str
    date: PartialDate | None
    place: Place | None
    sent: Span
    trigger: int
    anaphoric: bool = False
    extra_sents: list[Span] = field(default_factory=list)
    earlier: bool = False  # told as an earlier meeting ("pernah bertemu"): never folded into another
    joined: bool = False  # the sentence says who joined ("who was in the room"): its people extend the meeting
    extends: bool = False  # "X sat with the two delegations": the meeting told before, with more people
    bilateral: bool = False  # "a bilateral meeting": two sides only, never folded into a larger session
    place_weak: bool = False  # placed by the dateline or headline only, not by the sentences that tell it
    own_date: bool = False  # dated by a date in the meeting word's own clause, no boundary or "which" between
    date_tok: int | None = None  # where the date expression that dates it starts
    first_head: bool = False  # "their first meeting since ...": names the meeting told, not a new one
    since_told: bool = False  # told in a since clause ("since their encounter in Bali"): not the sentence's other meeting
    during_date: PartialDate | None = None  # the day of the meeting this one took place in the course of
    more_dates: list[tuple[PartialDate, str]] = field(default_factory=list)  # "in February and in September": one meeting per date
    why: list[tuple[str, str]] = field(default_factory=list)  # (rule id, what it decided), in order


def _spans(matcher: Any, doc: Doc, found: list[tuple[str, int, int]] | None = None) -> list[tuple[str, int, int]]:
    out = found if found is not None else [(doc.vocab.strings[k], s, e) for k, s, e in matcher(doc)]
    # longest first, then leftmost, no overlaps
    out.sort(key=lambda x: (-(x[2] - x[1]), x[1]))
    taken: set[int] = set()
    keep = []
    for label, s, e in out:
        if any(i in taken for i in range(s, e)):
            continue
        taken.update(range(s, e))
        keep.append((label, s, e))
    keep.sort(key=lambda x: x[1])
    return keep


def _role_class(role: str | None) -> str:
    if not role:
        return ""
    if any(r in role for r in _DIPLOMAT_ROLES):
        return "diplomat"
    if any(role == r or role.startswith(r + " ") for r in _LEADER_ROLES):
        return "leader"
    if "Minister" in role or "Secretary" in role:
        return "minister"
    return "other"


class _DocExtractor:
    def __init__(self, ann: Annotator, doc: Doc, article: Article) -> None:
        self.ann = ann
        self.titles: dict[str, dict[str, Any]] = ann.titles  # with the article's compound titles, once spotted
        self.doc = doc
        self.article = article
        self.pub = article.published or dt.date.today()
        self.entities: list[Entity] = []
        self.mentions: list[PMention] = []
        self.tok_ment: dict[int, PMention] = {}
        self._appositive_at: dict[int, bool] = {}  # token -> inside an appositive (asked per mention and date)
        self.cues: dict[str, list[tuple[int, int]]] = {}
        self.cue_at: dict[int, set[str]] = {}
        self.places: list[tuple[int, int, PlaceRecord, str]] = []
        self.capital_spans: set[int] = set()  # places told as "the Chinese capital" (place.capital)
        self.countries: dict[int, tuple[int, str]] = {}
        self.dates: list[tuple[int, int, DateExpr]] = []
        self.name_tails: dict[int, str] = {}  # a known person's name went on with words kg does not know
        self.dateline: PlaceRecord | None = None
        self.dateline_end = 0  # tokens before this are the dateline ("Kabar Contoh (Tokyo) ~")
        self.text = article.text  # spaCy tokenization is non-destructive: doc.text == article.text
        # token attributes as plain lists: touching spaCy Token objects in loops was most of the time
        arr = doc.to_array([ORTH, LOWER, SPACY, IS_PUNCT, IS_ALPHA, IDX]).tolist()
        strings = doc.vocab.strings
        self.T = [strings[a[0]] for a in arr]
        self.L = [strings[a[1]] for a in arr]
        self.W = [" " if a[2] else "" for a in arr]
        self.P = [bool(a[3]) for a in arr]
        self.A = [bool(a[4]) for a in arr]
        self.I = [a[5] for a in arr]
        for i, t in enumerate(self.T):
            if t.isspace():  # whitespace tokens carry their own text; keep "\n" visible in W too
                self.W[i] = t
        self.S = [False] * len(arr)
        self.sents = self.sentences()
        self._sent_starts = [sp.start for sp in self.sents]
        # page furniture (headlines, captions, bylines, related links): no meeting is read from it
        self.noise = noise_lines(self.text, ann.pack.words.get("page_markers", ()))
        starts = [s for s, _, _ in self.noise]
        self.noise_sent: set[int] = set()
        for sp in self.sents:
            c = self.I[sp.start]
            k = bisect.bisect_right(starts, c) - 1
            if k >= 0 and self.noise[k][0] <= c < self.noise[k][1]:
                self.noise_sent.add(sp.start)
        self._rel_words = _consts(ann.pack.code).rel_words
        self._aside_close: dict[int, int] = {}  # closing comma -> opening comma of ", who ... ,"
        for i, t in enumerate(self.T[:-1]):
            if t == "," and self.L[i + 1] in self._rel_words:
                k = i + 1
                while k < len(self.T) and self.T[k] not in (",", ".", ";") and not self.S[k]:
                    k += 1
                if k < len(self.T) and self.T[k] == ",":
                    self._aside_close[k] = i
        self._plural_titles: list[tuple[int, str | None]] = []
        k = _consts(ann.pack.code)
        self._planned_near, self._gap_words, self._speech_before = k.planned_near, k.gap_words, k.speech_before
        self._title_starts: dict[int, int] = {}
        self.ignored_dates: dict[int, int] = {}  # date token -> the "since" that opens its clause
        self._pair_words = _consts(ann.pack.code).pair_words
        self._group_classes = k.group_classes
        self._ordinary_zipf = float(ann.pack.meta.get("names", {}).get("ordinary_zipf", 3.0))

    # ---- spotting -------------------------------------------------------------------------
    def spot(self) -> None:
        doc, ann = self.doc, self.ann
        actors = _spans(None, doc, ann.actor_matcher.find(self.text, self.I, self.T))
        # a place named with a longer form than a name inside it is the place: "San Francisco", not
        # Pope Francis ("Francisco"); "Jalan Sudirman" ...
        place_found = _spans(None, doc, ann.place_matcher.find(self.text, self.I, self.T))
        place_spans = [(s, e) for _, s, e in place_found]
        actors = [(k, s, e) for k, s, e in actors
                  if not any(ps <= s and e <= pe and pe - ps > e - s for ps, pe in place_spans)]
        # "Eduardo Bolsonaro", "Melania Trump": a known person's surname after another given name is a
        # relative of theirs, not them (the name run makes the person)
        actors = [(k, s, e) for k, s, e in actors if not self._other_given_name(k, s, e, actors)]
        actor_toks = {i for _, s, e in actors for i in range(s, e)}
        titles = [(t, s, e) for t, s, e in _spans(ann.title_matcher, doc) if not any(i in actor_toks for i in range(s, e))]
        heads = _consts(ann.pack.code).compound_titles
        if heads:
            # a compound noun ending in a title marked "compound" is a title of its class ("Vizeaußenminister",
            # "Militärgeheimdienstchef": German writes a title as one word), with no role of its own
            taken = actor_toks | {i for _, s, e in titles for i in range(s, e)}
            more = {}
            for tok in doc:
                if tok.i in taken or not tok.is_alpha or not tok.text[0].isupper():
                    continue
                head = next((h for low, h in heads if len(tok.lower_) >= len(low) + 3 and tok.lower_.endswith(low)), None)
                if head is not None:
                    more[tok.text] = {**ann.titles[head], "text": tok.text, "role": None, "head": head}
                    titles.append((tok.text, tok.i, tok.i + 1))
            if more:
                self.titles = {**ann.titles, **more}
                titles.sort(key=lambda x: x[1])
        title_toks = {i for _, s, e in titles for i in range(s, e)}
        self._title_toks = title_toks
        found = [(doc.vocab.strings[k], s, e) for k, s, e in ann.cue_matcher(doc)]
        heads = _consts(ann.pack.code).compound_heads
        if heads:
            # a compound noun (capitalised) ending in a cue marked "compound" is that cue ("Dreiertreffen",
            # "Arbeitsgespräche"; not the verb "übertreffen")
            taken = {i for _, s, e in found for i in range(s, e)}
            found += [(kind, tok.i, tok.i + 1) for tok in doc if tok.i not in taken and tok.is_alpha and tok.text[0].isupper()
                      for kind in [_compound_kind(tok.lower_, heads)] if kind is not None]
        after = _consts(ann.pack.code).anaphor_after
        if after:
            # a meeting noun and a demonstrative after it ("percakapan itu", "pertemuan tersebut") tells
            # a meeting told before, as the pack's own anaphor phrases do
            found += [("anaphor", s, e + 1) for kind, s, e in found
                      if kind == "meet" and e < len(doc) and doc[e].lower_ in after]
        before = _consts(ann.pack.code).anaphor_before
        if before:
            # a demonstrative before a meeting noun ("that encounter", "this visit"), as "the meeting" in
            # the pack's anaphor phrases
            found += [("anaphor", s - 1, e) for kind, s, e in found
                      if kind == "meet" and s > 0 and doc[s - 1].lower_ in before]
        found = self._talk_verbs(found)
        expletive = {i for kind, s, e in found if kind == "impersonal" for i in range(s, e)}
        fixed = {i for kind, s, e in found if kind == "fixed" for i in range(s, e)}
        for kind, s, e in found:
            if kind == "pronoun" and any(i in expletive for i in range(s, e)):
                continue  # "Il s'agit de ...", "It was ...": no one is meant
            if kind != "fixed" and all(i in fixed for i in range(s, e)):
                continue  # "yang kedua" (the second): its "yang" opens no clause
            if kind == "anaphor" and e < len(doc) and doc[e].lower_ in ("'s", "’s"):
                continue  # "the summit's host": a possessor, not the meeting told before
            if kind == "boundary" and self._since_duration(s, e):
                continue  # "pour la première fois depuis près de trois ans avec Poutine": a span of time, no clause
            self.cues.setdefault(kind, []).append((s, e))
            for i in range(s, e):
                self.cue_at.setdefault(i, set()).add(kind)
        self._cue_pos = {kind: sorted({i for s, e in spans for i in range(s, e)}) for kind, spans in self.cues.items()}
        for spans in self.cues.values():
            spans.sort()  # by start: cues_in() finds those in a range by bisection
        self._cue_starts = {kind: [cs for cs, _ in spans] for kind, spans in self.cues.items()}
        self._cue_ends: dict[str, dict[int, int]] = {}  # kind -> start token -> end of the longest cue there
        for kind, spans in self.cues.items():
            ends = self._cue_ends.setdefault(kind, {})
            for s, e in spans:
                ends[s] = max(e, ends.get(s, e))
        for _, s, e in _spans(ann.country_matcher, doc):
            if not any(i in actor_toks for i in range(s, e)):
                code = ann.countries.get(doc[s:e].text)
                if code:
                    for i in range(s, e):
                        self.countries[i] = (e, code)
        for _, s, e in place_found:
            if any(i in actor_toks or i in title_toks for i in range(s, e)):
                continue
            rec = ann.places.get(doc[s:e].text)
            after_locative = s > 0 and (self.L[s - 1],) in self.ann.locative
            if rec and rec.kind != "venue" and (
                (s > 0 and not self.P[s - 1] and self._is_nameword(s - 1, set()) and not self.S[s - 1]
                 and not after_locative)  # (not "В Казани", a capitalised preposition)
                or (e < len(doc) and self._is_nameword(e, set()) and not after_locative)
            ):
                continue  # part of a person's name: "Antony Blinken", "Mark Carney"
            if rec and rec.kind != "venue" and not after_locative and self._surname_told(s, e, actors):
                continue  # "Lloyd Austin ... He and Austin spoke": the surname of a person named before
            if rec:
                self.places.append((s, e, rec, doc[s:e].text))
        self._generic_venues(actor_toks | title_toks)
        self._capitals()
        self.places.sort(key=lambda p: p[0])
        place_toks = {i for s, e, _, _ in self.places for i in range(s, e)}
        rules = date_rules(ann.pack.code)
        for expr in rules.find(self.text):
            span = doc.char_span(expr.start, expr.end, alignment_mode="expand")
            if span is not None:
                if span.end - span.start == 1 and self._calendar_in_name(span.start):
                    continue  # "Defence Minister Kang Sun Nam", "Dong Jan": part of a name, not Sunday
                self.dates.append((span.start, span.end, expr))
        self._day_takes_month()
        date_toks = {i for s, e, _ in self.dates for i in range(s, e)}
        self._date_toks = date_toks
        ignore = _consts(ann.pack.code).ignore_after
        for ds, _, _ in self.dates:
            # a date in a clause opened by "since"/"sejak" (back to the last punctuation) is not the meeting's
            j = ds - 1
            while j >= 0 and ds - j <= 10 and not self.P[j]:
                if any(w and self.L[j:j + len(w)] == w for w in ignore):
                    self.ignored_dates[ds] = j
                    break
                j -= 1
        prose = next((sp for sp in self.sents if sp.start not in self.noise_sent), None)
        offset = self.I[prose.start] if prose is not None else 0
        m = _DATELINE_RE.match(self.text, offset)
        if m:
            self.dateline_end = bisect.bisect_left(self.I, m.end(1))
            head = re.sub(r"\(.*?\)", "", m.group(1)).strip()
            parts = [p.strip() for p in head.split(",")]
            for part in [head, *parts]:
                rec = get_gazetteer().lookup(part.title() if part.isupper() else part, lang=ann.pack.code)
                if rec and rec.kind in ("city", "venue"):
                    self.dateline = rec
                    break
            else:
                first = parts[0].title() if parts[0].isupper() else parts[0]
                if any(w in ann.venue_heads_after or w in ann.venue_heads_before for w in first.split()):
                    country = next((get_gazetteer().lookup(p, lang=ann.pack.code) for p in parts[1:]), None)
                    self.dateline = PlaceRecord(first, "venue", country.country if country else None)
        # the headline, above the story, names where its meeting was: "Modi, Xi Hold Talks In Kazan"
        self.headline_place: PlaceRecord | None = None
        if self.sents and self.sents[0].start in self.noise_sent and prose is not None and self.sents[0] is not prose:
            hit = self._place_in(self.sents[0].start, self.sents[0].end, self.sents[0].start)
            if hit is not None and hit[1].kind in ("city", "venue"):
                self.headline_place = hit[1]
        self._people(actors, titles, actor_toks, title_toks | place_toks | date_toks | set(range(self.dateline_end)))

    def _capitals(self) -> None:
        """ "In the Chinese capital", "dans la capitale chinoise", "в столице Китая", "di ibu kota
        Tiongkok": a capital word beside a country is that country's capital city (place.capital)."""
        consts = _consts(self.ann.pack.code)
        words = consts.capital_words
        if not words or not self.countries:
            return
        caps = get_gazetteer().capitals
        taken = {i for s, e, _, _ in self.places for i in range(s, e)}
        for w in words:
            n = len(w)
            for i in range(len(self.L) - n + 1):
                if tuple(self.L[i:i + n]) != w or i in taken:
                    continue
                e = i + n
                # the country right before ("the Chinese capital") or after, past "of"/"de"/an article
                code = self.countries[i - 1][1] if i >= 1 and i - 1 in self.countries else None
                k = e
                while code is None and k < min(e + 3, len(self.L)) and k not in self.countries and (
                        self.L[k] in consts.of_words or self.L[k] in consts.articles):
                    k += 1
                if code is None and k in self.countries:
                    code = self.countries[k][1]
                rec = caps.get(code) if code else None
                if rec is not None:
                    self.places.append((i, e, rec, self.doc[i:e].text))
                    self.capital_spans.add(i)
                    taken.update(range(i, e))

    def _generic_venues(self, blocked: set[int]) -> None:
        """Venues named by a head word: "Gimhae Air Base", "Istana Kepresidenan Bogor"."""
        doc, ann = self.doc, self.ann
        taken = {i for s, e, _, _ in self.places for i in range(s, e)} | blocked
        gaz = get_gazetteer()
        i = 0
        n = len(doc)
        while i < n:
            tok = self.T[i]
            # (written in lower case too, as French and Portuguese do: "au palais Mohammed V")
            lower = tok.islower() and tok[:1].upper() + tok[1:] in ann.venue_heads_before
            if (tok in ann.venue_heads_before or lower) and i not in taken:
                j = i + 1
                while j < n and j - i < 7 and (
                    _NAME_RE.match(self.T[j]) or (self.L[j] in ann.particles and not lower)
                    or (self.T[j] == "-" and not self.W[j - 1] and j + 1 < n and self.A[j + 1])
                ) and not (lower and j in taken):
                    j += 1
                if j - i >= 2 and not self._part_of_venue(j):
                    self._add_venue(i, j, gaz)
                    i = j
                    continue
            if tok in ann.venue_heads_after and i not in taken and i > 0:
                j = i
                while j - 1 >= 0 and _NAME_RE.match(self.T[j - 1]) and (i - j) < 4 and j - 1 not in blocked:
                    if self.T[j - 1] in ("The", "In", "At", "A") or self.S[j - 1]:
                        if self.T[j - 1] in ("The", "In", "At", "A"):
                            break
                        j -= 1
                        break
                    j -= 1
                if i - j >= 1 and not self._part_of_venue(i + 1):
                    self._add_venue(j, i + 1, gaz)
            i += 1

    def _reschedule(self, sent: Span, raws: list[Raw]) -> None:
        """ "He rescheduled the trip for March 10": the meeting called off before, planned again on the new date."""
        cues = [cs for cs, _ in self.cues.get("reschedule", []) if sent.start <= cs < sent.end]
        if not cues:
            return
        dates = [(ds, expr) for ds, _, expr in self.dates if sent.start <= ds < sent.end and ds > cues[0]]
        base = next((r for r in reversed(raws) if r.sent is not sent and r.status in ("cancelled", "planned")), None)
        if not dates or base is None:
            return
        date = resolve(dates[0][1], self.pub, future=True)
        if date is None:
            return
        raws[:] = [r for r in raws if not (r.sent is sent and r.anaphoric)]  # "the trip" is the new one, not the main meeting
        new = Raw(list(base.ents), "planned", base.mode, date, base.place, sent, cues[0],
                  why=[*base.why, self._cue_why("reschedule", cues[0])])
        new.earlier = True  # a meeting of its own: not folded into the one called off
        raws.append(new)

    def _with_parts(self, r: Raw, t: int) -> list[Raw]:
        """A meeting "with X and with Y" (the with-word repeated), or with X and Y "respectively", is one
        meeting with each of them."""
        consts = _consts(self.ann.pack.code)
        sent = r.sent
        resp = self._respectively(r, t) or self._person_place_list(r, t) or self._date_split(r, t)
        if resp:
            return resp
        # (not "with whom he signed ...": a relative clause about the one named before)
        withs = [i for i in range(t + 1, sent.end) if self.L[i] in consts.with_words
                 and not (i + 1 < sent.end and self.L[i + 1] in consts.rel_words)]
        if len(withs) < 2:
            return []
        groups: list[list[int]] = []
        for n, w in enumerate(withs):
            end = withs[n + 1] if n + 1 < len(withs) else sent.end
            if n and not any(self.L[k] in consts.and_words or self.T[k] == "," for k in range(max(w - 2, withs[n - 1]), w)):
                return []  # "with X with Y" without "and": not a list of meetings
            # (a later "with" names its own: "by phone with Putin on Monday and then with Zelensky")
            groups.append([m.ent for m in self.mentions if w < m.start < end and m.ent >= 0 and (
                m.ent in r.ents or (n and m.start <= w + 4 and self.entities[m.ent].type == "person"
                                    and not m.speaker and not m.possessive))])
        if len(groups) < 2 or not all(groups):
            return []
        listed = {k for g in groups for k in g}
        subject = [k for k in r.ents if k not in listed]
        if not subject:
            return []
        out = []
        for g in groups:
            # the same mention, with each of them
            out.append(replace(r, ents=[*subject, *g], extra_sents=[], why=[*r.why, ("pair.with-each", "")]))
        return out

    def _place_list(self, sent: Span) -> list[Any]:
        """The places of the sentence's first list of two or more joined by "and" with nothing else
        between ("Tokyo dan Seoul", "Paris and Berlin"), as records; [] when it has none."""
        spans = sorted((ps, pe, rec) for ps, pe, rec, _ in self.places if sent.start <= ps < sent.end)
        return [rec for _, _, rec in self._joined_run(spans, max_gap=2, short_words=False, need_and=False)]

    def _joined_run(self, items: list[tuple[int, int, Any]], max_gap: int, short_words: bool,
                    need_and: bool) -> list[tuple[int, int, Any]]:
        """The first run of two or more of ``items`` (sorted (start, end, payload)) joined by at most
        ``max_gap`` words of glue: "and" and commas, short lower-case words too with ``short_words``
        ("in February and in September"), an "and" among them with ``need_and``; [] when none."""
        and_words = _consts(self.ann.pack.code).and_words
        run: list[tuple[int, int, Any]] = []
        for item in items:
            if run:
                gap = range(run[-1][1], item[0])
                glue = all(self.T[k] == "," or self.L[k] in and_words
                           or (short_words and self.T[k].isalpha() and self.T[k].islower() and len(self.T[k]) <= 4)
                           for k in gap)
                if not (glue and 0 < len(gap) <= max_gap and (not need_and or any(self.L[k] in and_words for k in gap))):
                    if len(run) >= 2:
                        break
                    run = []
            run.append(item)
        return run if len(run) >= 2 else []

    def _respectively(self, r: Raw, t: int) -> list[Raw]:
        """ "A met B and C respectively (on Monday and Tuesday)", "masing-masing", "jeweils": the people
        named before the meeting word met each of those after it apart, each on its own date when the
        sentence gives as many dates after the meeting word."""
        sent = r.sent
        if not self._has_cue(sent.start, sent.end, "respectively"):
            return []
        firsts: dict[int, int] = {}
        for m in self.mentions:
            if sent.start <= m.start < sent.end and m.ent in r.ents:
                firsts.setdefault(m.ent, m.start)
        subject = [k for k in r.ents if k in firsts and firsts[k] < t]
        if not subject and r.ents and r.ents[0] not in firsts:
            subject = r.ents[:1]  # "He met X and Y separately": the pronoun's person
        cue = next((cs for cs, _ in self.cues_in("respectively", t + 1, sent.end)), None)
        if not subject and cue is not None:
            # the verb before its subject ("Im Mai traf Keller-Sutter jeweils X und Y"): who is named
            # between the meeting word and the cue met each of those after it
            subject = [k for k in r.ents if k in firsts and t < firsts[k] < cue]
            others = [k for k in r.ents if k in firsts and firsts[k] > cue and k not in subject]
            if subject and len(others) >= 2:
                return [replace(r, ents=[*subject, k], extra_sents=[], bilateral=True, anaphoric=False,
                                why=[*r.why, (f"pair.respectively {self._cue_ref_in('respectively', sent.start, sent.end)}",
                                              self.entities[k].name)]) for k in others]
            subject = []
        # after the meeting word, or named by a group phrase right before the cue ("received the two
        # leaders separately"; not "kedua pihak ... kedutaan masing-masing", their own embassies)
        near = any(t - 3 <= cs and cs <= t + 6 and not any(self.P[min(t, cs):max(t, cs)])
                   for cs, _ in self.cues_in("respectively", sent.start, sent.end))
        others = [k for k in r.ents if k not in subject and (k in firsts or near)]
        if not subject or len(others) < 2:
            return []
        dates = [expr for ds, _, expr in self.dates if t < ds < sent.end]
        # (or a list of days joined by "and" before it: "Во вторник и среду Путин провел переговоры с Си и
        # Эрдоганом соответственно")
        before = self._joined_run(sorted((ds, de, x) for ds, de, x in self.dates if sent.start <= ds < t and not x.same),
                                  max_gap=3, short_words=True, need_and=True)
        if len(dates) != len(others) and len(before) == len(others):
            dates = [x for _, _, x in before]
        places = self._place_list(sent)
        out = []
        for n, k in enumerate(others):
            date = r.date
            if len(dates) == len(others):
                date = resolve(dates[n], self.pub, future=r.status == "planned") or r.date
            place, where = r.place, []
            if len(places) == len(others):
                # "menuju Tokyo dan Seoul untuk bertemu Kishida dan Yoon, masing-masing ...": in that order
                place = _to_place(places[n], None, None)
                where = [("place.list", place.name)]
            out.append(replace(r, ents=[*subject, k], date=date, place=place, extra_sents=[], bilateral=True, anaphoric=False,
                               why=[*r.why, (f"pair.respectively {self._cue_ref_in('respectively', sent.start, sent.end)}",
                                             self.entities[k].name), *where]))
        return out

    def _person_place_list(self, r: Raw, t: int) -> list[Raw]:
        """ "hatte Merz Macron in Paris und Tusk in Warschau besucht", "met X in Paris and Y in Berlin":
        two or more people, each followed by a locative and a place, joined by "and" or commas, are one
        meeting each of the subject with that person in that place."""
        sent, consts = r.sent, _consts(self.ann.pack.code)
        place_at = {ps: (pe, rec, surface) for ps, pe, rec, surface in self.places if sent.start <= ps < sent.end}
        ments = [m for m in self.mentions if sent.start <= m.start < sent.end and m.ent in r.ents]
        pairs: list[tuple[int, Any, str, int]] = []  # (person, place record, surface, end of the place)
        for m in ments:
            k = m.end
            if k + 1 >= sent.end or self.L[k] not in consts.locative_words or k + 1 not in place_at:
                if pairs:
                    break
                continue
            pe, rec, surface = place_at[k + 1]
            if pairs:
                q = pairs[-1][3]
                while q < m.start and (self.L[q] in consts.and_words or self.T[q] == ","):
                    q += 1
                if q == pairs[-1][3] or self._past_titles(q, m.start + 1) != m.start:
                    break  # only "and", commas, then titles between: "... in London and French Foreign Minister X in Paris"
            pairs.append((m.ent, rec, surface, pe))
        if len(pairs) < 2:
            return []
        listed = {k for k, *_ in pairs}
        subject = [k for k in r.ents if k not in listed]
        if not subject:
            return []
        return [replace(r, ents=[*subject, k], place=_to_place(rec, surface, None), extra_sents=[], bilateral=True,
                        anaphoric=False, why=[*(w for w in r.why if not w[0].startswith("place.")),
                                              ("pair.person-place-list", f"{self.entities[k].name}, {rec.name}")])
                for k, rec, surface, _ in pairs]

    def _glue(self, lo: int, hi: int) -> bool:
        """Only commas, "and", clause words ("puis", "luego", "lalu"), articles and locatives ("y el jueves",
        "and on Thursday") in [lo, hi), at most four."""
        consts = _consts(self.ann.pack.code)
        return 0 < hi - lo <= 4 and all(
            self.T[k] == "," or self.L[k] in consts.and_words or self.L[k] in consts.articles
            or self.L[k] in consts.locative_words or "boundary" in self.cue_at.get(k, ()) for k in range(lo, hi))

    def _date_split(self, r: Raw, t: int) -> list[Raw]:
        """A second day in the meeting's sentence with people of its own, the meeting verb not said again
        (a gapped clause), is a second meeting that day: "Trump recibió el lunes a Macron y el jueves a
        Starmer", "hatte Trump Macron empfangen, am Donnerstag den britischen Premierminister Starmer" (the
        people after the second day take the place of those after the meeting word), "Macron met Trump on
        Monday, and Starmer followed on Thursday" (one named before the second day takes the place of the
        subject)."""
        sent, consts = r.sent, _consts(self.ann.pack.code)
        if r.status != "occurred" or len(r.ents) < 2:
            return []
        ments = [m for m in self.mentions if sent.start <= m.start < sent.end and m.ent >= 0 and not m.speaker
                 and not m.possessive and self.entities[m.ent].type == "person"]
        dates = [(ds, de, expr) for ds, de, expr in self.dates if sent.start <= ds < sent.end and not expr.same]
        if len(dates) != 2 or dates[1][0] < t:
            return []
        again = [cs for cs, _ in self.cues_in("meet", max(dates[0][1], self._cue_end("meet", t)), sent.end)]
        (d1s, d1e, x1), (d2s, d2e, x2) = dates
        subject = list(dict.fromkeys(m.ent for m in ments if m.start < t and m.ent in r.ents))
        objects = list(dict.fromkeys(m.ent for m in ments if t < m.start < d2s and m.ent not in subject and m.ent in r.ents))
        if not objects and len(subject) >= 2 and d1s < ments[0].start:
            subject, objects = subject[:1], subject[1:]  # (a verb at the end: "hatte Trump Macron empfangen")
        if not subject:
            return []
        last = max([m.end for m in ments if m.start < d2s] + [d1e if d1s > t else t + 1])
        later = [m for m in ments if m.start >= d2e]
        if later and objects and not again and self._glue(last, d2s) and (
                later[0].start - d2e <= 6 and not any(self.T[k] in (",", ";") for k in range(d2e, later[0].start))):
            # "... el lunes a Macron y el jueves a Starmer": the subject with each
            firsts, seconds = [*subject, *objects], [*subject, *dict.fromkeys(m.ent for m in later if m.ent not in subject)]
            rule = "pair.date-split-object"
        else:
            # "Macron met Trump on Monday, and Starmer followed on Thursday": the object with a new subject
            objects = list(dict.fromkeys(m.ent for m in ments if t < m.start < d1s and m.ent not in subject))
            mid = [m for m in ments if d1e <= m.start < d2s and m.ent not in objects]
            if len(subject) != 1 or not objects or not mid or d1s < t:
                return []
            glue_end = d1e
            while glue_end < mid[0].start and (self.T[glue_end] == "," or self.L[glue_end] in consts.and_words):
                glue_end += 1
            if (not self._glue(d1e, glue_end) or self._past_titles(glue_end, mid[0].start + 1) != mid[0].start
                    or not (0 < d2s - mid[-1].end <= 3)) or any(not mid[-1].end <= k < d2s for k in again) or any(
                    self.T[k] in (",", ";") or self.tok_ment.get(k) for k in range(mid[-1].end, d2s)):
                return []
            verb = any("meet" in self.cue_at.get(k, ()) or (self.L[k] not in consts.locative_words and self.L[k] not in consts.articles)
                       for k in range(mid[-1].end, d2s))
            named = list(dict.fromkeys(m.ent for m in mid))
            # "and Starmer followed on Thursday": a verb, a new subject; "and Modi on Wednesday": a new object
            firsts, seconds = [*subject, *objects], [*named, *objects] if verb else [*subject, *named]
            rule = "pair.date-split-subject" if verb else "pair.date-split-object"
        if set(firsts) == set(seconds) or len(set(seconds)) < 2:
            return []
        d1, d2 = resolve(x1, self.pub), resolve(x2, self.pub)
        keep = [w for w in r.why if w[0] != "date.in-clause"]
        return [replace(r, ents=firsts, date=d1, extra_sents=[], why=[*keep, ("date.in-clause", x1.text), (rule, "")]),
                replace(r, ents=seconds, date=d2, extra_sents=[], anaphoric=False,
                        why=[*keep, ("date.in-clause", x2.text), (rule, ", ".join(self.entities[k].name for k in seconds))])]

    def _during_told(self, sent: Span) -> bool:
        """The sentence happens in the course of a meeting already told ("during the talks", "am Rande des Treffens")."""
        meets = {cs for cs, _ in self.cues.get("meet", [])} | {cs for cs, _ in self.cues.get("anaphor", [])}
        for cs, ce in self.cues_in("during", sent.start, sent.end):
            if not (sent.start <= cs < sent.end):
                continue
            for k in range(ce, min(ce + 3, sent.end)):
                if k in meets:
                    end = max((e for c, e in [*self.cues.get("meet", []), *self.cues.get("anaphor", [])] if c == k), default=k + 1)
                    return not (end < sent.end and self._is_nameword(end, set()))  # "on the sidelines of the summit" told before, not "KTT APEC"
                consts = _consts(self.ann.pack.code)
                if self.L[k] in consts.indefinite or self.L[k] not in consts.articles:
                    break  # "during a visit to ...": a meeting of its own
        return False

    def _planned_date(self, ds: int, s: int, e: int) -> bool:
        """The date at token ds is what was planned: a planned cue just before it ("planned for June")."""
        return any(0 < ds - ce + 1 <= 3 for cs, ce in self.cues_in("planned", s, ds + 1))

    def _part_of_venue(self, e: int) -> bool:
        """ "the East Room of the White House": a room of a known venue is that venue."""
        consts = _consts(self.ann.pack.code)
        if e >= len(self.L) or self.L[e] not in consts.of_words:
            return False
        k = e + 1
        while k < len(self.L) and self.L[k] in consts.articles:
            k += 1
        return any(ps == k and rec.kind == "venue" for ps, _, rec, _ in self.places)

    def _add_venue(self, s: int, e: int, gaz: Any) -> None:
        text = self.doc[s:e].text
        if text.endswith(".") and (e >= len(self.doc) or self.S[e]):
            text = text[:-1]  # "au palais Mohammed V.": the sentence's stop, kept on the numeral
        known = gaz.lookup(text, lang=self.ann.pack.code)
        if known is not None and known.kind == "venue":
            self.places = [p for p in self.places if p[1] <= s or p[0] >= e]
            self.places.append((s, e, known, text))
            return
        city = None
        inner = [p for p in self.places if s <= p[0] and p[1] <= e and p[2].kind == "city"]
        if inner:
            city = inner[0][2]
        self.places = [p for p in self.places if p[1] <= s or p[0] >= e]
        rec = PlaceRecord(
            name=text, kind="venue", country=city.country if city else None,
            lat=city.lat if city else None, lon=city.lon if city else None,
            geonames=city.geonames if city else None, city=city.name if city else None,
        )
        self.places.append((s, e, rec, text))

    def _is_nameword(self, i: int, blocked: set[int]) -> bool:
        t = self.T[i]
        if len(t) > 1 and t.isupper() and t.isalpha():
            return False  # DATELINES and acronyms
        return bool(_NAME_RE.match(t)) and t not in self.ann.not_name and i not in blocked and i not in self.countries

    def _name_run(self, i: int, blocked: set[int], limit: int | None = None) -> int:
        """End of the capitalised name starting at token i (i itself when there is none)."""
        doc = self.doc
        limit = limit or self.ann.pack.window("name_words")
        j = i
        while j < len(doc) and j - i < limit:
            if self._is_nameword(j, blocked):
                j += 1
            elif self.L[j] in self.ann.particles and j > i and j + 1 < len(doc) and self._is_nameword(j + 1, blocked):
                j += 1
            elif j > i and j not in blocked and self._calendar_in_name(j):
                j += 1  # "Kang Sun Nam"
            elif j > i and self.T[j] != "I" and _REGNAL_RE.match(self.T[j]) and j not in blocked:
                j += 1  # "Mohammed VI", "Charles III": a regnal number ends the name
                break
            elif (self.T[j] == "-" and j > i and not self.W[j - 1] and not self.W[j]
                  and j + 1 < len(doc) and self.A[j + 1]):
                j += 2  # Jae-myung, al-Sharaa
            elif self.L[j] in self.ann.particles and j + 1 < len(doc) and self.T[j + 1] == "-" and j > i:
                j += 1
            elif (j > i and "-" in self.T[j] and self.T[j].split("-", 1)[0].lower() in self.ann.particles
                  and self.T[j].split("-", 1)[1][:1].isupper()):
                j += 1  # "al-Aiban" kept whole by the tokenizer (German)
            else:
                break
        while j > i and self.L[j - 1] in self.ann.particles:
            j -= 1
        return j

    def _calendar_in_name(self, k: int) -> bool:
        """A short month or weekday name at k ("Sun", "Jan", "Mar") right after a capitalised word that
        is no calendar word and no common word, inside a sentence, and not before a number: part of a
        name ("Kang Sun Nam", "Dong Jan"), not a date ("on Sun", "Jan 5", "Ende Mai")."""
        word = self.T[k]
        if not (word.isalpha() and word[:1].isupper() and len(word) <= 4 and k > 0 and not self.S[k]):
            return False
        rules = date_rules(self.ann.pack.code)
        if word.lower() not in rules.months and word.lower() not in rules.days:
            return False
        prev = self.T[k - 1]
        if (self.S[k - 1] or not _NAME_RE.match(prev) or lexicon.is_ordinary(prev, self.ann.pack.code, self._ordinary_zipf)
                or prev.lower() in rules.months or prev.lower() in rules.days or prev in self.ann.not_name):
            return False
        if k + 1 < len(self.T) and (self.T[k + 1][:1].isdigit() or self.T[k + 1] == "."):
            return False
        # a given name before it, or a name word after it too ("Dong Jan", "Kang Sun Nam")
        return lexicon.is_given_name(prev, self.ann.pack.code) or (
            k + 1 < len(self.T) and bool(_NAME_RE.match(self.T[k + 1])) and self.T[k + 1] not in self.ann.not_name)

    def _titles_next_name(self, e: int, actor_starts: set[int], title_starts: set[int]) -> bool:
        """The bare title ending at e is the title of the name a few words on: "the president of the
        United Arab Emirates, Sheikh Mohamed bin Zayed" (of, a country, a comma, titles between)."""
        words = _consts(self.ann.pack.code)
        if e in title_starts:
            return False  # "traf der Kanzler Ministerpräsident Li Keqiang": another title begins, with its name
        k = e
        while k < min(e + 10, len(self.doc)) and not self.S[k]:
            if k in actor_starts:
                return True
            if not (self.L[k] in words.of_words or self.L[k] in words.articles or self.T[k] == ","
                    or k in self.countries or k in self._title_toks
                    or (k == e and self._adjective_after_title(k))):
                return False
            k += 1
        return False

    def _adjective_after_title(self, k: int) -> bool:
        """Token k, right after a title, is an adjective of a language whose adjectives follow the noun
        (pack ``adjective_after_noun``): a lower-case word with no cue ("le conseiller spécial")."""
        return (_consts(self.ann.pack.code).adjective_after_noun and self.T[k].isalpha() and self.T[k].islower()
                and not self.cue_at.get(k))

    def _same_case(self, noun: str, name: str) -> bool:
        """For a pack whose names are analysed with pymorphy3: the role noun and the name share a case
        that is not the nominative ("посланником ... Стивом": both instrumental)."""
        if not self._morph():
            return False
        shared = self._cases(noun) & self._cases(name)
        return bool(shared - {"nomn", "gent"})

    def _morph(self) -> bool:
        """The pack analyses names with pymorphy3 (Russian): word cases can be read."""
        return self.ann.pack.meta.get("names", {}).get("base_form") == "pymorphy3"

    def _cases(self, word: str) -> set[str]:
        """The grammatical cases pymorphy3 finds likely for a word ("принцем": {"ablt"})."""
        from kg.nlp.morph import _pymorphy

        return {p.tag.case for p in _pymorphy(self.ann.pack.code).parse(word) if p.score >= 0.1 and p.tag.case}

    def _case_clash(self, title: list[str], name: str) -> set[str] | None:
        """For a pack whose names are analysed with pymorphy3: no word of the title shares a case with
        the name's last word (the one that declines), so the name is not the title's apposition
        ("наследным принцем" is instrumental, "Путин" nominative or genitive; in "заместитель министра
        обороны Александр Фомин" the head agrees). Returns the cases the title's first word may be in
        when they clash, else None."""
        if not self._morph():
            return None
        b = self._cases(name)
        known = [c for c in map(self._cases, title) if c]
        if not b or not known or any(c & b for c in known):
            return None
        return known[0]

    def _other_given_name(self, label: str, s: int, e: int, actors: list[tuple[str, int, int]]) -> bool:
        """A one-word match of a known person right after a capitalised given name that is not theirs; or
        a longer one after a name word that an honorific or a spouse's title opens ("Ibu Iriana Joko
        Widodo", the president's wife, who bears his name)."""
        if s == 0:
            return False
        prev = self.doc[s - 1].text
        if not prev[:1].isupper() or any(ps <= s - 1 < pe for _, ps, pe in actors):
            return False
        if e - s != 1:
            opener = self.titles.get(self.doc[s - 2].text, {}) if s >= 2 else {}
            if prev in self.titles or not _NAME_RE.match(prev) or opener.get("class") not in ("honorific", "spouse"):
                return False
        elif not lexicon.is_given_name(prev, self.ann.pack.code):
            return False
        a = self.ann.actors[int(label)]
        own = {lexicon.fold(w) for n in (a["name"], *a.get("aliases", [])) for w in n.split()}
        p = lexicon.fold(prev)
        # (an inflected form of their own given name is theirs: "Эммануэлем Макроном")
        return not any(w[:5] == p[:5] for w in own if len(w) >= 3)

    def _actor_ref(self, known: int) -> str:
        """Where a curated actor is listed: "_shared/actors.jsonl:12" or "ru/actors.jsonl:40"."""
        a = self.ann.actors[known]
        where = "_shared" if known < len(shared_actors()) else self.ann.pack.code
        return f"{where}/actors.jsonl:{a.get('_line', 0)}"

    def _entity(self, name: str, *, known: int | None = None, role: str | None = None, country: str | None = None,
                how: str = "person.full-name") -> int:
        ann = self.ann
        if known is not None:
            for k, ent in enumerate(self.entities):
                if ent.known == known:
                    if role and not ent.role:
                        ent.role = role
                    return k
            a = ann.actors[known]
            roles = self._roles_at_publication(a)
            self.entities.append(Entity(a["name"], a.get("type", "person"), a.get("country") or country,
                                        role or (roles[0] if roles else None), known, roles,
                                        how=f"{how if how != 'person.full-name' else a.get('type', 'person') + '.known'} "
                                            f"{self._actor_ref(known)}"))
            return len(self.entities) - 1
        name = ann.base_name(name)  # "Ивана Петрова" and "Иван Петров" are one person
        for k, ent in enumerate(self.entities):
            if ent.known is None and ent.name == name:
                if role and not ent.role:
                    ent.role = role
                if country and not ent.country:
                    ent.country = country
                return k
        self.entities.append(Entity(name, "person", country, role, how=how))
        return len(self.entities) - 1

    def _country_before(self, s: int) -> str | None:
        """A country or demonym right before a title: "Russian Foreign Minister", "Canada's PM"."""
        j = s - 1
        prefix = _consts(self.ann.pack.code).title_prefix
        while j >= 0 and (self.L[j] in prefix or self.L[j] in ("'s", "’s", "the")):
            j -= 1
        if j >= 0 and j in self.countries:
            return self.countries[j][1]
        return None

    def _people(self, actors: list[tuple[str, int, int]], titles: list[tuple[str, int, int]],
                actor_toks: set[int], blocked: set[int]) -> None:
        doc, ann = self.doc, self.ann
        words = _consts(ann.pack.code)
        found: list[PMention] = []
        titled_at: dict[int, tuple[str, str | None, int]] = {}
        actor_starts = {s2 for _, s2, _ in actors}
        title_starts = {s2 for _, s2, _ in titles}
        for text, s, e in titles:
            t = self.titles[text]
            country = self._country_before(s)
            j = e
            # skip "(Menlu)", a country ("Menlu Rusia"), adjectives and commas between title and name
            for _ in range(self.ann.pack.window("title_to_name")):
                if j < len(doc) and self.T[j] == "(":
                    k = j
                    while k < len(doc) and self.T[k] != ")" and k - j < 6:
                        k += 1
                    j = k + 1
                elif j < len(doc) and j in self.countries:
                    country = country or self.countries[j][1]
                    j = self.countries[j][0]
                elif j < len(doc) and (self.L[j] in words.of_words or self.L[j] in self._gap_words):
                    if self.L[j] in words.of_words and not (j + 1 < len(doc) and j + 1 in self.countries):
                        break
                    j += 1
                elif j < len(doc) and j in titled_at:
                    break
                elif j == e and j + 1 < len(doc) and self._adjective_after_title(j) and _NAME_RE.match(self.T[j + 1]):
                    j += 1  # "le conseiller spécial Kirill Dmitriev": an adjective after the title
                elif (j + 1 < len(doc) and 2 <= len(self.T[j]) <= 6 and self.T[j].isupper() and self.T[j].isalpha()
                      and _NAME_RE.match(self.T[j + 1])):
                    j += 1  # "Menteri BUMN Erick Thohir", "Menteri ESDM Bahlil Lahadalia": the portfolio's acronym
                else:
                    break
            name_end = next((ae for _, as_, ae in actors if as_ == j), None) or self._name_run(j, blocked | actor_toks)
            clash = self._case_clash(self.T[s:e], self.T[name_end - 1]) if name_end > j else None
            if clash is not None:
                # "С наследным принцем Путин ... виделся": an instrumental title, then a name in the
                # nominative: the title stands alone (someone named before), the name is the subject; but a
                # title in the genitive belongs to the noun before it ("посланником президента США Стивом
                # Уиткоффом": the president's envoy), and names no one here
                if t.get("class") not in ("honorific", "speaker", None) and not self._indefinite(s) and "gent" not in clash:
                    found.append(PMention(s, e, -1, "title"))
                continue
            titled_at[s] = (text, country, j)
            if t.get("plural"):
                self._plural_titles.append((j, t.get("role")))
                continue
            if j in actor_starts:
                continue  # handled with the actor below
            end = self._name_run(j, blocked | actor_toks)
            if j < end <= j + 3 and end in actor_starts and not any(self.P[j:end]):
                # "el presidente de Mauritania, Mohamed Uld Ghazouani": the words before a known name
                # ("Ghazouani") are more of that name as this article writes it, not another person
                titled_at[s] = (text, country, end)
                continue
            if end > j and self._ordinary_run(j, end) and not any(
                    len(w) > 2 and self._surname_like(w, j, end) for w in self._name_words(j, end)):
                # "Menteri Pertanian", "Minister for Border Security": a portfolio, not a name (but "Presiden
                # Prabowo Subianto ... Prabowo tiba": common words the article repeats alone are a name)
                end = j
            while (end - j >= 3 and lexicon.zipf(self.T[j], ann.pack.code) >= max(self._ordinary_zipf, 3.5)
                   and not lexicon.is_given_name(self.T[j], ann.pack.code) and not self._surname_echo(self.T[j], j, end)):
                # "Menteri Hak Asasi Manusia Natalius Pigai": the portfolio before the name is not part of it
                # (a word as common as a portfolio's; not a name the news make frequent, "Ibu Iriana Joko Widodo",
                # nor a given name or a word the article repeats alone: "o presidente Luiz Inácio Lula da Silva")
                j += 1
            if end > j:
                self._title_starts[j] = s
                ent = self._entity(doc[j:end].text, role=t.get("role"), country=country,
                                   how=f"person.title-before-name {self._title_ref(text)}".strip())
                if t.get("class") == "speaker":
                    self.entities[ent].speaker = True
                found.append(PMention(j, end, ent, "name", t.get("class") == "speaker"))
            elif (t.get("class") not in ("honorific", "speaker", None) and not self._indefinite(s)
                  and not self._titles_next_name(e, actor_starts, title_starts)):
                found.append(PMention(s, e, -1, "title"))
        title_before = {j: (text, c) for s, (text, c, j) in titled_at.items()}
        self._title_starts.update({j: s for s, (_, _, j) in titled_at.items()})
        for key, s, e in actors:
            t = title_before.get(s)
            role = self.titles[t[0]].get("role") if t else None
            ent = self._entity(doc[s:e].text, known=int(key), role=role)
            found.append(PMention(s, e, ent, "name", bool(t and self.titles[t[0]].get("class") == "speaker")))
        taken = {i for m in found for i in range(m.start, m.end)} | actor_toks
        # unknown full names: two or more capitalised words not claimed by anything else
        i = 0
        while i < len(doc):
            if i in taken or not self._is_nameword(i, blocked):
                i += 1
                continue
            end = self._name_run(i, blocked | taken)
            while i < end and (self.T[i].islower() or self.T[i] == "-"):
                i += 1  # a name never starts with a particle ("do Combu")
            trimmed = i
            while i < end - 2 and lexicon.is_ordinary(self.T[i], ann.pack.code, self._ordinary_zipf):
                i += 1  # "Economists Jane Doe", "Bahas Persiapan Jane Doe": a name starts at a name
            if i > trimmed and self.T[i].islower():
                i = end  # "Ilha do Combu", "Verhandlungen von EU-Chefdiplomat": the particle joins a common word
            if i < end and (self.T[i] in ("-", "‐") or (i >= 2 and self.T[i - 1] in ("-", "‐") and self.W[i - 2] == ""
                                                        and self.W[i - 1] == "")):
                i = end  # "Shangri-La Dialogue": the end of a hyphenated word, not the start of a name
            how = self._name_support(i, end) if end - i >= 2 else None
            if how == "person.given-name" and i > 0 and self.L[i - 1] in words.articles:
                # "the Kailash Mansarovar Yatra, a pilgrimage": a name word after an article starts the name
                # of a thing, not of a person
                how = None
            if how and end - i <= 3 and end in actor_starts and not any(self.P[i:end]):
                how = None  # "Mohamed Uld Ghazouani": more of the known name that follows, as written here
            if how and not any(k in taken for k in range(i, end)):
                ent = self._entity(doc[i:end].text, how=how)
                found.append(PMention(i, end, ent, "name"))
                taken.update(range(i, end))
            i = max(end, i + 1)
        # single words: a surname or first name of someone named in full in the article
        full = [k for k, ent in enumerate(self.entities) if len(ent.tokens) >= 2 or ent.known is not None]
        written = self._written_names(found)
        for i, text in enumerate(self.T):
            if i in taken or i in blocked or len(text) < 2 or text in ann.not_name or not _NAME_RE.match(text):
                continue
            cands = [k for k in full if text in self.entities[k].tokens]
            if not cands:
                # "Chavkat Mirzioïev ... M. Mirzioïev": a known person's surname as this article spells it
                cands = [k for k in full if self.entities[k].known is not None and text in written.get(k, ())]
            if not cands and self.entities:
                base = ann.base_name(text)  # "Петрова" is the "Иван Петров" named before
                cands = [k for k in full if self.entities[k].known is None and base in self.entities[k].tokens]
            if len(cands) > 1:  # "Macron" with Emmanuel and Brigitte Macron: the one the article names most
                counts = {k: sum(1 for m in found if m.ent == k) for k in cands}
                top = max(counts.values())
                cands = [k for k in cands if counts[k] == top][:1]
            if len(cands) == 1:
                found.append(PMention(i, i + 1, cands[0], "surname"))
                taken.add(i)
        for j, role in self._plural_titles:
            # the names that follow, joined by commas and "and", share the plural title
            for m in sorted(found, key=lambda m: m.start):
                if m.start < j or m.start > j + ann.pack.window("plural_title_names"):
                    continue
                gap = doc[j:m.start].text.strip()
                last = gap.split()[-1].lower() if gap.split() else ""
                if m.start == j or gap == "," or last in words.and_words or gap.endswith(","):
                    if role and not self.entities[m.ent].role:
                        self.entities[m.ent].role = role
                    j = m.end
        self._model_people(found, blocked | actor_toks)
        self._link_short_names(found)
        found.sort(key=lambda m: m.start)
        found = self._known_name_tails(found)
        # speakers: "X said", "said X", "according to X"
        for m in found:
            stop = min(m.end + 3, len(doc))
            for q in range(m.end, stop):
                if self.T[q] in _TERMINATORS:
                    stop = q
                    break
            after = set() if m.end < len(doc) and self.T[m.end] == "," else {
                k for q in range(m.end, stop) for k in self.cue_at.get(q, ())}
            before = {k for q in range(max(0, m.start - 3), m.start) for k in self.cue_at.get(q, ())}
            if "speech" in after or ("speech" in before and "meet" not in before):
                m.speaker = m.speaker or ("speech" in after and not self._has_cue(m.end, m.end + 4, "meet")
                                          and not self._said_in_meeting(m.end))
        role_nouns = words.role_nouns
        for m in found:
            if m.end + 1 < len(doc) and self.T[m.end] in ("'s", "’s", "'", "’"):
                m.possessive = not self._has_cue(m.end + 1, m.end + 3, "meet")
            start = self._title_starts.get(m.start, m.start)
            lo = max(0, start - 6, self._sent_start(start))  # (not the "said" that ends the sentence before)
            window = self.L[lo:start]
            if any(w in (",", ";") or w in words.and_words for w in window[-3:]):
                window = []
            if window and any(w in role_nouns for w in window[-4:]) and ann.pack.code != "en":
                # "penasihat kebijakan luar negeri Presiden Vladimir Putin"; not where the name takes the
                # role noun's case ("посланником президента США Стивом Уиткоффом": the envoy himself)
                noun = next(w for w in reversed(window[-4:]) if w in role_nouns)
                m.possessive = not self._same_case(noun, self.T[m.start])
            low = " ".join(window)
            if (any(low.endswith(c) or f"{c} " in low for c in self._speech_before) and not self._reported_subject(m)
                    and not any("meet" in self.cue_at.get(q, ()) for q in range(lo, start))):
                # (not "Erdogan said he would meet Vladimir Putin": a clause of its own between)
                m.speaker = True
        self._country_actors(found, blocked)
        self.mentions = sorted(found, key=lambda m: m.start)
        for m in found:
            for i in range(m.start, m.end):
                self.tok_ment[i] = m

    def _day_takes_month(self) -> None:
        """A day told alone ("no dia 14") after a month told earlier in its sentence ("Em abril, Lula foi
        recebido por Xi em Pequim, no dia 14") is that day of that month."""
        dropped: set[int] = set()
        for n, (ds, de, expr) in enumerate(self.dates):
            if expr.month is not None or expr.day is None or expr.weekday is not None:
                continue
            start = self._sent_start(ds)
            told = [(k, x) for k, (s0, _, x) in enumerate(self.dates[:n])
                    if s0 >= start and x.month is not None and x.day is None and not x.shift]
            if told:
                k, m = told[-1]
                self.dates[n] = (ds, de, replace(expr, month=m.month, year=m.year, year_shift=m.year_shift,
                                                 direction=m.direction))
                dropped.add(k)  # (the month was half of this one date, not a date of its own)
        self.dates = [d for k, d in enumerate(self.dates) if k not in dropped]

    def _known_name_tails(self, found: list[PMention]) -> list[PMention]:
        """A name kg does not know right after a known person's name, with no word between, is the rest
        of that name, not someone else: "Мухаммед бен Зайед Аль Нахайян" where the list knows "Мухаммед
        бен Зайед", "Mohammed bin Salman Al Saud" (rule person.known-name-tail)."""
        out: list[PMention] = []
        for m in found:
            prev = out[-1] if out else None
            if (prev is not None and m.start == prev.end and m.kind == "name" and prev.kind == "name" and m.ent >= 0
                    and prev.ent >= 0 and m.ent != prev.ent and self.entities[prev.ent].known is not None
                    and self.entities[m.ent].known is None and self.entities[m.ent].type == "person"
                    and not any(n.ent == m.ent for n in found if n is not m)):
                prev.end = m.end
                self.name_tails[prev.ent] = self.doc[m.start:m.end].text
                continue
            out.append(m)
        return out

    def _said_in_meeting(self, i: int) -> bool:
        """What the person at i says is said in a meeting later in the sentence ("Guterres told Putin
        ..., in a meeting on the margins of the summit", "Xi told Biden during their talks"): one who
        speaks there is in it. The meeting word comes right after a "during" word or a locative word
        and at most one determiner."""
        consts = _consts(self.ann.pack.code)
        sent_end = next((q for q in range(i + 1, len(self.doc)) if self.S[q]), len(self.doc))
        preps = consts.locative_words - consts.purpose_words
        dets = consts.articles | consts.possessive_groups
        for ms, _ in self.cues_in("meet", i, sent_end):
            if ms <= i or "meet" in self.cue_at.get(ms - 1, ()):
                continue
            if self._has_cue(max(i, ms - 3), ms, "during"):
                return True
            lead = self.L[max(i, ms - 2):ms]
            if lead and (lead[-1] in preps or len(lead) == 2 and lead[0] in preps and lead[1] in dets):
                return True
        return False

    def _name_words(self, s: int, e: int) -> list[str]:
        return [self.T[k] for k in range(s, e) if self.T[k] != "-" and self.L[k] not in self.ann.particles]

    def _ordinary_run(self, s: int, e: int) -> bool:
        """Every word of the run is an ordinary word of the language (wordfreq), none a given name."""
        lang, zmin = self.ann.pack.code, self._ordinary_zipf
        return all(lexicon.is_ordinary(w, lang, zmin) for w in self._name_words(s, e))

    def _name_support(self, s: int, e: int) -> str | None:
        """The evidence that an untitled capitalised run of unknown words names a person, as a rule
        id, or None: a Title Case run of ordinary words is a headline, a caption or an institution.

        Evidence: its first word is a capitalised given name ("Olivier Nduhungirehe"; not the "era" of
        "Soviet-era"), and one after it that is
        no place and either frequent in the news of many languages or repeated alone in the article
        ("Donald Trump", "Emmanuel Macron ... Macron a déclaré"); a name particle inside
        ("Musaed bin Mohammed"); none of its words is a common word ("Sjafrie Sjamsoeddin"); or a
        verb of saying right after it ("Tommy Pigott said").
        """
        words = self._name_words(s, e)
        if not words or self._ordinary_run(s, e):
            return None
        consts = _consts(self.ann.pack.code)
        if s >= 2 and self.L[s - 1] in consts.of_words and (
                self.L[s - 2] in consts.place_nouns or (s >= 3 and self.L[s - 3] in consts.place_nouns and self.L[s - 2] in consts.articles)):
            return None  # "the pilgrimage site of Bodh Gaya", "the island of Nusa Penida": a place
        lang = self.ann.pack.code
        rest = [w for w in words[1:] if len(w) > 1]
        if words[0][:1].isupper() and lexicon.is_given_name(words[0], lang) and not (
                rest and all(lexicon.is_ordinary(w, lang, self._ordinary_zipf) for w in rest)):
            return "person.given-name"  # (not "Dana Investasi Langsung", "Asia Tenggara": a given name, then words)
        if words[0][:1].isupper() and lexicon.is_given_name(words[0], lang) and len(rest) == 1 and self._surname_like(rest[0], s, e):
            # "Donald Trump", "Emmanuel Macron": a surname frequent in the news of many languages, or one
            # the article repeats alone ("... Macron a déclaré"), is no common word after a given name
            return "person.given-name-surname"
        if any(self.L[k] in self.ann.particles for k in range(s + 1, e - 1)) and not (
                lexicon.is_ordinary(words[-1], lang, self._ordinary_zipf)):
            return "person.name-particle"  # (not "Shangri-La Dialogue", "Bois de Boulogne Forum": a common noun ends it)
        if all(lexicon.zipf(w, lang) < self._ordinary_zipf and lexicon.zipf(w, "en") < self._ordinary_zipf
               for w in words) and not (consts.compound_heads and any(
                   lexicon.is_compound(w, lang, self._ordinary_zipf) for w in words)):
            # (in a language that writes compounds as one word, a rare word made of two common ones is a
            # noun: "Foltergefängnis Saidnaja", "des Atlantiks Planungssicherheit")
            return "person.rare-words"
        if self._has_cue(e, min(e + 3, len(self.T)), "speech") and not (e < len(self.T) and self.T[e] == ","):
            return "person.speech-subject"
        return None

    def _surname_like(self, word: str, s: int, e: int) -> bool:
        """A common word that is still a surname: no place, and frequent in the news of many languages
        or repeated alone in the article outside the run s..e ("Donald Trump", "Macron a déclaré")."""
        return word not in self.ann.places and (
            lexicon.is_international(word, self.ann.pack.code, self._ordinary_zipf) or self._surname_echo(word, s, e))

    def _surname_echo(self, word: str, s: int, e: int) -> bool:
        """The word stands alone elsewhere in the article (outside s..e), capitalised inside a sentence
        with no capitalised word beside it: a surname the article repeats ("Trump said ...")."""
        return any(not s <= k < e for k in self._alone_words.get(word, ()))

    @cached_property
    def _alone_words(self) -> dict[str, list[int]]:
        """Where each capitalised word stands alone inside a sentence, found once per article."""
        out: dict[str, list[int]] = {}
        n = len(self.T)
        for k, tok in enumerate(self.T):
            if self.S[k] or not _NAME_RE.match(tok):
                continue
            if k > 0 and _NAME_RE.match(self.T[k - 1]) and not self.S[k - 1]:
                continue
            if k + 1 < n and _NAME_RE.match(self.T[k + 1]):
                continue
            out.setdefault(tok, []).append(k)
        return out

    def _model_people(self, found: list[PMention], blocked: set[int]) -> None:
        """With a trained pipeline (``--model``), its PERSON entities the rules missed become people."""
        model = self.ann.extra_model
        if model is None or model.lang not in (self.ann.pack.code, self.ann.pack.spacy_lang):
            return  # a model of another language is no signal
        taken = {i for m in found for i in range(m.start, m.end)} | blocked
        for ent in model(self.text).ents:
            if ent.label_ not in ("PERSON", "PER"):
                continue
            span = self.doc.char_span(ent.start_char, ent.end_char, alignment_mode="contract")
            if span is None or len(span) == 0 or any(i in taken for i in range(span.start, span.end)):
                continue
            k = self._entity(span.text, how=f"person.model {self.ann.extra_model.meta.get('name', '')}")
            found.append(PMention(span.start, span.end, k, "name"))
            taken.update(range(span.start, span.end))

    def _country_actors(self, found: list[PMention], blocked: set[int]) -> None:
        """ "a US delegation" / "delegasi AS": the country itself takes part."""
        doc, words = self.doc, self.ann.pack.words
        after = set(words.get("country_actor_nouns", []))
        before = set(words.get("country_actor_nouns_before", []))
        gaz = get_gazetteer()
        taken = {i for m in found for i in range(m.start, m.end)}
        seen: set[int] = set()
        for i, (end, code) in sorted(self.countries.items()):
            if i in seen or i in taken:
                continue
            seen.update(range(i, end))
            if (end < len(doc) and self.L[end] in after) or (i > 0 and self.L[i - 1] in before):
                rec = gaz.countries.get(code)
                if rec is None:
                    continue
                self.entities.append(Entity(rec.name, "country", code, how="country.as-actor"))
                found.append(PMention(i, end, len(self.entities) - 1, "country"))

    def _roles_at_publication(self, actor: dict) -> tuple[str, ...]:
        """A known person's offices held in the article's year ("the crown prince" in a 2023 article is not
        Mohamed bin Zayed, crown prince of Abu Dhabi until 2022); all of them when none was."""
        year = self.pub.year
        rows = [r for r in actor.get("roles", []) if isinstance(r, dict) and r.get("role")]
        now = [r["role"] for r in rows
               if int(str(r.get("from") or "0")[:4] or 0) <= year <= int(str(r.get("to") or "9999")[:4] or 9999)]
        return tuple(now) if now else tuple(r["role"] for r in rows)

    def _office_holder(self, country: str, role: str) -> int | None:
        """The curated actor who held an office at publication: "Qatar's emir", "Menlu AS"."""
        year = self.pub.year
        if role in ("Minister", "Secretary", "Diplomat", "Official", ""):
            return None  # "the Russian minister" could be any of them
        generic = role in ("Leader", "Head of State")
        found: list[tuple[int, int]] = []
        for idx, a in self.ann.offices.get(country, []):
            for r in a.get("roles", []):
                if not isinstance(r, dict) or not r.get("role"):
                    continue
                start = int(str(r.get("from") or "0")[:4] or 0)
                end = int(str(r.get("to") or "9999")[:4] or 9999)
                if not start <= year <= end:
                    continue
                name = r["role"].lower()
                if name.startswith(("deputy", "vice", "under", "assistant", "acting", "state minister", "minister of state")):
                    continue  # "Menlu AS" is the minister, not a deputy
                if _role_class(role) == "diplomat" and _role_class(r["role"]) == "diplomat":
                    found.append((start, idx))  # "Menlu AS" is the Secretary of State
                    break
                if (generic and _role_class(r["role"]) == "leader") or (
                    not generic and role and (role.lower() == name or role.lower() in name.split(" of ")[0:1]
                                              or name in role.lower())):
                    found.append((start, idx))
                    break
        if not found:
            return None
        # in a year of transition, the newer office holder
        latest = max(start for start, _ in found)
        newest = list(dict.fromkeys(idx for start, idx in found if start == latest))
        return newest[0] if len(newest) == 1 else None

    def _surname_told(self, s: int, e: int, actors: list[tuple[str, int, int]]) -> bool:
        """The one word s..e is the last word of a known person named in full before it: a city's
        name that is also their surname ("Austin", "Lincoln") is the person when no locative leads it."""
        if e - s != 1:
            return False
        word = self.T[s]
        return any(ae - as_ >= 2 and ae <= s and self.T[ae - 1] == word for _, as_, ae in actors)

    def _indefinite(self, s: int) -> bool:
        words = _consts(self.ann.pack.code).indefinite
        j = s - 1
        prefix = _consts(self.ann.pack.code).title_prefix
        while j >= 0 and (j in self.countries or self.L[j] in prefix):
            j -= 1
        return j >= 0 and self.L[j] in words

    def _written_names(self, found: list[PMention]) -> dict[int, set[str]]:
        """The words of each person's full names as the article writes them ("Chavkat Mirzioïev" for
        Shavkat Mirziyoyev)."""
        written: dict[int, set[str]] = {}
        for m in found:
            if m.kind == "name" and m.end - m.start >= 2:
                written.setdefault(m.ent, set()).update(self.T[m.start:m.end])
        return written

    def _link_short_names(self, found: list[PMention]) -> None:
        """ "PM Ishiba" and "Pangeran Mohammed" are the Shigeru Ishiba and Mohammed bin Salman named in full;
        "M. Mirzioïev", the Chavkat Mirzioïev named before (a known person's name as the article spells it)."""
        remap: dict[int, int] = {}
        written = self._written_names(found)
        for k, ent in enumerate(self.entities):
            if ent.known is not None or len(ent.tokens) != 1:
                continue
            folded = ent.name.casefold()
            cands = [j for j, other in enumerate(self.entities)
                     if j != k and (len(other.tokens) >= 2 or other.known is not None)
                     and folded in {x.casefold() for x in (*other.tokens, *written.get(j, ()))}]
            if len(cands) == 1:
                remap[k] = cands[0]
                tgt = self.entities[cands[0]]
                tgt.role = tgt.role or ent.role
                tgt.country = tgt.country or ent.country
                tgt.speaker = tgt.speaker or ent.speaker
        for m in found:
            m.ent = remap.get(m.ent, m.ent)

    def char_range(self, span: Span) -> tuple[int, int]:
        """Character offsets of a span without its surrounding whitespace."""
        start = self.I[span.start]
        last = span.end - 1
        end = self.I[last] + len(self.T[last])
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def sentences(self) -> list[Span]:
        """Sentences: after . ! ? (with closing quotes and brackets) and at every line break.

        Computed on the token arrays rather than with spaCy's sentencizer, which walks the Doc
        token by token in Python and took a third of the extraction time.
        """
        T, n = self.T, len(self.T)
        out: list[Span] = []
        start = 0
        i = 0
        while i < n:
            t = T[i]
            end = None
            if "\n" in t or "\n" in self.W[i]:
                end = i + 1
            elif t in _TERMINATORS or (len(t) > 1 and t[-1] in "!?"):
                end = i + 1
                while end < n and T[end] in _CLOSERS:
                    end += 1
            if end is not None:
                while start < end and T[start].isspace():
                    start += 1
                if start < end:
                    out.append(self.doc[start:end])
                start = end
                i = end
                continue
            i += 1
        while start < n and T[start].isspace():
            start += 1
        if start < n:
            out.append(self.doc[start:n])
        # Bound (kg.nlp.limits.MAX_SENTENCE_TOKENS): a longer "sentence" (a list of 400 names, a run-on
        # chain "A met B met C ...") is read in pieces, so that the work per sentence stays bounded.
        out = [self.doc[a:b] for sp in out for a, b in sentence_pieces(T, sp.start, sp.end)]
        self.S = [False] * n
        for sp in out:
            self.S[sp.start] = True
        return out

    def _main_event(self, raws: list[Raw]) -> Raw | None:
        """What "the meeting" refers to: the article's first meeting of the same tense (held or planned)."""
        want = "planned" if self._planned_now else "occurred"
        return next((r for r in raws if r.status == want), raws[0] if raws else None)

    def _first_cue(self, s: int, e: int, kind: str) -> int:
        """Where the first cue of ``kind`` in [s, e) starts, or e."""
        pos = self._cue_pos.get(kind) or []
        i = bisect.bisect_left(pos, s)
        return pos[i] if i < len(pos) and pos[i] < e else e

    def _has_cue(self, s: int, e: int, kind: str) -> bool:
        pos = self._cue_pos.get(kind)
        if not pos:
            return False
        i = bisect.bisect_left(pos, s)
        return i < len(pos) and pos[i] < e

    def _talk_verbs(self, found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """A verb of talking the pack marks "remote" ("spoke", "spoken") is a meeting word only when a
        remote cue follows it, with nothing but lower-case words between: "had spoken twice by telephone",
        "spoke briefly by phone"; "spoke to reporters" is not."""
        needs = _consts(self.ann.pack.code).needs_remote
        if not needs:
            return found
        reach = self.ann.pack.window("remote_after")
        remote = {s for kind, s, _ in found if kind == "remote"}
        planned_end = {e for kind, _, e in found if kind == "planned"}
        with_words = _consts(self.ann.pack.code).with_words
        out = []
        for kind, s, e in found:
            if kind == "meet" and self.doc[s:e].text.lower() in needs:
                k = e
                while k < min(e + reach, len(self.doc)) and k not in remote and self.T[k].isalpha() and self.T[k].islower():
                    k += 1
                # (or a plan to talk with someone: "said he would probably speak with Chinese President Xi")
                planned_talk = (any(q in planned_end for q in (s, s - 1)) and e < len(self.doc)
                                and self.L[e] in with_words and e + 1 < len(self.doc) and self.T[e + 1][:1].isupper())
                if k not in remote and not planned_talk:
                    continue
            out.append((kind, s, e))
        return out

    def _relative_antecedent(self, sent: Span, s: int, t: int, sent_ments: list[PMention]) -> int | None:
        """The person a relative clause hangs on is the subject of its meeting word: "Mark Rutte, who was
        in Washington for talks with the president", "Prabowo, yang ... bertemu Xi". The relative word
        opens the clause the meeting word is in, right after the person's name and a comma."""
        rel = _consts(self.ann.pack.code).rel_words
        k = next((k for k in range(t - 1, max(sent.start, s - 2) - 1, -1) if self.L[k] in rel), None)
        if k is None or k < 2 or self.T[k - 1] != "," or self._has_cue(k + 1, t, "boundary"):
            return None
        m = next((m for m in sent_ments if m.end == k - 1), None)
        if m is None or self.entities[m.ent].type != "person" or m.speaker or m.possessive:
            return None
        return m.ent

    def _object_fits(self, s: int, e: int) -> bool:
        """A meeting word the pack marks "person_after" ("see", "sat beside") tells a meeting only when
        a person is named right after it: "to see Trump", "sat beside President Trump", not "to see the
        results"."""
        consts = _consts(self.ann.pack.code)
        text = self.doc[s:e].text.lower()
        if text in consts.joint:
            return self._joint_sides(s, e)
        if text in consts.with_before:
            # "hat am Sonntag in Doha mit dem Emir von Katar, Tamim bin Hamad Al Thani, gesprochen"
            word, start = consts.with_before[text], self._sent_start(s)
            return any(self.L[k] == word and any(q in self._person_starts for q in range(k + 1, min(k + 10, s)))
                       for k in range(max(start, s - 16), s) if not any(self.T[q] in (";", ":") for q in range(k, s)))
        if e < len(self.doc) and self.L[e] in ("'s", "’s"):
            return False  # "the summit's host", "the meeting's agenda": a possessor, not a meeting told
        if s > 0 and any(q == s for q, _ in self.cues.get("host", [])) and (
                (self.L[s - 1] in consts.articles and self.L[s - 1] not in consts.clitic_pronouns
                 and self.L[s - 1] not in consts.object_pronouns) or self.L[s - 1] in ("'s", "’s")):
            # "the summit's host, Mark Carney": a noun naming a role, not the act of hosting (but "Starmer le
            # recevra": an object pronoun)
            return False
        if text not in consts.needs_person:
            return True
        return self._past_titles(e, e + 8) in self._person_starts

    def _joint_sides(self, s: int, e: int) -> bool:
        """A verb of a joint act the pack marks "joint" ("signed") tells a meeting only with both sides
        in its clause: a person after a with word ("signed a trade deal with Starmer"), its passive
        agent ("signed by X and Y") or two people joined by "and" right before it ("he and Japarov
        signed a treaty")."""
        consts = _consts(self.ann.pack.code)
        if e < len(self.doc) and self.L[e] in consts.passive_by and self._past_titles(e + 1, e + 6) in self._person_starts:
            return True  # "the agreement, which was signed by Ali Shamkhani ... and Musaed al-Aiban"
        k = e
        while k < min(e + 12, len(self.doc)) and self.T[k] not in (",", ";", ":", ".", "!", "?"):
            if self.L[k] in consts.with_words and self._past_titles(k + 1, k + 6) in self._person_starts:
                return True
            k += 1
        before = self.tok_ment.get(s - 1)
        if before is None:
            return False
        j = before.start - 1
        if j < 1 or self.L[j] not in consts.and_words:
            return False
        return j - 1 in self.tok_ment or "pronoun" in self.cue_at.get(j - 1, ())

    def _past_titles(self, k: int, hi: int | None = None) -> int:
        """The first token from k (before hi) that is no title word, country word or article: where the
        name a title introduces starts ("the Japanese Prime Minister Shigeru Ishiba")."""
        hi = len(self.doc) if hi is None else min(hi, len(self.doc))
        consts = _consts(self.ann.pack.code)
        articles, prefix = consts.articles, consts.title_prefix
        while k < hi and (k in self._title_toks or k in self.countries or self.L[k] in articles
                          or (self.L[k] in prefix and k + 1 < hi and (k + 1 in self._title_toks or self.L[k + 1] in prefix))
                          or (self.T[k] == "-" and k - 1 in self._title_toks and k + 1 < hi and self.T[k + 1].islower())):
            # (and "then", "former" before a title, "-elect" after it: "to dine with the then president-elect
            # Donald Trump")
            k += 2 if self.T[k] == "-" else 1
        return k

    def _reported_subject(self, m: PMention) -> bool:
        """A name after a verb of saying that is the subject of the reported clause, not the one who
        says it: it goes on with an auxiliary or a meeting word ("officials said envoy Steve Witkoff
        was expected to ...", "said Putin met ..."; pack words ``aux_verbs``), or it is a possessive
        ("said Trump's envoy")."""
        nxt = m.end
        return nxt < len(self.doc) and (self.T[nxt] in ("'s", "’s") or self._verb_after(nxt, ("meet",)))

    def _verb_after(self, k: int, kinds: tuple[str, ...]) -> bool:
        """A name ending at k goes on as a clause's subject: an auxiliary of the pack (``aux_verbs``) at k,
        or a cue of ``kinds`` (a meeting word, a verb of saying) within two words, no punctuation first."""
        if k >= len(self.doc):
            return False
        return self.L[k] in _consts(self.ann.pack.code).aux_verbs or (
            not self.P[k] and any(c in self.cue_at.get(q, ()) for q in range(k, min(k + 2, len(self.doc))) for c in kinds))

    # ---- reference resolution ---------------------------------------------------------------
    def _title_ref(self, text: str) -> str:
        """The pack line of a title ("de/titles.jsonl:133"), or of the title a compound ends in."""
        head = self.titles.get(text, {}).get("head")
        refs = _consts(self.ann.pack.code).title_ref
        return f"{refs.get(head, '')} (compound)" if head else refs.get(text, "")

    def _since_duration(self, s: int, e: int) -> bool:
        """A since word followed within three words by a number and a unit of time ("depuis près de trois
        ans", "seit fast drei Jahren"; not "since the two men met", nor the year "since 2019") opens a span
        of time, not a clause."""
        consts = _consts(self.ann.pack.code)
        if self.doc[s:e].text.lower() not in consts.since_words:
            return False
        return any(((self.T[k].isdigit() and len(self.T[k]) < 4) or self.L[k] in consts.number_words)
                   and k + 1 < len(self.doc) and self.L[k + 1] in consts.time_units
                   for k in range(e, min(e + 3, len(self.doc))))

    def _note_summit_place(self, sent: Span) -> None:
        """A sentence that tells a gathering (summit, KTT, саммит) and places something with a locative ("В
        Казани завершился саммит БРИКС", "the summit in Kananaskis") gives the gathering's place, for the
        meetings later told on its sidelines."""
        after = _consts(self.ann.pack.code).after_words
        # (not a gathering told in an after phrase: "setelah menghadiri KTT BRICS di Rio de Janeiro")
        words = [cs for cs, _ in self.cues_in("meet", sent.start, sent.end) if self._gathering(cs)
                 and not any(self.L[k] in after for k in range(max(sent.start, cs - 4), cs))]
        if not words:
            return
        spots = [(rec, surface) for ps, rec, surface in self._located_places(sent, ("city", "venue", "region"))
                 if any(abs(ps - w) <= 4 for w in words)]
        if len(spots) == 1:
            self.summit_place = spots[0]
            start = self.I[sent.start]
            self.summit_sent = sent.start
            self.summit_lead = "\n\n" not in self.text[self.I[self.dateline_end] if self.dateline_end < len(self.I) else 0:start]

    def _located_places(self, sent: Span, kinds: tuple[str, ...]) -> list[tuple[int, PlaceRecord, str]]:
        """The places of ``kinds`` the sentence puts something in: right after a locative word, past the
        dateline, not in an aside ("Modi's stay in Kazan", not "an adviser of the Kremlin")."""
        locative = _consts(self.ann.pack.code).locative_words
        return [(ps, rec, surface) for ps, _, rec, surface in self.places if sent.start <= ps < sent.end
                and ps >= self.dateline_end and rec.kind in kinds and ps > 0 and self.L[ps - 1] in locative
                and not self._aside(ps)]

    def _sidelines_of_summit(self, s: int, e: int) -> bool:
        """The clause tells its meeting on the sidelines of a gathering ("на полях саммита", "di sela KTT",
        "on the sidelines of the summit"): a during cue right before a gathering word."""
        return any(self._gathering(cs) and any(ce2 >= cs - 1 for _, ce2 in self.cues_in("during", max(s, cs - 5), cs))
                   for cs, _ in self.cues_in("meet", s, e))

    def _invited(self, s: int, t: int) -> bool:
        """An invitation word before the meeting word in its clause, not in an aside about someone
        ("Zelensky, qui n'avait pas été convié, a fait état d'une conversation avec Trump")."""
        return any(not (self._aside(cs) and not self._aside(t)) for cs, _ in self.cues_in("invite", s, t))

    def _counterparts(self) -> list[PMention]:
        """A counterpart word with a country ("his Chinese counterpart", "son homologue américain",
        "seinem russischen Amtskollegen") and no name after it: a mention of that country's person named
        before (kind "counterpart", resolved as a title with no role). Plural cues (pack field
        ``plural``: "their counterparts") stand for no one person."""
        spans = sorted(self.cues.get("counterpart", []))
        plural = _consts(self.ann.pack.code).plural_counterparts
        out = []
        for s, e in spans:
            if any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2 in spans):
                continue  # "homologue" inside "son homologue"
            if self.doc[s:e].text.lower() in plural or any(i in self.tok_ment for i in range(s, e)):
                continue
            country, end = self._country_before(s), e
            if country is None and e in self.countries:
                end, country = self.countries[e]
            after = range(end + 1, end + 6) if end < len(self.doc) and self.T[end] == "," else range(end, end + 2)
            if country is None or any(q in self.tok_ment for q in after):
                continue  # no country, or the name follows ("his Russian counterpart (, Minister) Sergei Lavrov")
            out.append(PMention(s, end, -1, "counterpart"))
        return out

    def resolve_titles(self) -> None:
        """A title without a name ("the Russian president") is the last person it fits; so is a
        counterpart with a country ("son homologue américain")."""
        ann = self.ann
        out = []
        for m in sorted([*self.mentions, *self._counterparts()], key=lambda m: m.start):
            if m.kind not in ("title", "counterpart"):
                out.append(m)
                continue
            text = self.doc[m.start:m.end].text
            t = self.titles.get(text, {})
            country = self._country_before(m.start)
            nxt = m.end
            if nxt < len(self.doc) and nxt in self.countries:
                country = country or self.countries[nxt][1]
            # a country named inside the title: "председатель КНР", "chef de l'État français"
            country = country or next((ann.countries[self.T[k]] for k in range(m.start, m.end)
                                       if self.T[k] in ann.countries), None)
            role = t.get("role") or ""
            best = None
            fits: list[int] = []
            for prev in reversed([p for p in out if p.ent >= 0 and p.start < m.start]):
                ent = self.entities[prev.ent]
                if ent.type != "person" or ent.speaker or prev.speaker:
                    continue
                if t.get("gender") == "female" and lexicon.given_name_gender(ent.name.split()[0]) == "male":
                    continue  # "La mandataria", "die Kanzlerin": not the man named last
                if country and ent.country and ent.country != country:
                    continue
                if country and not ent.country:
                    continue
                roles = [r for r in (ent.role, *ent.roles) if r]
                generic = role in ("Leader", "Minister", "Diplomat", "Head of State")
                if roles:
                    cls = _role_class(role) if not generic else ("leader" if role in ("Leader", "Head of State") else "")
                    ok = any(role.lower() in r.lower() or r.lower() in role.lower() for r in roles)
                    if generic:
                        ok = ok or (cls and any(_role_class(r) == cls for r in roles)) or role in ("Minister", "Diplomat")
                    if not ok:
                        continue
                elif not country:
                    continue
                if country:
                    best = prev.ent
                    break
                fits.append(prev.ent)
            if best is None and fits:
                # a title with no name and no country: the latest person it fits, or, in a pack whose press
                # calls its protagonist by bare title ("Presiden", names.bare_title = "protagonist"), the one
                # named most often so far, the latest at a tie
                protagonist = ann.pack.meta.get("names", {}).get("bare_title", "latest") == "protagonist"
                counts = {k: sum(1 for p in out if p.ent == k and p.start < m.start) if protagonist else 0 for k in fits}
                best = max(fits, key=lambda k: (counts[k], -fits.index(k)))
            if best is None and country:
                known = self._office_holder(country, role)
                if known is not None:
                    best = self._entity("", known=known, how="person.office-holder")
            if best is not None:
                m.ent = best
                out.append(m)
        self.mentions = out
        self.tok_ment = {i: m for m in out for i in range(m.start, m.end)}

    # ---- meetings ------------------------------------------------------------------------------
    def _dash_list(self, sent: Span, close: int) -> int | None:
        """Where the dash pair closing at token ``close`` opens, when it holds only a list of two or more
        people (names, titles, country words, commas, "and"): an appositive of the subject before it
        ("The four leaders - Biden, Modi, Australia's Anthony Albanese and Japan's Fumio Kishida - met")."""
        consts = _consts(self.ann.pack.code)
        k, people = close - 1, set()
        while k > sent.start and self.T[k] != self.T[close]:
            m = self.tok_ment.get(k)
            if m is not None and m.ent >= 0:
                people.add(m.ent)
            elif not (self.T[k] in (",", "'s", "’s") or self.L[k] in consts.and_words or k in self._title_toks
                      or k in self.countries):
                return None
            k -= 1
        return k if k > sent.start and self.T[k] == self.T[close] and len(people) >= 2 else None

    def _scope(self, sent: Span, t: int) -> tuple[int, int]:
        if self._aside(t):
            s = t
            while s > sent.start and self.T[s - 1] != ",":
                s -= 1
            e = t + 1
            while e < sent.end and self.T[e] != ",":
                e += 1
            return s, e
        hard = {";", "—", "–", "\"", "“", "”"}
        s = t
        while s > sent.start:
            if s - 1 in self._aside_close and not self._aside(t):
                s = self._aside_close[s - 1]  # ", who ... ," is transparent: the clause goes on before it
                continue
            prev, prev_ws = self.T[s - 1], self.W[s - 1]
            if prev in ("—", "–", "-") and (opened := self._dash_list(sent, s - 1)) is not None:
                s = opened  # "The four leaders - Biden, Modi, Albanese and Kishida - met": the subject's list
                continue
            if prev in hard or (prev == "-" and prev_ws) or (prev in "()" and self._long_bracket(s - 1)):
                break
            if "boundary" in self.cue_at.get(s - 1, ()) and not self._meet_word(s - 1):
                s -= 1
                break
            if (self._new_clause_at(s - 2) and any(self._meet_word(q) for q in range(sent.start, s - 2))) or self._group_clause_at(s - 2):
                # "Macron met Trump on Monday, and Starmer met him on Thursday": from "and" on (not "X, the
                # envoy, and Y spent two hours ...", one subject)
                break
            s -= 1
        e = t + 1
        while e < sent.end:
            tok = self.T[e]
            if tok in ("—", "–") and self._gapping_dash(e, t):
                e += 1  # ", с американской — Марко Рубио и Майк Уолц": the verb left out, the clause goes on
                continue
            if tok in hard or (tok == "-" and self.W[e] and self.W[e - 1]) or (tok in "()" and self._long_bracket(e)):
                break
            if "boundary" in self.cue_at.get(e, ()) and e > t + 1 and not self._meet_word(e):
                break
            if e > t + 1 and (self._new_clause_at(e) or self._new_verb_phrase(e)):
                break
            if tok == ":" and any(self._meet_word(q) for q in range(e + 1, sent.end)):
                break  # "Vorbereitet worden war das Treffen in Moskau: Dort hatte X mit Y gesprochen": their own
            e += 1
        return s, e

    def _new_verb_phrase(self, k: int) -> bool:
        """ "and" at k, then within two words an object pronoun of the pack and no one named: a verb phrase
        of its own ("met Xi on Friday and urged him to speak with Zelensky", "y le animó a hablar con
        Zelenski"), whose people are no sides of the meeting before it."""
        consts = _consts(self.ann.pack.code)
        if self.L[k] not in consts.and_words or not consts.object_pronouns:
            return False
        for q in (k + 1, k + 2):
            if q >= len(self.L) or q in self.tok_ment or self.P[q]:
                return False
            if self.L[q] in consts.object_pronouns:
                return True
        return False

    def _gapping_dash(self, k: int, t: int) -> bool:
        """A dash that stands for a verb left out: after a comma and at most three words with no one
        named and no meeting word between ("участвовали X и Y, с американской — A и B"), a person
        right after it."""
        c = k - 1
        while c > t and self.T[c] != "," and k - c <= 4:
            c -= 1
        if c <= t or self.T[c] != "," or k - c > 4:
            return False
        if any(q in self.tok_ment or self._meet_word(q) for q in range(c + 1, k)):
            return False
        return self._past_titles(k + 1) in self.tok_ment

    def _new_clause_at(self, k: int) -> bool:
        """", and X met ..." at token k: a comma, "and", then a person who goes on with a verb of the
        pack (a meeting word, an auxiliary, a verb of saying) starts a clause of its own, so the person
        is no side of a meeting told before the comma ("Macron met Trump on Monday, and Starmer met him
        on Thursday")."""
        if not self._comma_and(k):
            return False
        j = self._past_titles(k + 2)  # "and British Prime Minister Keir Starmer"
        m = self.tok_ment.get(j)
        return m is not None and m.start == j and self._verb_after(m.end, ("meet", "speech"))

    def _comma_and(self, k: int) -> bool:
        """A comma at token k and "and" right after it, with a word after that."""
        return (0 <= k and k + 2 < len(self.doc) and self.T[k] == ","
                and self.L[k + 1] in _consts(self.ann.pack.code).and_words)

    def _group_clause_at(self, k: int) -> bool:
        """", and the two ministers met ..." at token k: a comma, "and", then a group phrase that goes on
        with a meeting word or a verb of saying starts a clause of its own, whatever came before it."""
        if not self._comma_and(k):
            return False
        group = max((ce for cs, ce in self.cues_in("group", k + 2, k + 3)), default=None)
        return group is not None and self._verb_after(group, ("meet", "speech"))

    def _own_clause(self, sent: Span, t: int, s: int, e: int, sent_ments: list[PMention],
                    why: list[tuple[str, str]]) -> tuple[int, int, int | None, tuple[int, int] | None]:
        """Two meeting words in one clause, each with a person of its own after it, are two meetings:
        "Setelah bertemu Zelensky di Kyiv, Jokowi ... bertemu Putin di Kremlin". The first ends where the
        second begins; the second begins after the comma that closes the first one's person, and keeps
        the subject the two share when it stands before the first ("Modi held talks with Putin and,
        separately, met Pezeshkian"). Returns the clause, that subject, and the words before the first
        meeting word (where a day told for both stands), or None."""
        people = sorted(m.start for m in sent_ments if self.entities[m.ent].type == "person")

        def has_own(a: int, b: int) -> bool:  # a person between a meeting word and the next
            return any(a < p < b for p in people)

        triggers = [o for o in self._sent_triggers if s <= o < e and abs(o - t) > 3 and "meet" in self.cue_at.get(o, ())]
        later = [o for o in triggers if o > t and has_own(t, o) and has_own(o, e)]
        if later:
            e = later[0]
            why.append(("pair.own-clause", ""))
        else:
            # "Macron avait été reçu par Trump, et ..., Starmer, y avait été accueilli jeudi": the next
            # meeting word's own person stands before it, after the comma that closes this one's person
            for o in (o for o in triggers if o > t and has_own(t, o)):
                obj = next(p for p in people if t < p < o)
                comma = next((i for i in range(obj, o) if self.T[i] == ","), None)
                if comma is not None and has_own(comma, o) and self._clause_joint(comma):
                    e = comma
                    why.append(("pair.own-clause", ""))
                    break
        earlier = [o for o in triggers if o < t and has_own(o, t)]
        subject, shared_head = None, None
        if earlier:
            o = earlier[-1]
            obj = next((p for p in people if o < p < t), None)
            comma = next((i for i in range(obj or o, t) if self.T[i] == ","), None)
            if comma is None and obj is not None and not has_own(obj + 1, t):
                # "met Macron on Monday and spoke with Starmer on Thursday": "and" right before the verb
                comma = next((i for i in range(max(obj + 1, t - 2), t) if self.L[i] in _consts(self.ann.pack.code).and_words), None)
            if obj is not None and comma is not None and (has_own(t, e) or (has_own(comma, t) and self._clause_joint(comma))):
                before = [m for m in sent_ments if s <= m.start < o and self.entities[m.ent].type == "person"
                          and not m.speaker and not m.possessive]
                subject = before[0].ent if before and not has_own(comma, t) else None
                shared_head = (s, o)
                s = comma + 1
                why.append(("pair.own-clause", ""))
        return s, e, subject, shared_head

    def _parallel_clause(self, sent: Span, s: int, t: int, sent_ments: list[PMention], ents: list[int]) -> list[int]:
        """A clause of its own ("..., et X y avait été accueilli jeudi", "..., and X visited on Thursday")
        whose meeting word has one person, before it, and no one after: the same kind of meeting as the
        one the sentence told before it, the new person in the place of that one's people before its
        meeting word; the people after it (the host, "par Trump") are this one's other side."""
        if s <= sent.start or not self._done or self._done[-1].sent.start != sent.start:
            return []
        prev = self._done[-1]
        if len(set(prev.ents)) < 2 or not self._clause_joint(s - 1):
            return []
        if not all(s <= m.start < t for m in sent_ments if m.ent in ents):
            return []
        end = self._cue_end("meet", t)
        if end < sent.end and (self.L[end] in self._with_words or self.tok_ment.get(end) is not None):
            return []
        after = [m.ent for m in sent_ments if prev.trigger < m.start < s and m.ent in prev.ents
                 and not any(n.ent == m.ent and n.start < prev.trigger for n in sent_ments)]
        return [k for k in dict.fromkeys(after) if k not in ents]

    def _host_reference(self, sent: Span, t: int, e: int, ents: list[int]) -> int | None:
        """A host noun right after the meeting word or its with-word ("met his host", "se reunió con su
        anfitrión") stands for the person of the dateline's country named last before it (without a
        dateline, the person of another country than the subject's named last before it)."""
        consts = _consts(self.ann.pack.code)
        if not consts.host_nouns:
            return None
        home = self.dateline.country if self.dateline is not None else None
        subject = ents[0] if ents else (self.subjects[-1] if self.subjects else None)
        theirs = self.entities[subject].country if subject is not None else None
        end = self._cue_end("meet", t)
        k = end + 1 if end < e and self.L[end] in self._with_words else end
        if not any(self.doc[k:j].text.lower() in consts.host_nouns for j in range(k + 1, min(k + 4, e + 1))):
            return None
        before = [m.ent for m in self.mentions if m.start < t and m.ent >= 0 and m.ent not in ents and m.ent != subject
                  and self.entities[m.ent].type == "person" and not self.entities[m.ent].speaker
                  and self.entities[m.ent].country is not None
                  and (self.entities[m.ent].country == home if home else self.entities[m.ent].country != theirs)]
        return before[-1] if before else None

    def _clause_joint(self, comma: int) -> bool:
        """A comma and "and" (or a clause word) right after it: the next clause begins ("..., et le premier
        ministre britannique, Keir Starmer, y avait été accueilli")."""
        k = comma + 1
        return k < len(self.L) and (self.L[k] in _consts(self.ann.pack.code).and_words or "boundary" in self.cue_at.get(k, ()))

    def _sent_of(self, t: int) -> Span:
        """The sentence holding token t."""
        return self.sents[bisect.bisect_right(self._sent_starts, t) - 1]

    def _next_sent(self, sent: Span) -> Span | None:
        """The sentence after ``sent``, or None at the end of the article."""
        k = bisect.bisect_right(self._sent_starts, sent.start)
        return self.sents[k] if k < len(self.sents) else None

    def _cue_after(self, t: int, e: int, kind: str, s: int | None = None) -> bool:
        """A cue of ``kind`` marked "after": N within N tokens after the meeting word ("treffen wird").
        A cue marked "predicate" ("Talks with Tokayev are scheduled for Tuesday") counts only where the
        meeting word is the subject of its clause: no one is named before it in the clause [s, t) (but a
        possessive), and no clause boundary, relative pronoun or comma (but those around a name) stands between
        the two."""
        consts = _consts(self.ann.pack.code)
        reach = consts.after.get(kind, {})
        if not reach:
            return False
        # its reach is its own: past a clause break ("Ein weiteres Treffen ist nach Angaben aus Baku derzeit
        # nicht geplant"), to the end of the sentence or the next meeting word
        end = max(e, self._sent_of(t).end)
        nxt = self.cues_in("meet", t + 1, end)
        end = min(end, nxt[0][0]) if nxt else end
        final = _consts(self.ann.pack.code).final
        for cs, ce in self.cues_in(kind, t + 1, end):
            text = self.doc[cs:ce].text.lower()
            if (kind, text) in final and ce < len(self.doc) and not self.P[ce]:
                continue  # "plant Merz nicht.": only as the clause's last word
            if text in consts.predicates and (
                    s is None or any((m := self.tok_ment.get(k)) is not None and m.ent >= 0 and not m.possessive for k in range(s, t))
                    or self._has_cue(t + 1, cs, "boundary")
                    or any(self.L[k] in consts.rel_words or (self.T[k] in (",", ";", ":") and k not in self._name_commas(t + 1, cs))
                           for k in range(t + 1, cs))):
                continue  # ("Putin met Xi, and a statement is expected": the plan is not the meeting's)
            if t < cs < end and cs - t <= reach.get(text, 0):
                return True
        return False

    def _name_commas(self, lo: int, hi: int) -> set[int]:
        """The commas in [lo, hi) that enclose a person's name ("el presidente de Bolivia, Luis Arce, está
        prevista"): an apposition, no clause break."""
        out: set[int] = set()
        for k in range(lo, hi):
            m = self.tok_ment.get(k)
            if m is not None and m.start == k and k > 0 and self.T[k - 1] == "," and m.end < len(self.doc) and self.T[m.end] == ",":
                out |= {k - 1, m.end}
        return out

    def _planned_any(self, s: int, t: int, e: int) -> bool:
        return self._planned(s, t) or self._cue_after(t, e, "planned", s)

    def _planned(self, s: int, t: int) -> bool:
        """A planned cue shortly before the meeting word ("will" right before, "is scheduled to" a little further)."""
        consts = _consts(self.ann.pack.code)
        reach = consts.planned_reach
        # "akan mengunjungi Mozambik untuk bertemu X", "will fly to Maputo to meet X": a near future word
        # reaches the meeting word through a purpose clause right before it
        purpose = next((k for k in (t - 1, t - 2) if k >= s and self.L[k] in consts.purpose_words), None)
        lo = max(s, t - reach if purpose is None else purpose - reach - 3)
        for cs, ce in self.cues_in("planned", lo, t + 2):
            if lo <= cs < t + 2:
                text = self.doc[cs:ce].text.lower()
                near = self._planned_near.get(text, 8)
                # (punctuation of a date between does not count: "dijadwalkan terbang ke Port Moresby pada
                # Rabu (5/7) untuk bertemu")
                if t - cs <= near or (purpose is not None and purpose - ce <= near + 3
                                      and not any(self.P[k] and not any(ds <= k < de for ds, de, _ in self.dates)
                                                  for k in range(ce, purpose))):
                    return True
        return self._planned_coordinated(s, t)

    def _planned_coordinated(self, s: int, t: int) -> bool:
        """A near future word reaches the meeting word through a verb phrase coordinated right before it:
        "will travel to Port Moresby and meet Marape", "akan terbang ke Tokyo dan bertemu Kishida". Between
        the future word and "and" no punctuation, no other meeting word and no clause boundary."""
        consts = _consts(self.ann.pack.code)
        joint = next((k for k in (t - 1, t - 2) if k > s and self.L[k] in consts.and_words), None)
        if joint is None or (joint == t - 2 and (self.P[t - 1] or t - 1 in self.tok_ment)):
            return False
        lo = max(s, joint - consts.planned_coordinated)
        return any(ce < joint and not any(self.P[ce:joint]) and not self.cues_in("meet", ce, joint)
                   and not self._has_cue(ce, joint, "boundary") for _, ce in self.cues_in("planned", lo, joint))

    def _since_word(self, s: int) -> bool:
        return any(w and self.L[s:s + len(w)] == w for w in _consts(self.ann.pack.code).ignore_after)

    def _sent_start(self, i: int) -> int:
        j = i
        while j > 0 and not self.S[j]:
            j -= 1
        return j

    def _coordinated(self, sent_ments: list[PMention], t: int) -> list[int]:
        """The people of a coordinated subject that opens the sentence: "President Joe Biden and Chinese
        leader Xi Jinping agreed ..., after four hours of talks". Between the names only "and", commas,
        titles and country words; the first person alone when the names are not so joined."""
        consts = _consts(self.ann.pack.code)
        out = [sent_ments[0].ent]
        prev = sent_ments[0]
        for m in sent_ments[1:]:
            if m.start >= t or m.speaker or m.possessive:
                break
            gap = range(prev.end, m.start)
            if m.ent != prev.ent and not any(self.L[k] in consts.and_words for k in gap):
                break
            if not all(self.L[k] in consts.and_words or self.T[k] in (",", "'s", "’s") or k in self._title_toks
                       or k in self.countries for k in gap):
                break
            if m.ent not in out:
                out.append(m.ent)
            prev = m
        return out

    def _gathering(self, cs: int, ce: int | None = None) -> bool:
        """The meeting word at [cs, ce) (its cue's end when ce is None) is a gathering word of the pack
        (summit, KTT, sommet, Gipfel: ``"gathering": true``)."""
        end = self._cue_end("meet", cs) if ce is None else ce
        return self.doc[cs:end].text.lower() in _consts(self.ann.pack.code).gathering

    def _present(self, t: int) -> bool:
        """The meeting word at t is a verb in the simple present (``"present": true``: "meets", "sits down"),
        not an infinitive or a verb after an auxiliary ("the first foreign minister to meet him", "did meet")."""
        consts = _consts(self.ann.pack.code)
        if t > 0 and (self.L[t - 1] in consts.purpose_words or self.L[t - 1] in consts.aux_verbs
                      or self.L[t - 1] in consts.modal_verbs or self.L[t - 1] in consts.possessive_determiners
                      or self.L[t - 1] in consts.articles):
            return False  # (nor a noun: "his host", "a visit")
        return self.doc[t:self._cue_end("meet", t)].text.lower() in consts.present

    def _pair_right_before(self, t: int, sent_ments: list[PMention]) -> list[int] | None:
        """Two people joined by "and" that end at most three words before the gathering word t, with no
        punctuation after them ("Putin and Trump at their summit", "X and Y held a summit"), or None."""
        if not self._gathering(t):
            return None
        consts = _consts(self.ann.pack.code)
        before = [m for m in sent_ments if m.end <= t]
        if len(before) < 2 or t - before[-1].end > 3 or any(self.P[before[-1].end:t]):
            return None
        a, b = before[-2], before[-1]
        gap = range(a.end, b.start)
        if a.ent == b.ent or not any(self.L[k] in consts.and_words for k in gap) or not all(
                self.L[k] in consts.and_words or k in self._title_toks or k in self.countries for k in gap):
            return None
        return [a.ent, b.ent]

    def _since_between(self, t: int, ds: int) -> bool:
        """The date at ds is told in a since clause that meeting word t is not in: "talks ..., the first
        time the two had met since a regional summit in Astana in October 2022, and their first
        encounter since ..." dates the summit, neither the talks nor the encounter."""
        words = _consts(self.ann.pack.code).since_words
        start = self._sent_start(ds)
        j = next((j for j in range(ds - 1, start - 1, -1) if self.L[j] in words or self.T[j] == ";"), None)
        if j is None or self.T[j] == ";":
            return False
        # (the clause runs on to the next punctuation: "since a US delegation travelled to Caracas in
        # March 2022 and met Maduro" dates that meeting)
        return not (j < t and (t <= ds or not any(self.P[ds:t]) or self._when_after(ds, t)))

    def _topic_place(self, ps: int) -> bool:
        """The place at ps follows a topic noun and its locative ("the war in Ukraine", "la guerre en
        Ukraine", "войны на Украине"): the subject of the talks, not where they were held."""
        consts = _consts(self.ann.pack.code)
        if not consts.topic_nouns:
            return False
        j = ps - 1
        while j >= 0 and (self.L[j] in consts.articles or j in self.countries) and ps - j <= 3:
            j -= 1
        return j >= 1 and self.L[j] in consts.locative_ends and self.L[j - 1] in consts.topic_nouns

    def _passive_agent(self, sent: Span, t: int, sent_ments: list[PMention]) -> int | None:
        """The person after the agent word of a passive meeting verb ("was received by Biden", "a été reçu
        par Macron"; pack words passive_aux and passive_by), or None when the verb is not passive."""
        consts = _consts(self.ann.pack.code)
        if not consts.passive_by or t < 1 or self.L[t - 1] not in consts.passive_aux:
            return None
        end = self._cue_end("meet", t)
        if end >= sent.end or self.L[end] not in consts.passive_by:
            return None
        return next((m.ent for m in sent_ments if end < m.start <= end + 5 and self.entities[m.ent].type == "person"), None)

    def _since_told(self, sent: Span, t: int) -> int:
        """Where the pack's "since" word stands when meeting word t is told in a since clause ("their
        first talks since their encounter in Bali"): a few words before t, no punctuation between, or
        in a when clause right after the since date; 0 when it is not."""
        words = _consts(self.ann.pack.code).since_words
        for j in range(t - 1, max(sent.start, t - 5) - 1, -1):
            if self.P[j]:
                break
            if self.L[j] in words:
                return j
        # ("depuis octobre 2022, lorsqu'ils s'étaient vus à Astana": the when clause of the since date)
        return next((j for j in range(t - 1, max(sent.start, t - 10) - 1, -1)
                     if self.L[j] in words and self._when_after(j, t)), 0)

    def _first_since_head(self, sent: Span, t: int) -> bool:
        """Meeting word t is the head of a first-since construction: a first word just before it and a
        since word after it in its sentence ("the first time they had met since ...")."""
        consts = _consts(self.ann.pack.code)
        return (any(self.L[i] in consts.first_words for i in range(max(sent.start, t - 8), t))
                and any(self.L[j] in consts.since_words for j in range(t + 1, min(sent.end, t + 10))))

    def _same_clause(self, since: int, t: int) -> bool:
        """True when cue t stands in the clause that the "since" at ``since`` opens, or in a when clause
        right after it ("since October 2022, when they met in Astana": the meeting it dates)."""
        return since < t and (not any(self.P[since:t]) or self._when_after(since, t))

    def _when_after(self, i: int, t: int) -> bool:
        """Between token i and cue t, one punctuation mark and then a when word ("..., lorsqu'ils
        s'étaient vus"): t is in a when clause attached to what i begins."""
        cuts = [k for k in range(i, t) if self.P[k]]
        when = _consts(self.ann.pack.code).when_words
        return len(cuts) == 1 and any(self.L[k] in when for k in range(cuts[0] + 1, min(cuts[0] + 3, t)))

    def _in_after_phrase(self, i: int, start: int) -> bool:
        """The date at token i is an after phrase's ("Six months after the row of February 28, ...") or
        lies in it up to its comma: it dates what came before, not what the sentence goes on to tell."""
        return any(expr.after and start <= ds <= i and not any(self.T[k] in (",", ";") for k in range(ds, i))
                   for ds, _, expr in self.dates)

    def _aside(self, i: int) -> bool:
        """Inside ", who ... ," / ", yang ... ,": a relative clause about someone, not the meeting."""
        j = i
        while j > 0 and self.T[j] not in (",", ".", ";") and not self.S[j]:
            j -= 1
        if self.T[j] != "," or j + 1 >= len(self.doc) or self.L[j + 1] not in self._rel_words:
            return False
        k = i
        while k < len(self.doc) and self.T[k] not in (",", ".", ";"):
            k += 1
        return k < len(self.doc) and self.T[k] == ","

    def _appositive(self, i: int) -> bool:
        """Inside ", the ... ," right after a person's name: "Vice President Kamala Harris, the presumptive
        Democratic nominee since Biden ended his bid on Sunday, held her own meeting with Netanyahu"."""
        hit = self._appositive_at.get(i)
        if hit is None:
            hit = self._appositive_at[i] = self._find_appositive(i)
        return hit

    def _find_appositive(self, i: int) -> bool:
        j = i
        while j > 0 and self.T[j] not in (",", ".", ";") and not self.S[j]:
            j -= 1
        if self.T[j] != "," or j + 2 >= len(self.doc) or self.L[j + 1] not in _consts(self.ann.pack.code).articles:
            return False
        if j + 1 in self._date_toks or j + 2 in self._date_toks:
            return False  # "..., Marco Rubio, el 21 de enero en Washington": a date, not about him
        before = self.tok_ment.get(j - 1) if j > 0 else None
        if before is None or self.entities[before.ent].type != "person":
            return False
        k = i
        while k < len(self.doc) and self.T[k] not in (",", ".", ";") and not (k > i and self.S[k]):
            k += 1
        if k >= len(self.doc) or self.T[k] != ",":
            return False
        # a name right after the article and its title is the next item of a list, not an appositive:
        # "Emmanuel Macron, le chancelier allemand Olaf Scholz et ..."
        arts = _consts(self.ann.pack.code).articles
        first = next((m for m in self.mentions if j < m.start < k), None)
        return first is None or not all(self.L[q] in arts or q in self._title_toks or q in self.countries
                                        or self.T[q] in ("-",) for q in range(j + 1, first.start))

    def _long_bracket(self, i: int) -> bool:
        """A bracket around more than three tokens is an aside; "(10)" or "(Menlu)" is not."""
        step = 1 if self.T[i] == "(" else -1
        j, n = i + step, 0
        while 0 <= j < len(self.T) and self.T[j] not in "()" and n <= 3:
            j += step
            n += 1
        return n > 3

    def _meet_word(self, i: int) -> bool:
        return "meet" in self.cue_at.get(i, ())

    def _date_list(self, s: int, e: int, t: int) -> list[tuple[int, Any, PartialDate]]:
        """Dates of the clause told as a list after the meeting word, joined by "and" with nothing but
        commas and short lower-case words between ("in February and in September", "pada 5 Juni dan 19
        September", "en février et en septembre"), each at least a week from the next: one meeting on
        each. Days next to each other ("on 14 and 15 May") are one meeting over several days."""
        found = sorted((ds, de, x) for ds, de, x in self.dates if t < ds < e and not x.same and not self._aside(ds)
                       and not self._appositive(ds))
        run = self._joined_run(found, max_gap=3, short_words=True, need_and=True)
        if not run:
            return []
        days = [d for _, _, x in run if (d := resolve(x, self.pub)) is not None]
        if len(days) < len(run) or any(abs((b.first_day() - a.first_day()).days) < 7 for a, b in itertools.pairwise(days)):
            return []
        return [(ds, x, d) for (ds, _, x), d in zip(run, days, strict=True)]

    def _date_in(self, s: int, e: int, t: int, future: bool) -> PartialDate | None:
        self._date_note: tuple[str, str] | None = None
        cands = [(abs(ds - t), ds, expr) for ds, de, expr in self.dates
                 if s <= ds < e and not (ds in self.ignored_dates and not self._same_clause(self.ignored_dates[ds], t))
                 and not (self._aside(ds) and not self._aside(t)) and not self._since_between(t, ds)
                 and not (self._appositive(ds) and not self._appositive(t))
                 and not (expr.after and ds > t)]  # ("La visite intervient trois mois après la lettre ...")
        if not cands:
            told = self._date_before_when(s)
            if told is not None:  # "since February 28, when a heated meeting between the two ..."
                self._date_expr, self._date_tok = told[1], told[0]
                return resolve(told[1], self.pub)
            return None
        # nearest first, but "the same day" after the meeting word is about this meeting, and the day
        # something was said ("told reporters on Thursday that he would meet X next month") comes last
        speech_ends = [ce for _, ce in self.cues.get("speech", [])]
        # ("pertemuan ... pada 29 Desember, dan sehari kemudian diterima Jokowi": a day told between the
        # meeting word and the sequel word is this meeting's, and the sequel is the next one's)
        told_between = {c[1] for c in cands if c[2].same and c[1] > t
                        and any(not d[2].same and t < d[1] < c[1] for d in cands)}
        cands.sort(key=lambda c: (not (c[2].same and c[1] > t and c[1] not in told_between),
                                  any(0 <= c[1] - ce <= 3 for ce in speech_ends), c[0]))
        first = resolve(cands[0][2], self.pub, future=future)
        if first is not None and first.as_date() is None and not cands[0][2].same and not cands[0][2].after:
            # "akhir bulan ini ... pada 25 Januari", "later this month, on January 25": the day the clause
            # names refines the month or year named nearer the meeting word
            finer = next((c for c in cands[1:] if not c[2].same and not c[2].after and c[2].day is not None
                          and (d := resolve(c[2], self.pub, future=future)) is not None and d.as_date() is not None
                          and first.compatible(d)), None)
            if finer is not None:
                cands.remove(finer)
                cands.insert(0, finer)
        expr = cands[0][2]
        self._date_expr, self._date_tok = expr, cands[0][1]
        # (the meeting this sentence told before the expression, "met Putin on Thursday, a day after ...", else
        # the last one dated before the sentence)
        here = [d.date for d in self._done if d.date is not None and d.trigger < cands[0][1] and not d.earlier]
        base = here[-1] if here and expr.after else self._last_date
        base_day = base.as_date() if base is not None else None
        if (expr.after and base_day is not None and expr.precision is None
                and any(self._meet_word(q) or "anaphor" in self.cue_at.get(q, ())
                        for q in range(self._sent_start(cands[0][1]), cands[0][1]))):
            # "The meeting came a day after Trump held talks with ...": a day before the meeting told
            # before, not before publication
            days = sum(n for unit, n in expr.shift if unit == "days")
            if days and len(expr.shift) == 1:
                self._date_note = ("date.after-the-meeting", base.iso())  # type: ignore[union-attr]
                return PartialDate.from_date(base_day + dt.timedelta(days=days))
        if expr.same:
            base = self._last_date
            start = cands[0][1]
            earlier = [x for ds, _, x in self.dates if ds < start and not x.same and ds >= self._sent_start(start)
                       and not (self._appositive(ds) and not self._appositive(t))]
            if earlier:  # "on Wednesday ... at noon the same day": the date told earlier in the sentence,
                # ahead for a planned meeting, behind for one that took place
                base = resolve(earlier[-1], self.pub, future=future)
            elif self._done and self._done[-1].date is not None and self._done[-1].sent.start == self._sent_start(t):
                # "Ia lebih dulu berunding dengan X, lalu keesokan harinya ...": the meeting this sentence
                # told first, not the last date of the sentences before
                base = self._done[-1].date
            shift = sum(n for unit, n in expr.shift if unit == "days")
            if (future and not earlier and base is not None and base.as_date() is not None
                    and base.as_date() + dt.timedelta(days=shift) <= self.pub):
                return None  # "Jokowi kemudian akan ...": what he will do next, not the day told before
            if (base is not None and base.as_date() is None and not earlier and self._last_day is not None and shift < 0
                    and self._last_day.iso()[:7] > base.iso()[:7]):
                # "La veille, à Astana, ...", after a sentence about a visit "en octobre 2018": the eve of the
                # last meeting dated to the day, a later one, not of one told by its month long before ("a
                # couple of days later", after "in April 2022", is still April 2022)
                base = self._last_day
            if base is not None and base.as_date() is None:
                return base  # a day after a meeting told only by its month: that month
            pend = self.pending_date
            if (not earlier and shift > 0 and pend is not None and not pend.same
                    and (base is None or pend.start >= self._last_date_end)):
                # "The jet came down on Dec. 25 ... Three days later Putin phoned Aliyev": the day told since
                # the last meeting, without one of its own
                told = resolve(pend, self.pub)
                if told is not None and told.as_date() is not None:
                    self._date_note = ("date.days-after-told", told.iso())
                    return PartialDate.from_date(told.as_date() + dt.timedelta(days=shift))  # type: ignore[operator]
            if base is None:
                # ("a day later" with nothing told before: not the day after publication)
                return resolve(DateExpr(expr.start, expr.end, expr.text, shift=expr.shift), self.pub) if shift < 0 else None
            return PartialDate.from_date(base.as_date() + dt.timedelta(days=shift))  # type: ignore[operator]
        if expr.year is None and expr.month is not None and expr.day is not None and not expr.shift:
            # "в августе 2024 года: 19 августа лидеры провели переговоры": a day without a year takes the
            # year told just before it in the same sentence
            start = cands[0][1]
            told = [x for ds, _, x in self.dates if self._sent_start(start) <= ds < start and x.year is not None
                    and x.year_shift is None and not x.shift]
            if told:
                try:
                    d = PartialDate.from_date(dt.date(told[-1].year, expr.month, expr.day))  # type: ignore[arg-type]
                    self._date_note = ("date.year-told-before", told[-1].text)
                    return d
                except ValueError:
                    pass  # (29 February of a year without one)
        return resolve(cands[0][2], self.pub, future=future)

    def _date_before_when(self, s: int) -> tuple[int, DateExpr] | None:
        """The date right before a "when" that opens the clause at s ("on February 28, when ...")."""
        words = _consts(self.ann.pack.code).when_words
        k = max(0, s - 2) if s >= 2 and self.L[s - 2] in words else s  # ("lorsqu'ils s'étaient vus": the scope starts at the pronoun)
        while k < len(self.L) and k < s + 3 and self.L[k] not in words:
            k += 1
        if k >= len(self.L) or self.L[k] not in words:
            return None
        j = k - 1
        while j >= 0 and self.T[j] in (",", "—", "–"):
            j -= 1
        return next(((ds, expr) for ds, de, expr in self.dates if ds <= j < de), None)

    def _place_in(self, s: int, e: int, t: int, skip_since: bool = False) -> tuple[int, PlaceRecord, str] | None:
        """The place a locative names in [s, e) nearest t, venues first; with ``skip_since``, not one
        told in a since clause t is not in ("..., the first time they had met since a summit in Astana")."""
        best = None
        rank = {"venue": 0, "city": 1, "region": 2, "country": 3}
        consts = _consts(self.ann.pack.code)
        for ps, _pe, rec, surface in self.places:
            if not (s <= ps < e) or (self._aside(ps) and not self._aside(t)):
                continue  # (", who spent the day in Ankara, ...": not where this meeting is)
            if skip_since and self._since_between(t, ps):
                continue
            if ps > t and any(self.L[k] in consts.rel_words and "fixed" not in self.cue_at.get(k, ())
                              for k in range(t + 3, ps)):  # (not "yang kedua", the second)
                # "ont signé un mémorandum qui doit permettre ... d'occuper des emplois en Espagne": a
                # relative clause about something the meeting produced, not where it was (one right after
                # the meeting word is about the meeting: "the talks, which took place in Geneva")
                continue
            if True:
                lo = max(0, ps - 4)
                head = ps - 1 if ps >= 1 and self.L[ps - 1] in consts.of_words else ps
                if head >= 1 and self.L[head - 1] in consts.place_nouns:
                    # "in the Russian city of Kazan", "di kota Kazan": the locative stands before the noun
                    lo = max(0, head - 5)
                    prev = [w for k, w in enumerate(self.L[lo:head - 1], start=lo)
                            if k not in self.countries and not self.P[k]]
                    while prev and prev[-1] not in consts.locative_ends and len(prev) > 1:
                        prev.pop()  # adjectives and demonyms between ("the Russian city")
                else:
                    prev = [w for k, w in enumerate(self.L[lo:ps], start=lo) if k not in self.countries]
                if (len(prev) >= 3 and prev[-2] in consts.articles and prev[-1].isalpha() and prev[-1].islower()
                        and prev[-1] not in consts.articles and self.T[ps - 1].islower()):
                    prev.pop()  # "in the occupied West Bank", "in the southern Kherson region": an adjective between
                while prev and prev[-1] in consts.articles:
                    prev.pop()
                loc = any(tuple(prev[-len(p):]) == p for p in self.ann.locative if p and len(prev) >= len(p))
                loc = loc and not self._has_cue(ps - 4, ps, "speech")  # "according to the White House"
                if loc and any(len(prev) >= len(p) and tuple(prev[-len(p):]) == p for p in consts.departure_words):
                    continue  # "before Faye flew back to Dakar": where someone went home to
                if loc and self._topic_place(ps):
                    continue  # "the war in Ukraine", "la guerre en Ukraine": what they talked about, not where
                after_venue = ps >= 2 and self.T[ps - 1] == "," and any(p[1] == ps - 1 and p[2].kind == "venue" for p in self.places)
                if not loc and not after_venue:
                    continue
            key = (rank[rec.kind], abs(ps - t))
            if best is None or key < best[0]:
                best = (key, ps, rec, surface)
        if best is None:
            return None
        return best[1], best[2], best[3]

    def _place(self, s: int, e: int, t: int, sent: Span) -> Place | None:
        lo, hi = self._between_triggers(sent, t)
        hit = self._place_in(s, e, t, skip_since=True) or self._place_in(lo, hi, t, skip_since=True)
        if hit is None:
            return None
        ps, rec, surface = hit
        city = None
        if rec.kind == "venue":
            # "Istana Merdeka, Jakarta" / "Diriyah Palace in Riyadh": the city after the venue
            for qs, _qe, qrec, _ in self.places:
                if ps < qs <= ps + 12 and qrec.kind == "city" and qs < sent.end:
                    city = qrec
                    break
            if rec.city is None and city is None and self.dateline is not None:
                city = self.dateline
        return _to_place(rec, surface, city)

    def events(self) -> list[Raw]:
        raws: list[Raw] = []
        # a meeting word inside a longer "join" phrase ("together with", "along with") names company, not a meeting
        joined_at = {cs: ce for cs, ce in self.cues.get("join", [])}
        self._person_starts = {m.start for m in self.mentions if m.ent >= 0 and self.entities[m.ent].type == "person"}
        meets = sorted({s for s, e in self.cues.get("meet", []) if joined_at.get(s, s) <= e and self._object_fits(s, e)})
        last_sent_ents: list[int] = []
        self.pending_date: DateExpr | None = None
        self.pending_place: tuple[PlaceRecord, str] | None = None  # a place told in the paragraph without a meeting
        self.summit_place: tuple[PlaceRecord, str] | None = None  # where the last gathering told was held
        self.summit_lead = False  # ... told in the lead paragraph
        self.summit_sent = -1  # ... in the sentence that starts there
        self.shell: Raw | None = None
        self._done: list[Raw] = []
        self._planned_now = False
        self._with_words = _consts(self.ann.pack.code).with_words
        self._joins: list[tuple[Span, list[int]]] = []
        self._attendee_sents: set[int] = set()  # sentences that list who attended a gathering
        self._pending_join: tuple[Span, list[int]] | None = None
        self._last_date: PartialDate | None = None
        self._last_date_end = 0  # where the sentence that told the last meeting date ends
        self._last_day: PartialDate | None = None  # the last meeting dated to the day
        self.subjects: list[int] = []
        self._pronoun_subject: int | None = None
        self._sent_pronoun: tuple[int, int] | None = None  # (sentence start, who its "he" is)
        self._object_ent: int | None = None  # whom the last object pronoun of a meeting word stood for
        for sent in self.sents:
            if sent.start in self.noise_sent:
                continue  # a headline, caption or byline: its people are named, but no meeting is read
            if sent.start > 0 and "\n" in self.T[sent.start - 1] + self.W[sent.start - 1]:
                self.pending_date = None  # a new paragraph
                self.pending_place = None
            trig = [t for t in meets if sent.start <= t < sent.end and t not in self.tok_ment]
            self._note_summit_place(sent)
            sent_ments = [m for m in self.mentions if sent.start <= m.start < sent.end and m.ent >= 0]
            if trig:
                self._sent_triggers = trig
                done: list[Raw] = []
                self._done = done
                for t in trig:
                    r = self._event_at(sent, t, sent_ments, last_sent_ents, raws)
                    if r is None:
                        continue
                    parts = self._with_parts(r, t)
                    if parts:  # "se reunirá con X y con Y": a meeting with each
                        done.extend(parts)
                        continue
                    if r.first_head and any(set(d.ents) == set(r.ents) and not d.since_told for d in done):
                        continue  # "talks with X ..., their first meeting since ...": the talks just told
                    # (not a plan and a meeting held, nor a call and a meeting in person: "After a telephone
                    # conversation last Thursday, Trump said the two would meet in Budapest" tells two)
                    same = [d for d in done if set(d.ents) == set(r.ents) and d.since_told == r.since_told
                            and (d.date is None or r.date is None or d.date.compatible(r.date))
                            and d.mode == r.mode]
                    if same:
                        d = same[0]
                        d.anaphoric = d.anaphoric and r.anaphoric
                        d.bilateral = d.bilateral or r.bilateral
                        d.during_date = d.during_date or r.during_date
                        if d.earlier != r.earlier:
                            # "had met briefly on the sidelines of the summit": one earlier meeting, dated and
                            # placed as the earlier one was, not by this article's dateline
                            keep = d if d.earlier else r
                            d.earlier = True
                            d.date, d.place = keep.date, keep.place
                        else:
                            if d.date is None or (r.date is not None and len(r.date.iso()) > len(d.date.iso())):
                                d.date = r.date  # the day refines the month told at the other word
                            d.place = d.place or r.place
                        if r.status == "cancelled":
                            d.status = "cancelled"
                        if r.mode == "remote":
                            d.mode = "remote"
                        continue
                    done.append(r)
                    for d, text in r.more_dates:
                        done.append(replace(r, date=d, extra_sents=[], more_dates=[], why=[*(w for w in r.why if w[0] != "date.in-clause"), ("date.list", text)]))
                raws.extend(done)
                dated = [r.date for r in done if r.date is not None]
                self._last_date = dated[-1] if dated else self._last_date
                self._last_date_end = sent.end_char if dated else self._last_date_end
                days = [d for d in dated if d.as_date() is not None]
                self._last_day = days[-1] if days else self._last_day
            if not (trig and raws and raws[-1].sent is sent):
                # "On Friday Xi had two encounters. He met ...": a date told without a meeting carries over
                # (not the dateline's: "MOSCOW, May 10 (Reuters) -" is the day of the report)
                here = [expr for ds, _, expr in self.dates if sent.start <= ds < sent.end and ds >= self.dateline_end
                        and ds not in self.ignored_dates and not self._aside(ds) and not expr.same
                        and not self._in_after_phrase(ds, sent.start)]
                self.pending_date = here[0] if here else self.pending_date
                # and so does a city or venue it places something in ("Modi's stay in Kazan was brief but
                # busy. He met ...")
                spots = self._located_places(sent, ("city", "venue"))
                self.pending_place = spots[0][1:] if len(spots) == 1 else self.pending_place
            self._reschedule(sent, raws)
            if not (trig and raws and raws[-1].sent is sent) and sent.start not in self._attendee_sents:
                self._join(sent, sent_ments, raws)
                if self._pending_join is not None:
                    self._joins.append(self._pending_join)
                    self._pending_join = None
            else:
                self._trailing_join(sent, trig, sent_ments, raws)
            ents = []
            for m in sent_ments:
                if m.ent not in ents and self.entities[m.ent].type == "person":
                    ents.append(m.ent)
            if ents:
                last_sent_ents = ents
                subject = self._pronoun_subject if self._pronoun_subject is not None else ents[0]
                if self._pronoun_subject is None and self.subjects and self._subject_pronoun_opens(sent, sent_ments):
                    subject = self.subjects[-1]  # "On the sidelines on Friday he held talks with Yunus": still Modi
                self.subjects.append(subject)
            self._pronoun_subject = None
        return raws

    def _event_at(self, sent: Span, t: int, sent_ments: list[PMention], last_sent_ents: list[int],
                  raws: list[Raw]) -> Raw | None:
        doc = self.doc
        s, e = self._scope(sent, t)
        why: list[tuple[str, str]] = [self._cue_why("meet", t)]
        s, e, subject, shared_head = self._own_clause(sent, t, s, e, sent_ments, why)
        # "The meeting came a day after Trump held talks with the crown prince at Al Yamamah Palace": what
        # follows "{n} days after" is the earlier event, with its own people, day and place
        after_cut = min([sent.end, *(ds for ds, _, expr in self.dates if expr.after and t < ds < sent.end)])
        e = min(e, after_cut)
        ents: list[int] = []
        in_aside = self._aside(t)
        sent_ments = [m for m in sent_ments if not self._proxy(m)]  # "accepted a letter from Putin"
        along = self._entourage(sent, t)
        if along:
            why.append((f"pair.entourage-apart {self._cue_ref_in('entourage', sent.start, sent.end)}",
                        ", ".join(dict.fromkeys(self.entities[m.ent].name for m in sent_ments if m.start in along))))
            sent_ments = [m for m in sent_ments if m.start not in along]
        # "Menlu Retno Marsudi mengatakan Presiden juga akan menggelar pertemuan dengan Ramaphosa": who says
        # it, right before a verb of saying whose reported clause names its own subject, is no side
        said = []
        comp = _consts(self.ann.pack.code).complementizers
        for cs, ce in self.cues_in("speech", s, t):
            first = next((m for m in sent_ments if ce <= m.start < t and self.entities[m.ent].type == "person"), None)
            if first is not None and not any(self.L[q] in comp for q in range(first.end, t)):
                said.append(cs)  # (not "Guterres told Pezeshkian on Monday that ..., in a meeting": whom he told)
        for m in sent_ments:
            if said and any(0 <= cs - m.end <= 1 for cs in said):
                continue
            if (s <= m.start < e and not m.speaker and not m.possessive and m.ent not in ents
                    and self.entities[m.ent].type != "organization" and (in_aside or not self._aside(m.start))
                    and (not self._appositive(m.start) or self._appositive(t))):
                ents.append(m.ent)
        if subject is not None and subject not in ents:
            ents.insert(0, subject)  # "Modi held talks with Putin and, separately, met Pezeshkian"
        if not ents and any(expr.after and sent.start <= ds < t for ds, _, expr in self.dates):
            # "berunding ... Sabtu (9/7), sehari setelah pertemuan para menteri luar negeri G20 berakhir": a
            # meeting told after "a day after" that names no one of its own is not one of the sentence's subject
            return None
        # the sentence's subject: its first person, before the cue, when not a speaker
        sent_ments = [m for m in sent_ments if self.entities[m.ent].type != "organization"]
        whole_ments = sent_ments  # (a pronoun after ";" may stand for the one named before it)
        cut = max([i + 1 for i in range(sent.start, s) if self.T[i] in (";", ":")], default=sent.start)
        if any(m.start >= cut for m in sent_ments):
            sent_ments = [m for m in sent_ments if m.start >= cut]  # "...: the prime minister, X, has travelled ..."
        same = self._sent_pronoun
        opens = (sent_ments and same is not None and same[0] == sent.start and s > sent.start and ents
                 and self._first_cue(sent.start, sent_ments[0].start, "pronoun") < sent_ments[0].start
                 and same[1] not in ents)
        if opens:
            # "Ia lebih dulu berunding dengan X, lalu ... memimpin perundingan bersama Y": the pronoun that
            # opens the sentence is the subject of its later clause too, not the first person named
            ents.insert(0, same[1])  # type: ignore[index]
            why.append(("pair.pronoun-subject", self.entities[same[1]].name))  # type: ignore[index]
        elif (sent_ments and sent_ments[0].start < t and not sent_ments[0].speaker and not sent_ments[0].possessive
                and sent_ments[0].ent not in ents):
            first = sent_ments[0]
            between = doc[first.end:s].text
            if any(first.end <= m.start < t and not self._aside(m.start) for m in sent_ments[1:] if m.ent != first.ent):
                between = ";"
            if ents and ";" not in between and not self._has_cue(first.end, first.end + 3, "speech"):
                ents.insert(0, first.ent)
                why.append(("pair.sentence-subject", self.entities[first.ent].name))
            elif not ents and s > sent.start and not self._has_cue(first.end, first.end + 3, "speech"):
                both = self._coordinated(sent_ments, t)
                ents[:0] = both
                why.append(("pair.coordinated-subject" if len(both) > 1 else "pair.sentence-subject",
                            ", ".join(self.entities[k].name for k in both)))
        after_subject = self._after_phrase_subject(sent, t, sent_ments, ents) if len(set(ents)) == 1 else None
        if after_subject is not None:
            ents[:0] = after_subject  # "Zelensky said after talks with Trump that ..."
            why.append(("pair.after-phrase-subject", ", ".join(self.entities[k].name for k in after_subject)))
            e = min(e, self._after_phrase_end(sent, t, sent_ments, ents))  # (what was said is no part of it)
        parallel = self._parallel_clause(sent, s, t, sent_ments, ents) if len(set(ents)) == 1 and after_subject is None else []
        if parallel:
            # "Macron avait été reçu par Trump, et Starmer y avait été accueilli jeudi": Starmer in Macron's place
            ents.extend(parallel)
            why.append(("pair.parallel-clause", ", ".join(self.entities[k].name for k in parallel)))
        antecedent = self._relative_antecedent(sent, s, t, sent_ments) if len(set(ents)) == 1 and any(
            m.ent == ents[0] and m.start > t for m in sent_ments) else None
        if antecedent is not None and antecedent not in ents:
            ents.insert(0, antecedent)  # "Mark Rutte, who was in Washington for talks with the president"
            why.append(("pair.relative-antecedent", self.entities[antecedent].name))
        if len(ents) < 2 and self._since_word(s) and self._done:
            ents = list(dict.fromkeys([*self._done[-1].ents, *ents]))
            why.append(("pair.since-previous", ""))  # "their first encounter since the G20 summit in Osaka"
        elif ents and self._clause_subject(sent, s, t, sent_ments, ents):
            # "Jokowi dijadwalkan bertemu Kishida di Tokyo, sebelum menuju Seoul untuk bertemu Yoon": a clause
            # that opens with a boundary word and names no subject has the subject of the meeting before it
            ents.insert(0, self._done[-1].ents[0])
            why.append(("pair.clause-subject", self.entities[ents[0]].name))
        anaphoric = False
        extends = False
        self._planned_now = self._planned(s, t)
        group = self._group_class(s, e, named=bool(ents), t=t)
        if group is None and not ents:
            group = self._group_class(sent.start, sent.start + 1, meet=t)  # "They met ..., and met again ..."
        if (group is None and not ents and self._done and self._done[-1].sent.start == sent.start
                and len(set(self._done[-1].ents)) >= 2 and not self._has_cue(s, e, "anaphor")
                and any(self.L[k] in _consts(self.ann.pack.code).and_words or "boundary" in self.cue_at.get(k, ())
                        for k in range(max(sent.start, s - 2), s + 1))):
            # "В январе они общались по видеосвязи, а до этого виделись в октябре в Казани": a clause with
            # no one of its own, joined to the one before, tells a meeting of the same people
            ents = list(dict.fromkeys(self._done[-1].ents))
            why.append(("pair.elliptical-clause", ""))
        pair_here = self._pair_before(group, sent, s, t)
        if pair_here:
            ents = [k for k in ents if k in pair_here] + [k for k in pair_here if k not in ents]
            why.append(("pair.group-two-before " + self._cue_ref_in("group", s, e), ""))
        elif group is not None and len(ents) >= 2 and not self._delegation_group(s, e) and not self._group_subject(
                s, t, sent_ments, ents):
            pass  # the clause names its people: "their" or "the two" adds nobody
        elif group is not None or ((len(ents) < 2 or self._anaphor_joined(sent, t)) and self._has_cue(s, e, "anaphor")):
            extends = group is not None and len(ents) >= 1 and self._delegation_group(s, e)
            add: list[int] | None
            if (group is not None and group.rstrip("23") == "" and self._done
                    and len(set(self._done[-1].ents)) >= (3 if group.endswith("3") else 2)):
                # "... hold talks with Kishida on the sidelines of APEC, their first meeting since ...": the
                # people of the meeting this sentence has just told
                add = list(dict.fromkeys(self._done[-1].ents))
            elif group is not None:
                add = self._group_event([*raws, *self._done], group, sent)  # (a meeting told earlier in this sentence too)
                main = self._main_event(raws) if add and self._anaphor_joined(sent, t) else None
                if main is not None and add is not None and not set(add) <= set(main.ents):
                    # "Beide nahmen auch an den Gesprächen in Sotschi teil": the two told last joined the meeting
                    add = [*main.ents, *(k for k in add if k not in main.ents)]
                    why.append((f"pair.anaphor {self._cue_ref_in('anaphor', s, e)}", ""))
            else:
                main = self._main_event(raws)
                add = list(main.ents) if main is not None else None
                if add is not None and not (self._has_cue(sent.start, sent.end, "join") or self._in_the_talks(sent)
                                            or self._host_of_meeting(sent)):
                    ents = []  # "the meeting" is the article's main meeting, whoever else the clause names
                    # (but its host, "The meeting was hosted by X", or one who joined it, is in it)
            if add is None:
                add = last_sent_ents if len(last_sent_ents) >= 2 else [
                    m.ent for m in self.mentions if m.start < sent.start and m.ent >= 0][-2:]
            for k in add:
                if k not in ents:
                    ents.append(k)
            why.append((f"pair.group {self._cue_ref_in('group', s, e)}" if group is not None
                        else f"pair.anaphor {self._cue_ref_in('anaphor', s, e)}", ""))
            anaphoric = group is None and bool(raws)
        host_ref = self._host_reference(sent, t, e, ents) if len(set(ents)) <= 1 else None
        if host_ref is not None:
            ents.append(host_ref)  # "Este martes se reunió con su anfitrión" (the host: Carney, under KANANASKIS (Canadá))
            why.append(("pair.host-reference", self.entities[host_ref].name))
        dropped = len(ents) >= 1 and self._dropped_subject(sent, t)
        if ((len(ents) == 1 or dropped) and not any(m.start < t for m in sent_ments) and self.subjects and s == sent.start
                and (t - sent.start <= 3 and self._has_cue(sent.start, sent.start + 1, "boundary")
                     or self._event_np_with(sent, t) or dropped)):
            prev = self.subjects[-1]
            if not dropped:
                # "Albanese met Xi. An analyst, John Smith, called it a reset. A meeting with Li is planned":
                # the last subject who has met someone in the article so far, not the commentator
                prev = next((k for k in reversed(self.subjects) if k != ents[0] and any(k in r.ents for r in raws)), prev)
            if prev != ents[0]:
                ents.insert(0, prev)
                why.append(("pair.previous-subject", self.entities[prev].name))
                if dropped:
                    # "Pela manhã, recebeu o senador X. Em seguida, reuniu-se com Y": still the same subject
                    self._pronoun_subject = prev
        lead = self._participle_subject(sent, t) if len(ents) == 1 else None
        if lead is not None and lead not in ents:
            ents.insert(0, lead)
            why.append(("pair.participle-subject", self.entities[lead].name))
        colon_subject = self._colon_dropped_subject(sent, t, ents) if len(ents) == 1 else None
        if colon_subject is not None:
            ents.insert(0, colon_subject)
            why.append(("pair.dropped-subject-after-colon", self.entities[colon_subject].name))
        own_subject = any(m.ent == ents[0] and m.start < self._first_cue(s, t + 1, "pronoun") for m in sent_ments) if ents else False
        # everyone named is after the meeting word: "ia akan menuju Tokyo dan Seoul untuk bertemu Kishida dan
        # Yoon, masing-masing ..." (a respectively list), "On Tuesday he held talks with Xi and Modi" (the
        # pronoun right before the meeting word): the pronoun is the one who meets them
        all_after = len(ents) > 1 and all(any(m.ent == k and m.start > t for m in sent_ments) for k in ents)
        objects_only = all_after and (
            (self._has_cue(sent.start, sent.end, "respectively") and not any(m.start < t and m.ent in ents for m in sent_ments)
             and not self._has_cue(self._first_cue(sent.start, t, "pronoun"), t, "speech"))
            or (self._has_cue(max(sent.start, t - 2), t, "pronoun") and not any(m.start < t for m in sent_ments))
            or self._subject_pronoun_before(sent, t, sent_ments))
        if (len(ents) == 1 or objects_only) and not own_subject and (
                self._has_cue(s, t + 1, "pronoun") or self._has_cue(sent.start, sent.start + 1, "pronoun")):
            pron = self._first_cue(s, t + 1, "pronoun")
            while pron <= t and self._appositive(pron) and not self._appositive(t):
                pron = self._first_cue(pron + 1, t + 1, "pronoun")  # ("..., since Biden ended his bid, ... her")
            # (the one who says it, too: "Trump said he had cancelled a planned summit with Putin"; not one
            # named in an appositive, "Harris, the nominee since Biden ended his bid, held her own meeting")
            # ("Kellogg est attendu mercredi à Kiev ; il doit rencontrer Zelensky": the one before the ";")
            here = [m.ent for m in (sent_ments if self.T[pron - 1] != ";" else whole_ments) if m.start < pron and m.ent != ents[0]
                    and self.entities[m.ent].type == "person" and not self.entities[m.ent].speaker
                    and (not self._appositive(m.start) or self._appositive(pron))]
            # "Trump's tour goes on to Korea, where he is due to meet Xi": the person named before the
            # pronoun in its own sentence, else the subject of the sentences before
            subj = here[-1:] or [k for k in reversed(self.subjects) if k != ents[0]]
            told = self._done[-1] if self._done and self._done[-1].sent.start == sent.start else None
            if (told is not None and here and here[-1] in told.ents and told.ents[0] != ents[0]
                    and told.trigger < pron and any(m.ent == told.ents[0] and m.start < told.trigger for m in sent_ments)):
                # "Widodo held talks with Putin on Thursday, a day after he met Zelensky": the subject of the
                # meeting the sentence told before the pronoun, not the one he met
                subj = [told.ents[0]]
                why.append(("pair.pronoun-clause-subject", self.entities[subj[0]].name))
            same = self._sent_pronoun
            if (same is not None and same[0] == sent.start and same[1] != ents[0] and subj
                    and self._done and subj[0] in self._done[-1].ents):
                # "On Tuesday he held talks with Xi and Modi, and on Wednesday he received Erdogan": the
                # second "he" is the first one, not a person he met
                subj = [same[1]]
            if subj:
                ents.insert(0, subj[0])
                why.append(("pair.pronoun", self.entities[subj[0]].name))
                self._sent_pronoun = (sent.start, subj[0])
                if self._opening_pronoun(sent, sent_ments):
                    # "He met X. He then met Y", "Earlier on Friday, he met X. On Thursday he ...": the same "he"
                    self._pronoun_subject = subj[0]
        rule = None
        if len(ents) == 1 and own_subject:
            if self._has_cue(t + 1, min(t + 3, sent.end), "pronoun"):
                rule = "pair.object-pronoun"  # "Zelensky flew to London, where Starmer is due to receive him"
            elif self._object_pronoun_before(sent_ments, ents[0], t):
                # "lorsque Xi Jinping l'avait reçu à Pékin", "November 2022 hatte Xi ihn ... empfangen": a
                # clitic or object pronoun between the subject and the meeting word is the other side
                rule = "pair.object-pronoun-before"
        if rule is not None:
            obj = self._object_referent(sent_ments, ents[0], t, raws)
            if obj is not None:
                self._object_ent = obj
                ents.append(obj)
                why.append((rule, self.entities[obj].name))
        agent = self._passive_agent(sent, t, sent_ments)
        if agent is not None and self._done and self._done[-1].ents and self._done[-1].ents[0] != agent:
            # "Wang held talks with Blinken and was received by Biden": the one received is the subject of
            # the meeting told before in the sentence, not its other side
            ents = [self._done[-1].ents[0], agent]
            why.append(("pair.passive", self.entities[agent].name))
        ents = [k for k in ents if not self.entities[k].speaker]
        host = self._visit_host(sent, t, ents, raws) if len(set(ents)) == 1 else None
        if host is not None:
            ents.append(host)
            why.append(("pair.visit-host", self.entities[host].name))
        pair_before = self._pair_right_before(t, sent_ments) if len(set(ents)) > 2 else None
        if pair_before is not None and all(k in ents for k in pair_before):
            # "the understandings reached by Putin and Trump at their summit": the two joined right
            # before a gathering word are its sides, not the others the sentence names
            ents = pair_before
            why.append(("pair.coordinated-before-gathering", ", ".join(self.entities[k].name for k in ents)))
        if self._attendee_list(sent, s, t, ents, sent_ments):
            self._attendee_sents.add(sent.start)  # (its people join no meeting either)
            return None  # "The G20 meeting brought together leaders including A, B and C": who attended
        if self._gathering_alone(sent, t, s, e, ents, sent_ments):
            return None  # "leaders A, B and C attended the summit": an attendee list, not a meeting between them
        if host is None and self._trip_only(sent, t) and not self._has_cue(s, t, "invite"):  # (X invited Y to visit Z: X hosts)
            return None  # "a visit to Japan with Sugiono", "who visited Moscow in July": a trip, not a meeting
        # status
        near = range(max(s, t - self.ann.pack.window("negation_before")), t)
        if any("negation" in self.cue_at.get(i, ()) and not (self._aside(i) and not self._aside(t))
               and "planned" not in self.cue_at.get(i, ()) for i in near):  # ("aucune date n'a été arrêtée pour un sommet": a plan)
            return None
        if self._negated_chain(s, t):
            return None  # "would not go to Saudi Arabia to meet X"
        if self._multiword_cue(s, t, "negation") or self._clause_negation(s, t):
            return None
        if self._hypothetical_before(s, t) or self._cue_after(t, e, "negation") or self._cue_after(t, e, "hypothetical"):
            return None
        status: Status = "occurred"
        lo, hi = self._between_triggers(sent, t)
        if self._has_cue(min(s, lo), max(e, hi), "cancelled"):
            status = "cancelled"
            why.append((f"status.cancelled {self._cue_ref_in('cancelled', min(s, lo), max(e, hi))}", status))
        elif self._future_tense(sent, s, t):
            status = "planned"
            why.append(("status.future-tense", status))
        elif (planned_any := self._planned_any(s, t, e)) or self._invited(s, t):
            status = "planned"
            kind = "planned" if planned_any else "invite"
            why.append((f"status.{kind} {self._cue_ref_in(kind, max(s, t - max(12, _consts(self.ann.pack.code).planned_reach)), e)}", status))
            past = self._past_plan(sent, s, t)
            if past is not None:
                status = past  # "had been due to meet": called off if the text says so, else it took place
                why.append(("status.past-plan", status))
        present = status == "occurred" and self._present(t)
        in_clause = present and s < t and self.L[s] in _consts(self.ann.pack.code).plan_clause_words
        if in_clause:
            # "when he sits down with Putin in Alaska", "before Trump meets Putin": a coming meeting
            status = "planned"
            why.append((f"status.present-in-clause {self._cue_ref_in('meet', t, t + 1)}", status))
        mode = "remote" if self._has_cue(s, e, "remote") else "in-person"
        if mode == "remote":
            why.append((f"mode.remote {self._cue_ref_in('remote', s, e)}", mode))
        self._date_expr, self._date_tok = None, None
        # a day told with a verb in the simple present is read forward ("Trump and Putin meet in Alaska
        # on Friday"): after publication it is a plan (status.date-after-publication below)
        ahead = status == "planned" or present
        date = self._date_in(s, e, t, ahead) or (None if in_clause or after_subject is not None
                                                 else self._date_in(lo, hi, t, ahead))
        told = next((d for d in self._done if d.date is not None and d.date_tok is not None and d.date_tok == self._date_tok), None)
        named = self._date_expr is not None and not (self._date_expr.shift or self._date_expr.same or self._date_expr.after)
        if date is not None and told is not None and told.date != date and named:
            # "recibe el miércoles a X para preparar la cumbre": a day named once (a weekday, a month) is the
            # same day for every meeting word that takes it (read forward for the first, it is not last
            # week's for the second); a relative one ("a day before") may count from another meeting
            date = told.date
        if date is None and shared_head is not None:
            # "On Tuesday, Modi held talks with Putin and, separately, met Pezeshkian": the day told before
            # the first of the two meetings is the second's too
            date = self._date_in(shared_head[0], shared_head[1], t, status == "planned")
        if date is None and status == "occurred" and s > sent.start:
            # "Her previous state visit, in September 2022, produced a deal after talks with Modi": the day
            # the sentence told before the meeting's clause
            date = self._date_in(sent.start, s, t, False)
            if date is not None:
                self._date_note = ("date.sentence-before", "")
        listed = self._date_list(s, e, t) if date is not None and status != "planned" else []
        if listed:
            # "had spoken twice by telephone this year, in February and in September": a meeting on each
            self._date_tok, self._date_expr, date = listed[0]
            self._date_note = None
        more = [(d, x.text) for _, x, d in listed[1:]]
        if date is not None and self._date_expr is not None:
            why.append(("date.in-clause", self._date_expr.text))
            if self._date_note is not None:
                why.append(self._date_note)
        if status == "cancelled" and date is not None and self._date_expr is not None and self._planned_date(
                self._date_tok, min(s, lo), max(e, hi)):
            # "originally planned for June, called off": the June nearest to publication, ahead or behind
            # ("called off in February" is when it was called off, and stays in the past)
            options = [d for d in (date, resolve(self._date_expr, self.pub, future=True)) if d is not None]
            date = min(options, key=lambda d: abs((d.first_day() - self.pub).days))
        if (status in ("planned", "cancelled") and date is not None and self._date_tok is not None
                and any(0 <= self._date_tok - ce <= 2 for _, ce in self.cues.get("speech", []))):
            date = None  # "said on Tuesday that a meeting ... has no date yet": the day it was said
        if status == "occurred" and date is not None and _ahead(self._date_expr):
            status = "planned"  # "next week", "la semana próxima": ahead of the publication, whatever its precision
            why.append(("status.date-ahead", status))
        if date is None and self.pending_date is not None and (status != "planned" or _ahead(self.pending_date)):
            # (a planned meeting is not dated by the day a sentence before was told: "said on Tuesday")
            date = resolve(self.pending_date, self.pub, future=status == "planned")
            if date is not None:
                why.append(("date.carried-over", self.pending_date.text))
        told_day = self._date_expr is not None and self._date_expr.day is not None  # "terça-feira (30)", "30 May"
        if status == "occurred" and date is not None and date.first_day() > self.pub + dt.timedelta(days=0 if told_day else 1):
            status = "planned"
            why.append(("status.date-after-publication", status))
        place = self._place(s, e, t, sent) if mode == "in-person" else None  # a call has no one place
        if place is not None:
            why.append(("place.locative", place.name))
        earlier = self._has_cue(max(s, t - self.ann.pack.window("earlier_before")), t + 1, "earlier")
        since_told = self._since_told(sent, t)
        if since_told:
            earlier = True  # "since their encounter in Bali": the encounter came before
            why.append(("date.since-earlier", self.T[since_told]))
        elif earlier and self._first_since_head(sent, t):
            earlier = False  # "the first time the two had met since ...": this meeting, not the earlier one
        # the dateline is where the reporter is: it places a meeting only where the sentence names no place,
        # or names only the country the dateline's city is in ("met in Indonesia" under JAKARTA)
        coarse = place is None or (place.venue is None and place.city is None and place.region is None
                                   and self.dateline is not None and place.country == self.dateline.country)
        if place is None and mode == "in-person":
            # a place the sentence names after "in"/"at" outside the meeting word's clause ("..., on the
            # sidelines of the BRICS summit in Kazan") before the dateline, which is where the reporter is
            hit = self._place_in(sent.start, after_cut, t, skip_since=True)
            if hit is not None:
                place = _to_place(hit[1], hit[2], None)
                coarse = False
                why.append(("place.in-sentence", place.name))
        if (place is None and mode == "in-person" and not earlier and self.summit_place is not None
                and self._sidelines_of_summit(s, e)):
            place = _to_place(self.summit_place[0], self.summit_place[1], None)
            coarse = False
            why.append(("place.summit-told-before", place.name))
        if place is None and mode == "in-person" and status == "occurred" and not earlier and self.pending_place is not None:
            place = _to_place(self.pending_place[0], self.pending_place[1], None)
            coarse = False
            why.append(("place.carried-over", place.name))
        # (a planned meeting only where the sentence names no other place: "Dari Beijing, ia akan menuju
        # Tokyo dan Seoul untuk bertemu ..." is not in Beijing)
        elsewhere = any(sent.start <= ps < sent.end and rec.name != self.dateline.name
                        for ps, _, rec, _ in self.places) if self.dateline is not None else True
        if coarse and self.dateline is not None and mode == "in-person" and not earlier and (
                status == "occurred" or (status == "planned" and not elsewhere)) and (
            (date is not None and date.as_date() is not None and abs((date.as_date() - self.pub).days)  # type: ignore[operator]
             <= self.ann.pack.window("dateline_days"))
            or (date is None and sent.start < 80 and status != "cancelled")
        ):
            if self.headline_place is not None and self.headline_place.name != self.dateline.name:
                # the reporter's city is not the meeting's when the headline names another
                place = _to_place(self.headline_place, None, None)
                why.append(("place.headline", place.name))
            elif (self.summit_place is not None and self.summit_lead and self.summit_place[0].name != self.dateline.name
                  and not any(r.sent.start == self.summit_sent and r.place is not None
                              and r.place.name != self.summit_place[0].name for r in [*raws, *self._done])):
                # "МОСКВА — В Казани завершился саммит БРИКС ... В среду Путин встретился с Пезешкианом": the
                # lead's gathering is where the article's meetings were held, not the reporter's city (unless
                # the lead's own meeting is placed elsewhere: "bertemu Lula di Istana Planalto ... setelah
                # menghadiri KTT BRICS di Rio de Janeiro")
                place = _to_place(self.summit_place[0], self.summit_place[1], None)
                why.append(("place.summit-told-before", place.name))
            else:
                place = _to_place(self.dateline, None, None)
                why.append(("place.dateline", place.name))
        if raws and any(cs <= t < ce for cs, ce in self.cues_in("anaphor", max(0, t - 8), t + 1)):
            anaphoric = True  # "this visit", "lawatan ini": told before, not a new meeting
        shell = self.shell
        if (shell is not None and not earlier and len(set(ents)) >= 2 and set(shell.ents) & set(ents) and mode == shell.mode
                and sent.start - shell.sent.end < self.ann.pack.window("lead_sentence_reach") and (place is None or shell.place is None or _inside(place, shell.place))
                and (date is None or (shell.date is not None and date.compatible(shell.date)))):
            # "Putin held a series of talks in Tianjin on 1 September. ... With Erdogan, Putin discussed ...":
            # a meeting of the person the lead sentence placed and dated takes that place and date
            # (not a date the lead tells of something long before: "the partnership they proclaimed in 2022")
            recent = shell.date is not None and shell.date.as_date() is not None and 0 <= (
                self.pub - shell.date.as_date()).days <= self.ann.pack.window("lead_days")  # type: ignore[operator]
            if date is None and status == "planned" and recent and shell.status == "occurred":
                # "Merz reist am Donnerstag nach Washington, wo ihn Trump empfangen wird": the lead's day,
                # read forward for the plan
                told = [expr for ds, _, expr in self.dates if shell.sent.start <= ds < shell.sent.end and not expr.same]
                date = resolve(told[0], self.pub, future=True) if told else None
            date = date or (shell.date if recent or shell.status != "occurred" else None)
            place = place or shell.place
            why.append(("pair.lead-sentence", ""))
        raw = Raw(ents, status, mode, date, place, sent, t, anaphoric, why=why, more_dates=more)
        raw.earlier = earlier
        raw.since_told = bool(since_told)
        if self._date_tok is not None and date is not None:
            raw.date_tok = self._date_tok
            lo_, hi_ = min(t, self._date_tok), max(t, self._date_tok)
            # the date is the meeting word's own, not one told in a clause between ("this visit was his
            # first after the election of 14 February", "membership, which took effect in January")
            raw.own_date = not self._has_cue(lo_ + 1, hi_, "boundary") and not any(
                self.L[k] in _consts(self.ann.pack.code).rel_words for k in range(lo_ + 1, hi_))
        raw.first_head = not since_told and self._first_since_head(sent, t)
        raw.place_weak = any(w[0] in ("place.dateline", "place.headline") for w in why)
        raw.extends = extends
        raw.joined = (self._has_cue(sent.start, sent.end, "join") or self._in_the_talks(sent)
                      or (anaphoric and self._host_of_meeting(sent)))
        near_lo, near_hi = max(s, t - 3), min(e, t + 4)
        raw.bilateral = self._has_cue(near_lo, near_hi, "bilateral")
        if raw.bilateral:  # "a bilateral meeting": merge never folds it into a larger session
            why.append((f"shape.bilateral {self._cue_ref_in('bilateral', near_lo, near_hi)}", ""))
        if date is None and status == "occurred" and not raw.earlier and self._during_told(sent):
            raw.during_date = self._last_date  # "in the middle of the talks, Trump called Putin": that day
        if len(set(ents)) < 2:
            # "US and Russian officials met in Riyadh on Tuesday": who comes in the next sentences
            old = self.shell
            if (old is not None and set(raw.ents) <= set(old.ents) and raw.status == old.status and raw.mode == old.mode
                    and sent.start - old.sent.end < self.ann.pack.window("join_reach")):
                # "Die Delegation verhandelte am Samstag mit Putin. Das Treffen fand im Konstantinpalast
                # statt.": the meeting just told, now placed (not a new one without its people)
                if place is not None and (old.place is None or old.place_weak or _inside(place, old.place)):
                    old.place, old.place_weak = place, raw.place_weak
                old.date = old.date or date
                old.extra_sents.append(sent)
            elif not anaphoric and (date is not None or place is not None):
                self.shell = raw
            return None
        return raw

    def cues_in(self, kind: str, s: int, e: int) -> list[tuple[int, int]]:
        """The cues of ``kind`` that start in [s, e), by bisection (work per meeting word stays
        bounded however many cues the article has)."""
        starts = self._cue_starts.get(kind)
        if not starts:
            return []
        spans = self.cues[kind]
        return spans[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]

    def _cue_end(self, kind: str, t: int) -> int:
        """Where the longest cue of ``kind`` that starts at token t ends (t + 1 when none does)."""
        return self._cue_ends.get(kind, {}).get(t, t + 1)

    def _proxy(self, m: PMention) -> bool:
        """The person is named right after a proxy phrase ("a letter from", "a message from", "surat dari"):
        they sent word and were not in the room."""
        start = self._title_starts.get(m.start, m.start)
        return any(0 <= start - ce <= 1 for _cs, ce in self.cues_in("proxy", max(0, start - 8), start))

    def _in_the_talks(self, sent: Span) -> bool:
        """An entourage word that goes on with the meeting it names ("accompanied in the talks by X",
        "didampingi dalam pertemuan itu oleh X"): X took part in that meeting, as one who joined it."""
        return any(self._talks_after(ce, sent.end) for _, ce in self.cues_in("entourage", sent.start, sent.end))

    def _talks_after(self, k: int, hi: int) -> list[tuple[int, int]]:
        """The anaphors of the meeting ("the talks", "pertemuan itu") starting within three words from k,
        before hi: after an entourage word, they make its people ones who took part."""
        return self.cues_in("anaphor", k, min(k + 3, hi))

    def _entourage(self, sent: Span, t: int) -> set[int]:
        """Token positions of the people an entourage cue introduces in this sentence ("accompanied by
        X and Y", "didampingi X"): from the cue to the next comma, semicolon or bracket, or to the
        meeting word when it comes after."""
        out: set[int] = set()
        for cs, ce in self.cues_in("entourage", sent.start, sent.end):
            if not (sent.start <= cs < sent.end) or cs <= t < ce:
                continue
            if self._talks_after(ce, sent.end):
                continue  # "accompanied in the talks by X": X took part in them (_in_the_talks)
            k = ce
            while k < sent.end and self.T[k] not in (",", ";", ")", "(", "—", "–") and k != t:
                out.add(k)
                k += 1
        return out

    def _gathering_alone(self, sent: Span, t: int, s: int, e: int, ents: list[int], sent_ments: list[PMention]) -> bool:
        """A gathering word (summit, KTT, sommet, Gipfel) without the structure of a meeting between
        people: no "between", no "with" right after it, no "X-Y summit", not "X and Y held a summit"."""
        consts = _consts(self.ann.pack.code)
        end = self._cue_end("meet", t)
        if not self._gathering(t, end):
            # "the Kazan summit, hosted by X, brought together ...": the summit is what was hosted
            before = [(cs, ce) for cs, ce in self.cues_in("meet", max(sent.start, t - 4), t) if self._gathering(cs, ce)]
            if not before or not any(self.T[k] == "," for k in range(before[-1][1], t)):
                return False
        after = self.L[end:min(end + 3, sent.end)]
        if any(w in consts.between_words for w in after):
            return False
        for k in range(end, min(end + 3, sent.end)):
            # "a summit with Putin": a meeting with the people named (not "ein Gipfel mit den Staatschefs
            # aller fünf Republiken", a title that stands for no one in particular)
            if self.L[k] in consts.with_words and any(
                    (m := self.tok_ment.get(q)) is not None and m.kind != "title" for q in range(k + 1, min(k + 6, sent.end))):
                return False
        if after and after[0] in consts.of_words and any(k in self.tok_ment for k in range(end + 1, min(end + 4, sent.end))):
            return False  # "the summit of Trump and Putin", "der Gipfel von Trump und Putin"
        if end < sent.end and end in self.tok_ment and end + 1 < sent.end and (
                self.L[end + 1] in consts.and_words or self.T[end + 1] in ("-", "–")):
            return False  # "саммит Путина и Трампа": the two sides right after the word
        if any(w in consts.between_words for w in self.L[max(sent.start, t - 8):t]):
            return False
        if t >= 3 and self.T[t - 2] in ("-", "–") and t - 1 in self.tok_ment and t - 3 in self.tok_ment:
            return False  # "the Biden-Xi summit"
        if self._has_cue(max(s, t - 3), min(e, t + 4), "bilateral"):
            return False
        if self._since_word(s) and len(set(ents)) == 2 and self._done and set(ents) == set(self._done[-1].ents):
            return False  # "their first encounter since the G20 summit in Osaka in 2019": where the two last met
        if len(set(ents)) == 2 and self._their_nth(t):
            return False  # "Their second summit, in Hanoi in February": a summit of the two
        if len(set(ents)) == 2 and self._pair_holds(s, t):
            return False  # "On Monday the two men co-chaired the summit": the pair as its subject
        before = [m for m in sent_ments if m.start < t and m.ent in ents]
        return not (len(set(ents)) == 2 and len({m.ent for m in before}) == 2)

    def _attendee_list(self, sent: Span, s: int, t: int, ents: list[int], sent_ments: list[PMention]) -> bool:
        """ "The G20 meeting itself brought together leaders including A, B and C", "The Kazan summit,
        hosted by Putin, brought together leaders including ...": a meeting word with no person before it
        in its clause (but its host, "hosted by X"), whose people are named after a list word (pack words
        ``attendee_list_words``: "including", "termasuk", "darunter"), lists who attended, not a meeting
        among them."""
        consts = _consts(self.ann.pack.code)
        if not consts.attendee_list or len(set(ents)) < 3:
            return False
        k0 = next((k for k in range(t + 1, sent.end) for w in consts.attendee_list if self.L[k:k + len(w)] == w), None)
        if k0 is None:
            return False
        if any(s <= m.start < t and m.ent in ents and not any(self.L[q] in consts.passive_by for q in range(max(s, m.start - 4), m.start))
               for m in sent_ments):
            return False  # "Biden met leaders including ...": the one who met them
        after = {m.ent for m in sent_ments if m.start > k0 and m.ent in ents}
        hosts = {m.ent for m in sent_ments if sent.start <= m.start < t and m.ent in ents}
        # (every other side is the host named in the clause: "met deputies, among them A and B" with its
        # subject dropped is a meeting with them)
        return len(after) >= 2 and set(ents) - after <= hosts

    def _pair_holds(self, s: int, t: int) -> bool:
        """A group phrase of two ("the two men") a few words before the gathering word t, with no
        preposition between: the pair held it ("the two men co-chaired the third summit"), not a summit
        they were invited to ("Keduanya telah diundang ke KTT G20") or talked about."""
        consts = _consts(self.ann.pack.code)
        for cs, ce in self.cues_in("group", s, t):
            if (0 < t - ce <= 6 and (self._group_class(cs, ce) or "").endswith("2") and not any(
                    self.L[k] in consts.locative_words or self.L[k] in consts.of_words or self.L[k] in consts.purpose_words
                    for k in range(ce, t))):
                return True
        return False

    def _their_nth(self, t: int) -> bool:
        """A possessive group word, then an ordinal or an earlier cue, right before the meeting word t
        ("their second summit", "their previous summit"; pack words ``ordinal_words``)."""
        consts = _consts(self.ann.pack.code)
        if t < 2 or self.L[t - 2] not in consts.possessive_groups:
            return False
        return self.L[t - 1] in consts.ordinal_words or self.L[t - 1] in consts.first_words or self._has_cue(t - 1, t, "earlier")

    def _trip_only(self, sent: Span, t: int) -> bool:
        """A travel word (the pack's roles.toml: visit, kunjungan, визит*) whose object is a place and
        not a person: "visited Moscow", "kunjungan ke Jepang". A trip is a meeting only when the text
        names whom the traveller met ("visited Putin", "a visit to Putin", "met ... during the visit")."""
        return self._trip_to(sent, t) is not None

    def _trip_to(self, sent: Span, t: int) -> tuple[int, int] | None:
        """Where a trip told at the travel word t goes: the destination's token span, or None when the
        word is no travel word or its object is not a place."""
        pattern = travel_cues(self.ann.pack.code)
        end = self._cue_end("meet", t)
        if pattern is None or not pattern.search(self.doc[t:end].text):
            return None
        k = end
        indefinite = _consts(self.ann.pack.code).indefinite
        while k < min(end + 3, sent.end) and self.T[k].islower() and k not in self.tok_ment:
            if k in self._title_toks or "counterpart" in self.cue_at.get(k, ()):
                return None  # "recebeu o presidente da França", "su homólogo turco": a person named by a title
            if k == end and "host" in self.cue_at.get(t, ()) and self.L[k] in _consts(self.ann.pack.code).passive_by and any(
                    q in self._person_starts or "counterpart" in self.cue_at.get(q, ()) for q in range(k + 1, min(k + 4, sent.end))):
                return None  # "fue recibido por su homólogo": the one who received, not a destination
            if (self.L[k] in indefinite and "host" not in self.cue_at.get(t, ()) and k + 1 < sent.end
                    and k + 1 not in self._title_toks and k + 1 not in self.tok_ment):
                return (k, k + 2)  # "mengunjungi sebuah rumah sakit", "visited a factory": a place, not a person
            k += 1  # "to", "ke", "à", "official"
        place_end = self.countries[k][0] if k in self.countries else next(
            (pe for ps, pe, _, _ in self.places if ps == k), None)
        if place_end is None:
            return None
        # "hosted Hungarian Prime Minister X": a country word before a title or a name is not a destination
        if place_end < sent.end and self.T[place_end] in ("'s", "’s"):
            # "welcomed Indonesia's new president, Prabowo Subianto": the country's person, a few words on
            if any(j in self.tok_ment or j in self._title_toks for j in range(place_end + 1, min(place_end + 6, sent.end))):
                return None
        nxt = place_end
        if "host" in self.cue_at.get(t, ()):
            # "recibió en La Moncloa al presidente de Chile": a host's place is the venue, the guest follows
            while nxt < min(place_end + 2, sent.end) and self.T[nxt].islower() and nxt not in self._title_toks:
                nxt += 1
        by = _consts(self.ann.pack.code).passive_by
        if place_end < sent.end and self.L[place_end] in by and any(
                q in self._person_starts or q in self._title_toks for q in range(place_end + 1, min(place_end + 5, sent.end))):
            return None  # "was received in Abu Dhabi by UAE President X", "fue recibido en Pekín por el presidente chino"
        return None if nxt < sent.end and (nxt in self.tok_ment or nxt in self._title_toks) else (k, place_end)

    def _visit_host(self, sent: Span, t: int, ents: list[int], raws: list[Raw]) -> int | None:
        """ "Muizzu made a state visit to New Delhi on October 7 last year", in a report of Modi and
        Muizzu's talks: a trip of one of the article's main pair to the other's country is a meeting
        of the two. The host is the one person of the main meeting from the destination's country."""
        if self._has_cue(t, t + 1, "host"):
            return None  # "menyambut keanggotaan penuh Indonesia": the host's own word, no one travelled
        trip = self._trip_to(sent, t)
        main = next((r for r in raws if r.status == "occurred" and not r.earlier), None)
        if trip is None or main is None or ents[0] not in main.ents:
            return None
        k, _ = trip
        if any(ps == k and rec.kind == "region" for ps, _, rec, _ in self.places):
            return None  # "expected to visit Bali for a conference": a trip to a region, not to the host's capital
        country = self.countries[k][1] if k in self.countries else next(
            (rec.country for ps, _, rec, _ in self.places if ps == k), None)
        if country is None or self.entities[ents[0]].country == country:
            return None
        hosts = [h for h in dict.fromkeys(main.ents) if h != ents[0] and self.entities[h].country == country
                 and self.entities[h].type == "person"]
        return hosts[0] if len(hosts) == 1 else None

    def _hypothetical_before(self, s: int, t: int) -> bool:
        """A hypothetical cue ("proposed", "hopes") in the clause before the meeting word t governs it,
        unless another meeting word comes between and t is in a phrase of its own with its own "with":
        "Biden proposed the summit in a telephone call with Putin" (the call took place; the summit is
        what was proposed), not "negou que Putin vá se reunir com Trump durante a cúpula"."""
        cues = self.cues_in("hypothetical", s, t)
        if not cues:
            return False
        consts = _consts(self.ann.pack.code)
        # t opens a phrase of its own ("in a telephone call") and names its own other side ("with Putin")
        framed = any(self.L[q] in consts.locative_words or "during" in self.cue_at.get(q, ())
                     for q in range(max(s, t - 3), t)) and any(
            self.L[q] in consts.with_words for q in range(t, min(t + 4, len(self.doc))))
        for _, he in cues:
            between = any(self._meet_word(q) for q in range(he, t))
            if not (between and framed):
                return True
        return False

    def _future_tense(self, sent: Span, s: int, t: int) -> bool:
        """A verb in the simple future among the words before the meeting word or the word itself
        ("se trasladará a Brasilia ... visita", "se reunirá", "rencontrera"): the pack's future
        endings, on lower-case words of five letters or more that are no other cue."""
        endings = _consts(self.ann.pack.code).future_endings
        if not endings:
            return False
        for k in range(max(s, t - self.ann.pack.window("planned_before")), min(t + 1, sent.end)):
            w = self.T[k]
            if (len(w) >= 5 and w.islower() and w.endswith(endings) and k not in self.tok_ment
                    and not (self.cue_at.get(k, set()) - {"meet", "planned"})):
                return True
        return False

    def _past_plan(self, sent: Span, s: int, t: int) -> Status | None:
        """A plan told in the past ("had been due to", "sedianya", "devait initialement"): "cancelled"
        when this sentence or the next says it was called off, else "occurred" (the meeting told is
        the one that took place, as planned or not); None when the plan is not a past one."""
        consts = _consts(self.ann.pack.code)
        if not any(self.doc[cs:ce].text.lower() in consts.past_plans
                   for cs, ce in self.cues_in("planned", max(s, t - consts.planned_reach), t + 2)):
            return None
        nxt = self._next_sent(sent)
        return "cancelled" if self._has_cue(sent.start, nxt.end if nxt else sent.end, "cancelled") else "occurred"

    def _negated_chain(self, s: int, t: int) -> bool:
        """A negation further back that still governs the meeting word: nothing but words, places and
        dates between them ("did not travel to Riyadh to meet", "tidak akan berangkat ke Moskow untuk
        bertemu"), no comma, no person and no other clause."""
        reach = self.ann.pack.window("negation_chain")
        for i in range(t - 1, max(s, t - reach) - 1, -1):
            if self.T[i] in (",", ";", ":") or i in self.tok_ment or "boundary" in self.cue_at.get(i, ()):
                return False
            if "negation" in self.cue_at.get(i, ()):
                # "aucune date n'a été arrêtée pour un sommet": the negation of a no-date-yet phrase (a planned
                # cue the pack marks "after") that opens the chain denies the date, not the meeting
                undated = _consts(self.ann.pack.code).after.get("planned", {})
                return not any(self.doc[cs:ce].text.lower() in undated for cs, ce in self.cues_in("planned", max(s, i - 4), i + 1))
        return False

    def _cue_why(self, kind: str, t: int) -> tuple[str, str]:
        """(rule id, text) of the cue of ``kind`` that starts at token t."""
        end = self._cue_end(kind, t)
        text = self.doc[t:end].text
        return f"{kind} {_cue_ref(_consts(self.ann.pack.code), kind, text)}".strip(), text

    def _cue_ref_in(self, kind: str, s: int, e: int) -> str:
        """The pack line of the first cue of ``kind`` in [s, e) ("en/cues.jsonl:88"), or ""."""
        for cs, ce in self.cues_in(kind, s, e):
            if s <= cs < e:
                return _cue_ref(_consts(self.ann.pack.code), kind, self.doc[cs:ce].text)
        return ""

    def _between_triggers(self, sent: Span, t: int) -> tuple[int, int]:
        """The part of the sentence closer to this cue than to another cue with its own people."""
        others = [o for o in self._sent_triggers if o != t and sent.start <= o < sent.end and abs(o - t) > 3]
        lo = max([(o + t) // 2 + 1 for o in others if o < t], default=sent.start)
        hi = min([(o + t) // 2 + 1 for o in others if o > t], default=sent.end)
        return lo, hi

    def _join(self, sent: Span, sent_ments: list[PMention], raws: list[Raw]) -> None:
        """People in a "led by / took part / accompanied by / led the two delegations" sentence join the
        meeting just told: told in a sentence of its own, the delegation it describes was in the room.
        (In the sentence of the meeting itself, "X, accompanied by Y, met Z", Y is apart from it: see
        :meth:`_entourage`.)"""
        # ("membawa pesan dari X": word sent, no one joined; "ikut mendampingi Presiden": the entourage word decides)
        joins = self._join_cues(sent.start, sent.end)
        joining = (bool(joins) or (self._has_cue(sent.start, sent.end, "entourage")
                                                                   and not self._one_side_entourage(sent, sent_ments, raws))
                   or self._delegation_group(sent.start, sent.end))  # "X and Y led the two delegations"
        # "Gastgeber des Dreiertreffens war X", "The talks were hosted by X": the host of the meeting just
        # told, in a sentence that names no meeting of its own
        if not joining and not self._host_of_meeting(sent):
            return
        people: list[int] = []
        for m in sent_ments:
            ent = self.entities[m.ent]
            if (not m.speaker and not ent.speaker and not m.possessive and ent.type == "person" and m.ent not in people
                    and not self._proxy(m)):  # ("led by Medinsky, an aide to President Putin": not Putin)
                people.append(m.ent)
        if not people:
            return
        if not joining:
            # the host: of the meeting told just before (the sentence names a meeting, not who is in it);
            # the host is the one the host word names ("hosted by X", "X was host"), not anyone in the
            # sentence ("the largest gathering hosted by Russia ..., to isolate Putin")
            hosts = self.cues_in("host", sent.start, sent.end)
            near = [m.ent for m in sent_ments if m.ent in people and any(
                0 <= m.start - he <= 6 or 0 <= hs - m.end <= 3 for hs, he in hosts)]
            people = list(dict.fromkeys(near))
            if not people:
                return
            before = [r for r in raws if r.sent.start < sent.start and r.status == "occurred"]
            if before and sent.start - before[-1].sent.end <= self.ann.pack.window("join_reach"):
                best = before[-1]
                best.why.append((f"pair.host-of-meeting {self._cue_ref_in('host', sent.start, sent.end)}",
                                 ", ".join(self.entities[k].name for k in people)))
                best.ents.extend(k for k in people if k not in best.ents)
                best.extra_sents.append(sent)
            return
        shell = self.shell
        if shell is not None and shell.sent.end >= sent.start - self.ann.pack.window("join_reach"):
            shell.why.append((f"pair.join {self._join_ref(sent)}",
                              ", ".join(self.entities[k].name for k in people)))
            for k in people:
                if k not in shell.ents:
                    shell.ents.append(k)
            shell.extra_sents.append(sent)
            if len(set(shell.ents)) >= 2 and shell not in raws:
                raws.append(shell)
            return
        self._pending_join = (sent, people)  # applied once every meeting of the article is known
        return

    def _join_cues(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The join cues in [lo, hi) that join someone: not one followed by a proxy cue ("membawa pesan dari
        X": a message sent, no one joined) nor by an entourage word ("ikut mendampingi Presiden"), nor one
        denied right before it ("Sheinbaum no participó en la reunión", "did not take part")."""
        return [(cs, ce) for cs, ce in self.cues_in("join", lo, hi)
                if not self._has_cue(ce, min(ce + 2, hi), "proxy") and not self._has_cue(ce, ce + 1, "entourage")
                and not self._has_cue(max(lo, cs - 3), cs, "negation")]

    def _trailing_join(self, sent: Span, trig: list[int], sent_ments: list[PMention], raws: list[Raw]) -> None:
        """People told in a clause of their own after the sentence's last meeting word, with a join cue,
        joined the meeting the sentence told: "... moved on to expanded talks; on the Russian side Lavrov
        and Shoigu took part", "..., which Lavrov and Shoigu also attended". Not a meeting of their own."""
        consts = _consts(self.ann.pack.code)
        last = max(trig)
        joins = [cs for cs, _ in self._join_cues(last + 1, sent.end)]
        if not joins:
            return
        end = self._cue_end("meet", last)
        brk = next((k for k in range(end, joins[0])
                    if self.T[k] == ";" or (self.T[k] == "," and k + 1 < sent.end and self.L[k + 1] in consts.rel_words)), None)
        # "..., num encontro em que participou também X": a relative clause on the meeting noun itself
        noun_clause = brk is None and any(self.L[k] in consts.rel_words for k in range(end, min(end + 2, joins[0])))
        if noun_clause:
            brk = next(k for k in range(end, min(end + 2, joins[0])) if self.L[k] in consts.rel_words)
        if brk is None:
            return
        people = list(dict.fromkeys(
            m.ent for m in sent_ments if m.start > brk and not m.speaker and not m.possessive and not self._proxy(m)
            and self.entities[m.ent].type == "person" and not self.entities[m.ent].speaker))
        mine = [r for r in raws if r.sent is sent]
        target = next((r for r in reversed(mine) if not set(r.ents) <= set(people)), None)
        if noun_clause and target is not None:
            # (the meeting noun in apposition to a meeting the sentence told: "foi recebido por Lourenço ...,
            # num encontro em que ...": that meeting, not one of its own)
            first = next((r for r in mine if r is not target and set(target.ents) - set(people) <= set(r.ents)), None)
            if first is not None:
                raws.remove(target)
                target = first
        if not people or target is None or set(people) <= set(target.ents):
            return
        for r in mine:
            if r is not target and set(r.ents) <= set(people):
                raws.remove(r)  # (the joiners' own "meeting": they met no one apart)
        target.why.append((f"pair.trailing-join {self._cue_ref_in('join', joins[0], sent.end)}",
                           ", ".join(self.entities[k].name for k in people)))
        if any(w[0].startswith(("pair.group", "pair.anaphor")) for w in target.why) and any(
                r.sent is not sent and set(r.ents) <= set(target.ents) for r in raws):
            # "The leaders then moved to expanded talks; ... took part": more people at the meeting told before
            target.anaphoric = target.joined = True
        target.ents.extend(k for k in people if k not in target.ents)

    def _one_side_entourage(self, sent: Span, sent_ments: list[PMention], raws: list[Raw]) -> bool:
        """ "Jokowi didampingi Ibu Iriana dan Menteri Luar Negeri Retno Marsudi": who travelled with one
        side, in a sentence of its own, is the trip's company, not the meeting's. The sentence tells the
        delegations of a meeting when it names both sides ("Trump was accompanied by Rubio, while Putin
        had Lavrov beside him") or its host."""
        sides = _consts(self.ann.pack.code).side_words
        if any(self.L[k] in sides for k in range(sent.start, sent.end)):
            return False  # "Di pihak Indonesia hadir ..., sedangkan Marcos didampingi ...": the delegations
        nxt = self._next_sent(sent)
        if nxt is not None and any(self.L[q] in sides for q in range(nxt.start, nxt.end)) and self._join_cues(nxt.start, nxt.end):
            # "Lula estava acompanhado de X e Y. Do lado americano participaram Z e W": the two sides' people
            # in the room, one sentence each
            return False
        if self._has_cue(sent.start, sent.end, "host") or self._has_cue(sent.start, sent.end, "planned"):
            return False  # "X and Y are among those expected, alongside Z": the guest list
        principals = {k for r in raws for k in r.ents}
        return len({m.ent for m in sent_ments if m.ent in principals}) < 2

    def _own_day(self, sent: Span, r: Raw) -> bool:
        """The sentence names a day (or a day before or after, "la veille") that is not the day of r."""
        for ds, _, expr in self.dates:
            if not (sent.start <= ds < sent.end) or ds in self.ignored_dates:
                continue
            if expr.same:
                if any(n for unit, n in expr.shift if unit == "days"):
                    return True  # "la veille", "the day before": another day than the meeting's
                continue
            d = resolve(expr, self.pub)
            if d is not None and r.date is not None and not d.compatible(r.date):
                return True
        return False

    def _join_ref(self, sent: Span) -> str:
        """The pack line of the join (else entourage) cue that made the sentence a join."""
        return self._cue_ref_in("join", sent.start, sent.end) or self._cue_ref_in("entourage", sent.start, sent.end)

    def apply_joins(self, raws: list[Raw]) -> None:
        """People of "accompanied by" sentences join the meeting that shares the most people with them."""
        for sent, people in self._joins:
            self._apply_join(sent, people, raws)

    def _apply_join(self, sent: Span, people: list[int], raws: list[Raw]) -> None:
        if not raws:
            return
        here = {rec.name for ps, _, rec, _ in self.places if sent.start <= ps < sent.end}

        def shared(r: Raw) -> int:
            # (a person of a country the meeting has as a side: "met the Russian delegation ... The Russian
            # delegation was led by Medinsky")
            sides = {self.entities[k].country for k in r.ents if self.entities[k].type == "country"}
            return len(set(r.ents) & set(people)) + sum(1 for k in people if self.entities[k].country in sides - {None})

        def fit(r: Raw) -> tuple[int, bool, int]:  # shared people, then the same place, then the nearest
            return (shared(r), bool(r.place and r.place.name in here), -abs(r.sent.start - sent.start))

        reach = self.ann.pack.window("join_reach")
        # a side's people ("Del lado estadounidense se sentaron a la mesa ... Bessent") sat in the room of a
        # meeting told just before, not in one the article tells later ("en abril fue recibido por Milei")
        told = [r for r in raws if r.sent.start < sent.start]
        sides = _consts(self.ann.pack.code).side_words
        pool = told if any(sent.start - r.sent.end <= reach for r in told) and any(
            self.L[k] in sides for k in range(sent.start, sent.end)) else raws
        best = max(pool, key=fit, default=None)
        if best is not None and not shared(best) and self._has_cue(sent.start, sent.end, "anaphor"):
            best = raws[0]  # "X joined the conversation": the main meeting
        elif best is not None and not shared(best):
            before = [r for r in raws if r.sent.start < sent.start and r.status == "occurred"]
            # (not a meeting told as an earlier one of the same people: "Putin recalled hosting his guest in
            # Moscow last July ... On the Indonesian side the talks were attended by ...")
            before = [r for r in before if not _older_than_another(r, raws)] or before
            # only a list of people ("... joined them: Merz, Macron, Meloni") joins without anyone in common,
            # and not one told on a day of its own ("La veille, Poutine avait présidé le défilé en présence
            # de Xi": another event)
            best = (before[-1] if before and len(people) >= 2 and sent.start - before[-1].sent.start < 400
                    and not self._own_day(sent, before[-1]) else None)
            if best is None and before and sent.start - before[-1].sent.start < 400:
                # "В составе российской делегации был Лавров": one of a side's country, with the meeting
                # just told that has that side
                theirs = {self.entities[k].country for k in before[-1].ents if self.entities[k].type == "person"} - {None}
                if all(self.entities[k].country in theirs for k in people):
                    best = before[-1]
        if best is None:
            return
        cities = {rec.name for ps, _, rec, _ in self.places if sent.start <= ps < sent.end and rec.kind == "city"}
        if (cities and best.place is not None and (best.place.city or best.place.name) not in cities
                and not self._has_cue(sent.start, sent.end, "meet") and not self._has_cue(sent.start, sent.end, "anaphor")):
            # "La víspera, en Shanghái, Lula asistió a la toma de posesión de Dilma Rousseff": something
            # else he attended in another city, not company of the meeting in Beijing
            return
        if best.bilateral and any(self._gathering(cs, ce) for cs, ce in self.cues_in("meet", sent.start, sent.end)):
            # "KTT yang dipimpin Putin itu dihadiri Xi, Modi dan Ramaphosa": the summit's attendees, not
            # company of the bilateral meeting two of them held beside it
            return
        best.why.append((f"pair.join {self._join_ref(sent)}",
                         ", ".join(self.entities[k].name for k in people)))
        venues = [(ps, rec, surface) for ps, _, rec, surface in self.places
                  if sent.start <= ps < sent.end and rec.kind == "venue"]
        if (venues and best.place is not None and best.place.venue
                and all(rec.name != best.place.venue for _, rec, _ in venues) and best.status == "occurred"):
            # "X received Y in the Oval Office. Then, in the East Room, the Europeans joined":
            # a larger session somewhere else that day, not the same meeting with more people
            _, rec, surface = venues[0]
            city = next((q for _, _, q, _ in self.places if q.kind == "city" and q.name == best.place.city), None)
            session = Raw([*best.ents, *(k for k in people if k not in best.ents)], "occurred", best.mode, best.date,
                          _to_place(rec, surface, city), sent, sent.start,
                          why=[*best.why, (f"pair.join-session {self._join_ref(sent)}", "")])
            raws.insert(raws.index(best) + 1, session)
            return
        for k in people:
            if k not in best.ents:
                best.ents.append(k)

    def _clause_subject(self, sent: Span, s: int, t: int, sent_ments: list[PMention], ents: list[int]) -> bool:
        """The clause [s, ...) of meeting word t opens with a boundary word, names no one before t and only
        objects after it, and the sentence told a meeting before: its subject is that meeting's. Only
        with a verb before the meeting word, a host verb, or "with" after it (not "sebelum kunjungan
        Nancy Pelosi ke Taiwan", the visit of someone else)."""
        if not self._done or s <= sent.start or not self._has_cue(max(sent.start, s - 1), s + 1, "boundary"):
            return False
        if self._since_word(s) or any(s <= m.start < t for m in sent_ments) or self._done[-1].ents[0] in ents:
            return False
        if not all(any(m.ent == k and m.start > t for m in sent_ments) for k in ents):
            return False
        if self._has_cue(s, t, "pronoun") or self._has_cue(s, t, "group"):
            return False
        return (t - s >= 3 or "host" in self.cue_at.get(t, ()) or self._with_after_word(t, sent.end)
                or self._verb_with_object(t, sent.end))

    def _verb_with_object(self, t: int, hi: int) -> bool:
        """The meeting word t is a verb by its form (pack ``verb_affixes``: "meeting", "bertemu") and a
        person follows it, with at most a title, a country word or an article between: "after meeting
        Zelensky", "after meeting Libyan Prime Minister Dbeibah", "setelah bertemu Presiden Zelensky"."""
        consts = _consts(self.ann.pack.code)
        end = self._cue_end("meet", t)
        word = self.L[end - 1]
        if not ((consts.verb_suffixes and word.endswith(consts.verb_suffixes))
                or (consts.verb_prefixes and self.L[t].startswith(consts.verb_prefixes))):
            return False
        k = self._past_titles(end, hi)
        m = self.tok_ment.get(k)
        return m is not None and m.start == k and m.ent >= 0 and self.entities[m.ent].type == "person"

    def _with_after_word(self, t: int, hi: int) -> bool:
        """The meeting word t goes on with a with word, right after it or as its own last word ("a meeting
        with", "talks with", "berbicara dengan"), before token hi."""
        end = self._cue_end("meet", t)
        return end < hi and (self.L[end] in self._with_words or self.L[end - 1] in self._with_words)

    def _after_phrase(self, sent: Span, t: int) -> int | None:
        """Where the "after" phrase (pack ``after_words``) that governs meeting word t starts: "said after
        talks with X", "tras reunirse con X", "après un entretien avec X", "usai bertemu X". At most three
        words, none of them a name, stand between the after-word and t."""
        words = _consts(self.ann.pack.code).after_words
        if not words:
            return None
        for k in range(t, max(sent.start, t - 3) - 1, -1):
            if any(self.tok_ment.get(q) is not None or not self.T[q].isalpha() for q in range(k, t)):
                break
            for j in range(max(sent.start, k - 4), k):
                if self.doc[j:k].text.lower() in words:
                    return j
        return None

    def _after_phrase_subject(self, sent: Span, t: int, sent_ments: list[PMention], ents: list[int]) -> list[int] | None:
        """The subject of the clause an "after" phrase belongs to is the one who met the people of its
        "with" (the implied subject of an adverbial is the main clause's): "Zelensky said after talks
        with Trump that ...", "After a call with Trump, Sheinbaum announced ...". Only when everyone
        the meeting names so far is after the meeting word, and the subject is the one person named
        before the phrase (a speaker too: saying is what the subject did after the meeting), or, with
        the phrase opening the sentence, the person right after the comma that closes it."""
        j = self._after_phrase(sent, t)
        if j is None or not ents or not all(any(m.ent == k and m.start > t for m in sent_ments) for k in ents):
            return None
        people = [m for m in sent_ments if self.entities[m.ent].type == "person"]
        before = [m for m in people if m.start < j]
        if before:
            if len({m.ent for m in before}) > 1:
                # "Abiy Ahmed and Hassan Sheikh Mohamud agreed ..., after talks brokered by Erdogan": a
                # coordinated subject, all of it
                both = self._coordinated(sent_ments, j)
                return both if set(both) == {m.ent for m in before} and not set(both) & set(ents) else None
            if before[0].possessive or before[0].ent in ents:
                return None
            return [before[0].ent]
        if any(self._is_nameword(i, set()) and i not in self._date_toks for i in range(sent.start, j)):
            return None
        later = [m for m in people if m.start > t and m.ent not in ents]
        if not later:
            return None
        comma = max((k for k in range(t, later[0].start) if self.T[k] == ","), default=None)
        if (comma is None or later[0].start - comma > 5 or later[0].possessive
                or any(not self.T[k].isalpha() for k in range(comma + 1, later[0].start))):
            return None
        return [later[0].ent]

    def _after_phrase_end(self, sent: Span, t: int, sent_ments: list[PMention], ents: list[int]) -> int:
        """Where an "after" phrase ends: the first punctuation, clause boundary or complementizer after the
        last person of its "with" ("after talks with X, that the two countries would ...")."""
        consts = _consts(self.ann.pack.code)
        last = max((m.end for m in sent_ments if m.start > t and m.ent in ents), default=t + 1)
        for k in range(last, sent.end):
            if (not self.T[k].isalnum() and self.T[k] not in ("-", "'", "’")) or self.L[k] in consts.complementizers \
                    or "boundary" in self.cue_at.get(k, ()):
                return k
        return sent.end

    def _dropped_subject(self, sent: Span, t: int) -> bool:
        """In a language that leaves out a subject told before (pack.toml ``pro_drop``), a meeting verb
        that opens its sentence after at most an adverbial has that subject: "Pela manhã, recebeu o
        senador X", "Después recibió a X". Not a meeting noun after its article ("La reunión con X")."""
        if not self.ann.pack.meta.get("pro_drop") or not self._opens_unnamed(sent.start + 1, t, sent.start + 5):
            return False
        if self._has_cue(sent.start, t, "group") or self._has_cue(sent.start, t, "pronoun"):
            return False  # "Los dos líderes se habían visto ...": the subject is there
        consts = _consts(self.ann.pack.code)
        lead = max([k + 1 for k in range(sent.start, t) if self.T[k] == ","], default=sent.start)
        # (the words after the opening adverbial: no article, "Era la primera visita de Modi" is a noun)
        return not any(self.L[k] in consts.articles or self.L[k] in consts.of_words for k in range(lead, t))

    def _subject_pronoun_before(self, sent: Span, t: int, sent_ments: list[PMention]) -> bool:
        """A subject pronoun opens the clause of meeting word t, after an adverbial at most, no one is named
        before t, and a with word follows t: "On Thursday he attended a summit with Rahmon, Tokayev and
        Mirziyoyev"."""
        consts = _consts(self.ann.pack.code)
        if any(m.start < t for m in sent_ments) or not self._with_after_word(t, sent.end):
            return False  # (not "he had begun arranging a meeting between Putin and Zelensky": he arranges it)
        for ps, pe in self.cues_in("pronoun", sent.start, t):
            if (self.L[ps] not in consts.possessive_determiners and t - pe <= 6 and pe < len(self.T)
                    and self.T[pe].islower() and not any(self.T[k] in (",", ";", ":") for k in range(ps, t))):
                return True
        return False

    def _participle_subject(self, sent: Span, t: int) -> int | None:
        """A sentence that opens with a meeting verb by its form and its object ("Meeting Aliyev in the Tajik
        capital, Putin said ..."): the person right after the clause's comma met him, even as the one who
        speaks."""
        if t != sent.start or not self._verb_with_object(t, sent.end):
            return None
        comma = next((k for k in range(t + 1, sent.end) if self.T[k] == ","), None)
        if comma is None:
            return None
        m = self.tok_ment.get(self._past_titles(comma + 1, sent.end))
        return m.ent if m is not None and m.ent >= 0 and self.entities[m.ent].type == "person" else None

    def _colon_dropped_subject(self, sent: Span, t: int, ents: list[int]) -> int | None:
        """In a pro-drop language, a meeting verb that opens the clause after a colon or semicolon, with no
        subject of its own, has the subject the sentence opens with: "Petro foi o primeiro a reatar com
        Caracas: em novembro de 2022, ... esteve com Maduro"."""
        if not self.ann.pack.meta.get("pro_drop"):
            return None
        sent_ments = [m for m in self.mentions if sent.start <= m.start < sent.end and m.ent >= 0]
        c = next((k for k in range(t - 1, sent.start, -1) if self.T[k] in (":", ";")), None)
        if c is None or any(c < m.start < t for m in sent_ments) or self._has_cue(c, t, "group") or self._has_cue(c, t, "pronoun"):
            return None
        first = next((m for m in sent_ments if m.start < c), None)
        if first is None or first.start > sent.start + 2 or first.ent in ents or self.entities[first.ent].type != "person":
            return None
        consts = _consts(self.ann.pack.code)
        lead = max([k + 1 for k in range(c, t) if self.T[k] == ","], default=c + 1)
        if any(self.L[k] in consts.articles or self.L[k] in consts.of_words for k in range(lead, t)):
            return None  # ("...: la reunión con X"): a noun, not a verb without its subject
        return first.ent

    def _opens_unnamed(self, lo: int, t: int, reach: int | None = None) -> bool:
        """The meeting word t stands at most five words after lo (or at ``reach`` at the latest) with no
        name word between: "Pela manhã, recebeu ...", "A Feb. 3 phone call with X"."""
        if t > (lo + 5 if reach is None else reach):
            return False
        return not any(self._is_nameword(i, set()) and i not in self._date_toks and not self._ordinary_word(i)
                       for i in range(lo, t))

    def _ordinary_word(self, i: int) -> bool:
        """Token i is a common word of the language ("A", "Ein", "Auftakt"), no one's name nor a pronoun
        standing for someone ("Ia", "He")."""
        return (i not in self.tok_ment and "pronoun" not in self.cue_at.get(i, ())
                and lexicon.is_ordinary(self.T[i], self.ann.pack.code, self._ordinary_zipf))

    def _anaphor_joined(self, sent: Span, t: int) -> bool:
        """The meeting word ends an anaphor of two words or more ("Al encuentro", "the meeting"; not a bare
        "беседа") and the sentence has a join cue ("Al encuentro asistieron también X y Y") or an entourage
        word that names the meeting ("accompanied in the talks by X"): those named joined the meeting told
        before."""
        if any(cs <= t < ce for _, ee in self.cues_in("entourage", max(sent.start, t - 5), t)
               for cs, ce in self._talks_after(ee, sent.end)):
            return True  # the talks an entourage word names: "yang didampingi dalam pertemuan itu oleh X"
        return (any(ce == t + 1 and ce - cs >= 2 for cs, ce in self.cues_in("anaphor", max(sent.start, t - 4), t + 1))
                and (self._has_cue(sent.start, sent.end, "join") or self._in_the_talks(sent)))

    def _event_np_with(self, sent: Span, t: int) -> bool:
        """ "A Feb. 3 phone call with X", "Pertemuan dengan X": a meeting noun opening the sentence, after
        a place at most ("In Astana, a meeting with Tokayev is planned first")."""
        lo, reach = sent.start, None
        consts = _consts(self.ann.pack.code)
        for ps, pe, _, _ in self.places:
            if (lo < ps <= lo + 2 and pe <= t and self.L[lo] in consts.locative_words
                    and all(self.L[k] in consts.locative_words or self.L[k] in consts.articles for k in range(lo, ps))):
                lo, reach = pe, pe + 4  # ("In Astana, ...": the place the sentence opens with)
                break
        if not self._opens_unnamed(lo, t, reach):
            return False
        return self._with_after_word(t, len(self.L))

    def _pair_before(self, group: str | None, sent: Span, s: int, t: int) -> list[int]:
        """For "keduanya"/"the two": the two people named just before, in this or the last sentence."""
        if group is None or not group.endswith("2"):
            return []
        here: list[int] = []
        for m in self.mentions:
            if (sent.start <= m.start < s and m.ent >= 0 and not self.entities[m.ent].speaker and m.ent not in here
                    and self.entities[m.ent].type != "organization"):  # ("on the sidelines of APEC": no one of the two)
                here.append(m.ent)
        if len(here) == 1 and self._done and len(set(self._done[-1].ents)) == 2 and here[0] in self._done[-1].ents:
            # "he is expected to hold talks with Kishida ..., their first meeting since the two men met in
            # Bangkok": the two of the meeting this sentence told, the pronoun's person among them
            return list(dict.fromkeys(self._done[-1].ents))
        return here if len(here) == 2 else []

    def _group_class(self, s: int, e: int, named: bool = False, t: int | None = None,
                     meet: int | None = None) -> str | None:
        """The class of a group phrase in the span ("" for a plain "the two"), or None. A possessive
        ("their") stands for a group only right before the meeting word t ("their previous meeting",
        not "a deal struck over their heads ... was greeted") and where the clause names no one."""
        consts = _consts(self.ann.pack.code)
        not_after = consts.not_group_after
        for cs, ce in sorted(self.cues.get("group", []), key=lambda c: c[0] - c[1]):
            if s <= cs < e:
                if any(w in not_after for w in self.L[ce:ce + 2]):
                    continue  # "the two countries", "the two nuclear superpowers"
                if cs > 0 and self.L[cs - 1] in consts.not_group_before:
                    continue  # "Европейские лидеры": another group than those told
                w = t if t is not None else meet
                if w is not None and ce <= w and any(
                        self.L[k] in consts.complementizers and k + 1 < w and self.T[k + 1].isalpha() and self.T[k + 1].islower()
                        and k + 1 not in self.tok_ment and not self.cue_at.get(k + 1) for k in range(ce, w)):
                    continue  # "Ketiganya sepakat agar komandan militer segera bertemu": the clause's own subject meets
                if (cs > 1 and self.L[cs - 1] in consts.of_words and self.T[cs - 2].isalpha() and self.T[cs - 2].islower()
                        and cs - 2 not in self.tok_ment and not self.cue_at.get(cs - 2)):
                    continue  # "senior commanders of the two sides": others, of whom the group tells whose
                if (cs > 0 and self.L[cs - 1] in consts.between_words
                        and any(k in self.tok_ment for k in range(ce, min(ce + 3, e)))):
                    continue  # "com deputados, entre eles Alexandria Ocasio-Cortez": among them, a list
                text = self.doc[cs:ce].text.lower()
                if text in consts.possessive_groups and (named or t is None or not 0 < t - cs <= 4):
                    continue  # "talks with Kishida ..., their first meeting": he and Kishida, told already
                two = any(w in text.split() for w in self._pair_words)
                three = any(w in text.split() for w in consts.trio_words)
                return self._group_classes.get(text, "") + ("2" if two else "3" if three else "")
        return None

    def _fits(self, k: int, cls: str) -> bool:
        ent = self.entities[k]
        classes = {_role_class(x) for x in (ent.role, *ent.roles) if x}
        if cls == "president":  # "the two presidents": not the emir or the crown prince in the room
            return any(x and "President" in x and not x.startswith("Vice") for x in (ent.role, *ent.roles))
        return bool(cls == "minister" and classes & {"diplomat", "minister"} or cls == "leader" and "leader" in classes)

    def _group_event(self, raws: list[Raw], cls: str, sent: Span) -> list[int] | None:
        """The people a group phrase stands for: those of the latest meeting that fit its class.

        "The two presidents" after a meeting of three picks the two presidents in it.
        """
        pair = cls.endswith("2")
        trio = cls.endswith("3")  # "the three leaders": the latest meeting of three
        cls = cls.rstrip("23")
        recent = list(reversed(raws[-4:]))
        recent = [r for r in recent if not r.anaphoric] + [r for r in recent if r.anaphoric]  # a meeting told, not a reference to one
        if not self._planned_now:  # "the pair last met ...": a meeting that happened comes first
            recent = [r for r in recent if r.status == "occurred"] + [r for r in recent if r.status != "occurred"]
        guess: list[int] | None = None  # the two of a meeting of three that its sentence does not single out
        for r in recent:
            people = list(dict.fromkeys(r.ents))
            persons = [k for k in people if self.entities[k].type == "person"]
            if len(persons) >= 2:
                people = persons  # "the two men": the people of that meeting, not the forum it was at
            if cls:
                people = [k for k in people if self._fits(k, cls)]
            if pair and len(people) == 3:
                # the two the meeting's sentence names together: "inviting Presidents A and B ... the two
                # presidents" (not the host), "Zelensky and Trump last met ..., in a meeting arranged by
                # Macron ... the two" (not the one who arranged it)
                both = self._named_together(r.sent, people)
                if not both:
                    # none singled out: a meeting of exactly two told before it, else a guess
                    guess = guess or (people[:2] if both == [] else people[1:] if people[0] == r.ents[0] else None)
                    continue
                people = both
            if (pair and len(people) == 2) or (trio and len(people) == 3) or (not pair and not trio and len(people) >= 2):
                return people
        if guess is not None:
            return guess
        if cls:
            recent = [m.ent for m in self.mentions if m.start < sent.start and m.ent >= 0 and self._fits(m.ent, cls)]
            recent = list(dict.fromkeys(reversed(recent)))
            if len(recent) >= (3 if trio else 2):
                return recent[:2] if pair else recent[:3] if trio else recent
        if cls == "president":  # no one the article calls president: the leaders, then
            return self._group_event(raws, "leader" + ("2" if pair else "3" if trio else ""), sent)
        return list(raws[-1].ents) if raws and not cls else None

    def _object_referent(self, sent_ments: list[PMention], subject: int, t: int, raws: list[Raw]) -> int | None:
        """Whom an object pronoun of the meeting word t stands for: the person named before it in its
        sentence, else the other side of the article's main meeting when the subject is in it ("Putin
        greeted his guest"), else whom the last object pronoun stood for ("X doit le recevoir jeudi.
        Vendredi, Y le reçoit à son tour"), else the subject of the sentences before."""
        here = [m.ent for m in sent_ments if m.start < t and m.ent != subject
                and self.entities[m.ent].type == "person" and not self.entities[m.ent].speaker]
        main = self._main_event(raws)
        partner = [k for k in dict.fromkeys(main.ents) if k != subject] if main is not None and subject in main.ents else []
        last = [self._object_ent] if self._object_ent is not None and self._object_ent != subject else []
        obj = (here[-1:] or (partner if len(partner) == 1 else []) or last
               or [k for k in reversed(self.subjects) if k != subject])
        return obj[0] if obj else None

    def _subject_pronoun_opens(self, sent: Span, sent_ments: list[PMention]) -> bool:
        """A subject pronoun (pack ``subject_pronouns``) stands in the sentence's first twelve words before
        anyone is named: the sentence's subject is the one the sentences before were about."""
        words = _consts(self.ann.pack.code).subject_pronouns
        first = min((m.start for m in sent_ments), default=sent.end)
        return any(self.L[k] in words and "pronoun" in self.cue_at.get(k, ()) for k in range(sent.start, min(first, sent.start + 12)))

    def _opening_pronoun(self, sent: Span, sent_ments: list[PMention]) -> bool:
        """The sentence's subject is a pronoun: one comes before anyone is named, within its first
        six words ("He met ...", "On Thursday he held talks ...", "Earlier on Friday, he met ...")."""
        first = min((m.start for m in sent_ments), default=sent.end)
        return self._first_cue(sent.start, min(first, sent.start + 6), "pronoun") < min(first, sent.start + 6)

    def _group_subject(self, s: int, t: int, sent_ments: list[PMention], ents: list[int]) -> bool:
        """A group phrase of two that is the clause's subject, before the meeting word, while everyone the
        clause names comes after it: "Les deux chefs d'État ont poursuivi leurs échanges, entourés de leurs
        ministres, respectivement X et Y", "The two leaders then met Zelensky" (the two are in it too)."""
        consts = _consts(self.ann.pack.code)
        for cs, ce in self.cues_in("group", s, t):
            text = self.doc[cs:ce].text.lower()
            # a pair phrase ("the two leaders"), or a plural pronoun opening the sentence ("They first sat
            # down ... with their top diplomats, X and Y, present")
            opening = cs == self._sent_start(cs) and ce - cs == 1
            if text in consts.possessive_groups or not (any(w in text.split() for w in self._pair_words) or opening):
                continue
            if all(any(m.ent == k and m.start > t for m in sent_ments) for k in ents) and not any(
                    s <= m.start < t for m in sent_ments):
                return True
        return False

    def _object_pronoun_before(self, sent_ments: list[PMention], subject: int, t: int) -> bool:
        """An object pronoun of the pack (``object_pronouns``) after the subject's name and at most the
        ``object_pronoun_before`` window before the meeting word t, with no punctuation between."""
        consts = _consts(self.ann.pack.code)
        words = consts.object_pronouns
        subj = [m for m in sent_ments if m.ent == subject and m.end <= t]
        if not subj or not (words or consts.clitic_pronouns):
            return False
        if (self.L[t - 1] in consts.clitic_pronouns and not self.P[t - 1]
                and (subj[-1].end == t - 1 or self.L[t - 2] in consts.modal_verbs)):
            # "Viktor Orban doit le recevoir", "Orban la reçoit": a word spelled like an article is the
            # object clitic where no article can stand, right after the subject or a modal verb
            return True
        lo = max(subj[-1].end, t - self.ann.pack.window("object_pronoun_before"))
        # (an elided pronoun right before a meeting noun is its article: "l'entretien")
        return any(self.L[k] in words and not any(self.P[k:t]) and not (k == t - 1 and self.L[k].endswith(("'", "’")))
                   for k in range(lo, t))

    def _named_together(self, sent: Span, people: list[int]) -> list[int] | None:
        """The first two of ``people`` the sentence names joined by "and" (titles between), or None; [] when
        they end a longer list ("entre M. Macron, M. Xi et la présidente ..., Ursula von der Leyen")."""
        consts = _consts(self.ann.pack.code)
        and_words = consts.and_words
        ments = [m for m in self.mentions if sent.start <= m.start < sent.end and m.ent in people]

        def joined(a: PMention, b: PMention, need_and: bool) -> bool:
            gap = range(a.end, b.start)
            return a.ent != b.ent and (any(self.L[k] in and_words for k in gap) or not need_and) and all(
                self.L[k] in and_words or self.L[k] in consts.articles or self.T[k] == "," or k in self._title_toks
                or k in self.countries for k in gap)

        for i, (a, b) in enumerate(itertools.pairwise(ments)):
            if joined(a, b, True):
                return [] if i > 0 and joined(ments[i - 1], a, False) else [a.ent, b.ent]
        return None

    def _host_of_meeting(self, sent: Span) -> bool:
        """A host word that is not itself a meeting word ("Gastgeber", "hosted by"; not "empfing" or
        "hosted", which tell a meeting of their own), beside a meeting word: the sentence says who hosted
        a meeting ("Gastgeber des Dreiertreffens war X", "The talks were hosted by X")."""
        meets = self.cues_in("meet", sent.start, sent.end)
        for hs, he in self.cues_in("host", sent.start, sent.end):
            if ("meet", self.doc[hs:he].text.lower()) in _consts(self.ann.pack.code).cue_ref:
                continue
            if any(ms >= he or me <= hs for ms, me in meets):
                return True
        return False

    def _delegation_group(self, s: int, e: int) -> bool:
        return any("deleg" in self.doc[cs:ce].text.lower() for cs, ce in self.cues_in("group", s, e))

    def lead_date(self, raws: list[Raw]) -> None:
        """The article's main meeting, undated where it is told, takes the date of the lead paragraph: the
        first meeting told, or, where the lead tells a plan or a cancellation, the first that took place
        ("Trump left the summit on Monday night, scrapping the meetings due on Tuesday ... Before leaving,
        Trump held talks with Carney")."""
        main = next((r for r in raws if r.status == "occurred" and not r.earlier and not r.since_told), None)
        if main is None or main.date is not None or any(r.status == "occurred" for r in raws[:raws.index(main)]):
            return
        text = self.text
        prose = next((sp for sp in self.sents if sp.start not in self.noise_sent), None)  # not a headline or byline
        begin = self.I[prose.start] if prose is not None else 0
        first_par_end = text.find("\n\n", begin) if "\n\n" in text[begin:] else len(text)
        for ds, _, expr in self.dates:
            if self.I[ds] < begin or self.I[ds] >= first_par_end or ds in self.ignored_dates:
                continue  # (the byline's date above the lead is when the page was written)
            d = resolve(expr, self.pub)
            if d is not None and d.as_date() is not None and 0 <= (self.pub - d.as_date()).days <= self.ann.pack.window("lead_days"):  # type: ignore[operator]
                main.date = d
                main.why.append(("date.lead", expr.text))
            return

    def first_since(self, raws: list[Raw]) -> None:
        """ "Their first face-to-face talks since their clash in the Oval Office on February 28": the people
        of the meeting also met where and when the "since" clause says. Only a clause that names a place
        and a date tells an encounter ("since taking office in March", "depuis avril 2023" do not)."""
        consts = _consts(self.ann.pack.code)
        if not consts.first_words or not consts.since_words:
            return
        main = next((r for r in raws if r.status == "occurred" and not r.earlier), None)
        for t, _ in self.cues.get("meet", []):
            sent = self._sent_of(t)
            if sent.start in self.noise_sent or not any(
                    self.L[i] in consts.first_words for i in range(max(sent.start, t - 7), min(sent.end, t + 3))):
                continue  # ("the first time the two men had met in person since ...")
            # whose meeting: the one told at this word, else the article's main one ("It was their first ...")
            r = next((q for q in raws if q.sent.start == sent.start and q.trigger == t and not q.earlier), None)
            if r is None and main is not None and not any(
                    q.sent.start == sent.start and q.ents != main.ents for q in raws):
                r = main
            if r is None or len(set(r.ents)) < 2:
                continue
            since = next((j for j in range(t + 1, min(sent.end, t + 10)) if self.L[j] in consts.since_words), None)
            if since is None or any(self.P[i] and self.T[i] not in "-‐–" for i in range(t, since)):
                continue  # (in the same clause: "face-to-face" is one word)
            # the clause tells an encounter ("since their clash in the Oval Office on February 28"), not
            # only a time ("depuis avril 2023", "since 2019": how long it has been, not a meeting)
            told = [(ds, de, expr) for ds, de, expr in self.dates
                    if since < ds <= since + 8 and not any(self.P[since:ds])]
            if not told:
                continue
            ds, de, expr = told[0]
            d = resolve(expr, self.pub)
            if d is None or (d.as_date() is not None and d.as_date() >= self.pub):  # type: ignore[operator]
                continue
            if any(not self._gathering(ms, me) for ms, me in self.cues_in("meet", since + 1, de)):
                continue  # (a meeting word after "since" is told by pair.since-previous; a gathering word
                # is not, "since the BRICS summit in Kazan last October": the summit tells no meeting)
            # the place: in the clause ("since their clash in the Oval Office on February 28"), right after
            # the date ("sejak Oktober tahun lalu di Roma"), or in the when-clause that follows it ("depuis
            # octobre 2022, lorsqu'ils s'étaient vus à Astana")
            end = de + 3
            k = de + 1 if de < sent.end and self.T[de] == "," else de
            if k < sent.end and self.L[k] in consts.when_words:
                end = next((j for j in range(k + 1, sent.end) if self.T[j] in (",", ";")), sent.end)
            hit = self._place_in(since, min(end, sent.end), since)
            if hit is None:
                continue  # an encounter is somewhere; "since taking office in March" is not one
            place = _to_place(hit[1], hit[2], None)
            if any(q.earlier and q.date is not None and q.date.compatible(d) and set(q.ents) == set(r.ents) for q in raws):
                continue
            raws.append(Raw(list(r.ents), "occurred", r.mode, d, place, sent, since, earlier=True,
                            why=[("pair.first-since", expr.text)]))

    def not_since(self, raws: list[Raw]) -> None:
        """ "The two men had not met in person since June 2019, on the sidelines of the G20 summit in
        Osaka": a denied meeting with a since clause tells when and where the people last met
        (pair.not-since). The people: those the sentence names before the meeting word, else the
        article's main meeting's for a group word ("the two men", "they")."""
        consts = _consts(self.ann.pack.code)
        if not consts.since_words:
            return
        main = next((r for r in raws if r.status == "occurred" and not r.earlier), None)
        for t, _ in self.cues.get("meet", []):
            sent = self._sent_of(t)
            if sent.start in self.noise_sent:
                continue
            near = range(max(sent.start, t - self.ann.pack.window("negation_before")), t)
            if not any("negation" in self.cue_at.get(i, ()) for i in near):
                continue
            since = next((j for j in range(t + 1, min(sent.end, t + 6)) if self.L[j] in consts.since_words), None)
            if since is None or any(self.P[t:since]):
                continue
            told = [(ds, de, expr) for ds, de, expr in self.dates if since < ds <= since + 3]
            limit = None
            if not told and any("meet" in self.cue_at.get(j, ()) for j in range(since + 1, min(since + 5, sent.end))):
                # "since their informal summit at Mamallapuram, near Chennai, in October 2019, although ...":
                # a meeting noun after the since word, its place and day in the phrase up to the next clause
                limit = next((j for j in range(since + 1, min(sent.end, since + 25))
                              if "boundary" in self.cue_at.get(j, ()) or self.T[j] in (";", ":")), min(sent.end, since + 25))
                told = [(ds, de, expr) for ds, de, expr in self.dates if since < ds < limit]
            if not told:
                continue
            ds, de, expr = told[0]
            d = resolve(expr, self.pub)
            if d is None or d.first_day() >= self.pub:
                continue
            named = list(dict.fromkeys(m.ent for m in self.mentions if sent.start <= m.start < t and m.ent >= 0
                                       and self.entities[m.ent].type == "person" and not m.speaker))
            if len(named) < 2:
                if main is None or self._group_class(sent.start, t) is None:
                    continue
                named = list(dict.fromkeys(main.ents))
            if any(set(q.ents) == set(named) and q.date is not None and q.date.compatible(d) for q in raws):
                continue
            hit = self._place_in(de, sent.end, de) if limit is None else self._place_in(since, limit, since)
            place = _to_place(hit[1], hit[2], None) if hit is not None else None
            raws.append(Raw(named, "occurred", "in-person", d, place, sent, since, earlier=True,
                            why=[("pair.not-since", expr.text)]))

    def _clause_negation(self, s: int, t: int) -> bool:
        """A denial verb marked "clause": true ("negou que", "denied that") anywhere before the cue in its
        clause (not in an aside: "Putin, who has denied ..., met Xi"), or before the clause with a
        complementizer right after it ("Der Kreml dementierte, dass Putin ... treffen werde")."""
        consts = _consts(self.ann.pack.code)
        words = consts.clause_negations
        if any(self.L[i] in words and not (self._aside(i) and not self._aside(t)) for i in range(s, t)):
            return True
        return any((self.L[i] in words or {"hypothetical", "negation"} & self.cue_at.get(i, set()))
                   and any(self.L[k] in consts.complementizers for k in range(i + 1, min(i + 3, s + 1)))
                   for i in range(max(self._sent_start(t), s - 8), s))

    def _multiword_cue(self, s: int, e: int, kind: str) -> bool:
        """A cue of two words or more in [s, e + 3), not one inside an aside that e is not in
        ("Zelensky, who was not invited to Alaska, said he would travel to Washington to meet Trump")."""
        return any(ce <= e + 3 and ce - cs >= 2 and not (self._aside(cs) and not self._aside(e))
                   and not (kind == "negation" and all("planned" in self.cue_at.get(i, ()) for i in range(cs, ce)))
                   for cs, ce in self.cues_in(kind, s, e + 3))  # ("No date has been set for a summit": a plan)


def _compound_kind(word: str, heads: tuple[tuple[str, str], ...]) -> str | None:
    """The kind of the cue a compound word ends in, with at least three letters before it."""
    for head, kind in heads:
        if len(word) >= len(head) + 3 and word.endswith(head):
            return kind
    return None


def _cue_ref(consts: Any, kind: str, text: str) -> str:
    """The pack line of a cue ("de/cues.jsonl:4"), or of the compound head it ends in, or ""."""
    low = text.lower()
    ref = consts.cue_ref.get((kind, low))
    if ref is None:
        head = next((h for h, k in consts.compound_heads if k == kind and low.endswith(h)), None)
        ref = consts.cue_ref.get((kind, head), "") if head else ""
        ref = f"{ref} (compound)" if ref else ""
    return ref


def _to_place(rec: PlaceRecord, surface: str | None, city: PlaceRecord | None) -> Place:
    aliases = tuple(a for a in {surface} if a and a != rec.name)
    if rec.kind == "venue":
        c = city
        city_name = rec.city or (c.name if c else None)
        return Place(
            name=rec.name, country=rec.country or (c.country if c else None),
            lat=rec.lat if rec.lat is not None else (c.lat if c else None),
            lon=rec.lon if rec.lon is not None else (c.lon if c else None),
            geonames=rec.geonames or (c.geonames if c else None), venue=rec.name, city=city_name,
            region=rec.region or (c.region if c else None), aliases=aliases,
        )
    return Place(
        name=rec.name, country=rec.country, lat=rec.lat, lon=rec.lon, geonames=rec.geonames,
        city=rec.name if rec.kind == "city" else None, region=rec.name if rec.kind == "region" else rec.region,
        aliases=aliases,
    )


def _ahead(expr: DateExpr | None) -> bool:
    """A relative date that lies after the publication date ("next week", "tomorrow", "kommenden Freitag")."""
    if expr is None or expr.same:
        return False
    return expr.direction > 0 or sum(n for _, n in expr.shift) > 0 or (expr.year_shift or 0) > 0


def _months_before(d: PartialDate, others: list[PartialDate]) -> bool:
    """Date d ends more than a month before each of the others begins (and there is one)."""
    if not others:
        return False
    if d.day is not None:
        last = d.first_day()
    elif d.month is not None:
        last = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        last = dt.date(d.year, 12, 31)
    return all((o.first_day() - last).days > 31 for o in others)


def _coarser(a: Place, b: Place) -> bool:
    """Place a is only the country place b lies in ("South Korea" against "Gyeongju")."""
    return a.venue is None and a.city is None and a.region is None and a.country is not None and a.country == b.country


def _inside(a: Place, b: Place) -> bool:
    """Place a is place b or lies in it: a venue in its city, a city in its region or country."""
    names = {n.casefold() for n in a.names()} | ({a.country.casefold()} if a.country else set())
    return b.name.casefold() in names or (b.country is not None and b.name == b.country and b.country == a.country)


def _older_than_another(r: Raw, raws: list[Raw]) -> bool:
    """r is told as an earlier meeting of people the article has another, later meeting of: marked so,
    or dated more than two months before it."""
    if r.earlier:
        return True
    if r.date is None:
        return False
    return any(o is not r and o.date is not None and set(o.ents) & set(r.ents)
               and (o.date.first_day() - r.date.first_day()).days > 60 for o in raws)


def _merge_in_article(raws: list[Raw]) -> list[Raw]:
    """Fold the mentions of one meeting in one article together.

    Dated mentions merge when their people and dates agree; an undated mention then joins the
    nearest earlier (else later) meeting of the same people, and stands alone only when none.
    """
    out: list[Raw] = []
    dated = [r for r in raws if r.date is not None]
    undated = [r for r in raws if r.date is None]
    for r in [*dated, *undated]:
        target = None
        same = [o for o in out if set(o.ents) == set(r.ents)
                or ((r.anaphoric or r.date is None) and set(r.ents) < set(o.ents) and not r.bilateral)
                or (r.extends and set(o.ents) < set(r.ents) and not o.bilateral)
                or (r.date is None and len(o.ents) >= 2 and set(o.ents) < set(r.ents) and not o.bilateral)]
        if r.bilateral and not same and (r.date is None or r.place is None):
            # "the day had begun with a bilateral meeting of A and B": the day and place of the larger session
            session = next((o for o in out if set(r.ents) < set(o.ents) and o.status == r.status), None)
            if session is not None:
                r.date = r.date or session.date
                r.place = r.place or session.place
        if r.date is not None:
            target = next((o for o in same if o.date is not None and r.date.compatible(o.date)
                           and o.status == r.status and o.mode == r.mode), None)
        elif same:
            same = [o for o in same if o.mode == r.mode and o.status == r.status and not r.earlier]
        if r.date is None and same:
            # the same people first, then more of them: a meeting of fewer is where the undated one goes
            # last ("The meeting [of the three] came weeks after Rahmon ... and Japarov signed a treaty")
            fit = min(0 if set(o.ents) == set(r.ents) else 1 if set(r.ents) < set(o.ents) else 2 for o in same)
            same = [o for o in same if (0 if set(o.ents) == set(r.ents) else 1 if set(r.ents) < set(o.ents) else 2) == fit]
            before = [o for o in same if o.sent.start <= r.sent.start]
            days = [o.date.first_day() for o in before if o.date is not None]
            if len(days) > 1 and not r.earlier:
                # "Putin recalled hosting his guest in Moscow last July ... The presidents first talked alone":
                # a meeting told months before another of the same people is the earlier one; what follows
                # without a day of its own is about the later (rule pair.undated-joins-latest)
                newest = max(days)
                later_ones = [o for o in before if o.date is None or (newest - o.date.first_day()).days <= 60]
                if later_ones and len(later_ones) < len(before):
                    before = later_ones
                    r.why.append(("pair.undated-joins-latest", ""))
            target = max(before, key=lambda o: o.sent.start) if before else min(same, key=lambda o: o.sent.start)
        if (target is None and r.anaphoric and r.date is not None and r.status == "occurred"
                and (r.earlier or (r.own_date and r.date.precision != "year")) and _months_before(r.date, [o.date for o in out if set(r.ents) <= set(o.ents) and o.date is not None])):
            # "Предыдущая очная встреча лидеров состоялась в сентябре 2022 года": a meeting word that refers
            # to the same people, told as an earlier one and dated months before every meeting of theirs
            # told, is that earlier meeting (not "this visit ... the 50th anniversary of ties, in 1974")
            r.earlier, r.anaphoric = True, False
            r.why.append(("date.earlier-than-told", r.date.iso()))
            out.append(r)
            continue
        if (target is None and r.anaphoric and r.status == "cancelled" and r.date is not None
                and not any(o.date is not None and o.date.compatible(r.date) for o in out if set(r.ents) <= set(o.ents))):
            # "The visit had originally been scheduled for late March, but Lula postponed it": the plan
            # that was called off, dated apart from the visit that took place
            r.anaphoric = False
            r.why.append(("status.cancelled-apart", r.date.iso()))
            out.append(r)
            continue
        if target is None and r.anaphoric:
            # a mention that only refers back ("the meeting") joins what it refers to, or nothing
            target = next((o for o in out if set(r.ents) <= set(o.ents)), None) or next(
                (o for o in out if r.joined and set(o.ents) <= set(r.ents)), None)
            if target is None and r.joined:  # "X joined the conversation": the meeting of the others named
                target = max((o for o in out if len(set(o.ents) & set(r.ents)) >= 2),
                             key=lambda o: len(set(o.ents) & set(r.ents)), default=None)
            if target is None and r.joined and not set(r.ents) & {k for o in out for k in o.ents}:
                # "Do lado brasileiro, participaram do encontro o chanceler X e o assessor Y": people named
                # only here took part in the meeting the article is about (pair.join-main)
                target = next((o for o in out if o.status == r.status and not o.earlier), None)
                if target is not None:
                    r.why.append(("pair.join-main", ""))
            if target is None:
                continue
            target.extra_sents.append(r.sent)
            target.why.extend(w for w in r.why if w not in target.why)
            for k in r.ents:  # "X, who was in the room" / "Y joined the conversation by telephone"
                if k not in target.ents:
                    target.ents.append(k)
            continue
        if target is None:
            r.date = r.date or r.during_date  # not part of the meeting it happened during: dated by it
            out.append(r)
            continue
        if r.date is not None and not target.earlier and (target.date is None or len(r.date.iso()) > len(target.date.iso())):
            target.date = r.date
        if not target.earlier and (target.place is None or (r.place is not None and r.place.venue and not target.place.venue)
                                   or (r.place is not None and target.place_weak and not r.place_weak
                                       and not _inside(target.place, r.place) and not _coarser(r.place, target.place))):
            # (an earlier meeting is not placed by the article's dateline; a place the text tells for the
            # meeting wins over the dateline's, which is where the reporter is)
            target.place = r.place or target.place
            target.place_weak = target.place_weak and r.place_weak
        if r.mode == "remote":
            target.mode = "remote"
        if r.status == "cancelled" or (target.status == "planned" and r.status == "occurred" and r.date is not None):
            target.status = r.status
        target.extra_sents.append(r.sent)
        target.why.extend(w for w in r.why if w not in target.why)
        for k in r.ents:
            if k not in target.ents:
                target.ents.append(k)
    return out


def _day_of_the_article(raws: list[Raw]) -> None:
    """A meeting told without a date, with someone of the article's main meeting, took place that day
    ("Before the joint meeting Trump received each of them", "El momento político de la jornada se
    produjo antes de la misa: Trump y Zelenski conversaron ...", "С Эрдоганом Путин обсудил ..." in a
    report of the day's talks). The main meeting is the first held one with a day; a meeting told as
    an earlier one keeps no date."""
    main = next((r for r in raws if r.status == "occurred" and not r.earlier and r.date is not None
                 and r.date.precision == "day"), None)
    if main is None:
        return
    for r in raws:
        if (r is not main and r.date is None and r.status == "occurred" and not r.earlier
                and (main.mode == r.mode or main.sent.start <= r.sent.start)
                and (set(r.ents) <= set(main.ents) or set(main.ents) <= set(r.ents)
                     # with one of them: at the main meeting's place, or where the text names none
                     or (set(r.ents) & set(main.ents) and (r.place is None or main.place is None
                                                            or r.place.name == main.place.name
                                                            or _inside(r.place, main.place)
                                                            or _inside(main.place, r.place))))):
            r.date = main.date
            r.why.append(("date.article-main", main.date.iso()))  # type: ignore[union-attr]


def _to_event(x: _DocExtractor, r: Raw) -> Event | None:
    art = x.article
    parts = []
    seen = set()
    spouses = _consts(x.ann.pack.code).spouse_roles
    companions = [k for k in r.ents if x.entities[k].role in spouses]
    if companions and len(set(r.ents) - set(companions)) >= 2:
        # "Vučić empfing Xi und dessen Ehefrau Peng Liyuan": a spouse comes along, and is no side of the talks
        r.ents = [k for k in r.ents if k not in companions]
        r.why.append(("pair.spouse-apart", ", ".join(x.entities[k].name for k in companions)))
    person_countries = {x.entities[k].country for k in r.ents if x.entities[k].type == "person"}
    persons = len({k for k in r.ents if x.entities[k].type == "person"})
    forums = [k for k in r.ents if x.entities[k].type == "organization"] if persons >= 2 else []
    if forums:
        # "met on the sidelines of APEC", "the BRICS summit": people met; the forum is where, not who
        r.ents = [k for k in r.ents if k not in forums]
        r.why.append(("pair.people-not-organization", ", ".join(x.entities[k].name for k in forums)))
    for k in r.ents:
        ent = x.entities[k]
        if ent.name in seen or (ent.type == "country" and ent.country in person_countries):
            continue  # a country takes part only when no one is named for its side
        seen.add(ent.name)
        parts.append(Actor(name=ent.name, type=ent.type if ent.type in ("person", "country", "organization") else "person",  # type: ignore[arg-type]
                           country=ent.country, role=ent.role))
    rules = tuple(dict.fromkeys([*r.why, *((x.entities[k].how, x.entities[k].name) for k in r.ents
                                           if x.entities[k].name in seen and x.entities[k].how),
                                 *(("person.known-name-tail", x.name_tails[k]) for k in r.ents if k in x.name_tails)]))
    evidence = []
    for sent in [r.sent, *r.extra_sents]:
        start, end = x.char_range(sent)
        text = x.text[start:end]
        evidence.append(Mention(art.id, start, start + max(len(text), 1), text, r.status, art.lang, art.url,
                                published=art.published.isoformat() if art.published else None,
                                published_from=art.published_from, rules=rules if not evidence else ()))
    if len(parts) < 2:
        return None  # a country whose own person is named is not a second side
    return Event(tuple(parts), r.place, r.date, r.status, r.mode, tuple(evidence))  # type: ignore[arg-type]


def _run(article: Article, model: str | None) -> tuple[_DocExtractor, list[Event]]:
    ann = make_annotator(article.lang or "", model)
    doc = ann.nlp(article.text)
    x = _DocExtractor(ann, doc, article)
    x.spot()
    x.resolve_titles()
    raws = x.events()
    x.apply_joins(raws)
    x.lead_date(raws)
    x.first_since(raws)
    x.not_since(raws)
    raws = _merge_in_article(raws)
    _day_of_the_article(raws)
    events = (_to_event(x, r) for r in raws)
    return x, [e for e in events if e is not None]


def extract_article(article: Article, *, model: str | None = None) -> list[Event]:
    """The meetings one article reports, each mentioned once.

    Raises:
        UnknownLanguage: no pack for the article's language.
    """
    return _run(article, model)[1]


def explain_article(article: Article, *, model: str | None = None) -> Explanation:
    """The spans the rules marked in an article and the meetings they gave, each meeting's
    sources carrying its decisions (``Mention.rules``): what ``kg explain`` prints.

    >>> import datetime as dt
    >>> a = Article("a", "Prabowo Subianto met Shigeru Ishiba in Bogor on Saturday.", lang="en",
    ...             published=dt.date(2025, 1, 12))
    >>> [(n.label, n.text) for n in explain_article(a).spans if n.label in ("person", "meet", "place")]
    [('person', 'Prabowo Subianto'), ('meet', 'met'), ('person', 'Shigeru Ishiba'), ('place', 'Bogor')]
    """
    x, events = _run(article, model)
    code = x.ann.pack.code
    consts = _consts(code)
    notes: list[SpanNote] = []

    def add(label: str, s: int, e: int, rule: str, value: str = "") -> None:
        start, end = x.char_range(x.doc[s:e])
        notes.append(SpanNote(label, start, end, x.text[start:end], rule, value))

    for m in x.mentions:
        ent = x.entities[m.ent]
        how = ent.how if m.kind == "name" else f"person.{m.kind}-of-earlier-name"
        if ent.speaker:
            how += " (speaker: never a participant)"
        elif m.speaker:
            how += " (speaker: a side only of a meeting told in an after phrase)"
        add("person" if ent.type == "person" else ent.type, m.start, m.end, how, ent.name)
    for kind, spans in x.cues.items():
        for s, e in spans:
            add(kind, s, e, f"{kind} {_cue_ref(consts, kind, x.doc[s:e].text)}".strip())
    for s, e, rec, _surface in x.places:
        add("place", s, e, f"place.capital {code}/words.toml capital_words" if s in x.capital_spans
            else f"place.{rec.kind} gazetteer", rec.name)
    for s, e, expr in x.dates:
        d = resolve(expr, x.pub)
        add("date", s, e, f"date {code}/dates.toml", d.iso() if d else "")
    for start, end, why in x.noise:
        notes.append(SpanNote("not-prose", start, end, x.text[start:end], why))
    notes.sort(key=lambda n: (n.start, -n.end))
    return Explanation(article, tuple(notes), tuple(events))


def extract(articles: Iterable[Article], *, model: str | None = None) -> Iterator[Event]:
    """Stream the meeting mentions of each article (merged within the article, not across),
    within the bounds of :mod:`kg.nlp.limits`.

    Args:
        articles: articles with a language that has a pack.
        model: an installed spaCy pipeline to use as an extra signal (optional).
    """
    from kg.nlp.limits import extract_bounded  # the bounds on the work per article (a cycle: imported here)

    for article in articles:
        yield from extract_bounded(article, lambda a: extract_article(a, model=model))[0]


__all__ = ["explain_article", "extract", "extract_article"]
