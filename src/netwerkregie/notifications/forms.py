from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.models import User
from netwerkregie.notifications.models import ALWAYS_AT_ONCE, NEVER_OFF, Delivery, Kind
from netwerkregie.notifications.services import choices_of

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class PreferencesForm(forms.Form):
    """Per kind of work of the person's roles: at once, in the daily digest, or off where allowed; and the hour
    of the digest. The kinds that always come at once are listed, not asked."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen, hour = choices_of(user)
        self.kinds = list(chosen)
        for kind, how in chosen.items():
            if kind in ALWAYS_AT_ONCE:
                continue
            options = [(d.value, d.label) for d in Delivery if d != Delivery.OFF or kind not in NEVER_OFF]
            self.fields[kind] = forms.ChoiceField(
                label=Kind(kind).label, choices=options, initial=how,
                help_text=_("Cannot be switched off: the work is lost when nobody acts in time.")
                if kind in NEVER_OFF else "")
        self.fields["digest_hour"] = forms.TypedChoiceField(
            label=_("Hour of the daily digest"), choices=HOURS, coerce=int, initial=hour,
            help_text=_("The digest collects what came in before this hour; it is not sent when nothing waits."))

    def rows(self) -> list[dict[str, Any]]:
        """One row per kind of work of the person's roles: its field, or none when it always comes at once."""
        return [{"label": Kind(kind).label, "field": self[kind] if kind in self.fields else None}
                for kind in self.kinds]

    def choices(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if name != "digest_hour"}
