"""How the problems of ``api.problems`` appear in the OpenAPI document: their schemas (for the document only,
never used to build an answer) and the error responses each operation declares. Descriptions here are
published: they are written for the developer of a partner system."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

from netwerkregie.api.problems import PROBLEM_JSON

# Problem types an integrator may need to tell apart from others with the same status.
IDEMPOTENCY_KEY_REUSED = "urn:netwerkregie:problem:idempotency-key-reused"
SPECIAL_CATEGORY_REASON_REQUIRED = "urn:netwerkregie:problem:special-category-reason-required"


# (No docstrings on these classes: drf-spectacular would publish them. The descriptions are set explicitly.)
@extend_schema_serializer(component_name="Problem")
class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="A URI for the kind of problem: about:blank when the HTTP status "
                                           "says it all, otherwise a URN named in this document.")
    title = serializers.CharField(help_text="A short summary of the kind of problem; the same every time.")
    status = serializers.IntegerField(help_text="The HTTP status code of this answer.")
    detail = serializers.CharField(help_text="What went wrong this time, and what to change, in the "
                                             "language asked for with Accept-Language (Dutch by default).")
    instance = serializers.CharField(help_text="The path of the request that met the problem.")


@extend_schema_serializer(component_name="InvalidParam")
class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The field (or header) that is not valid; a list item as "
                                           "field.index, for example observations.3.")
    code = serializers.CharField(help_text="A machine-readable reason, for example required, invalid, "
                                           "max_length, unknown or future.")
    reason = serializers.CharField(help_text="What is wrong with it, in the language asked for with "
                                             "Accept-Language (Dutch by default, or English).")


@extend_schema_serializer(component_name="ValidationProblem")
class ValidationProblemSerializer(ProblemSerializer):
    def get_fields(self) -> dict[str, Any]:  # a member name with a hyphen cannot be an attribute
        return {**super().get_fields(), "invalid-params": InvalidParamSerializer(
            many=True, required=False,
            help_text="Every field that is not valid, with its reason. Absent when the body could not be read "
                      "at all (not JSON, or not a JSON object).")}


@extend_schema_serializer(component_name="SpecialCategoryProblem")
class SpecialCategoryProblemSerializer(ValidationProblemSerializer):
    def get_fields(self) -> dict[str, Any]:
        return {**super().get_fields(), "flagged-terms": serializers.ListField(
            child=serializers.CharField(), required=False,
            help_text=f"With type {SPECIAL_CATEGORY_REASON_REQUIRED}: the words in the text that name a special "
                      "category.")}


def problem_response(description: str, serializer: type[serializers.Serializer] = ProblemSerializer
                     ) -> OpenApiResponse:
    return OpenApiResponse(response=serializer, description=description)


def responses(*codes: int) -> dict[tuple[int, str], OpenApiResponse]:
    """The common error answers, by status, for ``extend_schema(responses=...)``."""
    return {(code, PROBLEM_JSON): COMMON[code] for code in codes}


COMMON = {
    400: problem_response("The request is not valid: invalid-params lists each field and why.",
                          ValidationProblemSerializer),
    401: problem_response("No token, or an invalid, revoked or expired one. Ask the municipality for a new "
                          "token when yours has expired."),
    404: problem_response("There is no such resource for your organisation."),
    406: problem_response("The Accept header asks for something other than JSON."),
    413: problem_response("The request body is larger than this installation accepts (64 KB by default)."),
    415: problem_response("The request body is not sent as application/json."),
    429: problem_response("Too many requests with this token; the Retry-After header says how many seconds to "
                          "wait."),
    500: problem_response("Something went wrong on our side. Try again later (a submission with the same "
                          "Idempotency-Key never makes a second signal); if it keeps happening, write to the "
                          "contact in this document."),
}
