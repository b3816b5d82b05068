"""Finding a person without decrypting anyone: keyed blind indexes over normalised identifiers.

The BSN, the name together with the date of birth, and the date of birth alone are each stored as
an HMAC under ``IDENTIFIER_HASH_KEY`` (never the value): a search compares hashes. Names are
normalised first (lower case, accents folded, punctuation and name particles such as "van" and "de"
left out, word order kept), so "José van den Berg" and "jose berg" find the same person. Probable
duplicates also compare, on the server, the decrypted names of the few persons with the same date
of birth, to catch close variants ("Jayden de Wit" and "Jaiden de Witt"); a person then decides."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.crypto import keyed_hash
from netwerkregie.people.models import Person, bsn_hash

PARTICLES = {"van", "de", "der", "den", "het", "ten", "ter", "te", "op", "in", "t", "la", "le", "el", "al", "bin",
             "ben", "von", "du", "da", "di", "dos", "das", "del", "vanden", "vander"}
SIMILAR = 0.8  # SequenceMatcher ratio of two normalised names that counts as "close"


def normalise_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name or "")
    letters = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = re.split(r"[^a-z]+", letters)
    return " ".join(w for w in words if w and w not in PARTICLES)


def name_birth_hash(name: str, birth_date: datetime.date | None) -> str | None:
    if birth_date is None or not normalise_name(name):
        return None
    return keyed_hash(f"{normalise_name(name)}|{birth_date.isoformat()}", "name+birth-date")


def birth_date_hash(birth_date: datetime.date | None) -> str | None:
    return keyed_hash(birth_date.isoformat(), "birth-date") if birth_date else None


def similar(a: str, b: str) -> bool:
    first, second = normalise_name(a), normalise_name(b)
    return bool(first and second) and SequenceMatcher(None, first, second).ratio() >= SIMILAR


@dataclass(frozen=True)
class Match:
    person: Person
    why: str


def probable_duplicates(persons: QuerySet[Person], *, name: str, birth_date: datetime.date | None,
                        bsn: str = "") -> list[Match]:
    """Persons in ``persons`` (already limited to what the user may see) who are probably this one:
    the same BSN; the same name and date of birth; or a close variant of the name with the same date
    of birth. Nothing is merged or linked here."""
    found: dict[int, Match] = {}
    if bsn:
        for person in persons.filter(bsn_hash=bsn_hash(bsn)):
            found[person.pk] = Match(person, str(_("same BSN")))
    exact = name_birth_hash(name, birth_date)
    if exact:
        for person in persons.filter(name_birth_hash=exact).exclude(pk__in=found):
            found[person.pk] = Match(person, str(_("same name and date of birth")))
    born = birth_date_hash(birth_date)
    if born:
        for person in persons.filter(birth_date_hash=born).exclude(pk__in=found):
            if similar(person.name, name):
                found[person.pk] = Match(person, str(_("similar name, same date of birth")))
    return list(found.values())
