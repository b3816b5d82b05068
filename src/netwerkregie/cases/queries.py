"""Work lists of cases, shared by the case dashboard and the "today" page so both count the same.
Ordered by dates only, never by anything about a person."""

import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from netwerkregie.cases.models import Action, ActionStatus, Case, CaseConsultation, CaseMembership, CaseStatus
from netwerkregie.cases.own_cases import new_first

SOON_DAYS = 14


def soon(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=SOON_DAYS)


def open_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).exclude(status=CaseStatus.CLOSED).select_related("person")


def my_cases(user: Any) -> QuerySet[Case]:
    """Open cases where the user is the case manager or an active team member, those new to her first (her
    memberships read once, as a list: no join, so no DISTINCT over every one of her cases before the first five)."""
    teams = CaseMembership.objects.filter(user=user, removed_at__isnull=True).order_by().values("case_id")
    mine = Q(case_manager=user) | Q(pk__in=teams)
    return new_first(open_cases(user).filter(mine).order_by("next_review_on", "pk"), user)


def with_open_actions(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each case with its number of open actions, counted for the rows read only (a subquery per row, not a
    join and a GROUP BY over every case of the list)."""
    actions = (Action.objects.filter(item__case=OuterRef("pk"), status=ActionStatus.OPEN).order_by()
               .values("item__case").annotate(n=Count("pk")).values("n"))
    return cases.annotate(open_actions=Coalesce(Subquery(actions), 0))


def reviews_due(user: Any, today: datetime.date) -> QuerySet[Case]:
    """Reviews due, or planned, within the coming days."""
    horizon = soon(today)
    return (open_cases(user).filter(Q(next_review_on__lte=horizon) | Q(review_planned_on__lte=horizon))
            .order_by("next_review_on", "pk"))


def actions_due(user: Any, today: datetime.date) -> QuerySet[Action]:
    return (Action.objects.filter(owner=user, status=ActionStatus.OPEN, due_on__lte=soon(today),
                                  item__case__in=Case.objects.visible_to(user))
            .select_related("item__case").order_by("due_on", "pk"))


def next_consultation(user: Any, today: datetime.date) -> CaseConsultation | None:
    return (CaseConsultation.objects.visible_to(user).filter(held_on__gte=today)
            .prefetch_related("items").order_by("held_on", "pk").first())
