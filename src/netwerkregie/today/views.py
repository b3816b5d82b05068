from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from netwerkregie.core.http import AuthenticatedHttpRequest
from netwerkregie.today.panels import panels_for


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The first page after sign-in: what needs this user today, for every role they hold."""
    today = timezone.localdate()
    return render(request, "today/home.html", {"panels": panels_for(request.user, today), "today": today})
