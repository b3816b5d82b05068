"""The main navigation: each entry names the roles that may see it, and the same roles guard
its view, so the menu never offers a page that would answer 404."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import user_roles
from netwerkregie.core.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    sections: tuple[str, ...] = ()  # further path prefixes that belong to this entry (breadcrumbs)


NAVIGATION = [
    NavItem(_("Today"), "home"),
    NavItem(_("Triage"), "intake:triage", frozenset({Role.COORDINATOR}), ("/signals/", "/persons/")),
    NavItem(_("Assessment"), "intake:session_list", frozenset({Role.COORDINATOR, Role.CORE_PARTNER}),
            ("/signals/", "/persons/")),
    NavItem(_("Cases"), "cases:dashboard",
            frozenset({Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER}), ("/approvals/",)),
    NavItem(_("Approvals"), "sharing:approval_list", frozenset({Role.APPROVER})),
    NavItem(_("Referrals"), "sharing:inbox", frozenset({Role.RECIPIENT})),
    NavItem(_("Case consultation"), "cases:consultation_list",
            frozenset({Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER})),
    NavItem(_("New signal"), "intake:signal_new", frozenset({Role.PARTNER})),
    NavItem(_("My signals"), "intake:my_signals", frozenset({Role.PARTNER})),
    NavItem(_("Consultations"), "intake:consultation_list", frozenset({Role.COORDINATOR, Role.PARTNER})),
    NavItem(_("Network"), "network:overview", frozenset({Role.COORDINATOR, Role.PROGRAMME_OFFICER})),
    NavItem(_("Partners"), "network:organisation_list", frozenset({Role.PARTNER})),
    NavItem(_("Prevention"), "programmes:activity_list",
            frozenset({Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PARTNER})),
    NavItem(_("Budget"), "programmes:budget", frozenset({Role.PROGRAMME_OFFICER})),
    NavItem(_("Figures"), "reports:index",
            frozenset({Role.ANALYST, Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PRIVACY_OFFICER})),
    NavItem(_("Audit log"), "core:audit_log", frozenset({Role.PRIVACY_OFFICER})),
    NavItem(_("Privacy"), "privacy:overview", frozenset({Role.PRIVACY_OFFICER})),
    NavItem(_("Access review"), "privacy:access_review", frozenset({Role.PRIVACY_OFFICER})),
    NavItem(_("Requests"), "privacy:requests", frozenset({Role.PRIVACY_OFFICER})),
    NavItem(_("Disclosures"), "sharing:ledger", frozenset({Role.PRIVACY_OFFICER})),
    NavItem(_("Role grants"), "accounts:role_grant_list", frozenset({Role.PRIVACY_OFFICER})),
    NavItem(_("Users"), "accounts:user_list", frozenset({Role.ADMIN}), ("/beheer/roltoekenningen/",)),
    NavItem(_("Catalogues"), "catalogues:index", frozenset({Role.ADMIN})),
    NavItem(_("Search"), "search:index", frozenset({Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER})),
    NavItem(_("My account"), "accounts:account"),
]


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    """The menu for this user; the entry whose pages the request is on is marked current."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    if user.requires_mfa and not user.is_verified():
        return []
    roles = user_roles(user)
    items: list[dict[str, object]] = []
    for item in NAVIGATION:
        if item.roles is not None and not roles & item.roles:
            continue
        url = reverse(item.url_name)
        items.append({"label": item.label, "url": url, "current": request.path == url,
                      "prefixes": (url, *item.sections) if url != "/" else ()})
    section = _section(request.path, items)
    for entry in items:
        entry["section"] = entry is section
    return items


def _section(path: str, items: list[dict[str, object]]) -> dict[str, object] | None:
    """The menu entry with the longest URL prefix of ``path``: the second step of the breadcrumbs."""
    best, length = None, 0
    for entry in items:
        for prefix in entry["prefixes"]:  # type: ignore[attr-defined]
            if path.startswith(prefix) and len(prefix) > length:
                best, length = entry, len(prefix)
    return best
