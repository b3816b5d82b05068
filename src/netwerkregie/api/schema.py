"""What drf-spectacular needs beyond the views: the organisation token's security scheme, and the hooks that
keep the OpenAPI document to the API Design Rules (current paths only, API-Version on every answer, this
installation as the server)."""

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "netwerkregie.api.authentication.OrganisationTokenAuthentication"
    name = "organisationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Authorization: Token <token>`. The municipality issues one token per partner "
                           "organisation (and system); it expires after a year by default. Keep it secret: it "
                           "submits signals in your organisation's name.",
        }


# --- Hooks (SPECTACULAR_SETTINGS): what every operation of the document says ----------------------------------

API_VERSION_HEADER = {
    "description": "The full version of the API (semantic versioning) that gave this answer.",
    "required": True,
    "schema": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$", "example": "1.1.0"},
}


def only_current_paths(endpoints: list[tuple[str, str, str, Any]], **kwargs: Any) -> list[tuple[str, str, str, Any]]:
    """The document describes /api/v1 without trailing slashes; the older addresses with a slash stay in
    service for partner systems built against them (api/urls.py) but are not documented."""
    return [endpoint for endpoint in endpoints
            if endpoint[0].startswith("/api/v1/") and not endpoint[0].endswith("/")]


def document_every_answer(result: dict[str, Any], generator: Any, request: Any, public: bool,
                          **kwargs: Any) -> dict[str, Any]:
    """The API-Version header on every answer, and this installation's own address as the server."""
    result.setdefault("components", {}).setdefault("headers", {})["API-Version"] = API_VERSION_HEADER
    for operations in result["paths"].values():
        for operation in operations.values():
            for answer in operation["responses"].values():
                answer.setdefault("headers", {})["API-Version"] = {"$ref": "#/components/headers/API-Version"}
    if request is not None:
        result["servers"] = [{"url": absolute(request, "/api/v1"), "description": "This installation"}]
        if not settings.API_CONTACT_URL:  # on a copy: drf-spectacular hands out the setting's own dict
            result["info"]["contact"] = {**result["info"]["contact"], "url": absolute(request, "/api/docs/")}
    return result


def absolute(request: Any, path: str) -> str:
    """From SITE_URL when set, like the links in mail: never the Host header of whoever asks for the document."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)
