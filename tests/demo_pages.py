"""The pages of the demo municipality that each role opens beyond its menu, for sweeps over every page."""

from django.test import Client
from django.urls import reverse

from netwerkregie.approvals.models import Approval
from netwerkregie.cases.models import AgendaItem, Case, CaseConsultation
from netwerkregie.core.models import RoleGrantRequest, User
from netwerkregie.intake.models import AssessmentSession, ObservationCategory, Signal
from netwerkregie.network.models import Organisation
from netwerkregie.privacy.models import DataSubjectRequest
from netwerkregie.programmes.models import Activity
from netwerkregie.sharing.models import Referral

ROLES = ["netwerkregisseur", "kernpartner", "casusregisseur", "programma", "privacy", "partner", "analist", "beheer",
         "ontvanger", "fiatteur"]


def pages_for(local: str) -> list[str]:
    case = Case.objects.filter(signals__isnull=False).first()
    consultation = CaseConsultation.objects.first()
    item = consultation.items.first()
    record = AgendaItem.objects.filter(minutes_versions__number=2).first()  # established, then corrected
    signal = Signal.objects.filter(person__isnull=False).first()
    school = Organisation.objects.get(name="Het Lindeveen College")
    session = AssessmentSession.objects.first()
    agendas = Signal.objects.filter(status="on_agenda",
                                    assessment_session__participants__email="kernpartner@demo.netwerkregie.test")
    agenda = agendas.first()
    monitored = Signal.objects.filter(assessment__decision="monitoring", monitoring_ended_on__isnull=True).first()
    running = Case.objects.filter(status="open", case_manager__email="casusregisseur@demo.netwerkregie.test").first()
    accepted = Referral.objects.filter(status="accepted").first()
    pending = Approval.objects.filter(status="pending").first()
    waiting = RoleGrantRequest.objects.filter(outcome="pending").first()
    refused = RoleGrantRequest.objects.filter(outcome="refused").first()
    decided = Approval.objects.exclude(status="pending").filter(referral__isnull=False).first()
    referred = Signal.objects.filter(assessment__decision="referred_to_regular_care", person__isnull=False,
                                     idempotency_key__startswith="demo-").first() or Signal.objects.filter(
        assessment__decision="referred_to_regular_care", person__isnull=False).first()
    return {
        "netwerkregisseur": [
            reverse("intake:signal_new"), reverse("intake:signal_detail", args=[signal.reference]),
            reverse("intake:person_detail", args=[signal.person.pseudonym]),
            reverse("intake:session_detail", args=[session.pk]), reverse("intake:session_schedule", args=[session.pk]),
            reverse("intake:session_decide", args=[agenda.assessment_session_id, agenda.reference]),
            reverse("intake:session_new"), reverse("intake:consultation_new"),
            reverse("cases:case_new"), reverse("cases:case_list"), reverse("cases:emergency_access"),
            reverse("cases:case_detail", args=[case.reference]), reverse("cases:plan_edit", args=[case.reference]),
            reverse("cases:plan_history", args=[case.reference]), reverse("cases:duties", args=[case.reference]),
            reverse("cases:review_new", args=[case.reference]), reverse("cases:review_plan", args=[case.reference]),
            reverse("cases:member_add", args=[case.reference]),
            reverse("cases:case_close", args=[case.reference]), reverse("cases:consultation_new"),
            reverse("cases:consultation_detail", args=[consultation.pk]),
            reverse("cases:consultation_schedule", args=[consultation.pk]),
            reverse("cases:agenda_item", args=[consultation.pk, item.pk]),
            reverse("cases:agenda_item", args=[record.consultation_id, record.pk]),
            reverse("cases:minutes_history", args=[record.consultation_id, record.pk]),
            reverse("cases:minutes_correct", args=[record.consultation_id, record.pk]),
            *(reverse("cases:agenda_item", args=[draft.consultation_id, draft.pk])  # held, not yet established
              for draft in record.consultation.items.filter(minutes_versions__isnull=True)[:1]),
            reverse("network:organisation_list"), reverse("network:organisation_detail", args=[school.pk]),
            reverse("network:contact_new", args=[school.pk]), reverse("network:partner_invite", args=[school.pk]),
            reverse("network:covenant_list"),
            reverse("network:covenant_new"), reverse("network:contact_moment_list"),
            reverse("network:contact_moment_new"), reverse("network:organisation_new"),
            reverse("network:organisation_edit", args=[school.pk]), reverse("network:neighbourhood_list"),
            reverse("network:contact_edit", args=[school.contacts.first().pk]),
            reverse("network:covenant_edit", args=[school.covenants.first().pk]),
            reverse("intake:signal_justify", args=[monitored.reference]),
            reverse("search:index") + f"?key={signal.person.pseudonym}",
            reverse("search:merge", args=[signal.person.pseudonym]),
            reverse("search:remove", args=[signal.person.pseudonym]),
            reverse("cases:case_justify", args=[running.reference]),
            reverse("sharing:refer_case", args=[accepted.case.reference]),
            reverse("cases:case_detail", args=[accepted.case.reference]),
            reverse("sharing:refer_signal", args=[referred.reference]),
            reverse("sharing:approval_list"), reverse("sharing:approval_detail", args=[pending.pk]),
            reverse("sharing:approval_detail", args=[decided.pk]),
            reverse("accounts:account"),  # the notification settings: the most kinds of work
        ],
        # Pseudonymous assessment: one signal on the agenda is masked, one was revealed with a reason.
        "kernpartner": [reverse("intake:session_detail", args=[agenda.assessment_session_id]),
                        *(reverse("intake:session_decide", args=[s.assessment_session_id, s.reference])
                          for s in agendas),
                        reverse("intake:signal_detail", args=[agenda.reference])],
        "casusregisseur": [reverse("cases:case_list"), reverse("cases:case_person", args=[case.reference]),
                           reverse("cases:agenda_item", args=[record.consultation_id, record.pk]),
                           reverse("cases:minutes_history", args=[record.consultation_id, record.pk]),
                           reverse("cases:consultation_new"), reverse("cases:case_justify", args=[running.reference]),
                           reverse("cases:case_detail", args=[accepted.case.reference]),
                           reverse("sharing:refer_case", args=[accepted.case.reference]),
                           reverse("sharing:approval_detail", args=[pending.pk])],
        "ontvanger": [reverse("sharing:received", args=[accepted.reference]), reverse("accounts:account")],
        "fiatteur": [reverse("sharing:approval_detail", args=[pending.pk]),
                     reverse("sharing:approved_case", args=[pending.pk])],
        "programma": [
            reverse("programmes:activity_new"),
            reverse("programmes:activity_detail", args=[Activity.objects.first().pk]),
            reverse("programmes:budget_new"), reverse("programmes:expense_new"),
        ],
        "privacy": [
            reverse("privacy:person_audit") + f"?pseudonym={signal.person.pseudonym}",
            reverse("privacy:request_detail", args=[DataSubjectRequest.objects.first().pk]),
            reverse("privacy:register"), reverse("privacy:register") + "?dpia=1", reverse("privacy:verification"),
            reverse("accounts:role_grant_detail", args=[waiting.pk]),
        ],
        "partner": [reverse("accessibility_statement"), reverse("intake:consultation_new"),
                    reverse("intake:my_signal", args=[Signal.objects.filter(
                        submitted_by__email="partner@demo.netwerkregie.test").first().reference])],
        "analist": [reverse("accounts:account")],  # no work announced by mail: the section says so
        "beheer": [reverse("accounts:password_change"), reverse("catalogues:new", args=["interventions"]),
                   reverse("catalogues:edit", args=["observations", ObservationCategory.objects.first().pk]),
                   reverse("accounts:user_new"),
                   reverse("accounts:user_edit", args=[User.objects.get(email="partner@demo.netwerkregie.test").pk]),
                   reverse("accounts:user_edit", args=[User.objects.get(email="beheer@demo.netwerkregie.test").pk]),
                   reverse("accounts:user_edit",
                           args=[User.objects.get(email="netwerkregisseur@demo.netwerkregie.test").pk]),
                   reverse("accounts:backup_codes"),
                   reverse("accounts:user_edit", args=[waiting.user_id]), reverse("accounts:role_grant_list"),
                   reverse("accounts:role_grant_detail", args=[waiting.pk]),
                   reverse("accounts:role_grant_detail", args=[refused.pk])],
    }[local]


def demo_client(local: str) -> Client:
    """A client signed in as the demo user ``<local>@demo.netwerkregie.test``, second factor included."""
    from tests.conftest import verified_client

    user = User.objects.get(email=f"{local}@demo.netwerkregie.test")
    if user.requires_mfa:
        return verified_client(user)
    client = Client()
    client.force_login(user)
    return client
