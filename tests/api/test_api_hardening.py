"""An attacker's requests to the partner API: whatever the path or headers hold, the answer is a problem of
the 4xx kind, never a 500, and nothing ends a header early or reaches another organisation's data."""

import json

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from netwerkregie.core.models import User
from netwerkregie.network.models import Organisation, Sector
from tests.api.test_partner_api import BODY, api, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(db: None) -> str:
    return token_for(Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL))


@pytest.mark.parametrize(("with_token", "status"), [(False, 401), (True, 400)])
def test_a_line_break_in_an_old_address_is_no_500_and_no_extra_header(token: str, with_token: bool,
                                                                      status: int) -> None:
    client = api(token if with_token else None)
    client.raise_request_exception = False
    response = client.get("/api/v1/signals/S-1%0D%0AX-Injected:%201/")
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert "X-Injected" not in response.headers
    assert response["Link"] == '</api/v1/signals/S-1%0D%0AX-Injected:%201>; rel="successor-version"'


def test_a_browser_session_never_submits_through_the_old_address(token: str) -> None:
    """The slashed POST is exempt from CSRF like every DRF view: a session cookie must not authenticate it."""
    user = User.objects.create_user(email="sessie@example.org", password="een-lang-wachtwoord-123",
                                    full_name="Sessie Gebruiker")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for path in ("/api/v1/signals/", "/api/v1/signals"):
        response = client.post(path, data=json.dumps(BODY), content_type="application/json")
        assert response.status_code == 401, path


def test_a_conditional_request_without_a_token_learns_nothing(token: str) -> None:
    etag = api(token).get("/api/v1/neighbourhoods")["ETag"]
    for tag in (etag, "*"):
        response = api().get("/api/v1/neighbourhoods", HTTP_IF_NONE_MATCH=tag)
        assert response.status_code == 401
        assert not response.has_header("ETag")


def test_the_host_of_one_request_for_the_document_never_stays_for_the_next(settings) -> None:
    """The contact address is filled in per request, on a copy: drf-spectacular hands out its settings' own
    dict, and writing into it would keep one requester's host for every later document (and thread)."""
    settings.ALLOWED_HOSTS = ["intern.gemeente.lan", "netwerkregie.example.nl"]
    first = Client().get("/api/v1/openapi.json", HTTP_HOST="intern.gemeente.lan").json()
    assert first["info"]["contact"]["url"] == "http://intern.gemeente.lan/api/docs/"
    second = Client().get("/api/v1/openapi.json", HTTP_HOST="netwerkregie.example.nl").content.decode()
    assert "intern.gemeente.lan" not in second
    offline = SchemaGenerator().get_schema(request=None, public=True)
    assert offline["info"]["contact"]["url"] == "/api/docs/"


def test_the_document_names_site_url_as_its_server_whatever_the_host(settings) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://netwerkregie.example.nl"
    document = Client().get("/api/v1/openapi.json", HTTP_HOST="evil.example.com").json()
    assert [server["url"] for server in document["servers"]] == ["https://netwerkregie.example.nl/api/v1"]
    assert document["info"]["contact"]["url"] == "https://netwerkregie.example.nl/api/docs/"
