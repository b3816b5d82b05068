"""{% link %} and {% link_to %} write the NL Design System link exactly as the templates wrote it by hand."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context: object) -> str:
    return Template("{% load nl_design %}" + source).render(Context(context))


def test_link_takes_the_arguments_of_url() -> None:
    assert render("{% link 'accessibility_statement' %}Verklaring{% endlink %}") == (
        '<a class="utrecht-link utrecht-link--html-a" href="/toegankelijkheid/">Verklaring</a>')


def test_link_to_escapes_the_address_and_keeps_the_content_as_rendered() -> None:
    html = render("{% link_to href %}<b>{{ name }}</b>{% endlink_to %}", href='/a?b=1&c="2"', name="<i>")
    assert html == ('<a class="utrecht-link utrecht-link--html-a" href="/a?b=1&amp;c=&quot;2&quot;">'
                    "<b>&lt;i&gt;</b></a>")


def test_link_does_not_take_as() -> None:
    with pytest.raises(TemplateSyntaxError):
        render("{% link 'accessibility_statement' as address %}x{% endlink %}")
