from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netwerkregie.notifications.forms import PreferencesForm
from netwerkregie.notifications.services import save_choices


@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """A person's own notification settings, from the form on "My account" (everyone signed in, only their own)."""
    form = PreferencesForm(request.user, request.POST)  # type: ignore[arg-type]
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the options offered."))
        save_choices(request.user, choices=form.choices(),  # type: ignore[arg-type]
                     digest_hour=form.cleaned_data["digest_hour"])
    except ValidationError as error:
        messages.error(request, _("Your notification settings were not saved: %(reason)s")
                       % {"reason": " ".join(error.messages)})
    else:
        messages.success(request, _("Your notification settings are saved."))
    return redirect(reverse("accounts:account") + "#notifications-heading")
