"""Problem details (RFC 9457, ``application/problem+json``), as the Dutch API Design Rules ask for errors.

Every error of the partner API is one: ``problem`` builds it, the exception handler below turns every error
DRF raises (validation, unparseable or too deep JSON, a body too large, no or an expired token, a method or
media type it does not take, too many requests) into one, and ``api.middleware`` does the same for the few
errors Django answers before or after DRF (a path that does not exist, an uncaught exception).

A validation error lists its fields in ``invalid-params`` (the extension member of RFC 7807's example): per
field its name, a machine-readable code and the reason in the request's language (Dutch by default)."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"
ABOUT_BLANK = "about:blank"

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
    422: _("The request cannot be processed."),
    429: _("Too many requests."),
    500: _("Internal server error."),
}


def problem_body(status_code: int, detail: str, *, instance: str, title: str | None = None,
                 type_: str = ABOUT_BLANK, **extra: Any) -> dict[str, Any]:
    """The members of a problem. ``type`` is ``about:blank`` (RFC 9457 §4.2.1) unless the problem is one
    an integrator must tell apart from others with the same status; ``instance`` is the request's path."""
    return {"type": type_, "title": str(title or TITLES.get(status_code, TITLES[500])), "status": status_code,
            "detail": str(detail), "instance": instance, **extra}


def problem(request: HttpRequest, status_code: int, detail: str, *, title: str | None = None,
            type_: str = ABOUT_BLANK, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    body = problem_body(status_code, detail, instance=request.path, title=title, type_=type_, **extra)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


def invalid_params(errors: Any, name: str = "") -> Iterator[dict[str, str]]:
    """DRF's nested ``{field: [ErrorDetail, ...]}`` (lists of items give ``{index: [...]}``) as a flat list;
    a nested name is joined with dots (``observations.3``)."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from invalid_params(value, f"{name}.{key}" if name else str(key))
    elif isinstance(errors, list):
        for item in errors:
            yield from invalid_params(item, name)
    else:
        yield {"name": name or "non_field_errors", "code": str(getattr(errors, "code", None) or "invalid"),
               "reason": str(errors)}


def django_invalid_params(error: DjangoValidationError, names: dict[str, str]) -> list[dict[str, str]]:
    """A domain service's ValidationError, its fields renamed to the API's (``names``)."""
    fields = error.error_dict.items() if hasattr(error, "error_dict") else [("__all__", error.error_list)]
    return [
        {"name": names.get(field, "non_field_errors" if field == "__all__" else field),
         "code": item.code or "invalid", "reason": message}
        for field, items in fields for item in items for message in item.messages
    ]


def validation_problem(request: HttpRequest, params: list[dict[str, str]], *,
                       status_code: int = status.HTTP_400_BAD_REQUEST, **extra: Any) -> Response:
    return problem(request, status_code, gettext("Some fields are not valid; see invalid-params."),
                   **{"invalid-params": params}, **extra)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler first (it turns Http404 and PermissionDenied into API errors, and sets WWW-Authenticate
    and Retry-After), then its answer as a problem. Anything else is left to Django's 500, which
    ``api.middleware`` answers as a problem too."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context["request"]
    headers = {name: response[name] for name in ("WWW-Authenticate", "Retry-After", "Allow")
               if response.has_header(name)}
    if isinstance(exc, exceptions.Throttled):  # DRF's own text is half translated; say the rate and the wait
        return problem(request, response.status_code, gettext(
            "Too many requests with this token (at most %(rate)s). Try again in %(seconds)d seconds.") % {
            "rate": settings.API_RATE, "seconds": int(headers.get("Retry-After", 1))}, headers=headers)
    data = response.data
    if not isinstance(exc, exceptions.ValidationError) and isinstance(data, dict) and isinstance(
            data.get("detail"), str):
        return problem(request, response.status_code, data["detail"], headers=headers)
    answer = validation_problem(request, list(invalid_params(data)), status_code=response.status_code)
    for name, value in headers.items():
        answer[name] = value
    return answer
