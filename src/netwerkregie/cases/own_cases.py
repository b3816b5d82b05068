"""A case manager's own cases: which are new to her (assigned, not yet opened), new ones first on her lists,
and the person's name beside the pseudonym on her own cases, each shown name a logged read of identity (as
the case's identity page logs it). Nobody else sees names in lists; the order says nothing about a person."""

from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from netwerkregie.cases.models import Case as CaseFile
from netwerkregie.core.audit import record_views


def new_to(user: Any) -> Q:
    """Cases this user manages and has not opened yet."""
    return Q(case_manager=user, case_manager_opened_at__isnull=True)


def new_first(cases: QuerySet[CaseFile], user: Any) -> QuerySet[CaseFile]:
    """The same cases, those new to ``user`` first, in the order they had."""
    order: list[Any] = [*cases.query.order_by] or [*(CaseFile._meta.ordering or ())]
    flagged = cases.annotate(new_to_user=Case(When(new_to(user), then=Value(True)), default=Value(False),
                                              output_field=BooleanField()))
    return flagged.order_by("-new_to_user", *order)


def note_opened(case: CaseFile, *, user: Any) -> bool:
    """Her first view of the case page ends "new"; anyone else's view changes nothing. True the first time."""
    if case.case_manager_id != user.pk or case.case_manager_opened_at is not None:
        return False
    case.case_manager_opened_at = timezone.now()
    return bool(CaseFile.objects.filter(pk=case.pk, case_manager_opened_at__isnull=True)
                .update(case_manager_opened_at=case.case_manager_opened_at))


def show_names(cases: list[CaseFile], user: Any, *, shown_in: str) -> list[CaseFile]:
    """Sets ``shown_name`` (the person's name) on each of ``cases`` that ``user`` manages, each a logged read of
    identity; other cases keep only their pseudonym."""
    own = [case for case in cases if case.case_manager_id == user.pk]
    record_views([(case.person, {"case": case.reference, "list": shown_in}) for case in own], actor=user,
                 purpose="case work: identity")  # one write for the page, however many rows it shows
    for case in own:
        case.shown_name = case.person.name  # type: ignore[attr-defined]
    return cases
