"""Which cases a user may see is decided by index lookups on the user (the cases of her active memberships, the
cases she manages, a coordinator's own and those she holds emergency access to), joined to the cases by their
key: its cost follows the user's own cases, not the number of cases (EXPLAIN on both databases). And it still
lets through exactly who it did."""

import datetime

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


def walks_every_case(text: str) -> bool:
    """The plan reads a table of cases (or an index of one) from end to end, checking the user's access for
    every row; reading the user's own rows and then each case by its key is what is wanted."""
    lines = [line.strip() for line in text.splitlines()]
    if connection.vendor == "postgresql":
        return "SubPlan" in text or any(
            "on cases_case " in line and "Scan" in line and "Index Cond" not in following
            for line, following in zip(lines, [*lines[1:], ""], strict=True))
    return any(line.startswith("SCAN ") and not line.startswith("SCAN (subquery") for line in lines)


@pytest.fixture
def case(users: dict[str, User]) -> Case:
    return decided_case(users)


def test_the_visibility_check_of_cases_looks_cases_up_by_key_for_every_role(users: dict[str, User],
                                                                          case: Case) -> None:
    today = timezone.localdate()
    checks = {f"visible to the {role}": Case.objects.visible_to(users[role]).order_by()
              for role in (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER)}
    checks["reviews due (case manager)"] = queries.reviews_due(users[Role.CASE_MANAGER], today)
    checks["actions due (case manager)"] = queries.actions_due(users[Role.CASE_MANAGER], today)
    checks["reviews due (coordinator)"] = queries.reviews_due(users[Role.COORDINATOR], today)
    plans = {name: plan(queryset) for name, queryset in checks.items()}
    assert {name: text for name, text in plans.items() if walks_every_case(text)} == {}


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
