"""Form building blocks shared by the domain apps."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker; ISO dates on the wire."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DutchDecimalField(forms.DecimalField):
    """A number as people in the Netherlands type it: "1.250,50", "1250,5", "€ 1 250" and also
    "1250.50". A comma is the decimal separator; a dot is one too unless exactly three digits
    follow it (then it groups thousands, as in "1.250")."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = normalise_decimal(value)
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{value:.{self.decimal_places or 0}f}".replace(".", ",")
        return value


def normalise_decimal(text: str) -> str:
    text = re.sub(r"[\s\u00a0\u202f€]", "", text).removeprefix("EUR")
    if "," in text:
        return text.replace(".", "").replace(",", ".", 1) if text.count(",") == 1 else text
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        return text.replace(".", "")
    return text


def apply_errors(form: forms.BaseForm, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form, field by field where the form has the field."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = field_map.get(name, name)
        form.add_error(target if target in form.fields else None, errors)


class SpecialCategoryGuardMixin(forms.Form):
    """Adds the confirmation that the special-category guard asks for. The fields are shown only
    once the guard has flagged the text (``flagged_terms``) or the writer has confirmed."""

    special_category_confirmed = forms.BooleanField(
        label=_("I confirm that mentioning this is necessary"), required=False,
    )
    special_category_reason = forms.CharField(
        label=_("Why is it necessary?"), max_length=1_000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )

    GUARD_FIELDS = ("special_category_confirmed", "special_category_reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flagged_terms: list[str] = []

    @property
    def show_guard(self) -> bool:
        return bool(self.flagged_terms) or bool(self.data.get("special_category_confirmed"))

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.GUARD_FIELDS]

    def guard_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.GUARD_FIELDS]

    def guard_reason(self) -> str:
        """The reason, when the writer confirmed; otherwise nothing."""
        data = self.cleaned_data
        return data["special_category_reason"] if data.get("special_category_confirmed") else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("special_category_confirmed") and not (data.get("special_category_reason") or "").strip():
            self.add_error("special_category_reason", _("Give the reason why it is necessary."))
        return data


class JustificationForm(forms.Form):
    """Why processing a registration is still necessary and proportionate, in the writer's own words."""

    reason = forms.CharField(
        label=_("Why is it still necessary and proportionate?"), max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What has happened since, what is still needed and why less would not do. Recorded with your "
                    "name; it moves the date."))


class TimeInput(forms.TimeInput):
    """The browser's time picker; hours and minutes on the wire."""

    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class MeetingPlaceForm(forms.Form):
    """The times and place of a meeting, for the forms that plan or move one (``core.meetings``)."""

    starts_at = forms.TimeField(
        label=_("Start time"), required=False, widget=TimeInput(),
        help_text=_("Optional; then give the end time too. Without a time the meeting is in calendars for the "
                    "whole day."))
    ends_at = forms.TimeField(label=_("End time"), required=False, widget=TimeInput())
    location = forms.CharField(label=_("Place"), required=False, max_length=200,
                               help_text=_("A room or an organisation's address. Never the name or address of "
                                           "someone discussed: the place goes into the calendar invitation."))


class ScheduleForm(MeetingPlaceForm):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    field_order = ["held_on", "starts_at", "ends_at", "location"]
