"""Forms of the joint assessment's contributions, and the decision form that can cover several signals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.form_tools import SpecialCategoryGuardMixin
from netwerkregie.intake.contribution_models import Contribution, CriterionView
from netwerkregie.intake.forms import DecisionForm
from netwerkregie.intake.models import AssessmentCriterion, Signal
from netwerkregie.intake.services import MAX_TEXT


class ContributionForm(SpecialCategoryGuardMixin):
    """What the partner's organisation knows, and its view per criterion: a view, not a score."""

    knowledge = forms.CharField(
        label=_("What does your organisation know?"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In your own words: what your organisation knows of this person's behaviour, and since when. "
                    "Write “nothing known” when that is so. Not who someone is (religion, origin, health)."))
    # Shown once the service found what may be the person's name (``contributions.PersonNamed``).
    name_confirmed = forms.BooleanField(label=_("The name is needed here; I confirm it"), required=False)

    def __init__(self, *args: Any, criteria: list[AssessmentCriterion], instance: Contribution | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            given = {v.criterion_id: v.view for v in instance.views.all()}
            kwargs["initial"] = {"knowledge": instance.knowledge,
                                 **{f"view_{c.code}": given.get(c.pk, CriterionView.UNKNOWN) for c in criteria}}
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.person_named = False
        for criterion in criteria:
            self.fields[f"view_{criterion.code}"] = forms.ChoiceField(
                label=str(criterion), choices=CriterionView.choices, widget=forms.RadioSelect,
                initial=self.initial.get(f"view_{criterion.code}", CriterionView.UNKNOWN))
        self.order_fields(["knowledge", *(f"view_{c.code}" for c in criteria)])

    @property
    def show_name_confirmation(self) -> bool:
        return self.person_named or bool(self.data.get("name_confirmed"))

    def view_fields(self) -> list[forms.BoundField]:
        return [self[f"view_{c.code}"] for c in self.criteria]

    def views(self) -> dict[AssessmentCriterion, str]:
        return {c: self.cleaned_data[f"view_{c.code}"] for c in self.criteria}


class SignalChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Signal) -> str:
        return f"{obj.reference} · {date_format(localtime(obj.received_at), 'SHORT_DATE_FORMAT')}"


class JointDecisionForm(DecisionForm):
    """The decision form, offering the other undecided signals about the same person on the agenda (all
    ticked): one decision for each that stays ticked."""

    def __init__(self, *args: Any, others: list[Signal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if others:
            self.fields["also_for"] = SignalChoice(
                label=_("The same decision also for"), required=False, widget=forms.CheckboxSelectMultiple,
                queryset=Signal.objects.filter(pk__in=[s.pk for s in others]).order_by("received_at", "pk"),
                initial=[s.pk for s in others],
                help_text=_("Other signals about the same person on this agenda. Each gets its own assessment "
                            "with these findings and reasons; untick a signal to decide it separately."))

    def decision_fields(self) -> list[forms.BoundField]:
        extra = [self["also_for"]] if "also_for" in self.fields else []
        return [*super().decision_fields(), *extra]

    def also(self) -> list[Signal]:
        return list(self.cleaned_data.get("also_for") or [])
