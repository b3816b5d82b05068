"""The figures of the reports, per period: counts only, computed from the facts that
``privacy.remnants`` reads off each record (still here, or already deleted and left as a statistical
remnant), and suppressed (``suppression.suppress``) before they reach a template, a CSV or a PDF.

Nothing here returns a row, a reference, a pseudonym or a text someone typed."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netwerkregie.cases.forms import INTERVENTION_STATUS
from netwerkregie.cases.models import Case, ClosureReason, Ideology, InterventionType, PlanVersion
from netwerkregie.core.dates import start_of_day
from netwerkregie.intake.models import (
    Channel,
    Consultation,
    Decision,
)
from netwerkregie.network.models import ContactKind, ContactMoment, Neighbourhood, Organisation, Sector
from netwerkregie.privacy.models import RemnantKind, StatisticalRemnant
from netwerkregie.privacy.remnants import Facts, case_facts, consultation_facts, contact_moment_facts
from netwerkregie.programmes.models import Activity, ActivityType, Budget, Expense, ExpenseCategory
from netwerkregie.reports.suppression import Table, share, suppress, threshold
from netwerkregie.reports.tallies import Key, signal_counts


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

    @property
    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """From the first moment of the first day to the first moment after the last, local time."""
        return start_of_day(self.start), start_of_day(self.end + datetime.timedelta(days=1))

    def holds(self, iso_day: str | None) -> bool:
        return iso_day is not None and self.start.isoformat() <= iso_day <= self.end.isoformat()


@dataclass
class MoneyTable:
    """Amounts of money, not about persons: shown in full, with the column titles it has."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]
    notes: list[tuple[str, str]]  # (what, value) figures that are shares or medians, already safe
    money: list[MoneyTable] = field(default_factory=list)


def _facts(kind: str, live: Iterable[object], read: Callable[[object], Facts], period: Period) -> list[Facts]:
    """The facts of every record of one kind whose life overlaps the period: read off the records
    still here, and taken from the remnants of those already deleted."""
    gone = StatisticalRemnant.objects.filter(kind=kind, first_on__lte=period.end, last_on__gte=period.start)
    return [read(record) for record in live] + [{**r.facts, "erased": True} for r in gone]


def _labelled(choices: Iterable[tuple[str, object]], counts: Counter[str]) -> list[tuple[str, int]]:
    return [(str(label), counts.get(value, 0)) for value, label in choices]


def _neighbourhoods() -> list[tuple[str | None, str]]:
    return [*Neighbourhood.objects.order_by("name").values_list("code", "name"), (None, _("unknown"))]


def _days_between(first: str, last: str) -> int:
    return (datetime.date.fromisoformat(last) - datetime.date.fromisoformat(first)).days


def _median_days(days: list[int]) -> str:
    return number_format(median(days), 0) if len(days) >= threshold() else "—"


_REPORT: ContextVar[dict[tuple[str, Period], Any] | None] = ContextVar("report_facts", default=None)


@contextmanager
def one_report() -> Iterator[None]:
    """Sections built inside share the facts they read (signals feed three sections, cases two)."""
    token = _REPORT.set({})
    try:
        yield
    finally:
        _REPORT.reset(token)


def _shared(kind: str, period: Period, read: Callable[[Period], Any]) -> Any:
    cache = _REPORT.get()
    if cache is None:
        return read(period)
    if (kind, period) not in cache:
        cache[(kind, period)] = read(period)
    return cache[(kind, period)]


def signal_counts_in(period: Period) -> Counter[Key]:
    return _shared("signals", period, signal_counts)  # type: ignore[no-any-return]


def case_facts_in(period: Period) -> list[Facts]:
    return _shared("cases", period, _case_facts_in)


def _case_facts_in(period: Period) -> list[Facts]:
    live = (Case.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start),
                                opened_on__lte=period.end)
            .select_related("person__neighbourhood")
            .prefetch_related(Prefetch("plan_versions", PlanVersion.objects.order_by("-number")), "reviews",
                              "justifications"))
    return _facts(RemnantKind.CASE, live, case_facts, period)


def _of(counts: Counter[Key], what: str) -> Counter[Any]:
    return Counter({key[1]: n for key, n in counts.items() if key[0] == what})


def _pair(counts: Counter[Key], what: str) -> tuple[int, int]:
    """How many of ``what`` are true, and how many there are."""
    return counts[(what, True)], counts[(what, True)] + counts[(what, False)]


def signals(period: Period) -> Section:
    counts = signal_counts_in(period)
    received = counts[("received",)]
    on_time, triaged = _pair(counts, "triaged")
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    by_month = _of(counts, "month")
    consultations = _facts(RemnantKind.CONSULTATION, Consultation.objects.filter(
        created_at__gte=period.moments[0], created_at__lt=period.moments[1]), consultation_facts, period)
    consultations = [f for f in consultations if period.holds(f["asked_on"])]
    return Section("signals", _("Signals"), [
        suppress(_("Signals by sector of the sender"), _labelled(Sector.choices, _of(counts, "sector"))),
        suppress(_("Signals by channel"), _labelled(Channel.choices, _of(counts, "channel"))),
        suppress(_("Signals by month"), [(date_format(m, "F Y"), by_month.get(m.isoformat()[:7], 0)) for m in months]),
        suppress(_("Signals by neighbourhood of the person"),
                 _labelled(_neighbourhoods(), _of(counts, "neighbourhood"))),
        suppress(_("Triage within the due date"), [
            (_("on time"), on_time), (_("late"), triaged - on_time), (_("not yet triaged"), received - triaged)]),
        suppress(_("Anonymous consultations"), [(_("asked"), len(consultations)),
                                                (_("advised"), sum(f["advised"] for f in consultations))],
                 with_total=False),
    ], [(_("Share with acute danger"), share(counts[("acute", True)], received)),
        (_("Share about a minor"), share(counts[("minor", True)], received)),
        (_("Median days from receipt to triage"),
         _median_days([days for days, n in _of(counts, "triage_days").items() for _n in range(n)])),
        (_("Share triaged within the due date"), share(on_time, triaged))])


def assessments(period: Period) -> Section:
    counts = signal_counts_in(period)
    one_party, decided = _pair(counts, "one_party")
    erased, unfounded = _pair(counts, "unfounded")
    return Section("assessments", _("Assessments"), [
        suppress(_("Assessments by decision"), _labelled(Decision.choices, _of(counts, "decision"))),
        suppress(_("Concern unfounded: personal data"), [(_("erased"), erased),
                                                         (_("to be erased"), unfounded - erased)]),
    ], [(_("Share assessed by one party"), share(one_party, decided)),
        (_("Share decided alone at triage"), share(counts[("at_triage", True)], decided)),
        (_("Share concern unfounded"), share(unfounded, decided))])


def oversight_case_counts(period: Period) -> tuple[int, int, int]:
    """The oversight's rows about cases: re-justified in writing, re-justified by a review, lapsed. Kept apart
    by ``reports.kept`` (a new signal does not move them; reading every case's plan does cost)."""
    return _shared("oversight-cases", period, _oversight_case_counts)  # type: ignore[no-any-return]


def _oversight_case_counts(period: Period) -> tuple[int, int, int]:
    cases = case_facts_in(period)
    rejustified = [(d, by_review) for f in cases for d, by_review in f.get("rejustified", []) if period.holds(d)]
    return (sum(not by_review for _d, by_review in rejustified), sum(by_review for _d, by_review in rejustified),
            sum(period.holds(f["closed_on"]) for f in cases if f["closure_reason"] == ClosureReason.LAPSED))


def seed(kind: str, period: Period, value: object) -> None:
    """Inside ``one_report``: what ``kind`` is for the period, known already (``reports.kept``)."""
    shared = _REPORT.get()
    if shared is not None:
        shared[(kind, period)] = value


def oversight(period: Period) -> Section:
    """What the privacy officer watches: identities revealed in pseudonymous assessment, registrations
    re-justified (in writing or by a review) and registrations that lapsed."""
    counts = signal_counts_in(period)
    in_writing, by_review, case_lapsed = oversight_case_counts(period)
    revealed, joint = _pair(counts, "joint")
    return Section("oversight", _("Pseudonymous assessment and registrations that lapse"), [
        suppress(_("Identities revealed, re-justifications and lapses"), [
            (_("identities revealed to a participant"), counts[("revealed",)]),
            (_("monitoring re-justified"), counts[("rejustified",)]),
            (_("case re-justified in writing"), in_writing),
            (_("case re-justified by a review"), by_review),
            (_("monitoring lapsed"), counts[("lapsed",)]),
            (_("case lapsed"), case_lapsed),
        ], with_total=False),
    ], [(_("Share of joint assessments with the identity revealed"), share(revealed, joint))])


AGE_BANDS = [("minor", gettext_lazy("under 18")), ("young_adult", gettext_lazy("18 to 23")),
             ("adult", gettext_lazy("24 and older")), ("unknown", gettext_lazy("unknown"))]


def _running_in(period: Period, starts: str, ends: str | None) -> bool:
    return starts <= period.end.isoformat() and (ends is None or ends >= period.start.isoformat())


def cases(period: Period) -> Section:
    facts = case_facts_in(period)
    end = period.end.isoformat()
    opened = [f for f in facts if period.holds(f["opened_on"])]
    closed = [f for f in facts if period.holds(f["closed_on"])]
    running = [f for f in facts if f["opened_on"] <= end and (f["closed_on"] is None or f["closed_on"] > end)]
    interventions = [i for f in facts for i in f["interventions"] if _running_in(period, i[2], i[3])]
    reviews = [r for f in facts for r in f["reviews"] if period.holds(r[0])]
    kinds = [(t.code, str(t)) for t in InterventionType.objects.order_by("label_nl")]
    return Section("cases", _("Cases and support plans"), [
        suppress(_("Cases opened, running and closed"), [(_("opened"), len(opened)),
                                                         (_("running at the end"), len(running)),
                                                         (_("closed"), len(closed))], with_total=False),
        suppress(_("Cases opened by ideology involved"), _labelled(Ideology.choices, Counter(f["ideology"]
                                                                                           for f in opened))),
        suppress(_("Cases opened by age band"), _labelled(AGE_BANDS, Counter(f["age_band"] for f in opened))),
        suppress(_("Cases opened by neighbourhood of the person"),
                 _labelled(_neighbourhoods(), Counter(f["neighbourhood"] for f in opened))),
        suppress(_("Cases closed by reason"), _labelled(ClosureReason.choices, Counter(f["closure_reason"]
                                                                                     for f in closed))),
        suppress(_("Interventions in the period by type"), _labelled(kinds, Counter(i[0] for i in interventions))),
        suppress(_("Interventions in the period by status"),
                 _labelled(INTERVENTION_STATUS, Counter(i[1] for i in interventions))),
        suppress(_("Reviews held"), [(_("on time"), sum(r[1] is True for r in reviews)),
                                     (_("late"), sum(r[1] is False for r in reviews)),
                                     (_("due date not recorded"), sum(r[1] is None for r in reviews))]),
    ], [(_("Median duration of closed cases (days)"),
         _median_days([_days_between(f["opened_on"], f["closed_on"]) for f in closed]))])


def prevention(period: Period) -> Section:
    held = list(Activity.objects.filter(starts_on__range=(period.start, period.end))
                .select_related("neighbourhood").prefetch_related("organisations"))
    people: Counter[str] = Counter()
    for activity in held:
        people[activity.type] += activity.participants
    rated = [a.average_rating for a in held if a.average_rating is not None]
    moments = _facts(RemnantKind.CONTACT_MOMENT, ContactMoment.objects.filter(
        happened_on__range=(period.start, period.end)).prefetch_related("organisations"), contact_moment_facts, period)
    moments = [f for f in moments if period.holds(f["happened_on"])]
    partners = Organisation.objects.filter(is_active=True).prefetch_related("neighbourhoods")
    covered = {hood.pk for organisation in partners for hood in organisation.neighbourhoods.all()}
    return Section("prevention", _("Prevention and the network"), [
        suppress(_("Activities by type"), _labelled(ActivityType.choices, Counter(a.type for a in held))),
        # Participants are counts of people taking part, not persons of concern; below the threshold they
        # are still suppressed, because a small group can be recognised.
        suppress(_("Participants by type of activity"), _labelled(ActivityType.choices, people)),
        suppress(_("Activities by neighbourhood"), _labelled(
            _neighbourhoods(), Counter(a.neighbourhood.code if a.neighbourhood else None for a in held))),
        # An activity with partners of two sectors counts for both: no total.
        suppress(_("Activities by sector of the partners involved"), _labelled(
            Sector.choices, Counter(s for a in held for s in {o.sector for o in a.organisations.all()})),
            with_total=False),
        suppress(_("Contact moments with the network by kind"),
                 _labelled(ContactKind.choices, Counter(f["kind"] for f in moments))),
        suppress(_("Contact moments by sector of the partner"),
                 _labelled(Sector.choices, Counter(s for f in moments for s in f["sectors"])), with_total=False),
        suppress(_("Partner organisations in the network by sector (today)"),
                 _labelled(Sector.choices, Counter(o.sector for o in partners)), protect=False),
    ], [(_("Average rating by participants (1 to 10)"),
         number_format(sum(rated) / len(rated), 1) if len(rated) >= threshold() else "—"),
        (_("Neighbourhoods where a partner works (today)"),
         _("%(covered)d of %(all)d") % {"covered": len(covered), "all": Neighbourhood.objects.count()})])


def money(value: Decimal) -> str:
    return f"€ {number_format(value, 2, force_grouping=True)}"


def budget(period: Period) -> Section:
    """Money is not about persons: shown in full. Budgets of the years of the period; spending in it."""
    budgets = Budget.objects.filter(year__range=(period.start.year, period.end.year)).order_by("year", "source")
    spent_in: QuerySet[Expense] = Expense.objects.filter(spent_on__range=(period.start, period.end))
    spent: Counter[tuple[int, str]] = Counter()
    until_end = dict(Expense.objects.filter(spent_on__lte=period.end, budget__in=budgets).values("budget")
                     .annotate(total=Sum("amount")).values_list("budget", "total"))
    by_type: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    for expense in spent_in.select_related("budget", "activity"):
        spent[(expense.budget.year, expense.budget.source)] += expense.amount
        by_type[expense.activity.type if expense.activity else ""] += expense.amount
        by_category[expense.category] += expense.amount
    columns = [_("Budget"), _("Spent in the period"), _("Remaining at the end of the period")]
    per_source = MoneyTable(_("Budget per funding source and year"), columns, [
        (f"{b.year} · {b.get_source_display()}",
         [money(b.amount), money(Decimal(spent[(b.year, b.source)])),
          money(b.amount - until_end.get(b.pk, Decimal(0)))]) for b in budgets])
    types = [*ActivityType.choices, ("", _("not linked to an activity"))]
    return Section("budget", _("Budget"), [], [], [
        per_source,
        MoneyTable(_("Spent per type of activity"), [_("Spent")],
                   [(str(label), [money(Decimal(by_type[value]))]) for value, label in types if by_type[value]]),
        MoneyTable(_("Spent per category"), [_("Spent")],
                   [(str(label), [money(Decimal(by_category[value]))]) for value, label in ExpenseCategory.choices
                    if by_category[value]]),
    ])


SECTIONS = {"signals": signals, "assessments": assessments, "cases": cases, "oversight": oversight,
            "prevention": prevention, "budget": budget}



def recount(keys: tuple[str, ...], period: Period) -> list[Section]:
    """The sections ``keys`` for the period, counted from scratch (``reports.kept`` keeps them per state)."""
    with one_report():
        return [SECTIONS[name](period) for name in keys]
