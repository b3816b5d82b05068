"""The audit log's filter: the one form core itself shows (sign-in and account forms are in ``accounts.forms``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.models import AuditAction


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User (e-mail contains)"), required=False, max_length=254)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data
