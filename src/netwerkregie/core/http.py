"""The request as the views see it, for annotations: Django's ``LoginRequiredMiddleware`` lets only a signed-in
account reach a view (those marked ``login_not_required`` annotate ``HttpRequest``), and django-htmx's
middleware adds ``htmx``. Django builds plain ``HttpRequest`` objects; this class only tells the type
checker what they carry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from netwerkregie.core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
