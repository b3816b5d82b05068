"""Person-centred cases (phases 3 and 4): the case team, the case consultation (its models in
consultation_models.py), the integrated, versioned support plan, reviews and closure. Lists order by dates, never
by anything about people."""

from __future__ import annotations

import datetime
import json
from typing import Any, ClassVar

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.cases.consultation_models import (
    Action as Action,
)
from netwerkregie.cases.consultation_models import (
    ActionStatus as ActionStatus,
)
from netwerkregie.cases.consultation_models import (
    AgendaItem as AgendaItem,
)
from netwerkregie.cases.consultation_models import (
    CaseConsultation as CaseConsultation,
)
from netwerkregie.cases.consultation_models import (
    ConsultationQuerySet as ConsultationQuerySet,
)
from netwerkregie.cases.consultation_models import (
    MinutesVersion as MinutesVersion,
)
from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedTextField
from netwerkregie.core.dates import short_date
from netwerkregie.core.identifiers import draw
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
        """The cases ``user`` may see: those she manages or (a coordinator) opened, compared on the row, and those
        of her active memberships (or, a coordinator, her emergency access) as ``pk IN`` a list read once from
        the index on the user. No lookup per case row (an OR of EXISTS correlated with each case cost a search
        of the memberships for every one of 5,000 cases): per row what is left is a comparison and a probe of
        that list."""
        roles = user_roles(user)
        if not roles & {Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER}:
            return self.none()
        today = timezone.localdate()
        memberships = CaseMembership.objects.filter(active_membership(user, today)).order_by().values("case_id")
        access = Q(pk__in=memberships)
        if roles & {Role.CASE_MANAGER, Role.COORDINATOR}:
            access = Q(case_manager=user) | access  # the cheap comparison first: most rows pass on it
        if Role.COORDINATOR in roles:
            # The coordinator who opened a case follows it; any other case needs reasoned,
            # time-limited emergency access ("break the glass"), which the privacy officer reviews.
            glass = EmergencyAccess.objects.filter(user=user, expires_at__gt=timezone.now()).order_by()
            access = Q(created_by=user) | access | Q(pk__in=glass.values("case_id"))
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
    # When the case manager first opened the case page: until then the case is "new" on her lists
    # (``cases.own_cases``).
    case_manager_opened_at = models.DateTimeField(_("first opened by the case manager"), null=True, blank=True)
    ideology = models.CharField(_("ideology involved"), max_length=30, choices=Ideology.choices,
                                default=Ideology.UNCLEAR)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    next_review_on = models.DateField(_("next review on"))
    review_planned_on = models.DateField(_("review planned on"), null=True, blank=True)  # the meeting, when known
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
