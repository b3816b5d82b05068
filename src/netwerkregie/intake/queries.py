"""Work lists of signals, shared by the triage queue and the "today" page so both count the same.
Ordered by acute danger (what the submitter reported) and the calendar, never by anything about a person."""

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from netwerkregie.core.counting import CappedCount, capped_count
from netwerkregie.core.dates import start_of_day
from netwerkregie.intake.models import AssessmentSession, Signal, SignalStatus


def triage_counts(user: Any, today: datetime.date) -> dict[str, int]:
    """New signals, those past their triage date and those with acute danger; and how many the
    coordinator decided alone at triage this year (a figure to account for, not a target)."""
    visible = Signal.objects.visible_to(user)
    counts = visible.filter(status=SignalStatus.NEW).aggregate(
        new=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)),
        acute=Count("pk", filter=Q(acute_danger=True)))
    first, after = start_of_day(datetime.date(today.year, 1, 1)), start_of_day(datetime.date(today.year + 1, 1, 1))
    counts["alone"] = visible.filter(assessment__decided_at__gte=first, assessment__decided_at__lt=after,
                                     assessment__session__isnull=True).count()  # two indexed reads, not one scan
    return counts


def new_signal_counts(user: Any, today: datetime.date) -> dict[str, CappedCount]:
    """The triage counts as "Vandaag" shows them: each read from an index and capped ("99+"), so a backlog of
    thousands costs what a quiet week does. The triage list counts them in full."""
    new = Signal.objects.visible_to(user).filter(status=SignalStatus.NEW).order_by()
    return {"new": capped_count(new), "overdue": capped_count(new.filter(due_on__lt=today)),
            "acute": capped_count(new.filter(acute_danger=True))}


def new_signals_first_due(user: Any) -> QuerySet[Signal]:
    """New signals: acute danger first, then by triage date and arrival."""
    return (Signal.objects.visible_to(user).filter(status=SignalStatus.NEW)
            .select_related("source_organisation").order_by("-acute_danger", "due_on", "received_at"))


def upcoming_sessions(user: Any, today: datetime.date) -> QuerySet[AssessmentSession]:
    return (AssessmentSession.objects.visible_to(user).filter(held_on__gte=today)
            .annotate(agenda_size=Count("signals", distinct=True)).order_by("held_on", "pk"))
