"""System checks that keep the design's guarantees from eroding as models are added."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured

from netwerkregie.core.access import AccessQuerySet
from netwerkregie.core.crypto import fernet
from netwerkregie.core.roles import ORGANISATION_ROLES, Role


@register()
def personal_data_models_have_access_and_retention(**kwargs: Any) -> list[CheckMessage]:
    """A model that declares ``holds_personal_data = True`` needs visible_to and retain_until."""
    errors: list[CheckMessage] = []
    for model in apps.get_models():
        if not getattr(model, "holds_personal_data", False):
            continue
        if not isinstance(model._default_manager.all(), AccessQuerySet):
            errors.append(
                Error(f"{model._meta.label} holds personal data but has no visible_to(user).",
                      id="netwerkregie.E001")
            )
        if "retain_until" not in {f.name for f in model._meta.get_fields()}:
            errors.append(
                Error(f"{model._meta.label} holds personal data but has no retain_until.",
                      id="netwerkregie.E002")
            )
    return errors


@register(Tags.security, deploy=True)
def demo_mode_is_not_deployed(**kwargs: Any) -> list[CheckMessage]:
    if settings.DEMO:
        return [CheckWarning("DEMO mode is on: demo accounts and visible one-time codes.",
                             id="netwerkregie.W001")]
    return []


@register()
def encryption_keys_are_usable(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    try:
        fernet()
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="netwerkregie.E003"))
    if len(settings.IDENTIFIER_HASH_KEY) < 32:
        errors.append(Error("IDENTIFIER_HASH_KEY must be at least 32 characters.", id="netwerkregie.E004"))
    return errors


REQUIRED_STATIC = ("nlds/components/index.css", "nlds/tokens/theme.css", "nlds/font/wght.css")


@register()
def interface_assets_are_present(**kwargs: Any) -> list[CheckMessage]:
    """The NL Design System's CSS (from npm) and the configured theme must be servable, collected or not:
    without them every page renders unstyled while every view still answers 200."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    theme = f"netwerkregie/themes/{settings.THEME}"
    missing = [path for path in (*REQUIRED_STATIC, f"{theme}/theme.css", f"{theme}/logo.svg")
               if not finders.find(path) and not staticfiles_storage.exists(path)]
    if not missing:
        return []
    return [Error(f"Static files missing: {', '.join(missing)}.", id="netwerkregie.E005",
                  hint="Run `npm ci` (make frontend) for the NL Design System packages, and check THEME and "
                       "THEME_DIR: a theme directory holds theme.css and logo.svg.")]


@register()
def identity_provider_configuration(**kwargs: Any) -> list[CheckMessage]:
    """Sign-in through the identity provider: complete, and never a way around Netwerkregie's own roles."""
    errors: list[CheckMessage] = []
    known = set(Role.values)
    for name, roles in (("LOCAL_PASSWORD_DISABLED_ROLES", settings.LOCAL_PASSWORD_DISABLED_ROLES),
                        ("OIDC_SELF_REGISTER_ROLES", settings.OIDC_SELF_REGISTER_ROLES),
                        ("OIDC_GROUP_ROLES", list(settings.OIDC_GROUP_ROLES.values()))):
        if set(roles) - known:
            errors.append(Error(f"{name} names unknown roles: {', '.join(sorted(set(roles) - known))}.",
                                id="netwerkregie.E006", hint=f"Known roles: {', '.join(sorted(known))}."))
    if not settings.OIDC_ENABLED:
        if settings.LOCAL_PASSWORD_DISABLED_ROLES:
            errors.append(Error("LOCAL_PASSWORD_DISABLED_ROLES is set but OIDC_ISSUER is not: nobody with those "
                                "roles could sign in.", id="netwerkregie.E007"))
        return errors
    if not (settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET):
        errors.append(Error("OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are needed too.",
                            id="netwerkregie.E008"))
    # An administrator by group claim would let the provider decide who administers Netwerkregie.
    if Role.ADMIN in settings.OIDC_GROUP_ROLES.values():
        errors.append(Error("OIDC_GROUP_ROLES may not grant the administrator role.", id="netwerkregie.E009"))
    bad = set(settings.OIDC_SELF_REGISTER_ROLES) & ({Role.ADMIN} | ORGANISATION_ROLES)
    if bad:
        errors.append(Error(f"OIDC_SELF_REGISTER_ROLES may not include {', '.join(sorted(bad))}: those accounts are "
                            "made by the administrator.", id="netwerkregie.E010"))
    if settings.OIDC_GROUP_ROLES and not settings.OIDC_GROUPS_CLAIM:
        errors.append(Error("OIDC_GROUP_ROLES is set but OIDC_GROUPS_CLAIM is empty.", id="netwerkregie.E011"))
    return errors


# Roles that may be named in APPROVER_ROLES: those that work on cases. The administrator, the privacy officer
# (who reviews the approvals), partners, recipients and the roles without personal data never approve.
APPROVING_ROLES = frozenset({Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.APPROVER})


@register()
def approver_roles_are_known(**kwargs: Any) -> list[CheckMessage]:
    wrong = sorted(set(settings.APPROVER_ROLES) - APPROVING_ROLES)
    if wrong:
        return [Error(f"APPROVER_ROLES names {', '.join(wrong)}; only {', '.join(sorted(APPROVING_ROLES))} "
                      "may approve.", id="netwerkregie.E020")]
    return []
