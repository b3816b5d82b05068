from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.cases.forms import DateInput
from netwerkregie.cases.models import InterventionType
from netwerkregie.core.validators import no_hidden_characters
from netwerkregie.disclosures.models import DisclosureKind, SharedData
from netwerkregie.network.models import Covenant, Organisation, Sector
from netwerkregie.sharing.answerable import unanswerable
from netwerkregie.sharing.models import ConsentBy, LegalBasis, ReferralKind


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Receiving organisation"), queryset=Organisation.objects.none(),
                                          empty_label="—")
    kind = forms.ChoiceField(label=_("What you ask"), choices=ReferralKind.choices, widget=forms.RadioSelect,
                             initial=ReferralKind.INTERVENTION)
    intervention = forms.ModelChoiceField(label=_("Intervention"), required=False, queryset=None, empty_label="—",
                                          help_text=_("For a referral for an intervention."))
    purpose = forms.CharField(label=_("Purpose"), max_length=300,
                              help_text=_("What the organisation is asked to do. Without names: the receiver sees "
                                          "this before accepting."))
    categories = forms.MultipleChoiceField(label=_("Data passed on acceptance"), choices=SharedData.choices,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Only what the organisation needs for this purpose. Police "
                                                       "or judicial data need a second coordinator's approval."))
    basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices, widget=forms.RadioSelect)
    covenant = forms.ModelChoiceField(label=_("Covenant"), required=False, queryset=Covenant.objects.none(),
                                      empty_label="—",
                                      help_text=_("Valid today, for case work, with this organisation."))
    consent_by = forms.ChoiceField(label=_("Consent given by"), required=False,
                                   choices=[("", "—"), *ConsentBy.choices],
                                   help_text=_("For a minor: a parent or guardian."))
    consent_by_name = forms.CharField(label=_("Name of the parent or guardian"), required=False, max_length=200,
                                      validators=[no_hidden_characters])
    consent_on = forms.DateField(label=_("Consent given on"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note for the receiving organisation"), required=False, max_length=5_000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Shown to them after they accept. For a handover: the warm handover note."))

    # Rendered in groups: what is asked, then the basis with what each basis needs beside it.
    GROUPS = {"request": ("organisation", "kind", "intervention", "purpose", "categories", "basis"),
              "covenant": ("covenant",), "consent": ("consent_by", "consent_by_name", "consent_on"), "note": ("note",)}

    @property
    def groups(self) -> dict[str, list[Any]]:
        return {name: [self[field] for field in fields] for name, fields in self.GROUPS.items()}

    def __init__(self, *args: Any, from_signal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (Organisation.objects.filter(is_active=True)
                                                .exclude(sector=Sector.MUNICIPALITY).order_by("name"))
        self.unanswerable = unanswerable(self.fields["organisation"].queryset)
        marked = {organisation.pk for organisation in self.unanswerable}
        self.fields["organisation"].label_from_instance = lambda organisation: (
            _("%(name)s (nobody there can answer yet)") % {"name": organisation.name}
            if organisation.pk in marked else organisation.name)
        self.fields["intervention"].queryset = InterventionType.objects.filter(is_active=True, compulsory=False)
        self.fields["covenant"].queryset = (Covenant.objects.valid_on(timezone.localdate()).for_purpose("case_work")
                                            .order_by("title"))
        if from_signal:
            self.fields["kind"].choices = [(ReferralKind.INTERVENTION, ReferralKind.INTERVENTION.label)]
            self.fields["categories"].choices = [
                choice for choice in SharedData.choices
                if choice[0] not in (SharedData.PLAN, SharedData.REVIEWS, SharedData.MINUTES)]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1_000, widget=forms.Textarea(attrs={"rows": 3}))


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("What happened"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("For the case manager: intake held, programme started, what is needed."))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Why (required when you do not approve)"), required=False, max_length=1_000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class LedgerFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Recipient organisation"), required=False,
                                          queryset=Organisation.objects.order_by("name"), empty_label=_("All"))
    kind = forms.ChoiceField(label=_("What"), required=False, choices=[("", _("All"))])
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *DisclosureKind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data
