from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from netwerkregie.api.models import ApiToken


class HasOrganisationToken(BasePermission):
    message = "An organisation API token is required."

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, ApiToken)
