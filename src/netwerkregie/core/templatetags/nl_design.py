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
from django.utils.html import format_html
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
