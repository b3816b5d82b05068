"""The partner API's limits: body size, JSON depth, list length, invisible characters, a rate per token,
tokens that expire; every refusal a problem description (application/problem+json), never a 500."""

import io
import json
from io import StringIO

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from netwerkregie.api.models import ApiToken
from netwerkregie.api.parsers import LimitedJSONParser, RequestTooLarge
from netwerkregie.intake.models import Signal
from netwerkregie.network.models import Organisation, Sector
from tests.api.test_partner_api import BODY, URL, api, invalid, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db: None) -> Organisation:
    return Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL)


@pytest.fixture
def token(school: Organisation) -> str:
    return token_for(school)


class CountingBody(io.BytesIO):
    """A request body that remembers how much of it was read."""

    consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


def post_raw(token: str, body: bytes, **extra: str):
    return api(token).generic("POST", URL, body, content_type="application/json", **extra)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert problem["status"] == status
    return problem


# --- Body size --------------------------------------------------------------------------------------------

def test_a_twenty_megabyte_body_gets_413_and_is_not_read(token: str) -> None:
    size = 20 * 1024 * 1024
    body = CountingBody(b"[" + b"0," * (size // 2) + b"0]")
    response = post_raw(token, b"{}", **{"wsgi.input": body, "CONTENT_LENGTH": str(len(body.getvalue()))})
    problem = assert_problem(response, 413)
    assert "65536" in problem["detail"]
    assert body.consumed == 0
    assert Signal.objects.count() == 0


def test_the_limit_is_a_setting(token: str, settings) -> None:
    body = json.dumps({**BODY, "context": "x" * 5000}).encode()
    assert post_raw(token, body).status_code == 201
    settings.API_MAX_BODY_BYTES = 4096
    assert_problem(post_raw(token, body), 413)


def test_a_body_without_content_length_is_not_read_at_all(token: str) -> None:
    """Chunked: Django's WSGI request reads no body without a Content-Length, so neither does DRF."""
    body = CountingBody(json.dumps(BODY).encode() + b" " * 200_000)
    response = post_raw(token, b"{}", **{"wsgi.input": body, "CONTENT_LENGTH": "",
                                         "HTTP_TRANSFER_ENCODING": "chunked"})
    assert response.status_code == 400
    assert "description" in invalid(response)
    assert body.consumed == 0
    assert Signal.objects.count() == 0


def test_the_parser_reads_at_most_one_byte_past_the_limit_of_a_stream_without_length(settings) -> None:
    settings.API_MAX_BODY_BYTES = 2048
    stream = CountingBody(json.dumps({"description": "x" * 100_000}).encode())
    with pytest.raises(RequestTooLarge):
        LimitedJSONParser().parse(stream, "application/json", {})
    assert stream.consumed == 2049


# --- JSON that cannot be read -----------------------------------------------------------------------------

@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_json_nested_fifty_thousand_deep_gets_400(token: str, settings, opener: str) -> None:
    settings.API_MAX_BODY_BYTES = 1024 * 1024  # past the size limit, to reach the parser
    closer = "]" if opener == "[" else "}"
    response = post_raw(token, (opener * 50_000 + "1" + closer * 50_000).encode())
    problem = assert_problem(response, 400)
    assert "nested" in problem["detail"] or "genest" in problem["detail"]


def test_json_nested_deeper_than_a_signal_needs_gets_400_below_the_recursion_limit(token: str) -> None:
    response = post_raw(token, json.dumps({**BODY, "context": [[[[[[[[[["diep"]]]]]]]]]]}).encode())
    assert_problem(response, 400)
    assert Signal.objects.count() == 0


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe{}", b'{"description": NaN}', b"[]", b'"tekst"'])
def test_a_body_that_is_no_json_object_gets_a_problem(token: str, body: bytes) -> None:
    assert_problem(post_raw(token, body), 400)
    assert Signal.objects.count() == 0


# --- Lists ------------------------------------------------------------------------------------------------

def test_twenty_thousand_codes_get_400_without_looking_them_up(
        token: str, settings, django_assert_max_num_queries) -> None:
    """Refused on the list's length, before any code is looked up. (A wall-clock bound here failed under a loaded
    machine at 0.78 s; the query count is what shows the codes were not looked up.)"""
    settings.API_MAX_BODY_BYTES = 1024 * 1024  # past the size limit (the codes alone are 230 kB)
    body = json.dumps({**BODY, "observations": [f"code-{n}" for n in range(20_000)]}).encode()
    client = api(token)
    client.get(f"{URL}/S-0000-NONE")  # "last used" written now, not in the measured request
    with django_assert_max_num_queries(10):  # the token and the rate limit's cache; not one per code
        response = client.generic("POST", URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "50" in " ".join(invalid(response)["observations"])
    assert Signal.objects.count() == 0


def test_unknown_codes_are_looked_up_in_one_query(token: str) -> None:
    codes = [f"code-{n}" for n in range(50)]
    with CaptureQueriesContext(connections["default"]) as counted:
        response = api(token).post(URL, {**BODY, "observations": codes}, format="json")
    assert response.status_code == 400
    assert "code-0" in " ".join(invalid(response)["observations"])
    catalogue = [q["sql"] for q in counted.captured_queries if "intake_observationcategory" in q["sql"]]
    assert len(catalogue) == 1


# --- Invisible characters ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("subject_name", "Sven \u202eredluM"),  # right-to-left override: shown as "Sven Mulder"
    ("subject_name", "Sven\u2067 Mulder\u2069"),  # an isolate
    ("subject_name", "Sven\u200b Mulder"),  # zero-width space
    ("subject_name", "\ufeffSven Mulder"),
    ("subject_name", "Sven\u200f Mulder"),  # right-to-left mark
    ("subject_school", "Zuiderpark\u2060Lyceum"),
    ("description", "Hij schreef \u202egnarkyrg\u202c op het bord."),
])
def test_invisible_direction_and_zero_width_characters_get_400(token: str, field: str, value: str) -> None:
    response = api(token).post(URL, {**BODY, field: value}, format="json")
    assert response.status_code == 400
    assert field in invalid(response)
    assert "onzichtba" in " ".join(invalid(response)[field])  # "onzichtbare tekens"
    assert Signal.objects.count() == 0


def test_names_in_other_scripts_are_welcome(token: str) -> None:
    response = api(token).post(URL, {**BODY, "subject_name": "Yusuf يوسف", "description": "Schrijft شعار "
                                     "op de muur; \u200fhet woord\u200f blijft staan."}, format="json")
    assert response.status_code == 201, response.content


# --- Rate per token ---------------------------------------------------------------------------------------

def test_the_rate_is_counted_per_token_with_retry_after(school: Organisation, settings) -> None:
    caches["shared"].clear()
    settings.API_RATE = "3/min"
    first, second = api(token_for(school)), api(token_for(school))
    with time_machine.travel("2026-12-01 10:00:00+01:00", tick=False):
        assert [first.get(f"{URL}/S-0000-NONE").status_code for _ in range(3)] == [404] * 3
        refused = first.get(f"{URL}/S-0000-NONE")
        problem = assert_problem(refused, 429)
        assert int(refused["Retry-After"]) == 60
        assert problem["detail"] == ("Te veel verzoeken met dit token (hoogstens 3/min). "
                                     "Probeer het over 60 seconden opnieuw.")
        assert first.post(URL, BODY, format="json").status_code == 429
        assert second.get(f"{URL}/S-0000-NONE").status_code == 404  # same address, another token
    assert Signal.objects.count() == 0
    with time_machine.travel("2026-12-01 10:01:00+01:00", tick=False):
        assert first.get(f"{URL}/S-0000-NONE").status_code == 404


def test_the_rate_limit_counts_in_the_database_cache_shared_by_all_workers(settings) -> None:
    assert settings.CACHES["shared"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    caches["shared"].set("probe", 1)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM api_rate_cache WHERE cache_key LIKE %s", ["%probe"])
        assert cursor.fetchone()[0] == 1


# --- Tokens expire ----------------------------------------------------------------------------------------

def test_an_expired_token_gets_401(school: Organisation, settings) -> None:
    settings.API_TOKEN_VALID_DAYS = 30
    with time_machine.travel("2026-12-01 10:00:00+01:00", tick=False):
        token = token_for(school)
        assert api(token).post(URL, BODY, format="json").status_code == 201
    record = ApiToken.objects.get()
    assert (record.expires_at - record.created_at).days == 30
    with time_machine.travel("2026-12-31 09:59:59+01:00", tick=False):
        assert api(token).get(f"{URL}/S-0000-NONE").status_code == 404
    with time_machine.travel("2026-12-31 10:00:00+01:00", tick=False):
        response = api(token).post(URL, BODY, format="json")
        problem = assert_problem(response, 401)
        assert "2026-12-31" in problem["detail"]
        assert response["WWW-Authenticate"] == "Token"
    assert Signal.objects.count() == 1


def test_the_token_list_says_when_each_expires(school: Organisation) -> None:
    with time_machine.travel("2026-12-01 10:00:00+01:00", tick=False):
        token_for(school)
        out = StringIO()
        call_command("api_tokens", "list", stdout=out)
    assert "active, expires 2027-12-01" in out.getvalue()
    with time_machine.travel("2027-12-02 10:00:00+01:00", tick=False):
        out = StringIO()
        call_command("api_tokens", "list", stdout=out)
    assert "expired 2027-12-01" in out.getvalue()


# --- The schema -------------------------------------------------------------------------------------------

def test_the_schema_documents_the_refusals_and_is_valid() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    submit = schema["paths"]["/signals"]["post"]["responses"]
    for status in ("400", "401", "413", "429"):
        assert "application/problem+json" in submit[status]["content"], status
    status_read = schema["paths"]["/signals/{reference}"]["get"]["responses"]
    assert {"401", "429"} <= set(status_read)
    assert sorted(schema["components"]["schemas"]["Problem"]["required"]) == [
        "detail", "instance", "status", "title", "type"]


def test_a_rate_that_drf_cannot_read_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from netwerkregie.env import env_rate

    assert env_rate("API_RATE", "60/min") == "60/min"
    for good in ("5/s", "1000/hour", "20000/day"):
        monkeypatch.setenv("API_RATE", good)
        assert env_rate("API_RATE", "60/min") == good
    for bad in ("60 per minute", "0/min", "60/week", "/min"):
        monkeypatch.setenv("API_RATE", bad)
        with pytest.raises(ImproperlyConfigured, match="API_RATE"):
            env_rate("API_RATE", "60/min")
