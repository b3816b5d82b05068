"""When and where a meeting (an assessment session, a case consultation) takes place, and the one act that
moves it. A calendar that imported the meeting's .ics file recognises a changed version by the same UID with
a higher SEQUENCE: ``calendar_sequence`` goes up each time the date, the times or the place change.

Meetings cannot be cancelled (a session or consultation stays on record with its agenda); when that comes,
the act that cancels must raise the sequence too, and the calendar file says STATUS:CANCELLED.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction
from netwerkregie.core.validators import clean_text, collect

LOCATION_MAX = 200
SCHEDULE_FIELDS = ("held_on", "starts_at", "ends_at", "location")


class ScheduledMeeting(models.Model):
    """The time and place of a meeting; ``held_on`` stays on each model (it is ordered and filtered by)."""

    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    ends_at = models.TimeField(_("end time"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=LOCATION_MAX, blank=True)
    # Raised by every change of date, time or place: calendars replace their copy only for a higher one.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True, ends_at__isnull=True)
                | models.Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start"),
        ]

    @property
    def starts(self) -> datetime.datetime | None:
        """The start as an aware time in the site's zone (Europe/Amsterdam), or None for a date only."""
        if self.starts_at is None:
            return None
        held_on: datetime.date = self.held_on  # type: ignore[attr-defined]
        return timezone.make_aware(datetime.datetime.combine(held_on, self.starts_at))

    @property
    def ends(self) -> datetime.datetime | None:
        if self.ends_at is None:
            return None
        held_on: datetime.date = self.held_on  # type: ignore[attr-defined]
        return timezone.make_aware(datetime.datetime.combine(held_on, self.ends_at))


def check_schedule(errors: dict[str, list[ValidationError]], *, starts_at: datetime.time | None,
                   ends_at: datetime.time | None, location: str) -> dict[str, Any]:
    """File what is wrong with the times and the place under their fields; return them cleaned, as the
    keyword arguments of the meeting's model."""
    if (starts_at is None) != (ends_at is None):  # a calendar entry needs both, or is for the whole day
        errors.setdefault("ends_at" if ends_at is None else "starts_at", []).append(
            ValidationError(_("Give both a start and an end time, or neither.")))
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(ValidationError(_("The end time must be after the start time.")))
    location = collect(errors, "location", clean_text, location, LOCATION_MAX, required=False) or ""
    return {"starts_at": starts_at, "ends_at": ends_at, "location": location}


def clean_schedule(*, starts_at: datetime.time | None, ends_at: datetime.time | None,
                   location: str) -> dict[str, Any]:
    """The times and place cleaned, or a ValidationError with what is wrong with them."""
    errors: dict[str, list[ValidationError]] = {}
    schedule = check_schedule(errors, starts_at=starts_at, ends_at=ends_at, location=location)
    if errors:
        raise ValidationError(errors)
    return schedule


def reschedule(meeting: ScheduledMeeting, *, held_on: datetime.date, starts_at: datetime.time | None,
               ends_at: datetime.time | None, location: str, actor: Any) -> bool:
    """Move a meeting that has not been held yet to another date, time or place. Raises the calendar
    sequence, so a calendar that has the meeting takes the new version; audited. Returns whether anything
    changed (nothing is written when nothing did). The caller checks that ``actor`` may plan the meeting."""
    errors: dict[str, list[ValidationError]] = {}
    new = {"held_on": held_on, **check_schedule(errors, starts_at=starts_at, ends_at=ends_at, location=location)}
    today = timezone.localdate()
    if meeting.held_on < today:  # type: ignore[attr-defined]
        errors.setdefault("held_on", []).append(ValidationError(_("This meeting has been held; it cannot move.")))
    elif held_on < today:
        errors.setdefault("held_on", []).append(ValidationError(_("Choose today or a later date.")))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = type(meeting)._default_manager.select_for_update().get(pk=meeting.pk)
        changed = [name for name in SCHEDULE_FIELDS if getattr(current, name) != new[name]]
        if not changed:
            return False
        for name in SCHEDULE_FIELDS:
            setattr(meeting, name, new[name])
        meeting.calendar_sequence = current.calendar_sequence + 1
        meeting.save(update_fields=[*SCHEDULE_FIELDS, "calendar_sequence"])
        log_event(AuditAction.UPDATE, actor=actor, obj=meeting, reason="meeting rescheduled",
                  detail={"changed": changed, "sequence": meeting.calendar_sequence})
    return True
