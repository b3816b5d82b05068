"""Password-reset and invitation links name SITE_URL, never the Host header of whoever asked."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from tests.mail_helpers import delivered

pytestmark = pytest.mark.django_db
SITE = "https://netwerkregie.gemeente.example"
FORGED = "phish.example"


@pytest.fixture(autouse=True)
def _site(settings: object) -> None:
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]  # a deployment that lets any Host through: the link must not follow it


def test_a_password_reset_link_names_the_site_url(users: dict[str, User]) -> None:
    Client().post(reverse("accounts:password_reset"), {"email": "anna@example.nl"}, HTTP_HOST=FORGED)
    assert f"{SITE}/accounts/password/reset/" in delivered()[-1].body


def test_a_password_reset_link_does_not_name_a_forged_host(users: dict[str, User]) -> None:
    Client().post(reverse("accounts:password_reset"), {"email": "anna@example.nl"}, HTTP_HOST=FORGED)
    assert FORGED not in delivered()[-1].body


def test_an_invitation_link_names_the_site_url(client_for: Callable[[str], Client], users: dict[str, User]) -> None:
    nora = users["nobody"]
    client_for(Role.ADMIN).post(reverse("accounts:user_invite", args=[nora.pk]), HTTP_HOST=FORGED)
    assert f"{SITE}/accounts/invitation/" in delivered()[-1].body


def test_an_invitation_link_does_not_name_a_forged_host(client_for: Callable[[str], Client],
                                                        users: dict[str, User]) -> None:
    nora = users["nobody"]
    client_for(Role.ADMIN).post(reverse("accounts:user_invite", args=[nora.pk]), HTTP_HOST=FORGED)
    assert FORGED not in delivered()[-1].body
