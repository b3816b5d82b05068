from typing import Any

from django.conf import settings
from django.http import HttpRequest

from netwerkregie.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    return {
        "demo_mode": settings.DEMO,
        "navigation": navigation_for(request),
    }
