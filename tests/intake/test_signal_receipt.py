"""The partner's receipt right after sending a signal: thanks, what they themselves sent, and the next step;
later (another session) only the reference and the status."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

SENT = {
    "description": "Deelt in de klassenapp filmpjes waarin geweld wordt verheerlijkt.",
    "subject_name": "Yusuf Demir",
    "subject_birth_date": "2009-03-14",
}


def receipt(client: Client) -> str:
    return client.post(reverse("intake:signal_new"), SENT, follow=True).content.decode()


def test_the_receipt_thanks_the_partner(client_for: Callable[[str], Client]) -> None:
    assert "Dank u wel voor uw signaal." in receipt(client_for(Role.PARTNER))


def test_the_receipt_shows_the_name_sent(client_for: Callable[[str], Client]) -> None:
    assert "Yusuf Demir" in receipt(client_for(Role.PARTNER))


def test_the_receipt_shows_the_date_of_birth_sent(client_for: Callable[[str], Client]) -> None:
    assert "14 maart 2009" in receipt(client_for(Role.PARTNER))


def test_the_receipt_shows_what_was_reported(client_for: Callable[[str], Client]) -> None:
    assert "filmpjes waarin geweld wordt verheerlijkt" in receipt(client_for(Role.PARTNER))


def test_the_receipt_offers_to_report_another_signal(client_for: Callable[[str], Client]) -> None:
    page = receipt(client_for(Role.PARTNER))
    assert f'href="{reverse("intake:signal_new")}">Nog een signaal melden' in page


def test_the_receipt_offers_a_way_back(client_for: Callable[[str], Client]) -> None:
    assert "Terug naar Vandaag" in receipt(client_for(Role.PARTNER))


def test_showing_what_was_sent_is_audited(client_for: Callable[[str], Client], users: dict[str, User]) -> None:
    receipt(client_for(Role.PARTNER))
    signal = Signal.objects.get()
    assert AuditEvent.objects.filter(action="view", object_id=str(signal.pk), actor=users[Role.PARTNER],
                                     reason="receipt of own signal").exists()


def test_another_session_shows_the_status_without_the_name(client_for: Callable[[str], Client],
                                                           users: dict[str, User]) -> None:
    receipt(client_for(Role.PARTNER))
    later = verified_client(users[Role.PARTNER])
    page = later.get(reverse("intake:my_signal", args=[Signal.objects.get().reference])).content.decode()
    assert "Yusuf Demir" not in page
