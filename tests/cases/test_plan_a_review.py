"""Plan a review on a date to come: it shows on the case, on the case manager's "Vandaag" where reviews due show,
and the due-date notification uses it; recording the review clears it."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import closure
from netwerkregie.cases.models import Case
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.notifications.models import Kind
from netwerkregie.today.due_work import coming_due
from netwerkregie.today.panels import SHOWN
from tests.case_helpers import decided_case
from tests.conftest import make_user, verified_client

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def case(users: dict[str, User]) -> Case:
    case = decided_case(users)
    Case.objects.filter(pk=case.pk).update(next_review_on=days(40))
    case.refresh_from_db()
    return case


def plan(client: Client, case: Case, on: datetime.date) -> object:
    return client.post(reverse("cases:review_plan", args=[case.reference]), {"on": on.isoformat()})


def test_the_case_manager_plans_a_review(client_for: Callable[[str], Client], case: Case) -> None:
    plan(client_for(Role.CASE_MANAGER), case, days(10))
    case.refresh_from_db()
    assert case.review_planned_on == days(10)


def test_planning_is_audited(client_for: Callable[[str], Client], case: Case) -> None:
    plan(client_for(Role.CASE_MANAGER), case, days(10))
    assert AuditEvent.objects.filter(object_id=str(case.pk), reason="review planned").exists()


def test_the_planned_review_shows_on_the_case(client_for: Callable[[str], Client], case: Case) -> None:
    client = client_for(Role.CASE_MANAGER)
    plan(client, case, days(10))
    page = client.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "gepland op" in page


def test_the_planned_review_shows_on_the_case_managers_today(users: dict[str, User], case: Case) -> None:
    for number in range(SHOWN):  # cases due sooner than this one, enough to fill the list on "Vandaag"
        other = decided_case(users, f"Persoon {number}")
        Case.objects.filter(pk=other.pk).update(next_review_on=days(2 + number))
    closure.plan_review(case, on=days(1), actor=users[Role.CASE_MANAGER])
    page = verified_client(users[Role.CASE_MANAGER]).get(reverse("home")).content.decode()
    assert f"(gepland op {days(1).day}-{days(1).month}-{days(1).year})" in page


def test_the_due_date_notice_uses_the_planned_date(users: dict[str, User], case: Case) -> None:
    closure.plan_review(case, on=days(7), actor=users[Role.CASE_MANAGER])
    announced = [on for kind, item, on, _people in coming_due(timezone.localdate())
                 if kind == Kind.REVIEW_DUE and item == f"cases.case:{case.pk}"]
    assert announced == [days(7)]


def test_a_review_cannot_be_planned_in_the_past(users: dict[str, User], case: Case) -> None:
    with pytest.raises(ValidationError):
        closure.plan_review(case, on=days(-1), actor=users[Role.CASE_MANAGER])


def test_a_review_cannot_be_planned_after_it_is_due(users: dict[str, User], case: Case) -> None:
    with pytest.raises(ValidationError):
        closure.plan_review(case, on=days(41), actor=users[Role.CASE_MANAGER])


def test_a_date_after_the_due_date_is_refused_on_the_form_with_a_message(client_for: Callable[[str], Client],
                                                                         case: Case) -> None:
    response = plan(client_for(Role.CASE_MANAGER), case, days(41))
    assert "plan haar op of vóór die datum" in response.content.decode()


def test_recording_the_review_clears_the_planned_date(users: dict[str, User], case: Case) -> None:
    closure.plan_review(case, on=days(7), actor=users[Role.CASE_MANAGER])
    closure.add_review(case, held_on=timezone.localdate(), still_necessary=True, rationale="Gaat goed.",
                       outcome="continue", next_review_on=days(60), actor=users[Role.CASE_MANAGER])
    case.refresh_from_db()
    assert case.review_planned_on is None


def test_someone_outside_the_case_cannot_plan_its_review(users: dict[str, User], case: Case) -> None:
    other = make_user("otto", Role.CASE_MANAGER, organisation=users[Role.CASE_MANAGER].organisation)
    assert plan(verified_client(other), case, days(7)).status_code == 404
