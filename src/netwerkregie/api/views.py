"""The partner API: submit a signal, read its status. Safe to retry with an Idempotency-Key.

Every error is a problem (``api.problems``); the descriptions in ``extend_schema`` are what integrators read
in the OpenAPI document, so they are written for them (no docstrings on the view classes: drf-spectacular
would publish those)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from netwerkregie.api.problem_schema import (
    IDEMPOTENCY_KEY_REUSED,
    SPECIAL_CATEGORY_REASON_REQUIRED,
    SpecialCategoryProblemSerializer,
    problem_response,
    responses,
)
from netwerkregie.api.problems import PROBLEM_JSON, django_invalid_params, problem, validation_problem
from netwerkregie.api.serializers import SignalStatusSerializer, SignalSubmissionSerializer
from netwerkregie.intake import services
from netwerkregie.intake.models import Channel, Signal

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
# Loose on purpose: anything that could be a reference is looked up (and is 404 when it is not one).
REFERENCE = re.compile(r"^[A-Za-z0-9\-]{1,20}$")
FIELD_NAMES = {"observation_codes": "observations", "subject_neighbourhood_id": "subject_neighbourhood"}

SUBMIT_DESCRIPTION = """Submit an early signal: behaviour that was seen or heard, never identity.

Send an `Idempotency-Key` (8 to 100 letters, digits, dots, dashes, colons; one per signal, for example the \
signal's id in your own system). A retry with the same key and the same body returns the signal already \
stored (200) and never makes a second one: retry freely after a timeout or a 5xx. The same key with a \
different body is refused (422).

The answer (201) holds the signal's `reference`: store it, and read the status with it. When `acute_danger` \
is true the answer's `message` says to call 112 or the police at once."""


EXAMPLES = [
    OpenApiExample("A school's signal", request_only=True, value={
        "description": "Zegt in de klas dat geweld tegen docenten gerechtvaardigd is en deelt filmpjes daarover.",
        "observations": ["justifies_violence", "shares_extremist_material"], "observed_since": "2026-11-02",
        "subject_name": "Daan de Vries", "subject_birth_date": "2010-05-14", "subject_school": "Zuiderpark Lyceum",
    }),
    OpenApiExample("Stored", response_only=True, status_codes=["201", "200"], value={
        "reference": "S-2026-B7K9QX", "received_at": "2026-12-03T09:41:12.503Z", "status": "received",
        "status_label": "Ontvangen", "message": "",
    }),
    OpenApiExample("A field not valid", response_only=True, status_codes=["400"], value={
        "type": "about:blank", "title": "Het verzoek kon niet worden gelezen.", "status": 400,
        "detail": "Sommige velden zijn niet geldig; zie invalid-params.", "instance": "/api/v1/signals",
        "invalid-params": [{"name": "subject_birth_date", "code": "future", "reason": "Deze datum ligt in de "
                                                                                      "toekomst."}],
    }),
]
UNPROCESSABLE = f"""The request is understood, but refused as it stands; `type` says why.

- `{IDEMPOTENCY_KEY_REUSED}`: the Idempotency-Key was used before, for a different body. Use a new key for a \
new signal.
- `{SPECIAL_CATEGORY_REASON_REQUIRED}`: the text names a special category of personal data (the words are in \
`flagged-terms`). Send it again with `special_category_reason`: why naming it is necessary."""


class SignalCollection(APIView):
    @extend_schema(
        operation_id="submitSignal", summary="Submit a signal", description=SUBMIT_DESCRIPTION, tags=["signals"],
        request=SignalSubmissionSerializer, examples=EXAMPLES,
        parameters=[OpenApiParameter(
            "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
            pattern=IDEMPOTENCY_KEY.pattern,
            description="Your own key for this signal. A retry with the same key and body returns the same "
                        "signal (200); the same key with another body is refused (422).",
        )],
        responses={
            201: OpenApiResponse(SignalStatusSerializer, description="The signal is stored: its reference and status."),
            200: OpenApiResponse(SignalStatusSerializer, description="A retry: this Idempotency-Key and body were "
                                                                     "received before; the signal stored then."),
            **responses(400, 401, 406, 413, 415, 429, 500),
            (422, PROBLEM_JSON): problem_response(UNPROCESSABLE, SpecialCategoryProblemSerializer),
        },
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key") or None
        if key is not None and not IDEMPOTENCY_KEY.match(key):
            return validation_problem(request, [{"name": "Idempotency-Key", "code": "invalid", "reason": _(
                "Use 8 to 100 letters, digits, dots, dashes or colons.")}])
        if not isinstance(request.data, dict):
            raise ParseError(_("Send a JSON object."))
        serializer = SignalSubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = request.auth
        try:
            submission = services.submit_signal(
                serializer.to_input(), organisation=token.organisation, channel=Channel.API,
                actor_label=f"api:{token.organisation.name} ({token.prefix}…)",
                idempotency_key=key,
            )
        except services.IdempotencyConflict:
            return problem(request, status.HTTP_422_UNPROCESSABLE_ENTITY,
                           _("This key was already used for a different request."), type_=IDEMPOTENCY_KEY_REUSED)
        except services.SpecialCategoryFlagged as flagged:
            params = [{"name": "special_category_reason", "code": "required", "reason": message}
                      for message in flagged.messages]
            return validation_problem(request, params, status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
                                      type_=SPECIAL_CATEGORY_REASON_REQUIRED, **{"flagged-terms": flagged.terms})
        except ValidationError as error:
            return validation_problem(request, django_invalid_params(error, FIELD_NAMES))
        body = SignalStatusSerializer(submission.signal).data
        return Response(body, status=status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK)


class SignalItem(APIView):
    @extend_schema(
        operation_id="getSignalStatus", summary="Read a signal's status", tags=["signals"],
        description="The status of a signal your organisation submitted: received, being handled or handled. "
                    "Never its handling. A signal of another organisation, or one whose retention period has "
                    "ended, is not found (404).",
        parameters=[OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     description="The reference from the answer to the submission, for example "
                                                 "S-2026-B7K9QX.")],
        responses={200: OpenApiResponse(SignalStatusSerializer, description="The signal's status."),
                   **responses(400, 401, 404, 406, 429, 500)},
    )
    def get(self, request: Request, reference: str) -> Response:
        if not REFERENCE.match(reference):
            return validation_problem(request, [{"name": "reference", "code": "invalid", "reason": _(
                "A reference has at most 20 letters, digits and dashes.")}])
        signal = Signal.objects.filter(source_organisation=request.auth.organisation, reference=reference).first()
        if signal is None:
            return problem(request, status.HTTP_404_NOT_FOUND, _("Your organisation has no signal with this "
                                                                 "reference."))
        return Response(SignalStatusSerializer(signal).data)
