"""What the whole-path walk's screenshots showed (issue 32): one joint decision shown once on the case, a clear
message and landing after approving, no bullet inside the approval sentence, section legends on the signal
page, the agenda box once a signal is on an agenda, and the police contribution that may name the person."""

import datetime
import re

import pytest
from django.urls import reverse

from netwerkregie.approvals.models import Approval
from netwerkregie.cases import closure as case_closure
from netwerkregie.cases import services as cases
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.joint import decide_together
from netwerkregie.intake.models import AssessmentCriterion, AssessmentSession, Contribution, Signal
from netwerkregie.network.models import Organisation, Sector
from tests.case_helpers import decided_case
from tests.conftest import verified_client
from tests.intake_helpers import findings, one_person_on_agenda, police_officer, session_with

pytestmark = pytest.mark.django_db
NAME, BORN = "Yusuf Demir", datetime.date(2009, 3, 14)
RATIONALE = "Zorgen op school en thuis; samen besproken."


@pytest.fixture
def police() -> User:
    return police_officer()


@pytest.fixture
def agenda(users: dict[str, User], police: User) -> tuple[Signal, Signal, AssessmentSession]:
    """Two signals about Yusuf Demir on the agenda of a session with the coordinator and the police."""
    reports = [("Dreigt in de klassenapp.", NAME), ("Deelt filmpjes.", NAME)]
    return one_person_on_agenda(users[Role.COORDINATOR], police, reports, name=NAME, born=BORN)


def _case_from_one_decision(users: dict[str, User], first: Signal, second: Signal, session: AssessmentSession):
    coordinator = users[Role.COORDINATOR]
    decide_together(first, also=[second], session=session, findings=findings(), legal_criterion="Convenant art. 6",
                    decision="to_case_conference", rationale=RATIONALE, actor=coordinator)
    first.refresh_from_db()
    return cases.open_case(person=first.person, case_manager=users[Role.CASE_MANAGER], actor=coordinator,
                           signals=[first, second], ideology="right_wing")


# 1. One decision over several signals, shown once.

def test_it_shows_a_decision_that_covered_two_signals_once(users, agenda) -> None:
    first, second, session = agenda
    case = _case_from_one_decision(users, first, second, session)
    page = verified_client(users[Role.CASE_MANAGER]).get(
        reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert page.count(RATIONALE) == 1


def test_it_names_the_signals_the_one_decision_covered(users, agenda) -> None:
    first, second, session = agenda
    case = _case_from_one_decision(users, first, second, session)
    page = verified_client(users[Role.CASE_MANAGER]).get(
        reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert f"Besluit over signalen {first.reference}, {second.reference}" in page


def test_it_shows_the_decision_once_on_the_approvers_read_only_case_too(users, agenda) -> None:
    first, second, session = agenda
    case = _case_from_one_decision(users, first, second, session)
    approval = case_closure.request_closure(case, reason="goals_achieved", handover_note="Overgedragen.",
                                            actor=users[Role.CASE_MANAGER])
    page = verified_client(users[Role.APPROVER]).get(
        reverse("sharing:approved_case", args=[approval.pk])).content.decode()
    assert page.count(RATIONALE) == 1


# 2. After approving: a clear message per act, and the read-only view of what was approved.

@pytest.fixture
def closure(users) -> Approval:
    case = decided_case(users)
    return case_closure.request_closure(case, reason="goals_achieved", handover_note="Overgedragen aan de school.",
                                        actor=users[Role.COORDINATOR])


def test_it_says_in_plain_dutch_what_the_approval_did(users, closure) -> None:
    response = verified_client(users[Role.APPROVER]).post(
        reverse("sharing:approval_detail", args=[closure.pk]), {"decision": "approve", "note": ""}, follow=True)
    assert "Akkoord gegeven: de casus is afgesloten." in response.content.decode()


def test_it_takes_the_approver_to_what_she_approved(users, closure) -> None:
    response = verified_client(users[Role.APPROVER]).post(
        reverse("sharing:approval_detail", args=[closure.pk]), {"decision": "approve", "note": ""})
    assert response["Location"] == reverse("sharing:approved_case", args=[closure.pk])


def test_it_still_takes_a_refusing_approver_back_to_the_list(users, closure) -> None:
    response = verified_client(users[Role.APPROVER]).post(
        reverse("sharing:approval_detail", args=[closure.pk]), {"decision": "refuse", "note": "Eerst evalueren."})
    assert response["Location"] == reverse("sharing:approval_list")


# 3. The approval waiting on the case page is a sentence, not a bullet in the middle of one.

def test_it_writes_the_waiting_approval_as_one_sentence(users, closure) -> None:
    page = verified_client(users[Role.COORDINATOR]).get(
        reverse("cases:case_detail", args=[closure.case.reference])).content.decode()
    notice = page.split('id="awaiting-approval"')[1].split("</div></div>")[0]
    assert "<li>" not in notice


def test_it_links_the_act_inside_the_waiting_sentence(users, closure) -> None:
    page = verified_client(users[Role.COORDINATOR]).get(
        reverse("cases:case_detail", args=[closure.case.reference])).content.decode()
    url = reverse("sharing:approval_detail", args=[closure.pk])
    assert re.search(rf'Wacht op het akkoord van een tweede persoon: <a [^>]*href="{url}">', page)


# 4. The signal page's legends are section headings.

def test_it_styles_the_link_and_register_legends_as_section_headings(users) -> None:
    school = Organisation.objects.create(name="Het Lindeveen College", sector=Sector.SCHOOL)
    signal = services.submit_signal(services.SignalInput(
        description="Dreigt in de klassenapp.", subject_name=NAME, subject_birth_date=BORN,
        observation_codes=["threatens"]), organisation=school, channel="phone").signal
    page = verified_client(users[Role.COORDINATOR]).get(
        reverse("intake:signal_detail", args=[signal.reference])).content.decode()
    assert page.count("nr-section-fieldset") == 2


# 5. On an agenda already: which session, and no prominent "Agenderen".

def test_it_links_the_session_the_signal_is_on(users, agenda) -> None:
    first, _second, session = agenda
    page = verified_client(users[Role.COORDINATOR]).get(
        reverse("intake:signal_detail", args=[first.reference])).content.decode()
    url = reverse("intake:session_detail", args=[session.pk])
    assert re.search(rf'Geagendeerd voor <a [^>]*href="{url}">', page)


def test_it_offers_no_agenda_button_once_on_the_agenda(users, agenda) -> None:
    first, _second, _session = agenda
    page = verified_client(users[Role.COORDINATOR]).get(
        reverse("intake:signal_detail", args=[first.reference])).content.decode()
    assert ">Agenderen<" not in page


def test_it_offers_moving_to_another_session_when_there_is_one(users, agenda) -> None:
    first, _second, _session = agenda
    other = session_with(users[Role.COORDINATOR], title="Weging week 50")
    client = verified_client(users[Role.COORDINATOR])
    page = client.get(reverse("intake:signal_detail", args=[first.reference])).content.decode()
    assert "Naar een andere zitting" in page
    client.post(reverse("intake:signal_put_on_agenda", args=[first.reference]), {"session": other.pk})
    first.refresh_from_db()
    assert first.assessment_session_id == other.pk


# 6. The police contribution that may name the person.

def _contribution(knowledge: str, **extra: str) -> dict[str, str]:
    return {"knowledge": knowledge, **extra,
            **{f"view_{c.code}": "recognisable" for c in AssessmentCriterion.objects.filter(is_active=True)}}


def test_it_guides_the_partner_to_write_the_pseudonym(agenda, police) -> None:
    first, _second, session = agenda
    page = verified_client(police).get(
        reverse("intake:session_decide", args=[session.pk, first.reference])).content.decode()
    assert f"Noem de persoon niet bij naam: deze weging is gepseudonimiseerd. Schrijf het pseudoniem " \
           f"({first.person.pseudonym})" in page


def test_it_warns_when_the_contribution_contains_the_persons_last_name(agenda, police) -> None:
    first, _second, session = agenda
    response = verified_client(police).post(reverse("intake:session_contribute", args=[session.pk, first.reference]),
                                            _contribution("De familie Demir is bij de wijkagent bekend."))
    assert response.status_code == 422
    assert "bevat mogelijk de naam van de persoon" in response.content.decode()


def test_it_saves_nothing_while_the_name_is_not_confirmed(agenda, police) -> None:
    first, _second, session = agenda
    verified_client(police).post(reverse("intake:session_contribute", args=[session.pk, first.reference]),
                                 _contribution("yusuf is bij de wijkagent bekend."))
    assert not Contribution.objects.filter(signal=first).exists()


def test_the_warning_does_not_echo_the_name(agenda, police) -> None:
    first, _second, session = agenda
    page = verified_client(police).post(reverse("intake:session_contribute", args=[session.pk, first.reference]),
                                        _contribution("Yusuf is bekend.")).content.decode()
    warning = page.split("bevat mogelijk de naam van de persoon")[1]
    assert "Demir" not in warning


def test_a_confirmed_name_is_saved_and_audited(agenda, police) -> None:
    first, _second, session = agenda
    response = verified_client(police).post(reverse("intake:session_contribute", args=[session.pk, first.reference]),
                                            _contribution("Yusuf is bekend.", name_confirmed="on"))
    assert response.status_code == 302
    contribution = Contribution.objects.get(signal=first)
    event = AuditEvent.objects.filter(object_type="intake.contribution", object_id=str(contribution.pk)).get()
    assert event.detail["person_named"] is True
