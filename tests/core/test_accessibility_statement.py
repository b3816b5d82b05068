"""The accessibility statement: public, after the Dutch model, reachable from the footer of every page."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from netwerkregie.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_statement_is_public_and_follows_the_model(client: Client, settings: object) -> None:
    settings.ACCESSIBILITY_CONTACT_EMAIL = "toegankelijkheid@voorbeeld.test"  # type: ignore[attr-defined]
    response = client.get(reverse("accessibility_statement"))
    assert response.status_code == 200
    page = response.content.decode()
    for part in ("WCAG 2.1 niveau A en AA", "EN 301 549", "Voldoet gedeeltelijk", "Verklaring opgesteld op",
                 "Laatst gecontroleerd op", "3 december 2026", "axe-core", "alleen het toetsenbord",
                 'href="mailto:toegankelijkheid@voorbeeld.test"', "Nationale ombudsman",
                 'href="https://www.nationaleombudsman.nl/"'):
        assert part in page, part


def test_without_a_contact_address_the_statement_sends_people_to_the_municipality(
        client: Client, settings: object) -> None:
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""  # type: ignore[attr-defined]
    page = client.get(reverse("accessibility_statement")).content.decode()
    assert "mailto:" not in page
    assert "via de gewone contactgegevens" in page


def test_the_statement_is_in_english_on_request(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accessibility_statement")).content.decode()
    assert "Partially compliant" in page
    assert "3 December 2026" in page  # English as a Dutch municipality writes it (core/formats/en)
    assert "National Ombudsman" in page


def test_every_page_links_the_statement_in_its_footer(client: Client, client_for: Callable[[str], Client]) -> None:
    link = f'href="{reverse("accessibility_statement")}"'
    assert link in client.get(reverse("accounts:login")).content.decode()
    assert link in client_for(Role.PARTNER).get(reverse("intake:signal_new")).content.decode()
    assert link in client_for(Role.COORDINATOR).get(reverse("home")).content.decode()
