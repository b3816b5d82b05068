"""Per-token rate limit: API_RATE requests per period for each token, whatever address they come from.

The history lives in the ``shared`` cache, a database cache (settings.CACHES): gunicorn runs several worker
processes, and a local-memory cache would give each of them its own count (the rate times the workers).
Reading and writing the history is not one atomic step, so two requests at the same instant may both
pass: a limit against runaway clients, not an exact quota."""

from typing import Any

from django.conf import settings
from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from netwerkregie.api.models import ApiToken

CACHE_ALIAS = "shared"


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    @property
    def cache(self) -> Any:  # type: ignore[override]
        return caches[CACHE_ALIAS]

    def get_rate(self) -> str:
        return settings.API_RATE

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None  # not signed in with a token: refused (401) before the throttle is asked
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
