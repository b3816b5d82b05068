"""The accessibility statement (toegankelijkheidsverklaring), after the model of digitoegankelijk.nl.

Public: the law (Besluit digitale toegankelijkheid overheid) asks a government body to publish it for
everyone, signed in or not. The dates change only when the statement is reviewed and the checks are run
again; the known exceptions are listed in the template, in plain words.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from netwerkregie.core.middleware import mfa_not_required

STATEMENT_DRAWN_UP_ON = datetime.date(2026, 12, 3)
LAST_CHECKED_ON = datetime.date(2026, 12, 3)


@login_not_required
@mfa_not_required
@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility_statement.html", {
        "drawn_up_on": STATEMENT_DRAWN_UP_ON,
        "last_checked_on": LAST_CHECKED_ON,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "address": request.build_absolute_uri("/"),
    })
