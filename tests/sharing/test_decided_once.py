"""Decisions happen once: of two coordinators deciding one approval, or two colleagues of the receiving
organisation answering one referral, the first counts and the second is told who came first. A closure
never ends up closed while its approval reads "not approved"; nothing is half-saved or audited twice."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from netwerkregie.approvals import services as approvals
from netwerkregie.approvals.models import Approval, ApprovalStatus
from netwerkregie.cases import closure as case_closure
from netwerkregie.cases.models import Case, CaseStatus
from netwerkregie.core.models import AuditAction, AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided
from netwerkregie.disclosures.models import Disclosure
from netwerkregie.sharing import services
from netwerkregie.sharing.models import Referral, ReferralStatus
from tests.case_helpers import decided_case, second_coordinator
from tests.conftest import make_user, verified_client
from tests.race import one_won, race
from tests.sharing_helpers import receiving_organisation, referral

pytestmark = pytest.mark.django_db

BOTH_ORDERS = pytest.mark.parametrize("first", ["approve", "refuse"])


@pytest.fixture
def closure(users) -> Approval:
    """A closure the case manager asked for; two coordinators (Carla and Cora) may decide it."""
    case = decided_case(users)
    second_coordinator(users[Role.COORDINATOR].organisation)
    return case_closure.request_closure(case, reason="goals_achieved", handover_note="Overgedragen aan het wijkteam.",
                                    actor=users[Role.CASE_MANAGER])


def deciding(approval: Approval, who: User, approve: bool):
    """Who decides what, on the copy of the approval they have open (read now, before anyone decides)."""
    seen = Approval.objects.get(pk=approval.pk)
    return lambda: approvals.decide(seen, actor=who, approve=approve, note="" if approve else "Eerst evalueren.")


def assert_decided_once(approval: Approval, *, approved: bool, by: User) -> None:
    approval.refresh_from_db()
    case = approval.case
    assert approval.status == (ApprovalStatus.APPROVED if approved else ApprovalStatus.REFUSED)
    assert approval.decided_by == by
    assert case.status == (CaseStatus.CLOSED if approved else CaseStatus.OPEN)
    assert AuditEvent.objects.filter(action=AuditAction.DECIDE, object_type="approvals.approval",
                                     object_id=str(approval.pk)).count() == 1
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                     reason__startswith="closed:").count() == (1 if approved else 0)


@BOTH_ORDERS
def test_a_decision_on_an_approval_already_decided_is_turned_away(users, closure, first) -> None:
    carla, cora = users[Role.COORDINATOR], second_coordinator()
    by_carla, by_cora = deciding(closure, carla, first == "approve"), deciding(closure, cora, first != "approve")
    by_carla()
    with pytest.raises(AlreadyDecided, match="intussen al beslist door Carla"):
        by_cora()
    assert_decided_once(closure, approved=first == "approve", by=carla)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@BOTH_ORDERS
def test_two_coordinators_deciding_at_once_one_wins(users, closure, first) -> None:
    carla, cora = users[Role.COORDINATOR], second_coordinator()
    acts = [(carla, first == "approve"), (cora, first != "approve")]
    outcomes = race(*(deciding(closure, who, approve) for who, approve in acts))
    winner, approved = acts[one_won(outcomes, AlreadyDecided)]
    assert_decided_once(closure, approved=approved, by=winner)


def test_the_second_coordinator_sees_who_decided_first(users, closure) -> None:
    carla = verified_client(users[Role.COORDINATOR])
    cora = verified_client(second_coordinator())
    url = reverse("sharing:approval_detail", args=[closure.pk])
    assert 'value="approve"' in cora.get(url).content.decode()  # both have the page open
    carla.post(url, {"decision": "approve", "note": ""})
    response = cora.post(url, {"decision": "refuse", "note": "Eerst evalueren."}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert "Dit verzoek is intussen al beslist door Carla: goedgekeurd." in page
    assert 'value="approve"' not in page  # the page shows the approval as it is now
    assert_decided_once(closure, approved=True, by=users[Role.COORDINATOR])


# --- Referral answers ------------------------------------------------------------------------------

@pytest.fixture
def sent(users) -> Referral:
    receiving_organisation(users)
    return referral(users, decided_case(users))


@pytest.fixture
def colleague(users, sent) -> User:
    """Rita's colleague at the receiving organisation."""
    return make_user("ruben", Role.RECIPIENT, organisation=sent.organisation)


def answering(referral: Referral, who: User, accept: bool):
    seen = Referral.objects.get(pk=referral.pk)
    if accept:
        return lambda: services.accept(seen, actor=who)
    return lambda: services.decline(seen, actor=who, reason="Geen plek tot maart.")


def assert_answered_once(referral: Referral, *, accepted: bool, by: User) -> None:
    referral.refresh_from_db()
    assert referral.status == (ReferralStatus.ACCEPTED if accepted else ReferralStatus.DECLINED)
    assert referral.answered_by == by
    assert Disclosure.objects.filter(referral=referral).count() == (1 if accepted else 0)
    assert AuditEvent.objects.filter(action=AuditAction.DECIDE, object_type="sharing.referral",
                                     object_id=str(referral.pk)).count() == 1


@pytest.mark.parametrize("first", ["accept", "decline"])
def test_an_answer_to_a_referral_already_answered_is_turned_away(users, sent, colleague, first) -> None:
    rita = users[Role.RECIPIENT]
    by_rita, by_ruben = answering(sent, rita, first == "accept"), answering(sent, colleague, first != "accept")
    by_rita()
    with pytest.raises(AlreadyDecided, match="intussen al beantwoord door Rita"):
        by_ruben()
    assert_answered_once(sent, accepted=first == "accept", by=rita)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["accept", "decline"])
def test_two_colleagues_answering_at_once_one_wins(users, sent, colleague, first) -> None:
    acts = [(users[Role.RECIPIENT], first == "accept"), (colleague, first != "accept")]
    outcomes = race(*(answering(sent, who, accept) for who, accept in acts))
    winner, accepted = acts[one_won(outcomes, AlreadyDecided)]
    assert_answered_once(sent, accepted=accepted, by=winner)


def test_the_colleague_who_declines_after_an_acceptance_is_told_so(users, sent, colleague) -> None:
    rita, ruben = verified_client(users[Role.RECIPIENT]), verified_client(colleague)
    assert ruben.get(reverse("sharing:received", args=[sent.reference])).status_code == 200  # page open
    rita.post(reverse("sharing:accept", args=[sent.reference]))
    response = ruben.post(reverse("sharing:decline", args=[sent.reference]), {"reason": "Geen plek."}, follow=True)
    assert response.status_code == 200
    assert "Deze verwijzing is intussen al beantwoord door Rita: aanvaard." in response.content.decode()
    assert_answered_once(sent, accepted=True, by=users[Role.RECIPIENT])


def test_a_withdrawal_after_the_acceptance_is_turned_away_with_a_message(users, sent) -> None:
    manager = verified_client(users[Role.CASE_MANAGER])
    stale = Referral.objects.get(pk=sent.pk)
    services.accept(sent, actor=users[Role.RECIPIENT])
    with pytest.raises(AlreadyDecided, match="Rita"):
        services.withdraw(stale, actor=users[Role.CASE_MANAGER], reason="Jesse wil het niet meer.")
    response = manager.post(reverse("sharing:withdraw", args=[sent.reference]),
                            {"reason": "Jesse wil het niet meer."}, follow=True)
    assert response.status_code == 200
    assert "Deze verwijzing is intussen al beantwoord door Rita: aanvaard." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.ACCEPTED
    assert sent.withdrawn_by is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_closure_requests_at_once_leave_one_waiting(users) -> None:
    case = decided_case(users)
    outcomes = race(*(lambda who=who: case_closure.request_closure(
        Case.objects.get(pk=case.pk), reason="goals_achieved", handover_note="Overgedragen.", actor=who)
        for who in (users[Role.CASE_MANAGER], users[Role.COORDINATOR])))
    loser = outcomes[1 - one_won(outcomes, ValidationError)]
    assert "wacht al op akkoord" in str(loser)
    assert case.approvals.filter(status=ApprovalStatus.PENDING).count() == 1
