"""Problem details (RFC 9457, ``application/problem+json``), as the Dutch API Design Rules ask for errors.

One helper builds the response; the exception handler below turns every error DRF raises (unparseable
or too deep JSON, a body too large, no or an expired token, too many requests) into one. A view that
answers an error itself can call ``problem`` too."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"

# The title per status: a short, fixed summary; what went wrong this time goes in ``detail``.
TITLES = {
    400: _("The request could not be read."),
    401: _("No valid token."),
    403: _("Not allowed."),
    404: _("Not found."),
    405: _("Method not allowed."),
    406: _("Not acceptable."),
    413: _("The request body is too large."),
    415: _("Unsupported media type."),
    429: _("Too many requests."),
}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def problem(status_code: int, detail: str, *, title: str | None = None, type_: str = "about:blank",
            headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """A problem+json response. ``type`` stays ``about:blank`` (RFC 9457 §4.2.1): the title is then the
    status' own meaning, and the detail says what to change."""
    body = {"type": type_, "title": str(title or TITLES.get(status_code, "Error")), "status": status_code,
            "detail": str(detail), **extra}
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler first (it sets WWW-Authenticate and Retry-After), then its body as a problem."""
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    headers = {name: response[name] for name in ("WWW-Authenticate", "Retry-After") if response.has_header(name)}
    if isinstance(exc, exceptions.Throttled):  # DRF's own text is half translated; say the rate and the wait
        return problem(response.status_code, gettext("Too many requests with this token (at most %(rate)s). Try "
                                                     "again in %(seconds)d seconds.") % {
            "rate": settings.API_RATE, "seconds": int(headers.get("Retry-After", 1))}, headers=headers)
    if not isinstance(exc.detail, str):  # a ValidationError raised by a serializer: its fields beside
        return problem(response.status_code, _("Some fields are not valid."), errors=response.data,
                       headers=headers)
    return problem(response.status_code, exc.detail, headers=headers)


class ProblemSerializer(serializers.Serializer):
    """For the schema only: the members of a problem."""

    type = serializers.CharField(help_text="A URI for the kind of problem; about:blank when the status says it.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong this time, and what to change.")


def problem_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ProblemSerializer, description=description)


PROBLEM_RESPONSES = {  # for extend_schema(responses=...): keyed by (status, media type)
    (401, PROBLEM_JSON): problem_response("No token, or an invalid, revoked or expired one."),
    (413, PROBLEM_JSON): problem_response("The body is larger than the configured maximum (API_MAX_BODY_BYTES)."),
    (429, PROBLEM_JSON): problem_response("Too many requests for this token; the Retry-After header says how "
                                          "many seconds to wait."),
}
