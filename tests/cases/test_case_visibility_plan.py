"""Which cases a user may see is decided without a lookup per case row: the cases of her active memberships (and
a coordinator's emergency access) are read once from the index on the user, and each case row is compared with
that list and with its case manager and creator (EXPLAIN on both databases). And it still lets through exactly
who it did."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from netwerkregie.cases import queries
from netwerkregie.cases.models import Case, CaseMembership, EmergencyAccess
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from tests.case_helpers import case_work_covenant, decided_case
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def plan(queryset: object) -> str:
    sql, params = queryset.query.sql_with_params()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: ask whether an index CAN answer
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


def checks_each_case(text: str) -> bool:
    """The plan searches the memberships (or emergency access) again for every case row, by the case's key,
    instead of reading the user's own once. (PostgreSQL already turned the EXISTS before this change into a
    hashed subplan, read once; SQLite searched the memberships by case and user for every case.)"""
    if connection.vendor == "postgresql":
        return "case_id = cases_case.id" in text or re.search(r"\(SubPlan \d+\)", text) is not None
    return "case_id=?" in text


@pytest.fixture
def case(users: dict[str, User]) -> Case:
    return decided_case(users)


def test_the_visibility_check_reads_the_users_memberships_once_not_per_case(users: dict[str, User],
                                                                          case: Case) -> None:
    today = timezone.localdate()
    checks = {f"visible to the {role}": Case.objects.visible_to(users[role]).order_by()
              for role in (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER)}
    checks["reviews due (case manager)"] = queries.reviews_due(users[Role.CASE_MANAGER], today)
    checks["actions due (case manager)"] = queries.actions_due(users[Role.CASE_MANAGER], today)
    checks["reviews due (coordinator)"] = queries.reviews_due(users[Role.COORDINATOR], today)
    plans = {name: plan(queryset) for name, queryset in checks.items()}
    assert {name: text for name, text in plans.items() if checks_each_case(text)} == {}


def test_every_way_in_still_lets_in_and_nothing_else_does(users: dict[str, User], case: Case) -> None:
    coordinator, manager = users[Role.COORDINATOR], users[Role.CASE_MANAGER]
    other_coordinator = make_user("cora", Role.COORDINATOR, organisation=coordinator.organisation)
    youth_work = Organisation.objects.create(name="Jongerenwerk Teststad", sector=Sector.YOUTH_WORK)
    case_work_covenant([coordinator.organisation, youth_work], coordinator)
    member = make_user("mila", Role.CORE_PARTNER, organisation=youth_work)

    def sees(user: User) -> bool:
        return Case.objects.visible_to(user).filter(pk=case.pk).exists()

    assert sees(coordinator)  # opened it
    assert sees(manager)  # manages it
    assert not sees(other_coordinator)
    assert not sees(member)
    EmergencyAccess.objects.create(user=other_coordinator, case=case, reason="Acuut gevaar gemeld.",
                                   expires_at=timezone.now() + datetime.timedelta(hours=4))
    assert sees(other_coordinator)
    EmergencyAccess.objects.filter(user=other_coordinator).update(expires_at=timezone.now())
    assert not sees(other_coordinator)
    membership = CaseMembership.objects.create(case=case, user=member, organisation=member.organisation,
                                               role_in_case="Jeugdwerker", reason="Kent Jesse.", added_by=manager)
    assert sees(member)
    CaseMembership.objects.filter(pk=membership.pk).update(removed_at=timezone.now())
    assert not sees(member)
