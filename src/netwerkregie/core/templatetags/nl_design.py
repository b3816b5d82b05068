"""The NL Design System's components as template tags, so a template names what it shows (a link) rather
than repeating the component's classes.

``{% link 'app:view' arg %}text{% endlink %}`` takes the arguments of ``{% url %}``;
``{% link_to expression %}text{% endlink_to %}`` takes an address from a variable. Both render
``<a class="utrecht-link utrecht-link--html-a" href="…">text</a>``.
"""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode, url
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

LINK_CLASSES = "utrecht-link utrecht-link--html-a"


class LinkNode(template.Node):
    def __init__(self, href: URLNode | FilterExpression, nodelist: NodeList) -> None:
        self.href, self.nodelist = href, nodelist

    def render(self, context: Context) -> SafeString:
        # {% url %} and the nodelist return safe (already escaped) text; a variable's address is escaped here.
        href = self.href.render(context) if isinstance(self.href, URLNode) else self.href.resolve(context)
        return format_html('<a class="{}" href="{}">{}</a>', LINK_CLASSES, href, self.nodelist.render(context))


@register.tag
def link(parser: Parser, token: Token) -> LinkNode:
    href = url(parser, token)  # the same arguments as {% url %}, checked the same way
    if href.asvar:
        raise template.TemplateSyntaxError("{% link %} renders a link; it takes no 'as'.")
    nodelist = parser.parse(("endlink",))
    parser.delete_first_token()
    return LinkNode(href, nodelist)


@register.tag
def link_to(parser: Parser, token: Token) -> LinkNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% link_to %} takes one address.")
    nodelist = parser.parse(("endlink_to",))
    parser.delete_first_token()
    return LinkNode(parser.compile_filter(bits[1]), nodelist)


# --- Buttons, badges and field groups --------------------------------------------------------------------
#
# ``{% button %}Save{% endbutton %}`` is the form's primary action, ``{% button secondary name="x" value=y %}``
# a secondary one (``name`` and ``value`` are optional; a submit button either way).
# ``{% button_link 'app:view' arg %}text{% endbutton_link %}`` is a link that looks like a primary button
# (``{% button_link secondary … %}`` a secondary one); it takes the arguments of ``{% url %}``.
# ``{% badge %}``, ``{% badge ok %}``, ``{% badge warning %}`` and ``{% badge danger %}`` mark a status; a warning
# or danger is emphasised (``<strong>``), the others are not.
# ``{% field_group _("Legend") %}…{% endfield_group %}`` is a fieldset with its legend; a second argument adds a
# class (``"nr-panel"``).

ACTIONS = ("primary", "secondary")
BADGES = {"": ("span", ""), "ok": ("span", " nr-badge--ok"), "warning": ("strong", " nr-badge--warning"),
          "danger": ("strong", " nr-badge--danger")}
BUTTON_ATTRIBUTES = ("name", "value")


def _action(bits: list[str]) -> tuple[str, list[str]]:
    """The action (primary unless the first argument says ``secondary``) and the remaining arguments."""
    if bits and bits[0] == "secondary":
        return "secondary", bits[1:]
    return "primary", bits


class ButtonNode(template.Node):
    def __init__(self, action: str, attributes: list[tuple[str, FilterExpression]], nodelist: NodeList) -> None:
        self.action, self.attributes, self.nodelist = action, attributes, nodelist

    def render(self, context: Context) -> SafeString:
        attributes = format_html_join("", ' {}="{}"', ((name, value.resolve(context))
                                                        for name, value in self.attributes))
        return format_html('<button type="submit"{} class="utrecht-button utrecht-button--{}-action">{}</button>',
                           attributes, self.action, self.nodelist.render(context))


@register.tag
def button(parser: Parser, token: Token) -> ButtonNode:
    action, bits = _action(token.split_contents()[1:])
    attributes = []
    for bit in bits:
        name, _sign, value = bit.partition("=")
        if name not in BUTTON_ATTRIBUTES or not value:
            raise template.TemplateSyntaxError("{% button %} takes 'secondary', name=… and value=….")
        attributes.append((name, parser.compile_filter(value)))
    nodelist = parser.parse(("endbutton",))
    parser.delete_first_token()
    return ButtonNode(action, attributes, nodelist)


class ButtonLinkNode(template.Node):
    def __init__(self, action: str, href: URLNode, nodelist: NodeList) -> None:
        self.action, self.href, self.nodelist = action, href, nodelist

    def render(self, context: Context) -> SafeString:
        return format_html('<a class="utrecht-button-link utrecht-button-link--html-a '
                           'utrecht-button-link--{}-action" href="{}">{}</a>',
                           self.action, self.href.render(context), self.nodelist.render(context))


@register.tag
def button_link(parser: Parser, token: Token) -> ButtonLinkNode:
    name, *rest = token.split_contents()
    action, bits = _action(rest)
    href = url(parser, Token(token.token_type, " ".join([name, *bits])))  # checked as {% url %} checks
    if href.asvar:
        raise template.TemplateSyntaxError("{% button_link %} renders a link; it takes no 'as'.")
    nodelist = parser.parse(("endbutton_link",))
    parser.delete_first_token()
    return ButtonLinkNode(action, href, nodelist)


class BadgeNode(template.Node):
    def __init__(self, kind: str, nodelist: NodeList) -> None:
        self.kind, self.nodelist = kind, nodelist

    def render(self, context: Context) -> SafeString:
        element, modifier = BADGES[self.kind]
        return format_html('<{} class="utrecht-badge-status nr-badge{}">{}</{}>', element, modifier,
                           self.nodelist.render(context), element)


@register.tag
def badge(parser: Parser, token: Token) -> BadgeNode:
    bits = token.split_contents()[1:]
    kind = bits[0] if bits else ""
    if len(bits) > 1 or kind not in BADGES:
        raise template.TemplateSyntaxError("{% badge %} takes one of: ok, warning, danger (or nothing).")
    nodelist = parser.parse(("endbadge",))
    parser.delete_first_token()
    return BadgeNode(kind, nodelist)


class FieldGroupNode(template.Node):
    def __init__(self, legend: FilterExpression, extra: FilterExpression | None, nodelist: NodeList) -> None:
        self.legend, self.extra, self.nodelist = legend, extra, nodelist

    def render(self, context: Context) -> SafeString:
        extra = self.extra.resolve(context) if self.extra is not None else ""
        return format_html('<fieldset class="utrecht-form-fieldset__fieldset utrecht-form-fieldset--html-fieldset{}">'
                           '<legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">'
                           '{}</legend>{}</fieldset>', f" {extra}" if extra else "", self.legend.resolve(context),
                           self.nodelist.render(context))


@register.tag
def field_group(parser: Parser, token: Token) -> FieldGroupNode:
    bits = token.split_contents()[1:]
    if len(bits) not in (1, 2):
        raise template.TemplateSyntaxError("{% field_group %} takes a legend and, optionally, a class.")
    extra = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endfield_group",))
    parser.delete_first_token()
    return FieldGroupNode(parser.compile_filter(bits[0]), extra, nodelist)
