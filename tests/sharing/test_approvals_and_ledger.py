"""A second person's approval, and the disclosure ledger: an act that needs approval does not take effect
without it, its author cannot approve it; every disclosure is in the ledger, on the case, in the access
export and for the privacy officer, and goes with the case at the purge, leaving tombstones."""

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from netwerkregie.approvals import services as approvals
from netwerkregie.approvals.models import Approval, ApprovalStatus
from netwerkregie.cases import closure as case_closure
from netwerkregie.cases import consultations as case_consultations
from netwerkregie.cases import services as cases
from netwerkregie.cases.models import CaseStatus, PlanStatus, plan_in_effect
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.disclosures.models import Disclosure, SharedData
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.privacy.services import register_request
from netwerkregie.sharing import services
from netwerkregie.sharing.models import Referral, ReferralStatus
from tests.case_helpers import case_work_covenant, decided_case, intervention, second_coordinator
from tests.conftest import make_user, verified_client
from tests.sharing_helpers import receiving_organisation, referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(users):
    receiving_organisation(users)
    return decided_case(users, "Jesse de Boer")


def test_a_plan_with_new_compulsory_measures_takes_effect_only_when_approved(users, case) -> None:
    manager, coordinator = users[Role.CASE_MANAGER], users[Role.COORDINATOR]
    first = cases.save_plan(case, goals=["School afmaken."], protective_factors="", base_version=0,
                            interventions=[intervention("mentor")], change_note="Plan", actor=manager)
    assert first.status == PlanStatus.IN_EFFECT  # voluntary support only: no approval
    second = cases.save_plan(case, goals=["School afmaken."], protective_factors="", base_version=1,
                             interventions=[intervention("mentor"), intervention("area_ban")],
                             change_note="Gebiedsverbod", actor=manager)
    assert second.status == PlanStatus.AWAITING_APPROVAL
    assert plan_in_effect(case) == first
    page = verified_client(manager).get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "wacht op akkoord" in page
    assert "Gebiedsverbod (burgemeester)" not in page.split("Evaluaties")[0]
    approval = Approval.objects.get(plan_version=second)
    approvals.decide(approval, actor=coordinator, approve=True, note="")
    assert plan_in_effect(case) == second
    # The same compulsory measures in a next version need no new approval.
    third = cases.save_plan(case, goals=["School afmaken.", "Sport."], protective_factors="", base_version=2,
                            interventions=[intervention("mentor"), intervention("area_ban")],
                            change_note="Doel erbij", actor=manager)
    assert third.status == PlanStatus.IN_EFFECT


def test_the_author_cannot_approve_their_own_act(users, case) -> None:
    coordinator = users[Role.COORDINATOR]
    approval = case_closure.request_closure(case, reason="goals_achieved", handover_note="Overgedragen.",
                                        actor=coordinator)
    with pytest.raises(ValidationError, match="eigen handeling"):
        approvals.decide(approval, actor=coordinator, approve=True, note="")
    client = verified_client(coordinator)
    url = reverse("sharing:approval_detail", args=[approval.pk])
    page = client.get(url).content.decode()
    assert "U hebt dit gevraagd" in page
    assert 'value="approve"' not in page
    assert client.post(url, {"decision": "approve"}).status_code == 403
    case.refresh_from_db()
    assert case.is_open
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    # Not on the author's own "today" list either; on the other coordinator's.
    other = second_coordinator(coordinator.organisation)
    assert list(approvals.pending_for(coordinator)) == []
    assert list(approvals.pending_for(other)) == [approval]
    home = verified_client(other).get(reverse("home")).content.decode()
    assert reverse("sharing:approval_detail", args=[approval.pk]) in home


def test_a_closure_does_not_take_effect_without_approval(users, case) -> None:
    manager = users[Role.CASE_MANAGER]
    with pytest.raises(ValidationError, match="akkoord"):
        case_closure.close_case(case, reason="goals_achieved", handover_note="Overgedragen.", actor=manager)
    client = verified_client(manager)
    client.post(reverse("cases:case_close", args=[case.reference]),
                {"reason": "goals_achieved", "handover_note": "Overgedragen aan het wijkteam."})
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    approval = Approval.objects.get(case=case)
    coordinator = verified_client(users[Role.COORDINATOR])
    refused = coordinator.post(reverse("sharing:approval_detail", args=[approval.pk]), {"decision": "refuse"})
    assert refused.status_code == 422
    assert "Zeg waarom" in refused.content.decode()
    coordinator.post(reverse("sharing:approval_detail", args=[approval.pk]), {"decision": "approve", "note": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.handover_note == "Overgedragen aan het wijkteam."


def test_a_referral_with_police_data_waits_and_a_refusal_sends_nothing(users, case) -> None:
    sent = referral(users, case, categories=(SharedData.IDENTITY, SharedData.POLICE))
    assert sent.status == ReferralStatus.AWAITING_APPROVAL
    receiver = verified_client(users[Role.RECIPIENT])
    assert receiver.get(reverse("sharing:received", args=[sent.reference])).status_code == 404
    approvals.decide(sent.approvals.get(), actor=users[Role.COORDINATOR], approve=False,
                    note="Politiegegevens zijn hier niet nodig.")
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.REFUSED
    assert receiver.get(reverse("sharing:received", args=[sent.reference])).status_code == 404
    again = referral(users, case, categories=(SharedData.IDENTITY, SharedData.POLICE))
    approvals.decide(again.approvals.get(), actor=users[Role.COORDINATOR], approve=True, note="")
    assert receiver.get(reverse("sharing:received", args=[again.reference])).status_code == 200


def test_the_approvals_that_apply_are_configurable(users, case, settings) -> None:
    settings.APPROVAL_REQUIRED_FOR = []
    case_closure.close_case(case, reason="goals_achieved", handover_note="Overgedragen.",
                            actor=users[Role.CASE_MANAGER])
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert not Approval.objects.exists()


def test_every_kind_of_disclosure_is_in_the_ledger_the_case_and_the_access_export(users, case) -> None:
    manager, coordinator, officer = users[Role.CASE_MANAGER], users[Role.COORDINATOR], users[Role.PRIVACY_OFFICER]
    police = Organisation.objects.create(name="Politie Teststad", sector=Sector.POLICE)
    case_work_covenant([coordinator.organisation, police], coordinator)
    agent = make_user("wijkagent", Role.CORE_PARTNER, organisation=police)
    cases.add_member(case, user=agent, role_in_case="Wijkagent", reason="Kent de wijk.", actor=manager)
    colleague = make_user("collega", Role.CASE_MANAGER, organisation=coordinator.organisation)
    cases.add_member(case, user=colleague, role_in_case="Collega", reason="Vervanging.", actor=manager)  # own team
    sent = referral(users, case)
    services.accept(sent, actor=users[Role.RECIPIENT])
    consultation = case_consultations.plan_consultation(title="Casusoverleg", held_on=timezone.localdate(),
                                           attendees=[manager, agent], cases=[case], actor=coordinator)
    pdf = verified_client(manager).get(reverse("cases:minutes_pdf", args=[consultation.pk]) + f"?for={agent.pk}")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    request = register_request(kind="access", person=case.person, received_on=timezone.localdate(), handler=officer,
                               actor=officer)
    export = verified_client(officer).get(reverse("privacy:export_json", args=[request.pk]))
    kinds = sorted(Disclosure.objects.values_list("kind", flat=True))
    assert kinds == ["access_export", "minutes", "referral", "team_member"]  # the colleague is the own team
    team = Disclosure.objects.get(kind="team_member")
    assert (team.recipient, team.organisation, team.covenant.for_case_work) == (agent, police, True)
    assert AuditEvent.objects.filter(reason="disclosure ledger").count() == 4
    received_by = json.loads(export.content)["received_by"]
    assert {entry["what"] for entry in received_by} == {
        "Verwijzing aanvaard", "Teamlid van een andere organisatie",
        "Verslag voor een deelnemer van een andere organisatie", "Inzage-export voor de betrokkene"}
    assert any(entry["recipient"] == "Kernpartner, Politie Teststad"
               for entry in received_by)
    page = verified_client(manager).get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "Wie gegevens van deze casus ontving" in page
    assert "Politie Teststad" in page
    # The privacy officer filters the ledger.
    ledger = verified_client(officer)
    url = reverse("sharing:ledger")
    assert ledger.get(url).content.decode().count("<tr class=\"utrecht-table__row\">") == 5  # header + 4
    only_police = ledger.get(url, {"organisation": police.pk}).content.decode()
    assert only_police.count("<tr class=\"utrecht-table__row\">") == 3  # header + team member + minutes
    exports = ledger.get(url, {"kind": "access_export"}).content.decode()
    assert exports.count("<tr class=\"utrecht-table__row\">") == 2
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert "Er is niets verstrekt" in ledger.get(url, {"date_from": tomorrow}).content.decode()
    assert ledger.get(url, {"date_from": tomorrow, "date_to": "2020-01-01"}).status_code == 422


def test_referrals_and_ledger_entries_go_with_the_case_and_leave_tombstones(users, case, time_machine) -> None:
    sent = referral(users, case)
    services.accept(sent, actor=users[Role.RECIPIENT])
    entry = Disclosure.objects.get(referral=sent)
    case_closure.close_with_approval(case, reason="goals_achieved", handover_note="Overgedragen.",
                                 actor=users[Role.CASE_MANAGER], approver=users[Role.COORDINATOR])
    time_machine.move_to(timezone.now() + datetime.timedelta(days=5 * 366 + 2))
    call_command("purge", stdout=StringIO())
    assert not Referral.objects.exists()
    assert not Disclosure.objects.exists()
    assert not Approval.objects.exists()
    tombstones = AuditEvent.objects.filter(action="purge")
    assert tombstones.filter(object_type="sharing.referral", object_id=str(sent.pk)).count() == 1
    assert tombstones.filter(object_type="disclosures.disclosure", object_id=str(entry.pk)).count() == 1
    for event in tombstones.filter(object_type__startswith="sharing."):
        assert set(event.detail) == {"rule", "retain_until"}
