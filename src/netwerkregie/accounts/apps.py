from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in (password with a second factor, or the identity provider) and the administration of
    accounts and roles. The user model itself stays ``core.User``: the other apps refer to it."""

    name = "netwerkregie.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
