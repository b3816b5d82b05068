"""The case manager's "Vandaag" counts each shown case's open actions (a subquery per shown case, no longer a join
and GROUP BY over all her cases): open ones only, per case, across consultations; none is 0."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import consultations, queries
from netwerkregie.cases.models import Action, ActionStatus, Case
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from tests.case_helpers import decided_case

pytestmark = pytest.mark.django_db


def consulted(users: dict[str, User], cases: list[Case], day: int) -> list:
    consultation = consultations.plan_consultation(
        title="Casusoverleg", held_on=timezone.localdate() + datetime.timedelta(days=day),
        starts_at=datetime.time(10), ends_at=datetime.time(12), location="Stadhuis",
        attendees=[users[Role.CASE_MANAGER]], cases=cases, actor=users[Role.COORDINATOR])
    return list(consultation.items.order_by("pk"))


def act(item: object, owner: User, status: str = ActionStatus.OPEN) -> None:
    Action.objects.create(item=item, description="Gesprek met school.", owner=owner, status=status,
                          due_on=timezone.localdate() + datetime.timedelta(days=3))


def test_open_actions_are_counted_per_case_and_only_the_open_ones(users: dict[str, User], client_for) -> None:
    manager = users[Role.CASE_MANAGER]
    first, second = decided_case(users, "Jesse de Boer"), decided_case(users, "Sam Visser")
    item_first, _item_second = consulted(users, [first, second], 7)
    (later_first,) = consulted(users, [first], 14)
    act(item_first, manager)
    act(later_first, manager)
    act(item_first, manager, ActionStatus.DONE)
    counts = dict(queries.with_open_actions(queries.my_cases(manager)).values_list("reference", "open_actions"))
    assert counts == {first.reference: 2, second.reference: 0}
    page = client_for(Role.CASE_MANAGER).get(reverse("home")).content.decode()
    assert "2 openstaande acties" in page
