"""A person hears only of work of their roles, at once or in the digest: someone whose coordinator role was
withdrawn (before the act, or after the work was collected) hears nothing of acts awaiting a coordinator's approval."""

import datetime

import pytest
from django.utils import timezone

from netwerkregie.core.models import RoleAssignment, User
from netwerkregie.core.roles import Role
from netwerkregie.notifications.digest import send_digests
from netwerkregie.notifications.models import Delivery, Kind, Waiting
from netwerkregie.notifications.services import notify, save_choices
from tests.conftest import make_user
from tests.notifications.helpers import received, start_afresh

pytestmark = pytest.mark.django_db


def test_work_of_a_withdrawn_role_is_dropped_from_the_digest(users: dict[str, User], time_machine) -> None:
    day = datetime.date(2026, 12, 7)
    time_machine.move_to(timezone.make_aware(datetime.datetime.combine(day, datetime.time(7))), tick=False)
    cora = make_user("cora", Role.COORDINATOR)
    RoleAssignment.objects.create(user=cora, role=Role.CASE_MANAGER)
    cora = User.objects.get(pk=cora.pk)
    save_choices(cora, choices={Kind.APPROVAL_REQUESTED: Delivery.DIGEST, Kind.REVIEW_DUE: Delivery.DIGEST},
                 digest_hour=8)
    notify(Kind.APPROVAL_REQUESTED, [cora])
    notify(Kind.REVIEW_DUE, [cora])
    RoleAssignment.objects.filter(user=cora, role=Role.COORDINATOR).delete()
    start_afresh()
    time_machine.move_to(timezone.make_aware(datetime.datetime.combine(day, datetime.time(8))), tick=False)
    assert send_digests()["sent"] == 1
    [message] = received()[cora.email]
    assert "evaluatie van een casus komt eraan" in message.body  # still her case manager's work
    assert "goedkeuring" not in message.body  # no longer a coordinator's approval to give
    assert not Waiting.objects.filter(user=cora).exists()


def test_no_one_is_told_of_work_their_roles_do_not_have(users: dict[str, User]) -> None:
    partner, coordinator = users[Role.PARTNER], users[Role.COORDINATOR]
    start_afresh()
    told = notify(Kind.APPROVAL_REQUESTED, [partner, coordinator])
    assert told == [coordinator]
    assert list(received()) == [coordinator.email]
    start_afresh()
    assert notify(Kind.TOKEN_EXPIRING, [coordinator]) == []  # an administrator's work
    assert received() == {}
    assert not Waiting.objects.exists()
