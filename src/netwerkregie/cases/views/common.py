"""What every case page shares: its audience and the one way to fetch the case it is about."""

from django.http import Http404, HttpRequest

from netwerkregie.cases.models import Case
from netwerkregie.cases.policy import can_edit, can_manage
from netwerkregie.core.access import get_visible_or_404
from netwerkregie.core.roles import Role

CASE_ROLES = (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER)


def get_case(request: HttpRequest, reference: str, *, edit: bool = False, manage: bool = False) -> Case:
    """The case if this user may see it (and edit or manage it, where asked); otherwise 404."""
    case = get_visible_or_404(Case.objects.select_related("person", "case_manager"), request.user,
                              reference=reference)
    if (manage and not can_manage(case, request.user)) or (edit and not can_edit(case, request.user)):
        raise Http404
    return case
