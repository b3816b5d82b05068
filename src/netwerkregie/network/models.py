"""The coordinator's network: partner organisations and the neighbourhoods they serve.

Organisations are parties that knowingly take part; this module never holds profiles of
communities or their members (docs/architecture.md, "The network is not a register of communities").
"""

from __future__ import annotations

import datetime
import os
import secrets
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.dates import short_date
from netwerkregie.core.models import CatalogueEntry, ChoiceLabels
from netwerkregie.core.roles import Role


class PrivateStorage(FileSystemStorage):
    """Files outside the static and media URLs; views hand them out after an access check.
    The location follows ``settings.PRIVATE_MEDIA_ROOT`` at the moment of use."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


def private_storage() -> PrivateStorage:
    return PrivateStorage()


class Neighbourhood(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    SCHOOL = "school", _("School")
    RELIGIOUS_ORGANISATION = "religious_organisation", _("Religious organisation")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    CLUB = "club", _("Sports or neighbourhood club")
    INTEREST_GROUP = "interest_group", _("Interest group")
    SOCIAL_WORK = "social_work", _("Social work")
    YOUTH_WORK = "youth_work", _("Youth work")
    POLICE = "police", _("Police")
    PUBLIC_PROSECUTOR = "public_prosecutor", _("Public prosecutor")
    CARE = "care", _("Care")
    HOUSING = "housing", _("Housing")
    EMPLOYER = "employer", _("Employer")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other")


NetworkModel = TypeVar("NetworkModel", bound=models.Model)


class NetworkQuerySet(AccessQuerySet[NetworkModel]):
    """Network records: the coordinator and the programme officer work with them; a partner
    sees what concerns their own organisation (``organisation_path`` names the link)."""

    organisation_path = "organisation"

    def visible_to(self, user: Any) -> NetworkQuerySet[NetworkModel]:
        roles = user_roles(user)
        if roles & {Role.COORDINATOR, Role.PROGRAMME_OFFICER}:
            return self.all()
        if Role.PARTNER in roles and user.organisation_id:
            return self.filter(**{self.organisation_path: user.organisation_id}).distinct()
        return self.none()


class OrganisationQuerySet(NetworkQuerySet["Organisation"]):
    organisation_path = "pk"


class Organisation(ChoiceLabels, models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="organisations", verbose_name=_("neighbourhoods")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects: ClassVar[models.Manager[Organisation]] = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A professional in the network (a key figure); never a person of concern, never a community
    member as such. Professional details only."""

    holds_personal_data = True

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contacts",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("work e-mail address"), blank=True)
    phone = models.CharField(_("work telephone number"), max_length=30, blank=True)
    informed_on = models.DateField(
        _("told about the network register on"),
        help_text=_("The date on which this person was told that their professional details are kept here."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    retain_until = models.DateField(_("retain until"), db_index=True)  # the nightly purge reads by it

    objects: ClassVar[models.Manager[Contact]] = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class CovenantPurpose(models.TextChoices):
    SIGNALS = "signals", _("Submitting signals")
    CASE_WORK = "case_work", _("Case work")
    PROGRAMME = "programme", _("Programme partner")


class CovenantQuerySet(NetworkQuerySet["Covenant"]):
    organisation_path = "parties"

    def valid_on(self, day: datetime.date) -> CovenantQuerySet:
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))

    def for_purpose(self, purpose: str) -> CovenantQuerySet:
        return self.filter(**{f"for_{purpose}": True})


def covenant_upload_to(instance: Covenant, filename: str) -> str:
    return f"covenants/{secrets.token_hex(8)}.pdf"


class Covenant(models.Model):
    """An information-sharing agreement: its parties, purposes and validity, with the signed PDF."""

    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField(Organisation, related_name="covenants", verbose_name=_("parties"))
    for_signals = models.BooleanField(CovenantPurpose.SIGNALS.label, default=False)
    for_case_work = models.BooleanField(CovenantPurpose.CASE_WORK.label, default=False)
    for_programme = models.BooleanField(CovenantPurpose.PROGRAMME.label, default=False)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(_("signed document (PDF)"), upload_to=covenant_upload_to,
                                storage=private_storage, blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Covenant]] = CovenantQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "title"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                                   name="network_covenant_period"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def purpose_labels(self) -> list[str]:
        return [str(p.label) for p in CovenantPurpose if getattr(self, f"for_{p.value}")]


class ContactTopic(CatalogueEntry):
    """Catalogue of topics for contact moments."""

    class Meta:
        ordering = ["label_nl"]


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    EVENT = "event", _("Event")


class ContactMomentQuerySet(NetworkQuerySet["ContactMoment"]):
    organisation_path = "organisations"


class ContactMoment(ChoiceLabels, models.Model):
    """A visit, call, meeting, training or event with the network. About the partnership, never
    about persons of concern or community members."""

    holds_personal_data = True  # names the contact people who took part

    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    organisations = models.ManyToManyField(Organisation, related_name="contact_moments",
                                           verbose_name=_("organisations"))
    contacts = models.ManyToManyField(Contact, blank=True, related_name="contact_moments",
                                      verbose_name=_("contact persons"))
    topic = models.ForeignKey(ContactTopic, on_delete=models.PROTECT, related_name="+", verbose_name=_("topic"))
    summary = models.TextField(_("short summary"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    retain_until = models.DateField(_("retain until"), db_index=True)  # the nightly purge reads by it

    objects: ClassVar[models.Manager[ContactMoment]] = ContactMomentQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        # The list newest first, and "who had contact since": at national scale not a sort of every moment.
        indexes = [
            models.Index(fields=["happened_on", "id"], name="network_moment_happened"),
            models.Index(fields=["follow_up_on"], condition=Q(follow_up_on__isnull=False, follow_up_done=False),
                         name="network_moment_follow_up"),  # the follow-ups still to do, by date
        ]

    def __str__(self) -> str:
        return f"{short_date(self.happened_on)} {self.get_kind_display()}: {self.topic}"
