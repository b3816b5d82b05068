from typing import Any

from django.conf import settings
from django.http import HttpRequest

from netwerkregie.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    navigation = navigation_for(request)
    section = next((item for item in navigation if item["section"]), None)
    theme = f"netwerkregie/themes/{settings.THEME}"
    return {
        "demo_mode": settings.DEMO,
        "navigation": navigation,
        # Deep pages get breadcrumbs: today, then the menu entry they belong to.
        "breadcrumb_section": section if section and not section["current"] else None,
        "theme_stylesheet": f"{theme}/theme.css",
        "theme_logo": f"{theme}/logo.svg",
        "municipality_name": settings.MUNICIPALITY_NAME,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,  # the idle dialog's clock (core/unsent.py)
    }
