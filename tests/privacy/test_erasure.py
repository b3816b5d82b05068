"""A granted erasure request erases the person, through the privacy officer's page."""

import pytest
from django.utils import timezone

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.people.models import Person
from netwerkregie.privacy import services
from netwerkregie.privacy.models import DataSubjectRequest
from tests.conftest import verified_client
from tests.privacy.test_purge import decided

pytestmark = pytest.mark.django_db


def erasure_request(users, name: str) -> tuple[DataSubjectRequest, Signal]:
    officer = users[Role.PRIVACY_OFFICER]
    signal = decided(users, name, "monitoring")
    request = services.register_request(kind="erasure", person=signal.person, received_on=timezone.localdate(),
                                        handler=officer, actor=officer)
    return request, signal


def test_granting_erases_the_person_and_says_what_went(users) -> None:
    request, signal = erasure_request(users, "Erik Wisman")
    client = verified_client(users[Role.PRIVACY_OFFICER])
    page = client.get(f"/privacy/requests/{request.pk}/").content.decode()
    assert "niet terug te draaien" in page  # the warning before anyone answers

    response = client.post(f"/privacy/requests/{request.pk}/", {
        "answer": "1", "status": "done", "outcome": "Verwijderd op verzoek."}, follow=True)
    page = response.content.decode()
    assert "Gewist: 2 gegevens" in page
    assert not Signal.objects.filter(pk=signal.pk).exists()
    assert not Person.objects.filter(pk=signal.person_id).exists()
    request.refresh_from_db()
    assert request.status == "done"
    assert request.person is None
    assert request.person_label.startswith("P-")
    assert AuditEvent.objects.filter(action="purge", reason="erasure request").count() == 2


def test_an_unanswered_form_erases_nothing(users) -> None:
    request, signal = erasure_request(users, "Erik Wisman")
    client = verified_client(users[Role.PRIVACY_OFFICER])
    response = client.post(f"/privacy/requests/{request.pk}/", {"answer": "1", "status": "done", "outcome": ""})
    assert response.status_code == 200  # the form again, with its errors
    assert "verplicht" in response.content.decode().lower()
    assert Person.objects.filter(pk=signal.person_id).exists()
    request.refresh_from_db()
    assert request.status == "open"


def test_a_refused_request_erases_nothing(users) -> None:
    request, signal = erasure_request(users, "Erik Wisman")
    services.answer_request(request, status="refused", outcome="Wettelijke grondslag.",
                            actor=users[Role.PRIVACY_OFFICER])
    assert Signal.objects.filter(pk=signal.pk).exists()
