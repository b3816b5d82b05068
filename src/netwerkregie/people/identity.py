"""Finding a person without decrypting anyone: keyed blind indexes over normalised identifiers.

The BSN, the name together with the date of birth, and the date of birth alone are each stored as
an HMAC under ``IDENTIFIER_HASH_KEY`` (never the value): a search compares hashes. Names are
normalised first (lower case, accents folded, punctuation and name particles such as "van" and "de"
left out, word order kept), so "José van den Berg" and "jose berg" find the same person. A fourth
index hashes the phonetic form of the name (``people.phonetic``) with the date of birth, so that
spelling variants ("Yusuf Demir" and "Joesoef Demir", "Mohammed" and "Muhammad") born on the same
day are found without decrypting anyone either. Probable duplicates also compare, on the server, the
decrypted names of the few persons with the same date of birth, to catch close variants ("Jayden de
Wit" and "Jaiden de Witt"); a person then decides."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.crypto import keyed_hash
from netwerkregie.people.models import Person, bsn_hash
from netwerkregie.people.phonetic import fold, phonetic_key

PARTICLES = {"van", "de", "der", "den", "het", "ten", "ter", "te", "op", "in", "t", "la", "le", "el", "al", "bin",
             "ben", "von", "du", "da", "di", "dos", "das", "del", "vanden", "vander"}
SIMILAR = 0.8  # SequenceMatcher ratio of two normalised names that counts as "close"


def normalise_name(name: str) -> str:
    words = re.split(r"[^a-z]+", fold(name))
    return " ".join(w for w in words if w and w not in PARTICLES)


def name_birth_hash(name: str, birth_date: datetime.date | None) -> str | None:
    if birth_date is None or not normalise_name(name):
        return None
    return keyed_hash(f"{normalise_name(name)}|{birth_date.isoformat()}", "name+birth-date")


def phonetic_birth_hash(name: str, birth_date: datetime.date | None) -> str | None:
    """The keyed hash of the name's phonetic form with the date of birth; None without either."""
    sound = phonetic_key(normalise_name(name).split())
    if birth_date is None or not sound:
        return None
    return keyed_hash(f"{sound}|{birth_date.isoformat()}", "phonetic-name+birth-date")


def blind_indexes(name: str, birth_date: datetime.date | None) -> dict[str, str]:
    """The name and date-of-birth indexes of a person, as stored (``""`` where there is nothing to hash)."""
    return {"name_birth_hash": name_birth_hash(name, birth_date) or "",
            "phonetic_birth_hash": phonetic_birth_hash(name, birth_date) or "",
            "birth_date_hash": birth_date_hash(birth_date) or ""}


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
    the same BSN; the same name and date of birth; a name that sounds the same with the same date of
    birth; or a close variant of the name with the same date of birth. Nothing is merged or linked here."""
    found: dict[int, Match] = {}
    if bsn:
        for person in persons.filter(bsn_hash=bsn_hash(bsn)):
            found[person.pk] = Match(person, str(_("same BSN")))
    exact = name_birth_hash(name, birth_date)
    if exact:
        for person in persons.filter(name_birth_hash=exact).exclude(pk__in=found):
            found[person.pk] = Match(person, str(_("same name and date of birth")))
    for person in by_sound(persons, name, birth_date).exclude(pk__in=found):
        found[person.pk] = Match(person, str(_("name sounds the same, same date of birth")))
    born = birth_date_hash(birth_date)
    if born:
        for person in persons.filter(birth_date_hash=born).exclude(pk__in=found):
            if similar(person.name, name):
                found[person.pk] = Match(person, str(_("similar name, same date of birth")))
    return list(found.values())


def by_sound(persons: QuerySet[Person], name: str, birth_date: datetime.date | None) -> QuerySet[Person]:
    digest = phonetic_birth_hash(name, birth_date)
    return persons.filter(phonetic_birth_hash=digest) if digest else persons.none()


def find_by_name_and_birth_date(persons: QuerySet[Person], *, name: str, birth_date: datetime.date) -> list[Match]:
    """Persons in ``persons`` with this name, or a name that sounds the same, and this date of birth: by the
    blind indexes alone, nothing decrypted to search."""
    found: dict[int, Match] = {}
    exact = name_birth_hash(name, birth_date)
    if exact:
        for person in persons.filter(name_birth_hash=exact):
            found[person.pk] = Match(person, str(_("same name and date of birth")))
    for person in by_sound(persons, name, birth_date).exclude(pk__in=found):
        found[person.pk] = Match(person, str(_("name sounds the same, same date of birth")))
    return list(found.values())
