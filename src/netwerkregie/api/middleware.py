"""Two things every answer under /api/ gets, whichever layer gives it.

- The ``API-Version`` header with the API's full version (API Design Rules, /core/version-header).
- A problem description (``application/problem+json``) for an error that DRF did not answer: a path that
  does not exist (Django's 404), a method a plain Django view refuses (405), an uncaught exception (Django's
  500). DRF's own errors are problems already (``api.problems.problem_exception_handler``).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from netwerkregie.api.problems import PROBLEM_JSON, TITLES, problem_body

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")
DETAILS = {
    404: _("There is no such address in the partner API: see /api/v1/openapi.json."),
    500: _("Something went wrong on our side. Try again later."),
}


def as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    status = response.status_code
    title = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    detail = DETAILS.get(status, DETAILS[500] if status >= 500 else title)
    body = problem_body(status, str(detail), instance=request.path, title=str(title))
    answer = JsonResponse(body, status=status, content_type=PROBLEM_JSON)
    for name in KEPT_HEADERS:
        if response.has_header(name):
            answer[name] = response[name]
    return answer


class ApiAnswerMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM_JSON):
            response = as_problem(request, response)
        response["API-Version"] = settings.API_VERSION
        return response
