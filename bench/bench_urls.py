"""The project's URLs and three reference views for ``bench/national.py``, each taking the same request as a
partner-API submission (POST, JSON body, the token) through the same middleware:

- ``bare``: does nothing with it: what the server and Django cost;
- ``validated``: the API's own view class with its token check and its serializer, storing nothing: what
  the framework, the token and the validation cost before anything is written;
- ``durable``: the bare view that also inserts the body as one row of a table of its own and commits it:
  what one durable write costs on this database and disk (the least any submission can cost).
"""

from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from netwerkregie.api.serializers import SignalSubmissionSerializer
from netwerkregie.urls import urlpatterns as project

DURABLE_TABLE = "bench_durable_write"


def create_durable_table() -> None:
    key = "id BIGSERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "id INTEGER PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {DURABLE_TABLE} ({key}, body TEXT NOT NULL)")


@login_not_required
@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b'{"status":"ok"}', status=201, content_type="application/json")


@login_not_required
@csrf_exempt
def durable(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {DURABLE_TABLE} (body) VALUES (%s)", [request.body.decode()])  # noqa: S608
    return HttpResponse(b'{"status":"ok"}', status=201, content_type="application/json")


class Validated(APIView):
    def post(self, request: Request) -> Response:
        serializer = SignalSubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"status": "ok"}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("bench/bare/", bare), path("bench/durable/", durable), path("bench/validated/", Validated.as_view()),
    *project,
]
