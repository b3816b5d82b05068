"""JSON with limits: a body over API_MAX_BODY_BYTES is refused (413) before it is read, and JSON nested
deeper than MAX_DEPTH, or not JSON at all, is a 400 - never a 500.

DRF's JSONParser reads the request stream itself: Django's DATA_UPLOAD_MAX_MEMORY_SIZE applies only to
``request.body`` and so never to it. This parser checks the declared Content-Length first and then reads
at most the limit plus one byte, so a body without a (truthful) length cannot grow past the limit either."""

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


# A signal is an object of strings and one list of strings: depth 2. Room for what a later version adds.
MAX_DEPTH = 8


def too_large() -> RequestTooLarge:
    return RequestTooLarge(_("Send at most %(limit)d bytes.") % {"limit": settings.API_MAX_BODY_BYTES})


def check_declared_length(meta: dict[str, Any]) -> None:
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ParseError(_("The Content-Length header is not a number.")) from None
    if declared > settings.API_MAX_BODY_BYTES:
        raise too_large()


def deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (walked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        request = (parser_context or {}).get("request")
        if request is not None:
            check_declared_length(request.META)
        limit = settings.API_MAX_BODY_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise too_large()
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        if deeper_than(data, MAX_DEPTH):
            raise ParseError(_("The JSON is nested too deeply."))
        return data
