"""What needs each role today: one panel builder per role, each using the owning app's querysets
(``visible_to``) and work lists, so a count here always equals the list it links to.

Nothing here is ordered by anything about a person: only by dates, and for new signals first by
the acute danger their submitter reported."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from netwerkregie.accounts.sign_in import users_without_second_factor
from netwerkregie.api.models import ApiToken
from netwerkregie.approvals.approvers import may_approve
from netwerkregie.approvals.models import Approval, ApprovalStatus
from netwerkregie.approvals.services import pending_for
from netwerkregie.cases import justification as case_justification
from netwerkregie.cases import queries as case_queries
from netwerkregie.cases.models import Case, CaseStatus, ClosureReason, EmergencyAccess
from netwerkregie.cases.own_cases import show_names
from netwerkregie.catalogues.registry import CATALOGUES
from netwerkregie.core import grants, outbox, second_factor
from netwerkregie.core.counting import capped_count
from netwerkregie.core.models import RoleGrantRequest, User
from netwerkregie.core.roles import Role
from netwerkregie.intake import justification as intake_justification
from netwerkregie.intake import queries as intake_queries
from netwerkregie.intake.models import Consultation, Signal, SignalStatus, still_followed_filter, submitter_status
from netwerkregie.network import services as network_services
from netwerkregie.ops import jobs, lease
from netwerkregie.privacy import purge
from netwerkregie.privacy.models import DataSubjectRequest, LegalHold, RequestStatus
from netwerkregie.programmes.models import Activity
from netwerkregie.programmes.services import budget_lines
from netwerkregie.reports.suppression import Row, small, threshold
from netwerkregie.sharing.models import Referral, ReferralStatus

SHOWN = 5  # items listed per panel; the count links to the whole list


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _listed(queryset: Any, key: str, count_key: str) -> dict[str, Any]:
    """The first SHOWN of a work list and how many there are: counted only when the list is full (a
    shorter list is all there is), which saves a query per panel on most days; and then capped ("99+"), so
    a long list costs no more than a short one."""
    items = list(queryset[:SHOWN])
    return {key: items, count_key: len(items) if len(items) < SHOWN else capped_count(queryset)}


def _url(name: str, *args: Any, query: dict[str, Any] | None = None, anchor: str = "") -> str:
    url = reverse(name, args=args)
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


def coordinator(user: User, today: datetime.date) -> list[Panel]:
    counts = intake_queries.new_signal_counts(user, today)
    new = list(intake_queries.new_signals_first_due(user)[:SHOWN])
    session = intake_queries.upcoming_sessions(user, today).first()
    reviews = case_queries.reviews_due(user, today)
    actions = case_queries.actions_due(user, today)
    follow_ups = network_services.follow_ups_due(today)
    stale = network_services.stale_partners(today)
    emergency = EmergencyAccess.objects.visible_to(user).filter(user=user, expires_at__gt=timezone.now())
    return [
        Panel("today/_signals.html", {
            "counts": counts, "signals": new,
            "new_url": _url("intake:triage", query={"status": "new"}),
            "overdue_url": _url("intake:triage", query={"status": "new", "overdue": "on"}),
            "acute_url": _url("intake:triage", query={"status": "new", "acute": "on"}),
        }),
        Panel("today/_meetings.html", {
            "session": session, "consultation": case_queries.next_consultation(user, today),
        }),
        Panel("today/_case_work.html", {
            **_listed(reviews, "reviews", "review_count"),
            **_listed(actions, "actions", "action_count"), "today": today,
        }),
        Panel("today/_network.html", {
            **_listed(follow_ups, "follow_ups", "follow_up_count"),
            "stale": stale[:SHOWN], "stale_count": len(stale), "today": today,
        }),
        Panel("today/_emergency.html", {"accesses": list(emergency.select_related("case"))}),
        _approvals_panel(user),
        _justify_panel(user, today),
    ]


def _approvals_panel(user: User) -> Panel:
    """Acts that wait for this coordinator's approval (never their own), and what they asked of others."""
    pending = pending_for(user)
    mine = Approval.objects.filter(status=ApprovalStatus.PENDING, requested_by=user)
    return Panel("today/_approvals.html", {**_listed(pending, "approvals", "count"),
                                           "mine": mine.count(), "url": _url("sharing:approval_list")})


def recipient(user: User, today: datetime.date) -> list[Panel]:
    referrals = Referral.objects.visible_to(user)
    to_answer = referrals.filter(status=ReferralStatus.SENT).order_by("expires_on", "pk")
    return [Panel("today/_referrals.html", {
        **_listed(to_answer.select_related("intervention"), "to_answer", "count"),
        "accepted": referrals.filter(status=ReferralStatus.ACCEPTED).count(), "url": _url("sharing:inbox"),
    })]


def _justify_panel(user: User, today: datetime.date) -> Panel:
    """Registrations this user answers for whose "justified until" date is near, and those that lapsed."""
    signals = intake_justification.to_justify(user, today)
    cases = case_justification.to_justify(user, today)
    since = today - datetime.timedelta(days=settings.REJUSTIFY_NOTICE_DAYS)
    lapsed_cases = Case.objects.visible_to(user).filter(closure_reason=ClosureReason.LAPSED, closed_on__gte=since)
    lapsed_signals = Signal.objects.visible_to(user).filter(monitoring_lapsed=True, monitoring_ended_on__gte=since)
    if not user.has_role(Role.COORDINATOR):
        lapsed_cases = lapsed_cases.filter(case_manager=user)
    return Panel("today/_justify.html", {
        **_listed(signals, "signals", "signal_count"),
        **_listed(cases, "cases", "case_count"), "today": today,
        "lapsed": [*lapsed_cases.values_list("reference", flat=True)[:SHOWN],
                   *lapsed_signals.values_list("reference", flat=True)[:SHOWN]],
        "notice_days": settings.REJUSTIFY_NOTICE_DAYS, "coordinator": user.has_role(Role.COORDINATOR),
    })


def core_partner(user: User, today: datetime.date) -> list[Panel]:
    sessions = intake_queries.upcoming_sessions(user, today)
    cases = case_queries.my_cases(user)
    return [
        Panel("today/_sessions.html", {**_listed(sessions, "sessions", "session_count")}),
        Panel("today/_my_cases.html", {
            **_listed(cases, "cases", "case_count"), "today": today,
            "consultation": case_queries.next_consultation(user, today),
        }),
    ]


def case_manager(user: User, today: datetime.date) -> list[Panel]:
    cases = case_queries.with_open_actions(case_queries.my_cases(user)).order_by(
        F("new_to_user").desc(), Coalesce("review_planned_on", "next_review_on"), "opened_on", "pk")  # new first
    actions = case_queries.actions_due(user, today)
    listed = _listed(cases.select_related("person"), "cases", "case_count")
    show_names(listed["cases"], user, shown_in="today")  # her own cases by name, each a logged read
    return [
        Panel("today/_my_cases.html", {
            **listed, "today": today, "next_steps": True,
            "consultation": case_queries.next_consultation(user, today),
        }),
        Panel("today/_case_work.html", {
            **_listed(actions, "actions", "action_count"), "today": today, "only_actions": True,
        }),
        _approvals_panel(user),
        _justify_panel(user, today),
    ]


def partner(user: User, today: datetime.date) -> list[Panel]:
    signals = Signal.objects.submitted_by_user(user).order_by("-received_at")
    # Counted in the database: by status, and how many decided ones are still followed (those read "being
    # handled" to the submitter, as on her list).
    by_status: Counter[str] = Counter()
    counts = dict(signals.order_by().values_list("status").annotate(n=Count("pk")))
    followed = (signals.filter(status=SignalStatus.DECIDED).filter(still_followed_filter()).count()
                if counts.get(SignalStatus.DECIDED) else 0)
    for status, count in counts.items():
        by_status[str(submitter_status(status, False).label)] += count
    if followed:
        by_status[str(submitter_status(SignalStatus.DECIDED, False).label)] -= followed
        by_status[str(submitter_status(SignalStatus.DECIDED, True).label)] += followed
    by_status = +by_status  # without statuses left at zero
    panels = [Panel("today/_partner.html", {
        "signals": list(signals[:SHOWN]), "signal_count": sum(by_status.values()),
        "by_status": sorted(by_status.items()),
        "consultations": Consultation.objects.visible_to(user).count(),
    })]
    cases = case_queries.my_cases(user)
    if cases.exists():  # a partner works in a case only when added to its team
        panels.append(Panel("today/_my_cases.html", {**_listed(cases, "cases", "case_count"),
                                                     "today": today}))
    return panels


def programme_officer(user: User, today: datetime.date) -> list[Panel]:
    upcoming = Activity.objects.visible_to(user).filter(ends_on__gte=today).order_by("starts_on", "title")
    return [Panel("today/_programmes.html", {
        **_listed(upcoming, "activities", "activity_count"),
        "lines": budget_lines(today.year), "year": today.year,
    })]


def privacy_officer(user: User, today: datetime.date) -> list[Panel]:
    near, since = today + datetime.timedelta(days=14), today - datetime.timedelta(days=14)
    requests = (DataSubjectRequest.objects.visible_to(user)
                .filter(status__in=[RequestStatus.OPEN, RequestStatus.EXTENDED], deadline__lte=near)
                .order_by("deadline", "pk"))
    unreviewed = EmergencyAccess.objects.visible_to(user).filter(reviewed_at__isnull=True)
    tomorrow = today + datetime.timedelta(days=1)  # the nightly purge runs after midnight
    held = {(h.object_type, h.object_id) for h in LegalHold.objects.active()}
    next_purge = []
    for rule in purge.RULES:
        records = rule.queryset(tomorrow)
        count = records.count()
        if count:
            label = records.model._meta.label_lower
            held_ids = [object_id for kind, object_id in held if kind == label and object_id.isdigit()]
            on_hold = records.filter(pk__in=held_ids).count() if held_ids else 0  # holds are few; records many
            next_purge.append({"rule": rule.name, "model": records.model._meta.verbose_name_plural,
                               "count": count, "held": on_hold})
    return [Panel("today/_privacy.html", {
        **_listed(requests, "requests", "request_count"),
        **_listed(unreviewed.select_related("user", "case"), "unreviewed", "unreviewed_count"),
        "next_purge": next_purge, "today": today,
        "lapsed_count": (Case.objects.filter(closure_reason=ClosureReason.LAPSED, closed_on__gte=since).count()
                         + Signal.objects.filter(monitoring_lapsed=True, monitoring_ended_on__gte=since).count()),
    }), _role_grants_panel(user, today, oversight=True), _second_factor_resets_panel(user, today), _jobs_panel(user),
        _verification_panel(user)]


def _second_factor_resets_panel(user: User, today: datetime.date) -> Panel:
    """The administrators' resets of a person's second factor in the last days: who reset whose, when (a reset
    undoes the second factor until the person sets it up again, so the privacy officer sees each)."""
    since = today - datetime.timedelta(days=second_factor.RESETS_SHOWN_DAYS)
    resets = second_factor.recent_resets(user, since)
    return Panel("today/_second_factor_resets.html", {
        "resets": resets[:SHOWN], "count": len(resets), "days": second_factor.RESETS_SHOWN_DAYS,
        "url": _url("core:audit_log", query={"action": "delete", "object_type": "core.user",
                                             "date_from": since.isoformat()}),
    })


def _jobs_panel(user: User) -> Panel:
    """Scheduled jobs whose last run failed or that missed their time, and a scheduler that stopped beating
    (the privacy officer's and the administrator's; the list is on the privacy officer's overview)."""
    return Panel("today/_jobs.html", {
        "failed": jobs.failed(), "missed": jobs.missed(), "heartbeat": jobs.heartbeat_is_recent(),
        "last_heartbeat": lease.last_heartbeat(),
        "url": _url("privacy:overview", anchor="jobs-heading") if user.has_role(Role.PRIVACY_OFFICER) else "",
    })


def _verification_panel(user: User) -> Panel:
    """The audit chain's last verification as the scheduler recorded it, and "verify now": this page starts
    no verification (a walk of millions of events does not belong in a web request)."""
    return Panel("today/_verification.html", {"v": jobs.verification_state()})


def admin(user: User, today: datetime.date) -> list[Panel]:
    missing = users_without_second_factor(user)
    catalogues = [{"key": key, "title": catalogue.title,
                   "active": catalogue.model.objects.filter(is_active=True).count(),  # type: ignore[attr-defined]
                   "inactive": catalogue.model.objects.filter(is_active=False).count()}  # type: ignore[attr-defined]
                  for key, catalogue in CATALOGUES.items()]
    return [Panel("today/_admin.html", {
        **_listed(missing, "missing", "missing_count"),
        "missing_url": _url("accounts:user_list", query={"mfa": "missing"}), "catalogues": catalogues,
    }), _role_grants_panel(user, today, oversight=False), _api_tokens_panel(today), _jobs_panel(user), _outbox_panel()]


def _outbox_panel() -> Panel:
    """Mail waiting in the outbox and mail that failed (``core.outbox``): recipient, subject, status, attempts and
    the last error, never a body."""
    return Panel("today/_outbox.html", outbox.state(SHOWN))


def _api_tokens_panel(today: datetime.date) -> Panel:
    """Partner API tokens that expire soon or expired lately: a partner system is, or will be, cut off."""
    return Panel("today/_api_tokens.html", {
        **_listed(ApiToken.objects.expiring(today), "tokens", "count"), "now": timezone.now(),
        "notice_days": settings.API_TOKEN_EXPIRY_NOTICE_DAYS,
    })


def _role_grants_panel(user: User, today: datetime.date, *, oversight: bool) -> Panel:
    """Grants of roles that wait for a second person. The privacy officer oversees them all, and those decided
    in the last days; an administrator sees those they may confirm (another's request) and their own."""
    waiting = RoleGrantRequest.objects.visible_to(user).pending()
    context = {**_listed(grants.to_decide(user), "to_decide", "to_decide_count"), "oversight": oversight,
               "url": _url("accounts:role_grant_list"), "days": grants.RECENT_DAYS}
    if oversight:
        recent = grants.recently_decided(user, today)
        context.update({"pending_count": waiting.count(), **_listed(recent, "recent", "recent_count")})
    else:
        context["mine_count"] = waiting.filter(requested_by=user).count()
    return Panel("today/_role_grants.html", context)


def _suppressed(value: int) -> str:
    """Small numbers are not shown, so no figure points at an individual (the reports' rule and threshold)."""
    return Row("", value, small(value)).shown


def analyst(user: User, today: datetime.date) -> list[Panel]:
    year_start = datetime.date(today.year, 1, 1)
    activities = Activity.objects.filter(starts_on__gte=year_start, starts_on__lte=today)
    figures = [
        ("signals", Signal.objects.filter(received_at__year=today.year).count()),  # __year: an indexable range
        ("consultations", Consultation.objects.filter(created_at__year=today.year).count()),
        ("cases_running", Case.objects.exclude(status=CaseStatus.CLOSED).count()),
        ("activities", activities.count()),
        ("participants", activities.aggregate(n=Sum("participants"))["n"] or 0),
    ]
    return [Panel("today/_analyst.html", {
        "figures": {key: _suppressed(value) for key, value in figures}, "year": today.year,
        "threshold": threshold(),
    })]


BUILDERS = [
    (Role.COORDINATOR, coordinator), (Role.CORE_PARTNER, core_partner), (Role.CASE_MANAGER, case_manager),
    (Role.PARTNER, partner), (Role.PROGRAMME_OFFICER, programme_officer), (Role.PRIVACY_OFFICER, privacy_officer),
    (Role.ADMIN, admin), (Role.ANALYST, analyst), (Role.RECIPIENT, recipient),
]


def approver(user: User, today: datetime.date) -> list[Panel]:
    """Whoever approves (the approver role, or a role APPROVER_ROLES names): what waits for them."""
    return [_approvals_panel(user)] if may_approve(user) else []


def panels_for(user: User, today: datetime.date) -> list[Panel]:
    panels: list[Panel] = []
    for role, build in BUILDERS:
        if user.has_role(role):
            panels.extend(p for p in build(user, today) if p.template not in {q.template for q in panels})
    panels.extend(p for p in approver(user, today) if p.template not in {q.template for q in panels})
    return panels
