"""The notification settings on "My account", as a form of their own (its view is ``notifications.views``): the
account page belongs to ``core``, which imports no app above it."""

from typing import Any

from django import template

from netwerkregie.notifications.forms import PreferencesForm

register = template.Library()


@register.inclusion_tag("notifications/_preferences.html", takes_context=True)
def notification_settings(context: template.Context) -> dict[str, Any]:
    form = PreferencesForm(context["request"].user)
    return {"form": form, "csrf_token": context.get("csrf_token")}
