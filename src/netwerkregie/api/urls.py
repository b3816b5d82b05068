"""The partner API's addresses (see README, "Partner API").

The v1 paths have no trailing slash (API Design Rules, /core/no-trailing-slash). The addresses of the first
release, with a slash, stay in service until v2 for partner systems built against them: a POST cannot be
redirected, and removing them within v1 would break those systems. They are not in the OpenAPI document,
and answer with a ``Deprecation`` header and a ``Link`` to the address without the slash."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.encoding import escape_uri_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from netwerkregie.api import codes, document, views

app_name = "api"

# RFC 9745: the moment the slashed addresses were deprecated (2026-12-03T00:00:00Z), as a structured date.
DEPRECATED_SINCE = "@1796256000"


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """API views authenticate by token themselves; the web sign-in does not apply to them."""
    return login_not_required(view)


def deprecated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)  # keeps csrf_exempt and login_not_required
    def alias(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Deprecation"] = DEPRECATED_SINCE
        # Percent-encoded again: the path is decoded, and a %0D%0A in it must not end the header (a 500).
        response["Link"] = f'<{escape_uri_path(request.path.rstrip("/"))}>; rel="successor-version"'
        return response
    return alias


signal_collection = public(views.SignalCollection.as_view())
signal_item = public(views.SignalItem.as_view())

urlpatterns = [
    path("v1/signals", signal_collection, name="signal_collection"),
    path("v1/signals/<str:reference>", signal_item, name="signal_item"),
    path("v1/observation-categories", public(codes.ObservationCategoryCodes.as_view()),
         name="observation_categories"),
    path("v1/neighbourhoods", public(codes.NeighbourhoodCodes.as_view()), name="neighbourhoods"),
    path("v1/openapi.json", public(document.OpenApiJsonDocument.as_view()), name="openapi_json"),
    path("v1/openapi.yaml", public(document.OpenApiYamlDocument.as_view()), name="openapi_yaml"),
    path("docs/", public(SpectacularSwaggerSplitView.as_view(url_name="api:openapi_json", authentication_classes=[],
                                                               permission_classes=[])), name="docs"),
    # The first release's addresses (see above).
    path("v1/signals/", deprecated(signal_collection), name="signal_collection_slash"),
    path("v1/signals/<str:reference>/", deprecated(signal_item), name="signal_item_slash"),
    path("schema/", public(RedirectView.as_view(pattern_name="api:openapi_yaml", permanent=True)), name="schema"),
]
