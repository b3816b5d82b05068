"""Validators for text that people type: no markup, no control characters, bounded length."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

# An angle bracket that opens a tag, comment, declaration or processing instruction.
MARKUP = re.compile(r"<\s*[A-Za-z!/?]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_markup(value: str) -> None:
    if MARKUP.search(value or ""):
        raise ValidationError(
            _("Do not use HTML or script tags (text between < and >); write plain text."),
            code="markup",
        )
    if CONTROL.search(value or ""):
        raise ValidationError(_("The text contains invisible control characters."), code="control")


def clean_text(value: str, max_length: int, *, required: bool) -> str:
    """Trimmed plain text within its length, or a ValidationError saying what to change."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(gettext_now("This field is required."), code="required")
    if len(value) > max_length:
        raise ValidationError(
            gettext_now("Use at most %(max)d characters (now %(count)d).") % {"max": max_length, "count": len(value)},
            code="max_length",
        )
    no_markup(value)
    return value


def collect(errors: dict[str, list[ValidationError]], field: str, func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one validator; on failure file its error under ``field`` and return None, so a service can
    report every field's problem at once with ``raise ValidationError(errors)``."""
    try:
        return func(*args, **kwargs)
    except ValidationError as error:
        errors.setdefault(field, []).append(error)
        return None
