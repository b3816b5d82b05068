"""The coordinator's own pre-assessment at triage: only the light decisions the municipality
allows, with written reasons, flagged as one party and counted; never for a signal already on an agenda."""

import pytest
from django.urls import reverse

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Assessment, SignalStatus
from tests.conftest import verified_client
from tests.intake_helpers import on_agenda, session_with, submit
from tests.mail_helpers import delivered
from tests.notifications.helpers import start_afresh

pytestmark = pytest.mark.django_db

POST = {"decision": "advice_given", "legal_criterion": "Werkafspraak triage art. 2",
        "rationale": "Mentor heeft advies gekregen over het gesprek met de ouders; geen zorg over radicalisering."}


def test_the_coordinator_closes_a_signal_alone_with_reasons_and_it_is_flagged_and_counted(users) -> None:
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    client = verified_client(users[Role.COORDINATOR])
    page = client.get(reverse("intake:signal_detail", args=[signal.reference])).content.decode()
    assert "Alleen beslissen bij de triage" in page
    assert 'value="monitoring"' not in page.split("pre-heading")[1]
    response = client.post(reverse("intake:signal_pre_assess", args=[signal.reference]), POST)
    assert response.status_code == 302
    assessment = Assessment.objects.get(signal=signal)
    assert assessment.session is None
    assert assessment.assessed_by_one_party
    assert assessment.is_pre_assessment
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DECIDED
    assert AuditEvent.objects.filter(action="decide", object_id=str(signal.pk), detail__pre_assessment=True).exists()
    triage = client.get(reverse("intake:triage")).content.decode()
    assert "Dit jaar is 1 signaal alleen afgehandeld bij de triage" in triage
    detail = client.get(reverse("intake:signal_detail", args=[signal.reference])).content.decode()
    assert "Door één partij gewogen" in detail
    assert "voorweging bij de triage" in detail


def test_concern_unfounded_alone_tells_the_submitter(users, django_capture_on_commit_callbacks) -> None:
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    client = verified_client(users[Role.COORDINATOR])
    start_afresh()  # the coordinator was told of the new signal
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:signal_pre_assess", args=[signal.reference]),
                    {**POST, "decision": "closed_no_concern"})
    assert [m.to for m in delivered()] == [[users[Role.PARTNER].email]]


@pytest.mark.parametrize(("changes", "field"), [
    ({"decision": "to_case_conference"}, "decision"),
    ({"decision": "monitoring"}, "decision"),
    ({"rationale": ""}, "rationale"),
    ({"legal_criterion": ""}, "legal_criterion"),
])
def test_heavier_decisions_or_missing_reasons_are_refused(users, changes: dict, field: str) -> None:
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    response = verified_client(users[Role.COORDINATOR]).post(
        reverse("intake:signal_pre_assess", args=[signal.reference]), {**POST, **changes})
    assert response.status_code == 422
    assert field in response.context["pre_assessment_form"].errors
    assert not Assessment.objects.exists()


def test_a_signal_on_an_agenda_or_a_municipality_without_the_rule_cannot_be_decided_alone(users, settings) -> None:
    coordinator = users[Role.COORDINATOR]
    signal = on_agenda(submit(users[Role.PARTNER].organisation, users[Role.PARTNER]), session_with(coordinator),
                       coordinator)
    client = verified_client(coordinator)
    response = client.post(reverse("intake:signal_pre_assess", args=[signal.reference]), POST, follow=True)
    assert response.status_code == 200
    assert not Assessment.objects.exists()
    assert "on the agenda of" in response.content.decode() or "op de agenda van" in response.content.decode()
    settings.PRE_ASSESSMENT_DECISIONS = []
    fresh = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    assert "pre-heading" not in client.get(reverse("intake:signal_detail", args=[fresh.reference])).content.decode()
    assert client.post(reverse("intake:signal_pre_assess", args=[fresh.reference]), POST).status_code == 422
