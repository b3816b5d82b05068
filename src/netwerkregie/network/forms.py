from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.form_tools import DateInput, SpecialCategoryGuardMixin
from netwerkregie.core.validators import no_hidden_characters
from netwerkregie.network.models import (
    Contact,
    ContactKind,
    ContactTopic,
    Covenant,
    Neighbourhood,
    Organisation,
)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "job_title", "email", "phone", "informed_on", "is_active"]
        widgets = {"informed_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(no_hidden_characters)  # on the form: the model has no migration


class OrganisationForm(forms.ModelForm):
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods"), required=False, queryset=Neighbourhood.objects.all(),
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: the partner works city-wide."))

    class Meta:
        model = Organisation
        fields = ["name", "sector", "neighbourhoods", "is_active"]
        help_texts = {"is_active": _("Switch off when the partnership ends; its history stays.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(no_hidden_characters)


class NeighbourhoodForm(forms.ModelForm):
    class Meta:
        model = Neighbourhood
        fields = ["name"]


class CovenantForm(forms.ModelForm):
    parties = forms.ModelMultipleChoiceField(label=_("Parties"), queryset=Organisation.objects.filter(is_active=True),
                                             widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Covenant
        fields = ["title", "parties", "for_signals", "for_case_work", "for_programme", "valid_from", "valid_until",
                  "document"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput(),
                   "document": forms.FileInput(attrs={"accept": "application/pdf"})}  # the file is private: no URL

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date lies before the start date."))
        return data


class ContactMomentForm(SpecialCategoryGuardMixin):
    happened_on = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=Organisation.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contact persons"), required=False,
        queryset=Contact.objects.filter(is_active=True).select_related("organisation"),
        widget=forms.CheckboxSelectMultiple,
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=ContactTopic.objects.filter(is_active=True))
    summary = forms.CharField(
        label=_("Short summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("About the partnership only. Persons of concern and members of communities are not recorded "
                    "here: no names, no beliefs, no descriptions of groups."),
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=DateInput())


class PartnerInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150, validators=[no_hidden_characters])
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             help_text=_("The work address at the partner organisation: the invitation goes there, "
                                         "and it is the sign-in name."))
