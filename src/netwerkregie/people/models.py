"""Persons of concern (betrokkenen).

Only what identifies a person is kept, encrypted at rest; lists show a pseudonym. There is no
field for religion, ethnicity, nationality or anything like it (docs/architecture.md, principle 2).
"""

from __future__ import annotations

import datetime
import re
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedDateField, EncryptedTextField, keyed_hash
from netwerkregie.core.identifiers import READABLE_ALPHABET, draw, grouped
from netwerkregie.core.roles import Role

# Kept for what imports it (``bench/national_data.py``): the one readable alphabet of every identifier.
PSEUDONYM_ALPHABET = READABLE_ALPHABET
PSEUDONYM_MAX_LENGTH = 16  # "P-" and two groups of five with a hyphen: 13; the first pseudonyms had one group of 5
_TYPED_PSEUDONYM = re.compile(r"P-?([0-9A-Z]{5})(?:-?([0-9A-Z]{5}))?")


def new_pseudonym() -> str:
    """``P-`` and 10 characters in two groups of five: ``P-7KX3B-QM9TD``.

    28**10 = 2.96e14 values. By the birthday bound the chance that any two of n persons ever drew the same
    one is about n**2 / (2 * 28**10): 6.8e-5 for 200,000 persons over an installation's lifetime, 0.17 %
    for a national one with a million; one new draw in 290 million collides when a million are taken. The
    5 characters of the first pseudonyms (17.2 million values) gave tens of percent for a few thousand
    persons. A collision is drawn again anyway (``core.identifiers.save_with_fresh``): the length keeps
    that rare and a pseudonym unguessable from another. Existing 5-character pseudonyms stay as they are.
    """
    return "P-" + grouped(draw(10))


def as_pseudonym(text: str) -> str:
    """A pseudonym as someone typed or heard it (any case, spaces, with or without its hyphens) in the form
    it is stored in; any other text upper-cased without spaces, which matches no pseudonym."""
    key = "".join(text.split()).upper()
    typed = _TYPED_PSEUDONYM.fullmatch(key)
    return "P-" + "-".join(group for group in typed.groups() if group) if typed else key


def is_pseudonym(text: str) -> bool:
    return _TYPED_PSEUDONYM.fullmatch("".join(text.split()).upper()) is not None


def bsn_hash(bsn: str) -> str:
    return keyed_hash(bsn, "bsn")


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class PersonQuerySet(AccessQuerySet["Person"]):
    def visible_to(self, user: Any) -> PersonQuerySet:
        roles = user_roles(user)
        if Role.COORDINATOR in roles:
            return self.all()
        if Role.CORE_PARTNER in roles:
            # Persons whose signals are on the agenda of an assessment session they take part in; under
            # pseudonymous assessment only once they had the identity revealed, with a reason.
            if settings.PSEUDONYMOUS_ASSESSMENT:
                return self.filter(signals__assessment_session__participants=user,
                                   signals__reveals__user=user).distinct()
            return self.filter(signals__assessment_session__participants=user).distinct()
        return self.none()


class Person(models.Model):
    holds_personal_data = True

    pseudonym = models.CharField(_("pseudonym"), max_length=PSEUDONYM_MAX_LENGTH, unique=True, default=new_pseudonym)
    name = EncryptedTextField(_("name"))
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    bsn = EncryptedTextField(_("citizen service number (BSN)"), blank=True)
    # NULL, not "", for "no BSN": the unique constraint must allow many persons without one.
    bsn_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # Blind indexes (``people.identity``): keyed hashes to find a person without decrypting anyone.
    name_birth_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    birth_date_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    # The phonetic form of the name with the date of birth (``people.phonetic``): spelling variants.
    phonetic_birth_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    neighbourhood = models.ForeignKey(
        "network.Neighbourhood", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("neighbourhood"),
    )
    school_or_organisation = EncryptedTextField(_("school or organisation"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    retain_until = models.DateField(_("retain until"), db_index=True)  # the nightly purge reads by it

    objects: ClassVar[models.Manager[Person]] = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["pseudonym"]
        verbose_name = _("person of concern")
        verbose_name_plural = _("persons of concern")

    def __str__(self) -> str:
        return self.pseudonym

    def is_minor_on(self, day: datetime.date | None = None) -> bool:
        if self.birth_date is None:
            return False
        return age_on(self.birth_date, day or timezone.localdate()) < 18

    @property
    def is_minor(self) -> bool:
        return self.is_minor_on()
