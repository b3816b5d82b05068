"""The project's URLs and a bare view for ``bench/national.py``: it takes the same request as a partner-API
submission (POST, JSON body) through the same middleware, and does nothing with it."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from netwerkregie.urls import urlpatterns as project


@login_not_required
@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b'{"status":"ok"}', status=201, content_type="application/json")


urlpatterns = [path("bench/bare/", bare), *project]
