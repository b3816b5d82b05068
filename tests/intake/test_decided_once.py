"""Decisions happen once: a signal decided by one participant of the joint assessment, or pre-assessed by
one coordinator, is not decided again by another who had it open: one assessment, one audit event, and the
second is told who decided first."""

import pytest
from django.urls import reverse

from netwerkregie.core.models import AuditAction, AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided
from netwerkregie.intake import services
from netwerkregie.intake.models import Assessment, Signal, SignalStatus
from netwerkregie.network.models import Organisation, Sector
from tests.case_helpers import second_coordinator
from tests.conftest import make_user, verified_client
from tests.intake.test_assessment import decision_post
from tests.intake.test_pre_assessment import POST as PRE_ASSESSMENT
from tests.intake_helpers import findings, on_agenda, session_with, submit
from tests.race import one_won, race

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(users) -> User:
    police = Organisation.objects.create(name="Politie Eenheid Teststad", sector=Sector.POLICE)
    return make_user("olaf", Role.CORE_PARTNER, organisation=police)


@pytest.fixture
def cora(users) -> User:
    """A second coordinator: only a coordinator records the joint decision (the police contribute)."""
    return second_coordinator(users[Role.COORDINATOR].organisation)


@pytest.fixture
def agenda(users, officer, cora) -> tuple[Signal, object]:
    """A signal on the agenda of a session in which Carla and Cora (coordinators) and Olaf (police) take part."""
    session = session_with(users[Role.COORDINATOR], officer, cora)
    signal = on_agenda(submit(users[Role.PARTNER].organisation, users[Role.PARTNER]), session,
                       users[Role.COORDINATOR])
    return signal, session


def deciding(signal: Signal, session: object, who: User, decision: str):
    seen = Signal.objects.get(pk=signal.pk)  # the copy this participant has open
    return lambda: services.decide(seen, session=session, findings=findings(), legal_criterion="Convenant art. 5",
                                   decision=decision, rationale="Besproken in het overleg.", actor=who)


def pre_assessing(signal: Signal, who: User, decision: str):
    seen = Signal.objects.get(pk=signal.pk)
    return lambda: services.pre_assess(seen, decision=decision, legal_criterion="Werkafspraak triage art. 2",
                                       rationale="Advies gegeven aan de mentor.", actor=who)


def assert_decided_once(signal: Signal, *, decision: str, by: User) -> None:
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DECIDED
    assessment = Assessment.objects.get(signal=signal)
    assert assessment.decision == decision
    assert assessment.decided_by == by
    assert AuditEvent.objects.filter(action=AuditAction.DECIDE, object_type="intake.signal",
                                     object_id=str(signal.pk)).count() == 1


def test_a_second_joint_decision_on_a_decided_signal_is_turned_away(users, agenda, cora) -> None:
    signal, session = agenda
    by_carla = deciding(signal, session, users[Role.COORDINATOR], "monitoring")
    by_olaf = deciding(signal, session, cora, "advice_given")
    by_carla()
    with pytest.raises(AlreadyDecided, match="intussen al besloten door Carla: monitoren"):
        by_olaf()
    assert_decided_once(signal, decision="monitoring", by=users[Role.COORDINATOR])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_participants_recording_the_decision_at_once_record_one(users, agenda, cora) -> None:
    signal, session = agenda
    acts = [(users[Role.COORDINATOR], "monitoring"), (cora, "advice_given")]
    outcomes = race(*(deciding(signal, session, who, decision) for who, decision in acts))
    winner, decision = acts[one_won(outcomes, AlreadyDecided)]
    assert_decided_once(signal, decision=decision, by=winner)


def test_the_participant_who_decides_second_is_told_who_decided(users, agenda, cora) -> None:
    signal, session = agenda
    olaf = verified_client(cora)
    url = reverse("intake:session_decide", args=[session.pk, signal.reference])
    assert olaf.get(url).status_code == 200  # the form is open
    deciding(signal, session, users[Role.COORDINATOR], "monitoring")()
    response = olaf.post(url, decision_post("advice_given"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("intake:session_detail", args=[session.pk])
    assert "Over dit signaal is intussen al besloten door Carla: monitoren." in response.content.decode()
    assert_decided_once(signal, decision="monitoring", by=users[Role.COORDINATOR])


@pytest.fixture
def new_signal(users) -> Signal:
    second_coordinator(users[Role.COORDINATOR].organisation)
    return submit(users[Role.PARTNER].organisation, users[Role.PARTNER])


def test_a_second_pre_assessment_is_turned_away(users, new_signal) -> None:
    by_carla = pre_assessing(new_signal, users[Role.COORDINATOR], "advice_given")
    by_cora = pre_assessing(new_signal, second_coordinator(), "closed_no_concern")
    by_carla()
    with pytest.raises(AlreadyDecided, match="door Carla"):
        by_cora()
    assert_decided_once(new_signal, decision="advice_given", by=users[Role.COORDINATOR])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_pre_assessing_at_once_record_one_decision(users, new_signal) -> None:
    acts = [(users[Role.COORDINATOR], "advice_given"), (second_coordinator(), "closed_no_concern")]
    outcomes = race(*(pre_assessing(new_signal, who, decision) for who, decision in acts))
    winner, decision = acts[one_won(outcomes, AlreadyDecided)]
    assert_decided_once(new_signal, decision=decision, by=winner)


def test_a_signal_decided_at_triage_is_not_put_on_an_agenda_afterwards(users, new_signal) -> None:
    carla = users[Role.COORDINATOR]
    services.link_person(new_signal, actor=carla, person=None, new_person=services.PersonInput(
        name="Jesse de Boer", birth_date=new_signal.subject_birth_date))
    seen_by_cora = Signal.objects.get(pk=new_signal.pk)
    pre_assessing(new_signal, carla, "advice_given")()
    with pytest.raises(AlreadyDecided, match="door Carla"):
        services.put_on_agenda(seen_by_cora, session_with(second_coordinator()), actor=second_coordinator())
    assert_decided_once(new_signal, decision="advice_given", by=carla)
    assert Signal.objects.get(pk=new_signal.pk).assessment_session is None


def test_the_coordinator_who_pre_assesses_second_is_told_who_decided(users, new_signal) -> None:
    cora = verified_client(second_coordinator())
    url = reverse("intake:signal_detail", args=[new_signal.reference])
    assert cora.get(url).status_code == 200  # the page is open
    pre_assessing(new_signal, users[Role.COORDINATOR], "advice_given")()
    response = cora.post(reverse("intake:signal_pre_assess", args=[new_signal.reference]),
                         {**PRE_ASSESSMENT, "decision": "closed_no_concern"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url
    assert "Over dit signaal is intussen al besloten door Carla: gegeven advies." in response.content.decode()
    assert_decided_once(new_signal, decision="advice_given", by=users[Role.COORDINATOR])
