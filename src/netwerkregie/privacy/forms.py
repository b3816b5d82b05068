from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.form_tools import DateInput
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.people.models import PSEUDONYM_MAX_LENGTH
from netwerkregie.privacy.models import RequestKind, RequestStatus

HOLDABLE = [("cases.case", _("Case")), ("intake.signal", _("Signal")), ("people.person", _("Person of concern")),
            ("intake.consultation", _("Anonymous consultation")), ("network.contact", _("Contact person")),
            ("network.contactmoment", _("Contact moment"))]


class LegalHoldForm(forms.Form):
    object_type = forms.ChoiceField(label=_("Kind of record"), choices=HOLDABLE)
    reference = forms.CharField(label=_("Reference, pseudonym or id"), max_length=40,
                                help_text=_("C-… for a case, S-… for a signal, P-… for a person; otherwise the id."))
    reason = forms.CharField(label=_("Legal reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: a claim by the public prosecutor, or a pending objection."))
    until = forms.DateField(label=_("Hold until"), widget=DateInput())

    def clean_until(self) -> Any:
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError(_("A legal hold ends in the future."))
        return until


class PersonForm(forms.Form):
    pseudonym = forms.CharField(label=_("Pseudonym of the person"), max_length=PSEUDONYM_MAX_LENGTH)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    pseudonym = forms.CharField(label=_("Pseudonym of the person"), max_length=PSEUDONYM_MAX_LENGTH)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), initial=timezone.localdate)
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=User.objects.filter(
        is_active=True, role_assignments__role=Role.PRIVACY_OFFICER).distinct())


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("Reason for extending by two months"), max_length=500)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision on the request"), choices=[
        (RequestStatus.DONE, _("Granted and answered")), (RequestStatus.REFUSED, RequestStatus.REFUSED.label)])
    outcome = forms.CharField(label=_("Answer to the person"), max_length=10_000,
                              help_text=_("What was done, or why the request was refused."),
                              widget=forms.Textarea(attrs={"rows": 3}))


class EmergencyReviewForm(forms.Form):
    justified = forms.TypedChoiceField(label=_("Was the emergency access justified?"), widget=forms.RadioSelect,
                                       choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes")
    note = forms.CharField(label=_("Review"), max_length=500)
