"""Validators for text that people type: no markup, no control characters, bounded length."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

# An angle bracket that opens a tag, comment, declaration or processing instruction.
MARKUP = re.compile(r"<\s*[A-Za-z!/?]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidirectional embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069): they can make text
# read differently from how it is stored (a name shown reversed in a list). Refused in all text.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# In a name also the direction marks (U+200E, U+200F) and zero-width characters (U+200B-U+200D,
# U+2060, U+FEFF): invisible, they make two names that look the same differ (or a search miss).
# Longer text keeps them: Arabic, Persian and Hebrew sentences and emoji sequences use them.
HIDDEN_IN_NAMES = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u200b-\u200d\u2060\ufeff]")


def no_markup(value: str) -> None:
    if MARKUP.search(value or ""):
        raise ValidationError(
            _("Do not use HTML or script tags (text between < and >); write plain text."),
            code="markup",
        )
    if CONTROL.search(value or ""):
        raise ValidationError(_("The text contains invisible control characters."), code="control")
    if BIDI_CONTROLS.search(value or ""):
        raise ValidationError(
            _("The text contains invisible characters that change the reading direction; type it again "
              "without copying it from elsewhere."),
            code="bidi",
        )


def no_hidden_characters(value: str) -> None:
    """For names (of persons, contacts, users, organisations): no invisible formatting characters at all.
    Used by the API's serializers and the web forms alike."""
    if HIDDEN_IN_NAMES.search(value or ""):
        raise ValidationError(
            _("The name contains invisible characters (such as a direction mark or a zero-width space); "
              "type it again without copying it from elsewhere."),
            code="hidden_characters",
        )


def without_hidden_characters(value: str) -> str:
    """A name that another system gave (the identity provider's claims) with what ``no_hidden_characters`` and
    ``no_markup`` refuse in a typed name taken out: the provider's name cannot be typed again, so it is cleaned
    rather than refused. Runs of white space become one space."""
    visible = HIDDEN_IN_NAMES.sub("", CONTROL.sub(" ", value or ""))
    return " ".join(visible.split())


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
