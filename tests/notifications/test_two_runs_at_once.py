"""Two runs of the digest job, or of the due-date job, at the same moment (two scheduler instances, or a run
started by hand while the scheduled one runs): every person gets each mail once, and nothing collected is lost."""

import datetime

import pytest
from django.utils import timezone

from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.notifications.digest import send_digests
from netwerkregie.notifications.models import Delivery, DueNotice, Kind, Waiting
from netwerkregie.notifications.services import notify, save_choices
from netwerkregie.today.due_work import announce_due
from tests.conftest import make_user
from tests.notifications.helpers import received, start_afresh
from tests.notifications.test_due_and_digest import due_work  # noqa: F401 (a fixture)
from tests.race import race

MONDAY = datetime.date(2026, 12, 7)


def at(hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(hour)))


@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_once_send_each_digest_once(time_machine) -> None:
    time_machine.move_to(at(7), tick=False)
    people: list[User] = []
    for index in range(6):
        person = make_user(f"cora{index}", Role.COORDINATOR)
        save_choices(person, choices={Kind.APPROVAL_REQUESTED: Delivery.DIGEST}, digest_hour=8)
        notify(Kind.APPROVAL_REQUESTED, [person])
        people.append(person)
    start_afresh()
    time_machine.move_to(at(8), tick=False)
    outcomes = race(send_digests, send_digests)
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sum(outcome["sent"] for outcome in outcomes) == len(people)  # type: ignore[index]
    mail = received()
    assert sorted(mail) == sorted(person.email for person in people)
    assert all(len(box) == 1 for box in mail.values())
    assert not Waiting.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("due_work")
def test_two_due_date_runs_at_once_announce_each_date_once(users: dict[str, User]) -> None:
    outcomes = race(announce_due, announce_due)
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sum(outcome["announced"] for outcome in outcomes) == DueNotice.objects.count() == 4  # type: ignore[index]
    mail = received()
    assert users[Role.CASE_MANAGER].email in mail
    assert users[Role.PRIVACY_OFFICER].email in mail
    assert all(len(box) == 1 for box in mail.values()), {address: len(box) for address, box in mail.items()}
