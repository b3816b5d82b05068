"""Decisions happen once: a data-subject request answered by one privacy officer is not answered (or
extended) again by another who had it open; a granted erasure erases once."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from netwerkregie.core.models import AuditAction, AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided
from netwerkregie.people.models import Person
from netwerkregie.privacy import services
from netwerkregie.privacy.models import DataSubjectRequest, RequestStatus
from tests.conftest import make_user, verified_client
from tests.privacy.test_purge import decided
from tests.race import one_won, race

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(users) -> User:
    """Priya's colleague, a second privacy officer."""
    return make_user("pim", Role.PRIVACY_OFFICER, organisation=users[Role.PRIVACY_OFFICER].organisation)


def registered(users, kind: str) -> DataSubjectRequest:
    officer = users[Role.PRIVACY_OFFICER]
    signal = decided(users, "Erik Wisman", "monitoring")
    return services.register_request(kind=kind, person=signal.person, received_on=timezone.localdate(),
                                     handler=officer, actor=officer)


def answering(subject_request: DataSubjectRequest, who: User, status: str):
    seen = DataSubjectRequest.objects.get(pk=subject_request.pk)  # the copy this officer has open
    return lambda: services.answer_request(seen, status=status, outcome=f"Afgehandeld door {who}.", actor=who)


def assert_answered_once(subject_request: DataSubjectRequest, *, status: str, by: User) -> None:
    subject_request.refresh_from_db()
    assert subject_request.status == status
    assert subject_request.outcome == f"Afgehandeld door {by}."
    answers = AuditEvent.objects.filter(object_type="privacy.datasubjectrequest", object_id=str(subject_request.pk),
                                        reason__startswith="request ")
    assert [(event.actor, event.reason) for event in answers] == [(by, f"request {status}")]


@pytest.mark.parametrize("first", [RequestStatus.DONE, RequestStatus.REFUSED])
def test_a_second_answer_is_turned_away(users, colleague, first) -> None:
    subject_request = registered(users, "access")
    second = RequestStatus.REFUSED if first == RequestStatus.DONE else RequestStatus.DONE
    by_priya, by_pim = answering(subject_request, users[Role.PRIVACY_OFFICER], first), answering(
        subject_request, colleague, second)
    by_priya()
    with pytest.raises(AlreadyDecided, match="intussen al beantwoord door Priya"):
        by_pim()
    assert_answered_once(subject_request, status=first, by=users[Role.PRIVACY_OFFICER])


def test_an_answered_request_is_not_extended_afterwards(users, colleague) -> None:
    subject_request = registered(users, "access")
    seen_by_pim = DataSubjectRequest.objects.get(pk=subject_request.pk)
    answering(subject_request, users[Role.PRIVACY_OFFICER], RequestStatus.DONE)()
    with pytest.raises(AlreadyDecided, match="Priya"):
        services.extend_request(seen_by_pim, reason="Veel gegevens bij partners.", actor=colleague)
    assert_answered_once(subject_request, status=RequestStatus.DONE, by=users[Role.PRIVACY_OFFICER])
    assert subject_request.extension_reason == ""


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_answering_at_once_record_one_answer(users, colleague) -> None:
    subject_request = registered(users, "access")
    acts = [(users[Role.PRIVACY_OFFICER], RequestStatus.DONE), (colleague, RequestStatus.REFUSED)]
    outcomes = race(*(answering(subject_request, who, status) for who, status in acts))
    winner, status = acts[one_won(outcomes, AlreadyDecided)]
    assert_answered_once(subject_request, status=status, by=winner)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_granting_one_erasure_at_once_erase_once(users, colleague) -> None:
    subject_request = registered(users, "erasure")
    person = subject_request.person
    acts = [users[Role.PRIVACY_OFFICER], colleague]
    outcomes = race(*(answering(subject_request, who, RequestStatus.DONE) for who in acts))
    winner = acts[one_won(outcomes, AlreadyDecided)]
    assert_answered_once(subject_request, status=RequestStatus.DONE, by=winner)
    assert not Person.objects.filter(pk=person.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PURGE, reason="erasure request").count() == 2


def test_the_officer_who_answers_second_is_told_who_answered(users, colleague) -> None:
    subject_request = registered(users, "access")
    pim = verified_client(colleague)
    url = reverse("privacy:request_detail", args=[subject_request.pk])
    assert 'name="answer"' in pim.get(url).content.decode()  # the form is open
    answering(subject_request, users[Role.PRIVACY_OFFICER], RequestStatus.DONE)()
    response = pim.post(url, {"answer": "1", "status": "refused", "outcome": "Geen grondslag."}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url
    today = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    assert f"Dit verzoek is intussen al beantwoord door Priya op {today}: beantwoord." in response.content.decode()
    assert 'name="answer"' not in response.content.decode()
    assert_answered_once(subject_request, status=RequestStatus.DONE, by=users[Role.PRIVACY_OFFICER])
