"""The demo's role grants, made through the services: a new case manager whom the administrator created and whose
role waits for the data protection officer, and a grant the officer refused (the analyst needs no referrals)."""

from __future__ import annotations

from netwerkregie.accounts import users as accounts
from netwerkregie.core import grants
from netwerkregie.core.models import RoleGrantRequest, User
from netwerkregie.core.roles import Role


def load_role_grants(users: dict[str, User]) -> bool:
    if RoleGrantRequest.objects.exists():
        return False
    admin, officer, analyst = users[Role.ADMIN], users[Role.PRIVACY_OFFICER], users[Role.ANALYST]
    accounts.create_user(email="casusregisseur.nieuw@demo.netwerkregie.test", full_name="Noor Kuipers",
                         organisation=admin.organisation, roles=[Role.CASE_MANAGER], actor=admin)
    accounts.update_user(analyst, email=analyst.email, full_name=analyst.full_name, organisation=analyst.organisation,
                         roles=[Role.ANALYST, Role.RECIPIENT], is_active=True, actor=admin)
    grants.refuse_grant(analyst.role_grant_requests.get(role=Role.RECIPIENT), actor=officer,
                        reason="Een beleidsmedewerker werkt met cijfers, niet met verwijzingen.")
    return True
