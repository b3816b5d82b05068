"""Pseudonymous joint assessment: the police participant sees no name, date of birth, BSN or partner
name until they reveal the identity with a reason; the reveal is audited, shown and recorded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.models import Assessment, IdentityReveal, Signal
from netwerkregie.intake.pseudonymity import mask
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.people.models import age_on
from netwerkregie.people.services import PersonInput
from tests.conftest import make_user, verified_client
from tests.intake_helpers import findings, session_with

pytestmark = pytest.mark.django_db
NAME, BORN, BSN = "Yara van der Postma", datetime.date(2009, 9, 9), "111222333"
AGE = age_on(BORN, timezone.localdate())
DESCRIPTION = ("Sinds januari stuurt Yara Postma klasgenoten dreigende berichten. Yara (geboren 09-09-2009, "
               "BSN 111222333) zoekt contact met een groep die tot geweld oproept; haar mentor De Graaf belde.")


@pytest.fixture
def police(municipality: Organisation) -> User:
    return make_user("agent", Role.CORE_PARTNER,
                     organisation=Organisation.objects.create(name="Politie Teststad", sector=Sector.POLICE))


@pytest.fixture
def agenda(users: dict[str, User], police: User) -> tuple[Signal, object]:
    """A signal about Yara on the agenda of a session with the coordinator and the police, and an earlier one."""
    coordinator = users[Role.COORDINATOR]
    school = Organisation.objects.create(name="Het Kleine Lyceum", sector=Sector.SCHOOL)
    earlier = services.submit_signal(services.SignalInput(
        description="Yara Postma deelde vorig jaar filmpjes van aanslagen.", subject_name=NAME,
        subject_birth_date=BORN, observation_codes=["shares_extremist_material"]), organisation=school,
        channel="phone").signal
    person = services.link_person(earlier, actor=coordinator, new_person=PersonInput(name=NAME, birth_date=BORN,
                                                                                     bsn=BSN))
    signal = services.submit_signal(services.SignalInput(
        description=DESCRIPTION, subject_name="Yara Postma", subject_birth_date=BORN, reporter="Mentor H. de Graaf",
        subject_school="Het Kleine Lyceum", observation_codes=["threatens"]), organisation=school,
        channel="web_form").signal
    services.link_person(signal, actor=coordinator, person=person)
    session = session_with(coordinator, police)
    services.put_on_agenda(signal, session, actor=coordinator)
    return signal, session


IDENTIFYING = [NAME, "Yara", "Postma", "09-09-2009", "9 september 2009", "2009-09-09", BSN, "Graaf",
               "Het Kleine Lyceum"]


def test_the_police_participant_sees_no_name_birth_date_bsn_or_partner_until_reveal(
        agenda: tuple[Signal, object], police: User) -> None:
    signal, session = agenda
    client = verified_client(police)
    pages = [client.get(reverse("intake:session_decide", args=[session.pk, signal.reference])),
             client.get(reverse("intake:session_detail", args=[session.pk])),
             client.get(reverse("intake:signal_detail", args=[signal.reference]))]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert [word for word in IDENTIFYING if word.lower() in html.lower()] == []
        assert signal.person.pseudonym in html
    decide_page = pages[0].content.decode()
    assert f"{AGE} jaar" in decide_page
    assert "School" in decide_page
    assert "dreigende berichten" in decide_page
    assert "deelde vorig jaar filmpjes" in decide_page  # the earlier signal, masked too
    assert client.get(reverse("intake:person_detail", args=[signal.person.pseudonym])).status_code == 404


def test_revealing_needs_a_reason_and_then_shows_the_identity_with_an_audit_event(
        agenda: tuple[Signal, object], police: User, users: dict[str, User]) -> None:
    signal, session = agenda
    client = verified_client(police)
    url = reverse("intake:session_reveal", args=[session.pk, signal.reference])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 422
    assert "Dit veld is verplicht" in refused.content.decode()
    assert not IdentityReveal.objects.exists()
    client.post(url, {"reason": "Nodig om politiesystemen te raadplegen."})
    html = client.get(reverse("intake:session_decide", args=[session.pk, signal.reference])).content.decode()
    assert NAME in html
    assert "09-09-2009" in html
    assert BSN in html
    assert "Nodig om politiesystemen" in html
    assert client.get(reverse("intake:person_detail", args=[signal.person.pseudonym])).status_code == 200
    event = AuditEvent.objects.get(reason="identity revealed")
    assert event.actor == police
    assert event.object_id == str(signal.pk)
    assert "Nodig om" not in str(event.detail)  # the reason stays with the signal, and goes with it
    services.decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
                    decision="monitoring", rationale="Volgen.", actor=users[Role.COORDINATOR])
    assert Assessment.objects.get(signal=signal).identity_revealed is True


def test_a_decision_without_reveal_records_that_the_identity_stayed_hidden(
        agenda: tuple[Signal, object], users: dict[str, User]) -> None:
    signal, session = agenda
    services.decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
                    decision="advice_given", rationale="Advies.", actor=users[Role.COORDINATOR])
    assert Assessment.objects.get(signal=signal).identity_revealed is False


def test_only_a_participant_can_reveal_and_the_coordinator_always_sees_who_it_is(
        agenda: tuple[Signal, object], users: dict[str, User], police: User) -> None:
    signal, session = agenda
    outsider = make_user("rechercheur", Role.CORE_PARTNER, organisation=police.organisation)
    response = verified_client(outsider).post(reverse("intake:session_reveal", args=[session.pk, signal.reference]),
                                              {"reason": "Nieuwsgierig."})
    assert response.status_code == 404
    assert not IdentityReveal.objects.exists()
    html = verified_client(users[Role.COORDINATOR]).get(
        reverse("intake:session_decide", args=[session.pk, signal.reference])).content.decode()
    assert NAME in html
    assert "Het Kleine Lyceum" in html


def test_the_municipality_can_switch_it_off(agenda: tuple[Signal, object], police: User, settings) -> None:
    settings.PSEUDONYMOUS_ASSESSMENT = False
    signal, session = agenda
    html = verified_client(police).get(
        reverse("intake:session_decide", args=[session.pk, signal.reference])).content.decode()
    assert NAME in html


def test_masking_replaces_names_dates_and_numbers_but_keeps_the_behaviour(agenda: tuple[Signal, object]) -> None:
    signal, _session = agenda
    masked = mask(DESCRIPTION, signal)
    pseudonym = signal.person.pseudonym
    assert masked.startswith(f"Sinds januari stuurt {pseudonym} klasgenoten dreigende berichten. {pseudonym} (")
    assert f"[{AGE} jaar]" in masked
    assert "[nummer]" in masked
    assert "De [naam] belde" in masked
    assert "Postma" not in masked
    assert "2009" not in masked


def test_the_access_export_says_who_had_the_identity_revealed_and_why(agenda, police) -> None:
    from netwerkregie.intake.pseudonymity import reveal_identity
    from netwerkregie.privacy.export_access import access_export

    signal, session = agenda
    reveal_identity(signal, session=session, actor=police, reason="Politiesystemen raadplegen.")
    entry = next(s for s in access_export(signal.person)["signals"] if s["reference"] == signal.reference)
    assert [(r["who"], r["why"]) for r in entry["identity_revealed_to"]] == [
        ("Kernpartner, Politie Teststad", "Politiesystemen raadplegen.")]  # by role, never by name or e-mail
