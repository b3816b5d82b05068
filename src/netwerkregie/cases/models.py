"""Person-centred cases (phases 3 and 4): the case team, the case consultation, the integrated,
versioned support plan, reviews and closure. Lists order by dates, never by anything about people."""

from __future__ import annotations

import datetime
import json
from typing import Any, ClassVar

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedTextField
from netwerkregie.core.dates import short_date
from netwerkregie.core.identifiers import draw
from netwerkregie.core.meetings import ScheduledMeeting
from netwerkregie.core.models import CatalogueEntry, ChoiceLabels, Justification
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Covenant


def new_case_reference() -> str:
    """``C-<year>-`` and 5 characters: 17.2 million a year, drawn again on a collision (``core.identifiers``)."""
    return f"C-{timezone.localdate().year}-" + draw(5)


class Ideology(models.TextChoices):
    """Recorded neutrally at case level, for aggregated figures only."""

    JIHADIST = "jihadist", _("Jihadist")
    RIGHT_WING = "right_wing", _("Right-wing extremist")
    LEFT_WING = "left_wing", _("Left-wing extremist")
    ANTI_INSTITUTIONAL = "anti_institutional", _("Anti-institutional")
    OTHER = "other", _("Other")
    UNCLEAR = "unclear", _("Unclear")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MONITORING = "monitoring", _("Monitoring after closure of support")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("Goals achieved")
    RISK_REDUCED = "risk_reduced", _("Concern sufficiently reduced")
    HANDED_OVER = "handed_over", _("Handed over to regular care")
    MOVED = "moved", _("Moved to another municipality (handed over)")
    DETENTION = "detention", _("Criminal-law track; handed over to justice")
    NO_COOPERATION = "no_cooperation", _("No basis to continue")
    OTHER = "other", _("Other")
    LAPSED = "lapsed", _("Lapsed: not re-justified")


def active_membership(user: Any, day: datetime.date) -> Q:
    """Memberships that give access today: not removed, not expired, and the member's organisation
    is a party to a covenant that is valid for case work today."""
    covenants = Covenant.objects.valid_on(day).for_purpose("case_work").filter(parties=OuterRef("organisation"))
    return Q(user=user, removed_at__isnull=True) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day)) & Q(
        Exists(covenants))


class CaseQuerySet(AccessQuerySet["Case"]):
    def visible_to(self, user: Any) -> CaseQuerySet:
        roles = user_roles(user)
        if not roles & {Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER}:
            return self.none()
        today = timezone.localdate()
        members = CaseMembership.objects.filter(active_membership(user, today), case=OuterRef("pk"))
        access = Q(Exists(members))
        if roles & {Role.CASE_MANAGER, Role.COORDINATOR}:
            access |= Q(case_manager=user)
        if Role.COORDINATOR in roles:
            # The coordinator who opened a case follows it; any other case needs reasoned,
            # time-limited emergency access ("break the glass"), which the privacy officer reviews.
            glass = EmergencyAccess.objects.filter(user=user, case=OuterRef("pk"), expires_at__gt=timezone.now())
            access |= Q(created_by=user) | Q(Exists(glass))
        return self.filter(access)


class Case(ChoiceLabels, models.Model):
    holds_personal_data = True

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_case_reference)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("person"))
    related_persons = models.ManyToManyField("people.Person", blank=True, related_name="related_cases",
                                             verbose_name=_("related persons"))
    signals = models.ManyToManyField("intake.Signal", blank=True, related_name="cases", verbose_name=_("signals"))
    opened_reason = EncryptedTextField(_("reason for opening"), blank=True)
    case_manager = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="managed_cases",
                                     verbose_name=_("case manager"))
    ideology = models.CharField(_("ideology involved"), max_length=30, choices=Ideology.choices,
                                default=Ideology.UNCLEAR)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    next_review_on = models.DateField(_("next review on"))
    # Processing is justified until this date; then re-justified in writing (or by a review) or it lapses.
    justified_until = models.DateField(_("justified until"), null=True, blank=True)
    person_informed_on = models.DateField(_("person informed on"), null=True, blank=True)
    informing_delay_reason = EncryptedTextField(_("reason informing is delayed"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=30, choices=ClosureReason.choices,
                                      blank=True)
    handover_note = EncryptedTextField(_("warm handover"), blank=True)
    monitoring_until = models.DateField(_("monitoring until"), null=True, blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    retain_until = models.DateField(_("retain until"), db_index=True)  # the nightly purge reads by it

    objects: ClassVar[models.Manager[Case]] = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["next_review_on", "opened_on"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def review_overdue(self) -> bool:
        return self.is_open and self.next_review_on < timezone.localdate()


class CaseMembership(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="case_memberships",
                             verbose_name=_("user"))
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    role_in_case = models.CharField(_("role in the case"), max_length=100)
    reason = models.CharField(_("why this member"), max_length=300)
    added_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateField(_("member until"), null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], condition=Q(removed_at__isnull=True),
                                    name="cases_membership_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role_in_case}"


class DataCategory(models.TextChoices):
    IDENTIFICATION = "identification", _("Identifying data")
    EDUCATION = "education", _("School and education")
    CARE = "care", _("Care and health")
    POLICE = "police", _("Police data")
    JUSTICE = "justice", _("Judicial data")
    FAMILY = "family", _("Family situation")
    HOUSING_INCOME = "housing_income", _("Housing, income and debt")
    OTHER = "other", _("Other")


class DataContribution(models.Model):
    """Provenance: which organisation contributed which category of data to the case, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    category = models.CharField(_("category of data"), max_length=30, choices=DataCategory.choices)
    reason = models.CharField(_("why it was needed"), max_length=500)
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_category_display()}"


class LifeDomain(models.TextChoices):
    CARE = "care", _("Care")
    MENTORING = "mentoring", _("Mentoring")
    SCHOOL = "school", _("School")
    WORK = "work", _("Internship or work")
    HOUSING = "housing", _("Housing")
    INCOME = "income", _("Income and debt")
    FAMILY = "family", _("Family support")
    EXIT = "exit", _("Exit guidance")
    DIALOGUE = "dialogue", _("Ideological dialogue")
    MEASURE = "measure", _("Administrative or criminal-law measure")


class InterventionType(CatalogueEntry):
    """The configurable catalogue of interventions; measures are compulsory by nature."""

    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    compulsory = models.BooleanField(_("compulsory measure"), default=False)

    class Meta:
        ordering = ["domain", "label_nl"]


class PlanStatus(models.TextChoices):
    IN_EFFECT = "in_effect", _("In effect")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval (compulsory measures)")
    NOT_APPROVED = "not_approved", _("Not approved")


class PlanVersion(models.Model):
    """One saved state of a case's integrated support plan. Versions are never changed; the newest one in
    effect is the plan (a version with new compulsory measures may wait for a second coordinator's approval).
    The content is encrypted JSON: goals, protective factors, interventions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.IN_EFFECT)
    content = EncryptedTextField()
    change_note = models.CharField(_("what changed"), max_length=300)
    saved_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="cases_planversion_unique")]

    def __str__(self) -> str:
        return f"{self.case} v{self.number}"

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.content)
        return data

    @property
    def is_in_effect(self) -> bool:
        return self.status == PlanStatus.IN_EFFECT

    @property
    def is_awaiting_approval(self) -> bool:
        return self.status == PlanStatus.AWAITING_APPROVAL

    def compulsory_measures(self) -> list[tuple[Any, ...]]:
        """What a second person approves: the compulsory measures, as (type, goal, start, end)."""
        return sorted((i["type"], i["goal"], i["starts_on"], i["ends_on"]) for i in self.data["interventions"]
                      if i.get("compulsory"))


def plan_in_effect(case: Case) -> PlanVersion | None:
    return case.plan_versions.filter(status=PlanStatus.IN_EFFECT).order_by("-number").first()


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", _("Continue the plan")
    SCALE_UP = "scale_up", _("Scale up")
    SCALE_DOWN = "scale_down", _("Scale down")
    CLOSE = "close", _("Prepare closure")


class Review(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("date"))
    # The review date the case had when this review was held: "on time" means held_on <= due_on.
    due_on = models.DateField(_("was due on"), null=True, blank=True)
    still_necessary = models.BooleanField(_("still necessary and proportionate"))
    rationale = EncryptedTextField(_("rationale"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    reviewed_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {short_date(self.held_on)}"


class ConsultationQuerySet(AccessQuerySet["CaseConsultation"]):
    def visible_to(self, user: Any) -> ConsultationQuerySet:
        roles = user_roles(user)
        if Role.COORDINATOR in roles:
            return self.all()
        if roles & {Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER}:
            return self.filter(attendees=user).distinct()
        return self.none()


class CaseConsultation(ScheduledMeeting):
    """A case consultation (casusoverleg) with its attendees and agenda."""

    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    attendees = models.ManyToManyField("core.User", related_name="case_consultations", verbose_name=_("attendees"))
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[models.Manager[CaseConsultation]] = ConsultationQuerySet.as_manager()

    class Meta(ScheduledMeeting.Meta):
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({short_date(self.held_on)})"


class AgendaItem(models.Model):
    consultation = models.ForeignKey(CaseConsultation, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_items")
    minutes = EncryptedTextField(_("minutes"), blank=True)
    decisions = EncryptedTextField(_("decisions"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["consultation", "case"], name="cases_agendaitem_unique")]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.case}"

    @property
    def versions(self) -> list[MinutesVersion]:
        """The established minutes, oldest first (reads a prefetch of ``minutes_versions`` when there is one)."""
        return sorted(self.minutes_versions.all(), key=lambda version: version.number)

    @property
    def established(self) -> MinutesVersion | None:
        """The first version: what the chair established, and when."""
        versions = self.versions
        return versions[0] if versions else None

    @property
    def current_version(self) -> MinutesVersion | None:
        """The version in force: the last correction, or the established text when there is none."""
        versions = self.versions
        return versions[-1] if versions else None


class MinutesVersion(models.Model):
    """The minutes of one agenda item as a record: number 1 is the text the chair established, each later
    number a correction with its reason. A version is never changed; it goes only with its case."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveIntegerField(_("version"))
    minutes = EncryptedTextField(_("minutes"), blank=True)
    decisions = EncryptedTextField(_("decisions"), blank=True)
    reason = EncryptedTextField(_("reason for the correction"), blank=True)
    author = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="cases_minutesversion_unique")]

    def __str__(self) -> str:
        return f"{self.item}: {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A version of the minutes is never changed; a correction is a new version.")
        super().save(*args, **kwargs)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Action(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedTextField(_("action"))
    owner = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="case_actions",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.item.case}: {short_date(self.due_on)}"


class EmergencyAccessQuerySet(AccessQuerySet["EmergencyAccess"]):
    def visible_to(self, user: Any) -> EmergencyAccessQuerySet:
        roles = user_roles(user)
        if Role.PRIVACY_OFFICER in roles:
            return self.all()
        return self.filter(user=user) if Role.COORDINATOR in roles else self.none()


class EmergencyAccess(models.Model):
    """'Break the glass': a coordinator opens a case outside their team, for a stated reason, for a
    limited time. Every grant waits in the privacy officer's review queue."""

    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="emergency_accesses")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_accesses")
    reason = models.CharField(_("reason"), max_length=500)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review"), max_length=500, blank=True)
    review_justified = models.BooleanField(_("justified"), null=True)

    objects: ClassVar[models.Manager[EmergencyAccess]] = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.case} ({short_date(self.granted_at)})"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()


class CaseJustification(Justification):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="justifications")
    review = models.ForeignKey(Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta(Justification.Meta):
        verbose_name = _("re-justification")

    def __str__(self) -> str:
        return f"{self.case} → {short_date(self.justified_until)}"
