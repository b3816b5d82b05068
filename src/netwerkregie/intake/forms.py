from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.form_tools import DateInput, MeetingPlaceForm, SpecialCategoryGuardMixin
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import no_hidden_characters
from netwerkregie.intake.models import (
    AssessmentCriterion,
    AssessmentSession,
    Channel,
    Decision,
    FindingValue,
    ObservationCategory,
    SignalStatus,
)
from netwerkregie.intake.services import MAX_SHORT, MAX_TEXT, FindingInput, SignalInput
from netwerkregie.network.models import Neighbourhood, Organisation


class SignalForm(SpecialCategoryGuardMixin):
    """A signal as a partner writes it; the coordinator's variant adds where it came from."""

    description = forms.CharField(
        label=_("What was seen or heard"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe behaviour: what the person did or said, where and when. "
                    "Not who they are (religion, origin, health and the like)."),
    )
    observations = forms.ModelMultipleChoiceField(
        label=_("Observations"), queryset=ObservationCategory.objects.filter(is_active=True),
        to_field_name="code", required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what you saw or heard yourself. Leave the rest empty."),
    )
    context = forms.CharField(
        label=_("Context"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example where it happened and who else noticed it. Other people's names only if needed."),
    )
    observed_since = forms.DateField(label=_("Since when"), required=False, widget=DateInput(),
                                     help_text=_("An approximate date is fine."))
    acute_danger = forms.BooleanField(
        label=_("There is acute danger"), required=False,
        help_text=_("In acute danger, call 112 or the police now. The signal is recorded as well."),
    )
    subject_name = forms.CharField(label=_("Name of the person"), max_length=MAX_SHORT,
                                   validators=[no_hidden_characters],
                                   help_text=_("First name and surname as you know them."))
    subject_birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput(),
                                         help_text=_("Only if you know it; do not guess."))
    subject_neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.all(), required=False,
        empty_label=_("Unknown or not applicable"),
        help_text=_("Where the person lives or spends much time, if you know."),
    )
    subject_school = forms.CharField(label=_("School or organisation"), max_length=MAX_SHORT, required=False,
                                     validators=[no_hidden_characters],
                                     help_text=_("The school, training or employer, if you know."))
    field_map = {"observation_codes": "observations"}

    def signal_input(self) -> SignalInput:
        data = self.cleaned_data
        return SignalInput(
            description=data["description"],
            subject_name=data["subject_name"],
            observation_codes=[o.code for o in data["observations"]],
            context=data["context"],
            observed_since=data["observed_since"],
            acute_danger=data["acute_danger"],
            subject_birth_date=data["subject_birth_date"],
            subject_neighbourhood_id=data["subject_neighbourhood"].pk if data["subject_neighbourhood"] else None,
            subject_school=data["subject_school"],
            reporter=data.get("reporter", ""),
            special_category_reason=self.guard_reason(),
        )


class CoordinatorSignalForm(SignalForm):
    source_organisation = forms.ModelChoiceField(
        label=_("Source organisation"), queryset=Organisation.objects.filter(is_active=True),
        help_text=_("The partner the signal comes from; your own municipality for a resident or parent."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in (Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON)],
    )
    reporter = forms.CharField(
        label=_("Reported by"), max_length=MAX_SHORT, required=False, validators=[no_hidden_characters],
        help_text=_("For example: a worried parent. Only what is needed to call back."),
    )

    field_order = ["source_organisation", "channel", "reporter"]


class TriageFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Open (new and on an agenda)")), *SignalStatus.choices],
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices])
    overdue = forms.BooleanField(label=_("Only past their triage date"), required=False)
    acute = forms.BooleanField(label=_("Only with acute danger"), required=False)


class ExistingPersonForm(forms.Form):
    """A registered person by BSN or pseudonym, or by name and date of birth (found by the blind indexes,
    spelling variants included, and offered: never linked by itself)."""

    search = forms.CharField(
        label=_("BSN or pseudonym of a registered person"), max_length=20, required=False,
        help_text=_("For example 123456782 or P-7KX3B-QM9TD."),
    )
    name = forms.CharField(label=_("Or: name"), max_length=MAX_SHORT, required=False,
                           validators=[no_hidden_characters],
                           help_text=_("With the date of birth; spelling variants are found too."))
    birth_date = forms.DateField(label=_("with date of birth"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_find_%s")  # the registration form beside it has a name and a birth date too
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        search, name = (data.get("search") or "").strip(), (data.get("name") or "").strip()
        data["search"], data["name"] = search, name
        if self.errors or search:
            return data
        if not (name or data.get("birth_date")):
            raise forms.ValidationError(_("Give a BSN or pseudonym; or a name with a date of birth."))
        if not (name and data.get("birth_date")):
            self.add_error("birth_date" if name else "name",
                           _("A name is searched together with a date of birth, never alone."))
        return data


class NewPersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=MAX_SHORT, validators=[no_hidden_characters])
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    bsn = forms.CharField(label=_("Citizen service number (BSN)"), max_length=20, required=False)
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=Neighbourhood.objects.all(),
                                           required=False)
    school_or_organisation = forms.CharField(label=_("School or organisation"), max_length=MAX_SHORT,
                                             required=False, validators=[no_hidden_characters])
    not_a_duplicate = forms.BooleanField(
        label=_("I have looked at the probable matches: this is someone else"), required=False,
        help_text=_("Only needed when the system shows persons who are probably the same."))


class PreAssessmentForm(forms.Form):
    """The coordinator's decision alone at triage, limited to what the municipality allows."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    legal_criterion = forms.CharField(
        label=_("Legal criterion applied"), max_length=300,
        help_text=_("The municipality's rule that allows deciding this alone, for example the article of the "
                    "covenant or the working agreement."))
    rationale = forms.CharField(label=_("Rationale"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Why no joint assessment is needed."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(settings.PRE_ASSESSMENT_DECISIONS)
        self.fields["decision"].choices = [(value, label) for value, label in Decision.choices if value in allowed]


class AgendaForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Assessment session"), queryset=AssessmentSession.objects.none())

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class SessionForm(MeetingPlaceForm):
    title = forms.CharField(label=_("Title"), max_length=MAX_SHORT)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    field_order = ["title", "held_on", "starts_at", "ends_at", "location", "participants"]
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"), widget=forms.CheckboxSelectMultiple,
        queryset=User.objects.filter(
            is_active=True, role_assignments__role__in=[Role.COORDINATOR, Role.CORE_PARTNER]
        ).select_related("organisation").distinct(),
        help_text=_("The core parties that assess together: municipality, police, public prosecutor."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].label_from_instance = (
            lambda user: f"{user.full_name} ({user.organisation or '—'})"
        )


class DecisionForm(forms.Form):
    """Findings per criterion (each with its justification), the legal criterion, the decision
    and its rationale. There is no score and nothing adds findings up."""

    legal_criterion = forms.CharField(
        label=_("Legal criterion applied"), max_length=300,
        help_text=_("The legal ground for processing and sharing, for example the covenant's article."),
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(label=_("Rationale"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, criteria: list[AssessmentCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"finding_{criterion.code}"] = forms.ChoiceField(
                label=str(criterion), choices=FindingValue.choices, widget=forms.RadioSelect,
            )
            self.fields[f"justification_{criterion.code}"] = forms.CharField(
                label=_("Justification: %(criterion)s") % {"criterion": criterion}, max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}), required=False,  # the service requires it unless unknown
                help_text=_("Required when present or absent: what was seen, by whom. Optional when unknown."),
            )
        self.order_fields([f for c in criteria for f in (f"finding_{c.code}", f"justification_{c.code}")])

    def criterion_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"finding_{c.code}"], self[f"justification_{c.code}"]) for c in self.criteria]

    def decision_fields(self) -> list[forms.BoundField]:
        return [self["legal_criterion"], self["decision"], self["rationale"]]

    def findings(self) -> list[FindingInput]:
        return [
            FindingInput(c, self.cleaned_data[f"finding_{c.code}"], self.cleaned_data[f"justification_{c.code}"])
            for c in self.criteria
        ]


class ConsultationForm(forms.Form):
    question = forms.CharField(
        label=_("Situation and question"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe the situation without names, addresses or anything else that identifies someone."),
    )


class CoordinatorConsultationForm(ConsultationForm):
    organisation = forms.ModelChoiceField(label=_("Organisation asking"),
                                          queryset=Organisation.objects.filter(is_active=True))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    advice = forms.CharField(label=_("Advice given"), max_length=MAX_TEXT, required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    field_order = ["organisation", "channel", "question", "advice"]


class AdviceForm(forms.Form):
    advice = forms.CharField(label=_("Advice given"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to know who it is?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: to check police records. Recorded, shown on the assessment and counted."))
