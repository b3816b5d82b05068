"""The OpenAPI document itself, at /api/v1/openapi.json (API Design Rules, /core/publish-openapi) and as
YAML beside it; public, like the documentation page, so an integrator can read it before holding a token."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from netwerkregie.api.problem_schema import responses

DOCUMENT_SCHEMA = {
    "type": "object",
    "description": "An OpenAPI 3 document.",
    "required": ["openapi", "info", "paths"],
    "properties": {
        "openapi": {"type": "string", "description": "The version of OpenAPI the document follows."},
        "info": {"type": "object", "description": "Title, version, contact and licence of the API.",
                 "additionalProperties": True},
        "paths": {"type": "object", "description": "The operations of the API.", "additionalProperties": True},
    },
}


class OpenApiJsonDocument(SpectacularJSONAPIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    @extend_schema(
        operation_id="getOpenApiDocument", summary="This OpenAPI document", tags=["documentation"],
        description="This document, in JSON. The same in YAML at /openapi.yaml; readable without a token.",
        responses={200: OpenApiResponse(response=DOCUMENT_SCHEMA, description="The OpenAPI document."),
                   **responses(406, 500)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class OpenApiYamlDocument(SpectacularYAMLAPIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
