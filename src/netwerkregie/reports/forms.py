import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.form_tools import DateInput

QUARTERS = [("", _("Whole year")), ("1", _("1st quarter")), ("2", _("2nd quarter")), ("3", _("3rd quarter")),
            ("4", _("4th quarter"))]
MAX_SPAN_DAYS = 10 * 366


class PeriodForm(forms.Form):
    """A year or a quarter of it; or, when both dates are given, the days from one to the other."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("Period"), choices=QUARTERS, coerce=int, required=False,
                                     empty_value=None)
    start = forms.DateField(label=_("Or from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("up to and including"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 10, -1)]
        self.fields["year"].initial = this_year
        if self.is_bound and (self.data.get("start") or self.data.get("end")):
            self.fields["year"].required = False  # a period of one's own needs no year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors.get("start") and not self.errors.get("end"):
            self.add_error("end" if start else "start", _("Give both dates, or neither."))
        elif start and end:
            if end < start:
                self.add_error("end", _("The end date lies before the start date."))
            elif (end - start).days > MAX_SPAN_DAYS:
                self.add_error("end", _("Choose a period of at most ten years."))
            elif start > timezone.localdate():
                self.add_error("start", _("This date is in the future."))
        elif data.get("year") is None and not self.errors.get("year"):
            self.add_error("year", _("Choose a year."))
        return data

    def period_bounds(self) -> tuple[datetime.date, datetime.date] | None:
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        return (start, end) if start and end else None
