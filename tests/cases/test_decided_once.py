"""Decisions happen once: a case closed by one person is not closed again by another who had it open (the
municipality without the second coordinator's approval), nor by an approval of a closure that comes later."""

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from netwerkregie.approvals import services as approvals
from netwerkregie.approvals.models import ApprovalStatus
from netwerkregie.cases import closure as case_closure
from netwerkregie.cases.models import Case, CaseStatus
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided
from tests.case_helpers import decided_case, second_coordinator
from tests.conftest import verified_client
from tests.race import one_won, race

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(users, settings) -> Case:
    settings.APPROVAL_REQUIRED_FOR = []  # closures take effect at once
    return decided_case(users)


def closing(case: Case, who: User, reason: str):
    seen = Case.objects.get(pk=case.pk)  # the copy this person has open
    return lambda: case_closure.close_case(seen, reason=reason, handover_note=f"Afgesloten door {who}.", actor=who)


def assert_closed_once(case: Case, *, reason: str, by: User) -> None:
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == reason
    assert case.handover_note == f"Afgesloten door {by}."
    closures = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                         reason__startswith="closed:")
    assert [(event.actor, event.reason) for event in closures] == [(by, f"closed: {reason}")]


def test_a_second_closure_is_turned_away(users, case) -> None:
    by_cas = closing(case, users[Role.CASE_MANAGER], "goals_achieved")
    by_carla = closing(case, users[Role.COORDINATOR], "no_cooperation")
    by_cas()
    with pytest.raises(AlreadyDecided, match="intussen al afgesloten"):
        by_carla()
    assert_closed_once(case, reason="goals_achieved", by=users[Role.CASE_MANAGER])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_closures_at_once_close_once(users, case) -> None:
    acts = [(users[Role.CASE_MANAGER], "goals_achieved"), (users[Role.COORDINATOR], "no_cooperation")]
    outcomes = race(*(closing(case, who, reason) for who, reason in acts))
    winner, reason = acts[one_won(outcomes, AlreadyDecided)]
    assert_closed_once(case, reason=reason, by=winner)


def test_the_second_closer_is_told_the_case_was_closed(users, case) -> None:
    carla = verified_client(users[Role.COORDINATOR])
    url = reverse("cases:case_close", args=[case.reference])
    assert carla.get(url).status_code == 200  # the form is open
    closing(case, users[Role.CASE_MANAGER], "goals_achieved")()
    response = carla.post(url, {"reason": "no_cooperation", "handover_note": "Geen medewerking."}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("cases:case_detail", args=[case.reference])
    closed_on = date_format(Case.objects.get(pk=case.pk).closed_on, "SHORT_DATE_FORMAT")
    assert (f"Deze casus is intussen al afgesloten, op {closed_on}: doelen bereikt."
            in response.content.decode())
    assert_closed_once(case, reason="goals_achieved", by=users[Role.CASE_MANAGER])


def test_an_approved_closure_of_a_case_closed_meanwhile_changes_nothing(users, settings) -> None:
    case = decided_case(users)
    approval = case_closure.request_closure(case, reason="no_cooperation", handover_note="Geen medewerking.",
                                       actor=users[Role.CASE_MANAGER])
    seen = Case.objects.get(pk=case.pk)
    case_closure.close_case(seen, reason="goals_achieved", handover_note=f"Afgesloten door {users[Role.CASE_MANAGER]}.",
                        actor=users[Role.CASE_MANAGER], approved=True)  # e.g. a handover accepted meanwhile
    with pytest.raises(AlreadyDecided, match="intussen al afgesloten"):
        approvals.decide(approval, actor=second_coordinator(), approve=True, note="")
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    assert approval.decided_by is None
    assert_closed_once(case, reason="goals_achieved", by=users[Role.CASE_MANAGER])
