"""Each act that puts work on someone's plate tells exactly those people, at once or for their digest as they
chose, never the actor and never a switched-off account; the mail names no person, pseudonym or reference."""

import pytest
from django.core.exceptions import ValidationError

from netwerkregie.approvals import services as approvals
from netwerkregie.cases import closure
from netwerkregie.cases import services as case_services
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.disclosures.models import SharedData
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.notifications.models import Delivery, Kind, Preference, Waiting
from netwerkregie.notifications.services import save_choices
from tests.case_helpers import case_work_covenant, decided_case, second_coordinator
from tests.conftest import make_user
from tests.intake_helpers import submit
from tests.notifications.helpers import assert_names_nothing, received, start_afresh
from tests.sharing_helpers import receiving_organisation, referral

pytestmark = pytest.mark.django_db

NAME = "Jesse de Boer"


def personal(case) -> list[str]:  # type: ignore[no-untyped-def]
    return [NAME, "Jesse", case.person.pseudonym, case.reference]


def test_a_referral_reaches_the_receiving_organisations_staff_only(users: dict[str, User]) -> None:
    organisation = receiving_organisation(users)
    colleague = make_user("ruben", Role.RECIPIENT, organisation=organisation)
    left = make_user("rolf", Role.RECIPIENT, organisation=organisation)
    left.is_active = False
    left.save(update_fields=["is_active"])
    other = Organisation.objects.create(name="Jeugdzorg West", sector=Sector.CARE)
    elsewhere = make_user("rosa", Role.RECIPIENT, organisation=other)
    users[Role.RECIPIENT].refresh_from_db()
    case = decided_case(users, NAME)
    start_afresh()
    sent = referral(users, case, organisation=organisation)
    mail = received()
    assert sorted(mail) == sorted([users[Role.RECIPIENT].email, colleague.email])
    assert elsewhere.email not in mail
    assert left.email not in mail
    assert users[Role.CASE_MANAGER].email not in mail
    messages = [m for box in mail.values() for m in box]
    assert all(len(box) == 1 for box in mail.values())
    assert "verwijzing naar uw organisatie" in messages[0].body
    assert "/referrals/" in messages[0].body
    assert_names_nothing(messages, *personal(case), sent.reference)


def test_an_approval_request_reaches_the_coordinators_who_may_approve_it_only(
        users: dict[str, User], settings: object) -> None:
    settings.SITE_URL = "https://netwerkregie.example.nl"  # type: ignore[attr-defined]
    coordinator = users[Role.COORDINATOR]
    cora = second_coordinator(coordinator.organisation)
    gone = make_user("gert", Role.COORDINATOR)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    case = decided_case(users, NAME)
    start_afresh()
    closure.request_closure(case, reason="goals_achieved", handover_note="Doelen bereikt; warme overdracht aan de "
                            "wijkcoach.", actor=coordinator)
    mail = received()
    # Not the author, not a switched-off account, no one else: the other coordinator and the approver (fien).
    assert sorted(mail) == sorted([cora.email, users[Role.APPROVER].email])
    [message] = mail[cora.email]
    assert "goedkeuring" in message.body
    assert "https://netwerkregie.example.nl/approvals/" in message.body
    assert_names_nothing([message], *personal(case))


def test_being_added_to_a_case_team_tells_the_new_member_not_the_one_who_added_them(users: dict[str, User]) -> None:
    coordinator = users[Role.COORDINATOR]
    police = Organisation.objects.create(name="Politie Teststad", sector=Sector.POLICE)
    case_work_covenant([coordinator.organisation, police], coordinator)
    case = decided_case(users, NAME)
    start_afresh()
    case_services.add_member(case, user=users[Role.CORE_PARTNER], role_in_case="Wijkagent", reason="Kent de wijk.",
                             actor=coordinator)
    mail = received()
    assert list(mail) == [users[Role.CORE_PARTNER].email]
    assert "team van een casus" in mail[users[Role.CORE_PARTNER].email][0].body
    assert_names_nothing(mail[users[Role.CORE_PARTNER].email], *personal(case))


def test_a_new_signal_and_an_acute_one_reach_every_other_coordinator_at_once_and_once(
        users: dict[str, User]) -> None:
    carla = users[Role.COORDINATOR]
    cora = second_coordinator(carla.organisation)
    for coordinator in (carla, cora):  # what they chose for other work does not hold up a signal
        save_choices(coordinator, choices={Kind.APPROVAL_REQUESTED: Delivery.OFF, Kind.REVIEW_DUE: Delivery.DIGEST},
                     digest_hour=7)
    start_afresh()
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Mila Jansen")
    mail = received()
    assert sorted(mail) == sorted([carla.email, cora.email])
    assert all(len(box) == 1 for box in mail.values())
    assert all("nieuw signaal" in box[0].body and "/triage/" in box[0].body for box in mail.values())
    assert_names_nothing(mail[carla.email], "Mila", "Jansen", signal.reference)

    start_afresh()
    acute = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Mila Jansen",
                   acute_danger=True)
    mail = received()
    assert sorted(mail) == sorted([carla.email, cora.email])
    assert all(len(box) == 1 and "Acuut gevaar" in box[0].subject for box in mail.values())  # the alert, not twice
    assert_names_nothing(mail[cora.email], "Mila", "Jansen", acute.reference)

    start_afresh()
    submit(carla.organisation, carla, acute_danger=True)  # on behalf of a parent: she knows already
    assert list(received()) == [cora.email]
    assert not Waiting.objects.exists()


def test_a_choice_of_the_digest_or_off_keeps_the_mail_back(users: dict[str, User]) -> None:
    coordinator, rita = users[Role.COORDINATOR], users[Role.RECIPIENT]
    cora = second_coordinator(coordinator.organisation)
    organisation = receiving_organisation(users)
    rita.refresh_from_db()
    save_choices(rita, choices={Kind.REFERRAL_RECEIVED: Delivery.DIGEST}, digest_hour=16)
    save_choices(cora, choices={Kind.APPROVAL_REQUESTED: Delivery.OFF}, digest_hour=8)
    case = decided_case(users, NAME)
    start_afresh()
    referral(users, case, organisation=organisation, categories=(SharedData.IDENTITY, SharedData.POLICE))
    # The sensitive referral waits for approval: carla and the approver hear of it at once, cora chose not to.
    assert sorted(received()) == sorted([coordinator.email, users[Role.APPROVER].email])
    assert not Waiting.objects.filter(user=cora).exists()
    approval = case.approvals.get()
    start_afresh()
    approvals.decide(approval, actor=cora, approve=True, note="")
    assert received() == {}  # sent now: rita hears of it in her digest
    assert list(Waiting.objects.values_list("user__email", "kind", "count")) == [
        (rita.email, Kind.REFERRAL_RECEIVED, 1)]


def test_work_that_is_lost_when_nobody_acts_cannot_be_switched_off(users: dict[str, User]) -> None:
    rita = users[Role.RECIPIENT]
    with pytest.raises(ValidationError):
        save_choices(rita, choices={Kind.REFERRAL_RECEIVED: Delivery.OFF}, digest_hour=8)
    with pytest.raises(ValidationError):  # not her role's work
        save_choices(rita, choices={Kind.APPROVAL_REQUESTED: Delivery.DIGEST}, digest_hour=8)
    with pytest.raises(ValidationError):  # always at once
        save_choices(users[Role.COORDINATOR], choices={Kind.NEW_SIGNAL: Delivery.DIGEST}, digest_hour=8)
    assert not Preference.objects.exists()
