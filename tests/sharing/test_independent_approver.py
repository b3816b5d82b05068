"""The second pair of eyes is independent of the first: an account the author of a four-eyes act created, or
whose coordinator role the author asked for or confirmed, within FOUR_EYES_INDEPENDENCE_DAYS days, does not
approve that act (an administrator with a second coordinator account at an address they control would
otherwise approve their own closures, compulsory plans and referrals)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.accounts import users as accounts
from netwerkregie.approvals import services as approvals
from netwerkregie.approvals.models import ApprovalStatus
from netwerkregie.cases import closure as case_closure
from netwerkregie.core import grants
from netwerkregie.core.models import RoleAssignment, RoleGrantRequest, User
from netwerkregie.core.roles import Role
from tests.case_helpers import decided_case
from tests.conftest import make_user, verified_client
from tests.sharing_helpers import receiving_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(users: dict[str, User]) -> User:
    """An administrator who is also a coordinator (granted by others, long ago): the act's author."""
    arie = users[Role.ADMIN]
    RoleAssignment.objects.create(user=arie, role=Role.COORDINATOR)
    return arie


def closure_by(author: User, users: dict[str, User], name: str = "Jesse de Boer") -> object:
    receiving_organisation(users)
    case = decided_case(users, name)
    return case_closure.request_closure(case, reason="goals_achieved", handover_note="Overgedragen.", actor=author)


def test_an_account_the_author_created_does_not_approve_the_authors_act(users, author, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    bob = accounts.create_user(email="bob@elders.example", full_name="Bob Tweede", organisation=author.organisation,
                               roles=[Role.COORDINATOR], actor=author)
    grants.confirm_grant(RoleGrantRequest.objects.get(user=bob), actor=users[Role.PRIVACY_OFFICER])
    approval = closure_by(author, users)
    with pytest.raises(ValidationError, match="minder dan 90 dagen"):
        approvals.decide(approval, actor=bob, approve=True, note="")
    TOTPDevice.objects.create(user=bob, name="phone", confirmed=True)
    client = verified_client(bob)
    response = client.post(reverse("sharing:approval_detail", args=[approval.pk]), {"decision": "approve"})
    assert response.status_code == 422
    assert "minder dan 90 dagen" in response.content.decode()
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    assert approval.case.is_open
    assert list(approvals.pending_for(bob)) == []  # not offered to him
    assert list(approvals.pending_for(users[Role.COORDINATOR])) == [approval]  # an independent coordinator's
    time_machine.move_to(timezone.now() + datetime.timedelta(days=91), tick=False)
    assert list(approvals.pending_for(bob)) == [approval]
    approvals.decide(approval, actor=bob, approve=True, note="")
    approval.case.refresh_from_db()
    assert not approval.case.is_open


@pytest.mark.parametrize("arranged", ["asked for", "confirmed"])
def test_a_coordinator_whose_role_the_author_arranged_does_not_approve_the_authors_act(
        users, author, arranged) -> None:
    dirk = make_user("dirk", organisation=author.organisation)  # an account of long standing, no role yet
    adam = make_user("adam", Role.ADMIN)
    asker, confirmer = (author, users[Role.PRIVACY_OFFICER]) if arranged == "asked for" else (adam, author)
    accounts.update_user(dirk, email=dirk.email, full_name=dirk.full_name, organisation=dirk.organisation,
                         roles=[Role.COORDINATOR], is_active=True, actor=asker)
    grants.confirm_grant(RoleGrantRequest.objects.get(user=dirk), actor=confirmer)
    approval = closure_by(author, users)
    with pytest.raises(ValidationError, match="minder dan 90 dagen"):
        approvals.decide(approval, actor=dirk, approve=True, note="")
    approvals.decide(approval, actor=users[Role.COORDINATOR], approve=True, note="")  # Carla is independent
    assert approval.status == ApprovalStatus.APPROVED


def test_the_period_is_a_setting(users, author, settings) -> None:
    settings.FOUR_EYES_INDEPENDENCE_DAYS = 365
    bob = accounts.create_user(email="bob@elders.example", full_name="Bob Tweede", organisation=author.organisation,
                               roles=[Role.COORDINATOR], actor=author)
    grants.confirm_grant(RoleGrantRequest.objects.get(user=bob), actor=users[Role.PRIVACY_OFFICER])
    User.objects.filter(pk=bob.pk).update(date_joined=timezone.now() - datetime.timedelta(days=200))
    RoleGrantRequest.objects.filter(user=bob).update(decided_at=timezone.now() - datetime.timedelta(days=200))
    RoleAssignment.objects.filter(user=bob).update(granted_at=timezone.now() - datetime.timedelta(days=200))
    approval = closure_by(author, users)
    with pytest.raises(ValidationError, match="minder dan 365 dagen"):
        approvals.decide(approval, actor=User.objects.get(pk=bob.pk), approve=True, note="")
    settings.FOUR_EYES_INDEPENDENCE_DAYS = 90
    approvals.decide(approval, actor=User.objects.get(pk=bob.pk), approve=True, note="")
    assert approval.status == ApprovalStatus.APPROVED
