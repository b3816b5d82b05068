"""Links in mail point at SITE_URL, never at the Host header of the request that caused the mail: a forged Host
(where ALLOWED_HOSTS lets one through) must not turn a notification into a link to someone else's site."""

import json

import pytest
from django.urls import reverse

from netwerkregie.core.roles import Role
from tests.api.test_partner_api import BODY, api, token_for
from tests.conftest import verified_client
from tests.intake.test_pre_assessment import POST
from tests.intake_helpers import submit
from tests.mail_helpers import delivered
from tests.notifications.conftest import SITE
from tests.notifications.helpers import start_afresh

pytestmark = pytest.mark.django_db

FORGED = "evil.example.com"


def links(messages) -> list[str]:  # type: ignore[no-untyped-def]
    return [word for message in messages for word in message.body.split() if "://" in word]


def test_an_acute_signal_through_the_api_links_to_site_url_whatever_the_host(users, settings) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    start_afresh()
    response = api(token_for(users[Role.PARTNER].organisation)).post(
        "/api/v1/signals", data=json.dumps({**BODY, "acute_danger": True}), content_type="application/json",
        HTTP_HOST=FORGED)
    assert response.status_code == 201
    found = links(delivered())
    assert found, found
    assert all(link.startswith(SITE + "/") for link in found), found


def test_concern_unfounded_links_to_site_url_whatever_the_host(users, settings,
                                                               django_capture_on_commit_callbacks) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    start_afresh()
    with django_capture_on_commit_callbacks(execute=True):
        verified_client(users[Role.COORDINATOR]).post(
            reverse("intake:signal_pre_assess", args=[signal.reference]), {**POST, "decision": "closed_no_concern"},
            HTTP_HOST=FORGED)
    messages = delivered()
    assert messages
    assert FORGED not in "".join(m.body for m in messages)
    assert links(messages) == [SITE + reverse("home")]
