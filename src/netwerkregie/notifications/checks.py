"""A deployment check: the links in mail need SITE_URL (the scheduler's mail has no request to take an address
from, and mail caused by a request would otherwise link to whatever Host that request named)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def site_url_is_set(**kwargs: Any) -> list[CheckMessage]:
    if settings.SITE_URL:
        return []
    return [CheckWarning(
        "SITE_URL is empty: the daily digest and due-date mail carry no links, and other mail links to the "
        "Host header of the request that caused it.", id="netwerkregie.W002",
        hint="Set SITE_URL (or CSRF_TRUSTED_ORIGINS) to the address people reach Netwerkregie at, such as "
             "https://netwerkregie.gemeente.nl.")]
