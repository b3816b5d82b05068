from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from netwerkregie.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_interface_is_dutch_by_default_and_english_on_request(
    client_for: Callable[[str], Client],
) -> None:
    client = client_for(Role.ANALYST)
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="nl">' in page
    assert "Direct naar de inhoud" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Skip to main content" in page


def test_navigation_shows_each_role_only_what_it_may_open(
    client_for: Callable[[str], Client],
) -> None:
    audit, users = reverse("core:audit_log"), reverse("accounts:user_list")
    privacy = client_for(Role.PRIVACY_OFFICER).get(reverse("home")).content.decode()
    admin = client_for(Role.ADMIN).get(reverse("home")).content.decode()
    partner = client_for(Role.PARTNER).get(reverse("home")).content.decode()
    assert f'href="{audit}"' in privacy
    assert f'href="{users}"' not in privacy
    assert f'href="{users}"' in admin
    assert f'href="{audit}"' not in admin
    assert f'href="{audit}"' not in partner
    assert f'href="{users}"' not in partner


def test_the_demo_banner_shows_only_in_demo_mode(
    client_for: Callable[[str], Client], settings: object
) -> None:
    client = client_for(Role.ANALYST)
    assert b"demo-banner" not in client.get(reverse("home")).content
    settings.DEMO = True  # type: ignore[attr-defined]
    assert b"demo-banner" in client.get(reverse("home")).content


def test_htmx_requests_get_only_the_fragment(client_for: Callable[[str], Client]) -> None:
    client = client_for(Role.PRIVACY_OFFICER)
    full = client.get(reverse("core:audit_log"))
    fragment = client.get(reverse("core:audit_log"), headers={"HX-Request": "true"})
    assert b"<html" in full.content
    assert b"<html" not in fragment.content
    assert b"<table" in fragment.content


def test_health_answers_without_signing_in() -> None:
    response = Client().get(reverse("health"))
    assert response.json() == {"status": "ok"}
