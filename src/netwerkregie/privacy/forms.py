from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.form_tools import DateInput
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.people.models import PSEUDONYM_MAX_LENGTH
from netwerkregie.privacy.models import IdentityCheck, RequestChannel, Requester, RequestKind, RequestStatus

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
    """A request as it comes in: about whom (pseudonym, BSN, or name with date of birth), from whom, how the
    requester's identity was checked and through which channel."""

    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    name = forms.CharField(label=_("Name of the person"), max_length=200, required=False,
                           help_text=_("As in the identity document; together with the date of birth."))
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput(), required=False)
    bsn = forms.CharField(label=_("Or: citizen service number (BSN)"), max_length=12, required=False)
    pseudonym = forms.CharField(label=_("Or: pseudonym of the person"), max_length=PSEUDONYM_MAX_LENGTH,
                                required=False, help_text=_("P-… when the coordinator has given it."))
    requester = forms.ChoiceField(label=_("Requested by"), choices=[("", "---------"), *Requester.choices])
    identity_check = forms.ChoiceField(label=_("Identity of the requester checked by"),
                                       choices=[("", "---------"), *IdentityCheck.choices])
    identity_note = forms.CharField(label=_("Note on the identity check"), max_length=500, required=False,
                                    help_text=_("For example: passport shown by the mother; do not write "
                                                "down the document number."))
    channel = forms.ChoiceField(label=_("Request received by"), choices=[("", "---------"), *RequestChannel.choices])
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), initial=timezone.localdate)
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=User.objects.filter(
        is_active=True, role_assignments__role=Role.PRIVACY_OFFICER).distinct())

    def groups(self) -> list[tuple[Any, list[Any]]]:
        """The form in the order the officer works: the request, whom it is about, who asked and how."""
        return [(_("The request"), ["kind", "received_on", "handler"]),
                (_("Whose data: name and date of birth, BSN or pseudonym"), ["name", "birth_date", "bsn", "pseudonym"]),
                (_("Who asked, and how"), ["requester", "identity_check", "identity_note", "channel"])]

    def fieldsets(self) -> list[tuple[Any, list[Any]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.groups()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name, born = (data.get("name") or "").strip(), data.get("birth_date")
        if not (data.get("pseudonym") or (data.get("bsn") or "").strip() or name or born):
            self.add_error("name", _("Give the name and date of birth, the BSN or the pseudonym of the person."))
        elif not (data.get("pseudonym") or (data.get("bsn") or "").strip()):
            if not name:
                self.add_error("name", _("Give the name as well as the date of birth."))
            if not born and "birth_date" not in self.errors:
                self.add_error("birth_date", _("Give the date of birth as well as the name."))
        if data.get("identity_check") == IdentityCheck.OTHER and not (data.get("identity_note") or "").strip():
            self.add_error("identity_note", _("Say how the identity was checked."))
        return data


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
