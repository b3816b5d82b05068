"""Four eyes in a municipality with one coordinator: the approver role ("Fiatteur") and APPROVER_ROLES name who
approves (``approvals/approvers.py``); the request page names them before anything is asked; they are told; and
the approver reads, read-only and logged, the case of what they approve."""

import pytest
from django.urls import reverse

from netwerkregie.approvals import services as approvals
from netwerkregie.approvals.models import Approval, ApprovalStatus
from netwerkregie.cases import closure as case_closure
from netwerkregie.cases.models import CaseStatus
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from tests.case_helpers import decided_case
from tests.conftest import verified_client
from tests.mail_helpers import delivered

pytestmark = pytest.mark.django_db


def closure_asked(users: dict[str, User], actor: str = Role.CASE_MANAGER) -> Approval:
    case = decided_case(users)
    return case_closure.request_closure(case, reason="goals_achieved", handover_note="Overgedragen aan de school.",
                                        actor=users[actor])


def test_it_lets_one_coordinator_close_a_case_that_the_approver_approves(users) -> None:
    approval = closure_asked(users, actor=Role.COORDINATOR)  # the one coordinator asks; nobody else coordinates
    client = verified_client(users[Role.APPROVER])
    response = client.post(reverse("sharing:approval_detail", args=[approval.pk]),
                           {"decision": "approve", "note": ""})
    assert response.status_code == 302
    approval.case.refresh_from_db()
    assert approval.case.status == CaseStatus.CLOSED


def test_it_puts_the_act_on_the_approvers_list_and_not_on_the_authors(users) -> None:
    approval = closure_asked(users, actor=Role.COORDINATOR)
    assert list(approvals.pending_for(users[Role.APPROVER])) == [approval]
    assert list(approvals.pending_for(users[Role.COORDINATOR])) == []


def test_it_lets_a_role_named_in_approver_roles_approve(users, settings) -> None:
    settings.APPROVER_ROLES = ["coordinator", "core_partner"]  # the public-order adviser approves too
    approval = closure_asked(users, actor=Role.COORDINATOR)
    approvals.decide(approval, actor=users[Role.CORE_PARTNER], approve=True, note="")
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED


def test_it_does_not_let_a_role_outside_approver_roles_approve(users) -> None:
    approval = closure_asked(users, actor=Role.COORDINATOR)
    client = verified_client(users[Role.CORE_PARTNER])
    response = client.get(reverse("sharing:approval_detail", args=[approval.pk]))
    assert response.status_code == 404


def test_it_tells_the_approver_that_an_approval_waits(users) -> None:
    closure_asked(users, actor=Role.COORDINATOR)
    told = [address for message in delivered() for address in message.to]
    assert users[Role.APPROVER].email in told


def test_the_closure_page_names_the_approvers_before_it_is_asked(users) -> None:
    case = decided_case(users)
    page = verified_client(users[Role.CASE_MANAGER]).get(reverse("cases:case_close", args=[case.reference]))
    text = page.content.decode()
    assert 'id="who-approves"' in text
    assert users[Role.APPROVER].full_name in text
    assert users[Role.COORDINATOR].full_name in text
    assert "fiatteur" in text


def test_the_closure_page_does_not_name_the_author_as_approver(users) -> None:
    case = decided_case(users)
    page = verified_client(users[Role.COORDINATOR]).get(reverse("cases:case_close", args=[case.reference]))
    names = page.content.decode().split('id="who-approves"')[1].split("</div>")[0]
    assert users[Role.COORDINATOR].full_name not in names


def test_the_closure_page_says_so_when_nobody_can_approve(users) -> None:
    User.objects.filter(pk=users[Role.APPROVER].pk).update(is_active=False)
    case = decided_case(users)
    page = verified_client(users[Role.COORDINATOR]).get(reverse("cases:case_close", args=[case.reference]))
    assert "Niemand kan dit nu goedkeuren." in page.content.decode()


def test_the_approver_reads_the_case_after_approving(users) -> None:
    approval = closure_asked(users)
    approvals.decide(approval, actor=users[Role.APPROVER], approve=True, note="")
    response = verified_client(users[Role.APPROVER]).get(reverse("sharing:approved_case", args=[approval.pk]))
    assert response.status_code == 200
    assert approval.case.reference in response.content.decode()


def test_the_approvers_read_of_the_case_is_audited(users) -> None:
    approval = closure_asked(users)
    approvals.decide(approval, actor=users[Role.APPROVER], approve=True, note="")
    verified_client(users[Role.APPROVER]).get(reverse("sharing:approved_case", args=[approval.pk]))
    assert AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(approval.case.pk),
                                     actor=users[Role.APPROVER]).exists()


def test_the_approver_links_to_the_case_from_the_approval(users) -> None:
    approval = closure_asked(users)
    page = verified_client(users[Role.APPROVER]).get(reverse("sharing:approval_detail", args=[approval.pk]))
    assert reverse("sharing:approved_case", args=[approval.pk]) in page.content.decode()


@pytest.mark.parametrize("who", [Role.CORE_PARTNER, Role.PARTNER, Role.PRIVACY_OFFICER, Role.ADMIN, "nobody"])
def test_a_non_approver_does_not_read_the_approved_case(users, who) -> None:
    approval = closure_asked(users)
    approvals.decide(approval, actor=users[Role.APPROVER], approve=True, note="")
    response = verified_client(users[who]).get(reverse("sharing:approved_case", args=[approval.pk]))
    assert response.status_code == 404


def test_the_approver_still_does_not_open_the_case_page_itself(users) -> None:
    approval = closure_asked(users)
    approvals.decide(approval, actor=users[Role.APPROVER], approve=True, note="")
    response = verified_client(users[Role.APPROVER]).get(reverse("cases:case_detail",
                                                                 args=[approval.case.reference]))
    assert response.status_code == 404
