from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netwerkregie.cases.models import ClosureReason, DataCategory, Ideology, InterventionType, ReviewOutcome
from netwerkregie.core.form_tools import DateInput, MeetingPlaceForm
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import no_hidden_characters
from netwerkregie.intake.models import Signal
from netwerkregie.network.models import Organisation
from netwerkregie.people.models import PSEUDONYM_MAX_LENGTH

CONSENT = [("", "—"), ("person", _("The person")), ("parent", _("A parent")),
           ("guardian", _("A guardian"))]
INTERVENTION_STATUS = [("planned", _("Planned")), ("running", _("Running")), ("completed", _("Completed")),
                       ("stopped", _("Stopped"))]


def case_managers() -> Any:
    return User.objects.filter(is_active=True, role_assignments__role__in=[Role.CASE_MANAGER, Role.COORDINATOR]
                               ).distinct()


class CaseFromSignalsForm(forms.Form):
    signals = forms.ModelMultipleChoiceField(
        label=_("Signals decided 'to the case consultation'"), queryset=Signal.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    pseudonym = forms.CharField(label=_("Or: pseudonym of a registered person"), max_length=PSEUDONYM_MAX_LENGTH,
                                required=False)
    related = forms.CharField(
        label=_("Related persons (pseudonyms, comma-separated)"), required=False, max_length=200,
        help_text=_("Only where needed for the plan, for example a brother or sister who is also involved."),
    )
    reason = forms.CharField(label=_("Reason for opening (required without a signal)"), required=False,
                             max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    case_manager = forms.ModelChoiceField(label=_("Case manager"), queryset=User.objects.none())
    ideology = forms.ChoiceField(  # starts empty: a person chooses, "unclear" included; nothing is presumed
        label=_("Ideology involved (for aggregated figures only)"), choices=[("", "—"), *Ideology.choices],
        help_text=_("Choose 'Unclear' when it is not clear. Used only in aggregated figures."),
        error_messages={"required": _("Choose an ideology, or 'Unclear'.")})

    def __init__(self, *args: Any, signals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signals"].queryset = signals
        self.fields["signals"].label_from_instance = lambda s: f"{s.reference} — {s.person.pseudonym}"
        self.fields["case_manager"].queryset = case_managers()


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none())
    role_in_case = forms.CharField(label=_("Role in the case"), max_length=100,
                                   help_text=_("For example: mentor, youth worker, community police officer."))
    reason = forms.CharField(label=_("Why this member"), max_length=300)
    valid_until = forms.DateField(label=_("Member until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            is_active=True, role_assignments__role__in=[Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER,
                                                        Role.COORDINATOR]).select_related("organisation").distinct()
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} ({u.organisation or '—'})"


class PlanForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    protective_factors = forms.CharField(label=_("Protective factors"), required=False, max_length=10_000,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    change_note = forms.CharField(label=_("What changed"), max_length=300)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Goal"), required=False, max_length=500,
                           help_text=_("Worded positively: what the person will achieve."))


class InterventionForm(forms.Form):
    type = forms.ModelChoiceField(label=_("Intervention"), required=False,
                                  queryset=InterventionType.objects.filter(is_active=True), to_field_name="code")
    goal = forms.TypedChoiceField(label=_("Serves goal"), required=False, coerce=int, empty_value=None)
    provider = forms.ModelChoiceField(label=_("Provider organisation"), required=False,
                                      queryset=Organisation.objects.filter(is_active=True))
    owner = forms.CharField(label=_("Owner"), required=False, max_length=200)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=INTERVENTION_STATUS, required=False)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000)
    consent = forms.ChoiceField(label=_("Consent given by"), choices=CONSENT, required=False)
    consent_name = forms.CharField(label=_("Name of the parent or guardian"), required=False, max_length=200,
                                   validators=[no_hidden_characters])
    consent_on = forms.DateField(label=_("Consent given on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, goals: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", "—"), *goals]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("type") and not data.get("starts_on"):
            self.add_error("starts_on", _("Give the start date."))
        if data.get("type") and not data.get("goal"):
            self.add_error("goal", _("Link it to one of the goals."))
        return data


class RowsFormSet(forms.BaseFormSet):
    """Rows a person adds ("Add a goal") and takes out (a "Remove" box per row)."""

    remove_label = _("Remove")

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.remove_label


class GoalRows(RowsFormSet):
    remove_label = _("Remove this goal")


class InterventionRows(RowsFormSet):
    remove_label = _("Remove this intervention")


# One empty row each; "Add a goal" / "Add an intervention" add more.
GoalFormSet = forms.formset_factory(GoalForm, GoalRows, extra=1, max_num=30, can_delete=True)
InterventionFormSet = forms.formset_factory(InterventionForm, InterventionRows, extra=1, max_num=50, can_delete=True)


def goal_choices(data: Any, initial: list[dict]) -> list[tuple[int, str]]:
    """The goals as the person sees them in the form right now (posted or saved), numbered by row."""
    if data is None:
        texts = [g["text"] for g in initial] + [""]
    else:
        total = int(data.get("goals-TOTAL_FORMS") or 0) if str(data.get("goals-TOTAL_FORMS", "")).isdigit() else 0
        texts = [data.get(f"goals-{i}-text", "") for i in range(min(total, 30))]
    return [(n, f"{n}. {text.strip()[:80]}") for n, text in enumerate(texts, start=1) if text.strip()]


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    still_necessary = forms.TypedChoiceField(
        label=_("Is the support still necessary and proportionate?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes",
    )
    rationale = forms.CharField(label=_("Rationale"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    next_review_on = forms.DateField(label=_("Next review on"), required=False, widget=DateInput())


class PlanReviewForm(forms.Form):
    on = forms.DateField(label=_("Date of the review"), widget=DateInput(),
                         help_text=_("A date to come, no later than the date the review is due."))


class InformedForm(forms.Form):
    person_informed_on = forms.DateField(label=_("Person informed on"), required=False, widget=DateInput())
    informing_delay_reason = forms.CharField(label=_("Reason informing is delayed"), required=False,
                                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ContributionForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True))
    category = forms.ChoiceField(label=_("Category of data"), choices=DataCategory.choices)
    reason = forms.CharField(label=_("Why it was needed"), max_length=500)


class CloseForm(forms.Form):
    # "Lapsed" is the daily job's, never a person's choice.
    reason = forms.ChoiceField(label=_("Reason for closure"),
                               choices=[c for c in ClosureReason.choices if c[0] != ClosureReason.LAPSED])
    handover_note = forms.CharField(label=_("Warm handover"), max_length=10_000,
                                    widget=forms.Textarea(attrs={"rows": 4}),
                                    help_text=_("Who takes over what, and how the person was introduced to them."))
    monitoring_until = forms.DateField(label=_("Keep monitoring until (optional)"), required=False, widget=DateInput())


class ConsultationForm(MeetingPlaceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    field_order = ["title", "held_on", "starts_at", "ends_at", "location", "attendees", "cases"]
    attendees = forms.ModelMultipleChoiceField(label=_("Attendees"), queryset=User.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    cases = forms.ModelMultipleChoiceField(label=_("Cases on the agenda"), queryset=None,  # type: ignore[arg-type]
                                           widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["attendees"].queryset = MemberForm().fields["user"].queryset
        self.fields["attendees"].label_from_instance = lambda u: f"{u.full_name} ({u.organisation or '—'})"


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, max_length=10_000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    decisions = forms.CharField(label=_("Decisions"), required=False, max_length=10_000,
                                widget=forms.Textarea(attrs={"rows": 3}))


class MinutesCorrectionForm(MinutesForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=1000,
                             help_text=_("Say what was wrong in the established minutes. The team sees this "
                                         "reason with the earlier version."),
                             widget=forms.Textarea(attrs={"rows": 2}))
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action to take"), max_length=1000)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class EmergencyAccessForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=20, help_text=_("For example C-2026-7KX3B."))
    reason = forms.CharField(
        label=_("Why do you need this case now?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your reason, the case and the time are recorded; the privacy officer reviews every "
                    "emergency access."),
    )
