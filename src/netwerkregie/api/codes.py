"""The codes a submission takes, read-only, so a partner system need not get them out of band.

Each list holds exactly what a submission accepts at this moment: the active observation categories (an
administrator deactivates an entry rather than deleting it), and every neighbourhood (a neighbourhood has no
active flag: every one in the register is accepted). Its ``version`` (and the ETag header) is a hash of the
list's content, so it changes exactly when the catalogue does: a partner system may keep the list and ask
again with ``If-None-Match``, which answers 304 while nothing changed.

The lists are short (tens of entries) and are answered whole: the API has no pagination."""

import hashlib
import json
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from netwerkregie.api.problem_schema import responses
from netwerkregie.intake.models import ObservationCategory
from netwerkregie.network.models import Neighbourhood

VERSION_HELP = ("A hash of the list's content: it changes exactly when the catalogue changes. The same value "
                "is in the ETag header.")
CONDITIONAL = ("\n\nThe answer's ETag header (and `version`) changes exactly when the list does. Send it back in "
               "`If-None-Match` to get 304 Not Modified, without a body, while nothing changed.")
ETAG = OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304],
                        description="The version of the list, quoted; send it back in If-None-Match.")


def catalogue_version(items: list[dict[str, Any]]) -> str:
    encoded = json.dumps(items, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:20]


# (Comments, not docstrings: drf-spectacular would publish a docstring.)
@extend_schema_serializer(component_name="ObservationCategory")
class ObservationCategoryCodeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The code to send in a submission's observations.")
    label_nl = serializers.CharField(help_text="What it means, in Dutch.")
    label_en = serializers.CharField(help_text="What it means, in English.")


@extend_schema_serializer(component_name="Neighbourhood")
class NeighbourhoodCodeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The code to send as a submission's subject_neighbourhood.")
    name = serializers.CharField(help_text="The neighbourhood's name.")


def code_list(name: str, item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    fields = {"version": serializers.CharField(help_text=VERSION_HELP),
              "results": item(many=True, help_text="Every code a submission accepts now, in the catalogue's order.")}
    return extend_schema_serializer(component_name=name)(type(f"{name}Serializer", (serializers.Serializer,), fields))


ObservationCategoryListSerializer = code_list("ObservationCategoryList", ObservationCategoryCodeSerializer)
NeighbourhoodListSerializer = code_list("NeighbourhoodList", NeighbourhoodCodeSerializer)


class CatalogueCodes(APIView):
    item_serializer: ClassVar[type[serializers.Serializer]]

    def entries(self) -> QuerySet:
        raise NotImplementedError

    def get(self, request: Request) -> Response:
        items = self.item_serializer(self.entries(), many=True).data
        version = catalogue_version(items)
        etag = f'"{version}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response({"version": version, "results": items}, headers={"ETag": etag})


LISTED = "The codes, with the list's version."
NOT_MODIFIED = OpenApiResponse(description="Not modified: the list is the same as the version in If-None-Match.")


class ObservationCategoryCodes(CatalogueCodes):
    item_serializer = ObservationCategoryCodeSerializer

    def entries(self) -> QuerySet:
        return ObservationCategory.objects.filter(is_active=True).order_by("position", "code")

    @extend_schema(
        operation_id="listObservationCategories", summary="List the observation codes", tags=["codes"],
        description="The observation categories a submission accepts in `observations`: exactly the active "
                    "entries of the municipality's catalogue, with their meaning in Dutch and English." + CONDITIONAL,
        parameters=[ETAG],
        responses={200: OpenApiResponse(ObservationCategoryListSerializer, description=LISTED), 304: NOT_MODIFIED,
                   **responses(401, 406, 429, 500)},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


class NeighbourhoodCodes(CatalogueCodes):
    item_serializer = NeighbourhoodCodeSerializer

    def entries(self) -> QuerySet:
        return Neighbourhood.objects.order_by("name", "code")

    @extend_schema(
        operation_id="listNeighbourhoods", summary="List the neighbourhood codes", tags=["codes"],
        description="The neighbourhoods a submission accepts in `subject_neighbourhood`: every neighbourhood "
                    "the municipality has registered." + CONDITIONAL,
        parameters=[ETAG],
        responses={200: OpenApiResponse(NeighbourhoodListSerializer, description=LISTED), 304: NOT_MODIFIED,
                   **responses(401, 406, 429, 500)},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)
