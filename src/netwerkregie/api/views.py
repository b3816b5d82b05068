"""The partner API: submit a signal, read its status. Safe to retry with an Idempotency-Key."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from netwerkregie.api.problems import PROBLEM_JSON, PROBLEM_RESPONSES, problem_response
from netwerkregie.api.serializers import SignalStatusSerializer, SignalSubmissionSerializer
from netwerkregie.intake import services
from netwerkregie.intake.models import Channel, Signal

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
FIELD_NAMES = {"observation_codes": "observations", "subject_neighbourhood_id": "subject_neighbourhood"}


def validation_body(error: ValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    return {
        FIELD_NAMES.get(name, "non_field_errors" if name == "__all__" else name): [
            message for item in errors for message in item.messages
        ]
        for name, errors in error.error_dict.items()
    }


class SignalCollection(APIView):
    @extend_schema(
        operation_id="submit_signal",
        request=SignalSubmissionSerializer,
        parameters=[OpenApiParameter(
            "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
            description="8 to 100 characters. A retry with the same key and body returns the same signal (200); "
                        "the same key with another body is refused (422).",
        )],
        responses={
            201: SignalStatusSerializer, 200: SignalStatusSerializer,
            (400, "application/json"): OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="application/json: validation errors, {field: [message, ...]}. "
                            "application/problem+json: the body is not JSON, not a JSON object, or nested too "
                            "deeply."),
            (400, PROBLEM_JSON): problem_response("The body could not be read."),
            **PROBLEM_RESPONSES,
            422: OpenApiResponse(description="Idempotency-Key reused for a different request, or a special "
                                             "category mentioned without special_category_reason"),
        },
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key") or None
        if key is not None and not IDEMPOTENCY_KEY.match(key):
            return Response({"Idempotency-Key": [_("Use 8 to 100 letters, digits, dots, dashes or colons.")]},
                            status=status.HTTP_400_BAD_REQUEST)
        if not isinstance(request.data, dict):
            raise ParseError(_("Send a JSON object."))
        serializer = SignalSubmissionSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        token = request.auth
        try:
            submission = services.submit_signal(
                serializer.to_input(), organisation=token.organisation, channel=Channel.API,
                actor_label=f"api:{token.organisation.name} ({token.prefix}…)",
                idempotency_key=key, request=request._request,
            )
        except services.IdempotencyConflict:
            return Response({"Idempotency-Key": [_("This key was already used for a different request.")]},
                            status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        except services.SpecialCategoryFlagged as flagged:
            return Response({"special_category_reason": flagged.messages, "flagged_terms": flagged.terms},
                            status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        except ValidationError as error:
            return Response(validation_body(error), status=status.HTTP_400_BAD_REQUEST)
        body = SignalStatusSerializer(submission.signal).data
        return Response(body, status=status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK)


class SignalItem(APIView):
    @extend_schema(operation_id="signal_status", responses={
        200: SignalStatusSerializer, 404: OpenApiResponse(description="Not found"),
        **{key: value for key, value in PROBLEM_RESPONSES.items() if key[0] != 413}})
    def get(self, request: Request, reference: str) -> Response:
        signal = Signal.objects.filter(source_organisation=request.auth.organisation, reference=reference).first()
        if signal is None:
            return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(SignalStatusSerializer(signal).data)
