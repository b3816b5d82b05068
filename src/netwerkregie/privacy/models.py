from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.dates import short_date
from netwerkregie.core.roles import Role


class LegalHoldQuerySet(AccessQuerySet["LegalHold"]):
    def visible_to(self, user: Any) -> LegalHoldQuerySet:
        return self.all() if Role.PRIVACY_OFFICER in user_roles(user) else self.none()

    def active(self) -> LegalHoldQuerySet:
        return self.filter(lifted_at__isnull=True, until__gte=timezone.localdate())


class LegalHold(models.Model):
    """Keeps one record past its retention date, for a documented legal reason, until a set date."""

    object_type = models.CharField(_("kind of record"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=40)
    reason = models.CharField(_("legal reason"), max_length=500)
    until = models.DateField(_("hold until"))
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[LegalHold]] = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["until"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} → {short_date(self.until)}"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (art. 15)")
    RECTIFICATION = "rectification", _("Rectification (art. 16)")
    ERASURE = "erasure", _("Erasure (art. 17)")
    RESTRICTION = "restriction", _("Restriction (art. 18)")
    OBJECTION = "objection", _("Objection (art. 21)")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    EXTENDED = "extended", _("Extended")
    DONE = "done", _("Answered")
    REFUSED = "refused", _("Refused (with reasons)")


class Requester(models.TextChoices):
    PERSON = "person", _("The person themselves")
    PARENT = "parent", _("A parent")
    GUARDIAN = "guardian", _("A guardian")
    REPRESENTATIVE = "representative", _("A representative (for example a lawyer)")


class IdentityCheck(models.TextChoices):
    ID_DOCUMENT = "id_document", _("Identity document shown at the desk")
    DIGID = "digid", _("DigiD")
    KNOWN_REPRESENTATIVE = "known_representative", _("Known representative (authorisation on file)")
    OTHER = "other", _("Otherwise (see the note)")


class RequestChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    DESK = "desk", _("At the desk")
    PHONE = "phone", _("Phone")


class DataSubjectRequestQuerySet(AccessQuerySet["DataSubjectRequest"]):
    def visible_to(self, user: Any) -> DataSubjectRequestQuerySet:
        return self.all() if Role.PRIVACY_OFFICER in user_roles(user) else self.none()


class DataSubjectRequest(models.Model):
    """A GDPR request with its legal deadline: one month, extendable by two months with a reason."""

    holds_personal_data = True

    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    person = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="data_subject_requests", verbose_name=_("person"))
    person_label = models.CharField(_("person (pseudonym)"), max_length=20)
    received_on = models.DateField(_("received on"))
    # Who asked, how their identity was checked and how the request came in (blank on older requests).
    requester = models.CharField(_("requested by"), max_length=20, choices=Requester.choices, blank=True)
    identity_check = models.CharField(_("identity checked by"), max_length=30, choices=IdentityCheck.choices,
                                      blank=True)
    identity_note = models.CharField(_("note on the identity check"), max_length=500, blank=True)
    channel = models.CharField(_("received by"), max_length=20, choices=RequestChannel.choices, blank=True)
    deadline = models.DateField(_("deadline"))
    extension_reason = models.CharField(_("reason for extension"), max_length=500, blank=True)
    handler = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("handler"))
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    retain_until = models.DateField(_("retain until"), db_index=True)  # the nightly purge reads by it

    objects: ClassVar[models.Manager[DataSubjectRequest]] = DataSubjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person_label}"

    @property
    def overdue(self) -> bool:
        return self.status in (RequestStatus.OPEN, RequestStatus.EXTENDED) and self.deadline < timezone.localdate()

    @property
    def is_running(self) -> bool:
        """Open or extended: not yet answered or refused."""
        return self.status in (RequestStatus.OPEN, RequestStatus.EXTENDED)

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    @property
    def is_access(self) -> bool:
        return self.kind == RequestKind.ACCESS

    @property
    def is_erasure(self) -> bool:
        return self.kind == RequestKind.ERASURE


class RemnantKind(models.TextChoices):
    SIGNAL = "signal", _("Signal")
    CASE = "case", _("Case")
    CONSULTATION = "consultation", _("Anonymous consultation")
    CONTACT_MOMENT = "contact_moment", _("Contact moment")


class StatisticalRemnant(models.Model):
    """What a deleted record leaves for the figures: category codes, dates and counts, never a name, a
    reference, a pseudonym, a text someone typed or a link to anything (``privacy.remnants`` says
    exactly what, per kind). Without it, last year's report would change every night the purge runs."""

    kind = models.CharField(max_length=20, choices=RemnantKind.choices)
    first_on = models.DateField()  # the record's life, so a period can find what overlaps it
    last_on = models.DateField()
    facts = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["kind", "first_on", "last_on"], name="privacy_remnant_period")]

    def __str__(self) -> str:
        return f"{self.kind} {self.first_on:%Y-%m}"
