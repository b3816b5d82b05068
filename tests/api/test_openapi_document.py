"""The OpenAPI document: where it is served, valid, and linted against the core of the Dutch API Design Rules
(Logius ADR: /core/publish-openapi, /core/version-header, /core/uri-version, /core/no-trailing-slash,
/core/doc-openapi-contact, /core/error-handling/problem-details)."""

import inspect
import json
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import resolve
from drf_spectacular.validation import validate_schema
from drf_spectacular.views import SpectacularAPIView

from netwerkregie.api import codes, document, problem_schema, serializers, views
from netwerkregie.intake.models import SubmitterStatus

pytestmark = pytest.mark.django_db

SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
KEBAB_SEGMENT = re.compile(r"^([a-z0-9\-]+|\{[a-z_]+\}|openapi\.(json|yaml))$")
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance"}
OPERATIONS = {"get", "put", "post", "delete", "patch", "head", "options"}


@pytest.fixture(scope="module")
def spec(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in OPERATIONS:
                yield path, method, operation


def resolve_ref(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def schemas(node: Any) -> Iterator[Any]:
    """Every schema object in the document: response, request and parameter schemas, components and
    their properties and items."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("schema", "items"):
                yield value
            elif key in ("properties", "schemas") and isinstance(value, dict):
                yield from value.values()
            yield from schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from schemas(value)


def test_the_document_is_served_as_json_and_yaml_and_is_valid(spec: dict[str, Any]) -> None:
    validate_schema(spec)
    as_yaml = Client().get("/api/v1/openapi.yaml")
    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content)["paths"].keys() == spec["paths"].keys()
    assert spec["openapi"].startswith("3.")


def test_the_old_address_moves_to_the_yaml_beside_it() -> None:
    response = Client().get("/api/schema/")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/openapi.yaml"


def test_drf_spectacular_validates_it_without_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=StringIO())
    assert "/signals" in yaml.safe_load(out.read_text())["paths"]


def test_info_has_a_semver_version_contact_licence_and_this_installation_as_server(spec: dict[str, Any]) -> None:
    info = spec["info"]
    assert SEMVER.match(info["version"])
    assert info["version"] == settings.API_VERSION
    assert {"name", "email", "url"} <= set(info["contact"])
    assert all(info["contact"].values())
    assert info["contact"]["url"] == "http://testserver/api/docs/"
    assert info["license"]["name"] == "EUPL-1.2"
    assert [server["url"] for server in spec["servers"]] == ["http://testserver/api/v1"]


def test_every_path_is_under_api_v1_without_trailing_slash_and_in_kebab_case(spec: dict[str, Any]) -> None:
    assert {"/signals", "/signals/{reference}", "/observation-categories", "/neighbourhoods",
            "/openapi.json"} <= set(spec["paths"])
    for path in spec["paths"]:
        assert not path.endswith("/"), path
        assert all(KEBAB_SEGMENT.match(segment) for segment in path.strip("/").split("/")), path
        resolve("/api/v1" + path.replace("{reference}", "S-2026-B7K9QX"))  # served where the server says


def test_every_operation_has_an_id_a_summary_and_a_description_for_integrators(spec: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in operations(spec)]
    assert len(ids) == len(set(ids))
    assert all(re.match(r"^[a-z][A-Za-z]+$", name) for name in ids)
    for path, method, operation in operations(spec):
        assert operation.get("summary"), (path, method)
        assert len(operation.get("description", "")) > 40, (path, method)
        for status, answer in operation["responses"].items():
            assert answer["description"], (path, method, status)


def test_no_internal_docstring_is_published(spec: dict[str, Any]) -> None:
    text = json.dumps(spec)
    classes = [SpectacularAPIView] + [
        value for module in (views, serializers, codes, problem_schema, document)
        for value in vars(module).values() if inspect.isclass(value) and value.__module__ == module.__name__]
    for cls in classes:
        doc = inspect.getdoc(cls)
        if doc:
            assert doc.splitlines()[0].strip() not in text, cls


def test_every_answer_documents_the_api_version_header(spec: dict[str, Any]) -> None:
    header = spec["components"]["headers"]["API-Version"]
    assert header["required"] is True
    assert header["schema"]["type"] == "string"
    for path, method, operation in operations(spec):
        for status, answer in operation["responses"].items():
            assert answer["headers"]["API-Version"] == {"$ref": "#/components/headers/API-Version"}, (
                path, method, status)


def test_every_error_answer_is_a_problem_with_its_schema(spec: dict[str, Any]) -> None:
    for path, method, operation in operations(spec):
        errors = {status: answer for status, answer in operation["responses"].items() if status[0] in "45"}
        assert "500" in errors, (path, method)
        assert "406" in errors, (path, method)
        for status, answer in errors.items():
            assert set(answer["content"]) == {"application/problem+json"}, (path, method, status)
            problem = resolve_ref(spec, answer["content"]["application/problem+json"]["schema"]["$ref"])
            assert set(problem["required"]) >= PROBLEM_MEMBERS, (path, method, status)


def test_operations_with_input_can_answer_400_and_token_operations_401_and_429(spec: dict[str, Any]) -> None:
    for path, method, operation in operations(spec):
        responses = operation["responses"]
        if method in ("post", "put", "patch") or (method == "get" and operation.get("parameters")):
            assert "400" in responses, (path, method)  # ADR linter: nlgov:problem-invalid-input
        if operation.get("security") and {"organisationToken": []} in operation["security"]:
            assert {"401", "429"} <= set(responses), (path, method)
    assert "400" in spec["paths"]["/signals/{reference}"]["get"]["responses"]
    validation = spec["paths"]["/signals"]["post"]["responses"]["400"]["content"]["application/problem+json"]
    invalid = resolve_ref(spec, validation["schema"]["$ref"])["properties"]["invalid-params"]
    assert set(resolve_ref(spec, invalid["items"]["$ref"])["required"]) == {"name", "code", "reason"}


def test_the_status_of_a_signal_is_an_enum(spec: dict[str, Any]) -> None:
    status = spec["components"]["schemas"]["SignalStatus"]["properties"]["status"]
    enum = resolve_ref(spec, status["allOf"][0]["$ref"])
    assert enum["type"] == "string"
    assert enum["enum"] == SubmitterStatus.values


def test_no_schema_is_empty_or_any(spec: dict[str, Any]) -> None:
    for schema in schemas(spec):
        assert isinstance(schema, dict), schema
        assert schema, schema
        assert {"type", "$ref", "allOf", "oneOf", "anyOf", "enum"} & set(schema), schema
