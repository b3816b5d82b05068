from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.form_tools import DateInput
from netwerkregie.people.models import PSEUDONYM_MAX_LENGTH


class SearchForm(forms.Form):
    """One key at a time: a reference, a pseudonym, a BSN; or a name with a date of birth."""

    key = forms.CharField(label=_("Reference, pseudonym or BSN"), max_length=40, required=False,
                          help_text=_("For example S-2026-7KX3B2, C-2026-4R5VP, P-7KX3B-QM9TD or 123456782."))
    name = forms.CharField(label=_("Or: name"), max_length=200, required=False)
    birth_date = forms.DateField(label=_("with date of birth"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        key, name, born = (data.get("key") or "").strip(), (data.get("name") or "").strip(), data.get("birth_date")
        if not key and not (name or born) and not self.errors:
            raise forms.ValidationError(_("Give a reference, pseudonym or BSN; or a name with a date of birth."))
        if not key and bool(name) != bool(born) and not self.errors:
            self.add_error("birth_date" if name else "name",
                           _("A name is searched together with a date of birth, never alone."))
        data["key"] = key
        return data


class MergeForm(forms.Form):
    other = forms.CharField(label=_("Pseudonym of the other registration"), max_length=PSEUDONYM_MAX_LENGTH,
                            help_text=_("Its signals and cases move to this person; the other registration is "
                                        "deleted."))
    reason = forms.CharField(label=_("Why they are the same person"), max_length=1_000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class RemovalForm(forms.Form):
    reason = forms.CharField(label=_("Why this registration goes"), max_length=1_000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("For example: registered twice by mistake; the signal is now linked to "
                                         "the right person."))
