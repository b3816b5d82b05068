"""Early signals, anonymous consultations (their models in consultation_models.py) and the joint assessment
(phases 1 and 2).

A signal records behaviour that was seen or heard. The assessment is a structured, joint,
professional judgement: findings per criterion with a justification, a decision and its
rationale, each a person's. Nothing here scores, ranks or predicts (docs/architecture.md, principle 1).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedDateField, EncryptedTextField
from netwerkregie.core.dates import short_date
from netwerkregie.core.identifiers import draw
from netwerkregie.core.meetings import ScheduledMeeting
from netwerkregie.core.models import CatalogueEntry, ChoiceLabels, Justification
from netwerkregie.core.roles import Role
from netwerkregie.intake.consultation_models import Channel as Channel
from netwerkregie.intake.consultation_models import Consultation as Consultation
from netwerkregie.intake.consultation_models import ConsultationQuerySet as ConsultationQuerySet


def new_reference() -> str:
    """``S-<year>-`` and 6 characters: 482 million a year, drawn again on a collision (``core.identifiers``)."""
    return f"S-{timezone.localdate().year}-" + draw(6)


class BilingualCatalogueEntry(CatalogueEntry):
    """A catalogue entry with an explicit place in the list."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]


class ObservationCategory(BilingualCatalogueEntry):
    """Something a partner can see or hear: behaviour, never identity."""

    class Meta(BilingualCatalogueEntry.Meta):
        verbose_name = _("observation category")
        verbose_name_plural = _("observation categories")


class AssessmentCriterion(BilingualCatalogueEntry):
    """An ideology-neutral criterion of the joint assessment."""

    class Meta(BilingualCatalogueEntry.Meta):
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")


class SignalStatus(models.TextChoices):
    NEW = "new", _("New, to be triaged")
    ON_AGENDA = "on_agenda", _("On the assessment agenda")
    DECIDED = "decided", _("Decided")


# Not yet decided: the triage queue. Its partial index has exactly this condition; written as NOT (status = ?),
# which SQLite matches to the index with the value bound (an IN list it does not).
OPEN_SIGNALS = ~Q(status=SignalStatus.DECIDED)


class SubmitterStatus(models.TextChoices):
    """What the submitter sees: the state of handling, never its content."""

    RECEIVED = "received", _("Received")
    BEING_HANDLED = "being_handled", _("Being handled")
    HANDLED = "handled", _("Handled")


SUBMITTER_STATUS = {
    SignalStatus.NEW: SubmitterStatus.RECEIVED,
    SignalStatus.ON_AGENDA: SubmitterStatus.BEING_HANDLED,
    SignalStatus.DECIDED: SubmitterStatus.HANDLED,
}


def submitter_status(status: str, still_followed: bool) -> SubmitterStatus:
    """What the submitter reads for a signal's status (``Signal.submitter_status``), from the status and
    whether its handling goes on; also for counts grouped by the two in the database."""
    shown = SUBMITTER_STATUS[SignalStatus(status)]
    return SubmitterStatus.BEING_HANDLED if shown == SubmitterStatus.HANDLED and still_followed else shown


def still_followed_filter() -> Q:
    """``_still_followed`` as a filter of one IN subquery, evaluated once by the database (hashed) rather
    than once per signal: for counting over all of a submitter's signals."""
    return Q(pk__in=Assessment.objects.filter(decision=Decision.TO_CASE_CONFERENCE).values("signal_id"))


def _still_followed() -> Exists:
    """A decided signal is still being handled when it was decided "to the case consultation". That covers
    every signal in a case, open or closed: a case takes only signals so decided (``cases.services.open_case``,
    the one writer of a case's signals), so this app need not look at cases (which sit above it).
    Monitoring reads "handled" to the submitter: it tells her no more about the outcome than a closure would."""
    return Exists(Assessment.objects.filter(signal=OuterRef("pk"), decision=Decision.TO_CASE_CONFERENCE))


class SignalQuerySet(AccessQuerySet["Signal"]):
    def visible_to(self, user: Any) -> SignalQuerySet:
        """Handling view: the coordinator sees all signals; a core partner those on the agenda
        of a session they take part in. Submitters use ``submitted_by`` (status only)."""
        roles = user_roles(user)
        if Role.COORDINATOR in roles:
            return self.all()
        if Role.CORE_PARTNER in roles:  # not after monitoring ended: then nobody outside the municipality works on it
            return self.filter(assessment_session__participants=user, monitoring_ended_on__isnull=True).distinct()
        return self.none()

    def submitted_by_user(self, user: Any) -> SignalQuerySet:
        """The submitter's own signals (for the status-only view), each knowing in one query whether
        its handling goes on (``still_followed``)."""
        if not user_roles(user) & {Role.PARTNER, Role.COORDINATOR}:
            return self.none()
        return self.filter(submitted_by=user).annotate(still_followed=_still_followed())


class Signal(ChoiceLabels, models.Model):
    holds_personal_data = True

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_reference)
    source_organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="signals",
        verbose_name=_("source organisation"),
    )
    submitted_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="submitted_signals",
        verbose_name=_("submitted by"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    reporter = EncryptedTextField(
        _("reported by"), blank=True,
        help_text=_("Who brought this to the coordinator, for reports by phone, e-mail or in person."),
    )
    observations = models.ManyToManyField(
        ObservationCategory, blank=True, related_name="signals", verbose_name=_("observations"),
    )
    description = EncryptedTextField(_("what was seen or heard"))
    context = EncryptedTextField(_("context"), blank=True)
    observed_since = models.DateField(_("since when"), null=True, blank=True)
    acute_danger = models.BooleanField(_("acute danger"), default=False)
    special_category_confirmed = models.BooleanField(default=False, editable=False)

    subject_name = EncryptedTextField(_("name"))
    subject_birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    subject_neighbourhood = models.ForeignKey(
        "network.Neighbourhood", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("neighbourhood"),
    )
    subject_school = EncryptedTextField(_("school or organisation"), blank=True)
    subject_is_minor = models.BooleanField(_("minor"), default=False)

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="signals",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=SignalStatus.choices,
                              default=SignalStatus.NEW)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("triage due on"))
    # The coordinator's first act on the signal (on an agenda, or pre-assessed): triage time is counted to here.
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    # Under monitoring: processing is justified until this date, then re-justified in writing or it lapses.
    justified_until = models.DateField(_("justified until"), null=True, blank=True)
    monitoring_ended_on = models.DateField(_("monitoring ended on"), null=True, blank=True)
    monitoring_lapsed = models.BooleanField(_("lapsed: not re-justified"), default=False)
    assessment_session = models.ForeignKey(
        "AssessmentSession", on_delete=models.PROTECT, null=True, blank=True, related_name="signals",
        verbose_name=_("assessment session"),
    )
    # NULL for "no key", so the partial unique constraint ignores signals submitted without one.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)  # noqa: DJ001
    request_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    retain_until = models.DateField(_("retain until"), db_index=True)  # the nightly purge reads by it

    objects: ClassVar[models.Manager[Signal]] = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "received_at"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.UniqueConstraint(
                fields=["source_organisation", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="intake_signal_idempotency_key_unique",
            ),
        ]
        # The work lists and counts read signals by status in queue order, by the dates the figures count
        # by, and the monitoring whose "justified until" comes near; at national scale a scan is too slow.
        indexes = [
            models.Index(fields=["status", "due_on", "received_at", "id"], name="intake_signal_queue"),
            # The open ones in queue order, and the new ones as "Vandaag" shows them (acute danger first): a
            # few hundred of 70,000, which SQLite's statistics (after ANALYZE) cannot tell from the decided:
            # they count two statuses, not how many signals each has.
            models.Index(fields=["due_on", "received_at", "id"], condition=OPEN_SIGNALS,
                         name="intake_signal_open_queue"),
            models.Index(fields=["-acute_danger", "due_on", "received_at"], condition=Q(status=SignalStatus.NEW),
                         name="intake_signal_new_queue"),
            models.Index(fields=["received_at"], name="intake_signal_received"),
            models.Index(fields=["submitted_by", "-received_at"], name="intake_signal_submitter"),
            # The submitter's "Vandaag" counts her signals by status from this index alone, however many
            # others wait for triage (without it SQLite walks the queue index over every signal).
            models.Index(fields=["submitted_by", "status"], name="intake_signal_submitter_status"),
            # "Vandaag"'s first new signals in their order, also where the status is a bound parameter (SQLite
            # uses a partial index only for a literal it can see, and without statistics sorted every new one).
            models.Index(fields=["status", "-acute_danger", "due_on", "received_at"], name="intake_signal_first_new"),
            models.Index(fields=["triaged_at"], name="intake_signal_triaged"),
            models.Index(fields=["justified_until"], condition=Q(monitoring_ended_on__isnull=True),
                         name="intake_signal_monitoring_due"),
            models.Index(fields=["monitoring_ended_on"], condition=Q(monitoring_ended_on__isnull=False),
                         name="intake_signal_monitoring_end"),  # partial: "IS NULL" is nearly every row
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def submitter_status(self) -> SubmitterStatus:
        """Decided is "handled" unless the signal is on its way to the case consultation or in an open
        case: then it is still being handled."""
        followed = getattr(self, "still_followed", None)
        if followed is None and self.status == SignalStatus.DECIDED:
            followed = Signal.objects.filter(pk=self.pk).filter(_still_followed()).exists()
        return submitter_status(self.status, bool(followed))

    @property
    def is_overdue(self) -> bool:
        return self.status == SignalStatus.NEW and self.due_on < timezone.localdate()

    @property
    def is_on_agenda(self) -> bool:
        return self.status == SignalStatus.ON_AGENDA


class AssessmentSessionQuerySet(AccessQuerySet["AssessmentSession"]):
    def visible_to(self, user: Any) -> AssessmentSessionQuerySet:
        roles = user_roles(user)
        if Role.COORDINATOR in roles:
            return self.all()
        if Role.CORE_PARTNER in roles:
            return self.filter(participants=user)
        return self.none()


class AssessmentSession(ScheduledMeeting):
    """A joint assessment meeting (weging) of the core parties, with signals on its agenda."""

    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    participants = models.ManyToManyField(
        "core.User", related_name="assessment_sessions", verbose_name=_("participants"),
    )
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[AssessmentSession]] = AssessmentSessionQuerySet.as_manager()

    class Meta(ScheduledMeeting.Meta):
        ordering = ["-held_on", "-pk"]
        verbose_name = _("assessment session")
        verbose_name_plural = _("assessment sessions")

    def __str__(self) -> str:
        return f"{self.title} ({short_date(self.held_on)})"


class Decision(models.TextChoices):
    CLOSED_NO_CONCERN = "closed_no_concern", _("Closed: concern unfounded")
    ADVICE_GIVEN = "advice_given", _("Advice given")
    REFERRED_TO_REGULAR_CARE = "referred_to_regular_care", _("Referred to regular care")
    MONITORING = "monitoring", _("Monitoring")
    TO_CASE_CONFERENCE = "to_case_conference", _("To the case consultation")


class AssessmentQuerySet(AccessQuerySet["Assessment"]):
    def visible_to(self, user: Any) -> AssessmentQuerySet:
        return self.filter(signal__in=Signal.objects.visible_to(user))


class Assessment(ChoiceLabels, models.Model):
    """The joint decision on one signal; the rationale is required and the decider named."""

    holds_personal_data = True

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="assessment")
    # Empty for the coordinator's own pre-assessment at triage (always "assessed by one party").
    session = models.ForeignKey(AssessmentSession, on_delete=models.PROTECT, related_name="assessments",
                                null=True, blank=True)
    legal_criterion = models.CharField(_("legal criterion applied"), max_length=300)
    decision = models.CharField(_("decision"), max_length=30, choices=Decision.choices)
    rationale = EncryptedTextField(_("rationale"))
    decided_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    assessed_by_one_party = models.BooleanField(_("assessed by one party"), default=False)
    # Under pseudonymous assessment: whether a participant had the identity revealed before deciding.
    identity_revealed = models.BooleanField(_("identity revealed"), default=False)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    retain_until = models.DateField(_("retain until"), db_index=True)  # the nightly purge reads by it

    objects: ClassVar[models.Manager[Assessment]] = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False) | Q(assessed_by_one_party=True,
                                                       decision__in=["closed_no_concern", "advice_given"]),
                name="intake_assessment_alone_only_light_decisions"),
        ]
        indexes = [models.Index(fields=["decided_at"], name="intake_assessment_decided"),
                   # "Still followed" (the submitter's Vandaag and list) finds the signals sent to the case
                   # consultation from this index instead of reading every assessment.
                   models.Index(fields=["decision", "signal"], name="intake_assessment_decision")]

    def __str__(self) -> str:
        return f"{self.signal} — {self.get_decision_display()}"

    @property
    def is_pre_assessment(self) -> bool:
        return self.session_id is None


class FindingValue(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    UNKNOWN = "unknown", _("Unknown")


class Finding(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey(AssessmentCriterion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("finding"), max_length=10, choices=FindingValue.choices)
    justification = EncryptedTextField(_("justification"))

    class Meta:
        ordering = ["criterion__position", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="intake_finding_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_value_display()}"


class IdentityReveal(models.Model):
    """A participant of a pseudonymous joint assessment had the person's identity shown, for a reason."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="reveals")
    session = models.ForeignKey(AssessmentSession, on_delete=models.SET_NULL, null=True, related_name="+")
    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    reason = models.CharField(_("why the identity is needed"), max_length=500)
    revealed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["revealed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["signal", "user"], name="intake_reveal_once_per_user")]

    def __str__(self) -> str:
        return f"{self.signal} → {self.user}"


class MonitoringJustification(Justification):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="justifications")

    class Meta(Justification.Meta):
        verbose_name = _("re-justification")

    def __str__(self) -> str:
        return f"{self.signal} → {short_date(self.justified_until)}"


# The joint assessment's contributions live in their own module; imported here so Django registers them.
from netwerkregie.intake.contribution_models import Contribution as Contribution  # noqa: E402
from netwerkregie.intake.contribution_models import ContributionCriterion as ContributionCriterion  # noqa: E402
