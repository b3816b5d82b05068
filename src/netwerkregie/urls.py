from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from netwerkregie.core import accessibility, views
from netwerkregie.core.middleware import mfa_not_required
from netwerkregie.today.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.health, name="health"),
    path("toegankelijkheid/", accessibility.statement, name="accessibility_statement"),
    path("", include("netwerkregie.accounts.urls")),
    path("session/", include("netwerkregie.core.urls_session")),
    path("i18n/setlang/", login_not_required(mfa_not_required(set_language)), name="set_language"),
    path("", include("netwerkregie.core.urls")),
    path("", include("netwerkregie.notifications.urls")),
    path("", include("netwerkregie.intake.urls")),
    path("", include("netwerkregie.network.urls")),
    path("", include("netwerkregie.programmes.urls")),
    path("", include("netwerkregie.cases.urls")),
    path("", include("netwerkregie.privacy.urls")),
    path("", include("netwerkregie.catalogues.urls")),
    path("", include("netwerkregie.reports.urls")),
    path("", include("netwerkregie.search.urls")),
    path("", include("netwerkregie.sharing.urls")),
    path("api/", include("netwerkregie.api.urls")),
]
