"""Every error of the partner API is a problem (application/problem+json, RFC 9457) that matches the schema
the OpenAPI document gives for it, and every answer of the API, error or not, carries API-Version."""

import json
import re
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from rest_framework.test import APIClient

from netwerkregie.api import views
from netwerkregie.api.permissions import HasOrganisationToken
from netwerkregie.intake.models import Signal
from netwerkregie.network.models import Organisation, Sector
from tests.api.test_partner_api import BODY, URL, api, token_for

pytestmark = pytest.mark.django_db

API_VERSION = "1.1.0"


@pytest.fixture
def token(db: None) -> str:
    return token_for(Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL))


@pytest.fixture(scope="module")
def spec(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return json.loads(Client().get("/api/v1/openapi.json").content)


def documented_schema(spec: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    """The schema the document gives for this answer; the plain Problem where the operation does not list the
    status (a method it does not have, a path that does not exist)."""
    path = path.removeprefix("/api/v1")
    templates = [t for t in spec["paths"] if re.fullmatch(re.sub(r"\{[a-z_]+\}", "[^/]+", t), path)]
    operation = spec["paths"][templates[0]].get(method.lower(), {}) if templates else {}
    answer = operation.get("responses", {}).get(str(status))
    schema = (answer["content"]["application/problem+json"]["schema"] if answer
              else {"$ref": "#/components/schemas/Problem"})
    return {**schema, "components": spec["components"]}


def assert_problem(spec: dict[str, Any], response: Any, status: int, path: str, method: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == API_VERSION
    body = json.loads(response.content)
    schema = documented_schema(spec, path, method, status)
    jsonschema.validate(body, schema)
    component = schema["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert set(body) <= set(component["properties"]), "a member the document does not describe"
    assert body["status"] == status
    assert body["instance"] == path.split("?")[0]
    assert body["detail"]
    return body


def reference_path(reference: str = "S-0000-NONE") -> str:
    return f"{URL}/{reference}"


ERRORS: list[tuple[str, int, str, str, Callable[[str], Any]]] = [
    ("fields not valid", 400, "POST", URL, lambda t: api(t).post(URL, {**BODY, "subject_name": ""}, format="json")),
    ("not JSON", 400, "POST", URL, lambda t: api(t).generic("POST", URL, b"{nee", content_type="application/json")),
    ("a bad Idempotency-Key", 400, "POST", URL,
     lambda t: api(t).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="kort")),
    ("a reference that cannot be one", 400, "GET", reference_path("x" * 21),
     lambda t: api(t).get(reference_path("x" * 21))),
    ("a host not allowed", 400, "GET", "/api/v1/neighbourhoods",
     lambda t: api(t).get("/api/v1/neighbourhoods", HTTP_HOST="netwerkregie.evil.example")),
    ("no token", 401, "POST", URL, lambda t: api().post(URL, BODY, format="json")),
    ("a wrong token", 401, "GET", f"{URL}/S-0000-NONE", lambda t: api("wrong-token-0000").get(reference_path())),
    ("no such signal", 404, "GET", reference_path(), lambda t: api(t).get(reference_path())),
    ("no such path", 404, "GET", "/api/v1/persons", lambda t: api(t).get("/api/v1/persons")),
    ("a method the path does not take", 405, "DELETE", URL, lambda t: api(t).delete(URL)),
    ("an Accept it cannot answer", 406, "GET", "/api/v1/neighbourhoods",
     lambda t: api(t).get("/api/v1/neighbourhoods", HTTP_ACCEPT="text/html")),
    ("a body too large", 413, "POST", URL,
     lambda t: api(t).post(URL, {**BODY, "context": "x" * 70_000}, format="json")),
    ("a body that is not JSON", 415, "POST", URL,
     lambda t: api(t).generic("POST", URL, b"description=x", content_type="application/x-www-form-urlencoded")),
]


@pytest.mark.parametrize(("case", "status", "method", "path", "send"), ERRORS, ids=[e[0] for e in ERRORS])
def test_every_error_is_a_problem_that_matches_its_documented_schema(
        spec: dict[str, Any], token: str, case: str, status: int, method: str, path: str, send: Callable) -> None:
    body = assert_problem(spec, send(token), status, path, method)
    if status == 400 and method == "POST" and case != "not JSON":  # a field (or header) to name
        assert body["invalid-params"]
        assert all(param["reason"] for param in body["invalid-params"])
    assert Signal.objects.count() == 0


def test_a_validation_problem_names_each_field_with_a_reason_in_dutch_or_english(spec: dict, token: str) -> None:
    sent = {**BODY, "subject_name": "", "observations": ["religion"]}
    dutch = assert_problem(spec, api(token).post(URL, sent, format="json"), 400, URL, "POST")
    english = assert_problem(spec, api(token).post(URL, sent, format="json", HTTP_ACCEPT_LANGUAGE="en"), 400, URL,
                             "POST")
    assert {p["name"] for p in dutch["invalid-params"]} == {"subject_name"}  # first the serializer's fields
    assert dutch["invalid-params"][0]["code"] == "blank"
    assert dutch["invalid-params"][0]["reason"] != english["invalid-params"][0]["reason"]
    domain = assert_problem(spec, api(token).post(URL, {**BODY, "observations": ["religion"]}, format="json",
                                                  HTTP_ACCEPT_LANGUAGE="en"), 400, URL, "POST")
    assert domain["invalid-params"] == [{"name": "observations", "code": "unknown",
                                         "reason": "Unknown observation: religion."}]


def test_the_two_unprocessable_requests_are_problems_of_their_own_type(spec: dict, token: str) -> None:
    client = api(token)
    assert client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="lvs-2026-000009").status_code == 201
    reused = client.post(URL, {**BODY, "description": "Anders."}, format="json", HTTP_IDEMPOTENCY_KEY="lvs-2026-000009")
    assert assert_problem(spec, reused, 422, URL, "POST")["type"] == "urn:netwerkregie:problem:idempotency-key-reused"
    flagged = client.post(URL, {**BODY, "description": "Bedreigt leerlingen bij de moskee."}, format="json")
    body = assert_problem(spec, flagged, 422, URL, "POST")
    assert body["type"] == "urn:netwerkregie:problem:special-category-reason-required"
    assert body["flagged-terms"] == ["moskee"]
    assert body["invalid-params"][0]["name"] == "special_category_reason"


def test_too_many_requests_is_a_problem_with_retry_after(spec: dict, token: str, settings) -> None:
    caches["shared"].clear()
    settings.API_RATE = "1/min"
    with time_machine.travel("2026-12-01 10:00:00+01:00", tick=False):
        api(token).get(reference_path())
        refused = api(token).get(reference_path())
    assert_problem(spec, refused, 429, reference_path(), "GET")
    assert refused["Retry-After"] == "60"


def test_forbidden_is_a_problem(spec: dict, token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No operation refuses a valid token today; should a permission ever do so, the answer is a problem."""
    monkeypatch.setattr(HasOrganisationToken, "has_permission", lambda self, request, view: False)
    assert_problem(spec, api(token).get(reference_path()), 403, reference_path(), "GET")


def test_an_uncaught_exception_is_a_problem_not_a_page(spec: dict, token: str, monkeypatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(views.services, "submit_signal", broken)
    client = api(token)
    client.raise_request_exception = False
    body = assert_problem(spec, client.post(URL, BODY, format="json"), 500, URL, "POST")
    assert "unexpected" not in json.dumps(body)


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/observation-categories", 200), ("/api/v1/neighbourhoods", 200), (reference_path(), 404),
])
def test_every_answer_carries_the_api_version(token: str, path: str, status: int) -> None:
    client = api(token)
    response = client.get(path)
    assert response.status_code == status
    assert response["API-Version"] == API_VERSION
    if status == 200:
        again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        assert again["API-Version"] == API_VERSION


def test_submissions_documents_and_old_addresses_carry_the_api_version_too(token: str) -> None:
    created = api(token).post(URL, BODY, format="json")
    assert created.status_code == 201
    assert created["API-Version"] == API_VERSION
    old = api(token).get(f"{URL}/{created.json()['reference']}/")  # the first release's address
    assert old.status_code == 200
    assert old["API-Version"] == API_VERSION
    assert old["Deprecation"].startswith("@")
    assert old["Link"] == (
        f'<{URL}/{created.json()["reference"]}>; rel="successor-version"')
    strict = APIClient(enforce_csrf_checks=True)  # as a partner system: no CSRF token, no session
    strict.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    retried = strict.post(f"{URL}/", BODY, format="json")  # the first release's address still takes a POST
    assert retried.status_code == 201
    assert retried["Deprecation"]
    assert retried["API-Version"] == API_VERSION
    for path in ("/api/v1/openapi.json", "/api/v1/openapi.yaml", "/api/docs/", "/api/schema/"):
        assert APIClient().get(path)["API-Version"] == API_VERSION, path


def test_a_refused_token_is_explained_in_dutch_or_english(spec: dict) -> None:
    path = reference_path()
    dutch = assert_problem(spec, api("wrong-token-0000").get(path), 401, path, "GET")
    english = assert_problem(spec, api("wrong-token-0000").get(path, HTTP_ACCEPT_LANGUAGE="en"), 401, path, "GET")
    assert (dutch["detail"], english["detail"]) == ("Ongeldig of ingetrokken token.", "Invalid or revoked token.")
