from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.form_tools import DateInput, DutchDecimalField
from netwerkregie.network.models import Organisation
from netwerkregie.programmes.models import Activity, ExpenseCategory, FundingSource


class ActivityForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"), required=False, queryset=Organisation.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Activity
        fields = ["type", "title", "starts_on", "ends_on", "neighbourhood", "organisations", "facilitator",
                  "audience", "planned_cost", "funding_source", "participants", "average_rating", "lessons_learned"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(),
                   "lessons_learned": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"participants": _("A count. Participants are never recorded by name."),
                      "planned_cost": _("For a planned activity: counted as committed in the budget until the "
                                        "expenses are booked.")}
        field_classes = {"average_rating": DutchDecimalField, "planned_cost": DutchDecimalField}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date lies before the start date."))
        if data.get("planned_cost") and not data.get("funding_source"):
            self.add_error("funding_source", _("Say from which source the expected cost will be paid."))
        return data


class AttendanceForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                          queryset=Organisation.objects.filter(is_active=True))
    participants = forms.IntegerField(label=_("Participants from this organisation"), required=False, min_value=0)


AttendanceFormSet = forms.formset_factory(AttendanceForm, extra=3, max_num=50)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year)
    source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    amount = DutchDecimalField(label=_("Amount (EUR)"), min_value=Decimal(0), max_digits=12, decimal_places=2,
                               help_text=_("For example 12.500 or 12.500,00."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ExpenseForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    amount = DutchDecimalField(label=_("Amount (EUR)"), max_digits=12, decimal_places=2,
                               help_text=_("For example 1.250,50."))
    description = forms.CharField(label=_("Description"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=ExpenseCategory.choices)
    activity = forms.ModelChoiceField(label=_("Activity"), required=False, queryset=Activity.objects.all())
    overspend_confirmed = forms.BooleanField(label=_("Record it even though the budget is exceeded"),
                                             required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.overspending = False

    def visible_main(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n != "overspend_confirmed"]
