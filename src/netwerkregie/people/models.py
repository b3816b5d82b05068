"""Persons of concern (betrokkenen).

Only what identifies a person is kept, encrypted at rest; lists show a pseudonym. There is no
field for religion, ethnicity, nationality or anything like it (docs/architecture.md, principle 2).
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedDateField, EncryptedTextField, keyed_hash
from netwerkregie.core.roles import Role

# No vowels or look-alikes (0/O, 1/I): pseudonyms never spell words and are easy to read aloud.
PSEUDONYM_ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXZ"


def new_pseudonym() -> str:
    return "P-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(5))


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

    pseudonym = models.CharField(_("pseudonym"), max_length=12, unique=True, default=new_pseudonym)
    name = EncryptedTextField(_("name"))
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    bsn = EncryptedTextField(_("citizen service number (BSN)"), blank=True)
    # NULL, not "", for "no BSN": the unique constraint must allow many persons without one.
    bsn_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # Blind indexes (``people.identity``): keyed hashes to find a person without decrypting anyone.
    name_birth_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    birth_date_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
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
