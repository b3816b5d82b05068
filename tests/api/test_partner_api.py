"""The partner API: token per organisation, status-only reads, idempotent retries."""

import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from netwerkregie.api.models import ApiToken
from netwerkregie.core.audit import verify_chain
from netwerkregie.intake.models import Signal
from netwerkregie.intake.services import MAX_TEXT
from netwerkregie.network.models import Organisation, Sector

URL = "/api/v1/signals"
BODY = {
    "description": "Plaatst berichten waarin hij oproept tot geweld tegen agenten.",
    "observations": ["justifies_violence", "threatens"],
    "subject_name": "Sven Mulder",
    "subject_birth_date": "2004-02-29",
}


def token_for(organisation: Organisation) -> str:
    out = StringIO()
    call_command("issue_api_token", organisation.name, "--label", "leerlingvolgsysteem", stdout=out)
    return out.getvalue().split()[-1]


def api(token: str | None = None) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def invalid(response) -> dict[str, list[str]]:
    """A problem's invalid-params as {name: [reason, ...]}."""
    assert response["Content-Type"] == "application/problem+json"
    reasons: dict[str, list[str]] = {}
    for param in response.json()["invalid-params"]:
        reasons.setdefault(param["name"], []).append(param["reason"])
    return reasons


def split_rate_cache(queries: list[dict]) -> tuple[list[str], list[str]]:
    """The first words of the statements, apart from those of the rate limit's cache (and the
    transaction or savepoint around its write)."""
    ours, rate = [], []
    for query in queries:
        sql = query["sql"]
        word = sql.split()[0].upper()
        (rate if "api_rate_cache" in sql or word in ("SAVEPOINT", "RELEASE") else ours).append(word)
    return ours, rate


@pytest.fixture
def school(db: None) -> Organisation:
    return Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL)


@pytest.mark.django_db
def test_a_partner_system_submits_and_reads_the_status_only(school: Organisation) -> None:
    client = api(token_for(school))
    response = client.post(URL, BODY, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"reference", "received_at", "status", "status_label", "message"}
    assert body["status"] == "received"
    signal = Signal.objects.get(reference=body["reference"])
    assert signal.source_organisation == school
    assert signal.channel == "api"
    assert signal.submitted_by is None
    read = client.get(f"{URL}/{body['reference']}")
    assert read.status_code == 200
    assert read.json()["status"] == "received"
    assert "Sven" not in read.content.decode()


@pytest.mark.django_db
def test_another_organisations_token_gets_404(school: Organisation) -> None:
    reference = api(token_for(school)).post(URL, BODY, format="json").json()["reference"]
    other = Organisation.objects.create(name="Jongerenwerk Oost", sector=Sector.YOUTH_WORK)
    assert api(token_for(other)).get(f"{URL}/{reference}").status_code == 404


@pytest.mark.django_db
def test_without_a_valid_token_nothing_happens(school: Organisation) -> None:
    assert api().post(URL, BODY, format="json").status_code == 401
    assert api("not-a-real-token-at-all").post(URL, BODY, format="json").status_code == 401
    token = token_for(school)
    call_command("api_tokens", "revoke", "--", token[:8], stdout=StringIO())  # a prefix may start with "-"
    assert api(token).post(URL, BODY, format="json").status_code == 401
    assert Signal.objects.count() == 0


@pytest.mark.django_db
def test_a_signed_in_browser_session_is_not_a_token(client_for) -> None:
    response = client_for("coordinator").post(URL, json.dumps(BODY), content_type="application/json")
    assert response.status_code == 401
    assert Signal.objects.count() == 0


@pytest.mark.django_db
def test_the_same_key_and_body_returns_the_same_signal_and_a_different_body_422(school: Organisation) -> None:
    client = api(token_for(school))
    first = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="lvs-2026-000001")
    again = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="lvs-2026-000001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    changed = client.post(URL, {**BODY, "description": "Iets anders."}, format="json",
                          HTTP_IDEMPOTENCY_KEY="lvs-2026-000001")
    assert changed.status_code == 422
    assert changed.json()["type"] == "urn:netwerkregie:problem:idempotency-key-reused"
    assert Signal.objects.count() == 1


@pytest.mark.django_db
def test_a_key_used_before_is_refused_for_another_body_even_when_that_body_is_invalid(school: Organisation) -> None:
    """The first request with a key is not read for first (the unique constraint turns a retry away);
    a body that fails validation still learns that its key was used for another request."""
    client = api(token_for(school))
    assert client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="lvs-2026-000002").status_code == 201
    refused = client.post(URL, {**BODY, "subject_birth_date": "2999-01-01"}, format="json",
                          HTTP_IDEMPOTENCY_KEY="lvs-2026-000002")
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("idempotency-key-reused")
    fresh = client.post(URL, {**BODY, "subject_birth_date": "2999-01-01"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="lvs-2026-000003")
    assert fresh.status_code == 400
    assert "subject_birth_date" in invalid(fresh)
    assert Signal.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_first_submission_reads_nothing_before_it_writes(school: Organisation) -> None:
    """The token and the catalogue codes (all in one query, the domain's check), then one transaction: the
    signal, its observations, the chain's head, the audit event, the head moved, and who of the coordinators to
    tell of the new signal (none here). No read of the idempotency key first, no savepoint. Beside them the rate
    limit reads and writes its counter in its own cache table.
    (BEGIN and COMMIT are statements on SQLite only.)"""
    client = api(token_for(school))
    client.post(URL, BODY, format="json")  # "last used" is written now, not in the counted request
    with CaptureQueriesContext(connections["default"]) as counted:
        response = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="lvs-2026-000004")
    assert response.status_code == 201
    signal_statements, rate_statements = split_rate_cache(counted.captured_queries)
    assert [word for word in signal_statements if word not in ("BEGIN", "COMMIT")] == [
        "SELECT", "SELECT", "INSERT", "INSERT", "SELECT", "INSERT", "UPDATE", "SELECT"]
    assert len(rate_statements) <= 4
    assert verify_chain().intact


@pytest.mark.django_db
def test_a_reference_drawn_twice_is_drawn_again(school: Organisation, monkeypatch) -> None:
    client = api(token_for(school))
    taken = client.post(URL, BODY, format="json").json()["reference"]
    draws = iter([taken, "S-2026-AAAAAA"])
    monkeypatch.setattr(Signal._meta.get_field("reference"), "get_default", lambda: next(draws))
    response = client.post(URL, {**BODY, "subject_name": "Iemand anders"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="lvs-2026-000005")
    assert response.status_code == 201
    assert response.json()["reference"] == "S-2026-AAAAAA"
    assert Signal.objects.count() == 2
    assert verify_chain().intact


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject_birth_date": "2999-01-01"}, "subject_birth_date"),
        ({"description": "x" * (MAX_TEXT + 1)}, "description"),  # a larger body is refused whole: 413
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"subject_name": "<svg onload=alert(1)>"}, "subject_name"),
        ({"subject_name": ""}, "subject_name"),
        ({"observations": ["religion"]}, "observations"),
        ({"subject_birth_date": "15-06-2011"}, "subject_birth_date"),
    ],
)
def test_validation_errors_are_problems_per_field(school: Organisation, changes: dict, field: str) -> None:
    response = api(token_for(school)).post(URL, {**BODY, **changes}, format="json")
    assert response.status_code == 400
    assert field in invalid(response)
    assert all(isinstance(m, str) and m for m in invalid(response)[field])
    assert Signal.objects.count() == 0


@pytest.mark.django_db
def test_special_categories_need_a_reason_over_the_api_too(school: Organisation) -> None:
    client = api(token_for(school))
    text = {**BODY, "description": "Bedreigt medeleerlingen bij de moskee."}
    refused = client.post(URL, text, format="json")
    assert refused.status_code == 422
    assert refused.json()["flagged-terms"] == ["moskee"]
    assert "special_category_reason" in invalid(refused)
    accepted = client.post(URL, {**text, "special_category_reason": "De plaats van de dreiging is nodig."},
                           format="json")
    assert accepted.status_code == 201


@pytest.mark.django_db
def test_acute_danger_is_answered_with_112(school: Organisation) -> None:
    body = api(token_for(school)).post(URL, {**BODY, "acute_danger": True}, format="json").json()
    assert "112" in body["message"]


@pytest.mark.django_db
def test_tokens_are_listed_and_stored_only_as_digests(school: Organisation) -> None:
    token = token_for(school)
    record = ApiToken.objects.get()
    assert token not in (record.digest, record.prefix)
    assert record.prefix == token[:8]
    out = StringIO()
    call_command("api_tokens", "list", stdout=out)
    assert "Zuiderpark Lyceum" in out.getvalue()
    assert "active" in out.getvalue()
    assert token not in out.getvalue()


@pytest.mark.django_db
def test_the_openapi_document_and_docs_are_served() -> None:
    document = Client().get("/api/v1/openapi.json")
    assert document.status_code == 200
    assert "/signals" in document.json()["paths"]
    assert b"Idempotency-Key" in document.content
    assert Client().get("/api/schema/")["Location"] == "/api/v1/openapi.yaml"  # the first release's address
    docs = Client().get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_retrying_one_submission_create_exactly_one_signal() -> None:
    school = Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL)
    token = token_for(school)
    results: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def retry() -> None:
        try:
            client = api(token)
            barrier.wait()
            response = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="retry-storm-0001")
            results.append((response.status_code, response.json()["reference"]))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=retry) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 20
    assert Signal.objects.count() == 1
    reference = Signal.objects.get().reference
    assert {ref for _, ref in results} == {reference}  # every acknowledgement names the stored signal
    assert sorted(status for status, _ in results) == [200] * 19 + [201]
    assert verify_chain().intact


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(school: Organisation) -> None:
    """Every request authenticates, but "last used" is shown to the minute: a burst of submissions does not
    add a write of its own to each one."""
    import time_machine

    client = api(token_for(school))
    with time_machine.travel("2026-12-01 10:00:00+01:00", tick=False):
        assert client.get(f"{URL}/S-0000-NONE").status_code == 404
        first = ApiToken.objects.get().last_used_at
        with CaptureQueriesContext(connections["default"]) as counted:
            assert client.get(f"{URL}/S-0000-NONE").status_code == 404
        assert split_rate_cache(counted.captured_queries)[0] == ["SELECT", "SELECT"]  # token, signal; no update
    with time_machine.travel("2026-12-01 10:00:59+01:00", tick=False):
        client.get(f"{URL}/S-0000-NONE")
        assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel("2026-12-01 10:01:00+01:00", tick=False):
        client.get(f"{URL}/S-0000-NONE")
        assert (ApiToken.objects.get().last_used_at - first).total_seconds() == 60
