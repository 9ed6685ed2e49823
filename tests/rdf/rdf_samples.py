"""Actors and places built by hand for the RDF tests (no NLP involved)."""

from __future__ import annotations

from kg.model import Actor, Place

LAVROV = Actor("Sergei Lavrov", country="RU", role="Menteri Luar Negeri", wikidata="Q48828")
RUBIO = Actor("Marco Rubio", country="US", role="Secretary of State")
WANG = Actor("Wang Yi", country="CN")
CHINA = Actor("China", type="country", country="CN")
ASEAN = Actor("ASEAN", type="organization")
OBRIEN = Actor("O'Brien\" }", country="IE")

NEW_YORK = Place("New York City", country="US", lat=40.71427, lon=-74.00597, geonames=5128581)
DIAOYUTAI = Place(
    "Beijing", venue="Diaoyutai State Guesthouse", city="Beijing", country="CN", geonames=1816670
)

SENTENCE = "Pertemuan keduanya berlangsung di New York City pada Rabu (24/9)."
