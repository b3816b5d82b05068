from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUARTERS = [("", _("Whole year")), ("1", _("1st quarter")), ("2", _("2nd quarter")), ("3", _("3rd quarter")),
            ("4", _("4th quarter"))]


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("Period"), choices=QUARTERS, coerce=int, required=False,
                                     empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 10, -1)]
        self.fields["year"].initial = this_year
