"""The error summary names each field before its message: "Label: message", and no colon after a label that
is already a question ("Wat weet uw organisatie? ...", not "...?: ...")."""

from django import forms
from django.template.loader import render_to_string


class Asked(forms.Form):
    knowledge = forms.CharField(label="Wat weet uw organisatie?")
    name = forms.CharField(label="Naam")


def test_a_question_label_gets_no_colon_and_a_plain_label_does() -> None:
    form = Asked(data={})
    assert not form.is_valid()
    html = render_to_string("partials/error_summary.html", {"form": form})
    assert "Wat weet uw organisatie? " in html
    assert "?:" not in html
    assert "Naam: " in html
