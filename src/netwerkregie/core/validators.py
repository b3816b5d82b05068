"""Validators for text that people type: no markup, no control characters, bounded length."""

import re

from django.core.exceptions import ValidationError
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
