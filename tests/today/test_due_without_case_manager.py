"""A review or re-justification whose case manager's account is switched off is announced to the coordinators,
who assign another case manager; it is never announced to nobody."""

import datetime

import pytest
from django.utils import timezone

from netwerkregie.cases.models import Case
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.notifications.models import Kind
from netwerkregie.today.due_work import coming_due
from tests.case_helpers import decided_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def orphaned(users: dict[str, User]) -> Case:
    case = decided_case(users, "Jesse de Boer")
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(next_review_on=today + datetime.timedelta(days=3),
                                           justified_until=today + datetime.timedelta(days=5))
    manager = users[Role.CASE_MANAGER]
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    return case


def told(kind: str) -> list[User]:
    return next(people for due_kind, item, _on, people in coming_due(timezone.localdate())
                if due_kind == kind and item.startswith("cases.case:"))


def test_a_review_of_an_inactive_case_manager_is_announced_to_the_coordinators(
        users: dict[str, User], orphaned: Case) -> None:
    assert told(Kind.REVIEW_DUE) == [users[Role.COORDINATOR]]


def test_a_rejustification_of_an_inactive_case_manager_is_announced_to_the_coordinators(
        users: dict[str, User], orphaned: Case) -> None:
    assert told(Kind.REJUSTIFICATION_DUE) == [users[Role.COORDINATOR]]


def test_an_active_case_manager_is_still_the_one_told(users: dict[str, User]) -> None:
    case = decided_case(users, "Jesse de Boer")
    Case.objects.filter(pk=case.pk).update(next_review_on=timezone.localdate())
    assert told(Kind.REVIEW_DUE) == [users[Role.CASE_MANAGER]]
