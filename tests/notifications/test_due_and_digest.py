"""Due dates are announced by a daily job, once per record and date whatever the number of runs; the digest
goes out once a day at each person's hour with what collected before it, and a failed run loses nothing."""

import datetime

import pytest
from django.utils import timezone

from netwerkregie.api.models import ApiToken
from netwerkregie.cases.models import Case
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.notifications import digest
from netwerkregie.notifications.digest import send_digests
from netwerkregie.notifications.models import Delivery, DueNotice, Kind, Waiting
from netwerkregie.notifications.services import notify, save_choices
from netwerkregie.ops.jobs import BY_NAME, overdue, run_job
from netwerkregie.privacy.services import register_request
from tests.case_helpers import decided_case, second_coordinator
from tests.conftest import make_user
from tests.notifications.helpers import assert_names_nothing, received, start_afresh
from tests.privacy.test_lapse import monitored

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 12, 7)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """That local time (the municipality's time zone) on ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def due_work(users: dict[str, User], time_machine: object) -> dict[str, object]:
    """A case whose review and re-justification are near, a data-subject request near its deadline, a partner
    system's token that expires in ten days; the administrator has a switched-off colleague."""
    time_machine.move_to(at(MONDAY, 6, 30), tick=False)  # type: ignore[attr-defined]
    today = timezone.localdate()
    case = decided_case(users, "Jesse de Boer")
    Case.objects.filter(pk=case.pk).update(next_review_on=today + datetime.timedelta(days=5),
                                           justified_until=today + datetime.timedelta(days=9))
    officer = users[Role.PRIVACY_OFFICER]
    subject_request = register_request(kind="access", person=case.person, handler=officer, actor=officer,
                                       received_on=today - datetime.timedelta(days=20))
    token, _secret = ApiToken.issue(users[Role.PARTNER].organisation, label="leerlingvolgsysteem")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + datetime.timedelta(days=10))
    gone = make_user("aad", Role.ADMIN)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    start_afresh()
    return {"case": case, "request": subject_request}


def test_the_daily_job_tells_who_acts_once_per_record_and_date(users: dict[str, User], due_work: dict) -> None:
    case = due_work["case"]
    assert overdue(BY_NAME["announce_due"], timezone.now())  # never ran: a scheduler that starts runs it at once
    run = run_job("announce_due")
    assert run.ok
    assert run.figures["announced"] == 4
    mail = received()
    assert sorted(mail) == sorted([users[Role.CASE_MANAGER].email, users[Role.PRIVACY_OFFICER].email,
                                   users[Role.ADMIN].email])
    assert all(len(box) == 1 for box in mail.values())  # review and re-justification in one message
    body = mail[users[Role.CASE_MANAGER].email][0].body
    assert "evaluatie van een casus komt eraan" in body
    assert "opnieuw worden onderbouwd" in body
    assert "AVG-verzoek nadert" in mail[users[Role.PRIVACY_OFFICER].email][0].body
    assert "/privacy/requests/" in mail[users[Role.PRIVACY_OFFICER].email][0].body
    assert "API-token" in mail[users[Role.ADMIN].email][0].body
    assert_names_nothing([m for box in mail.values() for m in box], "Jesse", "de Boer", case.reference,
                         case.person.pseudonym, due_work["request"].person_label)

    start_afresh()
    again = run_job("announce_due")  # a second run, or one after a restart: nothing twice
    assert again.ok
    assert again.figures["announced"] == 0
    assert received() == {}
    assert DueNotice.objects.count() == 4

    start_afresh()  # a review held: the next date, when it comes near, is announced again
    Case.objects.filter(pk=case.pk).update(next_review_on=timezone.localdate() + datetime.timedelta(days=12))
    assert run_job("announce_due").figures["announced"] == 1
    assert list(received()) == [users[Role.CASE_MANAGER].email]


def test_the_digest_goes_once_at_the_chosen_hour_with_what_came_before_it(
        users: dict[str, User], due_work: dict, time_machine: object) -> None:
    manager = users[Role.CASE_MANAGER]
    save_choices(manager, choices={Kind.REVIEW_DUE: Delivery.DIGEST, Kind.REJUSTIFICATION_DUE: Delivery.DIGEST},
                 digest_hour=9)
    run_job("announce_due")
    assert manager.email not in received()
    assert Waiting.objects.filter(user=manager).count() == 2
    start_afresh()
    time_machine.move_to(at(MONDAY, 8, 0), tick=False)  # type: ignore[attr-defined]
    assert run_job("send_digests").figures["sent"] == 0
    assert received() == {}
    time_machine.move_to(at(MONDAY, 9, 0), tick=False)  # type: ignore[attr-defined]
    assert run_job("send_digests").figures["sent"] == 1
    [message] = received()[manager.email]
    assert "Dagelijks overzicht" in message.subject
    assert "evaluatie van een casus komt eraan" in message.body
    assert "opnieuw worden onderbouwd" in message.body
    assert_names_nothing([message], "Jesse", due_work["case"].reference)

    start_afresh()
    assert run_job("send_digests").figures["sent"] == 0  # a second run in the same hour: nothing twice
    time_machine.move_to(at(MONDAY, 10, 0), tick=False)  # type: ignore[attr-defined]
    notify(Kind.REVIEW_DUE, [manager])  # after her hour: it waits for tomorrow's digest
    time_machine.move_to(at(MONDAY, 11, 0), tick=False)  # type: ignore[attr-defined]
    assert send_digests()["sent"] == 0
    assert received() == {}
    time_machine.move_to(at(MONDAY + datetime.timedelta(days=1), 9, 0), tick=False)  # type: ignore[attr-defined]
    assert send_digests()["sent"] == 1
    assert "evaluatie van een casus komt eraan" in received()[manager.email][0].body


def test_a_digest_run_that_fails_loses_nothing_and_a_switched_off_account_gets_none(
        users: dict[str, User], time_machine: object, monkeypatch: pytest.MonkeyPatch) -> None:
    time_machine.move_to(at(MONDAY, 7, 0), tick=False)  # type: ignore[attr-defined]
    rita, arie = users[Role.RECIPIENT], users[Role.ADMIN]
    save_choices(rita, choices={Kind.REFERRAL_RECEIVED: Delivery.DIGEST}, digest_hour=8)
    save_choices(arie, choices={Kind.TOKEN_EXPIRING: Delivery.DIGEST}, digest_hour=8)
    notify(Kind.REFERRAL_RECEIVED, [rita])
    notify(Kind.TOKEN_EXPIRING, [arie])
    arie.is_active = False
    arie.save(update_fields=["is_active"])
    time_machine.move_to(at(MONDAY, 8, 0), tick=False)  # type: ignore[attr-defined]

    def broken(**kwargs: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(digest, "queue_mail", broken)
    assert not run_job("send_digests").ok
    assert Waiting.objects.filter(user=rita).count() == 1  # rolled back with the failed mail
    monkeypatch.undo()
    assert run_job("send_digests").figures["sent"] == 1
    assert list(received()) == [rita.email]
    assert not Waiting.objects.exists()  # the switched-off account's work is dropped, never mailed


def test_monitoring_that_must_be_re_justified_is_announced_to_the_coordinators(users: dict[str, User]) -> None:
    signal = monitored(users, "Sam Volgen")
    cora = second_coordinator(users[Role.COORDINATOR].organisation)
    Signal.objects.filter(pk=signal.pk).update(justified_until=timezone.localdate() + datetime.timedelta(days=3))
    start_afresh()
    assert run_job("announce_due").figures["announced"] == 1
    mail = received()
    assert sorted(mail) == sorted([users[Role.COORDINATOR].email, cora.email])  # only a coordinator re-justifies
    assert all("opnieuw worden onderbouwd" in box[0].body for box in mail.values())
    assert_names_nothing([box[0] for box in mail.values()], "Sam", "Volgen", signal.reference, signal.person.pseudonym)
