"""The figures of the reports, per period: counts only, computed from the domain apps' models and
suppressed (``suppression.suppress``) before they reach a template, a CSV or any other output.

Nothing here returns a row, a reference, a pseudonym or a text someone typed."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netwerkregie.cases.models import Case, ClosureReason, Ideology
from netwerkregie.intake.models import Assessment, Channel, Consultation, Decision, Signal
from netwerkregie.network.models import Sector
from netwerkregie.people.models import age_on
from netwerkregie.programmes.models import Activity, ActivityType
from netwerkregie.programmes.services import budget_lines
from netwerkregie.reports.suppression import Table, share, suppress, threshold


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @classmethod
    def of(cls, year: int, quarter: int | None = None) -> Period:
        if quarter:
            first = datetime.date(year, 3 * quarter - 2, 1)
            after = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
            return cls(first, after - datetime.timedelta(days=1))
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def label(self) -> str:
        return f"{date_format(self.start, 'j F Y')} \u2013 {date_format(self.end, 'j F Y')}"


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]
    notes: list[tuple[str, str]]  # (what, value) figures that are shares or medians, already safe


def _labelled(choices: list[tuple[str, str]], counts: Counter[str] | dict[str, int]) -> list[tuple[str, int]]:
    return [(str(label), counts.get(value, 0)) for value, label in choices]


def signals(period: Period) -> Section:
    received = Signal.objects.filter(received_at__date__range=(period.start, period.end))
    by_sector = Counter(dict(received.values_list("source_organisation__sector").annotate(n=Count("pk"))))
    by_channel = Counter(dict(received.values_list("channel").annotate(n=Count("pk"))))
    by_month = Counter(received.values_list("received_at__month", flat=True))
    months = sorted({(d.year, d.month) for d in _days(period)})
    totals = received.aggregate(all=Count("pk"), acute=Count("pk", filter=Q(acute_danger=True)))
    consultations = Consultation.objects.filter(created_at__date__range=(period.start, period.end)).aggregate(
        asked=Count("pk"), advised=Count("pk", filter=Q(advised_at__isnull=False)))
    return Section("signals", _("Signals"), [
        suppress(_("Signals by sector of the sender"), _labelled(Sector.choices, by_sector)),
        suppress(_("Signals by channel"), _labelled(Channel.choices, by_channel)),
        suppress(_("Signals by month"), [(date_format(datetime.date(y, m, 1), "F Y"), by_month.get(m, 0))
                                        for y, m in months]),
        suppress(_("Anonymous consultations"), [(_("asked"), consultations["asked"]),
                                                (_("advised"), consultations["advised"])], with_total=False),
    ], [(_("Share with acute danger"), share(totals["acute"], totals["all"]))])


def assessments(period: Period) -> Section:
    decided = Assessment.objects.filter(decided_at__date__range=(period.start, period.end))
    by_decision = Counter(dict(decided.values_list("decision").annotate(n=Count("pk"))))
    counts = decided.aggregate(all=Count("pk"), alone=Count("pk", filter=Q(assessed_by_one_party=True)),
                               triage=Count("pk", filter=Q(session__isnull=True)))
    return Section("assessments", _("Assessments"), [
        suppress(_("Assessments by decision"), _labelled(Decision.choices, by_decision)),
    ], [(_("Share assessed by one party"), share(counts["alone"], counts["all"])),
        (_("Share decided alone at triage"), share(counts["triage"], counts["all"]))])


AGE_BANDS = [("minor", _("under 18")), ("young_adult", _("18 to 23")), ("adult", _("24 and older")),
             ("unknown", _("unknown"))]


def _age_band(birth_date: datetime.date | None, day: datetime.date) -> str:
    if birth_date is None:
        return "unknown"
    age = age_on(birth_date, day)
    return "minor" if age < 18 else "young_adult" if age <= 23 else "adult"


def cases(period: Period) -> Section:
    opened = Case.objects.filter(opened_on__range=(period.start, period.end)).select_related("person")
    closed = Case.objects.filter(closed_on__range=(period.start, period.end))
    running = Case.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=period.end), opened_on__lte=period.end)
    # Decrypted here, on the server, only to count: the age band leaves, the date never does.
    bands = Counter(_age_band(case.person.birth_date, case.opened_on) for case in opened)
    by_ideology = Counter(dict(opened.values_list("ideology").annotate(n=Count("pk"))))
    reasons = Counter(dict(closed.values_list("closure_reason").annotate(n=Count("pk"))))
    durations = sorted((c.closed_on - c.opened_on).days for c in closed.only("opened_on", "closed_on"))
    median = durations[len(durations) // 2] if durations else None
    return Section("cases", _("Cases and support plans"), [
        suppress(_("Cases opened, running and closed"), [(_("opened"), opened.count()),
                                                         (_("running at the end"), running.count()),
                                                         (_("closed"), closed.count())], with_total=False),
        suppress(_("Cases opened by ideology involved"), _labelled(Ideology.choices, by_ideology)),
        suppress(_("Cases opened by age band"), _labelled(AGE_BANDS, bands)),
        suppress(_("Cases closed by reason"), _labelled(ClosureReason.choices, reasons)),
    ], [(_("Median duration of closed cases (days)"),
         str(median) if median is not None and len(durations) >= threshold() else "—")])


def prevention(period: Period) -> Section:
    held = Activity.objects.filter(starts_on__range=(period.start, period.end))
    per_type = {kind: (n, people or 0) for kind, n, people in
                held.values_list("type").annotate(n=Count("pk"), people=Sum("participants"))}
    return Section("prevention", _("Prevention"), [
        suppress(_("Activities by type"), [(str(label), per_type.get(value, (0, 0))[0])
                                           for value, label in ActivityType.choices]),
        # Participants are counts of people taking part, not persons of concern; below the threshold they
        # are still suppressed, because a small group can be recognised.
        suppress(_("Participants by type of activity"), [(str(label), per_type.get(value, (0, 0))[1])
                                                         for value, label in ActivityType.choices]),
    ], [])


def budget(period: Period) -> Section:
    """Money is not about persons: shown in full, per funding source, for the years of the period."""
    lines = [line for line in budget_lines() if period.start.year <= line.year <= period.end.year]
    return Section("budget", _("Budget"), [], [
        (f"{line.year} · {line.source_label}",
         _("budget € %(budget)s, spent € %(spent)s, remaining € %(remaining)s") % {
             "budget": _money(line.budget), "spent": _money(line.spent), "remaining": _money(line.remaining)})
        for line in lines])


def _money(value: Decimal) -> str:
    whole, cents = f"{value:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + f",{cents}"


def _days(period: Period) -> list[datetime.date]:
    day, days = period.start, []
    while day <= period.end:
        days.append(day)
        day = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return days


SECTIONS = {"signals": signals, "assessments": assessments, "cases": cases, "prevention": prevention,
            "budget": budget}
