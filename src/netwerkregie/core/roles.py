"""The roles of docs/architecture.md. A user may hold several; none of them, superuser or not, bypasses
the access rules in ``access.py`` and the ``visible_to`` querysets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Network coordinator")
    CORE_PARTNER = "core_partner", _("Core partner")
    CASE_MANAGER = "case_manager", _("Case manager")
    PARTNER = "partner", _("Network partner")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    PRIVACY_OFFICER = "privacy_officer", _("Data protection officer")
    ANALYST = "analyst", _("Policy analyst")
    # Staff of an organisation that receives referrals (an exit programme, youth care, probation): they see
    # the referrals to their own organisation and, once they accept one, exactly the data passed with it.
    RECIPIENT = "recipient", _("Receiving organisation")
    # A second pair of eyes for weighty acts (a closure, a compulsory plan, a referral passing police data) where
    # the municipality has one coordinator: a team leader, the public-order adviser. It decides approvals and
    # reads, read-only, what it approves; nothing else (``approvals/approvers.py``).
    APPROVER = "approver", _("Approver")
    ADMIN = "admin", _("Administrator")


def approver_roles() -> frozenset[str]:
    """The roles whose holders approve another's act: APPROVER_ROLES (the coordinator by default) and always the
    approver role, which exists for nothing else."""
    return frozenset(settings.APPROVER_ROLES) | {Role.APPROVER}


def roles_requiring_mfa() -> frozenset[str]:
    """Every role that can see personal data needs a second factor; the exempt ones are set."""
    return frozenset(Role.values) - frozenset(settings.MFA_EXEMPT_ROLES)


# Separation of duties (DESIGN.md, roles table). A grant of one of these roles sees personal data or oversees
# others: it waits until a second person confirms it (``core.grants``). The recipient sees the data passed with
# a referral; the administrator grants roles. Removing a role never waits.
# Roles whose work is for an organisation in the network; they cannot exist without one.
ORGANISATION_ROLES = frozenset({Role.PARTNER, Role.CORE_PARTNER})

SECOND_PERSON_ROLES = frozenset({Role.COORDINATOR, Role.CORE_PARTNER, Role.CASE_MANAGER, Role.PRIVACY_OFFICER,
                                 Role.RECIPIENT, Role.ADMIN, Role.APPROVER})

# Roles one account never holds together: who grants roles is not who reviews the log of the grants.
EXCLUSIVE_ROLES = frozenset({Role.ADMIN, Role.PRIVACY_OFFICER})


def exclusive_combination(roles: set[str] | frozenset[str]) -> bool:
    return set(roles) >= EXCLUSIVE_ROLES
