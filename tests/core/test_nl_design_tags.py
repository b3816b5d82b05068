"""The NL Design System's buttons, button links, badges and field groups as template tags render exactly the
markup that was typed by hand before (so nothing a user sees changes)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation


def render(source: str, **context: object) -> str:
    return Template("{% load i18n nl_design %}" + source).render(Context(context))


def test_a_button_is_the_primary_submit_action() -> None:
    assert render("{% button %}Opslaan{% endbutton %}") == (
        '<button type="submit" class="utrecht-button utrecht-button--primary-action">Opslaan</button>')


def test_a_secondary_button_names_its_value() -> None:
    assert render('{% button secondary name="decision" value=pk %}Weigeren{% endbutton %}', pk=7) == (
        '<button type="submit" name="decision" value="7" class="utrecht-button utrecht-button--secondary-action">'
        'Weigeren</button>')


def test_a_button_escapes_its_value() -> None:
    assert 'value="&lt;b&gt;"' in render('{% button name="x" value=v %}x{% endbutton %}', v="<b>")


def test_a_button_refuses_an_unknown_attribute() -> None:
    with pytest.raises(TemplateSyntaxError):
        render('{% button onclick="x" %}x{% endbutton %}')


def test_a_button_link_takes_the_arguments_of_url() -> None:
    assert render("{% button_link 'network:organisation_new' %}Nieuw{% endbutton_link %}") == (
        '<a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" '
        f'href="{reverse("network:organisation_new")}">Nieuw</a>')


def test_a_secondary_button_link() -> None:
    assert 'utrecht-button-link--secondary-action' in render(
        "{% button_link secondary 'network:organisation_new' %}Nieuw{% endbutton_link %}")


@pytest.mark.parametrize(("kind", "markup"), [
    ("", '<span class="utrecht-badge-status nr-badge">x</span>'),
    ("ok", '<span class="utrecht-badge-status nr-badge nr-badge--ok">x</span>'),
    ("warning", '<strong class="utrecht-badge-status nr-badge nr-badge--warning">x</strong>'),
    ("danger", '<strong class="utrecht-badge-status nr-badge nr-badge--danger">x</strong>'),
])
def test_a_badge_emphasises_only_a_warning_or_danger(kind: str, markup: str) -> None:
    assert render("{% badge " + kind + " %}x{% endbadge %}") == markup


def test_a_badge_refuses_an_unknown_kind() -> None:
    with pytest.raises(TemplateSyntaxError):
        render("{% badge purple %}x{% endbadge %}")


def test_a_field_group_is_a_fieldset_with_its_legend_and_class() -> None:
    with translation.override("en"):
        markup = render('{% field_group _("Goals") "nr-panel" %}<p>x</p>{% endfield_group %}')
    assert markup == (
        '<fieldset class="utrecht-form-fieldset__fieldset utrecht-form-fieldset--html-fieldset nr-panel">'
        '<legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">Goals</legend>'
        '<p>x</p></fieldset>')


def test_a_field_group_legend_is_translated() -> None:
    with translation.override("nl"):
        assert "html-legend\">Doelen</legend>" in render('{% field_group _("Goals") %}{% endfield_group %}')


def test_a_field_group_legend_is_escaped() -> None:
    assert "&lt;i&gt;" in render("{% field_group legend %}{% endfield_group %}", legend="<i>")
