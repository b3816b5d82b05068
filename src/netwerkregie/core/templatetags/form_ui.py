"""Form widgets in the NL Design System's classes, with their hints and errors wired for screen readers."""

from typing import Any

from django import forms, template

register = template.Library()

_INPUT_CLASSES = {
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "radio": "utrecht-radio-button utrecht-radio-button--html-input",
    "file": "nr-file-input",
}


def widget_classes(widget: forms.Widget) -> str:
    if isinstance(widget, forms.Textarea):
        return "utrecht-textarea utrecht-textarea--html-textarea"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "utrecht-select utrecht-select--html-select"
    input_type = getattr(widget, "input_type", "text")
    return _INPUT_CLASSES.get(input_type, "utrecht-textbox utrecht-textbox--html-input")


@register.simple_tag
def nl_field(field: forms.BoundField) -> str:
    """Give the widget its component classes, and point it at its hint and error messages.

    Renders nothing: it prepares ``field`` for the template that includes it.
    """
    widget = field.field.widget
    if isinstance(field.field, forms.ModelChoiceField) and field.field.empty_label == "---------":
        field.field.empty_label = "—"  # Django's placeholder reads as a line of dashes; a dash means "none"
    classes = widget_classes(widget)
    if field.errors:
        component = classes.split()[0]
        if component in {"utrecht-textbox", "utrecht-textarea", "utrecht-select"}:
            classes += f" {component}--invalid"
        widget.attrs["aria-invalid"] = "true"
    widget.attrs["class"] = " ".join(filter(None, [classes, widget.attrs.get("class", "").strip()]))
    described: list[str] = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    if described and not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        widget.attrs["aria-describedby"] = " ".join(described)
    return ""


@register.filter
def is_choice_group(field: Any) -> bool:
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def is_single_checkbox(field: Any) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
