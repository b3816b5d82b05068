from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from netwerkregie.api import views

app_name = "api"


def public(view):
    """API views authenticate by token themselves; the web sign-in does not apply to them."""
    return login_not_required(view)


urlpatterns = [
    path("v1/signals/", public(views.SignalCollection.as_view()), name="signal_collection"),
    path("v1/signals/<str:reference>/", public(views.SignalItem.as_view()), name="signal_item"),
    path("schema/", public(SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[])),
         name="schema"),
    path("docs/", public(SpectacularSwaggerSplitView.as_view(url_name="api:schema", authentication_classes=[],
                                                               permission_classes=[])), name="docs"),
]
